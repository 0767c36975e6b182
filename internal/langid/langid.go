// Package langid tells German from English in short chat messages.
//
// Visitors write "wann zahle ich", "refund pls" or "danke": too short for
// statistical language identifiers trained on prose. Detect instead scores a
// message with a small built-in table of frequent words of each language
// (including umlaut-free spellings such as "fur", "fuer", "konnen") and falls
// back to characteristic letters and letter groups (ä ö ü ß, "sch", "ung",
// "cht" against "th", "wh", "ing", "ly") for the words it does not know, so
// typos and unknown words still count.
package langid

import "unicode/utf8"

// Detect returns the language of text, one of candidates. It knows German
// ("de") and English ("en"). When text carries no usable signal, or the
// language it finds is not among candidates, it returns candidates[0] with
// confident false (and "" if candidates is empty). confident is true when the
// evidence is clear: a known word or an umlaut, not only letter patterns.
func Detect(text string, candidates []string) (lang string, confident bool) {
	if len(candidates) == 0 {
		return "", false
	}
	score, strong := Score(text)
	guess := ""
	switch {
	case score > 0:
		guess = "de"
	case score < 0:
		guess = "en"
	}
	for _, c := range candidates {
		if guess != "" && c == guess {
			return c, strong && (score >= confidentScore || score <= -confidentScore)
		}
	}
	return candidates[0], false
}

// confidentScore is the margin from which a decision backed by a known word
// or an umlaut counts as confident.
const confidentScore = 2

// Score returns the evidence for German (positive) against English
// (negative) in text, and whether any of it is strong (a known word or an
// umlaut rather than letter patterns only).
func Score(text string) (score int, strong bool) {
	var buf [64]byte // one folded word; longer words are scored by letters only
	n := 0
	long := false
	flush := func() {
		if n == 0 {
			return
		}
		if !long {
			w := buf[:n]
			if v, ok := words[string(w)]; ok {
				score += int(v)
				strong = strong || v != 0
			} else {
				score += letterScore(w)
			}
		}
		n, long = 0, false
	}
	add := func(c byte) {
		if n < len(buf) {
			buf[n] = c
			n++
		} else {
			long = true
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
				add(c)
			case 'A' <= c && c <= 'Z':
				add(c + 'a' - 'A')
			case c == '\'':
				// keep "don't", "i'm" together
				if n > 0 {
					add(c)
				}
			default:
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch r {
		case 'ä', 'Ä':
			add('a')
			score += umlautScore
			strong = true
		case 'ö', 'Ö':
			add('o')
			score += umlautScore
			strong = true
		case 'ü', 'Ü':
			add('u')
			score += umlautScore
			strong = true
		case 'ß', 'ẞ':
			add('s')
			add('s')
			score += umlautScore
			strong = true
		case '\u0308': // combining diaeresis (text in NFD)
			score += umlautScore
			strong = true
		case '\u2019': // right single quotation mark, as in "don’t"
			if n > 0 {
				add('\'')
			}
		default:
			if isLetter(r) {
				add('?') // a letter neither language table knows
			} else {
				flush()
			}
		}
	}
	flush()
	return score, strong
}

// umlautScore is the weight of each ä, ö, ü or ß: German, unless English
// words outweigh it (a name like "Müller" in an English sentence).
const umlautScore = 3

// isLetter reports whether a non-ASCII rune continues a word. Latin letters
// with accents do; punctuation, symbols and spaces do not.
func isLetter(r rune) bool {
	return (r >= 0xc0 && r <= 0x24f && r != 0xd7 && r != 0xf7) || (r >= 0x370 && r < 0x2000) || r >= 0x3040
}

// letterScore scores a word neither table knows by its letter patterns.
func letterScore(w []byte) int {
	s := 0
	for i := range w {
		var next, after byte
		if i+1 < len(w) {
			next = w[i+1]
		}
		if i+2 < len(w) {
			after = w[i+2]
		}
		switch pair(w[i], next) {
		case pair('e', 'i'), pair('i', 'e'), pair('e', 'u'), pair('a', 'e'), pair('o', 'e'),
			pair('u', 'e'), pair('t', 'z'):
			s += 2
		case pair('s', 'c'):
			if after == 'h' { // "sch"
				s += 2
			}
		case pair('c', 'h'):
			if after == 't' { // "cht"
				s += 2
			}
		case pair('t', 'h'), pair('w', 'h'), pair('e', 'a'), pair('o', 'u'), pair('a', 'y'),
			pair('o', 'w'), pair('o', 'a'), pair('e', 'e'), pair('o', 'o'):
			s -= 2
		}
		switch w[i] {
		case 'z', 'k':
			s++
		case 'y':
			s--
		case 'c':
			if next != 'h' && next != 'k' {
				s--
			}
		}
	}
	switch {
	case hasSuffix(w, "ung"), hasSuffix(w, "keit"), hasSuffix(w, "heit"), hasSuffix(w, "lich"),
		hasSuffix(w, "isch"), hasSuffix(w, "chen"), hasSuffix(w, "ieren"), hasSuffix(w, "iert"):
		s += 3
	case hasSuffix(w, "en"), hasSuffix(w, "er"):
		s++
	case hasSuffix(w, "ing"), hasSuffix(w, "ly"), hasSuffix(w, "tion"), hasSuffix(w, "ness"),
		hasSuffix(w, "ful"), hasSuffix(w, "ed"), hasSuffix(w, "'s"), hasSuffix(w, "'t"):
		s -= 3
	}
	// Letter patterns are weak evidence: halve them, but keep their sign.
	switch {
	case s > 1:
		return s / 2
	case s < -1:
		return s / 2
	}
	return s
}

// pair packs two letters into one switch key.
func pair(a, b byte) uint16 { return uint16(a)<<8 | uint16(b) }

func hasSuffix(w []byte, p string) bool { return len(w) >= len(p) && string(w[len(w)-len(p):]) == p }
