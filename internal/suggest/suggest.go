// Package suggest measures how far a misspelt name is from the names it
// may mean, for the "did you mean" of error messages (bot file keys, test
// file intents and kinds).
package suggest

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
