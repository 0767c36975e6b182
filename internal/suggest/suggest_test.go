package suggest

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	long := strings.Repeat("a", 65)
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"intents", "intents", 0},
		{"intent", "intents", 1},
		{"exmaples", "examples", 2},
		{"lang", "languages", 5},
		{"", "abc", 3},
		{long, "a", 65},
		{"a", long, 65},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
