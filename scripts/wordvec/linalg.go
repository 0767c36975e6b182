package main

import (
	"fmt"
	"math"
	"os"
	"slices"
)

// principalAxes returns the k unit eigenvectors of the covariance of rows
// (already centered) with the largest eigenvalues, largest first.
func principalAxes(rows [][]float64, k int) [][]float64 {
	d := len(rows[0])
	cov := make([][]float64, d)
	for i := range cov {
		cov[i] = make([]float64, d)
	}
	for _, r := range rows {
		for i, a := range r {
			for j := i; j < d; j++ {
				cov[i][j] += a * r[j]
			}
		}
	}
	for i := range cov {
		for j := range i {
			cov[i][j] = cov[j][i]
		}
	}
	values, vectors := eigenSym(cov)
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpDesc(values[a], values[b]) })
	axes := make([][]float64, k)
	for n, i := range order[:k] {
		axes[n] = make([]float64, d)
		for j := range d {
			axes[n][j] = vectors[j][i]
		}
	}
	return axes
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// eigenSym diagonalizes the symmetric matrix a (overwritten) by cyclic
// Jacobi rotations and returns its eigenvalues and a matrix whose columns
// are the eigenvectors. Jacobi is slow for large matrices but short,
// exact to rounding and needs no library; 512 x 512 takes seconds.
func eigenSym(a [][]float64) ([]float64, [][]float64) {
	n := len(a)
	v := make([][]float64, n)
	for i := range v {
		v[i] = make([]float64, n)
		v[i][i] = 1
	}
	for sweep := 0; sweep < 50 && offDiagonal(a) > 1e-22*trace2(a); sweep++ {
		for p := 0; p < n-1; p++ {
			for q := p + 1; q < n; q++ {
				rotate(a, v, p, q)
			}
		}
	}
	values := make([]float64, n)
	for i := range values {
		values[i] = a[i][i]
	}
	return values, v
}

// rotate zeroes a[p][q] by a Jacobi rotation of rows and columns p and q,
// and applies the same rotation to the columns of v.
func rotate(a, v [][]float64, p, q int) {
	if a[p][q] == 0 {
		return
	}
	theta := (a[q][q] - a[p][p]) / (2 * a[p][q])
	t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
	c := 1 / math.Sqrt(t*t+1)
	s := t * c
	for k := range a {
		akp, akq := a[k][p], a[k][q]
		a[k][p], a[k][q] = c*akp-s*akq, s*akp+c*akq
	}
	for k := range a {
		apk, aqk := a[p][k], a[q][k]
		a[p][k], a[q][k] = c*apk-s*aqk, s*apk+c*aqk
	}
	for k := range v {
		vkp, vkq := v[k][p], v[k][q]
		v[k][p], v[k][q] = c*vkp-s*vkq, s*vkp+c*vkq
	}
}

func offDiagonal(a [][]float64) float64 {
	s := 0.0
	for i := range a {
		for j := range a {
			if i != j {
				s += a[i][j] * a[i][j]
			}
		}
	}
	return s
}

func trace2(a [][]float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i][i] * a[i][i]
	}
	return s
}

// fit solves (A'A + lambda I) E = A'T + lambda E0 for E by conjugate
// gradients, where row s of A averages the words rows[s]: the least-squares
// problem of distill. Words no sentence uses keep E0. The system is the same
// for every dimension, so one CG run over all dimensions at once is exact.
func fit(rows [][]int, t, e0 [][]float64, lambda float64, iterations int) [][]float64 {
	b := zeros(len(e0), len(e0[0]))
	addScaled(b, e0, lambda)
	spread(b, rows, t)
	x := zeros(len(e0), len(e0[0]))
	addScaled(x, e0, 1)
	r := zeros(len(e0), len(e0[0]))
	normalMul(r, rows, x, lambda)
	for i := range r {
		for k := range r[i] {
			r[i][k] = b[i][k] - r[i][k]
		}
	}
	p := zeros(len(e0), len(e0[0]))
	addScaled(p, r, 1)
	ap := zeros(len(e0), len(e0[0]))
	rr := dotAll(r, r)
	for it := range iterations {
		normalMul(ap, rows, p, lambda)
		alpha := rr / dotAll(p, ap)
		addScaled(x, p, alpha)
		addScaled(r, ap, -alpha)
		next := dotAll(r, r)
		for i := range p {
			for k := range p[i] {
				p[i][k] = r[i][k] + next/rr*p[i][k]
			}
		}
		rr = next
		if it%25 == 0 {
			fmt.Fprintf(os.Stderr, "fit: iteration %d, residual %.4g\n", it, rr)
		}
	}
	return x
}

// normalMul sets out = (A'A + lambda I) x.
func normalMul(out [][]float64, rows [][]int, x [][]float64, lambda float64) {
	for i := range out {
		for k := range out[i] {
			out[i][k] = lambda * x[i][k]
		}
	}
	mean := make([]float64, len(x[0]))
	for _, r := range rows {
		clear(mean)
		for _, w := range r {
			for k, v := range x[w] {
				mean[k] += v / float64(len(r))
			}
		}
		for _, w := range r {
			for k, v := range mean {
				out[w][k] += v / float64(len(r))
			}
		}
	}
}

// spread adds A't to out: each sentence's target, split over its words.
func spread(out [][]float64, rows [][]int, t [][]float64) {
	for s, r := range rows {
		for _, w := range r {
			for k, v := range t[s] {
				out[w][k] += v / float64(len(r))
			}
		}
	}
}

func zeros(n, d int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, d)
	}
	return m
}

func addScaled(dst, src [][]float64, f float64) {
	for i := range dst {
		for k, v := range src[i] {
			dst[i][k] += f * v
		}
	}
}

func dotAll(a, b [][]float64) float64 {
	s := 0.0
	for i := range a {
		s += dot(a[i], b[i])
	}
	return s
}
