package report

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestUnanswered(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []Group
	}{
		{"empty", nil, []Group{}},
		{"blank dropped", []string{"  ", ""}, []Group{}},
		{"exact repeats", []string{"Opening hours?", "Opening hours?"}, []Group{{Count: 2, Example: "Opening hours?"}}},
		{
			"rephrasings join, others apart",
			[]string{
				"what is the weather in Berlin",
				"What's the weather in Berlin?",
				"do you sell gift cards",
				"what is the weather in berlin today",
				"what is the weather in Berlin",
			},
			[]Group{
				{Count: 4, Example: "what is the weather in Berlin", Others: []string{"What's the weather in Berlin?", "what is the weather in berlin today"}},
				{Count: 1, Example: "do you sell gift cards"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unanswered(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Unanswered =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestUnansweredDeterministic checks that input order does not matter.
func TestUnansweredDeterministic(t *testing.T) {
	in := []string{"reset password", "password reset", "how to reset my password", "cancel order", "cancel my order", "order cancel", "x"}
	want := Unanswered(in)
	for i := range 20 {
		shuffled := slices.Clone(in)
		for j := range shuffled {
			k := (j*7 + i*3) % len(shuffled)
			shuffled[j], shuffled[k] = shuffled[k], shuffled[j]
		}
		if got := Unanswered(shuffled); !reflect.DeepEqual(got, want) {
			t.Fatalf("order %q gave\n%+v\nwant\n%+v", shuffled, got, want)
		}
	}
}

// TestUnansweredRedacts checks that personal data never reaches the report.
func TestUnansweredRedacts(t *testing.T) {
	secrets := []string{"DE89370400440532013000", "anna.schmidt@example.com"}
	in := []string{
		"can you check my account DE89370400440532013000 please",
		"send the invoice to anna.schmidt@example.com",
		"send the invoice to anna.schmidt@example.com",
	}
	groups := Unanswered(in)
	var all []string
	for _, g := range groups {
		all = append(all, g.Example)
		all = append(all, g.Others...)
	}
	out := strings.Join(all, "\n")
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("report contains %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, "[IBAN]") || !strings.Contains(out, "[EMAIL]") {
		t.Errorf("report lacks the redaction marks:\n%s", out)
	}
}

func BenchmarkUnanswered(b *testing.B) {
	var in []string
	for i := range 2000 {
		in = append(in, strings.Repeat("question about topic ", 1+i%5)+string(rune('a'+i%26)))
	}
	for b.Loop() {
		Unanswered(in)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		questions, groups int
		want              string
	}{
		{0, 0, "no unanswered questions"},
		{1, 1, "1 unanswered question in 1 group"},
		{2, 1, "2 unanswered questions in 1 group"},
		{5, 3, "5 unanswered questions in 3 groups"},
	}
	for _, tt := range tests {
		if got := Summary(tt.questions, tt.groups); got != tt.want {
			t.Errorf("Summary(%d, %d) = %q, want %q", tt.questions, tt.groups, got, tt.want)
		}
	}
}
