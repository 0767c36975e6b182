package eval

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"html"
	"io"
	"slices"

	"github.com/lotse-chat/lotse/internal/wording"
)

// Colours of the charts: one for "right"/precision, one for
// "wrong"/recall, readable for the common colour-vision deficiencies.
const (
	colorA = "#1f77b4" // blue
	colorB = "#ff7f0e" // orange
	colorC = "#999999"
)

// WriteHTML writes a self-contained HTML report of r (inline CSS and SVG,
// no external assets): the metrics, per-intent precision and recall, the
// most confused pairs with redacted example messages, the confidence
// histogram and the reliability (calibration) chart. title names the test
// (for example the test file). Message text appears only redacted.
func (r *Result) WriteHTML(w io.Writer, title string) error {
	bw := bufio.NewWriter(w)
	p := &page{w: bw}
	p.head(title)
	p.metrics(r)
	p.perIntent(r)
	p.confused(r)
	p.histogram(r)
	p.calibration(r)
	p.pii(r)
	p.printf("</body></html>\n")
	return bw.Flush()
}

// ReportMarker is a line near the start of every report WriteHTML writes:
// "lotse test --report" overwrites a file only when it holds the marker
// in its first ReportMarkerWithin bytes, so that a mistyped --report never
// destroys a bot, test or model file.
const ReportMarker = `<meta name="generator" content="lotse test report">`

// ReportMarkerWithin is how far into a report ReportMarker appears, at most.
const ReportMarkerWithin = 512

// IsReport reports whether head, the start of a file, is a report that
// WriteHTML wrote.
func IsReport(head []byte) bool {
	return bytes.Contains(head[:min(len(head), ReportMarkerWithin)], []byte(ReportMarker))
}

// testedIntents counts the intents, out_of_scope excluded, that the test
// file has messages for.
func (r *Result) testedIntents() int {
	n := 0
	for _, it := range r.PerIntent {
		if it.Intent != OutOfScope && it.Support > 0 {
			n++
		}
	}
	return n
}

// page writes HTML; every text from data goes through esc.
type page struct{ w *bufio.Writer }

func (p *page) printf(format string, a ...any) { fmt.Fprintf(p.w, format, a...) }

func esc(s string) string { return html.EscapeString(s) }

func (p *page) head(title string) {
	p.printf(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
`+ReportMarker+`
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lotse test report: %s</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
svg text{font:11px system-ui,sans-serif}.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em}
details{margin:.5em 0}small{color:#666}
</style></head><body>
<h1>Lotse test report</h1>
<p>%s</p>
`, esc(title), esc(title))
}

func (p *page) metrics(r *Result) {
	p.printf("<h2>Metrics</h2>\n<p>Engine <b>%s</b>, %s (%d with an expected intent).</p>\n<table>\n", esc(r.Engine), wording.Plural(r.Messages, "message"), r.Labelled)
	p.printf("<tr><th>metric</th><th class=n>value</th><th class=n>of</th><th>meaning</th></tr>\n")
	rows := []struct {
		name string
		v    Ratio
		doc  string
	}{
		{"in_scope_accuracy", r.InScopeAccuracy, "in-scope messages given the expected intent"},
		{"oos_recall", r.OOSRecall, "out-of-scope messages handed off as out_of_scope"},
		{"oos_precision", r.OOSPrecision, "out_of_scope handoffs whose message was out of scope"},
		{"wrong_answer_rate", r.WrongAnswerRate, "messages answered with another intent's answer"},
		{"deflection", r.Deflection, "answerable messages answered correctly"},
		{"pii_recall", r.PIIRecall, "messages with personal data handed off for it"},
		{"pii_false_positive_rate", r.PIIFalsePositiveRate, "messages without personal data flagged"},
	}
	for _, row := range rows {
		p.printf("<tr><td>%s</td><td class=n>%s</td><td class=n>%d/%d</td><td>%s</td></tr>\n",
			row.name, row.v.Value(), row.v.Hits, row.v.Total, row.doc)
	}
	p.printf("<tr><td>ece</td><td class=n>%s</td><td class=n></td><td>expected calibration error, in-scope messages, %d bins</td></tr>\n", r.ECE, Bins)
	p.printf("<tr><td>p50_us / p99_us</td><td class=n>%.1f / %.1f</td><td class=n></td><td>reply latency in µs</td></tr>\n</table>\n", r.P50US, r.P99US)
	if len(r.PerLang) > 0 {
		p.printf("<table><tr><th>lang</th><th class=n>in-scope accuracy</th><th class=n>messages</th></tr>\n")
		for _, l := range r.PerLang {
			p.printf("<tr><td>%s</td><td class=n>%s</td><td class=n>%d</td></tr>\n", esc(l.Lang), l.InScopeAccuracy.Value(), l.InScopeAccuracy.Total)
		}
		p.printf("</table>\n")
	}
}

// legend writes a colour legend.
func (p *page) legend(items ...string) {
	p.printf(`<p class="legend">`)
	for i := 0; i+1 < len(items); i += 2 {
		p.printf(`<span style="background:%s"></span>%s`, items[i], esc(items[i+1]))
	}
	p.printf("</p>\n")
}

// perIntent draws a horizontal bar pair (precision, recall) per label,
// worst recall first, and a table.
func (p *page) perIntent(r *Result) {
	p.printf("<h2>Per intent: precision and recall</h2>\n")
	s := slices.Clone(r.PerIntent)
	slices.SortFunc(s, func(a, b IntentScore) int {
		return cmp.Or(cmp.Compare(a.Recall().V, b.Recall().V), cmp.Compare(a.Precision().V, b.Precision().V), cmp.Compare(a.Intent, b.Intent))
	})
	p.printf("<p><small>Sorted by recall, worst first. Recall: share of the intent's messages it got; precision: share of the messages given the intent that were right.</small></p>\n")
	p.legend(colorA, "precision", colorB, "recall")
	const label, barW, rowH = 220, 400, 18
	h := len(s)*rowH + 24
	p.printf(`<svg id="per-intent-chart" role="img" aria-label="per-intent precision and recall" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", label+barW+90, h, label+barW+90, h)
	for i, it := range s {
		y := i*rowH + 4
		p.printf(`<text x="%d" y="%d" text-anchor="end">%s</text>`, label-6, y+12, esc(it.Intent))
		pr, rc := it.Precision(), it.Recall()
		p.printf(`<rect x="%d" y="%d" width="%.1f" height="7" fill="%s"><title>%s precision %s</title></rect>`, label, y+1, pr.V*barW, colorA, esc(it.Intent), pr)
		p.printf(`<rect x="%d" y="%d" width="%.1f" height="7" fill="%s"><title>%s recall %s</title></rect>`, label, y+8, rc.V*barW, colorB, esc(it.Intent), rc)
		p.printf(`<text x="%d" y="%d">%s/%s</text>`+"\n", label+barW+4, y+12, pr, rc)
	}
	p.axis(label, barW, len(s)*rowH+4)
	p.printf("</svg>\n")
	p.printf("<details><summary>Table</summary><table><tr><th>intent</th><th class=n>precision</th><th class=n>recall</th><th class=n>support</th><th class=n>predicted</th></tr>\n")
	for _, it := range s { // in the chart's order, which the text above describes
		p.printf("<tr><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%d</td><td class=n>%d</td></tr>\n",
			esc(it.Intent), it.Precision(), it.Recall(), it.Support, it.Predicted)
	}
	p.printf("</table></details>\n")
}

// axis draws a 0..1 axis under a horizontal bar chart.
func (p *page) axis(x0, w, y int) {
	p.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/>`, x0, y, x0+w, y)
	for i := 0; i <= 4; i++ {
		x := x0 + w*i/4
		p.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/><text x="%d" y="%d" text-anchor="middle">%.2f</text>`, x, y, x, y+4, x, y+15, float64(i)/4)
	}
	p.printf("\n")
}

func (p *page) confused(r *Result) {
	p.printf("<h2>Most confused pairs</h2>\n")
	if len(r.Confused) == 0 {
		p.printf("<p>No message got a wrong label.</p>\n")
		return
	}
	maxN := r.Confused[0].Count
	const label, barW, rowH = 420, 240, 18
	h := len(r.Confused)*rowH + 8
	p.printf(`<svg id="confused-chart" role="img" aria-label="most confused pairs" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", label+barW+50, h, label+barW+50, h)
	for i, c := range r.Confused {
		y := i*rowH + 4
		p.printf(`<text x="%d" y="%d" text-anchor="end">%s → %s</text>`, label-6, y+12, esc(c.Expect), esc(c.Predicted))
		p.printf(`<rect x="%d" y="%d" width="%.1f" height="13" fill="%s"/><text x="%.1f" y="%d">%d</text>`+"\n",
			label, y+1, float64(c.Count)/float64(maxN)*barW, colorB, float64(label)+float64(c.Count)/float64(maxN)*barW+4, y+12, c.Count)
	}
	p.printf("</svg>\n<table><tr><th>expected</th><th>got</th><th class=n>messages</th><th>examples (personal data redacted)</th></tr>\n")
	for _, c := range r.Confused {
		p.printf("<tr><td>%s</td><td>%s</td><td class=n>%d</td><td>", esc(c.Expect), esc(c.Predicted), c.Count)
		for i, ex := range c.Examples {
			if i > 0 {
				p.printf("<br>")
			}
			p.printf("%s", esc(ex))
		}
		p.printf("</td></tr>\n")
	}
	p.printf("</table>\n")
}

// columns draws vertical bars per confidence bin: right (stacked under)
// wrong, scaled to the largest bin.
func (p *page) histogram(r *Result) {
	p.printf("<h2>Confidence histogram</h2>\n<p><small>All messages with an expected label, by the reply's confidence; the label counts as right when it is the expected intent (or out_of_scope).</small></p>\n")
	p.legend(colorA, "right", colorB, "wrong")
	maxN := 1
	for _, b := range r.Histogram {
		maxN = max(maxN, b.Count)
	}
	const x0, colW, plotH, base = 40, 50, 200, 220 // base: the bars' bottom, below a margin for the counts
	w := x0 + colW*len(r.Histogram) + 10
	p.printf(`<svg id="confidence-histogram" role="img" aria-label="confidence histogram" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", w, base+30, w, base+30)
	for i, b := range r.Histogram {
		x := x0 + i*colW
		right := float64(b.Correct) / float64(maxN) * plotH
		wrong := float64(b.Count-b.Correct) / float64(maxN) * plotH
		p.printf(`<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%.1f-%.1f: %d right</title></rect>`, x+3, base-right, colW-6, right, colorA, b.Lo, b.Hi, b.Correct)
		p.printf(`<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%.1f-%.1f: %d wrong</title></rect>`, x+3, base-right-wrong, colW-6, wrong, colorB, b.Lo, b.Hi, b.Count-b.Correct)
		p.printf(`<text x="%d" y="%d" text-anchor="middle">%.1f</text>`, x, base+14, b.Lo)
		if b.Count > 0 {
			p.printf(`<text x="%d" y="%.1f" text-anchor="middle">%d</text>`, x+colW/2, base-4-right-wrong, b.Count)
		}
		p.printf("\n")
	}
	end := x0 + colW*len(r.Histogram)
	p.printf(`<text x="%d" y="%d" text-anchor="middle">1.0</text><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/>`, end, base+14, x0, base, end, base)
	p.printf("</svg>\n")
}

// calibration draws the reliability diagram: per bin, the accuracy (bar)
// against the mean confidence (grey mark) and the diagonal of perfect
// calibration.
func (p *page) calibration(r *Result) {
	p.printf("<h2>Calibration (reliability)</h2>\n<p>Expected calibration error on in-scope messages: <b>%s</b>. A calibrated engine's bars reach the diagonal: messages with confidence p are right about p of the time.</p>\n", r.ECE)
	p.legend(colorA, "accuracy in the bin", colorC, "mean confidence in the bin")
	const x0, colW, plotH = 40, 50, 200
	w := x0 + colW*len(r.Calibration) + 10
	y := func(v float64) float64 { return plotH + 10 - v*plotH }
	p.printf(`<svg id="calibration-chart" role="img" aria-label="reliability diagram" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", w, plotH+40, w, plotH+40)
	for i, b := range r.Calibration {
		x := x0 + i*colW
		if acc := b.Accuracy(); acc.OK {
			p.printf(`<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%.1f-%.1f: accuracy %s of %d</title></rect>`, x+3, y(acc.V), colW-6, acc.V*plotH, colorA, b.Lo, b.Hi, acc, b.Count)
			p.printf(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-width="3"/>`, x+3, y(b.MeanConfidence()), x+colW-3, y(b.MeanConfidence()), colorC)
		}
		p.printf(`<text x="%d" y="%d" text-anchor="middle">%.1f</text>`+"\n", x, plotH+24, b.Lo)
	}
	p.printf(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#444" stroke-dasharray="4 3"/>`, x0, y(0), x0+colW*len(r.Calibration), y(1))
	for _, v := range []float64{0, 0.5, 1} {
		p.printf(`<text x="%d" y="%.1f" text-anchor="end">%.1f</text>`, x0-4, y(v)+4, v)
	}
	p.printf("</svg>\n")
}

func (p *page) pii(r *Result) {
	if len(r.PIIPerKind) == 0 {
		return
	}
	level := map[string]string{"span": "span level: a kind found in the right place",
		"kind": "message level: the kind found in the message", "mixed": "span level where spans are labelled, message level elsewhere"}[r.piiLevel()]
	p.printf("<h2>Personal data per kind</h2>\n<p><small>%s.</small></p>\n", esc(level))
	p.legend(colorA, "precision", colorB, "recall")
	const label, barW, rowH = 100, 400, 18
	h := len(r.PIIPerKind)*rowH + 24
	p.printf(`<svg id="pii-chart" role="img" aria-label="personal data precision and recall per kind" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", label+barW+90, h, label+barW+90, h)
	for i, k := range r.PIIPerKind {
		y := i*rowH + 4
		pr, rc := k.Precision(), k.Recall()
		p.printf(`<text x="%d" y="%d" text-anchor="end">%s</text>`, label-6, y+12, esc(string(k.Kind)))
		p.printf(`<rect x="%d" y="%d" width="%.1f" height="7" fill="%s"/><rect x="%d" y="%d" width="%.1f" height="7" fill="%s"/>`, label, y+1, pr.V*barW, colorA, label, y+8, rc.V*barW, colorB)
		p.printf(`<text x="%d" y="%d">%s/%s</text>`+"\n", label+barW+4, y+12, pr, rc)
	}
	p.axis(label, barW, len(r.PIIPerKind)*rowH+4)
	p.printf("</svg>\n<table><tr><th>kind</th><th class=n>precision</th><th class=n>recall</th><th class=n>found</th><th class=n>missed</th><th class=n>false alarms</th></tr>\n")
	for _, k := range r.PIIPerKind {
		p.printf("<tr><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%d</td><td class=n>%d</td><td class=n>%d</td></tr>\n",
			esc(string(k.Kind)), k.Precision(), k.Recall(), k.TP, k.FN, k.FP)
	}
	p.printf("</table>\n")
}

// Summary writes a readable table of the metrics to w, for terminals.
func (r *Result) Summary(w io.Writer) {
	fmt.Fprintf(w, "engine %s, %s\n", r.Engine, wording.Plural(r.Messages, "message"))
	row := func(name string, v Ratio) {
		fmt.Fprintf(w, "  %-24s %6s  (%d/%d)\n", name, v.Value(), v.Hits, v.Total)
	}
	row("in_scope_accuracy", r.InScopeAccuracy)
	row("oos_recall", r.OOSRecall)
	row("oos_precision", r.OOSPrecision)
	row("wrong_answer_rate", r.WrongAnswerRate)
	row("deflection", r.Deflection)
	row("pii_recall", r.PIIRecall)
	row("pii_false_positive_rate", r.PIIFalsePositiveRate)
	fmt.Fprintf(w, "  %-24s %6s\n", "ece", r.ECE)
	fmt.Fprintf(w, "  %-24s %6.1f / %.1f\n", "p50_us / p99_us", r.P50US, r.P99US)
	for _, l := range r.PerLang {
		row("in_scope_accuracy ("+l.Lang+")", l.InScopeAccuracy)
	}
	if r.LangAccuracy.Total > 0 {
		row("lang_accuracy", r.LangAccuracy)
	}
	if worst := r.Worst(5); len(worst) > 0 {
		fmt.Fprintln(w, "weakest intents (recall, precision):")
		for _, it := range worst {
			fmt.Fprintf(w, "  %-32s %s  %s\n", it.Intent, it.Recall(), it.Precision())
		}
	} else if n := r.testedIntents(); n > 0 {
		fmt.Fprintf(w, "every intent tested (%d) has recall and precision 1.000\n", n)
	}
	if len(r.Confused) > 0 {
		fmt.Fprintln(w, "most confused (expected -> got):")
		for _, c := range r.Confused[:min(5, len(r.Confused))] {
			fmt.Fprintf(w, "  %4d  %s -> %s\n", c.Count, c.Expect, c.Predicted)
		}
	}
	if len(r.PIIPerKind) > 0 {
		fmt.Fprintf(w, "personal data per kind (%s level; precision, recall):\n", r.piiLevel())
		for _, k := range r.PIIPerKind {
			fmt.Fprintf(w, "  %-10s %s  %s  (found %d, missed %d, false %d)\n", k.Kind, k.Precision(), k.Recall(), k.TP, k.FN, k.FP)
		}
	}
}
