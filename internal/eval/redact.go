package eval

import (
	"cmp"
	"slices"

	"github.com/lotse-chat/lotse/pii"
)

// Redacted returns the case's text with personal data replaced by its kind
// ("[IBAN]"): what pii.Detect finds, and also the case's labelled spans, so
// that data the detector misses stays out of reports too. Overlapping spans
// are merged (the earlier span's kind names the merged one).
func Redacted(c Case) string {
	spans := append(pii.Detect(c.Text), c.Spans...)
	return pii.Redact(c.Text, mergeSpans(spans))
}

// mergeSpans sorts spans by start and merges overlapping ones, as
// pii.Redact requires.
func mergeSpans(spans []pii.Span) []pii.Span {
	if len(spans) < 2 {
		return spans
	}
	s := slices.Clone(spans)
	slices.SortStableFunc(s, func(a, b pii.Span) int { return cmp.Compare(a.Start, b.Start) })
	out := s[:1]
	for _, sp := range s[1:] {
		last := &out[len(out)-1]
		if sp.Start < last.End {
			last.End = max(last.End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}
