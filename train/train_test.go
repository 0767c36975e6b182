package train

import (
	"math"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/bot"
)

// TestOptionsRefused checks that options and bots that would train a
// useless model are refused with a reason, as the CLI refuses its flags.
func TestOptionsRefused(t *testing.T) {
	good := &bot.Bot{Name: "t", Languages: []string{"en"}, Intents: []bot.Intent{
		{Name: "hi", Examples: []string{"hello", "hi there"}, Answer: map[string]string{"en": "Hi!"}},
		{Name: "bye", Examples: []string{"goodbye", "bye"}, Answer: map[string]string{"en": "Bye!"}},
	}}
	empty := &bot.Bot{Name: "t", Languages: []string{"en"}, Intents: []bot.Intent{
		{Name: "hi", Examples: []string{"hello"}, Answer: map[string]string{"en": "Hi!"}},
		{Name: "bye", Answer: map[string]string{"en": "Bye!"}},
	}}
	for _, tc := range []struct {
		name string
		b    *bot.Bot
		o    Options
		want string
	}{
		{"one fold", good, Options{Folds: 1}, "at least 2"},
		{"negative folds", good, Options{Folds: -1}, "at least 2"},
		{"negative C", good, Options{C: -1}, "positive"},
		{"NaN C", good, Options{C: math.NaN()}, "positive"},
		{"intent without examples", empty, Options{}, `intent "bye" has no examples`},
	} {
		if _, _, err := Train(tc.b, tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Train error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, _, err := Train(good, Options{}); err != nil {
		t.Errorf("the default options: %v", err)
	}
}
