package linear

import (
	"math/rand/v2"
	"testing"
)

// TestDirection checks the fused two-loop recursion against the textbook
// one (Nocedal and Wright, algorithm 7.4), for every number of pairs L-BFGS
// keeps. The operations run in the same order, so the results must be
// equal to the bit: training stays deterministic and gives the models it
// gave before the loops were fused.
func TestDirection(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const dim = 37
	vec := func() []float64 {
		v := make([]float64, dim)
		for i := range v {
			v[i] = r.NormFloat64()
		}
		return v
	}
	for l := range lbfgsMemory + 1 {
		g := vec()
		var sHist, yHist [][]float64
		var rho, sy, yy []float64 // rho only for the textbook loops
		for range l {
			s, y := vec(), vec()
			for i := range y {
				y[i] = s[i] + 0.3*y[i] // keeps s.y positive, as curvature pairs are
			}
			sHist, yHist = append(sHist, s), append(yHist, y)
			rho, sy, yy = append(rho, 1/dot64(s, y)), append(sy, dot64(s, y)), append(yy, dot64(y, y))
		}
		want := make([]float64, dim)
		copy(want, g)
		alpha := make([]float64, l)
		for j := l - 1; j >= 0; j-- {
			alpha[j] = rho[j] * dot64(sHist[j], want)
			axpy64(want, -alpha[j], yHist[j])
		}
		if l > 0 {
			scale := dot64(sHist[l-1], yHist[l-1]) / dot64(yHist[l-1], yHist[l-1])
			for i := range want {
				want[i] *= scale
			}
		}
		for j := range l {
			axpy64(want, alpha[j]-rho[j]*dot64(yHist[j], want), sHist[j])
		}
		wantGD := dot64(g, want)

		dir := make([]float64, dim)
		gd := direction(dir, g, sHist, yHist, sy, yy, make([]float64, lbfgsMemory))
		if gd != wantGD {
			t.Errorf("%d pairs: g.dir %v, want %v", l, gd, wantGD)
		}
		for i := range dir {
			if dir[i] != want[i] {
				t.Errorf("%d pairs: dir[%d] = %v, want %v", l, i, dir[i], want[i])
				break
			}
		}
	}
}
