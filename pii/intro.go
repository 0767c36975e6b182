package pii

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Weak introductions ("ich bin", "I am", "I'm", "hier ist", "this is")
// are followed by a name less often than by anything else: "ich bin
// Kunde", "I am locked out", "this is ridiculous". German capitalises
// every noun, so a capital alone says little. A name after a weak
// introduction is therefore reported only when it has a name's shape:
//
//   - two or three capitalised words, each a capital and then a small
//     letter ("Anna Schmidt", "Anna-Lena Müller", not "URGENT"), or a title
//     and one such word ("Frau Schmidt", "Mr Smith");
//   - the first word is none of the words that follow these cues in
//     ordinary messages (introNotFirst: "Kunde", "Student", "German",
//     "Unable", weekdays, brands) nor of the suffixes of adjectives,
//     adverbs and abstract nouns ("-lich", "-ung", "-ly", "-ed"); no word
//     is a role noun ("Zahlfix Kunde", "Premium Member");
//   - no capitalised word follows, unless it is one that often follows a
//     name ("Kundennummer"): in a message typed In Title Case every word
//     has a capital, and the capitals say nothing.
//
// One word alone ("Hallo, hier ist Anna", "Hi, I'm Jane and ...") counts
// only when the cue opens the message and the word ends a clause; never
// after "ich bin", where the word is a noun far more often than a name.

// introCue is a weak introduction.
type introCue struct {
	s string
	// onlyStart means the cue counts only at the start of the message,
	// after greetings: "this is" and "hier ist" start many other sentences.
	onlyStart bool
	// single accepts one name word when the cue opens the message.
	single bool
}

var introCues = []introCue{
	{"ich bin", false, false}, {"i am", false, true}, {"i'm", false, true}, {"i’m", false, true},
	{"hier ist", true, true}, {"hier spricht", true, true}, {"this is", true, true},
}

// introAt matches a name after a weak introduction that starts at i.
func introAt(t string, i int) (Span, bool) {
	c := lower(t[i])
	for _, cue := range introCues {
		if cue.s[0] != c || !hasWordFold(t, i, cue.s) {
			continue
		}
		start := atMessageStart(t, i)
		if cue.onlyStart && !start {
			continue
		}
		// "I Am Not Able To Log In": the cue In Title Case means the
		// capitals after it say nothing.
		for k := 1; k < len(cue.s); k++ {
			if cue.s[k-1] == ' ' && isUpperAt(t, i+k) {
				return Span{}, false
			}
		}
		j := i + len(cue.s)
		if j >= len(t) || t[j] != ' ' {
			continue
		}
		return introName(t, j+1, cue.single && start)
	}
	return Span{}, false
}

// introName reads a name of the shape described above starting at k.
// single allows a name of one word.
func introName(t string, k int, single bool) (Span, bool) {
	start, end := k, k
	words, titled := 0, false
	var buf [24]byte
	for words < 3 && k < len(t) {
		e, ok := nameWordEnd(t, k)
		w := lowerWord(buf[:], t, k, e)
		if words == 0 && !titled && w != nil && nameTitles[string(w)] {
			// "Frau Schmidt", "Dr. Weber": a title and a surname suffice.
			titled = true
			if e < len(t) && t[e] == '.' {
				e++
			}
		} else {
			if !ok || w == nil || notNames[string(w)] || roleNouns.has(w) || participle(w) ||
				(words == 0 && !titled && notFirstName(w)) {
				break
			}
			words++
		}
		end = e
		if e+1 < len(t) && t[e] == ' ' && isLetter(t[e+1]) {
			k = e + 1
			continue
		}
		k = e
		break
	}
	if words == 0 || (words == 1 && !titled && !single) {
		return Span{}, false
	}
	if end < len(t) && (t[end] == '@' || (t[end] == '.' && end+1 < len(t) && isWordByte(t[end+1]))) {
		return Span{}, false // part of an address such as anna.schmidt@web.de
	}
	if !introEnds(t, end, words == 1 && !titled) {
		return Span{}, false
	}
	return Span{Name, start, end}, true
}

// nameWordEnd returns the end of the word at k and whether it is shaped
// like a name: a capital, then a small letter ("Özlem", "Anna-Lena",
// "McDonald"), or a capital, an apostrophe and a capital ("O'Brien").
func nameWordEnd(t string, k int) (int, bool) {
	e := k
	for e < len(t) && (isLetter(t[e]) || ((t[e] == '-' || t[e] == '\'') && e+1 < len(t) && isLetter(t[e+1]))) {
		e++
	}
	if e-k < 2 || !isUpperAt(t, k) {
		return e, false
	}
	_, n := utf8.DecodeRuneInString(t[k:])
	if k+n >= e {
		return e, false
	}
	if t[k+n] == '\'' {
		return e, k+n+1 < e && isUpperAt(t, k+n+1)
	}
	r, _ := utf8.DecodeRuneInString(t[k+n:])
	return e, unicode.IsLower(r)
}

// introEnds reports whether the name ending at e is over. After two or
// more words any small word, digit or punctuation may follow, and of
// capitalised words only introFollowers. A lone word must end a clause.
func introEnds(t string, e int, lone bool) bool {
	if e >= len(t) {
		return true
	}
	if t[e] != ' ' {
		return !isWordByte(t[e])
	}
	k := e + 1
	if k >= len(t) || !isLetter(t[k]) {
		return !lone || onlyTrailing(t, e)
	}
	var buf [24]byte
	w := lowerWord(buf[:], t, k, wordEnd(t, k))
	if lone {
		return w != nil && loneFollowers.has(w) && !isUpperAt(t, k)
	}
	return !isUpperAt(t, k) || (w != nil && introFollowers.has(w))
}

// participle reports whether w (lower case) is an English past participle
// ("locked", "charged"), which no surname is either: "-ed", sparing
// "-red", "-ied" and "-med" (Alfred, Siegfried, Mohammed).
func participle(w []byte) bool {
	n := len(w)
	return n >= 6 && w[n-2] == 'e' && w[n-1] == 'd' && !(w[n-3] == 'r' || w[n-3] == 'i' || w[n-3] == 'm')
}

// notFirstName reports whether w (lower case) cannot start a name: a word
// of introNotFirst, or a suffix of adjectives, adverbs, participles and
// abstract nouns. Suffixes that end first names too are spared: "-ley",
// "-rly" and "-elly" (Shirley, Beverly, Kelly), "-wig" (Ludwig), "-rlos"
// (Carlos), "-nning", "-ving", "-rling", "-ming" (Henning, Irving,
// Sterling). Later words may be surnames, which end in "-ung" (Jung) or
// "-ing" (Manning) too, so only participles are kept from them.
func notFirstName(w []byte) bool {
	if introNotFirst.has(w) {
		return true
	}
	n := len(w)
	has := func(s string) bool { return n >= len(s) && string(w[n-len(s):]) == s }
	switch {
	case has("ung"), has("heit"), has("keit"), has("schaft"), has("lich"), has("isch"),
		has("tion"), has("ness"), has("ful"), has("able"), has("ible"), has("ous"):
		return true
	case n >= 5 && has("ig") && !has("wig"):
		return true
	case n >= 5 && has("los") && !has("rlos"):
		return true
	case n >= 6 && has("ly") && !has("ley") && !has("rly") && !has("elly"):
		return true
	case n >= 6 && has("ing") && !has("nning") && !has("ving") && !has("rling") && !has("ming"):
		return true
	}
	return false
}

// A wordList is a list of lower-case words, sorted at start-up. The lists
// are slices, not maps: a package-level slice of string constants is
// static data, where a map is built on the heap at start-up. In the
// WebAssembly engine the larger heap moved the collector's pacing, and the
// linear memory, which never shrinks, grew 11% over a million replies
// (runner's TestSoak) with these words in maps.
type wordList []string

// has reports whether w is in l.
func (l wordList) has(w []byte) bool {
	_, ok := slices.BinarySearch(l, string(w))
	return ok
}

// Words that follow "ich bin", "I am", "hier ist" or "this is" in
// customer-service messages and are no first names.
var introNotFirst = wordList{
	// German: who one is
	"kunde", "kundin", "neukunde", "neukundin", "bestandskunde", "bestandskundin", "stammkunde",
	"stammkundin", "privatkunde", "privatkundin", "geschäftskunde", "geschaeftskunde", "firmenkunde",
	"premiumkunde", "student", "studentin", "schüler", "schueler", "schülerin", "azubi",
	"auszubildende", "auszubildender", "rentner", "rentnerin", "pensionär", "beamter", "beamtin",
	"arbeitnehmer", "arbeitgeber", "selbstständig", "selbststaendig", "selbständig", "selbstaendig",
	"selbstständige", "selbstständiger", "freiberufler", "freiberuflerin", "unternehmer",
	"unternehmerin", "händler", "haendler", "händlerin", "verkäufer", "verkaeufer", "verkäuferin",
	"käufer", "kaeufer", "käuferin", "mitglied", "inhaber", "inhaberin", "besitzer", "besitzerin",
	"kontoinhaber", "kontoinhaberin", "karteninhaber", "nutzer", "nutzerin", "benutzer", "benutzerin",
	"mieter", "vermieter", "vater", "mutter", "mama", "papa", "ehemann", "ehefrau", "witwe", "witwer",
	"tochter", "sohn", "elternteil", "vormund", "betreuer", "betreuerin", "bevollmächtigter",
	"ansprechpartner", "ansprechpartnerin", "mitarbeiter", "mitarbeiterin", "angestellter",
	"angestellte", "chef", "chefin", "geschäftsführer", "anfänger", "anfaenger", "laie", "neu", "neuer",
	"neue", "opfer", "ausländer", "auslaender", "deutscher", "deutsche", "deutsch", "österreicher",
	"schweizer", "schweizerin", "türke", "türkin", "vegetarier", "veganer", "abonnent", "abonnentin",
	"empfänger", "empfaenger", "absender", "lieferant", "gast", "besucher", "interessent",
	"teilnehmer", "alte", "alter", "langjähriger", "langjaehriger", "treuer", "treue", "zahlender",
	"zahlende", "stolzer", "stolze", "ehemaliger", "ehemalige", "junger", "junge", "privat",
	"alleinerziehend", "alleinerziehende", "berufstätig", "berufstaetig", "arbeitslos",
	// German: how, where and when one is
	"zuhause", "daheim", "unterwegs", "krank", "schwanger", "behindert", "schwerbehindert",
	"minderjährig", "volljährig", "verheiratet", "geschieden", "ledig", "umgezogen", "verärgert",
	"veraergert", "enttäuscht", "enttaeuscht", "verwirrt", "verzweifelt", "sauer", "wütend", "wuetend",
	"genervt", "froh", "zufrieden", "unzufrieden", "sicher", "unsicher", "gesperrt", "ausgesperrt",
	"angemeldet", "eingeloggt", "registriert", "berechtigt", "versichert", "bereit", "fertig", "dran",
	"wieder", "erreichbar", "erst", "seit", "ende", "anfang", "mitte", "montag", "dienstag", "mittwoch",
	"donnerstag", "freitag", "samstag", "sonnabend", "sonntag", "januar", "februar", "märz", "maerz",
	"juni", "juli", "september", "oktober", "november", "dezember", "wochenende", "urlaub", "mittag",
	"abend", "vormittag", "nachmittag", "nachts", "ganz", "total", "echt", "wirklich", "gerade",
	"momentan", "derzeit", "aktuell", "dringend", "wichtig", "komisch", "seltsam", "unmöglich",
	"unverschämt", "unverschaemt", "frech", "chaos", "betrug", "foto", "bild", "screenshot", "beweis",
	"beleg", "quittung", "nachweis", "link", "datei", "anhang", "infos", "frage", "problem", "nummer",
	"code", "fehler", "fehlermeldung", "meine", "unser", "unsere", "euer", "eure", "etwas", "eine",
	"einer", "keiner", "keine", "betreff", "bezüglich", "bezueglich", "wegen", "firma", "praxis",
	"familie",
	// English
	"unable", "able", "locked", "blocked", "stuck", "lost", "new", "sure", "unsure", "trying",
	"having", "getting", "waiting", "looking", "writing", "calling", "contacting", "reaching",
	"experiencing", "facing", "using", "moving", "travelling", "traveling", "going", "planning",
	"wondering", "asking", "receiving", "seeing", "really", "extremely", "quite", "pretty", "super",
	"totally", "completely", "absolutely", "currently", "already", "unhappy", "happy", "upset", "angry",
	"annoyed", "frustrated", "disappointed", "confused", "worried", "concerned", "tired", "fed", "sick",
	"done", "ready", "interested", "curious", "afraid", "scared", "glad", "pleased", "satisfied",
	"dissatisfied", "retired", "registered", "married", "divorced", "single", "disabled", "pregnant",
	"german", "english", "british", "american", "canadian", "australian", "irish", "french", "spanish",
	"italian", "polish", "turkish", "dutch", "austrian", "swiss", "indian", "chinese", "european",
	"muslim", "jewish", "christian", "catholic", "vegan", "vegetarian", "customer", "client", "user",
	"member", "owner", "holder", "cardholder", "business", "premium", "gold", "platinum",
	"silver", "basic", "pro", "plus", "verified", "unverified", "abroad", "overseas", "outside",
	"inside", "away", "home", "out", "off", "over", "under", "always", "charged", "logged", "signed",
	"unemployed", "self", "freelance", "freelancer", "merchant", "seller", "buyer", "vendor", "parent",
	"mother", "father", "mom", "mum", "dad", "husband", "wife", "son", "daughter", "guardian", "minor",
	"aware", "unaware", "about", "regarding", "concerning", "ridiculous", "unacceptable", "insane",
	"crazy", "weird", "strange", "annoying", "terrible", "awful", "horrible", "amazing", "important",
	"urgent", "serious", "fraud", "scam", "spam", "test", "our", "his", "her", "their", "some", "another",
	"first", "second", "last", "late", "early", "online", "offline", "unemployed", "living", "based",
	"located", "staying", "back", "company", "family", "running", "beginning", "leaving", "driving", "giving", "saving",
	"arriving", "coming", "becoming", "claiming", "christmas",
	// Brands and days that precede a second capitalised word
	"amazon", "apple", "google", "paypal", "klarna", "zahlfix", "visa", "mastercard", "amex", "dhl",
	"dpd", "ups", "gls", "telekom", "vodafone", "ebay", "netflix", "spotify", "microsoft", "samsung",
	"black", "cyber", "prime", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday", "january", "february", "march", "july", "september", "october", "november", "december",
	"christmas", "weihnachten", "ostern", "easter",
}

// Role nouns end a name wherever they stand ("Zahlfix Kunde",
// "Premium Member"); none of them is a common surname.
var roleNouns = wordList{
	"kunde", "kundin", "neukunde", "stammkunde", "customer", "client", "user", "member", "mitglied",
	"student", "studentin", "owner", "holder", "cardholder", "account", "nutzer", "nutzerin", "benutzer",
	"inhaber", "inhaberin", "besitzer", "besitzerin", "händler", "haendler", "merchant", "seller",
	"buyer", "partner", "partnerin", "fan", "abonnent", "subscriber", "mitarbeiter", "mitarbeiterin",
	"employee", "agent", "plus", "premium", "pro", "card", "karte", "pay", "prime", "app", "abo",
	"januar", "februar", "märz", "juni", "juli", "september", "oktober", "november", "dezember",
	"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "monday",
	"tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "abend", "morgen", "mittag",
	"nachmittag", "vormittag", "friday",
}

// Capitalised words that follow a name in a message ("ich bin Anna
// Schmidt Kundennummer 123").
var introFollowers = wordList{
	"kundennummer", "kundennr", "kdnr", "bestellnummer", "bestellung", "rechnung", "rechnungsnummer",
	"vertragsnummer", "vertrag", "konto", "kontonummer", "tel", "telefon", "handy", "mobil", "email",
	"mail", "adresse", "iban", "customer", "order", "account", "ticket", "ref", "referenz",
}

// Small words that may follow a lone first name ("Hi, I'm Jane and my
// parcel ...", "this is Anna from ...").
var loneFollowers = wordList{
	"and", "und", "from", "aus", "here", "again", "wieder", "nochmal", "speaking", "calling",
	"writing",
}

func init() {
	// The lists are written by topic; has needs them sorted.
	for _, l := range []wordList{introNotFirst, roleNouns, introFollowers, loneFollowers} {
		slices.Sort(l)
	}
}
