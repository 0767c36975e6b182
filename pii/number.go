package pii

// This file holds the recognisers for numbers: payment cards, the German
// tax ID and telephone numbers. They share one rule about where a number
// may end (numberEnds) so that amounts such as "129,99" and longer digit
// runs such as tracking numbers never match a prefix of themselves.

// digitGroups is a run of digit groups joined by one kind of separator, as
// in "4111 1111 1111 1111" or "12 345 678 901".
type digitGroups struct {
	d    [24]byte // digit values
	n    int      // digits in d
	ends [24]int  // byte offset after group k
	cnt  [24]int  // digits up to and including group k
	ng   int      // groups
	sep  byte     // the separator used, 0 if none
}

// scan reads digit groups from t[i:], allowing one separator byte from seps
// between groups, the same byte throughout, and at most maxD digits.
func (g *digitGroups) scan(t string, i int, seps string, maxD int) {
	g.n, g.ng, g.sep = 0, 0, 0
	j := i
	for j < len(t) {
		k := j
		for k < len(t) && isDigit(t[k]) && k-j < maxD {
			k++
		}
		if k == j || g.n+k-j > maxD {
			return
		}
		for p := j; p < k; p++ {
			g.d[g.n] = t[p] - '0'
			g.n++
		}
		g.ends[g.ng], g.cnt[g.ng] = k, g.n
		g.ng++
		if k+1 >= len(t) || !isDigit(t[k+1]) || !contains(seps, t[k]) || (g.sep != 0 && t[k] != g.sep) {
			return
		}
		g.sep = t[k]
		j = k + 1
	}
}

func contains(s string, c byte) bool {
	for k := 0; k < len(s); k++ {
		if s[k] == c {
			return true
		}
	}
	return false
}

// cardAt matches a payment card number of 13 to 19 digits, optionally in
// groups split by spaces, dashes or dots, that passes the Luhn check and
// starts with a known issuer prefix. It tries the longest group-aligned
// prefix first so that "4111 1111 1111 1111 12/25" yields the card alone.
func cardAt(t string, i int) (int, bool) {
	if t[i] == '0' {
		return 0, false
	}
	var g digitGroups
	g.scan(t, i, " -.", 19)
	if g.sep == '.' && !cardDotsPlausible(&g) {
		return 0, false
	}
	for k := g.ng - 1; k >= 0; k-- {
		n, e := g.cnt[k], g.ends[k]
		if n < 13 {
			break
		}
		if k == g.ng-1 && !numberEnds(t, e) {
			continue // the digits run on: a longer number, not a card
		}
		if k < g.ng-1 && !cardGroupsPlausible(&g, k) {
			continue
		}
		if issuerOK(g.d[:n]) && luhn(g.d[:n]) {
			return e, true
		}
	}
	return 0, false
}

// cardTail returns the end of what follows a card number ending at e and
// belongs with it: its expiry date and its security code, each after a few
// words such as "exp", "gültig bis" or "CVC" ("4111 ... exp 12/27 cvc 123").
// They are the card's data as much as its number, and a redacted number
// with its code still in the log would be half a leak.
func cardTail(t string, e int) int {
	for range 2 {
		j, code := skipCardWords(t, e)
		if k, ok := expiryAt(t, j); ok {
			e = k
		} else if k, ok := securityCodeAt(t, j); ok && code {
			e = k
		} else {
			break
		}
	}
	return e
}

// Words between a card number and its expiry or security code.
var (
	expiryWords = []string{"exp", "expiry", "expires", "valid", "thru", "until", "gültig", "bis", "ablauf", "ablaufdatum", "and", "und"}
	codeWords   = []string{"cvc", "cvv", "cvc2", "cvv2", "csc", "kpn", "code", "security", "prüfnummer", "prüfziffer", "sicherheitscode"}
)

// skipCardWords skips punctuation and up to four of those words from i,
// and reports whether one of them named a security code.
func skipCardWords(t string, i int) (int, bool) {
	code := false
	for range 4 {
		for i < len(t) && contains(" \t,;:.", t[i]) {
			i++
		}
		w := i
		for w < len(t) && isWordByte(t[w]) && w-i < 16 {
			w++
		}
		switch {
		case oneOfFold(t, i, w, codeWords):
			code = true
		case !oneOfFold(t, i, w, expiryWords):
			return i, code
		}
		i = w
	}
	return i, code
}

// oneOfFold reports whether t[i:w] is one of words, ignoring ASCII case.
func oneOfFold(t string, i, w int, words []string) bool {
	for _, c := range words {
		if w-i == len(c) && hasPrefixFold(t, i, c) {
			return true
		}
	}
	return false
}

// expiryAt matches a card's expiry date at i: month/year as "12/27" or
// "12/2027" (the month may have one digit).
func expiryAt(t string, i int) (int, bool) {
	m, j := readInt(t, i, 2)
	if j == i || m < 1 || m > 12 || j+1 >= len(t) || t[j] != '/' {
		return 0, false
	}
	_, k := readInt(t, j+1, 4)
	if n := k - j - 1; (n != 2 && n != 4) || !numberEnds(t, k) {
		return 0, false
	}
	return k, true
}

// securityCodeAt matches three or four digits at i, a card's security code.
func securityCodeAt(t string, i int) (int, bool) {
	_, j := readInt(t, i, 5)
	if n := j - i; n < 3 || n > 4 || !numberEnds(t, j) {
		return 0, false
	}
	return j, true
}

// cardGroupsPlausible rejects prefixes of ungrouped digit runs: a prefix
// only counts when the number was written in groups. Dotted numbers never
// yield a prefix: after a dot, more digits are part of the same number.
func cardGroupsPlausible(g *digitGroups, k int) bool {
	return g.sep != 0 && g.sep != '.' && k >= 1
}

// cardDotsPlausible accepts a dotted card number only if its first group
// has four digits, as every issuer prints them. Amounts with thousands
// separators ("1.234.567") never have a first group of four.
func cardDotsPlausible(g *digitGroups) bool { return g.cnt[0] == 4 }

// luhn reports whether the digits pass the Luhn (mod 10) check.
func luhn(d []byte) bool {
	sum := 0
	double := false
	for k := len(d) - 1; k >= 0; k-- {
		v := int(d[k])
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// issuerOK reports whether a card number of this length starts with the
// prefix of a known issuer (ISO/IEC 7812 ranges in public use).
func issuerOK(d []byte) bool {
	n := len(d)
	p2 := int(d[0])*10 + int(d[1])
	p3 := p2*10 + int(d[2])
	p4 := p3*10 + int(d[3])
	switch {
	case d[0] == 4: // Visa
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		return n == 16
	case p2 == 34 || p2 == 37: // American Express
		return n == 15
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65: // Discover
		return n >= 16
	case p4 >= 3528 && p4 <= 3589: // JCB
		return n >= 16
	case p3 >= 300 && p3 <= 305, p2 == 36, p2 == 38, p2 == 39: // Diners Club
		return n >= 14
	case p2 == 62: // UnionPay
		return n >= 16
	case p2 == 50, p2 >= 56 && p2 <= 58, p2 == 63, p2 == 67: // Maestro
		return n >= 13
	}
	return false
}

// taxIDAt matches the German Steuerliche Identifikationsnummer: 11 digits,
// written plain or in groups split by spaces (usually 2-3-3-3, as printed on
// the letter of the Bundeszentralamt für Steuern), whose first digit is not
// 0, whose first ten digits repeat exactly one digit (twice, or three times
// but not three in a row), and whose last digit is the ISO 7064 MOD 11,10
// check digit. Groups split by hyphens or slashes count too, but only after
// a tax cue such as "Steuer-ID": those separators are how order and
// contract numbers are written, and the checksum alone lets about one such
// number in 250 through.
func taxIDAt(t string, i int) (int, bool) {
	if t[i] == '0' {
		return 0, false
	}
	var g digitGroups
	g.scan(t, i, " -/", 11)
	if g.n != 11 {
		return 0, false
	}
	e := g.ends[g.ng-1]
	// A separator and more digits after the eleventh: a longer number.
	if !numberEnds(t, e) || (e+1 < len(t) && contains(" -/", t[e]) && isDigit(t[e+1])) {
		return 0, false
	}
	if !taxIDValid(g.d[:11]) {
		return 0, false
	}
	from := i - 32
	if g.sep == '-' || g.sep == '/' {
		if !cueBefore(t, from, i, taxCues) {
			return 0, false
		}
	} else if cueBefore(t, from, i, negativeCues) && !cueBefore(t, from, i, taxCues) {
		return 0, false
	}
	return e, true
}

// taxIDValid checks the digit-repetition rule and the check digit.
func taxIDValid(d []byte) bool {
	if d[0] == 0 {
		return false
	}
	var count [10]int
	for _, v := range d[:10] {
		count[v]++
	}
	repeated := 0
	for v, c := range count {
		switch {
		case c == 2:
			repeated++
		case c == 3:
			repeated++
			for k := 0; k+2 < 10; k++ { // three in a row are not allowed
				if int(d[k]) == v && d[k+1] == d[k] && d[k+2] == d[k] {
					return false
				}
			}
		case c > 3:
			return false
		}
	}
	if repeated != 1 {
		return false
	}
	return taxIDCheckDigit(d[:10]) == d[10]
}

// taxIDCheckDigit computes the ISO 7064 MOD 11,10 check digit.
func taxIDCheckDigit(d []byte) byte {
	product := 10
	for _, v := range d {
		sum := (int(v) + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (sum * 2) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return byte(check)
}

// Context words. A cue counts when it starts a word within a short window
// before the candidate.
var (
	phoneCues = []string{"tel", "tel.", "telefon", "telefonnummer", "telnr", "tel.-nr", "handy",
		"handynummer", "handynr", "mobil", "mobilnummer", "mobile", "phone", "call", "cell",
		"erreichbar", "reachable", "anrufen", "ruf", "rufen", "rufnummer", "nummer", "number",
		"whatsapp", "fax", "festnetz", "zurückrufen", "zurueckrufen", "callback", "unter"}
	taxCues = []string{"steuer", "steuer-id", "steuerid", "steuer-idnr", "steueridentifikationsnummer",
		"identifikationsnummer", "idnr", "id-nr", "tin", "tax", "steuernummer"}
	negativeCues = []string{"bestellnummer", "bestellnr", "bestellung", "auftragsnummer", "auftragsnr",
		"auftrag", "rechnungsnummer", "rechnungsnr", "rechnung", "kundennummer", "kundennr", "kunden-nr",
		"sendungsnummer", "sendungsnr", "sendung", "tracking", "trackingnummer", "order", "invoice",
		"customer", "artikel", "artikelnummer", "artikelnr", "article", "item", "ticket", "vorgang",
		"vorgangsnummer", "referenz", "reference", "ref", "nr", "nr.", "no.", "#", "paket",
		"paketnummer", "parcel", "shipment", "lieferung", "vertragsnummer", "vertrag", "contract",
		"seriennummer", "serial", "plz", "ean", "isbn", "gutschein", "voucher", "code"}
)

// phoneAt matches a telephone number: international with "+" or "00",
// or German national starting with 0, in the usual written forms such as
// "+49 151 2345678", "+49 (0)30 1234567", "0151/2345678", "0151.2345678",
// "(030) 1234567".
// National numbers need a recognisable shape (mobile prefix, area code in
// parentheses or set apart) or a cue such as "Tel." so that plain numbers
// with a leading zero are not taken for phone numbers.
func phoneAt(t string, i, floor int) (int, bool) {
	// A phone number does not start in the middle of a run of digit groups,
	// such as inside a mistyped IBAN "DE89 3704 0044 0532 ...".
	if i >= 2 && (t[i-1] == ' ' || t[i-1] == '-' || t[i-1] == '/') && isDigit(t[i-2]) {
		return 0, false
	}
	var p phoneRun
	if !p.scan(t, i) {
		return 0, false
	}
	if p.dots && p.dottedQuad() {
		return 0, false
	}
	for k := p.ng - 1; k >= 0; k-- {
		e, n := p.ends[k], p.cnt[k]
		if p.open[k] || !phoneEnds(t, e) {
			continue
		}
		if p.validate(t, i, floor, n) {
			return e, true
		}
	}
	return 0, false
}

// phoneEnds is numberEnds, but a phone number may also be followed by a
// closing parenthesis or a separator before the next word.
func phoneEnds(t string, e int) bool {
	return numberEnds(t, e) || t[e] == ' ' || t[e] == '-' || t[e] == '/'
}

// phoneRun is a scanned candidate telephone number.
type phoneRun struct {
	d          [18]byte
	n          int
	ends       [18]int
	cnt        [18]int
	open       [18]bool // inside an unclosed parenthesis at this end
	ng         int
	intl       bool // started with "+"
	paren      bool // the first group was in parentheses: "(030)"
	firstLen   int  // digits in the first group
	firstApart bool // the first group is followed by a separator
	dots       bool // a dot split two groups
}

func (p *phoneRun) scan(t string, i int) bool {
	j := i
	inParen, usedParen := false, false
	if t[j] == '+' {
		p.intl = true
		j++
	}
	for j < len(t) && p.n < len(p.d) && p.ng < len(p.ends) {
		c := t[j]
		switch {
		case isDigit(c):
			k := j
			for k < len(t) && isDigit(t[k]) && p.n < len(p.d) {
				p.d[p.n] = t[k] - '0'
				p.n++
				k++
			}
			if k < len(t) && isDigit(t[k]) {
				return false // too many digits for a phone number
			}
			if p.ng == 0 {
				p.firstLen = p.n
				p.paren = inParen
			}
			p.ends[p.ng], p.cnt[p.ng], p.open[p.ng] = k, p.n, inParen
			p.ng++
			j = k
		case c == '(':
			if p.intl && j+2 < len(t) && t[j+1] == '0' && t[j+2] == ')' {
				j += 3 // the trunk prefix in "+49 (0)30 ..."
				continue
			}
			if usedParen || j+1 >= len(t) || !isDigit(t[j+1]) {
				return p.ng > 0
			}
			inParen, usedParen = true, true
			j++
		case c == ')':
			if !inParen {
				return p.ng > 0
			}
			inParen = false
			if p.ng == 1 {
				p.firstApart = true
			}
			j++
			j = skipSpaces(t, j, 1)
		case c == ' ' || c == '-' || c == '/':
			k := j
			for k < len(t) && k-j < 3 && (t[k] == ' ' || t[k] == '-' || t[k] == '/') {
				k++
			}
			if k >= len(t) || !(isDigit(t[k]) || t[k] == '(') || p.ng == 0 {
				return p.ng > 0
			}
			if p.ng == 1 {
				p.firstApart = true
			}
			j = k
		case c == '.' && p.dotOK(t, j):
			p.dots = true
			if p.ng == 1 {
				p.firstApart = true
			}
			j++
		default:
			return p.ng > 0
		}
	}
	return p.ng > 0
}

// dottedQuad reports whether the run looks like an IP address such as
// "010.123.045.067": four groups of at most three digits.
func (p *phoneRun) dottedQuad() bool {
	if p.ng != 4 {
		return false
	}
	prev := 0
	for k := 0; k < p.ng; k++ {
		if p.cnt[k]-prev > 3 {
			return false
		}
		prev = p.cnt[k]
	}
	return true
}

// dotOK reports whether the dot at j splits groups of a telephone number,
// as in "0151.2345678" or "+49.30.1234567": one dot, between digits, after
// a group of at least two. A single digit before the dot is a decimal
// ("0.1567891234"), not an area code.
func (p *phoneRun) dotOK(t string, j int) bool {
	if p.ng == 0 || j+1 >= len(t) || !isDigit(t[j+1]) || !isDigit(t[j-1]) {
		return false
	}
	prev := 0
	if p.ng >= 2 {
		prev = p.cnt[p.ng-2]
	}
	return p.cnt[p.ng-1]-prev >= 2
}

// validate decides whether the first n digits form a telephone number.
func (p *phoneRun) validate(t string, i, floor, n int) bool {
	d := p.d[:n]
	switch {
	case p.intl:
		return n >= 8 && n <= 15 && d[0] != 0
	case n >= 3 && d[0] == 0 && d[1] == 0:
		return n >= 11 && n <= 17 && d[2] != 0 && !p.negative(t, i, floor)
	case n >= 2 && d[0] == 0 && d[1] != 0:
		if n < 8 || n > 13 || p.negative(t, i, floor) {
			return false
		}
		mobile := d[1] == 1 && d[2] >= 5 && d[2] <= 7 && n >= 10 && n <= 12
		areaApart := p.firstApart && p.firstLen >= 3 && p.firstLen <= 6 && n-p.firstLen >= 3
		return mobile || areaApart || cueBefore(t, max(i-32, floor), i, phoneCues)
	}
	return false
}

// negative reports whether the number is labelled as an order, invoice,
// customer or tracking number and not as a telephone number.
func (p *phoneRun) negative(t string, i, floor int) bool {
	from := max(i-32, floor)
	return cueBefore(t, from, i, negativeCues) && !cueBefore(t, from, i, phoneCues)
}

// ibanLen holds the IBAN length of every SEPA country (ISO 13616 registry).
var ibanLen = map[[2]byte]int{
	{'A', 'D'}: 24, {'A', 'T'}: 20, {'B', 'E'}: 16, {'B', 'G'}: 22, {'C', 'H'}: 21, {'C', 'Y'}: 28,
	{'C', 'Z'}: 24, {'D', 'E'}: 22, {'D', 'K'}: 18, {'E', 'E'}: 20, {'E', 'S'}: 24, {'F', 'I'}: 18,
	{'F', 'R'}: 27, {'G', 'B'}: 22, {'G', 'I'}: 23, {'G', 'R'}: 27, {'H', 'R'}: 21, {'H', 'U'}: 28,
	{'I', 'E'}: 22, {'I', 'S'}: 26, {'I', 'T'}: 27, {'L', 'I'}: 21, {'L', 'T'}: 20, {'L', 'U'}: 20,
	{'L', 'V'}: 21, {'M', 'C'}: 27, {'M', 'T'}: 31, {'N', 'L'}: 18, {'N', 'O'}: 15, {'P', 'L'}: 28,
	{'P', 'T'}: 25, {'R', 'O'}: 24, {'S', 'E'}: 24, {'S', 'I'}: 19, {'S', 'K'}: 24, {'S', 'M'}: 27,
	{'V', 'A'}: 22, {'G', 'G'}: 22, {'J', 'E'}: 22, {'I', 'M'}: 22, {'F', 'O'}: 18, {'G', 'L'}: 18,
}

// IBANLength returns the IBAN length for a SEPA country code such as "DE",
// or 0 if the country is not covered.
func IBANLength(country string) int {
	if len(country) != 2 {
		return 0
	}
	return ibanLen[[2]byte{upper(country[0]), upper(country[1])}]
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// ibanAt matches an IBAN of a SEPA country, in capitals or not, written
// plain or in groups split by single spaces, hyphens or dots, that passes
// the ISO 13616 mod-97 check. Visitors copy IBANs from banking apps and
// letters that group them with any of the three, so all are accepted, but
// one IBAN uses one separator throughout: a mix is more likely two codes.
func ibanAt(t string, i int) (int, bool) {
	if len(t)-i < 15 || !isAlpha(t[i]) || !isAlpha(t[i+1]) {
		return 0, false
	}
	L := ibanLen[[2]byte{upper(t[i]), upper(t[i+1])}]
	if L == 0 {
		return 0, false
	}
	var buf [34]byte
	var sep byte // the separator seen first, 0 while none
	n, j := 0, i
	for n < L && j < len(t) {
		c := t[j]
		switch {
		case isDigit(c) || isAlpha(c):
			buf[n] = upper(c)
			n++
			j++
		case isIBANSep(c) && (sep == 0 || c == sep) && n >= 2 && j+1 < len(t) && isAlnum(t[j+1]):
			sep = c
			j++
		default:
			return 0, false
		}
	}
	if n < L || !isDigit(buf[2]) || !isDigit(buf[3]) || (j < len(t) && isWordByte(t[j])) {
		return 0, false
	}
	// "DE89-3704-…-00-17" runs on past the IBAN's length: some longer code.
	// Spaces are exempt, as a word or number may follow after a space.
	if sep != 0 && sep != ' ' && j+1 < len(t) && t[j] == sep && isAlnum(t[j+1]) {
		return 0, false
	}
	if !ibanValid(buf[:L]) {
		return 0, false
	}
	return j, true
}

// isIBANSep reports whether c may split the groups of an IBAN. The
// checksum keeps slashes safe: a path or a date does not pass mod 97 with
// a country code in front.
func isIBANSep(c byte) bool { return c == ' ' || c == '-' || c == '.' || c == '/' }

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// ibanValid computes the mod-97 check over the rearranged IBAN (upper case).
func ibanValid(s []byte) bool {
	r := 0
	for k := 0; k < len(s); k++ {
		c := s[(k+4)%len(s)]
		switch {
		case isDigit(c):
			r = (r*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z':
			r = (r*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return r == 1
}

// emailAt matches an e-mail address whose local part starts at i.
func emailAt(t string, i int) (int, bool) {
	j := i
	for j < len(t) && j-i < 64 && isLocalByte(t[j]) {
		j++
	}
	if j == i || t[i] == '.' {
		return 0, false
	}
	j, ok := atSign(t, j)
	if !ok {
		return 0, false
	}
	start, lastDot, end := j, -1, j
	for k := j; k < len(t) && k-start < 253; k++ {
		c := t[k]
		if c == '.' {
			if k == start || t[k-1] == '.' || t[k-1] == '-' {
				break
			}
			continue
		}
		if !(isDigit(c) || isAlpha(c) || c == '-') {
			break
		}
		if t[k-1] == '.' {
			lastDot = k - 1
		}
		end = k + 1
	}
	if lastDot < 0 || end-lastDot-1 < 2 {
		return 0, false // no dot, or a top-level domain shorter than 2
	}
	for k := lastDot + 1; k < end; k++ {
		if !isAlpha(t[k]) {
			return 0, false
		}
	}
	return end, true
}

// atSign returns the index after the at sign at j: "@", or "(at)" or
// "[at]" with or without a space on either side, as people write their
// address to keep it from harvesters; they mean it no less.
func atSign(t string, j int) (int, bool) {
	if j < len(t) && t[j] == '@' {
		return j + 1, true
	}
	if j < len(t) && t[j] == ' ' {
		j++
	}
	if j+4 > len(t) || (t[j] != '(' || t[j+3] != ')') && (t[j] != '[' || t[j+3] != ']') ||
		t[j+1]|0x20 != 'a' || t[j+2]|0x20 != 't' {
		return 0, false
	}
	j += 4
	if j < len(t) && t[j] == ' ' {
		j++
	}
	return j, true
}

// isLocalByte reports whether c may appear in the local part of an address:
// bytes of non-ASCII letters too, as in anna.müller@example.com (RFC 6531;
// mail providers accept them, and people type their names).
func isLocalByte(c byte) bool {
	return isDigit(c) || isAlpha(c) || c >= 0x80 || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// spelledEmailAt matches an address written out in words to keep it from
// harvesters, which people do in chats as well: "max at example dot org",
// "max punkt mustermann (at) gmx punkt de". Both the at and every dot of the
// domain may be spelled, but a spelled at needs a spelled dot after it and a
// known top-level domain last: "I ordered at amazon.de" is no address.
func spelledEmailAt(t string, i int) (int, bool) {
	j, localSpelled := spelledLabels(t, i, true)
	if j == i {
		return 0, false
	}
	atSpelled := hasPrefixFold(t, j, " at ")
	k, ok := spelledAtSign(t, j)
	if !ok {
		return 0, false
	}
	end, dotSpelled := spelledLabels(t, k, false)
	if atSpelled && !dotSpelled || !atSpelled && !dotSpelled && !localSpelled {
		return 0, false // nothing spelled but the at, or nothing at all (emailAt's)
	}
	// "bought it at otto dot de" names a shop: a spelled at needs a local
	// part that is no plain word, or a word for mail before it.
	if atSpelled && !localSpelled && plainWord(t[i:j]) &&
		!cueBefore(t, i-48, i, mailCues) {
		return 0, false
	}
	// The last label is the top-level domain.
	l := end
	for l > k && isAlpha(t[l-1]) {
		l--
	}
	if l == k || l == end || !knownTLD(t[l:end]) {
		return 0, false
	}
	return end, true
}

// plainWord reports whether s has letters only.
func plainWord(s string) bool {
	for k := 0; k < len(s); k++ {
		if !isLetter(s[k]) {
			return false
		}
	}
	return true
}

// mailCues are words that announce an e-mail address.
var mailCues = []string{"mail", "e-mail", "email", "adresse", "address", "mailadresse", "emailadresse",
	"e-mail-adresse", "schreib", "schreiben", "write", "contact", "kontakt", "erreichbar", "reach"}

// spelledLabels reads labels joined by dots, written or spelled ("dot",
// "punkt", "(dot)", "[dot]"), from i. It returns the end of the last label
// and whether a dot was spelled. Local parts allow the bytes of
// isLocalByte, domains letters, digits and hyphens.
func spelledLabels(t string, i int, local bool) (int, bool) {
	end, spelled := i, false
	for k := i; ; {
		e := k
		for e < len(t) && e-k < 63 && (isDigit(t[e]) || isAlpha(t[e]) || t[e] == '-' || local && isLocalByte(t[e]) && t[e] != '.') {
			e++
		}
		if e == k {
			return end, spelled
		}
		end = e
		next, isSpelled := spelledDot(t, e)
		if next < 0 {
			return end, spelled
		}
		k, spelled = next, spelled || isSpelled
	}
}

// spelledDot returns the index after a dot at j, written or spelled, and
// whether it was spelled; -1 when there is none.
func spelledDot(t string, j int) (int, bool) {
	if j+1 < len(t) && t[j] == '.' && (isAlpha(t[j+1]) || isDigit(t[j+1])) {
		return j + 1, false
	}
	for _, w := range [...]string{" dot ", " punkt ", " (dot) ", " [dot] ", "(dot)", "[dot]"} {
		if hasPrefixFold(t, j, w) {
			return j + len(w), true
		}
	}
	return -1, false
}

// spelledAtSign returns the index after " at " or an at sign atSign knows.
func spelledAtSign(t string, j int) (int, bool) {
	if hasPrefixFold(t, j, " at ") {
		return j + 4, true
	}
	return atSign(t, j)
}

// knownTLD reports whether s is a top-level domain common enough in German
// and English chats to trust a spelled address that ends in it.
func knownTLD(s string) bool {
	for _, d := range [...]string{"com", "org", "net", "de", "at", "ch", "eu", "info", "io", "co", "uk", "fr",
		"nl", "it", "es", "biz", "me", "us", "edu", "gov", "li", "lu", "be", "dk", "pl", "se", "no"} {
		if len(s) == len(d) && hasPrefixFold(s, 0, d) {
			return true
		}
	}
	return false
}
