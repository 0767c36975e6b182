package lotse

import (
	"math"
	"testing"
)

// TestSoftmax compares softmax, which computes its own exponentials, with
// one on math.Exp, over logits from 0 down to below exp's normal range.
func TestSoftmax(t *testing.T) {
	logits := []float64{3, 2.999, 0, -1e-9, -0.3466, -1, -2.5, -10, -37.2, -100, -699, -703, -800}
	got := append([]float64(nil), logits...)
	softmax(got, 3)
	want := make([]float64, len(logits))
	var sum float64
	for c, v := range logits {
		want[c] = math.Exp(v - 3)
		sum += want[c]
	}
	for c := range want {
		want[c] /= sum
		// Below e^-700 softmax gives 0: an absolute error under 1e-300.
		if math.Abs(got[c]-want[c]) > 1e-10*want[c]+1e-300 {
			t.Errorf("class %d (logit %v): got %v, want %v", c, logits[c], got[c], want[c])
		}
	}
}
