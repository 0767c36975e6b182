package train

import (
	"math"

	"github.com/lotse-chat/lotse/internal/linear"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/internal/wordvec"
)

// keepFraction is the share of a class's largest weight below which a
// weight is dropped. Most SVM weights are tiny (PEERS.md: 73-83% are
// exactly zero in LIBLINEAR); dropping the small ones and storing the rest
// as int8 keeps a CLINC150 model at a few megabytes.
const keepFraction = 0.02

// quantize stores w in m: the sparse part as per-class scaled int8
// weights, feature-major; the word vector weights, when there are any, as
// each word's projection onto the classes (see storeVectors).
func quantize(m *modelfile.Model, w linear.Weights, ds *dataset) {
	classes := len(w)
	dim := ds.cfg.Dim()
	m.Bias = make([]float32, classes)
	m.Scale = make([]float32, classes)
	q := make([][]int8, classes)
	count := make([]uint32, dim+1)
	nf := len(ds.bucket) // the sparse part; dense weights follow
	for c, row := range w {
		m.Bias[c] = row[len(row)-1]
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
	storeVectors(m, ds, w, nf)
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

// storeVectors puts the bot's word vectors into m with their projections:
// word i's row holds, for each class, the dot product of the word's vector
// with the class's word vector weights w[c][nf:nf+wordvec.Dims], as int8
// times a scale per word. A message's mean vector is a sum of word vectors,
// so its class scores are the sum of its words' rows (see Model.Reply).
func storeVectors(m *modelfile.Model, ds *dataset, w linear.Weights, nf int) {
	if ds.vec == nil || len(ds.vec.Words) == 0 {
		return
	}
	v := ds.vec
	m.VecWords, m.VecScales, m.VecValues = v.Words, v.Scales, v.Values
	m.VecWeight = vecWeight
	m.ProjScales = make([]float32, len(v.Words))
	m.Proj = make([]int8, len(v.Words)*len(w))
	p := make([]float64, len(w))
	for i := range v.Words {
		vals := v.Values[i*wordvec.Dims : (i+1)*wordvec.Dims]
		for c, row := range w {
			var dot float64
			for k, x := range vals {
				dot += float64(row[nf+k]) * float64(x)
			}
			p[c] = dot * float64(v.Scales[i])
		}
		m.ProjScales[i] = float32(wordvec.Quantize(m.Proj[i*len(w):(i+1)*len(w)], p))
	}
}
