package lotse

import (
	"math"
	"sync"
	"unicode"

	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec"
	"github.com/lotse-chat/lotse/pii"
)

// Model is a trained bot, ready to reply. It is safe for concurrent use.
type Model struct {
	file    *modelfile.Model
	weights weights
	tok     *tokenize.Tokenizer
	vec     *wordvec.Table // nil when the model has no word vectors
	info    Info
	scratch sync.Pool
}

// scratch holds one Reply call's buffers, reused through a sync.Pool so that
// a reply allocates little.
type scratch struct {
	ext    *features.Extractor
	words  []string
	pieces []string
	acc    []float64
	probs  []float64
	order  []int
	sums   []uint64
	sum    [wordvec.Dims]float64
}

// maxAlternatives bounds Reply.Alternatives.
const maxAlternatives = 3

// topN is how many ranked classes a reply needs: the best intent, its
// alternatives and the out-of-scope class, which may rank above them.
const topN = maxAlternatives + 2

// Errors of Load, which wraps them: test with errors.Is.
var (
	ErrNotModel   = modelfile.ErrNotModel  // not a model file at all
	ErrTruncated  = modelfile.ErrTruncated // cut short, e.g. copied in part
	ErrCorrupted  = modelfile.ErrChecksum  // bytes changed since training
	ErrNewerModel = modelfile.ErrNewer     // written by a newer engine: update
	ErrOlderModel = modelfile.ErrOlder     // written by an older engine: retrain
)

// loadError is Load's error: "lotse: load model: " and the cause, which it
// wraps. Not fmt.Errorf: the browser engine links no fmt.
type loadError struct{ err error }

func (e loadError) Error() string { return "lotse: load model: " + e.err.Error() }
func (e loadError) Unwrap() error { return e.err }

// Load parses a model file written by the trainer (lotse train). A
// truncated, corrupted or newer-version file yields an error that wraps
// one of the Err variables above.
func Load(data []byte) (*Model, error) {
	f, err := modelfile.Decode(data)
	if err != nil {
		return nil, loadError{err}
	}
	m := &Model{file: f, tok: tokenize.FromVocab(f.Vocab), weights: newWeights(f)}
	f.RowStart, f.Class, f.Weight = nil, nil, nil // m.weights holds them now
	if len(f.VecWords) > 0 {
		if m.vec, err = wordvec.New(f.VecWords, f.VecScales, f.VecValues); err != nil {
			return nil, loadError{err}
		}
	}
	m.info = Info{Name: f.Name, Languages: f.Languages, FormatVersion: modelfile.Version,
		Engine: f.Engine, Threshold: float64(f.Threshold)}
	for _, in := range f.Intents {
		m.info.Intents = append(m.info.Intents, IntentInfo{Name: in.Name, Handoff: in.Handoff})
	}
	m.scratch.New = func() any {
		n := f.Classes()
		return &scratch{ext: features.NewExtractor(f.Features), acc: make([]float64, n),
			probs: make([]float64, n), order: make([]int, 0, topN),
			sums: make([]uint64, m.weights.lanesPerRow())}
	}
	return m, nil
}

// Info describes the model.
func (m *Model) Info() Info { return m.info }

// IsAnswer reports whether text is one of the bot's answers, in any of its
// languages: what a Reply's Answer can be. A host receiving a transcript
// from a client uses it to tell the bot's words from words put in its mouth.
func (m *Model) IsAnswer(text string) bool {
	for _, in := range m.file.Intents {
		for _, a := range in.Answers {
			if a != "" && a == text {
				return true
			}
		}
	}
	return false
}

// Reply answers one message. See Reply for the fields; the decision is:
//  1. personal data in the message: handoff, reason personal_data (the
//     best intent is still reported, for the agent);
//  2. the out-of-scope class wins, or the best intent's confidence is below
//     the model's threshold: handoff, reason out_of_scope;
//  3. the best intent is marked handoff: handoff, reason handoff_intent,
//     with the intent's answer when the author wrote one (what to do until
//     a person takes over: "lock your card in the app") and the model is
//     at least handoffAnswerConfidence sure of the intent;
//  4. otherwise: answer, in the message's language.
func (m *Model) Reply(text string) Reply {
	lang := m.language(text)
	if !hasWordChar(text) {
		// An empty or punctuation-only message has nothing to classify: its
		// scores are the classes' biases, and a bot without a threshold
		// would answer it with whatever intent has the largest.
		return Reply{Action: Handoff, Reason: OutOfScope, Lang: lang}
	}
	s := m.scratch.Get().(*scratch)
	defer m.scratch.Put(s)
	m.classify(s, text, lang)
	f := m.file
	r := Reply{Lang: lang, PII: pii.Detect(text)}
	best := s.order[0]
	oos := f.OOSClass && best == len(f.Intents)
	top := bestIntent(s.order, len(f.Intents))
	r.Intent = f.Intents[top].Name
	r.Confidence = round6(s.probs[top])
	r.Alternatives = m.alternatives(s, top)
	switch {
	case len(r.PII) > 0:
		r.Action, r.Reason = Handoff, PersonalData
	case oos || s.probs[top] < float64(f.Threshold):
		r.Action, r.Reason, r.Intent = Handoff, OutOfScope, ""
		r.Alternatives = m.alternatives(s, -1)
	case f.Intents[top].Handoff:
		r.Action, r.Reason = Handoff, HandoffIntent
		if s.probs[top] >= handoffAnswerConfidence {
			r.Answer = f.Intents[top].Answers[m.langIndex(r.Lang)]
		}
	default:
		r.Action, r.Answer = Answer, f.Intents[top].Answers[m.langIndex(r.Lang)]
	}
	return r
}

// handoffAnswerConfidence is the least confidence at which a handoff
// intent's answer goes with its handoff. Below it the intent is more
// likely wrong than right (confidences are calibrated), and its answer
// would tell the visitor something false: a bot without a threshold handed
// "wie spät ist es" to its complaints intent at 0.2 and said "a colleague
// is taking care of your complaint". The handoff itself stays: a person
// sees the message either way.
const handoffAnswerConfidence = 0.5

// hasWordChar reports whether text holds a letter or a digit.
func hasWordChar(text string) bool {
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// classify fills s.probs with calibrated class probabilities and s.order
// with the classes by falling probability; lang is the message's language.
func (m *Model) classify(s *scratch, text, lang string) {
	f := m.file
	// The same features training extracted: words and WordPiece tokens.
	s.words, s.pieces = m.tok.WordsAndTokens(s.words[:0], s.pieces[:0], text)
	fs := s.ext.Counts(s.words, s.pieces)
	features.Weigh(fs, f.IDF)
	clear(s.acc)
	m.weights.accumulate(s.acc, s.sums, fs)
	m.denseScores(s.probs, s, lang) // s.probs holds them until the logits replace them
	maxScore := math.Inf(-1)
	for c := range s.acc {
		s.probs[c] = float64(f.Sharpness) * (float64(f.Bias[c]) + float64(f.Scale[c])*s.acc[c] + s.probs[c])
		maxScore = max(maxScore, s.probs[c])
	}
	softmax(s.probs, maxScore)
	s.order = rank(s.order, s.probs)
}

// denseScores writes into out the word vector part of each class's score:
// the class's dense weights times the message's normalized mean word
// vector, zero when the model has no vectors, the message is not in their
// language (training left such examples without vectors too) or the model
// knows none of the words.
// It sums the words' stored class projections (modelfile.Model.Proj), a
// few adds a word and class, where the product with the mean vector took a
// hundred multiplications a class: a fifth of a reply in WebAssembly.
func (m *Model) denseScores(out []float64, s *scratch, lang string) {
	clear(out)
	if m.vec == nil || lang != wordvec.Lang {
		return
	}
	f := m.file
	sum := &s.sum
	clear(sum[:])
	for _, w := range s.words {
		i, ok := m.vec.Index(w)
		if !ok {
			continue
		}
		m.vec.Add(sum, i)
		scale := float64(f.ProjScales[i])
		row := f.Proj[i*len(out) : (i+1)*len(out)]
		o := out[:len(row)]
		for c, x := range row {
			o[c] += scale * float64(x)
		}
	}
	norm := wordvec.Norm(sum) // 0 too when the model knows none of the words
	if norm == 0 {
		clear(out) // the words' projections may have added up to anything
		return
	}
	k := float64(f.VecWeight) / norm
	for c := range out {
		out[c] *= k
	}
}

// softmax turns logits into probabilities in place; maxLogit keeps exp
// from overflowing.
//
// The exponential is written out, within a relative 1e-10 of math.Exp
// (plenty for probabilities printed to six decimals): in WebAssembly
// math.Exp is a call into a long function, and a reply takes one per
// class. x = k ln2 + r with |r| <= ln2/2, so e^x is 2^k times a degree-9
// Taylor polynomial of e^r.
func softmax(p []float64, maxLogit float64) {
	var sum float64
	for c, v := range p {
		x := v - maxLogit // <= 0
		e := 0.0          // e^x, left 0 below the smallest normal float64
		if x >= -700 {
			k := math.Floor(x*math.Log2E + 0.5)
			r := x - k*math.Ln2
			e = 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040+r*(1.0/40320+r*(1.0/362880)))))))))
			e *= math.Float64frombits(uint64(int64(k)+1023) << 52)
		}
		p[c] = e
		sum += e
	}
	for c := range p {
		p[c] /= sum
	}
}

// rank writes into order the topN classes by falling probability; ties
// keep the lower index first, so replies are deterministic. Only the head
// is needed (best intent, out-of-scope class, alternatives), so this is a
// partial selection, linear in the number of classes.
func rank(order []int, p []float64) []int {
	order = order[:0]
	for c := range p {
		i := len(order)
		if i == cap(order) && p[c] <= p[order[i-1]] {
			continue
		}
		if i == cap(order) {
			i--
		} else {
			order = order[:i+1]
		}
		for ; i > 0 && p[c] > p[order[i-1]]; i-- {
			order[i] = order[i-1]
		}
		order[i] = c
	}
	return order
}

// bestIntent returns the first class in order that is an intent (not the
// out-of-scope class, whose index is nIntents).
func bestIntent(order []int, nIntents int) int {
	for _, c := range order {
		if c < nIntents {
			return c
		}
	}
	return 0
}

// alternatives lists the runner-up intents after skip.
func (m *Model) alternatives(s *scratch, skip int) []Alternative {
	var alts []Alternative
	for _, c := range s.order {
		if len(alts) == maxAlternatives {
			break
		}
		if c == skip || c >= len(m.file.Intents) {
			continue
		}
		alts = append(alts, Alternative{Intent: m.file.Intents[c].Name, Confidence: round6(s.probs[c])})
	}
	return alts
}

func (m *Model) language(text string) string {
	lang, _ := langid.Detect(text, m.file.Languages)
	return lang
}

func (m *Model) langIndex(lang string) int {
	for i, l := range m.file.Languages {
		if l == lang {
			return i
		}
	}
	return 0
}

// round6 rounds a probability to 6 decimals: replies then print the same in
// every host, whatever the last bits of floating-point arithmetic.
func round6(p float64) float64 { return math.Round(p*1e6) / 1e6 }
