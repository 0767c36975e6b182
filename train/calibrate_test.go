package train

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/modelfile"
)

// TestChooseThreshold checks the budget arithmetic: the threshold is the
// confidence of the first in-scope example that the budget does not
// reject, and the out-of-scope class's own rejections count against it.
func TestChooseThreshold(t *testing.T) {
	var preds []oof
	for i := range 10 { // in-scope confidences 0.1 ... 1.0
		preds = append(preds, oof{p: float64(i+1) / 10, correct: true})
	}
	taken := append(preds[:10:10], oof{oosTop: true}, oof{oosTop: true})
	withOOS := append(preds[:10:10], oof{p: 0.05, oos: true})
	for _, tc := range []struct {
		name   string
		preds  []oof
		budget float64
		want   float64
		why    string
	}{
		{"budget below one example", preds, 0.05, 0, NoThresholdFewExamples},
		{"one example", preds, 0.1, 0.2, ""},
		{"three examples", preds, 0.3, 0.4, ""},
		{"the class took two of three", taken, 0.25, 0.2, ""},
		{"the class took the whole budget", taken, 0.1, 0, NoThresholdOOSClass},
		{"out-of-scope examples do not count", withOOS, 0.1, 0.2, ""},
	} {
		if got, why := chooseThreshold(tc.preds, tc.budget); got != tc.want || why != tc.why {
			t.Errorf("%s: budget %v: threshold %v (%q), want %v (%q)", tc.name, tc.budget, got, why, tc.want, tc.why)
		}
	}
}

// TestTrainRejectBudget trains one bot at two budgets and refuses budgets
// out of range.
func TestTrainRejectBudget(t *testing.T) {
	b := topicBot(60, "weather", "alarm", "music", "email", "recipe", "traffic")
	_, low, err := Train(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, high, err := Train(b, Options{RejectBudget: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if !(high.Threshold > low.Threshold) || !(high.CVAccuracy < low.CVAccuracy) {
		t.Errorf("budget 0.2: threshold %.3f, accuracy %.3f; default: %.3f, %.3f; want a higher threshold and lower accuracy",
			high.Threshold, high.CVAccuracy, low.Threshold, low.CVAccuracy)
	}
	for _, budget := range []float64{-0.1, 0.6} {
		_, _, err := Train(b, Options{RejectBudget: budget})
		if err == nil || !strings.Contains(err.Error(), "reject budget") || !strings.Contains(err.Error(), "at most 0.5") {
			t.Errorf("budget %v: error %v, want one naming the range", budget, err)
		}
	}
}

// TestCalibrationAt checks that a threshold set by hand replaces the
// budget's, and that the figures reported are those at it.
func TestCalibrationAt(t *testing.T) {
	preds := []oof{
		{p: 0.9, correct: true},
		{p: 0.4, correct: true},
		{p: 0.2, correct: false},
		{p: 0.3, oos: true},
		{p: 0.6, oos: true},
		{oos: true, oosTop: true},
	}
	budget := calibration{sharpness: 2, threshold: 0, noThreshold: NoThresholdOOSClass, ece: 0.1, preds: preds}
	budget.accuracy, budget.oosRecall = rates(preds, 0)
	for _, tc := range []struct {
		t           float64
		acc, recall float64
		why         string
	}{
		{0.35, 2.0 / 3, 2.0 / 3, "0.4 and 0.9 answered rightly; the 0.3 out-of-scope example and the class's one handed off"},
		{0.5, 1.0 / 3, 2.0 / 3, "only 0.9 answered"},
		{0.95, 0, 1, "nothing answered"},
	} {
		got := budget.at(tc.t)
		if got.threshold != tc.t || got.noThreshold != "" || got.accuracy != tc.acc || got.oosRecall != tc.recall {
			t.Errorf("at(%v): threshold %v (%q), accuracy %v, recall %v; want %v (\"\"), %v, %v: %s",
				tc.t, got.threshold, got.noThreshold, got.accuracy, got.oosRecall, tc.t, tc.acc, tc.recall, tc.why)
		}
		if got.sharpness != budget.sharpness || got.ece != budget.ece {
			t.Errorf("at(%v) changed the calibration: sharpness %v, ECE %v", tc.t, got.sharpness, got.ece)
		}
	}
}

// TestTrainThreshold trains a bot with a threshold set by hand: the model
// is the budget's with only its threshold changed, the same bytes each
// time, and the report says so.
func TestTrainThreshold(t *testing.T) {
	b := topicBot(60, "weather", "alarm", "music", "email", "recipe", "traffic")
	data, rep, err := Train(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ThresholdByHand || rep.Threshold == 0 {
		t.Fatalf("default: threshold %v, by hand %v; want one from the budget", rep.Threshold, rep.ThresholdByHand)
	}
	const p = 0.3
	got, r, err := Train(b, Options{Threshold: p})
	if err != nil {
		t.Fatal(err)
	}
	if r.Threshold != p || !r.ThresholdByHand || r.NoThreshold != "" || r.Solver != rep.Solver || r.ECE != rep.ECE {
		t.Errorf("report threshold %v (by hand %v, %q), solver %s, ECE %.3f; default: solver %s, ECE %.3f",
			r.Threshold, r.ThresholdByHand, r.NoThreshold, r.Solver, r.ECE, rep.Solver, rep.ECE)
	}
	m, err := modelfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	m.Threshold = p
	if !bytes.Equal(got, modelfile.Encode(m)) {
		t.Error("the model differs from the default one in more than its threshold")
	}
	if again, _, _ := Train(b, Options{Threshold: p}); !bytes.Equal(again, got) {
		t.Error("two trainings gave different models")
	}
	for _, p := range []float64{-0.1, 1, 1.5, math.NaN()} {
		_, _, err := Train(b, Options{Threshold: p})
		if err == nil || !strings.Contains(err.Error(), "threshold") || !strings.Contains(err.Error(), "below 1") {
			t.Errorf("threshold %v: error %v, want one naming the range", p, err)
		}
	}
}

// TestTrainThresholdOOSClass trains, with thresholds set by hand, a bot
// whose out-of-scope class takes the whole rejection budget, so that no
// budget-derived threshold exists (a dozen of the demo bot's intents and
// all its out_of_scope examples). The report gives cross-validation's
// figures at each threshold, and the background out-of-scope examples
// training leaves out without one stay: they are left out for want of a
// threshold, and the author has given one.
func TestTrainThresholdOOSClass(t *testing.T) {
	b, err := bot.Load("../testdata/bots/demo/bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b.Intents = b.Intents[:12]
	_, rep, err := Train(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Threshold != 0 || rep.NoThreshold != NoThresholdOOSClass || rep.Background != 0 || rep.BackgroundDropped == 0 {
		t.Fatalf("default: threshold %v (%q), %d background examples, %d left out; want none, %q, none and some",
			rep.Threshold, rep.NoThreshold, rep.Background, rep.BackgroundDropped, NoThresholdOOSClass)
	}
	var prev *Report
	for _, p := range []float64{0.3, 0.6, 0.9} {
		_, r, err := Train(b, Options{Threshold: p})
		if err != nil {
			t.Fatal(err)
		}
		if r.Threshold != p || !r.ThresholdByHand || r.NoThreshold != "" {
			t.Errorf("threshold %v: report threshold %v (by hand %v, %q)", p, r.Threshold, r.ThresholdByHand, r.NoThreshold)
		}
		if r.Background == 0 || r.BackgroundDropped != 0 || r.BackgroundDroppedWhy != "" {
			t.Errorf("threshold %v: %d background examples, %d left out (%q); want them kept", p, r.Background, r.BackgroundDropped, r.BackgroundDroppedWhy)
		}
		// One classifier and calibration, so a higher threshold hands off
		// more of the same held-out examples: fewer in-scope answers, at
		// least as many out_of_scope examples caught.
		if prev != nil && (!(r.CVAccuracy < prev.CVAccuracy) || r.CVOOSRecall < prev.CVOOSRecall || r.Solver != prev.Solver || r.ECE != prev.ECE) {
			t.Errorf("threshold %v: accuracy %.3f, recall %.3f (%s, ECE %.3f); at %v: %.3f, %.3f (%s, ECE %.3f)", p, r.CVAccuracy, r.CVOOSRecall, r.Solver, r.ECE,
				prev.Threshold, prev.CVAccuracy, prev.CVOOSRecall, prev.Solver, prev.ECE)
		}
		prev = r
	}
}
