package train

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec"
)

// background.txt.gz holds English requests to assistants, one a line: the
// training examples of CLINC150 (CC BY 3.0, Larson et al. 2019) and HWU64
// (CC BY 4.0, Liu et al. 2019), the corpus the word vectors were
// distilled on (see testdata/clinc150 and testdata/hwu64 for sources and
// licences). Rebuild it with
//
//	go run ./scripts/wordvec corpus | gzip -9n > train/background.txt.gz
//
//go:embed background.txt.gz
var backgroundGz []byte

// Background out-of-scope examples. A bot author writes a few dozen
// out_of_scope examples at most, and its out-of-scope class then knows
// little of what else visitors ask. Requests written for other assistants
// teach it more, once those that the bot's intents claim are taken out:
// on CLINC150 out-of-scope recall rose from 0.700 to 0.770 (test split)
// and from 0.750 to 0.800 (validation split), in-scope accuracy moved from
// 0.923 to 0.924 and from 0.932 to 0.928 (RATIONALE.md, "Background
// out-of-scope examples").
const (
	// backgroundShare is the number of the bot's own examples per
	// background example: CLINC150 gets about a thousand. Twice as many
	// bought less recall per point of in-scope accuracy.
	backgroundShare = 15
	// backgroundMargin is the highest score that an intent's SVM, trained
	// on the bot's examples alone, may give a background text that joins
	// the out-of-scope class: halfway from the SVM's boundary to its
	// negative margin. Texts nearer an intent are often its paraphrases.
	backgroundMargin = -0.5
	// backgroundMinWords skips short requests ("stop", "alarm settings"),
	// which are in scope as often as not.
	backgroundMinWords = 3
	// backgroundPool bounds the candidates scored, as a multiple of the
	// texts wanted: about a third pass on CLINC150.
	backgroundPool = 4
)

var backgroundTexts = sync.OnceValue(func() []string {
	r, err := gzip.NewReader(bytes.NewReader(backgroundGz))
	if err != nil {
		panic("train: background.txt.gz: " + err.Error()) // embedded; a test reads it
	}
	data, err := io.ReadAll(r)
	if err != nil {
		panic("train: background.txt.gz: " + err.Error())
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
})

// usesBackground tells whether a bot gets background out-of-scope
// examples: it must serve English, the background's language. A bot with
// no out_of_scope examples of its own gets an out-of-scope class of them
// alone; without one it answered every message with some intent.
func usesBackground(b *bot.Bot) bool {
	return slices.Contains(b.Languages, wordvec.Lang)
}

// background returns up to len(ss)/backgroundShare background texts as
// out-of-scope samples: texts of at least backgroundMinWords words that
// are none of the bot's own and that no intent claims (see unclaimed).
// The choice is a seeded shuffle: the same bot gives the same texts.
func background(ss []sample, b *bot.Bot, tok *tokenize.Tokenizer, vec *wordvec.Table, o Options) []sample {
	want := len(ss) / backgroundShare
	if want == 0 {
		return nil
	}
	return unclaimed(ss, candidates(ss, want*backgroundPool, o.Seed), want, b, tok, vec, o)
}

// unclaimed returns, as out-of-scope samples, up to want of cands that
// every intent's SVM, trained on ss, scores below backgroundMargin.
func unclaimed(ss []sample, cands []string, want int, b *bot.Bot, tok *tokenize.Tokenizer, vec *wordvec.Table, o Options) []sample {
	if len(cands) == 0 {
		return nil
	}
	oos := len(b.Intents)
	all := slices.Clone(ss)
	for _, t := range cands {
		all = append(all, sample{text: t, class: oos, background: true})
	}
	if vec != nil {
		markEnglish(all[len(ss):], b.Languages)
	}
	ds := newDataset(all, len(b.Intents), true, tok, features.Default, vec)
	own := make([]int, len(ss))
	for i := range own {
		own[i] = i
	}
	o.progress("background out-of-scope examples: scoring %d candidates", len(cands))
	w := svm.train(ds.problem(own...), o)
	scores := make([]float64, ds.classes)
	var out []sample
	for i := len(ss); i < len(all) && len(out) < want; i++ {
		w.Scores(ds.x[i], ds.denseOf(i), len(ds.bucket), scores)
		if slices.Max(scores[:oos]) < backgroundMargin {
			s := all[i]
			s.group = len(ss) + len(out) // its own fold group, after the bot's
			out = append(out, s)
		}
	}
	return out
}

// candidates returns up to n background texts of at least
// backgroundMinWords words that are none of the bot's own, in a seeded
// random order.
func candidates(ss []sample, n int, seed uint64) []string {
	own := make(map[string]bool, len(ss))
	for _, s := range ss {
		own[normalize(s.text)] = true
	}
	var out []string
	for _, t := range backgroundTexts() {
		if len(strings.Fields(t)) >= backgroundMinWords && !own[normalize(t)] {
			out = append(out, t)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0xb6))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:min(n, len(out))]
}

// normalize lowercases s and collapses its white space.
func normalize(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
