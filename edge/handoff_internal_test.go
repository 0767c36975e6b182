package edge

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestUpstreamAnswer checks what the log quotes of an upstream answer:
// the backend's JSON error, or any other body redacted, whole up to
// maxLogAnswer bytes and cut between characters beyond.
func TestUpstreamAnswer(t *testing.T) {
	long := strings.Repeat("Grüße ", 300) // 2,100 bytes, "ü" and "ß" two bytes each
	tests := []struct {
		name, body, want string
	}{
		{"backend error", `{"error":{"code":"invalid_handoff","message":"reason \"zzz\" is not out_of_scope"}}`,
			`invalid_handoff: reason "zzz" is not out_of_scope`},
		{"proxy text", "proxy: connect ECONNREFUSED 127.0.0.1:18081\n", "proxy: connect ECONNREFUSED 127.0.0.1:18081"},
		{"error not an object", `{"error":"a string"}`, `{"error":"a string"}`},
		{"empty", ``, "(empty body)"},
		{"personal data", "no such user max.mustermann@example.com", "no such user [EMAIL]"},
		{"invalid UTF-8", "bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		if got := upstreamAnswer([]byte(tt.body)); got != tt.want {
			t.Errorf("%s: upstreamAnswer(%.40q) = %q, want %q", tt.name, tt.body, got, tt.want)
		}
	}
	for _, body := range []string{long, `{"error":{"code":"x","message":"` + long + `"}}`} {
		got := upstreamAnswer([]byte(body))
		if !utf8.ValidString(got) || len(got) > maxLogAnswer+len("…") || len(got) < maxLogAnswer-3 || !strings.HasSuffix(got, "…") {
			t.Errorf("upstreamAnswer of %d bytes: %d bytes %q...; want valid UTF-8 cut near %d bytes, marked …",
				len(body), len(got), got[:40], maxLogAnswer)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"Grüße", 3, "Gr…"}, // "ü" is bytes 2-3: not split
		{"Grüße", 4, "Grü…"},
		{"€uro", 2, "…"},
	}
	for _, tt := range tests {
		if got := clip(tt.s, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
