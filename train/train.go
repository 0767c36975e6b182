// Package train turns a bot definition into a Lotse model file.
//
// The model is a linear support vector machine per intent over hashed
// TF-IDF features (words, word pairs, character n-grams and WordPiece
// tokens), trained by dual coordinate descent; bots up to a million
// examples x classes also try a multinomial logistic regression and the
// sum of both, which cross-validation keeps when it does better. An
// intent with fewer than 20 examples also learns from its name, split into
// words (RATIONALE.md in the repository says why). Cross-validation over the
// training examples and the bot's out_of_scope examples calibrates the
// confidences and chooses the out-of-scope threshold; test data is never
// used. Training is deterministic: the same bot and Options give the same
// bytes.
package train

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	lotse "github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/linear"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec"
	"github.com/lotse-chat/lotse/internal/wordvec/english"
	"github.com/lotse-chat/lotse/lexicon"
)

// Options tune training. The zero value is the recommended setting.
type Options struct {
	// Folds is the number of cross-validation folds used to choose the
	// out-of-scope threshold and to calibrate confidences: at least 2
	// (default 3).
	Folds int
	// Seed fixes the assignment of examples to folds and the solver's
	// visiting order (default 1).
	Seed uint64
	// C is the SVM's inverse regularization strength (default 1).
	C float64
	// RejectBudget is the share of the bot's held-out in-scope examples
	// that the out-of-scope threshold rejects, those its out-of-scope
	// class takes included (default DefaultRejectBudget; at most
	// MaxRejectBudget). More hands off more out-of-scope messages and
	// more in-scope ones: lotse test --curve shows the trade-off.
	RejectBudget float64
	// Threshold, when above 0, is the model's confidence threshold, set by
	// hand in place of the one cross-validation derives from RejectBudget:
	// a bot whose out-of-scope class already takes the budget gets no
	// threshold from it, and a larger budget may change the classifier
	// too. It must be below 1.
	// Everything else is chosen as without it (the classifier, by its
	// accuracy at the budget's threshold, and the calibration), except
	// that the background out-of-scope examples are never left out for
	// want of a threshold, since there is one. The Report's CVAccuracy and
	// CVOOSRecall are then cross-validation's figures at Threshold.
	Threshold float64
	// Lexicon, when not nil, adds word-by-word translations (German to
	// English and back) of the examples of intents that have fewer than
	// three examples in the other language, so that a bot written mostly in
	// one language answers visitors in the other. Only training uses it;
	// the model file holds no dictionary.
	Lexicon *lexicon.Lexicon
	// Progress, when not nil, is told each step of training as it starts
	// ("cross-validation fold 1 of 3: svm, softmax"): a bot of ten thousand
	// examples takes half a minute, most of it in cross-validation.
	Progress func(step string)

	// cvRun names the cross-validation run in progress reports when
	// training runs it twice (see Train).
	cvRun string
}

func (o Options) progress(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

func (o Options) withDefaults() Options {
	if o.Folds == 0 {
		o.Folds = 3
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.C == 0 {
		o.C = 1
	}
	if o.RejectBudget == 0 {
		o.RejectBudget = DefaultRejectBudget
	}
	return o
}

// MaxRejectBudget bounds Options.RejectBudget: a bot that should hand off
// more than half of what it could answer needs more examples, not a
// higher threshold.
const MaxRejectBudget = 0.5

// Report tells how training went, measured on held-out folds of the
// training data (never on test data).
type Report struct {
	Intents int `json:"intents"`
	// Examples counts the texts trained on: the bot's examples (intents
	// and out_of_scope), their translations, the intent names used as
	// examples and the background out-of-scope examples.
	Examples int `json:"examples"`
	// Translations counts the word-by-word translations among Examples
	// (Options.Lexicon).
	Translations int `json:"translations"`
	// Names counts the intent names among Examples: an intent with few
	// examples learns its name as one more (RATIONALE.md).
	Names int `json:"names"`
	// Background counts the background out-of-scope examples: requests
	// written for other assistants that none of the bot's intents claims.
	// Bots in English get them: as their out-of-scope class when they have
	// no out_of_scope examples, else added to it unless it would then take
	// the whole rejection budget.
	Background int `json:"background"`
	// BackgroundDropped counts the background out-of-scope examples that
	// were chosen and then left out again, because with them
	// cross-validation found no confidence threshold: the bot's out-of-scope
	// class took the whole rejection budget (BackgroundDroppedWhy is
	// NoThresholdOOSClass), or the budget was less than one example
	// (NoThresholdFewExamples). 0 when the background was kept or none
	// was chosen.
	BackgroundDropped int `json:"background_dropped"`
	// BackgroundDroppedWhy is the reason there was no threshold with the
	// background examples; "" when none were dropped.
	BackgroundDroppedWhy string `json:"background_dropped_why,omitempty"`
	// Duration is how long training took. Not in JSON: the CLI writes it
	// as seconds.
	Duration time.Duration `json:"-"`
	// Threshold is the chosen out-of-scope confidence threshold.
	Threshold float64 `json:"threshold"`
	// ThresholdByHand tells that Threshold is Options.Threshold, set by
	// hand, rather than the one the rejection budget gives.
	ThresholdByHand bool `json:"threshold_by_hand,omitempty"`
	// NoThreshold tells why Threshold is 0 (NoThresholdFewExamples or
	// NoThresholdOOSClass); "" when there is a threshold.
	NoThreshold string `json:"no_threshold,omitempty"`
	// CVAccuracy is the cross-validated in-scope accuracy at Threshold
	// (a rejected in-scope example counts as wrong).
	CVAccuracy float64 `json:"cv_accuracy"`
	// CVOOSRecall is the cross-validated out-of-scope recall at Threshold
	// (0 when the bot has no out_of_scope examples).
	CVOOSRecall float64 `json:"cv_oos_recall"`
	// ECE is the expected calibration error of the confidences on the
	// held-out folds (10 equal-width bins, in-scope examples).
	ECE float64 `json:"ece"`
	// ModelBytes is the size of the model file. Not in JSON: the CLI
	// writes it as bytes, beside gzip_bytes.
	ModelBytes int `json:"-"`
	// Solver names the linear model that cross-validation chose: "svm"
	// (one-vs-rest SVMs), "softmax" (multinomial logistic regression) or
	// "svm+softmax" (their sum).
	Solver string `json:"solver"`
}

// check refuses options that would train a useless model, and a bot the
// bot package would not load: b should come from bot.Load or bot.Parse.
func (o Options) check(b *bot.Bot) error {
	switch {
	case o.Folds < 2:
		return fmt.Errorf("train: %d cross-validation folds; give at least 2 (or 0 for the default, 3)", o.Folds)
	case o.C < 0 || math.IsNaN(o.C) || math.IsInf(o.C, 0):
		return fmt.Errorf("train: C %g must be a positive number (or 0 for the default, 1)", o.C)
	case !(o.Threshold >= 0 && o.Threshold < 1): // NaN too
		return fmt.Errorf("train: threshold %g is out of range; give a confidence above 0 and below 1 (or 0 to derive one from the reject budget)", o.Threshold)
	}
	for _, in := range b.Intents {
		if len(in.Examples) == 0 {
			return fmt.Errorf("train: intent %q has no examples; a bot from bot.Load or bot.Parse never has such an intent", in.Name)
		}
	}
	return nil
}

// Train trains a model for b, which should come from bot.Load or
// bot.Parse, and returns the model file's bytes.
func Train(b *bot.Bot, opts Options) ([]byte, *Report, error) {
	start := time.Now()
	opts = opts.withDefaults()
	if b == nil || len(b.Intents) == 0 {
		return nil, nil, errors.New("train: the bot has no intents; add at least one intent with examples")
	}
	if len(b.Languages) == 0 {
		return nil, nil, errors.New("train: the bot declares no languages")
	}
	if err := opts.check(b); err != nil {
		return nil, nil, err
	}
	if opts.RejectBudget < 0 || opts.RejectBudget > MaxRejectBudget {
		return nil, nil, fmt.Errorf("train: reject budget %g is out of range; give a share above 0 and at most %g (0.02 is 2%%)", opts.RejectBudget, MaxRejectBudget)
	}
	tok := tokenize.Record()
	own := samples(b)
	expanded := expand(own, b, opts.Lexicon, tok)
	ss := withNames(expanded, b)
	vec, err := wordVectors(b)
	if err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	if vec != nil {
		markEnglish(ss, b.Languages)
	}
	var bg []sample
	if usesBackground(b) {
		bg = background(ss, b, tok, vec, opts)
	}
	oosClass := len(b.OutOfScope) > 0 || len(bg) > 0
	ds := newDataset(slices.Concat(ss, bg), len(b.Intents), oosClass, tok, features.Default, vec)
	cvOpts := opts
	if len(bg) > 0 && len(b.OutOfScope) > 0 { // it may run again without them
		cvOpts.cvRun = "with background out-of-scope examples"
	}
	sv, cal := chooseSolver(ds, cvOpts)
	cal = opts.handSet(cal)
	dropped, droppedWhy := 0, ""
	// With a threshold set by hand there is one, and the background
	// stays: the rule below is for a budget that gives none.
	if len(bg) > 0 && cal.threshold == 0 && len(b.OutOfScope) > 0 {
		// The out-of-scope class took the whole rejection budget: the
		// background would cost more answers than the budget allows
		// (the demo bot: 4 points of in-scope accuracy). Without the
		// author's examples the class is the background's alone, and
		// taking it away would leave the bot answering everything.
		dropped, droppedWhy = len(bg), cal.noThreshold
		why := "the out-of-scope class took the whole rejection budget"
		if droppedWhy == NoThresholdFewExamples {
			why = "no confidence threshold (too few examples)"
		}
		opts.progress("%s: cross-validating again without the background examples", why)
		bg = nil
		ds = newDataset(ss, len(b.Intents), oosClass, tok, features.Default, vec)
		cvOpts.cvRun = "without background out-of-scope examples"
		sv, cal = chooseSolver(ds, cvOpts)
	}
	opts.progress("final model: %s", sv.name)
	w := sv.train(ds.problem(), opts)
	m := &modelfile.Model{
		Name: b.Name, Languages: b.Languages, Engine: lotse.Version,
		Vocab: tok.Vocab(), Features: ds.cfg, Intents: intents(b), OOSClass: ds.oosClass,
		Sharpness: float32(cal.sharpness), Threshold: float32(cal.threshold), IDF: ds.idf,
	}
	quantize(m, w, ds)
	data := modelfile.Encode(m)
	return data, &Report{
		Intents: len(b.Intents), Examples: len(ds.y), Translations: len(expanded) - len(own), Names: names(ss),
		Background: len(bg), BackgroundDropped: dropped, BackgroundDroppedWhy: droppedWhy, Duration: time.Since(start),
		Threshold: cal.threshold, ThresholdByHand: opts.Threshold > 0, NoThreshold: cal.noThreshold, CVAccuracy: cal.accuracy, CVOOSRecall: cal.oosRecall,
		ECE: cal.ece, ModelBytes: len(data), Solver: sv.name,
	}, nil
}

// handSet puts a threshold set by hand (Options.Threshold) in place of
// the one cal's budget gave. The classifier stays the one chosen at the
// budget, so that the model is the one lotse test --curve measured with
// its threshold moved (unless training without the threshold left the
// background examples out), rather than another whose confidences differ:
// a budget of 20% switched a German shop bot to another classifier.
func (o Options) handSet(cal calibration) calibration {
	if o.Threshold > 0 {
		return cal.at(o.Threshold)
	}
	return cal
}

// names counts the intent names among the samples.
func names(ss []sample) int {
	n := 0
	for _, s := range ss {
		if s.group == alwaysTrained {
			n++
		}
	}
	return n
}

func solverParams(o Options) linear.Params {
	return linear.Params{C: o.C, Eps: 0.1, MaxIter: 200, Seed: o.Seed}
}

// intents copies the bot's intents with answers aligned to its languages.
// A missing answer (Rasa and CSV imports may have none for a language)
// stays empty; hosts then show the answer in the first language.
func intents(b *bot.Bot) []modelfile.Intent {
	out := make([]modelfile.Intent, len(b.Intents))
	for i, in := range b.Intents {
		answers := make([]string, len(b.Languages))
		for j, l := range b.Languages {
			answers[j] = in.Answer[l]
		}
		out[i] = modelfile.Intent{Name: in.Name, Handoff: in.Handoff, Answers: answers}
	}
	return out
}

// wordVectors returns the English word vectors when the bot can use them,
// else nil. They add 0.4-1 point on the English benchmarks (RATIONALE.md).
// A bot in English and other languages uses them only for its English
// examples and messages, and only when at least minVectorShare of its own
// examples are English and as many are not: the model must learn from both
// kinds how much the vectors count, or a message without them is judged by
// weights trained on examples with them.
func wordVectors(b *bot.Bot) (*wordvec.Table, error) {
	if !slices.Contains(b.Languages, wordvec.Lang) {
		return nil, nil
	}
	if len(b.Languages) > 1 {
		var examples []string
		for _, in := range b.Intents {
			examples = append(examples, in.Examples...)
		}
		if share := langShare(examples, b.Languages, wordvec.Lang); share < minVectorShare || share > 1-minVectorShare {
			return nil, nil
		}
	}
	return english.Table()
}

// langShare returns the share of texts in lang, detecting each one's
// language among languages as the engine does for a message.
func langShare(texts, languages []string, lang string) float64 {
	n := 0
	for _, t := range texts {
		if l, _ := langid.Detect(t, languages); l == lang {
			n++
		}
	}
	return ratio(n, len(texts))
}

// minVectorShare is the least share of English examples, and of others, for
// which a bot of several languages uses word vectors. 48% of the demo bot's
// examples are English; the cross-language splits' 99% and 1% use none.
const minVectorShare = 0.1
