package train

import (
	"strings"
	"testing"

	lotse "github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/tokenize"
)

func TestNameText(t *testing.T) {
	tests := []struct{ name, want string }{
		{"card_lost", "card lost"},
		{"card-lost", "card lost"},
		{"card.lost", "card lost"},
		{"cardLost", "card Lost"},
		{"CardLost", "Card Lost"},
		{"pay_in_3", "pay in 3"},
		{"__card__lost__", "card lost"},
		{"greeting", "greeting"},
		{"karte_verloren", "karte verloren"},
		{"42", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := nameText(tt.name); got != tt.want {
			t.Errorf("nameText(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// namesBot has a small intent, an intent with fewExamples examples and
// out_of_scope examples, in the given languages.
func namesBot(examples []string, languages ...string) *bot.Bot {
	many := make([]string, fewExamples)
	for i := range many {
		many[i] = examples[i%len(examples)]
	}
	return &bot.Bot{
		Name: "names", Languages: languages,
		Intents: []bot.Intent{
			{Name: "card_lost", Examples: examples},
			{Name: "opening_hours", Examples: many},
		},
		OutOfScope: []string{"tell me a joke"},
	}
}

func csvBot(b *bot.Bot) *bot.Bot {
	b.Source = bot.SourceCSV
	return b
}

func TestWithNames(t *testing.T) {
	english := []string{"i cannot find my card", "where is my card", "my card is gone"}
	german := []string{"ich finde meine Karte nicht", "wo ist meine Karte", "meine Karte ist weg"}
	tests := []struct {
		name string
		bot  *bot.Bot
		want []sample // the samples withNames adds
	}{
		{"English", namesBot(english, "en"), []sample{{text: "card lost", class: 0, group: alwaysTrained}}},
		{"German and English, English examples", namesBot(english, "de", "en"), []sample{{text: "card lost", class: 0, group: alwaysTrained}}},
		// The English names would be the bot's only English text.
		{"German and English, German examples", namesBot(german, "de", "en"), nil},
		// A CSV intent's name is its question: nothing to add.
		{"FAQ CSV", csvBot(namesBot(english, "en")), nil},
	}
	for _, tt := range tests {
		ss := samples(tt.bot)
		n := len(ss)
		got := withNames(ss, tt.bot)
		if len(got) != n+len(tt.want) {
			t.Errorf("%s: added %v, want %v", tt.name, got[n:], tt.want)
			continue
		}
		for i, s := range tt.want {
			if got[n+i] != s {
				t.Errorf("%s: added %v, want %v", tt.name, got[n+i], s)
			}
		}
	}
}

// TestNamesNeverHeldOut checks that cross-validation trains on an intent's
// name in every fold and never scores it as a held-out message.
func TestNamesNeverHeldOut(t *testing.T) {
	b := namesBot([]string{"i cannot find my card", "where is my card", "my card is gone"}, "en")
	ss := withNames(samples(b), b)
	ds := newDataset(ss, len(b.Intents), true, tokenize.Record(), features.Default, nil)
	o := Options{}.withDefaults()
	fold := foldsOf(ds, o)
	scores := crossValidate(ds, o, false)[0]
	for i, g := range ds.group {
		if named := g == alwaysTrained; named != (fold[i] < 0) || named != (scores[i] == nil) {
			t.Errorf("sample %q: fold %d, scored %v", ss[i].text, fold[i], scores[i] != nil)
		}
	}
}

// TestNameAnswers checks that a model answers a message in the words of
// an intent's name, which none of its examples use.
func TestNameAnswers(t *testing.T) {
	b := &bot.Bot{
		Name: "names", Languages: []string{"en"},
		Intents: []bot.Intent{
			{Name: "refund_status", Examples: []string{"where is my money back", "when do i get my money back", "money back for my return"}},
			{Name: "card_blocked", Examples: []string{"my plastic does not work", "payment with my plastic fails", "the terminal rejects my plastic"}},
			{Name: "opening_hours", Examples: []string{"when are you there", "at what time can i call", "are you there on sunday"}},
			{Name: "delete_account", Examples: []string{"remove all my data", "i want to leave for good", "erase my profile"}},
			{Name: "invoice_copy", Examples: []string{"send me the bill again", "i need the paper for my purchase", "can i get the receipt once more"}},
		},
	}
	data, _, err := Train(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := lotse.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range b.Intents {
		msg := nameText(in.Name)
		r := m.Reply(msg)
		got := r.Intent
		if got == "" && len(r.Alternatives) > 0 {
			got = r.Alternatives[0].Intent
		}
		if got != in.Name {
			t.Errorf("Reply(%q): best intent %q, want %q", msg, got, in.Name)
		}
	}
}

// TestFoldsBeyondExamples checks that folds with nothing to hold out are
// not trained: --folds 1000 on a small bot took seconds for nothing.
func TestFoldsBeyondExamples(t *testing.T) {
	b := namesBot([]string{"i cannot find my card", "where is my card", "my card is gone"}, "en")
	var folds int
	o := Options{Folds: 1000, Progress: func(step string) {
		if strings.HasPrefix(step, "cross-validation fold ") {
			folds++
		}
	}}
	if _, _, err := Train(b, o); err != nil {
		t.Fatal(err)
	}
	examples := len(samples(b))
	if folds == 0 || folds > 2*examples { // a fold for each held-out example at most, per pass
		t.Errorf("%d folds trained for %d examples", folds, examples)
	}
}
