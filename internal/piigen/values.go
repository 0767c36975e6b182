package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Value generators. Each returns a checksum-valid value in one of the forms
// visitors type. The checksums are computed here from their specifications,
// independently of package pii, so that the test set checks the detector
// rather than agreeing with it by construction.

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func letters(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}

// ibanFormats gives the BBAN shape per country: 'n' digit, 'a' letter,
// 'c' letter or digit (ISO 13616 registry, simplified to the character class).
var ibanFormats = map[string]string{
	"DE": "nnnnnnnnnnnnnnnnnn", "AT": "nnnnnnnnnnnnnnnn", "CH": "nnnnncccccccccccc",
	"FR": "nnnnnnnnnncccccccccccnn", "NL": "aaaannnnnnnnnn", "BE": "nnnnnnnnnnnn",
	"ES": "nnnnnnnnnnnnnnnnnnnn", "IT": "annnnnnnnnncccccccccccc", "PL": "nnnnnnnnnnnnnnnnnnnnnnnn",
	"GB": "aaaannnnnnnnnnnnnn", "LU": "nnnccccccccccccc", "IE": "aaaannnnnnnnnnnnnn",
	"DK": "nnnnnnnnnnnnnn", "NO": "nnnnnnnnnnn", "MT": "aaaannnnncccccccccccccccccc",
	"SE": "nnnnnnnnnnnnnnnnnnnn", "FI": "nnnnnnnnnnnnnn", "PT": "nnnnnnnnnnnnnnnnnnnnn",
	"CZ": "nnnnnnnnnnnnnnnnnnnn", "HU": "nnnnnnnnnnnnnnnnnnnnnnnn", "LI": "nnnnncccccccccccc",
	"SI": "nnnnnnnnnnnnnnn", "HR": "nnnnnnnnnnnnnnnnn", "GR": "nnnnnnncccccccccccccccc",
}

var ibanCountries = []string{"DE", "DE", "DE", "DE", "DE", "AT", "AT", "CH", "FR", "NL", "BE", "ES",
	"IT", "PL", "GB", "LU", "IE", "DK", "NO", "MT", "SE", "FI", "PT", "CZ", "HU", "LI", "SI", "HR", "GR"}

// mod97 computes the ISO 7064 MOD 97-10 remainder of an IBAN-style string
// of digits and capital letters (A=10 ... Z=35).
func mod97(s string) int {
	r := 0
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			r = (r*100 + int(c-'A'+10)) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

func genIBAN(r *rand.Rand) string {
	cc := pick(r, ibanCountries)
	var b strings.Builder
	for _, f := range ibanFormats[cc] {
		switch {
		case f == 'n':
			b.WriteString(digits(r, 1))
		case f == 'a':
			b.WriteString(letters(r, 1))
		default:
			if r.IntN(3) == 0 {
				b.WriteString(letters(r, 1))
			} else {
				b.WriteString(digits(r, 1))
			}
		}
	}
	bban := b.String()
	check := 98 - mod97(bban+cc+"00")
	iban := cc + pad2(check) + bban
	switch r.IntN(10) {
	case 0, 1, 2: // as printed on a card: groups of four
		return group(iban, 4, " ")
	case 3:
		return strings.ToLower(group(iban, 4, " "))
	case 4:
		return strings.ToLower(iban)
	default:
		return iban
	}
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func group(s string, n int, sep string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

// luhnDigit returns the digit that makes body+digit pass the Luhn check.
func luhnDigit(body string) byte {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		v := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

type issuer struct {
	prefix string
	length int
}

var issuers = []issuer{
	{"4", 16}, {"4", 16}, {"4", 16}, {"4", 13}, {"51", 16}, {"52", 16}, {"53", 16}, {"54", 16},
	{"55", 16}, {"2221", 16}, {"2345", 16}, {"2720", 16}, {"34", 15}, {"37", 15}, {"6011", 16},
	{"65", 16}, {"3530", 16}, {"36", 14}, {"62", 19}, {"4", 19},
}

func genCard(r *rand.Rand) string {
	is := pick(r, issuers)
	body := is.prefix + digits(r, is.length-len(is.prefix)-1)
	num := body + string(luhnDigit(body))
	switch {
	case is.length == 15 && r.IntN(2) == 0: // Amex prints 4-6-5
		return num[:4] + " " + num[4:10] + " " + num[10:]
	case r.IntN(3) == 0:
		return num
	case r.IntN(2) == 0:
		return group(num, 4, "-")
	default:
		return group(num, 4, " ")
	}
}

// genTaxID returns a valid German Steuer-ID: first digit not 0, one digit of
// the first ten repeated twice (or three times, not in a row), and the
// ISO 7064 MOD 11,10 check digit.
func genTaxID(r *rand.Rand) string {
	for {
		d := digits(r, 10)
		if d[0] == '0' || !taxRepetitionOK(d) {
			continue
		}
		id := d + string(mod1110(d))
		switch r.IntN(4) {
		case 0:
			return id[:2] + " " + id[2:5] + " " + id[5:8] + " " + id[8:]
		default:
			return id
		}
	}
}

func taxRepetitionOK(d string) bool {
	var count [10]int
	for _, c := range d {
		count[c-'0']++
	}
	rep := 0
	for _, c := range count {
		if c > 3 {
			return false
		}
		if c >= 2 {
			rep++
		}
	}
	return rep == 1 && !strings.Contains(d, string([]byte{d[0], d[0], d[0]})) && !tripleRun(d)
}

func tripleRun(d string) bool {
	for i := 0; i+2 < len(d); i++ {
		if d[i] == d[i+1] && d[i] == d[i+2] {
			return true
		}
	}
	return false
}

func mod1110(d string) byte {
	p := 10
	for _, c := range d {
		s := (int(c-'0') + p) % 10
		if s == 0 {
			s = 10
		}
		p = s * 2 % 11
	}
	c := 11 - p
	if c == 10 {
		c = 0
	}
	return byte('0' + c)
}

var (
	firstNames = []string{"Max", "Anna", "Lukas", "Marie", "Jonas", "Sophie", "Leon", "Lena", "Felix",
		"Hannah", "Jürgen", "Sabine", "Thomas", "Petra", "Özlem", "Mehmet", "Katarzyna", "Jan",
		"Jane", "John", "Emily", "Oliver", "Charlotte", "James", "Sarah", "Michael", "Laura", "Tim"}
	lastNames = []string{"Mustermann", "Schmidt", "Müller", "Mueller", "Schneider", "Fischer", "Weber",
		"Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer", "Yilmaz", "Nowak", "Kowalski", "Doe",
		"Smith", "Johnson", "Brown", "Taylor", "Wilson", "Klein", "Wolf", "Neumann", "Zimmermann"}
	mailDomains = []string{"web.de", "gmx.de", "gmail.com", "t-online.de", "outlook.com", "posteo.de",
		"yahoo.co.uk", "icloud.com", "mailbox.org", "firma-beispiel.de", "uni-hamburg.de", "gmx.net"}
)

func ascii(s string) string {
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss").Replace(s)
}

func genEmail(r *rand.Rand) string {
	f, l := strings.ToLower(ascii(pick(r, firstNames))), strings.ToLower(ascii(pick(r, lastNames)))
	var local string
	switch r.IntN(6) {
	case 0:
		local = f + "." + l
	case 1:
		local = f[:1] + l
	case 2:
		local = f + "_" + l + digits(r, 2)
	case 3:
		local = l + "." + f + "+shop"
	case 4:
		local = f + digits(r, 4)
	default:
		local = f + "-" + l
	}
	e := local + "@" + pick(r, mailDomains)
	if r.IntN(8) == 0 {
		e = strings.ToUpper(e[:1]) + e[1:]
	}
	return e
}

func genName(r *rand.Rand) string {
	f, l := pick(r, firstNames), pick(r, lastNames)
	switch r.IntN(8) {
	case 0:
		return strings.ToLower(ascii(f + " " + l))
	case 1:
		return f
	default:
		return f + " " + l
	}
}

// introFirst and introLast add accented, hyphenated and non-German names
// to the introductions, whose rule looks at a name's shape, not its letters.
var (
	introFirst = []string{"Anna-Lena", "Karl-Heinz", "Łukasz", "Ömer", "Aylin", "Chloé", "Dragan",
		"Ngozi", "Zoë", "Henning", "Beverly", "Alfred", "Ludwig", "Carlos", "Mohammed"}
	introLast = []string{"Müller-Lüdenscheidt", "O'Brien", "Nguyen", "Đorđević", "Şahin", "McDonald",
		"Kovačević", "Lange", "Young"}
)

// genIntroName returns a capitalised first and last name, now and then
// with a middle name.
func genIntroName(r *rand.Rand) string {
	f, l := pick(r, firstNames), pick(r, lastNames)
	if r.IntN(3) == 0 {
		f = pick(r, introFirst)
	}
	if r.IntN(3) == 0 {
		l = pick(r, introLast)
	}
	if r.IntN(6) == 0 {
		f += " " + pick(r, firstNames)
	}
	return f + " " + l
}

// genTitledName returns a title and a surname: "Frau Schmidt", "Mr Smith".
func genTitledName(r *rand.Rand) string {
	return pick(r, []string{"Frau", "Herr", "Dr.", "Mr", "Mrs", "Ms"}) + " " + pick(r, append(lastNames, introLast...))
}

func genPhone(r *rand.Rand) string {
	mobile := "01" + pick(r, []string{"51", "52", "57", "59", "60", "62", "70", "71", "72", "73", "76", "77", "78", "79"})
	sub := digits(r, 7+r.IntN(2))
	area := pick(r, []string{"030", "040", "089", "069", "0221", "0211", "0711", "0341", "0351", "0611", "06221", "0761"})
	land := digits(r, 5+r.IntN(4))
	land = string('1'+byte(r.IntN(9))) + land[1:]
	sub = string('1'+byte(r.IntN(9))) + sub[1:]
	switch r.IntN(14) {
	case 0:
		return "+49 " + mobile[1:] + " " + sub
	case 1:
		return mobile + "/" + sub
	case 2:
		return mobile + " " + sub
	case 3:
		return mobile + sub
	case 4:
		return "(" + area + ") " + land
	case 5:
		return area + " " + land
	case 6:
		return area + "/" + land
	case 7:
		return "0049 " + mobile[1:] + " " + sub
	case 8:
		return "+49 (0)" + area[1:] + " " + land
	case 9:
		return "+49" + mobile[1:] + sub
	case 10:
		return area + "-" + land
	case 11: // international E.164
		switch r.IntN(5) {
		case 0:
			return "+44 20 7946 " + digits(r, 4)
		case 1:
			return "+43 664 " + digits(r, 7)
		case 2:
			return "+41 79 " + digits(r, 3) + " " + digits(r, 2) + " " + digits(r, 2)
		case 3:
			return "+33 6 " + group(digits(r, 8), 2, " ")
		default:
			return "+1 415 555 " + digits(r, 4)
		}
	case 12:
		return "+" + pick(r, []string{"4420794", "4367612", "4179555", "14155552", "3161234"}) + digits(r, 4)
	default:
		return mobile + " " + sub[:3] + " " + sub[3:]
	}
}

var (
	monthsDE = []string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
		"September", "Oktober", "November", "Dezember"}
	monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
)

// genDate returns a date between 1940 and 2006 (a birth date) or, with
// recent, between 2022 and 2025 (a purchase date), in a de or en format.
func genDate(r *rand.Rand, recent bool) string {
	y := 1940 + r.IntN(67)
	if recent {
		y = 2022 + r.IntN(4)
	}
	m, d := 1+r.IntN(12), 1+r.IntN(28)
	ys, ms, ds := strconv.Itoa(y), strconv.Itoa(m), strconv.Itoa(d)
	switch r.IntN(9) {
	case 0:
		return pad2(d) + "." + pad2(m) + "." + ys
	case 1:
		return ds + "." + ms + "." + ys
	case 2:
		return ds + "." + ms + "." + ys[2:]
	case 3:
		return ds + ". " + monthsDE[m-1] + " " + ys
	case 4:
		return ys + "-" + pad2(m) + "-" + pad2(d)
	case 5:
		return pad2(d) + "/" + pad2(m) + "/" + ys
	case 6:
		return monthsEN[m-1] + " " + ds + ", " + ys
	case 7:
		return ds + " " + monthsEN[m-1] + " " + ys
	default:
		return pad2(d) + "." + pad2(m) + "." + ys
	}
}

var (
	streetsDE = []string{"Hauptstraße", "Bahnhofstr.", "Berliner Straße", "Goethestraße", "Schillerstr.",
		"Lindenallee", "Birkenweg", "Karl-Marx-Straße", "Kirchgasse", "Rosenweg", "Marktplatz",
		"Schlossallee", "Gartenstrasse", "dorfstrasse", "Bergstraße", "Am Markt", "Hamburger Str.",
		"Friedrichstraße", "Mühlenweg", "Kastanienallee", "Sonnenstr", "Wilhelm-Busch-Weg",
		"Lessingstraße", "hauptstr.", "Ringstraße", "Uferstraße", "Mozartstraße"}
	citiesDE = []string{"10115 Berlin", "20095 Hamburg", "80331 München", "50667 Köln", "60311 Frankfurt",
		"70173 Stuttgart", "04109 Leipzig", "01067 Dresden", "28195 Bremen", "90402 Nürnberg",
		"30159 Hannover", "79098 Freiburg", "24103 Kiel", "99084 Erfurt"}
	streetsEN = []string{"Baker Street", "Main St", "Oak Avenue", "Elm Road", "High Street", "Church Lane",
		"Maple Drive", "Park Rd", "Sunset Blvd", "Victoria Road", "King Street", "main street",
		"Pine Ave", "Station Road", "Mill Lane", "Queen's Road", "Market Square"}
)

func genAddress(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		n := strconv.Itoa(1 + r.IntN(250))
		if r.IntN(6) == 0 {
			n += pick(r, []string{"A", "B", "a"})
		}
		return n + " " + pick(r, streetsEN)
	}
	s := pick(r, streetsDE)
	if r.IntN(4) == 0 {
		s = strings.ToLower(ascii(s))
	}
	n := strconv.Itoa(1 + r.IntN(120))
	if r.IntN(5) == 0 {
		n += pick(r, []string{"a", "b", "c"})
	}
	a := s + " " + n
	switch r.IntN(3) {
	case 0:
		a += ", " + pick(r, citiesDE)
	case 1:
		a += " " + pick(r, citiesDE)
	}
	return a
}

// genIDDoc returns an identity document number: a German passport or ID
// card number (9 characters of the letters the issuer uses and digits,
// starting with a letter), a US or UK passport number (9 digits) or a German
// driving licence number (11 characters).
func genIDDoc(r *rand.Rand) string {
	const de = "CFGHJKLMNPRTVWXYZ"
	alnum := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			if r.IntN(3) == 0 {
				b[i] = de[r.IntN(len(de))]
			} else {
				b[i] = byte('0' + r.IntN(10))
			}
		}
		return string(b)
	}
	switch r.IntN(4) {
	case 0, 1:
		return string(de[r.IntN(len(de))]) + digits(r, 2) + alnum(6)
	case 2:
		return string(byte('1'+r.IntN(9))) + digits(r, 8)
	default:
		return string(byte('A'+r.IntN(26))) + digits(r, 3) + alnum(5) + digits(r, 2)
	}
}

// genSpelledEmail returns an address with its at and dots written as
// words, as people write it to keep it from harvesters.
func genSpelledEmail(r *rand.Rand) string {
	f, l := strings.ToLower(ascii(pick(r, firstNames))), strings.ToLower(ascii(pick(r, lastNames)))
	domain, tld, _ := strings.Cut(pick(r, mailDomains), ".")
	switch r.IntN(3) {
	case 0:
		return f + " at " + domain + " dot " + tld
	case 1:
		return f + " punkt " + l + " at " + domain + " punkt " + tld
	default:
		return f + "." + l + " (at) " + domain + " (dot) " + tld
	}
}

// genKonto returns an old German account number (Kontonummer): 6 to 10
// digits, ten of them often with leading zeros as banks print them, plain
// or, at ten digits, grouped 4-4-2. Shorter ones exist (from 5 digits) but
// are left out: a five-digit value could turn up elsewhere in a report by
// chance, and the report test looks for every value.
func genKonto(r *rand.Rand) string {
	n := 6 + r.IntN(5)
	d := strconv.Itoa(1+r.IntN(9)) + digits(r, n-1)
	if n == 10 && r.IntN(2) == 0 {
		d = "0" + d[1:]
		if r.IntN(2) == 0 {
			return d[:4] + " " + d[4:8] + " " + d[8:]
		}
	}
	return d
}

// genBLZ returns a German bank code (Bankleitzahl): 8 digits, the first
// the clearing area 1 to 8; plain, or 3-3-2 as banks print it.
func genBLZ(r *rand.Rand) string {
	d := strconv.Itoa(1+r.IntN(8)) + digits(r, 7)
	if r.IntN(3) == 0 {
		return d[:3] + " " + d[3:6] + " " + d[6:]
	}
	return d
}

// steuernummerShapes are the digit groups of the Steuernummer in the
// states' formats (Bundeszentralamt für Steuern, ELSTER): 2/3/5 Berlin,
// Hamburg, Niedersachsen, Schleswig-Holstein; 3/3/5 Bayern, Brandenburg,
// Sachsen and others; 5/5 Baden-Württemberg; 3/4/4 Nordrhein-Westfalen;
// 2/3/4/1 Rheinland-Pfalz; and 4/3/5, which the audit named.
var steuernummerShapes = [][]int{{2, 3, 5}, {2, 3, 5}, {3, 3, 5}, {3, 3, 5}, {5, 5}, {3, 4, 4}, {2, 3, 4, 1}, {4, 3, 5}}

// genSteuernummer returns a Steuernummer: a state's shape split by
// slashes, the 2 3 5 and 0nn nnn nnnnn shapes split by spaces (Bremen,
// Hessen), or the 13 digits of the federal form.
func genSteuernummer(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return pick(r, []string{"1", "2", "3", "4", "5", "9"}) + digits(r, 1) + "0" + digits(r, 10)
	case 1:
		return strconv.Itoa(10+r.IntN(90)) + " " + digits(r, 3) + " " + digits(r, 5)
	case 2:
		return "0" + digits(r, 2) + " " + digits(r, 3) + " " + digits(r, 5)
	}
	return slashedSteuernummer(r)
}

// slashedSteuernummer returns a state's shape split by slashes, its first
// digit not 0.
func slashedSteuernummer(r *rand.Rand) string {
	var b strings.Builder
	for k, n := range pick(r, steuernummerShapes) {
		if k > 0 {
			b.WriteByte('/')
		}
		if k == 0 {
			b.WriteString(strconv.Itoa(1 + r.IntN(9)))
			n--
		}
		b.WriteString(digits(r, n))
	}
	return b.String()
}

// genSlashDate returns a recent date as day/month/year: "12/05/2024".
func genSlashDate(r *rand.Rand) string {
	return pad2(1+r.IntN(28)) + "/" + pad2(1+r.IntN(12)) + "/" + strconv.Itoa(2022+r.IntN(4))
}
