package train

import (
	"cmp"
	"slices"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/linear"
	"github.com/lotse-chat/lotse/internal/tokenize"
)

// dataset is the bot's examples as weighted feature vectors. Buckets are
// renumbered densely (local indexes) so that training works on a weight
// vector as long as the features actually seen, not the whole hash space.
type dataset struct {
	cfg      features.Config
	x        [][]features.Feature // local indexes
	y        []int
	group    []int
	classes  int
	oosClass bool
	idf      []uint8  // per bucket
	bucket   []uint32 // local index -> bucket
}

// sample is one training text with its class and group. A translation
// shares its original's group, so that cross-validation keeps the two in
// one fold: a held-out example whose translation was trained on would make
// the confidences look better than they are.
type sample struct {
	text         string
	class, group int
}

// samples lists the bot's examples; the out_of_scope examples, if any, form
// the class after the last intent.
func samples(b *bot.Bot) []sample {
	var out []sample
	for i, in := range b.Intents {
		for _, ex := range in.Examples {
			out = append(out, sample{ex, i, len(out)})
		}
	}
	for _, ex := range b.OutOfScope {
		out = append(out, sample{ex, len(b.Intents), len(out)})
	}
	return out
}

func newDataset(ss []sample, intents int, oosClass bool, tok *tokenize.Tokenizer, cfg features.Config) *dataset {
	ds := &dataset{cfg: cfg, classes: intents, oosClass: oosClass}
	if oosClass {
		ds.classes++
	}
	ext := features.NewExtractor(cfg)
	local := map[uint32]uint32{}
	df := map[uint32]int{}
	var words, pieces []string
	for _, s := range ss {
		words = tok.Words(words[:0], s.text)
		pieces = tok.Tokens(pieces[:0], s.text)
		fs := append([]features.Feature(nil), ext.Counts(words, pieces)...)
		for _, f := range fs {
			df[f.Index]++
		}
		ds.x = append(ds.x, fs)
		ds.y = append(ds.y, s.class)
		ds.group = append(ds.group, s.group)
	}
	ds.cfg.Bits = bitsFor(len(df), cfg.Bits)
	if ds.cfg.Bits < cfg.Bits {
		df = fold(ds.x, ds.cfg.Bits)
	}
	ds.idf = make([]uint8, ds.cfg.Dim())
	for i := range ds.idf {
		ds.idf[i] = features.QuantizeIDF(df[uint32(i)], len(ss))
	}
	for _, fs := range ds.x {
		features.Weigh(fs, ds.idf)
		for i, f := range fs {
			l, ok := local[f.Index]
			if !ok {
				l = uint32(len(ds.bucket))
				local[f.Index] = l
				ds.bucket = append(ds.bucket, f.Index)
			}
			fs[i].Index = l
		}
	}
	return ds
}

// problem returns the training problem over the examples idx (all when nil).
func (ds *dataset) problem(idx ...int) *linear.Problem {
	p := &linear.Problem{Classes: ds.classes, Dim: len(ds.bucket)}
	if idx == nil {
		p.X, p.Y = ds.x, ds.y
		return p
	}
	for _, i := range idx {
		p.X = append(p.X, ds.x[i])
		p.Y = append(p.Y, ds.y[i])
	}
	return p
}

// bitsFor sizes the hash space for a bot with distinct features: about
// four buckets a feature keeps collisions rare (about one in five features
// shares a bucket), and a small bot then gets a small model: the idf table
// and row index grow with the hash space, not with the bot.
func bitsFor(distinct int, most uint8) uint8 {
	bits := uint8(12)
	for bits < most && 1<<bits < 4*distinct {
		bits++
	}
	return bits
}

// fold maps every example's buckets into the smaller space of bits (the
// low bits of the hash, so the result equals extracting with that many
// bits), merging buckets that now coincide, and returns the new document
// frequencies.
func fold(x [][]features.Feature, bits uint8) map[uint32]int {
	mask := uint32(1)<<bits - 1
	folded := map[uint32]int{}
	for i, fs := range x {
		for j := range fs {
			fs[j].Index &= mask
		}
		slices.SortFunc(fs, func(a, b features.Feature) int { return cmp.Compare(a.Index, b.Index) })
		out := fs[:0]
		for _, f := range fs {
			if n := len(out); n > 0 && out[n-1].Index == f.Index {
				out[n-1].Value += f.Value
				continue
			}
			out = append(out, f)
			folded[f.Index]++
		}
		x[i] = out
	}
	return folded
}
