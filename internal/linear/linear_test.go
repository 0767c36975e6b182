package linear

import (
	"testing"

	"github.com/lotse-chat/lotse/internal/features"
)

// TestTrainSeparable trains on three classes that each own one feature and
// share a noise feature (and a dense part that carries the class too):
// with either solver, every training example must score its own class
// highest, and the result must not depend on the run.
func TestTrainSeparable(t *testing.T) {
	p := &Problem{Classes: 3, Dim: 4, DenseDim: 2}
	for i := range 30 {
		c := i % 3
		p.X = append(p.X, []features.Feature{{Index: uint32(c), Value: 0.9}, {Index: 3, Value: 0.43}})
		p.Dense = append(p.Dense, []float32{float32(c) / 2, 0.1})
		p.Y = append(p.Y, c)
	}
	prm := Params{C: 1, Eps: 0.01, MaxIter: 100, Seed: 1}
	for _, tc := range []struct {
		name  string
		train func(*Problem, Params) Weights
	}{{"svm", Train}, {"softmax", TrainSoftmax}} {
		t.Run(tc.name, func(t *testing.T) { checkSeparable(t, p, tc.train(p, prm), tc.train(p, prm)) })
	}
}

func checkSeparable(t *testing.T, p *Problem, w, again Weights) {
	scores := make([]float64, 3)
	for i, x := range p.X {
		w.Scores(x, p.Dense[i], p.Dim, scores)
		best := 0
		for c := range scores {
			if scores[c] > scores[best] {
				best = c
			}
		}
		if best != p.Y[i] {
			t.Fatalf("example %d scored %v, want class %d highest", i, scores, p.Y[i])
		}
	}
	for c := range w {
		for j := range w[c] {
			if w[c][j] != again[c][j] {
				t.Fatal("training twice gave different weights")
			}
		}
	}
}
