// Package wordvec holds English word vectors and turns a message's words
// into one dense vector: the normalized mean of its words' vectors.
//
// Word vectors carry what a bot's few examples cannot: that "lost" is
// close to "stolen" and "cash" to "money". The source table lives in
// package english (only the trainer needs it); a model stores only the
// vectors of its bot's own words.
package wordvec

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
)

// Dims is the length of every vector.
const Dims = 100

// Lang is the language of the vectors. In a bot of several languages they
// apply only to text detected as Lang: German words spelled like English
// ones ("die", "also", "will") would otherwise pick up English meanings.
const Lang = "en"

// Table maps words to int8 vectors with a scale per word. The zero Table
// knows no words.
type Table struct {
	Words  []string
	Scales []float32
	Values []int8 // Dims per word, in the order of Words
	index  map[string]int
}

// Encode returns the table format Parse reads (little-endian): "LWV1",
// uint32 word count, uint16 Dims, then per word its uvarint length, its
// bytes, a float32 scale and Dims int8 values, the vector divided by the
// scale (the largest absolute value maps to 127). Each vector has Dims
// values.
func Encode(words []string, vecs [][]float64) []byte {
	b := []byte("LWV1")
	b = binary.LittleEndian.AppendUint32(b, uint32(len(words)))
	b = binary.LittleEndian.AppendUint16(b, Dims)
	q := make([]int8, Dims)
	for i, w := range words {
		scale := Quantize(q, vecs[i])
		b = binary.AppendUvarint(b, uint64(len(w)))
		b = append(b, w...)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(scale)))
		for _, v := range q {
			b = append(b, byte(v))
		}
	}
	return b
}

// Quantize writes v into dst, which must be as long, as int8 values times
// the returned scale: the largest magnitude maps to 127, and a zero vector
// has scale 1. Tables and a model's per-word class projections are stored
// this way.
func Quantize(dst []int8, v []float64) float64 {
	peak := 0.0
	for _, x := range v {
		peak = math.Max(peak, math.Abs(x))
	}
	scale := peak / 127
	if scale == 0 {
		scale = 1
	}
	for k, x := range v {
		dst[k] = int8(math.Round(x / scale))
	}
	return scale
}

// Parse reads the format Encode writes.
func Parse(data []byte) (*Table, error) {
	if len(data) < 10 || string(data[:4]) != "LWV1" ||
		binary.LittleEndian.Uint16(data[8:]) != Dims {
		return nil, errors.New("wordvec: embedded table: bad header; rebuild it with scripts/wordvec")
	}
	n := int(binary.LittleEndian.Uint32(data[4:]))
	t := &Table{Words: make([]string, 0, n), Scales: make([]float32, 0, n), Values: make([]int8, 0, n*Dims)}
	p := data[10:]
	for range n {
		l, k := binary.Uvarint(p)
		if k <= 0 || uint64(len(p)-k) < l+4+Dims {
			return nil, errors.New("wordvec: table: truncated; rebuild it with scripts/wordvec")
		}
		p = p[k:]
		t.Words = append(t.Words, string(p[:l]))
		t.Scales = append(t.Scales, math.Float32frombits(binary.LittleEndian.Uint32(p[l:])))
		for _, b := range p[l+4 : l+4+Dims] {
			t.Values = append(t.Values, int8(b))
		}
		p = p[l+4+Dims:]
	}
	t.buildIndex()
	return t, nil
}

// New returns a table over the given fields, as a model file stores them.
func New(words []string, scales []float32, values []int8) (*Table, error) {
	if len(scales) != len(words) || len(values) != len(words)*Dims {
		// No fmt: this package is linked into the WebAssembly engines.
		return nil, errors.New("wordvec: " + strconv.Itoa(len(words)) + " words, " + strconv.Itoa(len(scales)) +
			" scales and " + strconv.Itoa(len(values)) + " values do not fit " + strconv.Itoa(Dims) + " dimensions")
	}
	t := &Table{Words: words, Scales: scales, Values: values}
	t.buildIndex()
	return t, nil
}

func (t *Table) buildIndex() {
	t.index = make(map[string]int, len(t.Words))
	for i, w := range t.Words {
		t.index[w] = i
	}
}

// Subset returns a table with the vectors of those words that t knows, in
// the order given (duplicates dropped).
func (t *Table) Subset(words []string) *Table {
	s := &Table{}
	seen := map[string]bool{}
	for _, w := range words {
		i, ok := t.index[w]
		if !ok || seen[w] {
			continue
		}
		seen[w] = true
		s.Words = append(s.Words, w)
		s.Scales = append(s.Scales, t.Scales[i])
		s.Values = append(s.Values, t.Values[i*Dims:(i+1)*Dims]...)
	}
	s.buildIndex()
	return s
}

// Mean writes into dst (length Dims) the mean of the vectors of the words t
// knows, scaled to length weight, and reports whether it wrote one: not
// when no word is known or their vectors cancel out.
// The normalization makes the dense part's share of a message's vector the
// same for short and long messages, as the sparse part's is.
func (t *Table) Mean(dst []float32, words []string, weight float64) bool {
	var sum [Dims]float64
	for _, w := range words {
		if i, ok := t.Index(w); ok {
			t.Add(&sum, i)
		}
	}
	norm := Norm(&sum) // 0 too when no word is known
	if norm == 0 {
		return false
	}
	inv := weight / norm
	for k, v := range sum {
		dst[k] = float32(v * inv)
	}
	return true
}

// Index returns the position of word in Words.
func (t *Table) Index(word string) (int, bool) {
	i, ok := t.index[word]
	return i, ok
}

// Add adds the vector of the word at position i to sum.
func (t *Table) Add(sum *[Dims]float64, i int) {
	s := float64(t.Scales[i])
	for k, v := range t.Values[i*Dims : (i+1)*Dims] {
		sum[k] += s * float64(v)
	}
}

// Norm returns the Euclidean length of v.
func Norm(v *[Dims]float64) float64 {
	var n float64
	for _, x := range v {
		n += x * x
	}
	return math.Sqrt(n)
}
