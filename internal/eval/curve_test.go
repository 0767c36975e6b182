package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/pii"
)

// TestSweep checks the curve against figures worked out by hand. The
// replies are those of a model with threshold 0.
func TestSweep(t *testing.T) {
	withPII := handoff("a", lotse.PersonalData, 0.2)
	withPII.PII = []pii.Span{{Kind: pii.Email, Start: 0, End: 5}}
	cases := []Case{
		{Text: "a1", Expect: "a", Line: 1},        // right up to 0.9
		{Text: "a2", Expect: "a", Line: 2},        // answered as b (0.4): a wrong answer until rejected
		{Text: "a3", Expect: "a", Line: 3},        // right up to 0.3
		{Text: "h1", Expect: "h", Line: 4},        // handoff intent, right up to 0.6
		{Text: "p1", Expect: "a", Line: 5},        // personal data: no threshold rejects it
		{Text: "o1", Expect: OutOfScope, Line: 6}, // the out-of-scope class: caught at any threshold
		{Text: "o2", Expect: OutOfScope, Line: 7}, // answered as a (0.5) until rejected
		{Text: "o3", Expect: OutOfScope, Line: 8}, // answered as b (0.35) until rejected
		{Text: "n1", Line: 9},                     // no expect: not scored
	}
	e := fakeEngine{replies: map[string]lotse.Reply{
		"a1": answer("a", 0.9), "a2": answer("b", 0.4), "a3": answer("a", 0.3),
		"h1": handoff("h", lotse.HandoffIntent, 0.6), "p1": withPII,
		"o1": handoff("a", lotse.OutOfScope, 0.7), "o2": answer("a", 0.5), "o3": answer("b", 0.35),
		"n1": answer("a", 0.1),
	}}
	cv, err := Sweep(e, cases, 0.45)
	if err != nil {
		t.Fatal(err)
	}
	pt := func(th float64, in, oos, wrong int) Point {
		return Point{th, Ratio{in, 5}, Ratio{oos, 3}, Ratio{wrong, 8}}
	}
	wantPoints := []Point{
		pt(0, 4, 1, 3), pt(0.1, 4, 1, 3), pt(0.2, 4, 1, 3), pt(0.3, 4, 1, 3),
		pt(0.4, 3, 2, 2), pt(0.45, 3, 2, 1), pt(0.5, 3, 2, 1), pt(0.6, 3, 3, 0),
		pt(0.7, 2, 3, 0), pt(0.8, 2, 3, 0), pt(0.9, 2, 3, 0),
	}
	if !reflect.DeepEqual(cv.Points, wantPoints) {
		t.Errorf("points:\n got %v\nwant %v", cv.Points, wantPoints)
	}
	wantBest := []Best{
		{0.5, pt(0.38, 3, 2, 2)}, {0.6, pt(0.38, 3, 2, 2)}, {0.7, pt(0.55, 3, 3, 0)},
		{0.75, pt(0.55, 3, 3, 0)}, {0.8, pt(0.55, 3, 3, 0)}, {0.9, pt(0.55, 3, 3, 0)},
	}
	if !reflect.DeepEqual(cv.Best, wantBest) {
		t.Errorf("best:\n got %v\nwant %v", cv.Best, wantBest)
	}

	var buf bytes.Buffer
	cv.Summary(&buf)
	for _, want := range []string{"*     0.450              0.600       0.667          0.125", "recall >= 0.70: 0.6000 (recall 1.0000, threshold 0.55)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, buf.String())
		}
	}
	data, err := json.Marshal(&Result{Curve: cv})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"curve":{"threshold":0.45,"points":[{"threshold":0,"in_scope_accuracy":0.8,"oos_recall":0.3333,"wrong_answer_rate":0.375}`,
		`"best":[{"min_oos_recall":0.5,"threshold":0.38,"in_scope_accuracy":0.6,"oos_recall":0.6667,"wrong_answer_rate":0.25}`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
}

// TestSweepWithoutOutOfScope: a file without out-of-scope cases has no
// best points, and its recall is undefined.
func TestSweepWithoutOutOfScope(t *testing.T) {
	e := fakeEngine{replies: map[string]lotse.Reply{"a1": answer("a", 0.9)}}
	cv, err := Sweep(e, []Case{{Text: "a1", Expect: "a", Line: 1}}, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	// 0.3 is one of the ten grid thresholds: no point is added for it.
	if len(cv.Best) != 0 || len(cv.Points) != 10 || cv.Points[0].OOSRecall.Value().OK {
		t.Errorf("best %v, %d points, first %+v", cv.Best, len(cv.Points), cv.Points[0])
	}
	if _, err := Sweep(e, []Case{{Text: "unknown", Expect: "a", Line: 7}}, 0.3); err == nil || !strings.Contains(err.Error(), "line 7") {
		t.Errorf("engine error: %v, want one naming line 7", err)
	}
}

// TestSweepMatchesRun: each point of the curve of the trained demo bot is
// what Run measures on the same model with that threshold, so the sweep's
// rule is the engine's.
func TestSweepMatchesRun(t *testing.T) {
	data := demoModel(t)
	cases, err := ReadCases("../../testdata/bots/demo/test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modelfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	withThreshold := func(th float32) *lotse.Model {
		f.Threshold = th
		m, err := lotse.Load(modelfile.Encode(f))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	own := f.Threshold
	cv, err := Sweep(Native(withThreshold(0)), cases, float64(own))
	if err != nil {
		t.Fatal(err)
	}
	if cv.Threshold != float64(own) {
		t.Errorf("curve threshold %v, model's %v", cv.Threshold, own)
	}
	for _, p := range cv.Points {
		r, err := Run(Native(withThreshold(float32(p.Threshold))), cases)
		if err != nil {
			t.Fatal(err)
		}
		if p.InScopeAccuracy != r.InScopeAccuracy || p.OOSRecall != r.OOSRecall || p.WrongAnswerRate != r.WrongAnswerRate {
			t.Errorf("threshold %v: curve %v %v %v, Run %v %v %v", p.Threshold, p.InScopeAccuracy, p.OOSRecall,
				p.WrongAnswerRate, r.InScopeAccuracy, r.OOSRecall, r.WrongAnswerRate)
		}
	}
	for _, b := range cv.Best {
		// The threshold printed is one a model can be trained with.
		r, err := Run(Native(withThreshold(float32(b.Threshold))), cases)
		if err != nil {
			t.Fatal(err)
		}
		if b.InScopeAccuracy != r.InScopeAccuracy || b.OOSRecall != r.OOSRecall || b.WrongAnswerRate != r.WrongAnswerRate {
			t.Errorf("best at recall %v, threshold %v: %v %v %v, Run %v %v %v", b.MinRecall, b.Threshold, b.InScopeAccuracy,
				b.OOSRecall, b.WrongAnswerRate, r.InScopeAccuracy, r.OOSRecall, r.WrongAnswerRate)
		}
		for _, p := range cv.Points {
			if p.OOSRecall.Value().V >= b.MinRecall && p.InScopeAccuracy.Hits > b.InScopeAccuracy.Hits {
				t.Errorf("best at recall %v: %v, but threshold %v gives %v", b.MinRecall, b.InScopeAccuracy, p.Threshold, p.InScopeAccuracy)
			}
		}
	}
}

func TestBetween(t *testing.T) {
	tests := []struct{ lo, hi, want float64 }{
		{0.35, 0.4, 0.38},
		{0.5, 0.6, 0.55},
		{0.1, 0.9, 0.5},
		{0.187819, 0.18782, 0.1878195}, // one step of a Reply's 6 decimals apart
		{0.42, 1, 0.7},                 // above every confidence
		{1, 1, 1 + 1e-9},               // nothing lies above 1
	}
	for _, tt := range tests {
		got := between(tt.lo, tt.hi)
		if math.Abs(got-tt.want) > 1e-12 || got <= tt.lo || (tt.hi > tt.lo && got >= tt.hi) {
			t.Errorf("between(%v, %v) = %v, want %v", tt.lo, tt.hi, got, tt.want)
		}
	}
}
