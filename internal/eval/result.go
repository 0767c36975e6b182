package eval

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/lotse-chat/lotse/pii"
)

// Result holds the measurements of one Run. Its JSON form (MarshalJSON) has
// DESIGN.md's metric keys at the top level, followed by the extra figures.
// A rate whose denominator is zero is null in JSON (never NaN).
type Result struct {
	// Engine is the engine that ran ("native", "wasm").
	Engine string
	// Messages is the number of cases; Labelled those with an expect.
	Messages, Labelled int

	// The metrics of DESIGN.md. The predicted label of a reply is its
	// intent, or out_of_scope for a handoff with reason out_of_scope (so an
	// in-scope message rejected as out of scope counts as wrong).
	//
	// InScopeAccuracy: cases expecting an intent, predicted == expect.
	InScopeAccuracy Ratio
	// OOSRecall: cases expecting out_of_scope, reason out_of_scope.
	OOSRecall Ratio
	// OOSPrecision: replies with reason out_of_scope (to cases with an
	// expect), expect out_of_scope.
	OOSPrecision Ratio
	// WrongAnswerRate: all cases with an expect, action answer and
	// predicted != expect.
	WrongAnswerRate Ratio
	// Deflection: cases expecting an intent that is not marked handoff and
	// carrying no personal-data label ("pii" absent or []), answered with
	// the expected intent.
	Deflection Ratio
	// PIIRecall: cases with personal data labelled ("pii" or "spans" not
	// empty), handoff with reason personal_data.
	PIIRecall Ratio
	// PIIFalsePositiveRate: cases labelled "pii": [], reply reports
	// personal data (reason personal_data or any span).
	PIIFalsePositiveRate Ratio
	// P50US and P99US are the reply latency percentiles in microseconds,
	// measured around each Reply call.
	P50US, P99US float64

	// LangAccuracy is the share of cases with a "lang" whose reply has
	// that language.
	LangAccuracy Ratio
	// PerLang is the in-scope accuracy by the cases' "lang".
	PerLang []LangScore
	// PerIntent scores every label that was expected or predicted
	// (out_of_scope included), sorted by name.
	PerIntent []IntentScore
	// Confused are the most frequent (expect, predicted) pairs that differ,
	// most frequent first.
	Confused []Confusion
	// Histogram bins the confidences of all labelled cases.
	Histogram []Bin
	// Calibration bins the confidences of the in-scope cases: a reliability
	// diagram; ECE is computed from it.
	Calibration []Bin
	// ECE is the expected calibration error on in-scope cases (Bins
	// equal-width bins): confidence against correctness.
	ECE Value
	// PIIPerKind scores the detector per kind of personal data.
	PIIPerKind []KindScore
	// PIISpanCases and PIIKindCases count the cases scored per kind at span
	// level (with "spans", or "pii": []) and at kind level ("pii" only).
	PIISpanCases, PIIKindCases int
	// Curve, when not nil, is the trade-off of thresholds (see Sweep); Run
	// leaves it nil.
	Curve *Curve
}

// Ratio is a rate as counts: Hits of Total.
type Ratio struct{ Hits, Total int }

func (r *Ratio) add(hit bool) {
	r.Total++
	if hit {
		r.Hits++
	}
}

// Value is Hits/Total, not OK when Total is 0.
func (r Ratio) Value() Value {
	if r.Total == 0 {
		return Value{}
	}
	return Value{V: float64(r.Hits) / float64(r.Total), OK: true}
}

// Value is a number that may be undefined (a rate of nothing); it is null
// in JSON when not OK.
type Value struct {
	V  float64
	OK bool
}

// MarshalJSON writes the value rounded to 4 decimals, or null.
func (v Value) MarshalJSON() ([]byte, error) {
	if !v.OK || math.IsNaN(v.V) || math.IsInf(v.V, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, round(v.V, 4), 'f', -1, 64), nil
}

// String formats the value with 3 decimals, or "-".
func (v Value) String() string {
	if !v.OK {
		return "-"
	}
	return strconv.FormatFloat(v.V, 'f', 3, 64)
}

func round(f float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(f*p) / p
}

// IntentScore counts one label: how often it was expected (Support),
// predicted, and predicted rightly.
type IntentScore struct {
	Intent                      string
	Support, Predicted, Correct int
}

// Precision is Correct of Predicted.
func (s IntentScore) Precision() Value { return Ratio{s.Correct, s.Predicted}.Value() }

// Recall is Correct of Support.
func (s IntentScore) Recall() Value { return Ratio{s.Correct, s.Support}.Value() }

// Confusion is a pair of labels the engine mixed up: messages expecting
// Expect that got Predicted.
type Confusion struct {
	Expect, Predicted string
	Count             int
	// Examples are up to three of the messages, redacted (see Redacted).
	Examples []string
}

// Bin is one confidence bin [Lo, Hi).
type Bin struct {
	Lo, Hi         float64
	Count, Correct int
	sum            float64
}

func (b *Bin) add(conf float64, correct bool) {
	b.Count++
	b.sum += conf
	if correct {
		b.Correct++
	}
}

// MeanConfidence is the mean confidence of the bin's messages (0 when
// empty).
func (b Bin) MeanConfidence() float64 {
	if b.Count == 0 {
		return 0
	}
	return b.sum / float64(b.Count)
}

// Accuracy is Correct of Count.
func (b Bin) Accuracy() Value { return Ratio{b.Correct, b.Count}.Value() }

// KindScore scores one kind of personal data: found (TP), missed (FN) and
// false alarms (FP).
type KindScore struct {
	Kind       pii.Kind
	TP, FN, FP int
}

// Precision is TP of TP+FP.
func (k KindScore) Precision() Value { return Ratio{k.TP, k.TP + k.FP}.Value() }

// Recall is TP of TP+FN.
func (k KindScore) Recall() Value { return Ratio{k.TP, k.TP + k.FN}.Value() }

// LangScore is the in-scope accuracy on the cases of one language.
type LangScore struct {
	Lang            string
	InScopeAccuracy Ratio
}

// jsonResult is the JSON form of a Result; field order is output order.
type jsonResult struct {
	InScopeAccuracy      Value            `json:"in_scope_accuracy"`
	OOSRecall            Value            `json:"oos_recall"`
	OOSPrecision         Value            `json:"oos_precision"`
	WrongAnswerRate      Value            `json:"wrong_answer_rate"`
	Deflection           Value            `json:"deflection"`
	PIIRecall            Value            `json:"pii_recall"`
	PIIFalsePositiveRate Value            `json:"pii_false_positive_rate"`
	P50US                float64          `json:"p50_us"`
	P99US                float64          `json:"p99_us"`
	Engine               string           `json:"engine"`
	Messages             int              `json:"messages"`
	Labelled             int              `json:"labelled"`
	Counts               map[string]Ratio `json:"counts"`
	ECE                  Value            `json:"ece"`
	LangAccuracy         Value            `json:"lang_accuracy"`
	PerLang              []jsonLang       `json:"per_lang"`
	PerIntent            []jsonIntent     `json:"per_intent"`
	Confused             []jsonConfusion  `json:"confused"`
	Histogram            []jsonBin        `json:"confidence_histogram"`
	Calibration          []jsonBin        `json:"calibration"`
	PIIPerKind           []jsonKind       `json:"pii_per_kind"`
	PIIPerKindLevel      string           `json:"pii_per_kind_level"`
	Curve                *Curve           `json:"curve,omitempty"`
}

type jsonLang struct {
	Lang            string `json:"lang"`
	InScopeAccuracy Value  `json:"in_scope_accuracy"`
	Messages        int    `json:"messages"`
}

type jsonIntent struct {
	Intent    string `json:"intent"`
	Precision Value  `json:"precision"`
	Recall    Value  `json:"recall"`
	Support   int    `json:"support"`
	Predicted int    `json:"predicted"`
}

type jsonConfusion struct {
	Expect    string `json:"expect"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

type jsonBin struct {
	Lo             float64 `json:"lo"`
	Hi             float64 `json:"hi"`
	Count          int     `json:"count"`
	Correct        int     `json:"correct"`
	MeanConfidence Value   `json:"mean_confidence"`
}

type jsonKind struct {
	Kind      pii.Kind `json:"kind"`
	Precision Value    `json:"precision"`
	Recall    Value    `json:"recall"`
	TP        int      `json:"tp"`
	FN        int      `json:"fn"`
	FP        int      `json:"fp"`
}

// MarshalJSON writes DESIGN.md's metrics first, then counts ("counts":
// hits and total of every rate), ece, per-language, per-intent, confused
// pairs (without example texts), histogram, calibration bins, per-kind
// personal-data scores and, when measured, the curve. Undefined rates are
// null.
func (r *Result) MarshalJSON() ([]byte, error) {
	j := jsonResult{
		InScopeAccuracy:      r.InScopeAccuracy.Value(),
		OOSRecall:            r.OOSRecall.Value(),
		OOSPrecision:         r.OOSPrecision.Value(),
		WrongAnswerRate:      r.WrongAnswerRate.Value(),
		Deflection:           r.Deflection.Value(),
		PIIRecall:            r.PIIRecall.Value(),
		PIIFalsePositiveRate: r.PIIFalsePositiveRate.Value(),
		P50US:                round(r.P50US, 2),
		P99US:                round(r.P99US, 2),
		Engine:               r.Engine,
		Messages:             r.Messages,
		Labelled:             r.Labelled,
		Counts: map[string]Ratio{
			"in_scope_accuracy":       r.InScopeAccuracy,
			"oos_recall":              r.OOSRecall,
			"oos_precision":           r.OOSPrecision,
			"wrong_answer_rate":       r.WrongAnswerRate,
			"deflection":              r.Deflection,
			"pii_recall":              r.PIIRecall,
			"pii_false_positive_rate": r.PIIFalsePositiveRate,
			"lang_accuracy":           r.LangAccuracy,
		},
		ECE:             r.ECE,
		LangAccuracy:    r.LangAccuracy.Value(),
		PerLang:         []jsonLang{},
		PerIntent:       []jsonIntent{},
		Confused:        []jsonConfusion{},
		PIIPerKind:      []jsonKind{},
		PIIPerKindLevel: r.piiLevel(),
		Curve:           r.Curve,
	}
	for _, l := range r.PerLang {
		j.PerLang = append(j.PerLang, jsonLang{l.Lang, l.InScopeAccuracy.Value(), l.InScopeAccuracy.Total})
	}
	for _, s := range r.PerIntent {
		j.PerIntent = append(j.PerIntent, jsonIntent{s.Intent, s.Precision(), s.Recall(), s.Support, s.Predicted})
	}
	for _, c := range r.Confused {
		j.Confused = append(j.Confused, jsonConfusion{c.Expect, c.Predicted, c.Count})
	}
	j.Histogram, j.Calibration = jsonBins(r.Histogram), jsonBins(r.Calibration)
	for _, k := range r.PIIPerKind {
		j.PIIPerKind = append(j.PIIPerKind, jsonKind{k.Kind, k.Precision(), k.Recall(), k.TP, k.FN, k.FP})
	}
	return json.Marshal(j)
}

// MarshalJSON writes a Ratio as {"hits": h, "total": t}.
func (r Ratio) MarshalJSON() ([]byte, error) {
	b := []byte(`{"hits":`)
	b = strconv.AppendInt(b, int64(r.Hits), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(r.Total), 10)
	return append(b, '}'), nil
}

func jsonBins(bins []Bin) []jsonBin {
	out := []jsonBin{}
	for _, b := range bins {
		out = append(out, jsonBin{round(b.Lo, 2), round(b.Hi, 2), b.Count, b.Correct,
			Value{b.MeanConfidence(), b.Count > 0}})
	}
	return out
}

// piiLevel says how PIIPerKind was scored: "span", "kind", "mixed" or ""
// (no personal-data labels).
func (r *Result) piiLevel() string {
	switch {
	case r.PIISpanCases > 0 && r.PIIKindCases > 0:
		return "mixed"
	case r.PIISpanCases > 0:
		return "span"
	case r.PIIKindCases > 0:
		return "kind"
	}
	return ""
}

// perfect reports an intent every message of which got it, and which no
// other message got.
func (s IntentScore) perfect() bool { return s.Correct == s.Support && s.Correct == s.Predicted }

// Worst returns up to n intents with the lowest recall (then precision),
// out_of_scope excluded, for a summary: only intents with a recall or
// precision below 1, so a short list is not padded with perfect ones.
func (r *Result) Worst(n int) []IntentScore {
	var s []IntentScore
	for _, it := range r.PerIntent {
		if it.Intent != OutOfScope && it.Support > 0 && !it.perfect() {
			s = append(s, it)
		}
	}
	slices.SortFunc(s, func(a, b IntentScore) int {
		return cmp.Or(cmp.Compare(a.Recall().V, b.Recall().V), cmp.Compare(a.Precision().V, b.Precision().V), cmp.Compare(a.Intent, b.Intent))
	})
	return s[:min(n, len(s))]
}
