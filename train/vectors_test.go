package train

import (
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/tokenize"
)

// vectorBot returns a bot in languages with english English and german
// German examples in one intent.
func vectorBot(english, german int, languages ...string) *bot.Bot {
	var ex []string
	for range english {
		ex = append(ex, "where is my money")
	}
	for range german {
		ex = append(ex, "wo ist mein Geld")
	}
	return &bot.Bot{Name: "v", Languages: languages, Intents: []bot.Intent{{Name: "money", Examples: ex}}}
}

func TestWordVectorsChoice(t *testing.T) {
	tests := []struct {
		name string
		bot  *bot.Bot
		want bool
	}{
		{"English only", vectorBot(1, 0, "en"), true},
		{"English only, German examples", vectorBot(0, 3, "en"), true},
		{"German only", vectorBot(0, 10, "de"), false},
		{"both, balanced", vectorBot(5, 5, "de", "en"), true},
		{"both, English first", vectorBot(2, 8, "en", "de"), true},
		{"both, a tenth English", vectorBot(1, 9, "de", "en"), true},
		{"both, too few English", vectorBot(1, 19, "de", "en"), false},
		{"both, too few German", vectorBot(19, 1, "de", "en"), false},
		{"no English", vectorBot(5, 5, "de", "fr"), false},
	}
	for _, tt := range tests {
		vec, err := wordVectors(tt.bot)
		if err != nil {
			t.Fatal(err)
		}
		if got := vec != nil; got != tt.want {
			t.Errorf("%s: word vectors %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestDenseEnglishOnly checks that a bot of two languages gives mean word
// vectors to its English examples only.
func TestDenseEnglishOnly(t *testing.T) {
	b := vectorBot(2, 2, "de", "en")
	vec, err := wordVectors(b)
	if err != nil || vec == nil {
		t.Fatalf("wordVectors = %v, %v; want the English table", vec, err)
	}
	ss := samples(b)
	markEnglish(ss, b.Languages)
	ds := newDataset(ss, len(b.Intents), false, tokenize.Record(), features.Default, vec)
	for i, s := range ss {
		english := !strings.HasPrefix(s.text, "wo ")
		if s.english != english || (ds.dense[i] != nil) != english {
			t.Errorf("%q: english %v, mean vector %v; want %v", s.text, s.english, ds.dense[i] != nil, english)
		}
	}
}
