package linear

import (
	"math"
	"sync"
)

// TrainSoftmax trains a multinomial logistic regression: it minimizes the
// mean cross-entropy of the softmax over all classes plus lambda/2 |w|^2
// (the biases are not penalized), with lambda = 1/(C n) for n examples, by
// L-BFGS. Unlike one-vs-rest SVMs, all classes compete for every example,
// which pays when each class has only a few examples. prm.MaxIter bounds the
// L-BFGS iterations; prm.Seed is not used (the method is deterministic).
// The result does not depend on the number of CPUs.
func TrainSoftmax(p *Problem, prm Params) Weights {
	s := newSoftmax(p, 1/(prm.C*float64(len(p.X))))
	w := lbfgs(s.eval, s.k*s.row, prm.MaxIter)
	out := make(Weights, s.k)
	for c := range out {
		out[c] = make([]float32, s.row)
		for j := range s.row {
			out[c][j] = float32(w[j*s.k+c])
		}
	}
	return out
}

// softmaxParts is the number of example shards whose gradients are summed
// in a fixed order: fixed, so that the sums do not depend on the CPUs.
const softmaxParts = 2

// softmax is the objective. Weights are feature-major, w[f*k+c] for
// feature f and class c (f = row-1 is the bias), so that an example's few
// features address contiguous runs of k weights.
type softmax struct {
	p      *Problem
	k, row int
	lambda float64
	grads  [softmaxParts][]float64
	loss   [softmaxParts]float64
}

func newSoftmax(p *Problem, lambda float64) *softmax {
	s := &softmax{p: p, k: p.Classes, row: p.Dim + p.DenseDim + 1, lambda: lambda}
	for t := range s.grads {
		s.grads[t] = make([]float64, s.k*s.row)
	}
	return s
}

// eval returns the objective at w and writes its gradient into g.
func (s *softmax) eval(w, g []float64) float64 {
	var wg sync.WaitGroup
	for t := range softmaxParts {
		wg.Go(func() { s.evalPart(t, w) })
	}
	wg.Wait()
	copy(g, s.grads[0])
	f := s.loss[0]
	for t := 1; t < softmaxParts; t++ {
		axpy64(g, 1, s.grads[t])
		f += s.loss[t]
	}
	n := float64(len(s.p.X))
	f /= n
	for j := range g {
		g[j] /= n
	}
	for j, v := range w[:(s.row-1)*s.k] { // not the biases
		f += 0.5 * s.lambda * v * v
		g[j] += s.lambda * v
	}
	return f
}

// evalPart sums the loss and gradient of examples t, t+parts, ...
func (s *softmax) evalPart(t int, w []float64) {
	p, k := s.p, s.k
	g := s.grads[t]
	clear(g)
	q := make([]float64, k)
	var loss float64
	bias := (s.row - 1) * k
	for i := t; i < len(p.X); i += softmaxParts {
		copy(q, w[bias:bias+k])
		for _, f := range p.X[i] {
			axpy64(q, float64(f.Value), w[int(f.Index)*k:int(f.Index+1)*k])
		}
		for j, v := range p.dense(i) {
			axpy64(q, float64(v), w[(p.Dim+j)*k:(p.Dim+j+1)*k])
		}
		m := math.Inf(-1)
		for _, v := range q {
			m = max(m, v)
		}
		var z float64
		for c := range q {
			q[c] = math.Exp(q[c] - m)
			z += q[c]
		}
		loss += math.Log(z) - math.Log(q[p.Y[i]])
		for c := range q {
			q[c] /= z
		}
		q[p.Y[i]]-- // q is now the gradient of the loss by the scores
		axpy64(g[bias:bias+k], 1, q)
		for _, f := range p.X[i] {
			axpy64(g[int(f.Index)*k:int(f.Index+1)*k], float64(f.Value), q)
		}
		for j, v := range p.dense(i) {
			axpy64(g[(p.Dim+j)*k:(p.Dim+j+1)*k], float64(v), q)
		}
	}
	s.loss[t] = loss
}

// lbfgsMemory is the number of correction pairs L-BFGS keeps.
const lbfgsMemory = 5

// lbfgs minimizes f from 0 and returns the minimizer; f returns the value
// at its first argument and writes the gradient into its second. It stops
// after maxIter iterations or when an iteration improves f by less than a
// relative 1e-7.
func lbfgs(f func(w, g []float64) float64, dim, maxIter int) []float64 {
	w, g := make([]float64, dim), make([]float64, dim)
	wn, gn, dir := make([]float64, dim), make([]float64, dim), make([]float64, dim)
	var sHist, yHist [][]float64
	var rho []float64
	alpha := make([]float64, lbfgsMemory)
	fw := f(w, g)
	for range maxIter {
		// dir = H g by the two-loop recursion.
		copy(dir, g)
		for j := len(sHist) - 1; j >= 0; j-- {
			alpha[j] = rho[j] * dot64(sHist[j], dir)
			axpy64(dir, -alpha[j], yHist[j])
		}
		if l := len(sHist); l > 0 {
			scale64(dir, dot64(sHist[l-1], yHist[l-1])/dot64(yHist[l-1], yHist[l-1]))
		}
		for j := range sHist {
			axpy64(dir, alpha[j]-rho[j]*dot64(yHist[j], dir), sHist[j])
		}
		gd := dot64(g, dir)
		if gd <= 0 { // not a descent direction: restart from the gradient
			copy(dir, g)
			gd = dot64(g, g)
			sHist, yHist, rho = nil, nil, nil
		}
		if gd == 0 {
			break
		}
		step := 1.0
		if len(sHist) == 0 {
			step = 1 / math.Sqrt(gd)
		}
		var fn float64
		descent := false
		for try := 0; try <= 30; try++ { // backtracking to the Armijo condition
			for j := range w {
				wn[j] = w[j] - step*dir[j]
			}
			fn = f(wn, gn)
			if descent = fn <= fw-1e-4*step*gd; descent {
				break
			}
			step /= 2
		}
		if !descent {
			break // no step improves f enough: keep w, the best point found
		}
		var sv, yv []float64
		if len(sHist) == lbfgsMemory { // reuse the oldest pair's memory
			sv, yv = sHist[0], yHist[0]
			sHist, yHist, rho = sHist[1:], yHist[1:], rho[1:]
		} else {
			sv, yv = make([]float64, dim), make([]float64, dim)
		}
		for j := range w {
			sv[j], yv[j] = wn[j]-w[j], gn[j]-g[j]
		}
		w, wn = wn, w
		g, gn = gn, g
		gain := fw - fn
		fw = fn
		if sy := dot64(sv, yv); sy > 1e-12 {
			sHist, yHist, rho = append(sHist, sv), append(yHist, yv), append(rho, 1/sy)
		}
		if gain < 1e-7*max(1, math.Abs(fw)) {
			break
		}
	}
	return w
}

func dot64(a, b []float64) float64 {
	var s float64
	b = b[:len(a)]
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// axpy64 adds d*x to y.
func axpy64(y []float64, d float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += d * x[i]
	}
}

func scale64(x []float64, d float64) {
	for i := range x {
		x[i] *= d
	}
}
