package edge

import (
	"strings"
	"testing"
)

// TestBackendMessage checks that the edge reads the backend's error body
// (package backend writes {"error": {"code", "message"}}).
func TestBackendMessage(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"error":{"code":"invalid_handoff","message":"reason \"zzz\" is not out_of_scope"}}`, ` (invalid_handoff: reason "zzz" is not out_of_scope)`},
		{`{"error":{"code":"x","message":"` + strings.Repeat("a", 300) + `"}}`, " (x: " + strings.Repeat("a", 197) + ")"},
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
