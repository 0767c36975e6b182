// Package wording holds what the messages of several packages share: a
// count with its noun, and the name a misspelt one most likely means (the
// "did you mean" of bot file keys, test file intents and kinds).
package wording

import (
	"fmt"
	"strings"
)

// Plural writes n with noun, "1 question" or "3 questions".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Closest returns the name among known that name most likely misspells,
// or "" when none is close: another case, "-" or " " for "_", a letter or
// two off, a part of it ("mail" for email), or a shortening of one name
// only ("langs" for languages; "oos" is too short to tell).
func Closest(name string, known []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	}
	n := norm(name)
	best, bestDist := "", max(2, len(n)/3)+1
	for _, k := range known {
		kn := norm(k)
		if kn == n {
			return k
		}
		d := Distance(n, kn)
		if len(n) >= 3 && (strings.Contains(kn, n) || strings.Contains(n, kn)) {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		best = shortened(n, known)
	}
	return best
}

// shortened returns the one known name that word shortens, or "".
func shortened(word string, known []string) string {
	stem := strings.TrimSuffix(word, "s")
	if len(stem) < 4 {
		return ""
	}
	found := ""
	for _, k := range known {
		if strings.HasPrefix(k, stem) {
			if found != "" {
				return ""
			}
			found = k
		}
	}
	return found
}

// Distance is the Levenshtein distance between a and b, by bytes: names
// are ASCII, and a non-ASCII name is far from all of them anyway. Strings
// over 64 bytes are not compared (no typo is that long; it keeps fuzzing
// fast): their distance is the longer length.
func Distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
