package modelfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/tokenize"
)

func sample() *Model {
	cfg := features.Config{Bits: 4, CharMin: 2, CharMax: 3}
	m := &Model{
		Name: "acme", Languages: []string{"de", "en"}, Engine: "0.1.0",
		Vocab: tokenize.NewVocab([]string{"[UNK]", "hallo", "##s"}), Features: cfg,
		Intents: []Intent{
			{Name: "greeting", Answers: []string{"Hallo!", "Hello!"}},
			{Name: "balance", Handoff: true, Answers: []string{"", ""}},
		},
		OOSClass: true, Sharpness: 3.5, Threshold: 0.42,
		IDF:  bytes.Repeat([]byte{16}, cfg.Dim()),
		Bias: []float32{0.1, -0.2, 0.3}, Scale: []float32{0.01, 0.02, 0.03},
	}
	m.RowStart = make([]uint32, cfg.Dim()+1)
	for b := range cfg.Dim() {
		if b%3 == 0 {
			m.Class = append(m.Class, 0, 2)
			m.Weight = append(m.Weight, int8(b), -int8(b))
		}
		m.RowStart[b+1] = uint32(len(m.Class))
	}
	return m
}

func TestRoundTrip(t *testing.T) {
	m := sample()
	data := Encode(m)
	if !bytes.Equal(data, Encode(sample())) {
		t.Fatal("Encode is not deterministic")
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("round trip changed the model:\n got %+v\nwant %+v", got, m)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := Encode(sample())
	newer := bytes.Clone(good)
	binary.LittleEndian.PutUint16(newer[8:], Version+1)
	older := bytes.Clone(good)
	binary.LittleEndian.PutUint16(older[8:], MinVersion-1)
	flipped := bytes.Clone(good)
	flipped[headerSize+3] ^= 0x40
	// A payload that passes the checksum but lies about a length.
	lying := bytes.Clone(good[:headerSize])
	lying = append(lying, 0xff, 0xff, 0xff, 0xff, 0x0f)
	binary.LittleEndian.PutUint32(lying[12:], 5)
	lying = binary.LittleEndian.AppendUint32(lying, crc32.ChecksumIEEE(lying))

	tests := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrNotModel, "not a Lotse model file"},
		{"yaml instead of model", []byte("name: acme\nintents: []\n"), ErrNotModel, "bad magic"},
		{"header only", good[:12], ErrTruncated, "header needs 20 bytes, file has 12"},
		{"truncated", good[:len(good)-10], ErrTruncated, "want "},
		{"trailing bytes", append(bytes.Clone(good), 0), ErrMalformed, "1 trailing bytes"},
		{"newer version", newer, ErrNewer, "format version 4, this engine reads up to 3; update lotse or retrain"},
		{"older version", older, ErrOlder, "format version 2, this engine reads 3 to 3; retrain the model with lotse train"},
		{"flipped bit", flipped, ErrChecksum, "checksum mismatch"},
		{"lying length", lying, ErrMalformed, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Decode error = %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
}

// FuzzDecode feeds arbitrary bytes, and valid files with arbitrary payload
// changes and a recomputed checksum, to Decode: it must return an error or
// a model whose indexes are all in range, never panic.
func FuzzDecode(f *testing.F) {
	good := Encode(sample())
	f.Add(good, false)
	f.Add(good[:headerSize+4], true)
	f.Add([]byte("LOTSEMDL"), false)
	f.Fuzz(func(t *testing.T, data []byte, fixCRC bool) {
		if fixCRC && len(data) >= headerSize+4 {
			data = bytes.Clone(data)
			copy(data, magic)
			binary.LittleEndian.PutUint16(data[8:], Version)
			binary.LittleEndian.PutUint32(data[12:], uint32(len(data)-headerSize-4))
			binary.LittleEndian.PutUint32(data[len(data)-4:], crc32.ChecksumIEEE(data[:len(data)-4]))
		}
		m, err := Decode(data)
		if err != nil {
			return
		}
		if len(m.IDF) != m.Features.Dim() || len(m.RowStart) != m.Features.Dim()+1 {
			t.Fatal("decoded tables do not match the feature dimension")
		}
		for _, c := range m.Class {
			if int(c) >= m.Classes() {
				t.Fatalf("class %d out of range", c)
			}
		}
		for _, in := range m.Intents {
			if len(in.Answers) != len(m.Languages) {
				t.Fatal("answers not aligned with languages")
			}
		}
	})
}

// TestRows decodes hand-written row sections: rows that skip empty
// buckets, and hostile counts, gaps and lengths.
func TestRows(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte // rows, weights, then per row: gap, length, (class delta, weight)...
		start   []uint32
		err     string
	}{
		{"two rows", []byte{2, 3, 1, 2, 0, 5, 1, 0xfb, 1, 1, 1, 7}, []uint32{0, 0, 2, 2, 3}, ""},
		{"no rows", []byte{0, 0}, []uint32{0, 0, 0, 0, 0}, ""},
		{"gap past the end", []byte{1, 1, 4, 1, 0, 5}, nil, "row 4: out of range"},
		{"hostile gap", []byte{1, 1, 9, 1, 0, 5}, nil, "row gap"},
		{"row past the end", []byte{2, 2, 3, 1, 0, 5, 0, 1, 0, 5}, nil, "out of range or empty"},
		{"empty row", []byte{1, 1, 0, 0}, nil, "out of range or empty"},
		{"longer than announced", []byte{1, 1, 0, 2, 0, 5, 1, 5}, nil, "row length"},
		{"fewer than announced", []byte{1, 2, 0, 1, 0, 5, 0, 0}, nil, "2 announced"},
		{"hostile weight count", []byte{1, 0xff, 0xff, 0xff, 0x7f}, nil, "weights"},
		{"class out of range", []byte{1, 1, 0, 1, 2, 5}, nil, "class index out of range"},
		{"class repeated", []byte{1, 2, 0, 2, 0, 5, 0, 6}, nil, "class index repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Model{Intents: make([]Intent, 2)}
			r := &reader{b: tt.payload}
			r.rows(m, 4)
			switch {
			case tt.err == "" && r.err != nil:
				t.Fatalf("error %v", r.err)
			case tt.err != "" && (r.err == nil || !strings.Contains(r.err.Error(), tt.err)):
				t.Fatalf("error %v, want one containing %q", r.err, tt.err)
			case tt.err == "" && !reflect.DeepEqual(m.RowStart, tt.start):
				t.Fatalf("RowStart %v, want %v", m.RowStart, tt.start)
			}
		})
	}
}
