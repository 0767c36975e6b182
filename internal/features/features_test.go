package features

import (
	"maps"
	"math"
	"strings"
	"testing"
)

func TestCounts(t *testing.T) {
	e := NewExtractor(Config{Bits: 16, CharMin: 2, CharMax: 4})
	a := append([]Feature(nil), e.Counts([]string{"wann", "zahlen", "?"}, []string{"wann", "zahl", "##en"})...)
	b := e.Counts([]string{"wann", "zahlen", "?"}, []string{"wann", "zahl", "##en"})
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("Counts gave %d then %d features for the same input", len(a), len(b))
	}
	var total float32
	seen := map[uint32]bool{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("Counts is not deterministic")
		}
		if seen[a[i].Index] {
			t.Fatalf("Counts repeats index %d", a[i].Index)
		}
		seen[a[i].Index] = true
		total += a[i].Value
	}
	// 2 words + 1 bigram + 3 pieces ("##en" is not a word-initial piece
	// but has letters) + char n-grams of " wann " (5+4+3) and " zahlen " (7+6+5).
	if want := float32(2 + 1 + 3 + 12 + 18); total != want {
		t.Errorf("total count %v, want %v", total, want)
	}
	if got := e.Counts([]string{"?", "!"}, nil); len(got) != 0 {
		t.Errorf("punctuation gave %d features, want none", len(got))
	}
}

func TestWeighUnitLength(t *testing.T) {
	idf := make([]uint8, 1<<8)
	for i := range idf {
		idf[i] = QuantizeIDF(i%7, 10)
	}
	fs := []Feature{{1, 1}, {5, 3}, {200, 2}}
	Weigh(fs, idf)
	var norm float64
	for _, f := range fs {
		norm += float64(f.Value) * float64(f.Value)
	}
	if math.Abs(norm-1) > 1e-6 {
		t.Fatalf("weighted vector has squared norm %v, want 1", norm)
	}
}

func TestQuantizeIDF(t *testing.T) {
	tests := []struct{ df, n int }{{0, 10}, {1, 10}, {10, 10}, {5, 15000}, {0, 3_000_000}}
	for _, tt := range tests {
		want := math.Log(float64(1+tt.n)/float64(1+tt.df)) + 1
		got := DequantizeIDF(QuantizeIDF(tt.df, tt.n))
		if math.Abs(got-want) > idfStep/2+1e-9 {
			t.Errorf("idf(df=%d, n=%d) = %v, want %v within %v", tt.df, tt.n, got, want, idfStep/2)
		}
	}
}

func TestIsWord(t *testing.T) {
	for s, want := range map[string]bool{"a": true, "42": true, "ß": true, "?": false, "##": false, "": false} {
		if IsWord(s) != want {
			t.Errorf("IsWord(%q) = %v", s, !want)
		}
	}
}

// TestCountsDefinition checks Counts against the features' definition:
// each word, each bigram of adjacent words, each piece, and each byte
// n-gram of " word " hashed on its own, counted in a map. Long inputs make
// the extractor's table grow.
func TestCountsDefinition(t *testing.T) {
	tests := []struct {
		name          string
		words, pieces []string
	}{
		{"short", []string{"wann", "zahlen", "?", "wann"}, []string{"wann", "zahl", "##en"}},
		{"umlauts", []string{"grüße", "aus", "köln"}, []string{"gr", "##ü", "##ße"}},
		{"one letter", []string{"a"}, nil},
		{"long", strings.Fields(strings.Repeat("the quick brown fox jumps over the lazy dog again and again ", 20)), nil},
	}
	cfg := Config{Bits: 12, CharMin: 2, CharMax: 4}
	e := NewExtractor(cfg)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := map[uint32]float32{}
			add := func(h uint32) { want[h&uint32(cfg.Dim()-1)]++ }
			prev := ""
			for _, w := range tt.words {
				if !IsWord(w) {
					prev = ""
					continue
				}
				add(hash2(kindWord, w, ""))
				if prev != "" {
					add(hash2(kindBigram, prev, w))
				}
				prev = w
				g := []byte(" " + w + " ")
				for n := int(cfg.CharMin); n <= int(cfg.CharMax); n++ {
					for i := 0; i+n <= len(g); i++ {
						add(hashBytes(kindChar, g[i:i+n]))
					}
				}
			}
			for _, p := range tt.pieces {
				if IsWord(p) {
					add(hash2(kindPiece, p, ""))
				}
			}
			got := map[uint32]float32{}
			for _, f := range e.Counts(tt.words, tt.pieces) {
				if _, dup := got[f.Index]; dup {
					t.Fatalf("bucket %d twice", f.Index)
				}
				got[f.Index] = f.Value
			}
			if !maps.Equal(got, want) {
				t.Errorf("Counts = %v,\nwant %v", got, want)
			}
		})
	}
}

// hashBytes hashes one n-gram from scratch, as the definition says; chars
// extends the hash of the n-gram one byte shorter instead.
func hashBytes(kind byte, a []byte) uint32 {
	h := uint32(offset32)
	h = (h ^ uint32(kind)) * prime32
	for _, c := range a {
		h = (h ^ uint32(c)) * prime32
	}
	return fmix(h)
}
