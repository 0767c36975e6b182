package eval

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/pii"
)

func TestWriteHTML(t *testing.T) {
	const (
		iban  = "DE89 3704 0044 0532 0130 00"
		email = "jane.doe@example.com"
		card  = "4111 1111 1111 1111"
	)
	// Every message is misclassified, so every text becomes an example of
	// a confused pair and is written to the report.
	texts := []string{
		"meine IBAN ist " + iban,                 // found by pii.Detect
		"schreib mir an " + email + " bitte",     // found by pii.Detect
		"karte " + card + " gesperrt",            // labelled span (and Detect)
		"<script>alert(1)</script> wie geht das", // must be escaped
	}
	cases := []Case{
		{Text: texts[0], Expect: "change_bank_account"},
		{Text: texts[1], Expect: "contact"},
		{Text: texts[2], Expect: "block_card", Spans: []pii.Span{{Kind: pii.Card, Start: 6, End: 6 + len(card)}}},
		{Text: texts[3], Expect: "how_to"},
	}
	replies := map[string]lotse.Reply{}
	for _, c := range cases {
		replies[c.Text] = answer("other_intent", 0.4)
	}
	r, err := Run(fakeEngine{replies: replies}, cases)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf, "test.jsonl <demo>"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"<!DOCTYPE html>", `id="per-intent-chart"`, `id="confused-chart"`, `id="confidence-histogram"`,
		`id="calibration-chart"`, "Most confused pairs", "[CARD]", "[IBAN]", "[EMAIL]",
		"&lt;script&gt;", "test.jsonl &lt;demo&gt;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, leak := range []string{iban, "DE89", email, card, "4111", "<script>"} {
		if strings.Contains(out, leak) {
			t.Errorf("report contains %q", leak)
		}
	}
	// Self-contained: no external assets.
	for _, ext := range []string{"http://", "https://", "<link", "src="} {
		if strings.Contains(out, ext) {
			t.Errorf("report refers to an external asset (%q)", ext)
		}
	}
}

func TestWriteHTMLPII(t *testing.T) {
	cases := []Case{{Text: "x@y.de", Expect: "a", Spans: []pii.Span{{Kind: pii.Email, Start: 0, End: 6}}}}
	got := handoff("a", lotse.PersonalData, 0.9)
	got.PII = []pii.Span{{Kind: pii.Email, Start: 0, End: 6}}
	r, err := Run(fakeEngine{replies: map[string]lotse.Reply{"x@y.de": got}}, cases)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf, "pii"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `id="pii-chart"`) || !strings.Contains(buf.String(), "span level") {
		t.Error("report lacks the per-kind personal-data chart")
	}
}

func TestRedacted(t *testing.T) {
	tests := []struct {
		c    Case
		want string
	}{
		{Case{Text: "ok"}, "ok"},
		// Overlapping labels merge into one.
		{Case{Text: "abc 12345 def", Spans: []pii.Span{{Kind: pii.Phone, Start: 4, End: 8}, {Kind: pii.TaxID, Start: 6, End: 9}}}, "abc [PHONE] def"},
		{Case{Text: "a 1 b 2", Spans: []pii.Span{{Kind: pii.Name, Start: 6, End: 7}, {Kind: pii.Name, Start: 2, End: 3}}}, "a [NAME] b [NAME]"},
	}
	for _, tt := range tests {
		if got := Redacted(tt.c); got != tt.want {
			t.Errorf("Redacted(%q) = %q, want %q", tt.c.Text, got, tt.want)
		}
	}
}

// TestPerIntentOrder checks that the per-intent table is in the chart's
// order, worst recall first, as the text above them says, and that the
// summary's weakest intents are only those below 1.
func TestPerIntentOrder(t *testing.T) {
	cases := []Case{
		{Text: "a1", Expect: "alpha"}, {Text: "a2", Expect: "alpha"},
		{Text: "b1", Expect: "beta"}, {Text: "b2", Expect: "beta"},
		{Text: "z1", Expect: "zulu"}, {Text: "z2", Expect: "zulu"},
	}
	replies := map[string]lotse.Reply{
		"a1": answer("alpha", 0.9), "a2": answer("alpha", 0.9), // perfect
		"b1": answer("beta", 0.9), "b2": answer("zulu", 0.9), // recall 0.5
		"z1": answer("zulu", 0.9), "z2": answer("zulu", 0.9), // recall 1, precision 0.667
	}
	r, err := Run(fakeEngine{replies: replies}, cases)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf, "t"); err != nil {
		t.Fatal(err)
	}
	table := buf.String()[strings.Index(buf.String(), "<details><summary>Table"):]
	if b, z, a := strings.Index(table, "<td>beta</td>"), strings.Index(table, "<td>zulu</td>"), strings.Index(table, "<td>alpha</td>"); !(b >= 0 && b < z && z < a) {
		t.Errorf("table rows not worst recall first (beta %d, zulu %d, alpha %d):\n%s", b, z, a, table)
	}
	buf.Reset()
	r.Summary(&buf)
	weak := buf.String()[strings.Index(buf.String(), "weakest intents"):]
	if !strings.Contains(weak, "beta") || !strings.Contains(weak, "zulu") || strings.Contains(weak, "alpha") {
		t.Errorf("weakest intents list perfect ones, or miss others:\n%s", weak)
	}

	perfect, err := Run(fakeEngine{replies: map[string]lotse.Reply{"a1": answer("alpha", 0.9)}}, cases[:1])
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	perfect.Summary(&buf)
	if s := buf.String(); strings.Contains(s, "weakest") || !strings.Contains(s, "every intent tested (1) has recall and precision 1.000") ||
		!strings.Contains(s, "1 message\n") {
		t.Errorf("summary of a perfect run:\n%s", s)
	}
}

// TestIsReport checks that a report is recognised by its marker, and
// other files are not.
func TestIsReport(t *testing.T) {
	r, err := Run(fakeEngine{replies: map[string]lotse.Reply{"a": answer("alpha", 0.9)}}, []Case{{Text: "a", Expect: "alpha"}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf, "t"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		head []byte
		want bool
	}{
		{"a report", buf.Bytes(), true},
		{"a bot file", []byte("name: shop\nlanguages: [en]\n"), false},
		{"another page", []byte("<!DOCTYPE html><html><head><title>x</title>"), false},
		{"the marker too far in", append(bytes.Repeat([]byte(" "), ReportMarkerWithin), ReportMarker...), false},
	} {
		if got := IsReport(tc.head); got != tc.want {
			t.Errorf("%s: IsReport = %v, want %v", tc.name, got, tc.want)
		}
	}
}
