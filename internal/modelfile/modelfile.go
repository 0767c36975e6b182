// Package modelfile encodes and decodes Lotse model files.
//
// A model file is a fixed header, a payload and a CRC-32 trailer:
//
//	magic   "LOTSEMDL"          8 bytes
//	version uint16 LE           format version (Version)
//	flags   uint16 LE           reserved, 0
//	length  uint32 LE           payload length in bytes
//	payload                     see Encode
//	crc     uint32 LE           CRC-32 (IEEE) of everything before it
//
// Decoding checks every length and index before use, so a truncated,
// corrupted or hostile file yields an error, never a panic.
package modelfile

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"strconv"

	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/tokenize"
)

// Version is the format version this package writes and the newest it reads.
const Version = 3

// MinVersion is the oldest format version this package reads. Version 3
// replaced version 2's per-class word vector weights by per-word class
// projections; a version 2 file is refused with advice to retrain, which
// takes seconds, rather than converted at every load.
const MinVersion = 3

const (
	magic      = "LOTSEMDL"
	headerSize = 16
	maxBits    = 24
	maxClasses = 1 << 16
)

// Intent is one intent as stored: answers are aligned with Model.Languages.
type Intent struct {
	Name    string
	Handoff bool
	Answers []string
}

// Model is the content of a model file.
type Model struct {
	Name      string
	Languages []string
	// Engine is the engine version that wrote the file.
	Engine string
	// Vocab is the tokenizer's WordPiece vocabulary.
	Vocab    tokenize.Vocab
	Features features.Config
	Intents  []Intent
	// OOSClass says the classifier has one class more than Intents: the
	// out-of-scope class trained on the bot's out_of_scope examples.
	OOSClass bool
	// Sharpness scales scores before the softmax (calibration).
	Sharpness float32
	// Threshold is the calibrated confidence below which a message is out
	// of scope.
	Threshold float32
	// IDF holds a quantized idf per feature bucket (Features.Dim entries).
	IDF []uint8
	// Bias and Scale hold one entry per class; weight = Weight * Scale.
	Bias, Scale []float32
	// RowStart, Class and Weight store the weights feature-major in
	// compressed sparse rows: bucket b's weights are Class[RowStart[b]:
	// RowStart[b+1]] with Weight[...]. A message's few buckets then index
	// contiguous memory.
	RowStart []uint32
	Class    []uint16
	Weight   []int8
	// VecWords, VecScales and VecValues are the word vectors of the bot's
	// own words (wordvec.Dims values each); empty when the model has none.
	VecWords  []string
	VecScales []float32
	VecValues []int8
	// VecWeight is the length of a message's mean word vector within its
	// feature vector.
	VecWeight float32
	// Proj holds, for each of VecWords in turn, the word's vector times the
	// classes' word vector weights: one int8 a class, times the word's
	// ProjScales entry. A message's word vector scores are then a sum of
	// its words' rows instead of a product with a hundred weights a class.
	Proj       []int8
	ProjScales []float32
}

// Classes is the number of classifier classes.
func (m *Model) Classes() int {
	if m.OOSClass {
		return len(m.Intents) + 1
	}
	return len(m.Intents)
}

// Encode returns the model file bytes. Equal models give equal bytes.
func Encode(m *Model) []byte {
	var p []byte
	p = appendString(p, m.Name)
	p = appendStrings(p, m.Languages)
	p = appendString(p, m.Engine)
	p = appendVocab(p, m.Vocab)
	p = append(p, m.Features.Bits, m.Features.CharMin, m.Features.CharMax)
	p = binary.AppendUvarint(p, uint64(len(m.Intents)))
	for _, in := range m.Intents {
		p = appendString(p, in.Name)
		p = appendBool(p, in.Handoff)
		p = appendStrings(p, in.Answers)
	}
	p = appendBool(p, m.OOSClass)
	p = binary.LittleEndian.AppendUint32(p, math.Float32bits(m.Sharpness))
	p = binary.LittleEndian.AppendUint32(p, math.Float32bits(m.Threshold))
	p = append(p, m.IDF...)
	for c := range m.Classes() {
		p = binary.LittleEndian.AppendUint32(p, math.Float32bits(m.Bias[c]))
		p = binary.LittleEndian.AppendUint32(p, math.Float32bits(m.Scale[c]))
	}
	p = appendRows(p, m)
	p = appendVectors(p, m)
	out := make([]byte, 0, headerSize+len(p)+4)
	out = append(out, magic...)
	out = binary.LittleEndian.AppendUint16(out, Version)
	out = binary.LittleEndian.AppendUint16(out, 0)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(p)))
	out = append(out, p...)
	return binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(out))
}

// Errors returned by Decode, wrapped with details.
var (
	ErrNotModel  = errors.New("not a Lotse model file (bad magic bytes)")
	ErrTruncated = errors.New("model file is truncated")
	ErrChecksum  = errors.New("model file is corrupted (checksum mismatch)")
	ErrNewer     = errors.New("model file format is newer than this engine")
	ErrOlder     = errors.New("model file format is older than this engine reads")
	ErrMalformed = errors.New("model file is malformed")
)

// IsModel reports whether data starts like a model file (its magic
// bytes), whatever its version or state: callers tell a model given in the
// wrong place from a damaged one.
func IsModel(data []byte) bool {
	return len(data) >= len(magic) && string(data[:len(magic)]) == magic
}

// Decode parses a model file.
func Decode(data []byte) (*Model, error) {
	if !IsModel(data) {
		return nil, ErrNotModel
	}
	if len(data) < headerSize+4 {
		return nil, wrap(ErrTruncated, "header needs "+itoa(headerSize+4)+" bytes, file has "+itoa(len(data)))
	}
	if v := binary.LittleEndian.Uint16(data[8:]); v > Version {
		return nil, wrap(ErrNewer, "format version "+itoa(int(v))+", this engine reads up to "+itoa(Version)+"; update lotse or retrain the model")
	} else if v < MinVersion {
		return nil, wrap(ErrOlder, "format version "+itoa(int(v))+", this engine reads "+itoa(MinVersion)+" to "+itoa(Version)+"; retrain the model with lotse train")
	}
	n := int(binary.LittleEndian.Uint32(data[12:]))
	if want := headerSize + n + 4; len(data) != want {
		if len(data) < want {
			return nil, wrap(ErrTruncated, "want "+itoa(want)+" bytes, have "+itoa(len(data)))
		}
		return nil, wrap(ErrMalformed, itoa(len(data)-want)+" trailing bytes")
	}
	body := data[:headerSize+n]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[headerSize+n:]) {
		return nil, ErrChecksum
	}
	r := &reader{b: body[headerSize:], version: binary.LittleEndian.Uint16(data[8:])}
	m := r.model()
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, wrap(ErrMalformed, itoa(len(r.b))+" unread payload bytes")
	}
	return m, nil
}

func wrap(err error, detail string) error { return &detailError{err, detail} }

type detailError struct {
	err    error
	detail string
}

func (e *detailError) Error() string { return e.err.Error() + ": " + e.detail }
func (e *detailError) Unwrap() error { return e.err }

func itoa(i int) string { return strconv.Itoa(i) }

// appendRows writes the non-empty rows of the sparse weights: their count
// and the number of weights, then for each row the gap to the previous
// one, its length and its weights. Most of a model's 2^18 buckets are
// empty; skipping them keeps decoding (the browser's cold start) linear in
// the weights, not in the buckets.
func appendRows(p []byte, m *Model) []byte {
	rows := 0
	for b := range m.Features.Dim() {
		if m.RowStart[b+1] > m.RowStart[b] {
			rows++
		}
	}
	p = binary.AppendUvarint(p, uint64(rows))
	p = binary.AppendUvarint(p, uint64(len(m.Class)))
	next := 0 // the bucket after the last row written
	for b := range m.Features.Dim() {
		lo, hi := m.RowStart[b], m.RowStart[b+1]
		if hi == lo {
			continue
		}
		p = binary.AppendUvarint(p, uint64(b-next))
		p = binary.AppendUvarint(p, uint64(hi-lo))
		prev := uint16(0)
		for k := lo; k < hi; k++ {
			p = binary.AppendUvarint(p, uint64(m.Class[k]-prev)) // ascending: small deltas
			p = append(p, byte(m.Weight[k]))
			prev = m.Class[k]
		}
		next = b + 1
	}
	return p
}

// appendVectors writes the word vectors and their class projections.
func appendVectors(p []byte, m *Model) []byte {
	p = appendStrings(p, m.VecWords)
	if len(m.VecWords) == 0 {
		return p
	}
	p = appendFloat32s(p, []float32{m.VecWeight})
	p = appendFloat32s(p, m.VecScales)
	p = appendInt8s(p, m.VecValues)
	p = appendFloat32s(p, m.ProjScales)
	return appendInt8s(p, m.Proj)
}

func appendInt8s(p []byte, v []int8) []byte {
	for _, x := range v {
		p = append(p, byte(x))
	}
	return p
}

func appendFloat32s(p []byte, fs []float32) []byte {
	for _, f := range fs {
		p = binary.LittleEndian.AppendUint32(p, math.Float32bits(f))
	}
	return p
}

func appendString(p []byte, s string) []byte {
	return append(binary.AppendUvarint(p, uint64(len(s))), s...)
}

func appendStrings(p []byte, ss []string) []byte {
	p = binary.AppendUvarint(p, uint64(len(ss)))
	for _, s := range ss {
		p = appendString(p, s)
	}
	return p
}

// appendVocab writes a vocabulary as appendStrings writes a list.
func appendVocab(p []byte, v tokenize.Vocab) []byte {
	p = binary.AppendUvarint(p, uint64(v.Len()))
	for i := range v.Len() {
		p = appendString(p, v.At(int32(i)))
	}
	return p
}

func appendBool(p []byte, b bool) []byte {
	if b {
		return append(p, 1)
	}
	return append(p, 0)
}
