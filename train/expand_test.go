package train

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/lexicon"
)

func fixtureLexicon(t testing.TB) *lexicon.Lexicon {
	t.Helper()
	l, err := lexicon.Load("../lexicon/testdata/de-en.txt")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// expandBot has one intent written in English only, one written in both
// languages and English-only out_of_scope examples.
func expandBot() *bot.Bot {
	return &bot.Bot{
		Name: "expand", Languages: []string{"de", "en"},
		Intents: []bot.Intent{
			{Name: "bill_due", Examples: []string{"When is my bill due?", "refund"}},
			{Name: "account", Examples: []string{
				"mein Konto", "Konto löschen", "wie ändere ich mein Konto",
				"my account", "delete account", "how do i change my account",
			}},
		},
		OutOfScope: []string{"pay the bill for my neighbour"},
	}
}

func TestExpand(t *testing.T) {
	b := expandBot()
	orig := expandBot()
	in := samples(b)
	got := expand(in, b, fixtureLexicon(t), tokenize.Record())
	if !slices.Equal(got[:len(in)], in) {
		t.Fatal("expand changed or reordered the original samples")
	}
	// Each variant takes every word's next sense; a variant that repeats
	// an earlier one is left out. Unknown words stay. The account intent
	// has enough examples in both languages and gets nothing.
	want := []sample{
		{text: "wann is my rechnung fallig", class: 0, group: 0}, {text: "wann is my abrechnung sofort zahlbar", class: 0, group: 0},
		{text: "erstatten", class: 0, group: 1}, {text: "erstattung", class: 0, group: 1},
		{text: "bezahlen the rechnung for my neighbour", class: 2, group: 8}, {text: "zahlen the abrechnung for my neighbour", class: 2, group: 8},
	}
	if added := got[len(in):]; !slices.Equal(added, want) {
		t.Errorf("added samples\n%v\nwant\n%v", added, want)
	}
	if !reflect.DeepEqual(b, orig) {
		t.Error("expand modified the bot it was given")
	}
}

func TestExpandUnchanged(t *testing.T) {
	lex := fixtureLexicon(t)
	tests := []struct {
		name  string
		lex   *lexicon.Lexicon
		langs []string
	}{
		{"no lexicon", nil, []string{"de", "en"}},
		{"English only", lex, []string{"en"}},
		{"German and French", lex, []string{"de", "fr"}},
	}
	for _, tt := range tests {
		b := expandBot()
		b.Languages = tt.langs
		in := samples(b)
		if got := expand(in, b, tt.lex, tokenize.Record()); len(got) != len(in) {
			t.Errorf("%s: expand added %d samples, want none", tt.name, len(got)-len(in))
		}
	}
}

func TestFoldsKeepGroups(t *testing.T) {
	b := expandBot()
	ss := expand(samples(b), b, fixtureLexicon(t), tokenize.Record())
	ds := newDataset(ss, len(b.Intents), true, tokenize.Record(), features.Default, nil)
	fold := foldsOf(ds, Options{}.withDefaults())
	first := map[int]int{}
	for i, g := range ds.group {
		if f, ok := first[g]; ok && f != fold[i] {
			t.Fatalf("group %d spans folds %d and %d", g, f, fold[i])
		}
		first[g] = fold[i]
	}
}

func TestTrainWithLexiconDeterministic(t *testing.T) {
	lex := fixtureLexicon(t)
	without, _, err := Train(expandBot(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, repA, err := Train(expandBot(), Options{Lexicon: lex})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Train(expandBot(), Options{Lexicon: lex})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two trainings with the same bot and lexicon gave different models")
	}
	if bytes.Equal(a, without) {
		t.Error("the lexicon did not change the model")
	}
	if want := 17; repA.Examples != want || repA.Translations != 6 || repA.Names != 2 {
		t.Errorf("report counts %d examples, %d translations, %d names; want %d (the bot's 9, 6 translations and 2 intent names)",
			repA.Examples, repA.Translations, repA.Names, want)
	}
}
