package pii

import (
	"testing"
	"unicode/utf8"
)

// FuzzDetect checks the invariants Detect promises on any input: no panic,
// spans in range, ordered, not overlapping, on UTF-8 boundaries for valid
// UTF-8, and Redact never panicking on the result or on shifted spans.
func FuzzDetect(f *testing.F) {
	for _, cases := range kindCases {
		for _, c := range cases {
			f.Add(c.text)
		}
	}
	for _, c := range introCases {
		f.Add(c.text)
	}
	for _, c := range cuedCases {
		f.Add(c.text)
	}
	f.Add("geboren am 1.2.1980 +49 (0)30 1234567 Hauptstraße 12, 10115 Berlin Gruß, Max")
	f.Add("0049 (0(0)))-- --4111 1111 1111 1111 1 @@a.b..c")
	f.Fuzz(func(t *testing.T, text string) {
		spans := Detect(text)
		last := 0
		for i, s := range spans {
			if s.Start < last || s.End <= s.Start || s.End > len(text) {
				t.Fatalf("span %d %+v out of order or range (previous end %d, len %d): %v", i, s, last, len(text), spans)
			}
			if utf8.ValidString(text) && (!boundary(text, s.Start) || !boundary(text, s.End)) {
				t.Fatalf("span %+v not on a UTF-8 boundary", s)
			}
			last = s.End
		}
		Redact(text, spans)
		shifted := make([]Span, len(spans))
		for i, s := range spans {
			shifted[i] = Span{s.Kind, s.Start - 3, s.End + 7}
		}
		Redact(text, shifted)
	})
}

func boundary(s string, i int) bool {
	return i == len(s) || utf8.RuneStart(s[i])
}
