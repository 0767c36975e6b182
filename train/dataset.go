package train

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

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
	bg       []bool // sample i is a background example
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
	// background marks an out-of-scope example that is not the author's
	// (see background): cross-validation trains on it and scores it, but
	// the reported out-of-scope recall counts the author's examples only.
	background bool
}

// alwaysTrained is the group of samples that cross-validation trains on in
// every fold and never holds out. An intent's name is such a sample: it is
// not a message a visitor writes, so scoring it as one would misstate how
// sure the model is of messages, and the threshold chosen from those
// scores would move.
const alwaysTrained = -1

// fewExamples is the number of examples below which an intent's name joins
// them. Bot authors name intents after what they are about ("card_lost"),
// which is one more example in the author's words, and where an intent has
// about ten that pays: Banking77 with 10 examples an intent 0.765 to 0.773
// (mean of 5 samples), the demo bot 0.641 to 0.654 in-scope accuracy at
// the same out-of-scope recall. With 27 to 187 examples an intent (the
// full benchmarks) it moved the figures by noise only (RATIONALE.md).
const fewExamples = 20

// withNames returns ss followed by the names of the intents that have
// fewer than fewExamples examples, when the names are in a language that
// at least minVectorShare of ss (examples and their translations) are
// written in. A bot with German examples only and English names would
// otherwise have the names as its only English text, and answer English
// messages on one shared word with a confidence its German
// cross-validation never measured (the demo bot's German-only split: 23
// points more right answers, and 23 more wrong).
func withNames(ss []sample, b *bot.Bot) []sample {
	if b.Source == bot.SourceCSV {
		// A CSV intent's name is its question made a slug: no words of the
		// author's beyond the example, and never held out, it let
		// cross-validation score every held-out question as right (a FAQ
		// of four questions: accuracy 1.000, every reply confidence 1).
		return ss
	}
	var names, texts []string
	few := false
	for _, in := range b.Intents {
		names = append(names, nameText(in.Name))
		few = few || len(in.Examples) < fewExamples
	}
	if !few { // spare detecting the language of every text of a big bot
		return ss
	}
	for _, s := range ss {
		texts = append(texts, s.text)
	}
	lang, _ := langid.Detect(strings.Join(names, " "), b.Languages)
	if langShare(texts, b.Languages, lang) < minVectorShare {
		return ss
	}
	for i, in := range b.Intents {
		if names[i] != "" && len(in.Examples) < fewExamples {
			ss = append(ss, sample{text: names[i], class: i, group: alwaysTrained})
		}
	}
	return ss
}

// nameText turns an intent name into words: "card_lost", "card-lost",
// "card.lost" and "cardLost" all give the words card and lost (the
// tokenizer lowercases). It returns "" for a name without letters.
func nameText(name string) string {
	var b strings.Builder
	letters := false
	prev := ' '
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || r == '.' || unicode.IsSpace(r):
			r = ' '
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteByte(' ')
		}
		if r == ' ' && prev == ' ' {
			continue
		}
		letters = letters || unicode.IsLetter(r)
		b.WriteRune(r)
		prev = r
	}
	if !letters {
		return ""
	}
	return strings.TrimSpace(b.String())
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
		ds.bg = append(ds.bg, s.background)
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
