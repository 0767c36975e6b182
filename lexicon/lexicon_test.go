package lexicon

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func loadFixture(t testing.TB) *Lexicon {
	t.Helper()
	l, err := Load("testdata/de-en.txt")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestTranslate(t *testing.T) {
	l := loadFixture(t)
	tests := []struct {
		from, word string
		want       []string
	}{
		// Ranked by pairings weighted by how common the translation is in
		// the dictionary: "bill" recurs ("to pay a bill"), "reckoning" not.
		{"de", "rechnung", []string{"bill", "check", "invoice", "reckoning"}},
		{"en", "bill", []string{"rechnung", "abrechnung"}},
		// Umlauts are folded as the engine's tokenizer folds them.
		{"de", "fallig", []string{"due"}},
		{"en", "due", []string{"fallig", "sofort zahlbar"}},
		// Inflected sub-entries line up with their English counterparts.
		{"de", "rechnungen", []string{"bills", "checks", "invoices"}},
		{"de", "gezahlt", []string{"paid"}},
		// "to" of English infinitives and placeholders (jdm., etw., sb.,
		// sth.) are dropped; /abbreviations/ and {annotations} are not words.
		{"en", "refund", []string{"erstatten", "erstattung"}},
		{"de", "erstatten", []string{"refund"}},
		{"de", "erst", nil},
		{"de", "zuruckgeben", []string{"give back", "return"}},
		// Unknown inflections fall back to a base form.
		{"de", "zahle", []string{"pay"}},
		{"de", "bezahlt", []string{"pay"}},
		{"en", "refunds", []string{"erstatten", "erstattung"}},
		// A word that is its own translation adds nothing.
		{"de", "bank", nil},
		// Whole sentences are not translations of their words.
		{"de", "egal", nil},
		{"en", "care", nil},
		// When sub-entries do not line up only the head entries pair.
		{"de", "kartenspiel", nil},
		{"de", "karte", []string{"card"}},
		{"fr", "carte", nil},
	}
	for _, tt := range tests {
		got := l.Translate(tt.from, tt.word, 10)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Translate(%q, %q) = %q, want %q", tt.from, tt.word, got, tt.want)
		}
	}
	if got := l.Translate("de", "rechnung", 2); !slices.Equal(got, []string{"bill", "check"}) {
		t.Errorf("Translate(de, rechnung, 2) = %q, want the best two", got)
	}
}

func TestParseDeterministic(t *testing.T) {
	// Ranking ties break by order in the file, never by map order.
	a, b := loadFixture(t), loadFixture(t)
	for _, from := range Languages {
		for w := range a.to[from] {
			if x, y := a.Translate(from, w, 99), b.Translate(from, w, 99); !slices.Equal(x, y) {
				t.Fatalf("two parses of the same file disagree on %s %q: %q and %q", from, w, x, y)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, input string
		want        string
	}{
		{"empty", "", "no \"German :: English\" translations found"},
		{"comments only", "# Version :: 1\n# License :: GPL\n", "no \"German :: English\" translations found"},
		{"not Ding", "hello,world\nfoo,bar\n", "is this a Ding dictionary file?"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.input))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Parse error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	_, err := Parse(iotest.ErrReader(errors.New("disk on fire")))
	if err == nil || !strings.Contains(err.Error(), "line 1: disk on fire") {
		t.Errorf("failing reader: Parse error %v, want the line and the cause", err)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load("testdata/no-such-file")
	if err == nil || !strings.Contains(err.Error(), "apt-get install trans-de-en") {
		t.Errorf("Load of a missing file: error %v, want one telling how to install the dictionary", err)
	}
}

func TestStripAnnotations(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rechnung {f}", "Rechnung "},
		{"Faktura {f} [Ös.] (über (einen) Betrag)", "Faktura   "},
		{"account /acc., acct./", "account "},
		{"/acc./ account", " account"},
		{"put it on/charge it", "put it on/charge it"},
		{"unclosed (note", "unclosed "},
		{"stray ) bracket", "stray  bracket"},
	}
	for _, tt := range tests {
		if got := stripAnnotations(tt.in); got != tt.want {
			t.Errorf("stripAnnotations(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func ExampleLexicon_Translate() {
	l, err := Load("testdata/de-en.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Translate("de", "rechnung", 2))
	fmt.Println(l.Translate("de", "fallig", 2)) // "fällig", as the tokenizer folds it
	fmt.Println(l.Translate("en", "refund", 1))
	// Output:
	// [bill check]
	// [due]
	// [erstatten]
}
