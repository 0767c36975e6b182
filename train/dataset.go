package train

import (
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
	classes  int
	oosClass bool
	idf      []uint8  // per bucket
	bucket   []uint32 // local index -> bucket
}

func newDataset(b *bot.Bot, tok *tokenize.Tokenizer, cfg features.Config) *dataset {
	ds := &dataset{cfg: cfg, classes: len(b.Intents), oosClass: len(b.OutOfScope) > 0}
	var texts []string
	for i, in := range b.Intents {
		for _, ex := range in.Examples {
			texts = append(texts, ex)
			ds.y = append(ds.y, i)
		}
	}
	if ds.oosClass {
		for _, ex := range b.OutOfScope {
			texts = append(texts, ex)
			ds.y = append(ds.y, ds.classes)
		}
		ds.classes++
	}
	ext := features.NewExtractor(cfg)
	local := map[uint32]uint32{}
	df := map[uint32]int{}
	var words, pieces []string
	for _, t := range texts {
		words = tok.Words(words[:0], t)
		pieces = tok.Tokens(pieces[:0], t)
		fs := append([]features.Feature(nil), ext.Counts(words, pieces)...)
		for _, f := range fs {
			df[f.Index]++
		}
		ds.x = append(ds.x, fs)
	}
	ds.idf = make([]uint8, cfg.Dim())
	for i := range ds.idf {
		ds.idf[i] = features.QuantizeIDF(df[uint32(i)], len(texts))
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
