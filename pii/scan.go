package pii

import (
	"unicode"
	"unicode/utf8"
)

// Byte classes. Bytes >= 0x80 count as letters: they are parts of
// non-ASCII letters such as ä, ß or é, and treating them as word bytes keeps
// every span boundary on an ASCII byte or at a word start.

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool  { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isLetter(c byte) bool { return isAlpha(c) || c >= 0x80 }
func isWordByte(c byte) bool {
	return isDigit(c) || isLetter(c)
}
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether t[i:] starts with p, ignoring ASCII case.
// p must be lower case.
func hasPrefixFold(t string, i int, p string) bool {
	if len(t)-i < len(p) {
		return false
	}
	for k := 0; k < len(p); k++ {
		if lower(t[i+k]) != p[k] {
			return false
		}
	}
	return true
}

// hasWordFold reports whether t[i:] starts with the word p (lower case),
// ignoring ASCII case, and p is not followed by a letter.
func hasWordFold(t string, i int, p string) bool {
	if !hasPrefixFold(t, i, p) {
		return false
	}
	e := i + len(p)
	return e == len(t) || !isLetter(t[e]) || !isLetter(p[len(p)-1])
}

// cueBefore reports whether one of the cues (lower case) starts at a word
// start in t[from:to]. A cue may span words ("date of birth"). The window
// is bounded by the caller, so the cost is constant per call.
func cueBefore(t string, from, to int, cues []string) bool {
	from = max(from, 0)
	for k := from; k < to; k++ {
		if k > 0 && isLetter(t[k-1]) {
			continue
		}
		for _, c := range cues {
			if k+len(c) <= to && hasWordFold(t, k, c) {
				return true
			}
		}
	}
	return false
}

// wordEnd returns the end of the run of letters starting at i.
func wordEnd(t string, i int) int {
	for i < len(t) && isLetter(t[i]) {
		i++
	}
	return i
}

// skipSpaces returns the index after at most max spaces or tabs from i.
func skipSpaces(t string, i, maxN int) int {
	for n := 0; i < len(t) && n < maxN && (t[i] == ' ' || t[i] == '\t'); n++ {
		i++
	}
	return i
}

// isUpperAt reports whether the rune at i is an upper-case letter.
func isUpperAt(t string, i int) bool {
	if t[i] < utf8.RuneSelf {
		return 'A' <= t[i] && t[i] <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return unicode.IsUpper(r)
}

// numberEnds reports whether a number ending at e is really over: not
// followed by another digit or letter, nor by a decimal part ("12,99").
func numberEnds(t string, e int) bool {
	if e >= len(t) {
		return true
	}
	c := t[e]
	if isWordByte(c) {
		return false
	}
	if (c == ',' || c == '.') && e+1 < len(t) && isDigit(t[e+1]) {
		return false
	}
	return true
}

// lowerWord copies the word t[i:e] in lower case into buf and returns the
// copy, or nil if it does not fit. It lets map lookups avoid allocations.
func lowerWord(buf []byte, t string, i, e int) []byte {
	if e-i > len(buf) {
		return nil
	}
	for k := i; k < e; k++ {
		buf[k-i] = lower(t[k])
	}
	return buf[:e-i]
}
