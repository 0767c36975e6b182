package pii

// A date is personal data only when the context says it is a birth date:
// purchase and delivery dates are everyday content of a help chat.

var (
	birthCuesBefore = []string{"geboren", "geb.", "geb", "gebdat", "geb.-datum", "geburtsdatum",
		"geburtstag", "geburt", "born", "dob", "d.o.b", "d.o.b.", "date of birth", "birth", "birthday",
		"birthdate", "jahre alt", "years old", "alter", "age", "aged", "jahrgang", "geburtsdatums"}
	birthCuesAfter = []string{"geboren", "born", "jahre alt", "years old"}
)

// dobAt matches a date starting at i. ok is true if it is a birth date
// (a birth cue within a few words before or after); isDate is true if it
// is a date either way, so the caller can skip it as a whole.
func dobAt(t string, i, floor int) (s Span, isDate, ok bool) {
	var e int
	if isDigit(t[i]) {
		e, isDate = numericDateAt(t, i)
	} else {
		e, isDate = monthFirstDateAt(t, i)
	}
	if !isDate {
		return Span{}, false, false
	}
	if cueBefore(t, max(i-48, floor), i, birthCuesBefore) || cueBefore(t, e, min(e+24, len(t)), birthCuesAfter) {
		return Span{DOB, i, e}, true, true
	}
	return Span{}, true, false
}

// numericDateAt matches "12.03.1985", "12.3.85", "12/03/1985", "1985-03-12",
// "12. März 1985", "12 March 1985" and "12th of March, 1985".
func numericDateAt(t string, i int) (int, bool) {
	a, j := readInt(t, i, 4)
	if j-i == 4 { // ISO 8601: 1985-03-12
		if j+6 > len(t) || t[j] != '-' {
			return 0, false
		}
		m, k := readInt(t, j+1, 2)
		if k-j-1 != 2 || k >= len(t) || t[k] != '-' {
			return 0, false
		}
		d, e := readInt(t, k+1, 2)
		if e-k-1 != 2 || !validYMD(a, m, d) || !numberEnds(t, e) {
			return 0, false
		}
		return e, true
	}
	if j-i > 2 || j >= len(t) {
		return 0, false
	}
	day := a
	dot := false
	switch sep := t[j]; {
	case sep == '.' || sep == '/' || sep == '-':
		k := j + 1
		if sep == '.' {
			k = skipSpaces(t, k, 1)
		}
		if k < len(t) && isDigit(t[k]) {
			return numericTail(t, k, sep, day)
		}
		if sep != '.' {
			return 0, false
		}
		j, dot = j+1, true // "12. März 1985"
	case isOrdinal(t, j): // "12th"
		j += 2
	}
	k := skipSpaces(t, j, 2)
	if k == j && !dot {
		return 0, false
	}
	if hasWordFold(t, k, "of") {
		k = skipSpaces(t, k+2, 2)
	}
	m, k2 := monthAt(t, k)
	if m == 0 || day < 1 || day > 31 {
		return 0, false
	}
	if k2 < len(t) && t[k2] == ',' {
		k2++
	}
	k3 := skipSpaces(t, k2, 2)
	if k3 == k2 {
		return 0, false
	}
	y, e := readInt(t, k3, 4)
	if e-k3 != 4 || y < 1900 || y > 2099 || !numberEnds(t, e) {
		return 0, false
	}
	return e, true
}

// numericTail reads "03.1985" of "12.03.1985" from k, after the first
// separator sep.
func numericTail(t string, k int, sep byte, day int) (int, bool) {
	b, k2 := readInt(t, k, 2)
	if k2 >= len(t) || t[k2] != sep {
		return 0, false
	}
	k2++
	if sep == '.' {
		k2 = skipSpaces(t, k2, 1)
	}
	y, e := readInt(t, k2, 4)
	if (e-k2 != 4 && e-k2 != 2) || !numberEnds(t, e) {
		return 0, false
	}
	if e-k2 == 2 {
		y += 1900
	}
	if !validYMD(y, b, day) && !validYMD(y, day, b) {
		return 0, false
	}
	return e, true
}

// monthFirstDateAt matches "March 12, 1985" and "Mar 12th 1985".
func monthFirstDateAt(t string, i int) (int, bool) {
	m, k := monthAt(t, i)
	if m == 0 {
		return 0, false
	}
	k2 := skipSpaces(t, k, 2)
	if k2 == k {
		return 0, false
	}
	d, k3 := readInt(t, k2, 2)
	if k3 == k2 || d < 1 || d > 31 {
		return 0, false
	}
	if isOrdinal(t, k3) {
		k3 += 2
	}
	if k3 < len(t) && (t[k3] == ',' || t[k3] == '.') {
		k3++
	}
	k4 := skipSpaces(t, k3, 2)
	if k4 == k3 {
		return 0, false
	}
	y, e := readInt(t, k4, 4)
	if e-k4 != 4 || y < 1900 || y > 2099 || !numberEnds(t, e) {
		return 0, false
	}
	return e, true
}

func isOrdinal(t string, j int) bool {
	return j+2 <= len(t) && (hasPrefixFold(t, j, "st") || hasPrefixFold(t, j, "nd") ||
		hasPrefixFold(t, j, "rd") || hasPrefixFold(t, j, "th")) && (j+2 == len(t) || !isLetter(t[j+2]))
}

// readInt reads up to maxN digits at i and returns their value and end.
func readInt(t string, i, maxN int) (int, int) {
	v, j := 0, i
	for j < len(t) && j-i < maxN && isDigit(t[j]) {
		v = v*10 + int(t[j]-'0')
		j++
	}
	return v, j
}

func validYMD(y, m, d int) bool {
	return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// months maps German and English month names and abbreviations, lower case,
// to their number.
var months = map[string]int{
	"januar": 1, "january": 1, "jan": 1, "jänner": 1, "februar": 2, "february": 2, "feb": 2,
	"märz": 3, "maerz": 3, "marz": 3, "march": 3, "mar": 3, "mrz": 3, "april": 4, "apr": 4,
	"mai": 5, "may": 5, "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10,
	"okt": 10, "oct": 10, "november": 11, "nov": 11, "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}

// monthAt matches a month name at i (optionally abbreviated with a dot) and
// returns its number (0 if none) and the end.
func monthAt(t string, i int) (int, int) {
	if i >= len(t) || !isLetter(t[i]) {
		return 0, i
	}
	e := wordEnd(t, i)
	var buf [12]byte
	w := lowerWord(buf[:], t, i, e)
	if w == nil {
		return 0, i
	}
	m := months[string(w)]
	if m != 0 && e < len(t) && t[e] == '.' {
		e++
	}
	return m, e
}
