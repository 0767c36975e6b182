// Package features turns a tokenized message into a sparse, hashed,
// TF-IDF-weighted feature vector.
//
// Features are hashed (FNV-1a) into a fixed number of buckets so that the
// model stores no feature strings: a model file holds numbers only, and a
// message's features are computed without allocating strings.
package features

import (
	"math"
)

// Feature is one non-zero entry of a sparse vector.
type Feature struct {
	Index uint32
	Value float32
}

// Kinds of features, mixed into the hash so that a word and a character
// n-gram with the same letters fall into different buckets.
const (
	kindWord   = 'w'
	kindBigram = 'b'
	kindChar   = 'c'
	kindPiece  = 'p'
)

// Config says which features to extract. It is stored in the model.
type Config struct {
	// Bits is log2 of the number of hash buckets.
	Bits uint8
	// CharMin and CharMax bound the character n-gram lengths (0: none).
	CharMin, CharMax uint8
}

// Default is the configuration used for training. Character n-grams stop
// at 4 bytes: on CLINC150 validation data 5-grams gained nothing (0.2
// points less, within noise) for 25% more buckets and training time.
var Default = Config{Bits: 18, CharMin: 2, CharMax: 4}

// Dim is the number of hash buckets.
func (c Config) Dim() int { return 1 << c.Bits }

// Extractor computes feature counts. It keeps scratch buffers and is not
// safe for concurrent use; make one per goroutine.
type Extractor struct {
	cfg  Config
	mask uint32
	out  []Feature
	gram []byte
	// seen is an open-addressing table from bucket+1 (0: empty) to the
	// bucket's index in out. A message has a few hundred features at most,
	// so the table stays small and in cache, where a table over all 2^18
	// buckets took 2 MB per Extractor and a cache miss per feature.
	seen []seenSlot
}

type seenSlot struct {
	key uint32 // bucket+1, or 0 for an empty slot
	at  int32  // index in out
}

// NewExtractor returns an Extractor for cfg.
func NewExtractor(cfg Config) *Extractor {
	return &Extractor{cfg: cfg, mask: uint32(cfg.Dim() - 1), seen: make([]seenSlot, 256)}
}

// Counts returns the raw counts of the features of a message given as its
// words (normalized, punctuation included) and its subword pieces, in the
// order the features first occur. The result is valid until the next call.
func (e *Extractor) Counts(words, pieces []string) []Feature {
	e.out = e.out[:0]
	clear(e.seen)
	prev := ""
	for _, w := range words {
		if !IsWord(w) {
			prev = ""
			continue
		}
		e.add(hash2(kindWord, w, ""))
		if prev != "" {
			e.add(hash2(kindBigram, prev, w))
		}
		prev = w
		e.chars(w)
	}
	for _, p := range pieces {
		if IsWord(p) {
			e.add(hash2(kindPiece, p, ""))
		}
	}
	return e.out
}

func (e *Extractor) add(h uint32) {
	b := h & e.mask
	if 2*len(e.out) >= len(e.seen) { // keep the table at most half full
		e.grow()
	}
	slots := uint32(len(e.seen) - 1)
	// b is the low bits of a mixed hash: uniform enough to place it.
	for i := b & slots; ; i = (i + 1) & slots {
		s := &e.seen[i]
		if s.key == b+1 {
			e.out[s.at].Value++
			return
		}
		if s.key == 0 {
			*s = seenSlot{b + 1, int32(len(e.out))}
			e.out = append(e.out, Feature{b, 1})
			return
		}
	}
}

// grow doubles the table and re-enters the features counted so far.
func (e *Extractor) grow() {
	e.seen = make([]seenSlot, 2*len(e.seen))
	slots := uint32(len(e.seen) - 1)
	for at, f := range e.out {
		i := f.Index & slots
		for e.seen[i].key != 0 {
			i = (i + 1) & slots
		}
		e.seen[i] = seenSlot{f.Index + 1, int32(at)}
	}
}

// chars adds the character n-grams of " w " (word boundaries marked, as
// scikit-learn's char_wb analyzer does): they carry morphology, typos and
// German compounds, which whole words miss. The n-grams that start at one
// byte share their FNV-1a prefix, so each is one step from the last.
func (e *Extractor) chars(w string) {
	if e.cfg.CharMax == 0 {
		return
	}
	g := append(append(append(e.gram[:0], ' '), w...), ' ')
	e.gram = g
	// Work on bytes: n-grams that cut a multi-byte rune are still stable
	// features, and byte offsets keep this allocation-free.
	lo, hi := int(e.cfg.CharMin), int(e.cfg.CharMax)
	for i := 0; i+lo <= len(g); i++ {
		h := uint32(offset32)
		h = (h ^ uint32(kindChar)) * prime32
		for n := 1; n <= hi && i+n <= len(g); n++ {
			h = (h ^ uint32(g[i+n-1])) * prime32
			if n >= lo {
				e.add(fmix(h))
			}
		}
	}
}

// IsWord reports whether a token has a letter or digit, telling words from
// the punctuation tokens of the tokenizer.
func IsWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 {
			return true
		}
	}
	return false
}

const (
	offset32 = 2166136261
	prime32  = 16777619
)

func hash2(kind byte, a, b string) uint32 {
	h := uint32(offset32)
	h = (h ^ uint32(kind)) * prime32
	for i := 0; i < len(a); i++ {
		h = (h ^ uint32(a[i])) * prime32
	}
	if b != "" {
		h = (h ^ ' ') * prime32
		for i := 0; i < len(b); i++ {
			h = (h ^ uint32(b[i])) * prime32
		}
	}
	return fmix(h)
}

// fmix is murmur3's finalizer: FNV-1a's low bits are weak, and the bucket
// is taken from the low bits.
func fmix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// Weigh turns counts into a unit-length TF-IDF vector in place: sublinear
// term frequency (1 + ln tf) times idf, then L2 normalization. idf holds a
// quantized idf per bucket (see QuantizeIDF).
func Weigh(fs []Feature, idf []uint8) {
	var norm float64
	for i := range fs {
		tf := 1.0 // most counts are 1: no logarithm, which is slow in WebAssembly
		if fs[i].Value != 1 {
			tf += math.Log(float64(fs[i].Value))
		}
		v := tf * DequantizeIDF(idf[fs[i].Index])
		fs[i].Value = float32(v)
		norm += v * v
	}
	if norm == 0 {
		return
	}
	inv := 1 / math.Sqrt(norm)
	for i := range fs {
		fs[i].Value = float32(float64(fs[i].Value) * inv)
	}
}

// idfStep is the resolution of a quantized idf: 255 steps cover idf values
// up to 16, enough for 3 million documents.
const idfStep = 1.0 / 16

// QuantizeIDF returns the smoothed idf ln((1+n)/(1+df)) + 1 of a bucket seen
// in df of n documents, quantized to a byte.
func QuantizeIDF(df, n int) uint8 {
	idf := math.Log(float64(1+n)/float64(1+df)) + 1
	q := math.Round(idf / idfStep)
	return uint8(min(max(q, 1), 255))
}

// DequantizeIDF is the inverse of QuantizeIDF.
func DequantizeIDF(q uint8) float64 { return float64(q) * idfStep }
