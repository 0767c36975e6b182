package train

import (
	"math"

	"github.com/lotse-chat/lotse/internal/linear"
	"github.com/lotse-chat/lotse/internal/modelfile"
)

// keepFraction is the share of a class's largest weight below which a
// weight is dropped. Most SVM weights are tiny (PEERS.md: 73-83% are
// exactly zero in LIBLINEAR); dropping the small ones and storing the rest
// as int8 keeps a CLINC150 model at a few megabytes.
const keepFraction = 0.02

// quantize stores w in m: the sparse part as per-class scaled int8
// weights, feature-major; the word vector weights, when there are any, as
// float32 (a hundred a class).
func quantize(m *modelfile.Model, w linear.Weights, ds *dataset) {
	classes := len(w)
	dim := ds.cfg.Dim()
	m.Bias = make([]float32, classes)
	m.Scale = make([]float32, classes)
	q := make([][]int8, classes)
	count := make([]uint32, dim+1)
	for c, row := range w {
		m.Bias[c] = row[len(row)-1]
		nf := len(ds.bucket) // the sparse part; dense weights follow
		m.Dense = append(m.Dense, row[nf:len(row)-1]...)
		var big float64
		for _, v := range row[:nf] {
			big = max(big, math.Abs(float64(v)))
		}
		scale := big / 127
		if scale == 0 {
			scale = 1
		}
		m.Scale[c] = float32(scale)
		q[c] = make([]int8, nf)
		for l, v := range row[:nf] {
			if math.Abs(float64(v)) < keepFraction*big {
				continue
			}
			if k := int8(math.Round(float64(v) / scale)); k != 0 {
				q[c][l] = k
				count[ds.bucket[l]+1]++
			}
		}
	}
	storeVectors(m, ds)
	for b := 1; b <= dim; b++ {
		count[b] += count[b-1]
	}
	m.RowStart = count
	m.Class = make([]uint16, count[dim])
	m.Weight = make([]int8, count[dim])
	fill := append([]uint32(nil), count[:dim]...)
	for c := range classes { // ascending classes within each row
		for l, k := range q[c] {
			if k == 0 {
				continue
			}
			b := ds.bucket[l]
			m.Class[fill[b]] = uint16(c)
			m.Weight[fill[b]] = k
			fill[b]++
		}
	}
}

// storeVectors puts the bot's word vectors into m, or drops the (empty)
// dense weights when the model has none.
func storeVectors(m *modelfile.Model, ds *dataset) {
	if ds.vec == nil || len(ds.vec.Words) == 0 {
		m.Dense = nil
		return
	}
	m.VecWords, m.VecScales, m.VecValues = ds.vec.Words, ds.vec.Scales, ds.vec.Values
	m.VecWeight = vecWeight
}
