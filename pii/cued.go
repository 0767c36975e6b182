package pii

// Two German numbers have no checksum and the shape of many other
// numbers, so they are reported only after the word that names them:
//
//   - the old account number (Kontonummer, 5 to 10 digits) together with
//     its bank code (Bankleitzahl, BLZ, 8 digits), which older customers
//     still give instead of an IBAN: "Kontonummer 532013000 BLZ 37040044",
//     "BLZ: 370 400 44, Kto.-Nr.: 0532013000". Both cues and both numbers
//     are needed: an account number alone is a customer or order number
//     as often, and a bank code alone names a bank, not a person.
//   - the Steuernummer, a taxpayer's number at a tax office, in the forms
//     the states print: "12/345/67890" (Berlin, Hamburg, Niedersachsen),
//     "123/456/78901" (Bayern, Sachsen), "12345/67890" (Baden-Württemberg),
//     "123/4567/8901" (Nordrhein-Westfalen), "12/345/6789/0"
//     (Rheinland-Pfalz), "013 815 08153" (Hessen), "1234/567/89012", or
//     10 to 13 digits unbroken (the federal form has 13). A cue before
//     ("Steuernummer", "StNr.", "St.-Nr.", "Steuer-Nr.", "tax number") or
//     right after ("12/345/67890 ist meine Steuernummer") is needed: the
//     same shapes are file, order and telephone numbers.
//
// The account number and bank code are reported as IBAN, not as a kind of
// their own. A German IBAN is "DE", two check digits, the bank code and
// the account number padded to ten digits: the pair is the same datum in
// its older form, it must be handled the same way (a handoff, redaction),
// and a new kind would be one more label for the widget, the console and
// every list of kinds to learn without any difference in handling. The
// Steuernummer is a tax ID like the Steuer-ID, and reported as TaxID.
//
// The recogniser starts at the cue, not at the number: a number then
// costs no backward search for cues, and a word costs a look at its first
// two letters unless it starts like a cue. Cue words are classified by
// switch statements, not maps, which would be built at start-up (see
// wordList).

// A cue is the sort of number a cue word names.
type cue uint8

const (
	noCue        cue = iota
	accountCue       // Konto, Kontonummer, Kto, account
	bankCodeCue      // BLZ, Bankleitzahl
	taxNumberCue     // Steuernummer, StNr, St.-Nr., Steuer-Nr., tax number
)

// cuedAt matches the number that a cue word starting at i names: a
// Steuernummer, or an account number and its bank code in either order.
// The span starts at the first number, not at the cue.
func cuedAt(t string, i int) (Span, bool) {
	c, e := cueWordAt(t, i)
	if c == noCue {
		return Span{}, false
	}
	j := skipFillers(t, e)
	if c == taxNumberCue {
		if k, ok := taxNumberAt(t, j); ok {
			return Span{TaxID, j, k}, true
		}
		return Span{}, false
	}
	k, ok := bankNumberAt(t, j, c)
	if !ok {
		return Span{}, false
	}
	other := bankCodeCue
	if c == bankCodeCue {
		other = accountCue
	}
	if end, ok := bankPartner(t, k, other); ok {
		return Span{IBAN, j, end}, true
	}
	return Span{}, false
}

// cueWordAt classifies the word at i and returns the end of the cue, which
// may be two words ("Steuer-Nr", "St. Nr", "tax number").
func cueWordAt(t string, i int) (cue, int) {
	if !cueStart(t, i) {
		return noCue, i
	}
	e := wordEnd(t, i)
	var buf [16]byte
	w := lowerWord(buf[:], t, i, e)
	switch string(w) {
	case "konto", "kontonummer", "kontonr", "kto", "ktonr", "girokonto", "girokontonummer",
		"bankkonto", "bankkontonummer", "account":
		return accountCue, e
	case "blz", "bankleitzahl":
		return bankCodeCue, e
	case "steuernummer", "steuernr", "stnr":
		return taxNumberCue, e
	case "steuer", "st", "tax":
		// The second word after at most three of ". -": "St.-Nr.",
		// "Steuer Nr", "tax number". "St." alone is a street.
		k := e
		for k < len(t) && k-e < 3 && (t[k] == '.' || t[k] == '-' || t[k] == ' ') {
			k++
		}
		e2 := wordEnd(t, k)
		var buf2 [8]byte
		w2 := lowerWord(buf2[:], t, k, e2)
		switch string(w2) {
		case "nr":
			return taxNumberCue, e2
		case "nummer":
			if string(w) == "steuer" {
				return taxNumberCue, e2
			}
		case "number", "no":
			if string(w) == "tax" {
				return taxNumberCue, e2
			}
		}
	}
	return noCue, i
}

// cueFirst marks the bytes a cue word starts with. Detect looks it up
// before calling cuedAt, so that other words cost one load. An array of
// constants is static data; nothing is built at start-up.
var cueFirst = [256]bool{'a': true, 'A': true, 'b': true, 'B': true, 'g': true, 'G': true,
	'k': true, 'K': true, 's': true, 'S': true, 't': true, 'T': true}

// cueStart reports whether the first two letters at i are those of a cue
// word, so that most words are ruled out without being read.
func cueStart(t string, i int) bool {
	if i+1 >= len(t) {
		return false
	}
	switch lower(t[i]) {
	case 'a':
		return lower(t[i+1]) == 'c'
	case 'b':
		return c2(t[i+1], 'l', 'a')
	case 'g':
		return lower(t[i+1]) == 'i'
	case 'k':
		return c2(t[i+1], 'o', 't')
	case 's':
		return lower(t[i+1]) == 't'
	case 't':
		return lower(t[i+1]) == 'a'
	}
	return false
}

// c2 reports whether c is a or b, ignoring ASCII case.
func c2(c, a, b byte) bool {
	c = lower(c)
	return c == a || c == b
}

// skipFillers skips what stands between a cue and its number:
// punctuation and at most three words such as "Nr", "ist", "lautet"
// ("Kto.-Nr.: ", "Steuernummer lautet ", "Konto (alt): "), within 24
// bytes. It returns where the number should start.
func skipFillers(t string, j int) int {
	start, words := j, 0
	for j < len(t) && j-start < 24 {
		switch c := t[j]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '.' || c == '-' ||
			c == '#' || c == '=' || c == '(' || c == ')' || c == ',':
			j++
		case isAlpha(c) && words < 3:
			e := wordEnd(t, j)
			if !fillerWord(t, j, e) {
				return j
			}
			j, words = e, words+1
		default:
			return j
		}
	}
	return j
}

// fillerWord reports whether t[i:e] is a word that may stand between a
// number and its cue, either way round.
func fillerWord(t string, i, e int) bool {
	var buf [8]byte
	w := lowerWord(buf[:], t, i, e)
	switch string(w) {
	case "nr", "no", "nummer", "number", "ist", "is", "lautet", "lautete", "war", "was", "alt", "alte",
		"alten", "old", "neu", "neue", "new", "mein", "meine", "meiner", "my", "die", "der", "das", "the",
		"unser", "unsere", "unserer", "our", "firma", "als", "as":
		return true
	}
	return false
}

// taxNumberAt matches a Steuernummer at j: groups split by slashes or by
// spaces, the same throughout, in one of the states' shapes, or 10 to 13
// digits unbroken. Dates (12/05/2024) and fractions (3/4) have no such
// shape.
func taxNumberAt(t string, j int) (int, bool) {
	if j >= len(t) || !isDigit(t[j]) {
		return 0, false
	}
	var g digitGroups
	g.scan(t, j, "/ ", 13)
	e := g.ends[g.ng-1]
	if !numberRunsOut(t, e) {
		return 0, false
	}
	if g.ng == 1 {
		return e, g.n >= 10
	}
	var shape [4]byte
	if g.ng > len(shape) {
		return 0, false
	}
	prev := 0
	for k := 0; k < g.ng; k++ {
		shape[k] = byte('0' + g.cnt[k] - prev)
		prev = g.cnt[k]
	}
	switch string(shape[:g.ng]) {
	case "235", "335", "435", "55", "344", "2341":
		return e, true
	}
	return 0, false
}

// numberRunsOut reports whether a number ending at e ends there: no digit,
// letter or decimal part follows, nor a separator and another digit.
func numberRunsOut(t string, e int) bool {
	return numberEnds(t, e) && !(e+1 < len(t) && contains(" -/", t[e]) && isDigit(t[e+1]))
}

// bankNumberAt matches at j the number a bank cue names: for an account
// cue, 5 to 10 digits, plain or in groups of two to four split by spaces
// ("0532 0130 00"); for a bank-code cue, 8 digits whose first, the
// clearing area, is 1 to 8, plain or split 3-3-2 or 4-4 by spaces.
func bankNumberAt(t string, j int, c cue) (int, bool) {
	if j >= len(t) || !isDigit(t[j]) {
		return 0, false
	}
	var g digitGroups
	maxD := 10
	if c == bankCodeCue {
		maxD = 8
	}
	g.scan(t, j, " ", maxD)
	e := g.ends[g.ng-1]
	if !numberRunsOut(t, e) {
		return 0, false
	}
	if c == bankCodeCue {
		if g.n != 8 || g.d[0] == 0 || g.d[0] == 9 {
			return 0, false
		}
		switch {
		case g.ng == 1:
		case g.ng == 3 && g.cnt[0] == 3 && g.cnt[1] == 6:
		case g.ng == 2 && g.cnt[0] == 4:
		default:
			return 0, false
		}
		return e, true
	}
	if g.n < 5 {
		return 0, false
	}
	if g.ng > 1 {
		prev := 0
		for k := 0; k < g.ng; k++ {
			if n := g.cnt[k] - prev; n < 2 || n > 4 {
				return 0, false
			}
			prev = g.cnt[k]
		}
	}
	return e, true
}

// bankPartner looks for the other half of the pair, its cue and its
// number, in the 48 bytes after the first number ends at k: "Kontonummer
// 532013000 bei der Sparkasse, BLZ 37040044". A digit on the way ends
// the search: the number there is something else.
func bankPartner(t string, k int, want cue) (int, bool) {
	for j := k; j < len(t) && j < k+48; j++ {
		c := t[j]
		if isDigit(c) {
			return 0, false
		}
		if !isAlpha(c) || isWordByte(t[j-1]) {
			continue
		}
		if got, e := cueWordAt(t, j); got == want {
			return bankNumberAt(t, skipFillers(t, e), want)
		}
	}
	return 0, false
}

// taxNumberBeforeCue matches a Steuernummer at i that its cue follows,
// after at most two filler words: "12/345/67890 ist meine Steuernummer",
// "123/456/78901 (StNr.)". Most numbers are ruled out by their first
// group before anything else is read.
func taxNumberBeforeCue(t string, i int) (int, bool) {
	if !taxNumberStart(t, i) {
		return 0, false
	}
	e, ok := taxNumberAt(t, i)
	if !ok {
		return 0, false
	}
	for j, words := e, 0; j < len(t) && j-e < 32; {
		switch c := t[j]; {
		case c == ' ' || c == ',' || c == '(' || c == ':' || c == '=' || c == '-':
			j++
		case !isAlpha(c):
			return 0, false
		default:
			if got, _ := cueWordAt(t, j); got == taxNumberCue {
				return e, true
			}
			w := wordEnd(t, j)
			if words == 2 || !fillerWord(t, j, w) {
				return 0, false
			}
			j, words = w, words+1
		}
	}
	return 0, false
}

// taxNumberStart reports whether the digits at i can start a Steuernummer
// (10 to 13 digits, or a first group and a second that fit a shape), and
// do not continue a longer run of groups ("1/12345/67890").
func taxNumberStart(t string, i int) bool {
	k := i
	for k < len(t) && isDigit(t[k]) && k-i <= 13 {
		k++
	}
	n := k - i
	if n < 10 || n > 13 {
		// The first two groups must fit a shape: 2, 3 or 4 digits and 3,
		// 3 and 4, or 5 and 5. A telephone number "0151 2345678" fails here.
		if n < 2 || n > 5 || k+1 >= len(t) || (t[k] != '/' && t[k] != ' ') {
			return false
		}
		m := k + 1
		for m < len(t) && isDigit(t[m]) && m-k <= 6 {
			m++
		}
		if n2 := m - k - 1; !(n2 == 3 && n <= 4 || n2 == 4 && n == 3 || n2 == 5 && n == 5) {
			return false
		}
	}
	return i < 2 || !contains("/ -", t[i-1]) || !isDigit(t[i-2])
}
