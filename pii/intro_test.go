package pii

import "testing"

// introCases are names after weak introductions ("ich bin", "I am", "hier
// ist", "this is") and words after those cues that are no names. want is
// the text of the name span, "" for none. FuzzDetect starts from them too.
var introCases = []struct{ text, want string }{
	// two capitalised words after any weak cue, anywhere
	{"Hi, I am Anna Schmidt and I can't log in", "Anna Schmidt"},
	{"Hallo, hier ist Jonas Weber", "Jonas Weber"},
	{"ich bin Anna Schmidt, Kundennummer 0012345678", "Anna Schmidt"},
	{"ich bin Anna Schmidt Kundennummer 0012345678", "Anna Schmidt"},
	{"Paket ist weg. Ich bin Jan Nowak, bitte um Rückruf", "Jan Nowak"},
	{"Guten Tag, hier spricht Petra Becker, es geht um die Rücksendung", "Petra Becker"},
	{"I’m Sarah Taylor - my account is locked", "Sarah Taylor"},
	{"I am Anna Maria Schmidt", "Anna Maria Schmidt"},
	{"ich bin Anna-Lena Müller-Lüdenscheidt", "Anna-Lena Müller-Lüdenscheidt"},
	{"I am Sean O'Brien", "Sean O'Brien"},
	{"I'm Özlem Şahin", "Özlem Şahin"},
	{"I am Ronald McDonald", "Ronald McDonald"},
	{"Ich bin Henning Lange", "Henning Lange"}, // -nning spared
	{"ich bin Ludwig Klein", "Ludwig Klein"},   // -wig spared
	{"ich bin Michael Jung", "Michael Jung"},   // a surname may end in -ung
	{"I am Peyton Manning", "Peyton Manning"},  // or in -ing
	// a title and a surname
	{"Guten Morgen, ich bin Frau Schmidt und möchte kündigen", "Frau Schmidt"},
	{"this is Dr. Weber, please call me", "Dr. Weber"},
	// one word only when the cue opens the message and a clause ends
	{"Hallo, hier ist Anna", "Anna"},
	{"Hi, I'm Jane and I need help with a return", "Jane"},
	{"hey, this is Tim, is my parcel on its way?", "Tim"},
	{"Guten Abend! This is Laura from the order last week", "Laura"},
	{"Hallo, ich bin Anna", ""},                // "ich bin": one word is a noun as often
	{"my parcel is late. I am Jane, help", ""}, // not at the start
	{"Hi, I'm Jane Locked out", ""},            // a lone word must end a clause
	// nouns, roles, nationalities, dates, brands
	{"ich bin Kunde", ""},
	{"ich bin Student", ""},
	{"Ich bin Neukunde", ""},
	{"ich bin Selbstständig", ""},
	{"ich bin Kunde seit 2019", ""},
	{"Ich bin Zahlfix Kunde", ""},
	{"Ich bin Premium Kunde seit 2020", ""},
	{"ich bin Ende Mai umgezogen", ""},
	{"Ich bin Montag Vormittag erreichbar", ""},
	{"Ich bin Alleinerziehende Mutter", ""},
	{"Ich bin Herr der Lage", ""},
	{"Hallo, hier ist Foto vom Schaden", ""},
	{"hier ist Kunde", ""},
	{"I am German", ""},
	{"I am in Berlin", ""},
	{"I am Locked out", ""},
	{"I am Gold Member", ""},
	{"this is Black Friday pricing, right?", ""},
	{"Hello, this is Apple Pay not working", ""},
	{"This is URGENT", ""},
	{"hi, this is ridiculous, 3 weeks waiting", ""},
	{"Dear team, this is Really Annoying", ""},
	// In Title Case the capitals say nothing
	{"I'm Unable To Log In", ""},
	{"I Am Really Upset With You", ""},
	{"I'm Really Upset", ""},
	{"I'm Still Waiting For My Refund", ""},
	{"Hallo, Hier Ist Anna Schmidt", ""},
	// strong cues are unchanged
	{"i'm called back never", ""},
	{"I am called Jane Doe", "Jane Doe"},
	// an e-mail address is not a name
	{"ich bin Anna Schmidt@web.de", ""},
}

func TestIntroduction(t *testing.T) {
	for _, tt := range introCases {
		var got string
		n := 0
		for _, s := range Detect(tt.text) {
			if s.Kind == Name {
				got = tt.text[s.Start:s.End]
				n++
			}
		}
		if got != tt.want || n > 1 {
			t.Errorf("Detect(%q): name %q (%d spans), want %q", tt.text, got, n, tt.want)
		}
	}
}

// TestNotFirstName checks the rules for a first word, suffixes included,
// and the first names they spare.
func TestNotFirstName(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"kunde", true}, {"selbstständig", true}, {"ärgerlich", true}, {"bestellung", true},
		{"really", true}, {"extremely", true}, {"blocked", true}, {"frustrated", true},
		{"getting", true}, {"curious", true}, {"arbeitslos", true}, {"german", true},
		{"anna", false}, {"shirley", false}, {"beverly", false}, {"kelly", false}, {"shelly", false},
		{"alfred", false}, {"siegfried", false}, {"mohammed", false}, {"ludwig", false},
		{"carlos", false}, {"henning", false}, {"irving", false}, {"sterling", false},
		{"emily", false}, {"ahmed", false}, {"ming", false}, {"clicked", true}, {"winifred", false},
	}
	for _, tt := range tests {
		w := []byte(tt.word)
		if got := notFirstName(w) || participle(w); got != tt.want {
			t.Errorf("notFirstName(%q) || participle = %v, want %v", tt.word, got, tt.want)
		}
	}
}

// TestAtMessageStart checks which openings count as greetings only.
func TestAtMessageStart(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"this is", true},
		{"Hallo, this is", true},
		{"Guten Tag, this is", true},
		{"hi there! this is", true},
		{"Hallo zusammen,\nthis is", true},
		{"Paket fehlt. this is", false},
		{"Hallo Paket, this is", false},
		{"hi hi hi hi hi hi this is", false}, // at most four greeting words
	}
	for _, tt := range tests {
		i := len(tt.text) - len("this is")
		if got := atMessageStart(tt.text, i); got != tt.want {
			t.Errorf("atMessageStart(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
