package edge

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/handoff"
)

// TestBackendMessage checks that the edge reads the backend's error body,
// a handoff.ErrorBody.
func TestBackendMessage(t *testing.T) {
	body := func(code, msg string) string {
		b, _ := json.Marshal(handoff.ErrorBody{Error: handoff.Error{Code: code, Message: msg}})
		return string(b)
	}
	tests := []struct{ body, want string }{
		{body("invalid_handoff", `reason "zzz" is not out_of_scope`), ` (invalid_handoff: reason "zzz" is not out_of_scope)`},
		{body("x", strings.Repeat("a", 300)), " (x: " + strings.Repeat("a", 197) + ")"},
		{`{"error":"a string"}`, ""},
		{`not json`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		if got := backendMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("backendMessage(%.40q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}
