package eval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/pii"
)

func TestReadCases(t *testing.T) {
	cases, err := ReadCases("testdata/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := []Case{
		{Text: "wann muss ich zahlen", Expect: "payment_due_date", Lang: "de", Line: 1},
		{Text: "what is the weather in Berlin", Expect: OutOfScope, Line: 3},
		{Text: "meine IBAN ist DE89 3704 0044 0532 0130 00", Expect: "change_bank_account",
			PII: []pii.Kind{pii.IBAN}, Spans: []pii.Span{{Kind: pii.IBAN, Start: 15, End: 42}}, Line: 4},
		{Text: "Rechnung RE-2024-000123", Expect: "invoice_copy", PII: []pii.Kind{}, Line: 5},
		{Text: "my email is jane@example.com", PII: []pii.Kind{pii.Email}, Line: 6},
	}
	if !reflect.DeepEqual(cases, want) {
		t.Errorf("ReadCases:\n got %+v\nwant %+v", cases, want)
	}
	// "pii": [] (labelled, none) must stay distinguishable from no "pii".
	if cases[3].PII == nil || cases[0].PII != nil {
		t.Errorf(`"pii": [] and a missing "pii" must differ: got %#v and %#v`, cases[3].PII, cases[0].PII)
	}
}

func TestReadCasesSpansImplyKinds(t *testing.T) {
	c, err := DecodeCases(strings.NewReader(`{"text":"x@y.de","expect":"a","spans":[{"kind":"email","start":0,"end":6}]}`), "f")
	if err != nil {
		t.Fatal(err)
	}
	if want := []pii.Kind{pii.Email}; !reflect.DeepEqual(c[0].PII, want) {
		t.Errorf("PII = %v, want %v", c[0].PII, want)
	}
}

func TestReadCasesErrors(t *testing.T) {
	good := `{"text": "hallo", "expect": "greeting"}` + "\n"
	tests := []struct {
		name, line, want string
	}{
		{"not json", `{"text": "hallo", "expect": }`, "not valid JSON"},
		{"unknown field", `{"text": "hallo", "expected": "greeting"}`, `unknown field "expected"`},
		{"missing text", `{"expect": "greeting"}`, `field "text" is missing`},
		{"missing expect", `{"text": "hallo"}`, `field "expect" is missing`},
		{"wrong type", `{"text": 3, "expect": "greeting"}`, `field "text" is a JSON number; it must be a string`},
		{"pii not a list", `{"text": "a", "expect": "b", "pii": "iban"}`, `field "pii" is a JSON string; it must be an array of strings such as ["iban"]`},
		{"array line", `["a", "b"]`, `the line is a JSON array; write one JSON object a line`},
		{"span start not a number", `{"text": "abc", "expect": "b", "spans": [{"kind": "iban", "start": "1", "end": 2}]}`, `field "spans.start" is a JSON string; it must be a whole number (a byte offset)`},
		{"empty kind", `{"text": "a", "expect": "b", "pii": [""]}`, `"pii"[0] is empty`},
		{"span outside", `{"text": "abc", "expect": "b", "spans": [{"kind": "iban", "start": 1, "end": 9}]}`, `"spans"[0]: start 1, end 9 are not byte offsets inside the text`},
		{"span no kind", `{"text": "abc", "expect": "b", "spans": [{"start": 0, "end": 1}]}`, `"spans"[0]: "kind" is missing`},
		{"two values", `{"text": "a", "expect": "b"} {"text": "c", "expect": "d"}`, "more than one JSON value"},
		{"invalid utf8", "{\"text\": \"\xff\", \"expect\": \"b\"}", "invalid UTF-8"},
		{"empty text", `{"text": "", "expect": "greeting"}`, `field "text" is empty; write the visitor's message, or remove the line`},
		{"blank text", `{"text": "  ", "expect": "greeting"}`, `field "text" is empty`},
		// A misspelt kind would count as a miss, lowering pii_recall.
		{"unknown kind", `{"text": "a", "expect": "b", "pii": ["mail"]}`, `pii[0]: unknown kind "mail"; did you mean "email"? known: iban, card, email, phone, dob, tax_id, id_document, address, name`},
		{"unknown kind, no guess", `{"text": "a", "expect": "b", "pii": ["iban", "shoe_size"]}`, `pii[1]: unknown kind "shoe_size"; known: iban,`},
		{"unknown span kind", `{"text": "abc", "expect": "b", "spans": [{"kind": "IBAN", "start": 0, "end": 1}]}`, `spans[0].kind: unknown kind "IBAN"; did you mean "iban"?`},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".jsonl")
			// The bad line is line 3, after a good line and a blank one.
			if err := os.WriteFile(path, []byte(good+"\n"+tt.line+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadCases(path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), path+":3: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant prefix %q and %q", err, path+":3: ", tt.want)
			}
		})
	}
}

func TestReadCasesEmptyAndMissing(t *testing.T) {
	if _, err := DecodeCases(strings.NewReader("\n\n"), "empty.jsonl"); err == nil || !strings.Contains(err.Error(), "empty.jsonl: no test cases") {
		t.Errorf("empty file: error %v", err)
	}
	if _, err := ReadCases(filepath.Join(t.TempDir(), "nope.jsonl")); err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Errorf("missing file: error %v", err)
	}
}

// TestDecodeCasesBOM checks that a test file saved with a UTF-8 byte order
// mark reads as the same file without one.
func TestDecodeCasesBOM(t *testing.T) {
	text := `{"text": "hallo", "expect": "greeting"}` + "\n"
	want, err := DecodeCases(strings.NewReader(text), "t.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeCases(strings.NewReader("\uFEFF"+text), "t.jsonl")
	if err != nil || len(got) != 1 || got[0].Text != want[0].Text || got[0].Expect != want[0].Expect {
		t.Errorf("with a BOM: %+v, %v; want %+v", got, err, want)
	}
}
