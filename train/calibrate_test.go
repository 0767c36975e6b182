package train

import (
	"strings"
	"testing"
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
