package wording

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

func TestClosest(t *testing.T) {
	for _, tc := range []struct {
		known      []string
		name, want string
	}{
		// bot file keys
		{keys, "langauges", "languages"},
		{keys, "Intents", "intents"},
		{keys, "langs", "languages"},
		{keys, "lang", "languages"},
		{keys, "language", "languages"},
		{keys, "oos", ""},
		{keys, "answers", ""},
		{keys, "in", ""},
		// test file intents and kinds
		{intents, "Greeting", "greeting"},
		{intents, "out-of-scope", "out_of_scope"},
		{intents, "out of scope", "out_of_scope"},
		{intents, "refund_stauts", "refund_status"},
		{intents, "mail", "email"},
		{intents, "launch_rocket", ""},
		{intents, "x", ""},
	} {
		if got := Closest(tc.name, tc.known); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

var (
	keys    = []string{"name", "languages", "intents", "out_of_scope"}
	intents = []string{"greeting", "out_of_scope", "refund_status", "email"}
)

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 groups", 1: "1 group", 2: "2 groups"} {
		if got := Plural(n, "group"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}
