package train

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/lotse-chat/lotse/internal/linear"
)

// crossValidate returns out-of-fold scores: for each example, the class
// scores of the SVMs trained on the other folds; nil for the samples every
// fold trains on (alwaysTrained). With withSoftmax it also returns those of
// the softmax and of the sum of both (see both), which reuses the fold's
// two models instead of training them again.
func crossValidate(ds *dataset, o Options, withSoftmax bool) [][][]float64 {
	fold := foldsOf(ds, o)
	n, models := 1, svm.name
	if withSoftmax {
		n, models = 3, svm.name+", "+softmax.name
	}
	scores := make([][][]float64, n)
	for s := range scores {
		scores[s] = make([][]float64, len(ds.y))
	}
	for f := range o.Folds {
		var trainIdx, testIdx []int
		for i := range fold {
			if fold[i] == f {
				testIdx = append(testIdx, i)
			} else {
				trainIdx = append(trainIdx, i)
			}
		}
		if len(testIdx) == 0 {
			continue // more folds than examples: nothing to hold out
		}
		p := ds.problem(trainIdx...)
		if o.cvRun != "" {
			o.progress("cross-validation %s, fold %d of %d: %s", o.cvRun, f+1, o.Folds, models)
		} else {
			o.progress("cross-validation fold %d of %d: %s", f+1, o.Folds, models)
		}
		ws := []linear.Weights{svm.train(p, o)}
		if withSoftmax {
			soft := softmax.train(p, o)
			ws = append(ws, soft, sum(clone(ws[0]), soft))
		}
		for s, w := range ws {
			for _, i := range testIdx {
				scores[s][i] = make([]float64, ds.classes)
				w.Scores(ds.x[i], ds.denseOf(i), len(ds.bucket), scores[s][i])
			}
		}
	}
	return scores
}

func clone(w linear.Weights) linear.Weights {
	out := make(linear.Weights, len(w))
	for c := range w {
		out[c] = slices.Clone(w[c])
	}
	return out
}

// foldsOf assigns each example a fold. Folds are stratified by class, so
// that every intent is trained on in every fold, and whole groups (an
// example and its translations) go to one fold.
func foldsOf(ds *dataset, o Options) []int {
	groupClass := map[int]int{}
	var byClass = make([][]int, ds.classes)
	for i, g := range ds.group {
		if g == alwaysTrained {
			continue
		}
		if _, ok := groupClass[g]; !ok {
			groupClass[g] = ds.y[i]
			byClass[ds.y[i]] = append(byClass[ds.y[i]], g)
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	groupFold := map[int]int{}
	next := 0
	for _, gs := range byClass {
		rng.Shuffle(len(gs), func(i, j int) { gs[i], gs[j] = gs[j], gs[i] })
		for _, g := range gs {
			groupFold[g] = next % o.Folds
			next++ // continue across classes so small classes spread over folds
		}
	}
	fold := make([]int, len(ds.group))
	for i, g := range ds.group {
		fold[i] = groupFold[g]
		if g == alwaysTrained {
			fold[i] = -1 // in no fold's test part
		}
	}
	return fold
}

// calibration is what cross-validation decides about the model.
type calibration struct {
	sharpness, threshold     float64
	accuracy, oosRecall, ece float64
	noThreshold              string // why threshold is 0 (Report.NoThreshold)
	preds                    []oof  // the out-of-fold predictions measured
}

// at returns the calibration with threshold t in place of the one the
// budget gave, and cross-validation's in-scope accuracy and out-of-scope
// recall at t: a threshold set by hand (Options.Threshold).
func (c calibration) at(t float64) calibration {
	c.threshold, c.noThreshold = t, ""
	c.accuracy, c.oosRecall = rates(c.preds, t)
	return c
}

// oof is one out-of-fold prediction, as Model.Reply would make it.
type oof struct {
	p       float64 // confidence of the best intent
	correct bool    // best intent is the label
	oos     bool    // the label is out of scope
	oosTop  bool    // the out-of-scope class won
	// background: a background out-of-scope example, left out of the
	// reported recall, which is the author's examples'.
	background bool
}

// calibrate fits the softmax sharpness to the out-of-fold scores (maximum
// likelihood, like temperature scaling) and picks the threshold that
// rejects the budget's share of in-scope examples.
func calibrate(scores [][]float64, ds *dataset, budget float64) calibration {
	intents := ds.classes
	if ds.oosClass {
		intents--
	}
	scores, idx := heldOut(scores)
	y := make([]int, len(idx))
	for k, i := range idx {
		y[k] = ds.y[i]
	}
	a := goldenMin(func(a float64) float64 { return nll(scores, y, a) }, math.Log(0.1), math.Log(1000))
	preds := make([]oof, len(scores))
	cal := calibration{sharpness: math.Exp(a), preds: preds}
	p := make([]float64, ds.classes)
	for k, s := range scores {
		probs(p, s, cal.sharpness)
		best := argmax(p[:intents])
		preds[k] = oof{p: p[best], correct: best == y[k], oos: y[k] >= intents,
			oosTop: ds.oosClass && p[intents] > p[best], background: ds.bg[idx[k]]}
	}
	cal.threshold, cal.noThreshold = chooseThreshold(preds, budget)
	cal.accuracy, cal.oosRecall = rates(preds, cal.threshold)
	cal.ece = ece(preds)
	return cal
}

// heldOut returns the out-of-fold scores that exist and the indexes of
// their examples.
func heldOut(scores [][]float64) ([][]float64, []int) {
	var s [][]float64
	var idx []int
	for i, sc := range scores {
		if sc != nil {
			s = append(s, sc)
			idx = append(idx, i)
		}
	}
	return s, idx
}

// DefaultRejectBudget is the share of in-scope cross-validation examples
// the threshold rejects, counting those the out-of-scope class already
// takes, unless Options.RejectBudget says otherwise.
// A fixed budget on in-scope held-out data is the steadier control
// (measured on peer systems too): thresholds tuned on a hundred out-of-scope examples swing
// widely, and maximizing accuracy plus out-of-scope recall over-rejects,
// since one out-of-scope example then weighs as much as a hundred in-scope
// ones (CLINC150 validation: 0.862 in-scope accuracy at that rule's 10%
// cap, 0.931 at 2%, with 0.74 out-of-scope recall). Bots with
// out_of_scope examples also reject what their out-of-scope class wins.
const DefaultRejectBudget = 0.02

// chooseThreshold returns the confidence below which Reply hands off: the
// one that rejects the budget's share of in-scope examples. When that is
// 0, why tells why: NoThresholdFewExamples or NoThresholdOOSClass.
func chooseThreshold(preds []oof, budget float64) (t float64, why string) {
	var in []float64
	taken := 0
	for _, p := range preds {
		switch {
		case p.oos:
		case p.oosTop:
			taken++
		default:
			in = append(in, p.p)
		}
	}
	share := int(budget * float64(len(in)+taken))
	switch k := share - taken; {
	case share == 0:
		return 0, NoThresholdFewExamples
	case k <= 0 || len(in) == 0:
		return 0, NoThresholdOOSClass
	default:
		slices.Sort(in)
		return in[min(k, len(in)-1)], ""
	}
}

// Reasons for a threshold of 0, the values of Report.NoThreshold.
const (
	// NoThresholdFewExamples: the rejection budget's share of the bot's
	// held-out in-scope examples is less than one example.
	NoThresholdFewExamples = "too_few_examples"
	// NoThresholdOOSClass: the out-of-scope class already rejects the
	// budget's share of held-out in-scope examples, or more.
	NoThresholdOOSClass = "oos_class_takes_budget"
)

// rates returns in-scope accuracy (accepted and right) and out-of-scope
// recall (rejected) at threshold t, the latter over the author's examples.
func rates(preds []oof, t float64) (acc, recall float64) {
	var nIn, nOOS, right, caught int
	for _, p := range preds {
		if p.background {
			continue
		}
		rejected := p.oosTop || p.p < t
		if p.oos {
			nOOS++
			if rejected {
				caught++
			}
			continue
		}
		nIn++
		if !rejected && p.correct {
			right++
		}
	}
	return ratio(right, nIn), ratio(caught, nOOS)
}

// ece is the expected calibration error over in-scope predictions: the
// mean gap between confidence and accuracy in 10 equal-width bins,
// weighted by bin size.
func ece(preds []oof) float64 {
	var n [10]int
	var conf, acc [10]float64
	total := 0
	for _, p := range preds {
		if p.oos {
			continue
		}
		b := min(int(p.p*10), 9)
		n[b]++
		conf[b] += p.p
		if p.correct {
			acc[b]++
		}
		total++
	}
	var e float64
	for b := range n {
		if n[b] > 0 {
			e += math.Abs(conf[b]-acc[b]) / float64(total)
		}
	}
	return e
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// nll is the mean negative log-likelihood of the labels under
// softmax(exp(logA) * scores).
func nll(scores [][]float64, y []int, logA float64) float64 {
	a := math.Exp(logA)
	var sum float64
	for i, s := range scores {
		m := math.Inf(-1)
		for _, v := range s {
			m = max(m, a*v)
		}
		var z float64
		for _, v := range s {
			z += math.Exp(a*v - m)
		}
		sum += m + math.Log(z) - a*s[y[i]]
	}
	return sum / float64(len(scores))
}

func probs(p, s []float64, a float64) {
	m := math.Inf(-1)
	for c, v := range s {
		p[c] = a * v
		m = max(m, p[c])
	}
	var z float64
	for c := range p {
		p[c] = math.Exp(p[c] - m)
		z += p[c]
	}
	for c := range p {
		p[c] /= z
	}
}

func argmax(p []float64) int {
	best := 0
	for c := range p {
		if p[c] > p[best] {
			best = c
		}
	}
	return best
}

// goldenMin minimizes a unimodal f on [lo, hi] by golden-section search.
func goldenMin(f func(float64) float64, lo, hi float64) float64 {
	const phi = 0.6180339887498949
	a, b := lo, hi
	c, d := b-phi*(b-a), a+phi*(b-a)
	fc, fd := f(c), f(d)
	for range 60 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - phi*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + phi*(b-a)
			fd = f(d)
		}
	}
	return (a + b) / 2
}
