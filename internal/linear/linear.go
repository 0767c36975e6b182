// Package linear trains one-vs-rest linear support vector machines by dual
// coordinate descent (Hsieh et al. 2008, the solver behind LIBLINEAR's
// L2-regularized L2-loss SVC), which is fast on sparse text features.
package linear

import (
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/lotse-chat/lotse/internal/features"
)

// Problem is a training set: sparse rows, each optionally followed by a
// dense part, with class labels.
type Problem struct {
	// X holds each example's features; indexes are below Dim.
	X [][]features.Feature
	// Dense, when not nil, holds each example's dense part: DenseDim
	// values, or nil for none. Its weights follow the Dim sparse ones.
	// Kept apart from X so that the solver runs a tight loop over them.
	Dense    [][]float32
	DenseDim int
	// Y holds each example's class, in [0, Classes).
	Y       []int
	Classes int
	Dim     int
}

// Params tune training.
type Params struct {
	// C is the inverse regularization strength.
	C float64
	// Eps is the stopping tolerance on the projected gradient.
	Eps float64
	// MaxIter bounds the passes over the data per class.
	MaxIter int
	// Seed fixes the visiting order, making training deterministic.
	Seed uint64
}

// Weights are one dense weight row per class: Dim sparse weights, DenseDim
// dense weights, and last the bias (trained as the weight of a constant
// feature 1).
type Weights [][]float32

// Train trains one binary SVM per class (that class against the rest),
// classes in parallel. The result does not depend on the number of CPUs.
func Train(p *Problem, prm Params) Weights {
	w := make(Weights, p.Classes)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range next {
				w[c] = trainClass(p, c, prm)
			}
		})
	}
	for c := range p.Classes {
		next <- c
	}
	close(next)
	wg.Wait()
	return w
}

// trainClass solves the dual of min 1/2 |w|^2 + C sum max(0, 1 - y w.x)^2
// with shrinking, as LIBLINEAR's solve_l2r_l1l2_svc does.
func trainClass(p *Problem, class int, prm Params) []float32 {
	n := len(p.X)
	w := make([]float64, p.Dim+p.DenseDim+1)
	bias := len(w) - 1
	wd := w[p.Dim:bias] // dense weights
	alpha := make([]float64, n)
	qd := make([]float64, n)
	y := make([]float64, n)
	diag := 0.5 / prm.C
	for i, x := range p.X {
		y[i] = -1
		if p.Y[i] == class {
			y[i] = 1
		}
		qd[i] = diag + 1 // the bias feature
		for _, f := range x {
			qd[i] += float64(f.Value) * float64(f.Value)
		}
		for _, v := range p.dense(i) {
			qd[i] += float64(v) * float64(v)
		}
	}
	index := make([]int, n)
	for i := range index {
		index[i] = i
	}
	rng := rand.New(rand.NewPCG(prm.Seed, uint64(class)))
	active := n
	// pgMaxOld is the previous pass's largest projected gradient: a
	// variable at its bound whose gradient exceeds it is shrunk away.
	pgMaxOld := inf
	for iter := 0; iter < prm.MaxIter; iter++ {
		pgMax, pgMin := -inf, inf
		rng.Shuffle(active, func(i, j int) { index[i], index[j] = index[j], index[i] })
		for s := 0; s < active; s++ {
			i := index[s]
			x := p.X[i]
			g := w[bias] + dot(wd, p.dense(i))
			for _, f := range x {
				g += w[f.Index] * float64(f.Value)
			}
			g = g*y[i] - 1 + diag*alpha[i]
			pg := g
			if alpha[i] == 0 {
				if g > pgMaxOld {
					active--
					index[s], index[active] = index[active], index[s]
					s--
					continue
				}
				pg = min(g, 0)
			}
			pgMax, pgMin = max(pgMax, pg), min(pgMin, pg)
			if pg > 1e-12 || pg < -1e-12 {
				old := alpha[i]
				alpha[i] = max(old-g/qd[i], 0)
				d := (alpha[i] - old) * y[i]
				for _, f := range x {
					w[f.Index] += d * float64(f.Value)
				}
				axpy(wd, d, p.dense(i))
				w[bias] += d
			}
		}
		if pgMax-pgMin <= prm.Eps {
			if active == n {
				break
			}
			active = n
			pgMaxOld = inf
			continue
		}
		pgMaxOld = pgMax
		if pgMaxOld <= 0 {
			pgMaxOld = inf
		}
	}
	out := make([]float32, len(w))
	for i, v := range w {
		out[i] = float32(v)
	}
	return out
}

const inf = 1e300

// dense returns example i's dense part (nil when it has none).
func (p *Problem) dense(i int) []float32 {
	if p.Dense == nil {
		return nil
	}
	return p.Dense[i]
}

// dot returns w.x over x's length (w is at least as long). Four
// accumulators let the additions overlap; the remainder loop covers
// lengths that are not a multiple of 4.
func dot(w []float64, x []float32) float64 {
	var s0, s1, s2, s3 float64
	w = w[:len(x)]
	k := 0
	for ; k+3 < len(x); k += 4 {
		s0 += w[k] * float64(x[k])
		s1 += w[k+1] * float64(x[k+1])
		s2 += w[k+2] * float64(x[k+2])
		s3 += w[k+3] * float64(x[k+3])
	}
	for ; k < len(x); k++ {
		s0 += w[k] * float64(x[k])
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy adds d*x to w.
func axpy(w []float64, d float64, x []float32) {
	w = w[:len(x)]
	for k, v := range x {
		w[k] += d * float64(v)
	}
}

// Scores writes w.x + bias of every class into out, for sparse features x
// and dense part dense (nil for none) of a problem with sparse dimension dim.
func (w Weights) Scores(x []features.Feature, dense []float32, dim int, out []float64) {
	for c, row := range w {
		s := float64(row[len(row)-1])
		for _, f := range x {
			s += float64(row[f.Index]) * float64(f.Value)
		}
		for k, v := range dense {
			s += float64(row[dim+k]) * float64(v)
		}
		out[c] = s
	}
}
