package pii

// Names have no shape of their own, so a name is reported only after a
// clear cue: an introduction ("mein Name ist", "my name is") or a sign-off
// ("Viele Grüße, Max Mustermann", "Regards, Jane Doe"). Weaker
// introductions ("ich bin", "I am", "hier ist") are in intro.go.

type nameCue struct {
	s string
	// strong cues introduce a name for certain; lower-case names count.
	strong bool
	// last means the name must end the message, as a signature does.
	last bool
	// lowerAtEnd accepts a lower-case name after a sign-off ("lg max")
	// when the name ends the message.
	lowerAtEnd bool
}

var nameCues = []nameCue{
	{"mein name ist", true, false, false}, {"mein name lautet", true, false, false},
	{"mein name:", true, false, false}, {"ich heiße", true, false, false}, {"ich heisse", true, false, false},
	{"ich heise", true, false, false}, {"my name is", true, false, false}, {"my name's", true, false, false},
	{"i am called", true, false, false}, {"i'm called", true, false, false}, {"im called", true, false, false},
	{"name:", true, false, false},
	{"grüße", false, false, true}, {"grüßen", false, false, true}, {"gruß", false, false, true},
	{"gruss", false, false, true}, {"grüsse", false, false, true}, {"gruesse", false, false, true},
	{"grüssen", false, false, true}, {"gruessen", false, false, true}, {"mfg", false, false, true},
	{"regards", false, false, true}, {"sincerely", false, false, true},
	{"lg", false, true, true}, {"vg", false, true, true}, {"bg", false, true, true},
	{"cheers", false, true, false}, {"thanks", false, true, false}, {"thank you", false, true, false},
	{"danke", false, true, false}, {"best", false, true, false},
}

// nameAt matches a name after a cue that starts at i. The span covers the
// name only, not the cue.
func nameAt(t string, i int) (Span, bool) {
	c := lower(t[i])
	if c != 'm' && c != 'i' && c != 'n' && c != 'h' && c != 't' && c != 'g' && c != 'r' &&
		c != 's' && c != 'l' && c != 'v' && c != 'c' && c != 'd' && c != 'b' {
		return Span{}, false
	}
	for _, cue := range nameCues {
		// The first byte rules out most cues: a third of Detect's time in
		// WebAssembly went to comparing every cue at every word.
		if cue.s[0] != c || !hasWordFold(t, i, cue.s) {
			continue
		}
		if s, ok := nameAfter(t, i+len(cue.s), cue); ok {
			return s, true
		}
	}
	if c == 'i' || c == 'h' || c == 't' {
		return introAt(t, i)
	}
	return Span{}, false
}

// atMessageStart reports whether only greetings come before i: "Hallo,
// hier ist ...", "Guten Tag, I am ...", "hi there! this is ...".
func atMessageStart(t string, i int) bool {
	if i > 48 {
		return false // no greeting is that long; bounds the walk
	}
	var buf [16]byte
	for k, words := i, 0; ; words++ {
		for k > 0 && (t[k-1] == ' ' || t[k-1] == ',' || t[k-1] == '!' || t[k-1] == '.' || t[k-1] == '\n') {
			k--
		}
		if k == 0 {
			return true
		}
		w := k
		for w > 0 && isLetter(t[w-1]) {
			w--
		}
		g := lowerWord(buf[:], t, w, k)
		if words == 4 || w == k || g == nil || !greetings[string(g)] {
			return false
		}
		k = w
	}
}

// greetings are the words that may open a message before an introduction.
var greetings = map[string]bool{"hi": true, "hallo": true, "hello": true, "hey": true, "moin": true,
	"servus": true, "guten": true, "tag": true, "morgen": true, "abend": true, "good": true,
	"morning": true, "afternoon": true, "evening": true, "there": true, "zusammen": true,
	"liebes": true, "team": true, "dear": true, "grüß": true, "gott": true, "hallöchen": true}

// nameAfter reads one to three name words after a cue ending at j.
func nameAfter(t string, j int, cue nameCue) (Span, bool) {
	k := j
	for n := 0; k < len(t) && n < 6 && (t[k] == ' ' || t[k] == ',' || t[k] == ':' || t[k] == '!' ||
		t[k] == '.' || t[k] == '\n' || t[k] == '\r' || t[k] == '-'); n++ {
		k++
	}
	if k == j && !(len(cue.s) > 0 && cue.s[len(cue.s)-1] == ':') {
		return Span{}, false
	}
	start, end := k, k
	capitalFirst := false
	words := 0
	var buf [24]byte
	for words < 4 && k < len(t) && isLetter(t[k]) {
		e := k
		for e < len(t) && (isLetter(t[e]) || ((t[e] == '-' || t[e] == '\'') && e+1 < len(t) && isLetter(t[e+1]))) {
			e++
		}
		w := lowerWord(buf[:], t, k, e)
		capital := isUpperAt(t, k)
		title := w != nil && nameTitles[string(w)]
		if !title && (w == nil || notNames[string(w)] || e-k < 2) {
			break
		}
		if words == 0 {
			capitalFirst = capital
			if !capital && !cue.strong && !cue.lowerAtEnd {
				return Span{}, false
			}
		} else if capitalFirst != capital || (!capital && words >= 2) {
			break
		}
		if title && e < len(t) && t[e] == '.' {
			e++
		}
		end = e
		words++
		// next word: one space
		if e+1 < len(t) && t[e] == ' ' && isLetter(t[e+1]) {
			k = e + 1
			continue
		}
		break
	}
	if words == 0 || end == start {
		return Span{}, false
	}
	if end < len(t) && (t[end] == '@' || (t[end] == '.' && end+1 < len(t) && isWordByte(t[end+1]))) {
		return Span{}, false // part of an address such as max.m@web.de
	}
	if (cue.last || (!capitalFirst && !cue.strong)) && !onlyTrailing(t, end) {
		return Span{}, false
	}
	return Span{Name, start, end}, true
}

// onlyTrailing reports whether nothing but punctuation and space follows e.
func onlyTrailing(t string, e int) bool {
	for ; e < len(t); e++ {
		switch t[e] {
		case ' ', '\n', '\r', '\t', '.', '!', ':', ')', '-':
		default:
			return false
		}
	}
	return true
}

// nameTitles may lead a name and are kept in the span.
var nameTitles = map[string]bool{"herr": true, "frau": true, "mr": true, "mrs": true, "ms": true,
	"dr": true, "prof": true}

// notNames are words that follow cues in ordinary sentences ("Grüße aus
// Berlin", "my name is wrong on the invoice"); they end a name.
var notNames = map[string]bool{}

func init() {
	for _, w := range []string{
		// German
		"und", "oder", "aber", "ich", "du", "er", "sie", "es", "wir", "ihr", "mein", "meine", "meinen",
		"dein", "deine", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "ist", "bin",
		"nicht", "auch", "noch", "aus", "von", "vom", "mit", "für", "fuer", "an", "am", "im", "in", "auf",
		"zu", "zum", "zur", "bei", "nach", "so", "wie", "was", "wo", "team", "kundenservice", "service",
		"support", "hallo", "hi", "danke", "dank", "bitte", "falsch", "richtig", "gleich", "leider",
		"schon", "jetzt", "hier", "da", "dir", "euch", "ihnen", "sehr", "vielen", "viele", "beste",
		"besten", "freundlichen", "freundliche", "grüße", "gruesse", "gruß", "gruss", "herzliche",
		"herzlichen", "liebe", "lieben", "gestern", "heute", "morgen", "allen", "alle", "nochmal",
		"schön", "schoen", "vorab", "voraus", "im", "ja", "nein", "ok", "okay", "super", "toll",
		"trotzdem", "dafür", "dafuer", "geschrieben", "anders", "korrekt", "verkehrt", "wird", "war",
		"wurde", "steht", "hat", "habe", "haben", "kann", "soll", "muss", "bestellung", "rechnung",
		"lieferung", "paket", "konto", "kundennummer", "egal", "unwichtig", "bekannt", "eigentlich",
		"wohl", "vielleicht", "alles", "gut", "klar", "passt", "nur", "bis", "bald", "tschüss", "tschuess", "ciao",
		// English
		"and", "or", "but", "i", "im", "me", "my", "mine", "you", "your", "the", "a", "an", "is", "am",
		"are", "was", "were", "be", "been", "not", "also", "still", "on", "at", "to", "for", "from", "of",
		"with", "by", "as", "it", "its", "this", "that", "what", "where", "wrong", "spelled", "spelt",
		"misspelled", "missing", "incorrect", "correct", "different", "again", "support", "hello",
		"thanks", "thank", "please", "sorry", "all", "everyone", "very", "much", "lot", "lots", "dear",
		"best", "kind", "warm", "regards", "today", "yesterday", "tomorrow", "advance", "anyway",
		"so", "just", "only", "written", "listed", "shown", "printed", "there", "here", "now", "no",
		"yes", "in", "ok", "okay", "great", "guys", "folks", "again", "too", "will", "would", "should",
		"can", "could", "has", "have", "had", "does", "do", "did", "not", "changed", "different",
		"order", "invoice", "account", "account's", "wishes", "bye", "soon", "again", "cheers",
		"help", "helping", "for", "quick", "reply", "answer", "response", "info", "information",
		"back", "never", "twice", "often", "everything", "anything", "nothing", "someone", "how", "why", "when", "who", "which",
	} {
		notNames[w] = true
	}
}
