package lotse

import (
	"math"

	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/modelfile"
)

// weights is the sparse part of a model, laid out for replying. Rows with
// weights for few classes stay compressed sparse rows, as the model file
// stores them. Rows with weights for more than a third of the classes are
// stored dense, two classes to a uint64, and summed in integers.
//
// Why: the common character n-grams (" a", "th", "the") carry a weight for
// almost every class, and their rows are 90% of the weights a CLINC150
// message touches. A dense row needs no class index per weight, and one
// 64-bit multiply-add serves two classes: in WebAssembly, where every
// memory access is bounds-checked, that cut the sparse part of a reply to
// a third (RATIONALE.md).
type weights struct {
	start  []uint32 // sparse rows: bucket b's entries are [start[b], start[b+1])
	class  []uint16
	weight []int8
	// dense[b] is bucket b's first word in lanes, or -1 for a sparse row.
	// Word j of a dense row holds classes 2j and 2j+1 in its low and high
	// 32 bits, each as weight+128 (0..255), so that lanes never go
	// negative and a product never borrows from the neighbouring lane.
	dense   []int32
	lanes   []uint64
	classes int
}

// Dense rows are summed as integers: a feature's value v (0 < v <= 1 after
// TF-IDF normalization) becomes round(v*valueOne). A product is then at most
// 255*2^15 < 2^23, so a 32-bit lane holds the sum of flushEvery products.
const (
	valueOne   = 1 << 15
	flushEvery = 256
)

// lanesPerRow is the number of uint64 words of a dense row.
func (w *weights) lanesPerRow() int { return (w.classes + 1) / 2 }

// newWeights lays out f's sparse weights for replying.
func newWeights(f *modelfile.Model) weights {
	w := weights{classes: f.Classes(), start: make([]uint32, len(f.RowStart)),
		dense: make([]int32, len(f.RowStart)-1)}
	nSparse, nDense := 0, 0
	for b := range w.dense {
		if n := int(f.RowStart[b+1] - f.RowStart[b]); w.isDense(n) {
			nDense++
		} else {
			nSparse += n
		}
	}
	// One allocation each: loading is the browser's cold start.
	w.class = make([]uint16, 0, nSparse)
	w.weight = make([]int8, 0, nSparse)
	w.lanes = make([]uint64, nDense*w.lanesPerRow())
	biased := make([]uint64, 2*w.lanesPerRow())
	next := int32(0)
	for b := range w.dense {
		w.start[b] = uint32(len(w.weight))
		lo, hi := f.RowStart[b], f.RowStart[b+1]
		if !w.isDense(int(hi - lo)) {
			w.dense[b] = -1
			w.class = append(w.class, f.Class[lo:hi]...)
			w.weight = append(w.weight, f.Weight[lo:hi]...)
			continue
		}
		for c := range biased {
			biased[c] = 128 // a zero weight
		}
		for k := lo; k < hi; k++ {
			biased[f.Class[k]] = uint64(int(f.Weight[k]) + 128)
		}
		w.dense[b] = next
		row := w.lanes[next : int(next)+w.lanesPerRow()]
		for j := range row {
			row[j] = biased[2*j] | biased[2*j+1]<<32
		}
		next += int32(len(row))
	}
	w.start[len(w.start)-1] = uint32(len(w.weight))
	return w
}

// isDense reports whether a row with n weights is stored dense.
func (w *weights) isDense(n int) bool { return 3*n > w.classes }

// accumulate adds each feature's weighted row to acc (one entry a class),
// using sums (lanesPerRow words) as scratch.
func (w *weights) accumulate(acc []float64, sums []uint64, fs []features.Feature) {
	acc = acc[:w.classes]
	clear(sums)
	var total uint64 // sum of the quantized values added to sums
	n := 0
	held, heldQ := -1, uint64(0) // a dense row waiting for a partner
	for _, ft := range fs {
		d := int(w.dense[ft.Index])
		if d < 0 {
			lo, hi := w.start[ft.Index], w.start[ft.Index+1]
			addSparse(acc, w.class[lo:hi], w.weight[lo:hi], float64(ft.Value))
			continue
		}
		q := uint64(math.Round(float64(ft.Value) * valueOne))
		total += q
		if held < 0 {
			held, heldQ = d, q
		} else {
			addRows(sums, w.row(held, len(sums)), w.row(d, len(sums)), heldQ, q)
			held = -1
		}
		if n++; n == flushEvery {
			if held >= 0 {
				w.addAlone(sums, held, heldQ)
				held = -1
			}
			w.flush(acc, sums, total)
			total, n = 0, 0
		}
	}
	if held >= 0 {
		w.addAlone(sums, held, heldQ)
	}
	w.flush(acc, sums, total)
}

// addAlone adds q times the dense row at lanes[d] to sums: a row without a
// partner is its own, times 0.
func (w *weights) addAlone(sums []uint64, d int, q uint64) {
	addRows(sums, w.row(d, len(sums)), w.row(d, len(sums)), q, 0)
}

// row returns the n words of the dense row that starts at lanes[d].
func (w *weights) row(d, n int) []uint64 { return w.lanes[d : d+n] }

// addRows adds qa times a and qb times b to sums (all of equal length).
// Two rows and four words a step: in Go's WebAssembly every loop iteration
// jumps through the function's dispatch table, and every load and store is
// bounds-checked, so fewer iterations and fewer trips to sums are faster.
func addRows(sums, a, b []uint64, qa, qb uint64) {
	j := 0
	for ; j+4 <= len(sums); j += 4 {
		s, x, y := sums[j:j+4:j+4], a[j:j+4:j+4], b[j:j+4:j+4]
		s[0] += qa*x[0] + qb*y[0]
		s[1] += qa*x[1] + qb*y[1]
		s[2] += qa*x[2] + qb*y[2]
		s[3] += qa*x[3] + qb*y[3]
	}
	for ; j < len(sums); j++ {
		sums[j] += qa*a[j] + qb*b[j]
	}
}

// addSparse adds v times the weights of the classes cls to acc, two at a
// step (see addRows).
func addSparse(acc []float64, cls []uint16, weight []int8, v float64) {
	weight = weight[:len(cls)] // equal lengths: no bounds checks on weight
	j := 0
	for ; j+2 <= len(cls); j += 2 {
		acc[cls[j]] += v * float64(weight[j])
		acc[cls[j+1]] += v * float64(weight[j+1])
	}
	if j < len(cls) {
		acc[cls[j]] += v * float64(weight[j])
	}
}

// flush adds the integer sums to acc and clears them: each lane holds
// sum(q*(weight+128)), so the bias comes off as 128*total.
func (w *weights) flush(acc []float64, sums []uint64, total uint64) {
	bias := int64(128 * total)
	for j, x := range sums {
		acc[2*j] += float64(int64(uint32(x))-bias) / valueOne
		if 2*j+1 < len(acc) {
			acc[2*j+1] += float64(int64(x>>32)-bias) / valueOne
		}
	}
	clear(sums)
}
