package modelfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"testing"

	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec"
)

// vectorModel is a small model with word vectors.
func vectorModel() *Model {
	cfg := features.Config{Bits: 2, CharMin: 2, CharMax: 3}
	m := &Model{
		Name: "acme", Languages: []string{"en"}, Engine: "0.1.0",
		Vocab: tokenize.NewVocab([]string{"[UNK]"}), Features: cfg,
		Intents:   []Intent{{Name: "a", Answers: []string{"A"}}, {Name: "b", Answers: []string{"B"}}},
		Sharpness: 2, Threshold: 0.3, IDF: bytes.Repeat([]byte{16}, cfg.Dim()),
		Bias: []float32{0.1, -0.1}, Scale: []float32{0.01, 0.02},
		RowStart: make([]uint32, cfg.Dim()+1),
		VecWords: []string{"money", "cash"}, VecScales: []float32{0.5, 0.25},
		VecValues: make([]int8, 2*wordvec.Dims), VecWeight: 1,
		ProjScales: []float32{0.125, 2}, Proj: []int8{-3, 7, 127, -128},
	}
	for i := range m.VecValues {
		m.VecValues[i] = int8(i % 127)
	}
	return m
}

func TestVectorsRoundTrip(t *testing.T) {
	for _, m := range []*Model{vectorModel(), func() *Model {
		m := vectorModel()
		m.VecWords, m.VecScales, m.VecValues, m.VecWeight, m.ProjScales, m.Proj = nil, nil, nil, 0, nil, nil
		return m
	}()} {
		got, err := Decode(Encode(m))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("round trip changed the model:\n got %+v\nwant %+v", got, m)
		}
	}
}

// TestVectorsTruncated cuts the payload inside the vector section and
// fixes the header and checksum, so that only the section's own length
// checks can catch it.
func TestVectorsTruncated(t *testing.T) {
	good := Encode(vectorModel())
	payload := good[headerSize : len(good)-4]
	for _, cut := range []int{1, 4, 5, 8, 4 + wordvec.Dims, len(payload) / 3} {
		data := reframe(payload[:len(payload)-cut])
		if _, err := Decode(data); !errors.Is(err, ErrMalformed) {
			t.Errorf("payload cut by %d bytes: err = %v, want ErrMalformed", cut, err)
		}
	}
}

// reframe wraps payload in a valid header and checksum.
func reframe(payload []byte) []byte {
	out := append([]byte(magic), 0, 0, 0, 0)
	binary.LittleEndian.PutUint16(out[8:], Version)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(payload)))
	out = append(out, payload...)
	return binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(out))
}
