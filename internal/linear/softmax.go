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
// The shards' gradients are summed, scaled and regularized in one pass:
// with hundreds of thousands of features times the classes, passes over
// the weights cost as much as the examples (the same holds in lbfgs).
func (s *softmax) eval(w, g []float64) float64 {
	var wg sync.WaitGroup
	for t := range softmaxParts {
		wg.Go(func() { s.evalPart(t, w) })
	}
	wg.Wait()
	f := s.loss[0]
	for t := 1; t < softmaxParts; t++ {
		f += s.loss[t]
	}
	n := float64(len(s.p.X))
	f /= n
	biases := (s.row - 1) * s.k // not regularized
	for j := range g {
		v := s.grads[0][j]
		for t := 1; t < softmaxParts; t++ {
			v += s.grads[t][j]
		}
		v /= n
		if j < biases {
			f += 0.5 * s.lambda * w[j] * w[j]
			v += s.lambda * w[j]
		}
		g[j] = v
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
	var sy, yy []float64
	alpha := make([]float64, lbfgsMemory)
	fw := f(w, g)
	for range maxIter {
		gd := direction(dir, g, sHist, yHist, sy, yy, alpha)
		if gd <= 0 { // not a descent direction: restart from the gradient
			copy(dir, g)
			gd = dot64(g, g)
			sHist, yHist, sy, yy = nil, nil, nil, nil
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
			sHist, yHist, sy, yy = sHist[1:], yHist[1:], sy[1:], yy[1:]
		} else {
			sv, yv = make([]float64, dim), make([]float64, dim)
		}
		var svy, yvy float64
		for j := range w {
			sv[j], yv[j] = wn[j]-w[j], gn[j]-g[j]
			svy += sv[j] * yv[j]
			yvy += yv[j] * yv[j]
		}
		w, wn = wn, w
		g, gn = gn, g
		gain := fw - fn
		fw = fn
		if svy > 1e-12 {
			sHist, yHist, sy, yy = append(sHist, sv), append(yHist, yv), append(sy, svy), append(yy, yvy)
		}
		if gain < 1e-7*max(1, math.Abs(fw)) {
			break
		}
	}
	return w
}

// direction writes H g into dir by L-BFGS's two-loop recursion over the
// pairs (s, y), whose products s.y and y.y are sy and yy, and returns
// g.dir. Each pass over dir both applies one pair and takes the dot
// product the next pair needs, so a pair costs one pass in each loop.
func direction(dir, g []float64, sHist, yHist [][]float64, sy, yy, alpha []float64) float64 {
	copy(dir, g)
	l := len(sHist)
	if l == 0 {
		return dot64(g, dir)
	}
	alpha[l-1] = 1 / sy[l-1] * dot64(sHist[l-1], dir)
	for j := l - 1; j >= 0; j-- {
		// dir -= alpha_j y_j, and the dot product of s_{j-1} with the result.
		d, y := -alpha[j], yHist[j][:len(dir)]
		if j == 0 {
			axpy64(dir, d, y)
			break
		}
		next := sHist[j-1][:len(dir)]
		var dot float64
		for i := range dir {
			dir[i] += d * y[i]
			dot += next[i] * dir[i]
		}
		alpha[j-1] = 1 / sy[j-1] * dot
	}
	// dir *= s.y / y.y, and the dot product of y_0 with the result.
	scale, y0 := sy[l-1]/yy[l-1], yHist[0][:len(dir)]
	var dot float64
	for i := range dir {
		dir[i] *= scale
		dot += y0[i] * dir[i]
	}
	for j := range l {
		// dir += (alpha_j - rho_j y_j.dir) s_j, and the next pair's dot product
		// (after the last pair, g.dir).
		c, sj := alpha[j]-1/sy[j]*dot, sHist[j][:len(dir)]
		next := g[:len(dir)]
		if j+1 < l {
			next = yHist[j+1][:len(dir)]
		}
		dot = 0
		for i := range dir {
			dir[i] += c * sj[i]
			dot += next[i] * dir[i]
		}
	}
	return dot
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
