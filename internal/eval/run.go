package eval

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/pii"
)

// Engine replies to messages: the in-process engine (Native) or a host of
// the shipped WebAssembly module.
//
// An Engine may also have a Name() string method (the "engine" metric;
// "unknown" without it) and an Info() lotse.Info method, which tells Run
// which intents are marked handoff (needed for deflection). Without Info,
// Run takes an intent as a handoff intent when some reply hands it off
// with reason handoff_intent.
type Engine interface {
	Reply(text string) (lotse.Reply, error)
}

// Native returns the in-process Go engine for m. Its Name is "native".
func Native(m *lotse.Model) Engine { return native{m} }

type native struct{ m *lotse.Model }

func (n native) Reply(text string) (lotse.Reply, error) { return n.m.Reply(text), nil }
func (n native) Name() string                           { return "native" }
func (n native) Info() lotse.Info                       { return n.m.Info() }

// Bins is the number of equal-width confidence bins of the histogram and of
// the expected calibration error.
const Bins = 10

// maxConfused is how many confused pairs a Result keeps.
const maxConfused = 25

// maxExamples is how many (redacted) example messages a confused pair keeps.
const maxExamples = 3

// Run replies to every case with e and measures the replies. It stops at
// the first engine error, naming the case's line (never its text).
func Run(e Engine, cases []Case) (*Result, error) {
	r := &Result{Engine: "unknown", Messages: len(cases)}
	if n, ok := e.(interface{ Name() string }); ok {
		r.Engine = n.Name()
	}
	replies := make([]lotse.Reply, len(cases))
	lat := make([]time.Duration, len(cases))
	for i, c := range cases {
		start := time.Now()
		rep, err := e.Reply(c.Text)
		lat[i] = time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("case on line %d: %w", c.Line, err)
		}
		replies[i] = rep
	}
	handoff := handoffIntents(e, replies)
	r.score(cases, replies, handoff)
	r.P50US, r.P99US = percentileUS(lat, 0.50), percentileUS(lat, 0.99)
	return r, nil
}

// Predicted is the label a reply gives a message: its intent, or
// OutOfScope for an out-of-scope handoff (whose Intent is empty).
func Predicted(r lotse.Reply) string {
	if r.Reason == lotse.OutOfScope || r.Intent == "" {
		return OutOfScope
	}
	return r.Intent
}

// flagsPII reports whether a reply says the message carries personal data.
func flagsPII(r lotse.Reply) bool {
	return r.Reason == lotse.PersonalData || len(r.PII) > 0
}

func handoffIntents(e Engine, replies []lotse.Reply) map[string]bool {
	set := map[string]bool{}
	if in, ok := e.(interface{ Info() lotse.Info }); ok {
		for _, it := range in.Info().Intents {
			if it.Handoff {
				set[it.Name] = true
			}
		}
		return set
	}
	for _, rep := range replies {
		if rep.Reason == lotse.HandoffIntent {
			set[rep.Intent] = true
		}
	}
	return set
}

// score fills r's counts from the replies.
func (r *Result) score(cases []Case, replies []lotse.Reply, handoff map[string]bool) {
	intents := map[string]*IntentScore{}
	score := func(name string) *IntentScore {
		s := intents[name]
		if s == nil {
			s = &IntentScore{Intent: name}
			intents[name] = s
		}
		return s
	}
	confused := map[[2]string]*Confusion{}
	kinds := map[pii.Kind]*KindScore{}
	langs := map[string]*LangScore{}
	for i := range Bins {
		lo := float64(i) / Bins
		r.Histogram = append(r.Histogram, Bin{Lo: lo, Hi: lo + 1.0/Bins})
		r.Calibration = append(r.Calibration, Bin{Lo: lo, Hi: lo + 1.0/Bins})
	}

	for i, c := range cases {
		rep := replies[i]
		pred := Predicted(rep)
		r.scorePII(c, rep, kinds)
		if c.Expect == "" {
			continue // a personal-data case only
		}
		r.Labelled++
		correct := pred == c.Expect
		answered := rep.Action == lotse.Answer
		r.Histogram[binOf(rep.Confidence)].add(rep.Confidence, correct)
		score(c.Expect).Support++
		score(pred).Predicted++
		if correct {
			score(pred).Correct++
		} else {
			k := [2]string{c.Expect, pred}
			cf := confused[k]
			if cf == nil {
				cf = &Confusion{Expect: c.Expect, Predicted: pred}
				confused[k] = cf
			}
			cf.Count++
			if len(cf.Examples) < maxExamples {
				cf.Examples = append(cf.Examples, Redacted(c))
			}
		}
		if c.Expect == OutOfScope {
			r.OOSRecall.add(rep.Reason == lotse.OutOfScope)
		} else {
			r.InScopeAccuracy.add(correct)
			r.Calibration[binOf(rep.Confidence)].add(rep.Confidence, correct)
			if c.Lang != "" {
				ls := langs[c.Lang]
				if ls == nil {
					ls = &LangScore{Lang: c.Lang}
					langs[c.Lang] = ls
				}
				ls.InScopeAccuracy.add(correct)
			}
			if !handoff[c.Expect] && len(c.PII) == 0 && len(c.Spans) == 0 {
				r.Deflection.add(answered && correct)
			}
		}
		if rep.Reason == lotse.OutOfScope {
			r.OOSPrecision.add(c.Expect == OutOfScope)
		}
		r.WrongAnswerRate.add(answered && !correct)
		if c.Lang != "" {
			r.LangAccuracy.add(rep.Lang == c.Lang)
		}
	}

	for _, s := range intents {
		r.PerIntent = append(r.PerIntent, *s)
	}
	slices.SortFunc(r.PerIntent, func(a, b IntentScore) int { return cmp.Compare(a.Intent, b.Intent) })
	for _, cf := range confused {
		r.Confused = append(r.Confused, *cf)
	}
	slices.SortFunc(r.Confused, func(a, b Confusion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Expect, b.Expect), cmp.Compare(a.Predicted, b.Predicted))
	})
	if len(r.Confused) > maxConfused {
		r.Confused = r.Confused[:maxConfused]
	}
	for _, k := range kinds {
		r.PIIPerKind = append(r.PIIPerKind, *k)
	}
	slices.SortFunc(r.PIIPerKind, func(a, b KindScore) int { return cmp.Compare(a.Kind, b.Kind) })
	for _, l := range langs {
		r.PerLang = append(r.PerLang, *l)
	}
	slices.SortFunc(r.PerLang, func(a, b LangScore) int { return cmp.Compare(a.Lang, b.Lang) })
	r.ECE = ece(r.Calibration)
}

// scorePII counts the personal-data metrics of one case and its per-kind
// scores: span level (same kind, overlapping bytes) when the case has
// labelled spans or "pii": [], kind level when it lists kinds only.
func (r *Result) scorePII(c Case, rep lotse.Reply, kinds map[pii.Kind]*KindScore) {
	if c.PII == nil && c.Spans == nil {
		return // not labelled
	}
	if len(c.PII) > 0 || len(c.Spans) > 0 {
		r.PIIRecall.add(rep.Reason == lotse.PersonalData)
	} else {
		r.PIIFalsePositiveRate.add(flagsPII(rep))
	}
	ks := func(k pii.Kind) *KindScore {
		s := kinds[k]
		if s == nil {
			s = &KindScore{Kind: k}
			kinds[k] = s
		}
		return s
	}
	if c.Spans != nil || len(c.PII) == 0 {
		r.PIISpanCases++
		tp, fn, fp := MatchSpans(c.Spans, rep.PII)
		for k, n := range tp {
			ks(k).TP += n
		}
		for k, n := range fn {
			ks(k).FN += n
		}
		for k, n := range fp {
			ks(k).FP += n
		}
		return
	}
	r.PIIKindCases++
	want := map[pii.Kind]bool{}
	for _, k := range c.PII {
		want[k] = true
	}
	got := map[pii.Kind]bool{}
	for _, s := range rep.PII {
		got[s.Kind] = true
	}
	for k := range want {
		if got[k] {
			ks(k).TP++
		} else {
			ks(k).FN++
		}
	}
	for k := range got {
		if !want[k] {
			ks(k).FP++
		}
	}
}

// MatchSpans matches labelled spans (want) against detected ones (got): a
// wanted span is found (tp) when a detected span of the same kind overlaps
// it, missed (fn) otherwise; a detected span that overlaps no wanted span
// of its kind is a false positive (fp).
func MatchSpans(want, got []pii.Span) (tp, fn, fp map[pii.Kind]int) {
	tp, fn, fp = map[pii.Kind]int{}, map[pii.Kind]int{}, map[pii.Kind]int{}
	overlaps := func(a, b pii.Span) bool {
		return a.Kind == b.Kind && a.Start < b.End && b.Start < a.End
	}
	for _, w := range want {
		if slices.ContainsFunc(got, func(g pii.Span) bool { return overlaps(w, g) }) {
			tp[w.Kind]++
		} else {
			fn[w.Kind]++
		}
	}
	for _, g := range got {
		if !slices.ContainsFunc(want, func(w pii.Span) bool { return overlaps(w, g) }) {
			fp[g.Kind]++
		}
	}
	return tp, fn, fp
}

func binOf(conf float64) int {
	return min(max(int(conf*Bins), 0), Bins-1)
}

// ece is the expected calibration error over bins: the count-weighted mean
// of |accuracy - mean confidence|. It is null without messages.
func ece(bins []Bin) Value {
	total := 0
	for _, b := range bins {
		total += b.Count
	}
	if total == 0 {
		return Value{}
	}
	e := 0.0
	for _, b := range bins {
		if b.Count > 0 {
			acc := float64(b.Correct) / float64(b.Count)
			e += float64(b.Count) / float64(total) * math.Abs(acc-b.MeanConfidence())
		}
	}
	return Value{V: e, OK: true}
}

// percentileUS is the nearest-rank percentile of d in microseconds.
func percentileUS(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	i = min(max(i, 0), len(s)-1)
	return float64(s[i].Nanoseconds()) / 1e3
}
