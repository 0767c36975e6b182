package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
)

// withStdin makes "lotse ask" read input, as from a terminal or not.
func withStdin(t *testing.T, input string, terminal bool) {
	t.Helper()
	savedIn, savedTerm := stdin, stdinIsTerminal
	t.Cleanup(func() { stdin, stdinIsTerminal = savedIn, savedTerm })
	stdin = strings.NewReader(input)
	stdinIsTerminal = func() bool { return terminal }
}

type replyJSON struct {
	Action     string  `json:"action"`
	Intent     *string `json:"intent"`
	Confidence float64 `json:"confidence"`
	Lang       string  `json:"lang"`
	Reason     *string `json:"reason"`
	PII        []any   `json:"pii"`
}

func TestAsk(t *testing.T) {
	model := trainDemo(t)

	t.Run("one message", func(t *testing.T) {
		code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", model, "wann", "muss", "ich", "zahlen?")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var r replyJSON
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("%v in %q", err, stdout)
		}
		if r.Action != "answer" && r.Action != "handoff" || r.Lang == "" {
			t.Errorf("reply %s", stdout)
		}
	})

	t.Run("pipe", func(t *testing.T) {
		withStdin(t, "hallo\n\nmeine IBAN ist DE89 3704 0044 0532 0130 00\nwhat is the weather in Berlin\n", false)
		code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", model)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) != 4 { // a reply a line, the blank one's too: output lines match input lines
			t.Fatalf("%d lines, want 4:\n%s", len(lines), stdout)
		}
		var blank, iban replyJSON
		if err := json.Unmarshal([]byte(lines[1]), &blank); err != nil {
			t.Fatal(err)
		}
		if blank.Action != "handoff" || blank.Reason == nil || *blank.Reason != "out_of_scope" {
			t.Errorf("blank line: %s", lines[1])
		}
		if err := json.Unmarshal([]byte(lines[2]), &iban); err != nil {
			t.Fatal(err)
		}
		if iban.Action != "handoff" || iban.Reason == nil || *iban.Reason != "personal_data" || len(iban.PII) == 0 {
			t.Errorf("IBAN message: %s", lines[2])
		}
	})

	t.Run("terminal", func(t *testing.T) {
		withStdin(t, "meine IBAN ist DE89 3704 0044 0532 0130 00\n", true)
		code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", model)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "> ") || !strings.Contains(stdout, "handoff: personal data (iban)") {
			t.Errorf("shell output:\n%s", stdout)
		}
		if strings.Contains(stdout, "DE89") || strings.Contains(stdout, "{") {
			t.Errorf("shell repeats the message or prints JSON:\n%s", stdout)
		}
	})
	// exit, quit and :q leave the shell; a pipe sends them as messages.
	for _, word := range []string{"exit", "Quit", ":q"} {
		t.Run(word, func(t *testing.T) {
			withStdin(t, word+"\nhallo\n", true)
			code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", model)
			if code != 0 || strings.Count(stdout, "> ") != 1 || strings.Contains(stdout, "handoff") || strings.Contains(stdout, "[") {
				t.Errorf("exit %d, shell output after %q:\n%s%s", code, word, stdout, stderr)
			}
			withStdin(t, word+"\n", false)
			if _, stdout, _ := cli(t, "ask", "--engine", "native", "--model", model); strings.Count(stdout, "\n") != 1 {
				t.Errorf("pipe: %q got no reply:\n%s", word, stdout)
			}
		})
	}
}

func TestWriteReadable(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    lotse.Reply
		want string
	}{
		{"answer", lotse.Reply{Action: lotse.Answer, Intent: "greeting", Confidence: 0.91, Lang: "en", Answer: "Hello!"},
			"Hello!\n  [greeting 0.91, en]\n"},
		// The widget shows a handoff intent's answer while the visitor waits.
		{"handoff intent", lotse.Reply{Action: lotse.Handoff, Reason: lotse.HandoffIntent, Intent: "report_fraud", Confidence: 0.8, Lang: "en",
			Answer: "Lock your card in the app now."},
			"Lock your card in the app now.\nhandoff: handoff_intent; intent report_fraud 0.80 [en]\n"},
		{"guesses", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Lang: "de",
			Alternatives: []lotse.Alternative{{Intent: "refund", Confidence: 0.2}, {Intent: "greeting", Confidence: 0.05}, {Intent: "payment", Confidence: 0.004}}},
			"handoff: out of scope (best guesses: refund 0.20, greeting 0.05) [de]\n"},
		{"guesses all near 0", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Lang: "en",
			Alternatives: []lotse.Alternative{{Intent: "refund", Confidence: 0.003}, {Intent: "greeting", Confidence: 0.001}}},
			"handoff: out of scope (no intent above 0.01) [en]\n"},
	} {
		var b strings.Builder
		writeReadable(&b, tc.r)
		if b.String() != tc.want {
			t.Errorf("%s:\n%q\nwant\n%q", tc.name, b.String(), tc.want)
		}
	}
}

func TestUnescapeHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"answer":"Profil \u003e Zahlung"}`, `{"answer":"Profil > Zahlung"}`},
		{`"\u003ca\u003e \u0026 b"`, `"<a> & b"`},
		{`"a\\u003e"`, `"a\\u003e"`}, // an escaped backslash, then text
		{`"\u00e4 \" \n \\"`, `"\u00e4 \" \n \\"`},
		{`"\u003`, `"\u003`}, // cut short: left alone
		{``, ``},
	} {
		if got := string(unescapeHTML([]byte(tc.in))); got != tc.want {
			t.Errorf("unescapeHTML(%s) = %s, want %s", tc.in, got, tc.want)
		}
		if json.Valid([]byte(tc.in)) && !json.Valid(unescapeHTML([]byte(tc.in))) {
			t.Errorf("unescapeHTML(%s) is not JSON", tc.in)
		}
	}
}
