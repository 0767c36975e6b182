package modelfile

import (
	"encoding/binary"
	"math"

	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec"
)

// reader decodes the payload. The first error sticks; later reads return
// zero values, so decoding code reads straight through and checks once.
type reader struct {
	b       []byte
	err     error
	version uint16
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = wrap(ErrMalformed, what)
	}
}

func (r *reader) uvarint(what string, limit uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(what + ": bad varint")
		return 0
	}
	if v > limit {
		r.fail(what + ": " + itoa(int(min(v, math.MaxInt32))) + " is over the limit of " + itoa(int(limit)))
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(what string, n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.fail(what + ": runs past the end")
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) string(what string) string {
	return string(r.bytes(what, int(r.uvarint(what, uint64(len(r.b))))))
}

// strings reads a list of strings.
func (r *reader) strings(what string) []string {
	text, ends := r.joined(what)
	out := make([]string, len(ends))
	prev := uint32(0)
	for i, end := range ends {
		out[i], prev = text[prev:end], end
	}
	return out
}

// vocab reads a list of strings as a tokenize.Vocab: a vocabulary has
// 30,000 entries, and one string instead of one each makes loading (the
// browser's cold start) faster and leaves the collector fewer pointers.
func (r *reader) vocab(what string) tokenize.Vocab {
	v, err := tokenize.VocabOf(r.joined(what))
	if err != nil && r.err == nil {
		r.fail(what + ": " + err.Error())
	}
	return v
}

// joined reads a list of strings into one string and the end of each. The
// first pass only measures, so that the text is one allocation.
func (r *reader) joined(what string) (string, []uint32) {
	n := int(r.uvarint(what, uint64(len(r.b)))) // each string takes at least a byte
	start := *r
	total := 0
	for range n {
		total += len(r.bytes(what, int(r.uvarint(what, uint64(len(r.b))))))
	}
	if r.err != nil {
		return "", nil
	}
	*r = start
	buf := make([]byte, 0, total)
	ends := make([]uint32, n)
	for i := range ends {
		buf = append(buf, r.bytes(what, int(r.uvarint(what, uint64(len(r.b)))))...)
		ends[i] = uint32(len(buf))
	}
	return string(buf), ends
}

func (r *reader) bool(what string) bool {
	b := r.bytes(what, 1)
	if b == nil {
		return false
	}
	if b[0] > 1 {
		r.fail(what + ": not a boolean")
	}
	return b[0] == 1
}

func (r *reader) float32(what string) float32 {
	b := r.bytes(what, 4)
	if b == nil {
		return 0
	}
	f := math.Float32frombits(binary.LittleEndian.Uint32(b))
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		r.fail(what + ": not a finite number")
	}
	return f
}

func (r *reader) model() *Model {
	m := &Model{}
	m.Name = r.string("name")
	m.Languages = r.strings("languages")
	m.Engine = r.string("engine version")
	m.Vocab = r.vocab("vocabulary")
	cfg := r.bytes("feature config", 3)
	if cfg == nil {
		return m
	}
	m.Features.Bits, m.Features.CharMin, m.Features.CharMax = cfg[0], cfg[1], cfg[2]
	if m.Features.Bits == 0 || m.Features.Bits > maxBits || m.Features.CharMin > m.Features.CharMax {
		r.fail("feature config out of range")
		return m
	}
	if len(m.Languages) == 0 {
		r.fail("no languages")
	}
	m.Intents = make([]Intent, r.uvarint("intent count", maxClasses-1))
	for i := range m.Intents {
		m.Intents[i] = Intent{Name: r.string("intent name"), Handoff: r.bool("handoff flag"), Answers: r.strings("answers")}
		if r.err == nil && len(m.Intents[i].Answers) != len(m.Languages) {
			r.fail("intent " + m.Intents[i].Name + ": answers do not match the languages")
		}
	}
	m.OOSClass = r.bool("out-of-scope flag")
	m.Sharpness = r.float32("sharpness")
	m.Threshold = r.float32("threshold")
	if r.err != nil {
		return m
	}
	if m.Classes() == 0 {
		r.fail("no intents")
		return m
	}
	dim := m.Features.Dim()
	m.IDF = r.bytes("idf table", dim)
	m.Bias = make([]float32, m.Classes())
	m.Scale = make([]float32, m.Classes())
	for c := range m.Classes() {
		m.Bias[c] = r.float32("bias")
		m.Scale[c] = r.float32("scale")
	}
	r.rows(m, dim)
	r.vectors(m)
	return m
}

// vectors reads what appendVectors wrote.
func (r *reader) vectors(m *Model) {
	m.VecWords = r.strings("word vector words")
	if len(m.VecWords) == 0 || r.err != nil {
		m.VecWords = nil // as Encode's input had it
		return
	}
	m.VecWeight = r.float32("word vector weight")
	m.VecScales = make([]float32, len(m.VecWords))
	for i := range m.VecScales {
		m.VecScales[i] = r.float32("word vector scale")
	}
	m.VecValues = r.int8s("word vectors", len(m.VecWords)*wordvec.Dims)
	if r.err != nil || len(r.b) < 4*len(m.VecWords) {
		r.fail("word vector projection scales: run past the end")
		return
	}
	m.ProjScales = make([]float32, len(m.VecWords))
	for i := range m.ProjScales {
		m.ProjScales[i] = r.float32("word vector projection scale")
	}
	m.Proj = r.int8s("word vector projections", len(m.VecWords)*m.Classes())
}

// int8s reads n signed bytes.
func (r *reader) int8s(what string, n int) []int8 {
	b := r.bytes(what, n)
	if b == nil {
		return nil
	}
	v := make([]int8, len(b))
	for i, x := range b {
		v[i] = int8(x)
	}
	return v
}

func (r *reader) rows(m *Model, dim int) {
	if r.err != nil {
		return
	}
	m.RowStart = make([]uint32, dim+1)
	classes := m.Classes()
	rows := int(r.uvarint("rows", uint64(dim)))
	// Each weight takes at least two bytes, which bounds the counts by what
	// is left and keeps a hostile count from allocating gigabytes.
	n := int(r.uvarint("weights", uint64(len(r.b)/2)))
	if n > 0 { // nil when empty, as Encode's input had them
		m.Class = make([]uint16, 0, n)
		m.Weight = make([]int8, 0, n)
	}
	b := 0 // the next bucket
	for range rows {
		gap := int(r.uvarint("row gap", uint64(dim-b)))
		nnz := int(r.uvarint("row length", uint64(min(classes, n-len(m.Class)))))
		if r.err != nil || b+gap >= dim || nnz == 0 {
			r.fail("row " + itoa(b+gap) + ": out of range or empty")
			return
		}
		for ; gap > 0; gap-- { // empty rows
			m.RowStart[b+1] = m.RowStart[b]
			b++
		}
		r.row(m, nnz)
		m.RowStart[b+1] = uint32(len(m.Class))
		b++
	}
	for ; b < dim; b++ {
		m.RowStart[b+1] = m.RowStart[b]
	}
	if r.err == nil && len(m.Class) != n {
		r.fail("weights: " + itoa(len(m.Class)) + " in the rows, " + itoa(n) + " announced")
	}
}

// row reads one row's nnz weights: ascending classes as deltas, each
// followed by its weight byte. Read inline, without the general varint
// reader: rows are most of a model, and their decoding most of loading it.
func (r *reader) row(m *Model, nnz int) {
	classes := uint64(m.Classes())
	b := r.b
	cls := uint64(0)
	for k := range nnz {
		d, n := uint64(0), 1
		if len(b) > 0 && b[0] < 0x80 {
			d = uint64(b[0])
		} else if d, n = binary.Uvarint(b); n <= 0 {
			r.fail("class delta: bad varint")
			return
		}
		if k > 0 && d == 0 {
			r.fail("class index repeated in a row")
			return
		}
		cls += d
		if cls >= classes || d >= classes {
			r.fail("class index out of range")
			return
		}
		if len(b) <= n {
			r.fail("weight: runs past the end")
			return
		}
		m.Class = append(m.Class, uint16(cls))
		m.Weight = append(m.Weight, int8(b[n]))
		b = b[n+1:]
	}
	r.b = b
}
