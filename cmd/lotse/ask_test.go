package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/pii"
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
		if !strings.Contains(stdout, "> ") || !strings.Contains(stdout, "handed off: personal data (iban)") {
			t.Errorf("shell output:\n%s", stdout)
		}
		if strings.Contains(stdout, "DE89") || strings.Contains(stdout, "{") {
			t.Errorf("shell repeats the message or prints JSON:\n%s", stdout)
		}
	})
	// The banner gives the threshold, and an out-of-scope handoff its
	// cause: the demo model has no threshold, so its class won.
	t.Run("terminal, out of scope", func(t *testing.T) {
		withStdin(t, "what is the weather in Berlin\n???\n", true)
		code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", model)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{"(40 intents, no confidence threshold, native engine)",
			"> handed off: out of scope, the out-of-scope class won (",
			"> handed off: out of scope, nothing to classify (no letter or digit) [de]\n"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("shell output lacks %q:\n%s", want, stdout)
			}
		}
	})
	t.Run("terminal, below the threshold", func(t *testing.T) {
		data, err := os.ReadFile(model)
		if err != nil {
			t.Fatal(err)
		}
		f, err := modelfile.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		f.Threshold = 0.999 // above the 0.998 of "wann muss ich zahlen?"
		high := filepath.Join(t.TempDir(), "high.lotse")
		if err := os.WriteFile(high, modelfile.Encode(f), 0o644); err != nil {
			t.Fatal(err)
		}
		withStdin(t, "wann muss ich zahlen?\n", true)
		code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", high)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{"(40 intents, threshold 0.999, native engine)",
			"> handed off: out of scope, confidence 0.998 below the threshold 0.999 (best guesses: payment_due_date 0.998) [de]\n"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("shell output lacks %q:\n%s", want, stdout)
			}
		}
	})
	// exit, quit and :q leave the shell; a pipe sends them as messages.
	for _, word := range []string{"exit", "Quit", ":q"} {
		t.Run(word, func(t *testing.T) {
			withStdin(t, word+"\nhallo\n", true)
			code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", model)
			if code != 0 || strings.Count(stdout, "> ") != 1 || strings.Contains(stdout, "handed off") || strings.Contains(stdout, "[") {
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
	guesses := []lotse.Alternative{{Intent: "refund", Confidence: 0.2}, {Intent: "greeting", Confidence: 0.05}, {Intent: "payment", Confidence: 0.004}}
	low := []lotse.Alternative{{Intent: "refund", Confidence: 0.118}, {Intent: "greeting", Confidence: 0.05}}
	for _, tc := range []struct {
		name      string
		r         lotse.Reply
		threshold float64
		want      string
	}{
		{"answer", lotse.Reply{Action: lotse.Answer, Intent: "greeting", Confidence: 0.91, Lang: "en", Answer: "Hello!"}, 0.12,
			"Hello!\n  [greeting 0.91, en]\n"},
		// Not 1.00 for a confidence below 1.
		{"answer, nearly sure", lotse.Reply{Action: lotse.Answer, Intent: "greeting", Confidence: 0.999669, Lang: "de", Answer: "Hallo!"}, 0,
			"Hallo!\n  [greeting 0.9997, de]\n"},
		// The widget shows a handoff intent's answer while the visitor waits.
		{"handoff intent", lotse.Reply{Action: lotse.Handoff, Reason: lotse.HandoffIntent, Intent: "report_fraud", Confidence: 0.8, Lang: "en",
			Answer: "Lock your card in the app now."}, 0.12,
			"Lock your card in the app now.\nhanded off: handoff intent (needs a person); intent report_fraud 0.80 [en]\n"},
		{"personal data", lotse.Reply{Action: lotse.Handoff, Reason: lotse.PersonalData, Intent: "address_change", Confidence: 0.64, Lang: "de",
			PII: []pii.Span{{Kind: pii.Name, Start: 0, End: 4}, {Kind: pii.IBAN, Start: 9, End: 31}, {Kind: pii.Name, Start: 40, End: 44}}}, 0.12,
			"handed off: personal data (name, iban); intent address_change 0.64 [de]\n"},
		// Without a threshold only the out-of-scope class hands off.
		{"class, no threshold", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Confidence: 0.2, Lang: "de", Alternatives: guesses}, 0,
			"handed off: out of scope, the out-of-scope class won (best guesses: refund 0.20, greeting 0.05) [de]\n"},
		// A best intent at or above the threshold lost to the class.
		{"class, above the threshold", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Confidence: 0.2, Lang: "de", Alternatives: guesses}, 0.12,
			"handed off: out of scope, the out-of-scope class won (best guesses: refund 0.20, greeting 0.05) [de]\n"},
		// Below the threshold; the class may have won too, and is not named.
		{"below the threshold", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Confidence: 0.2, Lang: "en", Alternatives: guesses}, 0.35,
			"handed off: out of scope, confidence 0.20 below the threshold 0.35 (best guesses: refund 0.20, greeting 0.05) [en]\n"},
		// Two decimals would print both as 0.12.
		{"just below the threshold", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Confidence: 0.118, Lang: "en", Alternatives: low}, float64(float32(0.12)),
			"handed off: out of scope, confidence 0.118 below the threshold 0.120 (best guesses: refund 0.12, greeting 0.05) [en]\n"},
		// The confidence is the threshold to six decimals: either may be so.
		{"at the threshold", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Confidence: 0.35, Lang: "en", Alternatives: guesses[:1]}, float64(float32(0.35)),
			"handed off: out of scope (best guesses: refund 0.20) [en]\n"},
		{"guesses all near 0", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Confidence: 0.003, Lang: "en",
			Alternatives: []lotse.Alternative{{Intent: "refund", Confidence: 0.003}, {Intent: "greeting", Confidence: 0.001}}}, 0,
			"handed off: out of scope, the out-of-scope class won (no intent above 0.01) [en]\n"},
		// A message without a letter or digit is not classified.
		{"nothing to classify", lotse.Reply{Action: lotse.Handoff, Reason: lotse.OutOfScope, Lang: "de"}, 0.12,
			"handed off: out of scope, nothing to classify (no letter or digit) [de]\n"},
	} {
		var b strings.Builder
		writeReadable(&b, tc.r, tc.threshold)
		if b.String() != tc.want {
			t.Errorf("%s:\n%q\nwant\n%q", tc.name, b.String(), tc.want)
		}
	}
}

func TestBannerThreshold(t *testing.T) {
	for _, tc := range []struct {
		t    float64
		want string
	}{
		{0, "no confidence threshold"},
		{float64(float32(0.12)), "threshold 0.12"},
		{0.1700423, "threshold 0.17"},
		{0.9999997638591709, "threshold 0.9999998"}, // not 1.00, which would hand off everything
	} {
		if got := bannerThreshold(tc.t); got != tc.want {
			t.Errorf("bannerThreshold(%v) = %q, want %q", tc.t, got, tc.want)
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
