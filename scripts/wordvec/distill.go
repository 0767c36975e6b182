package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"math"
	"os"

	"github.com/lotse-chat/lotse/internal/wordvec"
)

// encoderDims is the length of the encoder's vectors (USE lite: 512).
const encoderDims = 512

// defaultLambda and fitIterations were chosen by the benchmarks
// (RATIONALE.md): a smaller pull overfits the corpus, a larger one keeps
// the plain single-word vectors, which were no better than GloVe.
const (
	defaultLambda = 0.3
	fitIterations = 100
)

// readVectors reads n rows of encoderDims little-endian float32 values.
func readVectors(path string, n int) ([][]float64, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) != n*encoderDims*4 {
		return nil, fmt.Errorf("%s: %d bytes, want %d rows of %d float32 values: embed the same list again", path, len(raw), n, encoderDims)
	}
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, encoderDims)
		for j := range rows[i] {
			rows[i][j] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[(i*encoderDims+j)*4:])))
		}
	}
	return rows, nil
}

// distill returns a wordvec.Dims vector for every word:
//  1. both the sentence and the word vectors lose their own mean (an
//     encoder gives every single word a large shared component);
//  2. both are projected onto the sentences' wordvec.Dims principal axes;
//     the word vectors are scaled to the sentences' mean length;
//  3. the vectors E of the words the corpus uses are fitted so that the
//     mean of a sentence's word vectors comes close to the sentence's own
//     vector, with a pull of lambda towards each word's own vector:
//     minimize sum_s |mean_{w in s} E[w] - T[s]|^2 + lambda sum_w |E[w] - E0[w]|^2.
//
// Step 3 is what the plain single-word vectors lack: a word is placed
// where the sentences it occurs in put it (model2vec's "tokenlearn" follows
// the same idea). wordVecs and sentVecs are centered in place.
func distill(words []string, wordVecs [][]float64, sentences []string, sentVecs [][]float64, split func(string) []string, lambda float64) [][]float64 {
	index := make(map[string]int, len(words))
	for i, w := range words {
		index[w] = i
	}
	var rows [][]int // the word indexes of each sentence that has any
	var targets [][]float64
	for s, text := range sentences {
		var r []int
		for _, w := range split(text) {
			if i, ok := index[w]; ok {
				r = append(r, i)
			}
		}
		if len(r) > 0 {
			rows = append(rows, r)
			targets = append(targets, sentVecs[s])
		}
	}
	subtractMean(wordVecs)
	subtractMean(targets)
	axes := principalAxes(targets, wordvec.Dims)
	e0 := project(wordVecs, axes)
	t := project(targets, axes)
	scale(e0, meanNorm(t)/meanNorm(e0))
	return fit(rows, t, e0, lambda, fitIterations)
}

func subtractMean(rows [][]float64) {
	mean := make([]float64, len(rows[0]))
	for _, r := range rows {
		for j, v := range r {
			mean[j] += v / float64(len(rows))
		}
	}
	for _, r := range rows {
		for j := range r {
			r[j] -= mean[j]
		}
	}
}

// project returns rows times the axes (each a unit vector).
func project(rows, axes [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		out[i] = make([]float64, len(axes))
		for k, a := range axes {
			out[i][k] = dot(r, a)
		}
	}
	return out
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func meanNorm(rows [][]float64) float64 {
	s := 0.0
	for _, r := range rows {
		s += math.Sqrt(dot(r, r))
	}
	return s / float64(len(rows))
}

func scale(rows [][]float64, f float64) {
	for _, r := range rows {
		for k := range r {
			r[k] *= f
		}
	}
}

// writeTable writes the vectors gzipped, in the format wordvec.Parse
// reads. A zero modification time keeps the file the same for the same
// vectors.
func writeTable(path string, words []string, vecs [][]float64) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(wordvec.Encode(words, vecs))
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
