package eval

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/lotse-chat/lotse"
)

// Curve is the trade-off between answering and handing off that a model's
// threshold controls, measured on one test file: a higher threshold hands
// off more out-of-scope messages and more in-scope ones. It lets a bot
// author see what another rejection budget (lotse train --reject-budget)
// would buy, and it measures a classifier apart from its operating point.
type Curve struct {
	// Threshold is the model's own threshold.
	Threshold float64
	// Points are the metrics at thresholds 0, 0.1, ..., 0.9 and at the
	// model's own, in rising order.
	Points []Point
	// Best holds, for each of BestRecalls that some threshold reaches, the
	// highest in-scope accuracy a threshold gives at that out-of-scope
	// recall or more. It is chosen on the test file itself: a bound on
	// what an operating point could do, not one a model could ship. Empty
	// when the file has no out-of-scope cases.
	Best []Best
}

// Point is the metrics at one threshold, as Run would measure them on the
// model with that threshold.
type Point struct {
	Threshold                                   float64
	InScopeAccuracy, OOSRecall, WrongAnswerRate Ratio
}

// Best is the best point at an out-of-scope recall of at least MinRecall.
type Best struct {
	MinRecall float64
	Point
}

// BestRecalls are the out-of-scope recalls Curve.Best is reported at.
var BestRecalls = []float64{0.5, 0.6, 0.7, 0.75, 0.8, 0.9}

// sweepCase is what a threshold changes about one labelled case.
type sweepCase struct {
	conf float64
	// rejectable: a threshold above conf turns the reply into an
	// out-of-scope handoff. Replies handed off for personal data or won
	// by the out-of-scope class stay as they are.
	rejectable bool
	oos        bool // expects out_of_scope
	correct    bool // predicted == expect with no threshold
	answered   bool // action answer with no threshold
	handedOff  bool // reason out_of_scope with no threshold
}

// Sweep replies to every case with e, which must run the model with its
// threshold set to 0 (so that only the out-of-scope class and personal
// data hand off), and measures the replies at every threshold; threshold
// is the model's own. It stops at the first engine error.
func Sweep(e Engine, cases []Case, threshold float64) (*Curve, error) {
	var cs []sweepCase
	for _, c := range cases {
		if c.Expect == "" {
			continue
		}
		rep, err := e.Reply(c.Text)
		if err != nil {
			return nil, fmt.Errorf("case on line %d: %w", c.Line, err)
		}
		cs = append(cs, sweepCase{
			conf:       rep.Confidence,
			rejectable: rep.Reason != lotse.OutOfScope && rep.Reason != lotse.PersonalData,
			oos:        c.Expect == OutOfScope,
			correct:    Predicted(rep) == c.Expect,
			answered:   rep.Action == lotse.Answer,
			handedOff:  rep.Reason == lotse.OutOfScope,
		})
	}
	cv := &Curve{Threshold: threshold}
	for i := range 10 {
		cv.Points = append(cv.Points, at(cs, float64(i)/10))
	}
	if !slices.ContainsFunc(cv.Points, func(p Point) bool { return p.Threshold == threshold }) {
		cv.Points = append(cv.Points, at(cs, threshold))
	}
	slices.SortFunc(cv.Points, func(a, b Point) int { return cmp.Compare(a.Threshold, b.Threshold) })
	cv.Best = best(cs)
	return cv, nil
}

// at measures the cases at threshold t: a rejectable reply whose
// confidence is below t becomes an out-of-scope handoff, as in Reply.
func at(cs []sweepCase, t float64) Point {
	p := Point{Threshold: t}
	for _, c := range cs {
		rejected := c.rejectable && c.conf < t
		if c.oos {
			p.OOSRecall.add(c.handedOff || rejected)
		} else {
			p.InScopeAccuracy.add(c.correct && !rejected)
		}
		p.WrongAnswerRate.add(c.answered && !c.correct && !rejected)
	}
	return p
}

// best tries every threshold that changes a reply (one between each two
// distinct confidences, and one above them all) and keeps, for each of
// BestRecalls, the point of highest in-scope accuracy at that recall or
// more (the lowest threshold on a tie).
func best(cs []sweepCase) []Best {
	var confs []float64
	for _, c := range cs {
		if c.rejectable {
			confs = append(confs, c.conf)
		}
	}
	slices.Sort(confs)
	confs = slices.Compact(confs)
	ts := []float64{0}
	for i, c := range confs {
		next := 1.0
		if i+1 < len(confs) {
			next = confs[i+1]
		}
		ts = append(ts, between(c, next))
	}
	points := make([]Point, len(ts))
	for i, t := range ts {
		points[i] = at(cs, t)
	}
	var out []Best
	for _, r := range BestRecalls {
		var b *Point
		for i, p := range points {
			reached := p.OOSRecall.Total > 0 && p.OOSRecall.Value().V >= r
			if reached && (b == nil || p.InScopeAccuracy.Hits > b.InScopeAccuracy.Hits) {
				b = &points[i]
			}
		}
		if b != nil {
			out = append(out, Best{MinRecall: r, Point: *b})
		}
	}
	return out
}

// between returns a threshold that rejects confidence lo and keeps hi:
// the shortest decimal in the middle half of the gap, so that an author
// can type it (lotse train --threshold) and it keeps its distance from
// both. A threshold equal to a confidence, which a Reply rounds to 6
// decimals, could fall on either side of the engine's own comparison.
func between(lo, hi float64) float64 {
	if hi <= lo {
		return lo + 1e-9 // a confidence of 1: nothing lies between
	}
	mid, quarter := (lo+hi)/2, (hi-lo)/4
	for p := 10.0; p <= 1e12; p *= 10 {
		if d := math.Round(mid*p) / p; math.Abs(d-mid) <= quarter {
			return d
		}
	}
	return mid
}

// Summary prints the curve as two small tables.
func (cv *Curve) Summary(w io.Writer) {
	fmt.Fprintln(w, "trade-off by threshold (* the model's own):")
	fmt.Fprintln(w, "  threshold  in-scope accuracy  oos recall  wrong answers")
	for _, p := range cv.Points {
		mark := " "
		if p.Threshold == cv.Threshold {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %9.3f  %17s  %10s  %13s\n", mark, p.Threshold,
			p.InScopeAccuracy.Value(), p.OOSRecall.Value(), p.WrongAnswerRate.Value())
	}
	if len(cv.Best) == 0 {
		return
	}
	fmt.Fprintln(w, "best in-scope accuracy any threshold reaches on this file, by out-of-scope recall:")
	for _, b := range cv.Best {
		fmt.Fprintf(w, "  recall >= %.2f: %.4f (recall %.4f, threshold %s)\n", b.MinRecall,
			b.InScopeAccuracy.Value().V, b.OOSRecall.Value().V, strconv.FormatFloat(b.Threshold, 'f', -1, 64))
	}
}

type jsonPoint struct {
	Threshold       float64 `json:"threshold"`
	InScopeAccuracy Value   `json:"in_scope_accuracy"`
	OOSRecall       Value   `json:"oos_recall"`
	WrongAnswerRate Value   `json:"wrong_answer_rate"`
}

type jsonBest struct {
	MinRecall float64 `json:"min_oos_recall"`
	jsonPoint
}

func (p Point) jsonForm() jsonPoint {
	return jsonPoint{round(p.Threshold, 6), p.InScopeAccuracy.Value(), p.OOSRecall.Value(), p.WrongAnswerRate.Value()}
}

// MarshalJSON writes {"threshold", "points", "best"}, each point with the
// threshold and the three rates (null when undefined).
func (cv *Curve) MarshalJSON() ([]byte, error) {
	j := struct {
		Threshold float64     `json:"threshold"`
		Points    []jsonPoint `json:"points"`
		Best      []jsonBest  `json:"best"`
	}{Threshold: round(cv.Threshold, 6), Points: []jsonPoint{}, Best: []jsonBest{}}
	for _, p := range cv.Points {
		j.Points = append(j.Points, p.jsonForm())
	}
	for _, b := range cv.Best {
		j.Best = append(j.Best, jsonBest{b.MinRecall, b.Point.jsonForm()})
	}
	return json.Marshal(j)
}
