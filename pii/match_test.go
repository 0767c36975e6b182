package pii

// match compares detected spans with labelled ones at span level, as the
// evaluation of testdata/pii and `lotse test` count them. A wanted span is
// found (tp) if a got span of the same kind overlaps it, and missed (fn)
// otherwise; a got span that overlaps no wanted span of its kind is a false
// positive (fp). The maps are keyed by kind and never nil.
func match(want, got []Span) (tp, fn, fp map[Kind]int) {
	tp, fn, fp = map[Kind]int{}, map[Kind]int{}, map[Kind]int{}
	for _, w := range want {
		if overlapsAny(w, got) {
			tp[w.Kind]++
		} else {
			fn[w.Kind]++
		}
	}
	for _, g := range got {
		if !overlapsAny(g, want) {
			fp[g.Kind]++
		}
	}
	return tp, fn, fp
}

// overlapsAny reports whether s overlaps a span of the same kind in spans.
// Sets are a handful of spans per message, so a linear scan is enough.
func overlapsAny(s Span, spans []Span) bool {
	for _, o := range spans {
		if o.Kind == s.Kind && o.Start < s.End && s.Start < o.End {
			return true
		}
	}
	return false
}
