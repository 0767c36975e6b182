package eval

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/pii"
)

// fakeEngine replies from a table. It stands in for the engine only in the
// tests of metric arithmetic, which must not depend on what a trained model
// happens to answer.
type fakeEngine struct {
	replies map[string]lotse.Reply
	info    *lotse.Info
}

func (f fakeEngine) Reply(text string) (lotse.Reply, error) {
	r, ok := f.replies[text]
	if !ok {
		return lotse.Reply{}, errors.New("fake engine: no reply for this message")
	}
	return r, nil
}

func (f fakeEngine) Name() string { return "fake" }

// infoEngine adds Info to a fakeEngine.
type infoEngine struct{ fakeEngine }

func (f infoEngine) Info() lotse.Info { return *f.info }

func answer(intent string, conf float64) lotse.Reply {
	return lotse.Reply{Action: lotse.Answer, Intent: intent, Confidence: conf, Lang: "en", Answer: "..."}
}

func handoff(intent string, reason lotse.Reason, conf float64) lotse.Reply {
	if reason == lotse.OutOfScope {
		intent = ""
	}
	return lotse.Reply{Action: lotse.Handoff, Intent: intent, Reason: reason, Confidence: conf, Lang: "en"}
}

// sample is eight messages whose metrics are worked out by hand below.
func sample() ([]Case, map[string]lotse.Reply) {
	withPII := handoff("a", lotse.PersonalData, 0.9)
	withPII.PII = []pii.Span{{Kind: pii.IBAN, Start: 3, End: 25}}
	cases := []Case{
		{Text: "a1", Expect: "a", Line: 1},                            // right, answered
		{Text: "a2", Expect: "a", Line: 2},                            // answered as b: wrong answer
		{Text: "b1", Expect: "b", Line: 3},                            // rejected as out of scope: wrong
		{Text: "h1", Expect: "h", Line: 4},                            // handoff intent, right
		{Text: "o1", Expect: OutOfScope, Line: 5},                     // rejected: right
		{Text: "o2", Expect: OutOfScope, Line: 6},                     // answered as a: wrong answer
		{Text: "p1", Expect: "a", PII: []pii.Kind{pii.IBAN}, Line: 7}, // personal data, intent right
		{Text: "n1", Expect: "b", PII: []pii.Kind{}, Line: 8},         // labelled clean, right
	}
	replies := map[string]lotse.Reply{
		"a1": answer("a", 0.95),
		"a2": answer("b", 0.65),
		"b1": handoff("b", lotse.OutOfScope, 0.3),
		"h1": handoff("h", lotse.HandoffIntent, 0.85),
		"o1": handoff("", lotse.OutOfScope, 0.2),
		"o2": answer("a", 0.55),
		"p1": withPII,
		"n1": answer("b", 0.75),
	}
	return cases, replies
}

func TestRunMetrics(t *testing.T) {
	cases, replies := sample()
	info := &lotse.Info{Intents: []lotse.IntentInfo{{Name: "a"}, {Name: "b"}, {Name: "h", Handoff: true}}}
	for _, e := range []Engine{fakeEngine{replies: replies}, infoEngine{fakeEngine{replies, info}}} {
		r, err := Run(e, cases)
		if err != nil {
			t.Fatal(err)
		}
		metrics := []struct {
			name      string
			got, want Ratio
		}{
			// In scope: a1 a2 b1 h1 p1 n1; right: a1 h1 p1 n1.
			{"in_scope_accuracy", r.InScopeAccuracy, Ratio{4, 6}},
			// o1 rejected, o2 answered.
			{"oos_recall", r.OOSRecall, Ratio{1, 2}},
			// Rejected as out of scope: b1 (in scope), o1.
			{"oos_precision", r.OOSPrecision, Ratio{1, 2}},
			// Answered wrongly: a2, o2; of all eight.
			{"wrong_answer_rate", r.WrongAnswerRate, Ratio{2, 8}},
			// Non-handoff intent, no personal data: a1 a2 b1 n1; answered right: a1 n1.
			{"deflection", r.Deflection, Ratio{2, 4}},
			{"pii_recall", r.PIIRecall, Ratio{1, 1}},
			{"pii_false_positive_rate", r.PIIFalsePositiveRate, Ratio{0, 1}},
		}
		for _, m := range metrics {
			if m.got != m.want {
				t.Errorf("%T: %s = %+v, want %+v", e, m.name, m.got, m.want)
			}
		}
		if r.Engine != "fake" || r.Messages != 8 || r.Labelled != 8 {
			t.Errorf("engine %q, messages %d, labelled %d", r.Engine, r.Messages, r.Labelled)
		}
		// In-scope confidences by bin: 0.95 0.9 right (bin 9), 0.65 wrong
		// (6), 0.3 wrong (3), 0.85 right (8), 0.75 right (7):
		// (2*0.075 + 0.65 + 0.3 + 0.15 + 0.25) / 6 = 0.25.
		if !r.ECE.OK || math.Abs(r.ECE.V-0.25) > 1e-9 {
			t.Errorf("ECE = %+v, want 0.25", r.ECE)
		}
		wantIntents := []IntentScore{
			{Intent: "a", Support: 3, Predicted: 3, Correct: 2},
			{Intent: "b", Support: 2, Predicted: 2, Correct: 1},
			{Intent: "h", Support: 1, Predicted: 1, Correct: 1},
			{Intent: OutOfScope, Support: 2, Predicted: 2, Correct: 1},
		}
		if !reflect.DeepEqual(r.PerIntent, wantIntents) {
			t.Errorf("PerIntent = %+v\nwant %+v", r.PerIntent, wantIntents)
		}
		var pairs []string
		for _, c := range r.Confused {
			pairs = append(pairs, c.Expect+">"+c.Predicted)
		}
		if want := []string{"a>b", "b>out_of_scope", "out_of_scope>a"}; !reflect.DeepEqual(pairs, want) {
			t.Errorf("Confused = %v, want %v", pairs, want)
		}
		var hist []int
		for _, b := range r.Histogram {
			hist = append(hist, b.Count)
		}
		// All eight: 0.2 0.3 0.55 0.65 0.75 0.85 0.9 0.95.
		if want := []int{0, 0, 1, 1, 0, 1, 1, 1, 1, 2}; !reflect.DeepEqual(hist, want) {
			t.Errorf("histogram counts = %v, want %v", hist, want)
		}
	}
}

func TestRunHandoffIntentNotDeflected(t *testing.T) {
	// A handoff intent that is never predicted is known only from Info;
	// its messages must not count toward deflection.
	cases := []Case{{Text: "h1", Expect: "h"}, {Text: "a1", Expect: "a"}}
	replies := map[string]lotse.Reply{"h1": answer("a", 0.6), "a1": answer("a", 0.9)}
	info := &lotse.Info{Intents: []lotse.IntentInfo{{Name: "a"}, {Name: "h", Handoff: true}}}
	r, err := Run(infoEngine{fakeEngine{replies, info}}, cases)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Ratio{1, 1}); r.Deflection != want {
		t.Errorf("deflection = %+v, want %+v", r.Deflection, want)
	}
}

func TestRunEngineError(t *testing.T) {
	_, err := Run(fakeEngine{replies: map[string]lotse.Reply{}}, []Case{{Text: "secret text", Expect: "a", Line: 7}})
	if err == nil || !strings.Contains(err.Error(), "line 7") || strings.Contains(err.Error(), "secret text") {
		t.Errorf("error %v: want the line and not the text", err)
	}
}

func TestRunPIIOnlyCases(t *testing.T) {
	// Cases without expect test only the detector.
	got := handoff("a", lotse.PersonalData, 0.5)
	got.PII = []pii.Span{{Kind: pii.Email, Start: 0, End: 3}}
	cases := []Case{{Text: "m", PII: []pii.Kind{pii.Email}}, {Text: "n", PII: []pii.Kind{}}}
	r, err := Run(fakeEngine{replies: map[string]lotse.Reply{"m": got, "n": answer("a", 0.9)}}, cases)
	if err != nil {
		t.Fatal(err)
	}
	if r.Labelled != 0 || r.InScopeAccuracy.Total != 0 || r.WrongAnswerRate.Total != 0 {
		t.Errorf("intent metrics counted PII-only cases: %+v", r)
	}
	if r.PIIRecall != (Ratio{1, 1}) || r.PIIFalsePositiveRate != (Ratio{0, 1}) {
		t.Errorf("pii_recall %+v, fp %+v", r.PIIRecall, r.PIIFalsePositiveRate)
	}
	// "m" has kinds only (kind level), "n" is "pii": [] (span level).
	if r.PIIKindCases != 1 || r.PIISpanCases != 1 || r.piiLevel() != "mixed" {
		t.Errorf("levels: kind %d span %d %q", r.PIIKindCases, r.PIISpanCases, r.piiLevel())
	}
	if want := []KindScore{{Kind: pii.Email, TP: 1}}; !reflect.DeepEqual(r.PIIPerKind, want) {
		t.Errorf("PIIPerKind = %+v, want %+v", r.PIIPerKind, want)
	}
}

func TestMatchSpans(t *testing.T) {
	iban := func(s, e int) pii.Span { return pii.Span{Kind: pii.IBAN, Start: s, End: e} }
	tests := []struct {
		name       string
		want, got  []pii.Span
		tp, fn, fp map[pii.Kind]int
	}{
		{"exact", []pii.Span{iban(3, 10)}, []pii.Span{iban(3, 10)}, map[pii.Kind]int{pii.IBAN: 1}, map[pii.Kind]int{}, map[pii.Kind]int{}},
		{"overlap", []pii.Span{iban(3, 10)}, []pii.Span{iban(8, 14)}, map[pii.Kind]int{pii.IBAN: 1}, map[pii.Kind]int{}, map[pii.Kind]int{}},
		{"adjacent is not overlap", []pii.Span{iban(3, 10)}, []pii.Span{iban(10, 14)}, map[pii.Kind]int{}, map[pii.Kind]int{pii.IBAN: 1}, map[pii.Kind]int{pii.IBAN: 1}},
		{"wrong kind", []pii.Span{iban(3, 10)}, []pii.Span{{Kind: pii.Card, Start: 3, End: 10}}, map[pii.Kind]int{}, map[pii.Kind]int{pii.IBAN: 1}, map[pii.Kind]int{pii.Card: 1}},
		{"missed", []pii.Span{iban(3, 10)}, nil, map[pii.Kind]int{}, map[pii.Kind]int{pii.IBAN: 1}, map[pii.Kind]int{}},
		{"false alarm", nil, []pii.Span{iban(3, 10)}, map[pii.Kind]int{}, map[pii.Kind]int{}, map[pii.Kind]int{pii.IBAN: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, fn, fp := MatchSpans(tt.want, tt.got)
			if !reflect.DeepEqual(tp, tt.tp) || !reflect.DeepEqual(fn, tt.fn) || !reflect.DeepEqual(fp, tt.fp) {
				t.Errorf("MatchSpans = %v %v %v, want %v %v %v", tp, fn, fp, tt.tp, tt.fn, tt.fp)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Microsecond)
	}
	tests := []struct {
		d    []time.Duration
		p    float64
		want float64
	}{
		{d, 0.50, 50},
		{d, 0.99, 99},
		{d, 1, 100},
		{d[:1], 0.99, 100},
		{nil, 0.5, 0},
	}
	for _, tt := range tests {
		if got := percentileUS(tt.d, tt.p); got != tt.want {
			t.Errorf("percentileUS(%d durations, %v) = %v, want %v", len(tt.d), tt.p, got, tt.want)
		}
	}
}

func TestResultJSON(t *testing.T) {
	// Only in-scope messages: the out-of-scope and personal-data rates have
	// no denominator and must be null, never NaN.
	cases := []Case{{Text: "a1", Expect: "a"}, {Text: "a2", Expect: "a"}}
	r, err := Run(fakeEngine{replies: map[string]lotse.Reply{"a1": answer("a", 0.9), "a2": answer("b", 0.8)}}, cases)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	for _, k := range []string{"in_scope_accuracy", "oos_recall", "oos_precision", "wrong_answer_rate", "deflection",
		"pii_recall", "pii_false_positive_rate", "p50_us", "p99_us", "engine", "per_intent", "ece", "pii_per_kind"} {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing in %s", k, b)
		}
	}
	if m["in_scope_accuracy"] != 0.5 || m["wrong_answer_rate"] != 0.5 || m["engine"] != "fake" {
		t.Errorf("in_scope_accuracy %v, wrong_answer_rate %v, engine %v", m["in_scope_accuracy"], m["wrong_answer_rate"], m["engine"])
	}
	for _, k := range []string{"oos_recall", "oos_precision", "pii_recall", "pii_false_positive_rate"} {
		if m[k] != nil {
			t.Errorf("%s = %v, want null", k, m[k])
		}
	}
	if strings.Contains(string(b), "NaN") {
		t.Errorf("NaN in JSON: %s", b)
	}
	// DESIGN.md's keys come first, in its order.
	if !strings.HasPrefix(string(b), `{"in_scope_accuracy":0.5,"oos_recall":null,"oos_precision":null,"wrong_answer_rate":0.5,"deflection":0.5,"pii_recall":null,"pii_false_positive_rate":null,"p50_us":`) {
		t.Errorf("JSON starts %s", b[:min(len(b), 200)])
	}
}
