package wordvec

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// table returns a table whose word i has value i+1 in dimension i and
// zeros elsewhere, with scale 1.
func table(words ...string) *Table {
	values := make([]int8, len(words)*Dims)
	for i := range words {
		values[i*Dims+i] = int8(i + 1)
	}
	t, err := New(words, make([]float32, len(words)), values)
	if err != nil {
		panic(err)
	}
	for i := range t.Scales {
		t.Scales[i] = 1
	}
	return t
}

func TestMean(t *testing.T) {
	tab := table("cash", "money")
	tests := []struct {
		words  []string
		weight float64
		want   map[int]float64 // non-zero dimensions
		found  bool
	}{
		{[]string{"cash"}, 1, map[int]float64{0: 1}, true},
		{[]string{"money", "unknown"}, 2, map[int]float64{1: 2}, true},
		// (1, 2) normalized: the mean's direction, at length weight.
		{[]string{"cash", "money"}, 1, map[int]float64{0: 1 / math.Sqrt(5), 1: 2 / math.Sqrt(5)}, true},
		{[]string{"unknown"}, 1, nil, false},
		{nil, 1, nil, false},
	}
	for _, tt := range tests {
		dst := make([]float32, Dims)
		if found := tab.Mean(dst, tt.words, tt.weight); found != tt.found {
			t.Errorf("Mean(%q) found = %v, want %v", tt.words, found, tt.found)
			continue
		}
		if !tt.found {
			continue
		}
		for k, v := range dst {
			if math.Abs(float64(v)-tt.want[k]) > 1e-6 {
				t.Errorf("Mean(%q)[%d] = %v, want %v", tt.words, k, v, tt.want[k])
			}
		}
	}
}

func TestSubset(t *testing.T) {
	s := table("a", "b", "c").Subset([]string{"c", "x", "a", "c"})
	if got := strings.Join(s.Words, ","); got != "c,a" {
		t.Fatalf("Subset words = %s, want c,a", got)
	}
	dst := make([]float32, Dims)
	if !s.Mean(dst, []string{"c"}, 1) || dst[2] != 1 {
		t.Errorf("Subset lost c's vector: %v", dst[:3])
	}
}

func TestParse(t *testing.T) {
	good := []byte("LWV1")
	good = binary.LittleEndian.AppendUint32(good, 1)
	good = binary.LittleEndian.AppendUint16(good, Dims)
	good = append(good, 3, 'y', 'e', 's')
	good = binary.LittleEndian.AppendUint32(good, math.Float32bits(0.5))
	good = append(good, make([]byte, Dims)...)
	good[len(good)-1] = 0xfe // -2
	tab, err := Parse(good)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, Dims)
	if !tab.Mean(dst, []string{"yes"}, 1) || dst[Dims-1] != -1 {
		t.Errorf("parsed vector of yes: last value %v, want -1 (normalized -2*0.5)", dst[Dims-1])
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"bad magic": append([]byte("XXXX"), good[4:]...),
		"truncated": good[:len(good)-1],
	} {
		if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), "scripts/wordvec") {
			t.Errorf("Parse(%s) error = %v, want one that says how to rebuild", name, err)
		}
	}
}

func TestNewRejectsMismatch(t *testing.T) {
	if _, err := New([]string{"a"}, []float32{1}, make([]int8, Dims-1)); err == nil {
		t.Error("New accepted too few values")
	}
}

// TestEncodeRoundTrip: Encode's int8 values, times the scale, give back
// each vector within half a quantization step, and a zero vector stays zero.
func TestEncodeRoundTrip(t *testing.T) {
	vecs := [][]float64{make([]float64, Dims), make([]float64, Dims), make([]float64, Dims)}
	for k := range Dims {
		vecs[0][k] = float64(k) - 40.5
		vecs[1][k] = math.Sin(float64(k)) / 1000
	}
	words := []string{"first", "zwei", "zero"}
	tab, err := Parse(Encode(words, vecs))
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		j, ok := tab.Index(w)
		if !ok || j != i {
			t.Fatalf("word %q at %d, %v; want %d", w, j, ok, i)
		}
		var got [Dims]float64
		tab.Add(&got, i)
		step := float64(tab.Scales[i])
		for k, want := range vecs[i] {
			if math.Abs(got[k]-want) > step/2+1e-12 {
				t.Errorf("%s[%d] = %v, want %v (step %v)", w, k, got[k], want, step)
			}
		}
	}
}
