package pii

// Street addresses are found by their shape: a German street name ending in
// a street word ("Hauptstraße 12", "Berliner Str. 5a") or an English house
// number before a street type ("221B Baker Street"). A postcode alone is
// not an address: it names a town, not a person's home.

// streetSuffix is the end of a German street name. Risky suffixes are also
// everyday words ("weg" means "gone"), so they count only in a capitalised
// word, as German writes nouns and names.
type streetSuffix struct {
	s     string
	risky bool
}

var streetSuffixes = []streetSuffix{
	{"straße", false}, {"strasse", false}, {"strase", false}, {"strasze", false}, {"str", false},
	{"gasse", false}, {"allee", false}, {"chaussee", false}, {"steig", false}, {"pfad", false},
	{"weg", true}, {"platz", true}, {"ring", true}, {"damm", true}, {"ufer", true}, {"markt", true},
	{"promenade", true}, {"stieg", true}, {"graben", true},
}

// deAddressAt matches a German street address whose street word starts at i.
func deAddressAt(t string, i, floor int) (Span, bool) {
	e := i
	for e < len(t) && (isLetter(t[e]) || (t[e] == '-' && e+1 < len(t) && isLetter(t[e+1]) && e > i)) {
		e++
	}
	if e-i < 3 || e-i > 48 {
		return Span{}, false
	}
	suf, ok := streetSuffixAt(t, i, e)
	if !ok {
		return Span{}, false
	}
	// A lower-case risky word counts only with a postcode and town after
	// the number: "birkenweg 80, 79098 Freiburg".
	needTown := suf.risky && !isUpperAt(t, i)
	start := i
	if e-i == len(suf.s) { // "Berliner Straße": the name is the word before
		p, ok := prevWord(t, i, floor)
		if !ok {
			return Span{}, false
		}
		if !isUpperAt(t, p) && (suf.risky || !hasSuffixFold(t, p, i-1, "er")) {
			needTown = true // "am markt 65, 50667 Köln"
		}
		start = p
	}
	j := e
	dot := j < len(t) && t[j] == '.'
	if dot {
		j++
	}
	k := skipSpaces(t, j, 2)
	if k == j && !dot {
		return Span{}, false
	}
	end, ok := houseNumberAt(t, k)
	if !ok {
		return Span{}, false
	}
	town := postcodeCityAt(t, end)
	if needTown && town == end {
		return Span{}, false
	}
	return Span{Address, start, town}, true
}

// streetSuffixAt reports which street suffix the word t[i:e] ends with.
func streetSuffixAt(t string, i, e int) (streetSuffix, bool) {
	for _, s := range streetSuffixes {
		if e-i >= len(s.s) && hasSuffixFold(t, i, e, s.s) {
			return s, true
		}
	}
	return streetSuffix{}, false
}

// hasSuffixFold reports whether t[i:e] ends with p (lower case), ignoring
// ASCII case.
func hasSuffixFold(t string, i, e int, p string) bool {
	return e-i >= len(p) && hasPrefixFold(t[:e], e-len(p), p)
}

// prevWord returns the start of the word just before the word at i,
// separated by one or two spaces and not before floor.
func prevWord(t string, i, floor int) (int, bool) {
	j := i
	for n := 0; j > floor && n < 2 && t[j-1] == ' '; n++ {
		j--
	}
	if j == i {
		return 0, false
	}
	e := j
	for j > floor && e-j < 40 && (isLetter(t[j-1]) || t[j-1] == '-') {
		j--
	}
	if j == e || (j > 0 && isWordByte(t[j-1])) {
		return 0, false
	}
	return j, true
}

// houseNumberAt matches "12", "5a", "12-14" or "7/1" at i.
func houseNumberAt(t string, i int) (int, bool) {
	if i >= len(t) || t[i] < '1' || t[i] > '9' {
		return 0, false
	}
	_, j := readInt(t, i, 4)
	if j < len(t) && isAlpha(t[j]) && (j+1 == len(t) || !isLetter(t[j+1])) {
		j++
	} else if j+1 < len(t) && (t[j] == '-' || t[j] == '/') && isDigit(t[j+1]) {
		_, j = readInt(t, j+1, 4)
	}
	if !numberEnds(t, j) {
		return 0, false
	}
	// Amounts and percentages are not house numbers: "Platz 2 €".
	k := skipSpaces(t, j, 1)
	if k < len(t) && (t[k] == '%' || hasPrefixFold(t, k, "€") || hasWordFold(t, k, "eur") ||
		hasWordFold(t, k, "euro") || hasWordFold(t, k, "prozent")) {
		return 0, false
	}
	return j, true
}

// postcodeCityAt extends an address ending at e by a following German
// postcode and town: ", 10115 Berlin".
func postcodeCityAt(t string, e int) int {
	j := e
	if j < len(t) && t[j] == ',' {
		j++
	}
	k := skipSpaces(t, j, 2)
	if k == j {
		return e
	}
	_, p := readInt(t, k, 5)
	if p-k != 5 || p >= len(t) || t[p] != ' ' {
		return e
	}
	c := skipSpaces(t, p, 2)
	ce := wordEnd(t, c)
	if ce-c < 2 || !numberEnds(t, ce) {
		return e
	}
	return ce
}

// English street types, lower case.
var streetTypes = map[string]bool{
	"street": true, "st": true, "road": true, "rd": true, "avenue": true, "ave": true, "lane": true,
	"ln": true, "drive": true, "dr": true, "boulevard": true, "blvd": true, "court": true, "ct": true,
	"place": true, "pl": true, "close": true, "terrace": true, "crescent": true, "square": true,
	"sq": true, "highway": true, "hwy": true, "parkway": true, "pkwy": true, "row": true,
	"gardens": true, "grove": true, "mews": true, "way": true,
}

// notStreetNames are words that come between a number and a street type in
// ordinary sentences ("5 days drive", "a 2 way street").
var notStreetNames = map[string]bool{
	"day": true, "days": true, "hour": true, "hours": true, "minute": true, "minutes": true,
	"min": true, "mins": true, "week": true, "weeks": true, "month": true, "months": true,
	"year": true, "years": true, "way": true, "times": true, "items": true, "more": true,
	"of": true, "and": true, "or": true, "to": true, "in": true, "on": true, "at": true,
	"a": true, "an": true, "is": true, "are": true, "was": true, "euro": true, "eur": true,
	"dollar": true, "dollars": true, "pounds": true, "tage": true, "stunden": true, "mal": true,
	"stück": true, "stueck": true, "x": true, "new": true, "other": true, "different": true,
	"second": true, "seconds": true, "car": true, "cars": true, "lanes": true, "blocks": true,
}

// enAddressAt matches an English street address starting with the house
// number at i: "221B Baker Street", "12 Main St".
func enAddressAt(t string, i int) (int, bool) {
	if t[i] == '0' {
		return 0, false
	}
	_, j := readInt(t, i, 5)
	if j < len(t) && isAlpha(t[j]) && (j+1 == len(t) || !isLetter(t[j+1])) {
		j++
	}
	var buf [16]byte
	for words := 0; words < 4; words++ {
		if j >= len(t) || t[j] != ' ' {
			return 0, false
		}
		k := j + 1
		e := wordEnd(t, k)
		for e+1 < len(t) && (t[e] == '\'' || t[e] == '-') && isLetter(t[e+1]) { // "Queen's", "Shell-Cove"
			e = wordEnd(t, e+1)
		}
		if e == k {
			return 0, false
		}
		w := lowerWord(buf[:], t, k, e)
		if w == nil {
			return 0, false
		}
		if words > 0 && streetTypes[string(w)] {
			if e < len(t) && t[e] == '.' {
				e++
			}
			if e < len(t) && isWordByte(t[e]) {
				return 0, false
			}
			return e, true
		}
		if notStreetNames[string(w)] || words == 3 {
			return 0, false
		}
		j = e
	}
	return 0, false
}
