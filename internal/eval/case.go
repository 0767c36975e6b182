// Package eval measures a Lotse model on a test file: the metrics
// README.md lists for bot authors (in-scope accuracy, out-of-scope recall
// and precision, wrong answers, deflection, personal-data recall and false
// positives, latency) plus per-intent scores, the most
// confused intent pairs, a confidence histogram, the expected calibration
// error and per-kind personal-data scores, and an HTML report of them.
//
// The engine under test is anything with a Reply method (Engine): the
// in-process Go engine (Native) or the shipped WebAssembly module run by
// wazero. Message text is never kept in a Result unredacted, so a Result can
// be printed, logged or written to a report as it is.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/internal/wording"
	"github.com/lotse-chat/lotse/pii"
)

// OutOfScope is the expect value of a message the bot must not answer.
const OutOfScope = "out_of_scope"

// Case is one line of a test file:
//
//	{"text": "...", "expect": "<intent>" | "out_of_scope",
//	 "pii": ["iban", ...], "spans": [{"kind": "iban", "start": 3, "end": 25}], "lang": "de"}
type Case struct {
	// Text is the visitor's message.
	Text string
	// Expect is the intent the message should get, or OutOfScope. It is
	// empty only for a personal-data case (PII non-nil) that tests the
	// detector and not the classifier.
	Expect string
	// PII lists the kinds of personal data in Text. nil means the line has
	// no "pii" field (not labelled); an empty, non-nil slice means "pii": []
	// (labelled: contains none).
	PII []pii.Kind
	// Spans are the labelled personal-data spans (byte offsets into Text),
	// when the line has a "spans" field; nil otherwise.
	Spans []pii.Span
	// Lang is the message's language when the line has a "lang" field.
	Lang string
	// Line is the 1-based line number in the file the case came from.
	Line int
}

// line is the JSON form of a Case, decoded strictly.
type line struct {
	Text   *string    `json:"text"`
	Expect string     `json:"expect"`
	PII    []pii.Kind `json:"pii"`
	Spans  []pii.Span `json:"spans"`
	Lang   string     `json:"lang"`
}

// ReadCases reads a test file (JSON Lines, one Case a line). Blank lines are
// skipped. Errors name the file and line and say what is wrong.
func ReadCases(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading test file: %w", err)
	}
	defer f.Close()
	return DecodeCases(f, path)
}

// DecodeCases reads test cases from r; name is used in error messages.
func DecodeCases(r io.Reader, name string) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		raw := bytes.TrimSpace(sc.Bytes())
		if n == 1 {
			// Editors on Windows start UTF-8 files with a byte order mark,
			// which JSON does not allow; the bot loader drops it too.
			raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
		}
		if len(raw) == 0 {
			continue
		}
		c, err := decodeLine(raw)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		c.Line = n
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, n+1, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no test cases; write one JSON object a line, such as {\"text\": \"wann muss ich zahlen\", \"expect\": \"payment_due_date\"}", name)
	}
	return cases, nil
}

func decodeLine(raw []byte) (Case, error) {
	if !utf8.Valid(raw) {
		return Case{}, errors.New("invalid UTF-8; save the file as UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var l line
	if err := dec.Decode(&l); err != nil {
		return Case{}, fmt.Errorf("%s; each line must be one JSON object with \"text\" and \"expect\" (and optional \"pii\", \"spans\", \"lang\")", describeJSONError(err))
	}
	if dec.More() {
		return Case{}, errors.New("more than one JSON value on the line; write one test case a line")
	}
	if l.Text == nil {
		return Case{}, errors.New(`field "text" is missing`)
	}
	if strings.TrimSpace(*l.Text) == "" {
		return Case{}, errors.New(`field "text" is empty; write the visitor's message, or remove the line`)
	}
	c := Case{Text: *l.Text, Expect: l.Expect, PII: l.PII, Spans: l.Spans, Lang: l.Lang}
	if c.Expect == "" && c.PII == nil {
		return Case{}, errors.New(`field "expect" is missing or empty; give the intent name or "out_of_scope"`)
	}
	for i, k := range c.PII {
		if k == "" {
			return Case{}, fmt.Errorf(`field "pii"[%d] is empty; give a kind such as "iban"`, i)
		}
		if err := checkKind(k); err != nil {
			return Case{}, fmt.Errorf("pii[%d]: %w", i, err)
		}
	}
	for i, s := range c.Spans {
		if s.Kind == "" {
			return Case{}, fmt.Errorf(`field "spans"[%d]: "kind" is missing`, i)
		}
		if err := checkKind(s.Kind); err != nil {
			return Case{}, fmt.Errorf("spans[%d].kind: %w", i, err)
		}
		if s.Start < 0 || s.End <= s.Start || s.End > len(c.Text) {
			return Case{}, fmt.Errorf(`field "spans"[%d]: start %d, end %d are not byte offsets inside the text (0 <= start < end <= %d)`, i, s.Start, s.End, len(c.Text))
		}
	}
	if c.Spans != nil && c.PII == nil {
		// Spans imply the kinds; a line may give spans alone.
		c.PII = []pii.Kind{}
		seen := map[pii.Kind]bool{}
		for _, s := range c.Spans {
			if !seen[s.Kind] {
				seen[s.Kind] = true
				c.PII = append(c.PII, s.Kind)
			}
		}
	}
	return c, nil
}

// jsonShapes says what each field of a test line must be, in JSON's terms
// rather than Go's, with an example. A test file's author reads these
// beside the line they wrote, so they say more than internal/jsonerr's
// wording for API clients (the shape alone).
var jsonShapes = map[string]string{
	"text":        "a string",
	"expect":      `a string (an intent name or "out_of_scope")`,
	"lang":        `a string such as "de"`,
	"pii":         `an array of strings such as ["iban"]`,
	"spans":       `an array of objects such as [{"kind": "iban", "start": 3, "end": 25}]`,
	"spans.kind":  `a string such as "iban"`,
	"spans.start": "a whole number (a byte offset)",
	"spans.end":   "a whole number (a byte offset)",
}

// describeJSONError turns encoding/json's errors into a short phrase.
func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Sprintf("the line is a JSON %s; write one JSON object a line", te.Value)
		}
		want, ok := jsonShapes[te.Field]
		if !ok {
			want = "of another type"
		}
		return fmt.Sprintf("field %q is a JSON %s; it must be %s", te.Field, te.Value, want)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "unknown field " + f
	}
	return "not valid JSON (" + strings.TrimPrefix(msg, "json: ") + ")"
}

// checkKind returns an error for a personal-data kind the detector does
// not know: counted as a miss, a misspelt kind would lower pii_recall
// without a word.
func checkKind(k pii.Kind) error {
	var known []string
	for _, kk := range pii.Kinds {
		if k == kk {
			return nil
		}
		known = append(known, string(kk))
	}
	msg := fmt.Sprintf("unknown kind %q; ", k)
	if s := wording.Closest(string(k), known); s != "" {
		msg += fmt.Sprintf("did you mean %q? ", s)
	}
	return errors.New(msg + "known: " + strings.Join(known, ", "))
}
