package train

import (
	"cmp"
	"slices"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/linear"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec"
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
	// vec holds the word vectors of the bot's words (nil: none), dense
	// each example's mean word vector (nil: none known).
	vec   *wordvec.Table
	dense [][]float32
}

// vecWeight is the length of the mean word vector next to the unit-length
// TF-IDF vector. The distilled vectors carry more meaning than GloVe did, and
// the classifier leans on them harder: at 1, CLINC150 out-of-scope messages
// borrowed their topic's confidence (recall 0.63); at 0.25 the accuracy
// gains were mostly gone (RATIONALE.md, "Word vectors distilled from a
// sentence encoder").
const vecWeight = 0.5

// sample is one training text with its class and group. A translation
// shares its original's group, so that cross-validation keeps the two in
// one fold: a held-out example whose translation was trained on would make
// the confidences look better than they are.
type sample struct {
	text         string
	class, group int
	// english tells whether the text is in the word vectors' language, as
	// a reply would detect it (see markEnglish); only such samples get a
	// mean word vector.
	english bool
}

// markEnglish sets the english field of the samples, detecting each one's
// language among the bot's languages as the engine does for a message.
func markEnglish(ss []sample, languages []string) {
	for i := range ss {
		lang, _ := langid.Detect(ss[i].text, languages)
		ss[i].english = lang == wordvec.Lang
	}
}

// samples lists the bot's examples; the out_of_scope examples, if any, form
// the class after the last intent.
func samples(b *bot.Bot) []sample {
	var out []sample
	for i, in := range b.Intents {
		for _, ex := range in.Examples {
			out = append(out, sample{text: ex, class: i, group: len(out)})
		}
	}
	for _, ex := range b.OutOfScope {
		out = append(out, sample{text: ex, class: len(b.Intents), group: len(out)})
	}
	return out
}

// newDataset extracts the features of the samples. vec, when not nil, is
// the source of word vectors; the dataset keeps those of the bot's words.
func newDataset(ss []sample, intents int, oosClass bool, tok *tokenize.Tokenizer, cfg features.Config, vec *wordvec.Table) *dataset {
	ds := &dataset{cfg: cfg, classes: intents, oosClass: oosClass}
	if oosClass {
		ds.classes++
	}
	ext := features.NewExtractor(cfg)
	local := map[uint32]uint32{}
	df := map[uint32]int{}
	var pieces, vocab []string
	words := make([][]string, len(ss))
	for i, s := range ss {
		words[i], pieces = tok.WordsAndTokens(nil, pieces[:0], s.text)
		vocab = append(vocab, words[i]...)
		fs := append([]features.Feature(nil), ext.Counts(words[i], pieces)...)
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
	if vec != nil {
		ds.vec = vec.Subset(vocab)
		ds.addDense(words, ss)
	}
	return ds
}

// addDense computes the mean word vector of each English example.
func (ds *dataset) addDense(words [][]string, ss []sample) {
	ds.dense = make([][]float32, len(words))
	for i, ws := range words {
		if !ss[i].english {
			continue
		}
		mean := make([]float32, wordvec.Dims)
		if ds.vec.Mean(mean, ws, vecWeight) {
			ds.dense[i] = mean
		}
	}
}

// problem returns the training problem over the examples idx (all when nil).
func (ds *dataset) problem(idx ...int) *linear.Problem {
	p := &linear.Problem{Classes: ds.classes, Dim: len(ds.bucket)}
	if ds.dense != nil {
		p.DenseDim = wordvec.Dims
	}
	if idx == nil {
		p.X, p.Y, p.Dense = ds.x, ds.y, ds.dense
		return p
	}
	for _, i := range idx {
		p.X = append(p.X, ds.x[i])
		p.Y = append(p.Y, ds.y[i])
		if ds.dense != nil {
			p.Dense = append(p.Dense, ds.dense[i])
		}
	}
	return p
}

// denseOf returns example i's mean word vector, nil when it has none.
func (ds *dataset) denseOf(i int) []float32 {
	if ds.dense == nil {
		return nil
	}
	return ds.dense[i]
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
