package lexicon_test

import (
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/eval"
	"github.com/lotse-chat/lotse/lexicon"
	"github.com/lotse-chat/lotse/train"
)

var system struct {
	once sync.Once
	lex  *lexicon.Lexicon
	err  error
}

// systemLexicon loads the installed Ding dictionary once, or skips the test
// when it is not installed (CI installs it: apt-get install trans-de-en).
func systemLexicon(t *testing.T) *lexicon.Lexicon {
	t.Helper()
	if _, err := os.Stat(lexicon.DefaultPath); err != nil {
		t.Skipf("%s is absent; install Debian's trans-de-en (apt-get install trans-de-en) to run this test", lexicon.DefaultPath)
	}
	system.once.Do(func() { system.lex, system.err = lexicon.Load(lexicon.DefaultPath) })
	if system.err != nil {
		t.Fatal(system.err)
	}
	return system.lex
}

func TestSystemDictionary(t *testing.T) {
	lex := systemLexicon(t)
	if n := lex.Len(); n < 100000 {
		t.Errorf("the system dictionary has %d words with translations, want the full Ding (over 100000)", n)
	}
	tests := []struct{ from, word, want string }{
		{"de", "rechnung", "bill"},
		{"de", "fallig", "due"},
		{"de", "erstattung", "refund"},
		{"de", "konto", "account"},
		{"de", "zahle", "pay"},
		{"en", "refund", "erstatten"},
		{"en", "password", "passwort"},
		{"en", "card", "karte"},
	}
	for _, tt := range tests {
		if got := lex.Translate(tt.from, tt.word, 5); !slices.Contains(got, tt.want) {
			t.Errorf("Translate(%q, %q) = %q, want %q among the best five", tt.from, tt.word, got, tt.want)
		}
	}
}

// TestCrossLanguage trains the demo bot's cross-language split with and
// without the dictionary: with it, a bot that has only English examples
// must answer German questions far better, and the bilingual demo bot,
// which has examples in both languages, must train to the same model.
func TestCrossLanguage(t *testing.T) {
	lex := systemLexicon(t)
	const dir = "../testdata/bots/demo/"
	splits := []struct{ bot, test string }{
		{dir + "crosslang/bot.en.yaml", dir + "crosslang/test.de.jsonl"},
		{dir + "crosslang/bot.de.yaml", dir + "crosslang/test.en.jsonl"},
	}
	for _, s := range splits {
		without := inScopeAccuracy(t, s.bot, s.test, nil)
		with := inScopeAccuracy(t, s.bot, s.test, lex)
		t.Logf("%s on %s: in-scope accuracy %.3f without the dictionary, %.3f with it", s.bot, s.test, without, with)
		if with < without+0.15 {
			t.Errorf("%s on %s: in-scope accuracy %.3f with the dictionary, %.3f without; want a gain of at least 0.15",
				s.bot, s.test, with, without)
		}
	}
	b, err := bot.Load(dir + "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := train.Train(b, train.Options{})
	if err != nil {
		t.Fatal(err)
	}
	expanded, _, err := train.Train(b, train.Options{Lexicon: lex})
	if err != nil {
		t.Fatal(err)
	}
	if string(plain) != string(expanded) {
		t.Error("the dictionary changed the model of the demo bot, whose intents all have examples in both languages")
	}
}

func inScopeAccuracy(t *testing.T, botPath, testPath string, lex *lexicon.Lexicon) float64 {
	t.Helper()
	b, err := bot.Load(botPath)
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := train.Train(b, train.Options{Lexicon: lex})
	if err != nil {
		t.Fatal(err)
	}
	m, err := lotse.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := eval.ReadCases(testPath)
	if err != nil {
		t.Fatal(err)
	}
	r, err := eval.Run(eval.Native(m), cases)
	if err != nil {
		t.Fatal(err)
	}
	return float64(r.InScopeAccuracy.Hits) / float64(r.InScopeAccuracy.Total)
}
