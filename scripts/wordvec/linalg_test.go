package main

import (
	"math"
	"testing"
)

// TestEigenSym checks A v = lambda v for every eigenpair and the
// eigenvalues of matrices whose spectrum is known.
func TestEigenSym(t *testing.T) {
	tests := []struct {
		name string
		a    [][]float64
		want []float64 // eigenvalues, any order
	}{
		{"diagonal", [][]float64{{3, 0}, {0, -1}}, []float64{3, -1}},
		{"2x2", [][]float64{{2, 1}, {1, 2}}, []float64{3, 1}},
		{"3x3", [][]float64{{4, 1, 0}, {1, 4, 1}, {0, 1, 4}}, []float64{4 + math.Sqrt2, 4, 4 - math.Sqrt2}},
	}
	for _, tt := range tests {
		a := clone(tt.a)
		values, vectors := eigenSym(clone(tt.a))
		for i, lambda := range values {
			for r := range a {
				av := 0.0
				for c := range a {
					av += a[r][c] * vectors[c][i]
				}
				if math.Abs(av-lambda*vectors[r][i]) > 1e-9 {
					t.Errorf("%s: pair %d: (Av)[%d] = %v, lambda v = %v", tt.name, i, r, av, lambda*vectors[r][i])
				}
			}
		}
		for _, w := range tt.want {
			if !containsNear(values, w) {
				t.Errorf("%s: eigenvalues %v lack %v", tt.name, values, w)
			}
		}
	}
}

// TestPrincipalAxes: points spread along (1,1) and a little along (1,-1)
// have (1,1)/sqrt2 as first axis.
func TestPrincipalAxes(t *testing.T) {
	rows := [][]float64{{2, 2}, {-2, -2}, {0.1, -0.1}, {-0.1, 0.1}}
	axes := principalAxes(rows, 1)
	if got := math.Abs(axes[0][0] * axes[0][1]); math.Abs(got-0.5) > 1e-9 || axes[0][0]*axes[0][1] < 0 {
		t.Errorf("first axis %v, want ±(1,1)/√2", axes[0])
	}
}

// TestFit compares the conjugate-gradient fit with the closed form of a
// problem small enough to solve by hand: one word w alone in a sentence
// with target 1, pulled by lambda towards 0, gives w = 1/(1+lambda); a word
// no sentence uses keeps its start vector.
func TestFit(t *testing.T) {
	rows := [][]int{{0}, {0, 1}}
	// sentence 0: w0 -> 1; sentence 1: (w0+w1)/2 -> 1.
	targets := [][]float64{{1}, {1}}
	e0 := [][]float64{{0}, {0}, {7}}
	const lambda = 0.5
	got := fit(rows, targets, e0, lambda, 10)
	// Normal equations: (1 + 1/4 + l) w0 + 1/4 w1 = 1 + 1/2; 1/4 w0 + (1/4 + l) w1 = 1/2.
	a, b, c, d := 1.25+lambda, 0.25, 0.25, 0.25+lambda
	det := a*d - b*c
	w0 := (1.5*d - b*0.5) / det
	w1 := (a*0.5 - c*1.5) / det
	for i, want := range []float64{w0, w1, 7} {
		if math.Abs(got[i][0]-want) > 1e-9 {
			t.Errorf("word %d: got %v, want %v", i, got[i][0], want)
		}
	}
}

func clone(a [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = append([]float64(nil), a[i]...)
	}
	return out
}

func containsNear(values []float64, w float64) bool {
	for _, v := range values {
		if math.Abs(v-w) < 1e-9 {
			return true
		}
	}
	return false
}
