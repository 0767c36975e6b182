package train

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec/english"
)

// TestBackgroundCorpus checks that the embedded background is what its
// doc comment says: the examples and out_of_scope examples of the
// CLINC150 and HWU64 bots in testdata, one a line, in that order.
func TestBackgroundCorpus(t *testing.T) {
	var want []string
	for _, path := range []string{"../testdata/clinc150/bot.yaml", "../testdata/hwu64/bot.yaml"} {
		b, err := bot.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range b.Intents {
			for _, e := range in.Examples {
				want = append(want, strings.Join(strings.Fields(e), " "))
			}
		}
		for _, e := range b.OutOfScope {
			want = append(want, strings.Join(strings.Fields(e), " "))
		}
	}
	got := backgroundTexts["en"]()
	if !slices.Equal(got, want) {
		t.Errorf("background.txt.gz has %d lines, the testdata bots %d; rebuild it (see backgroundEn)", len(got), len(want))
	}
}

// TestBackgroundGerman checks the German background: as many lines as its
// doc comment says, none blank or repeated, and German to the language
// detector that picks a sample's background.
func TestBackgroundGerman(t *testing.T) {
	got := backgroundTexts["de"]()
	if len(got) != 1200 {
		t.Errorf("background.de.txt.gz has %d lines, want 1,200", len(got))
	}
	seen := map[string]int{}
	german := 0
	for i, line := range got {
		if strings.TrimSpace(line) == "" {
			t.Errorf("line %d is blank", i+1)
		}
		if j, ok := seen[normalize(line)]; ok {
			t.Errorf("line %d repeats line %d: %q", i+1, j+1, line)
		}
		seen[normalize(line)] = i
		if l, _ := langid.Detect(line, []string{"de", "en"}); l == "de" {
			german++
		}
	}
	if german < len(got)*9/10 {
		t.Errorf("%d of %d lines detected as German, want 90%%", german, len(got))
	}
}

// topicBot has an intent for each topic, whose examples are the first n
// background texts that mention it, and a few out_of_scope examples.
func topicBot(n int, topics ...string) *bot.Bot {
	b := &bot.Bot{Name: "topics", Languages: []string{"en"},
		OutOfScope: []string{"what is the meaning of life", "tell me a story about dragons", "who won the game last night"}}
	for _, topic := range topics {
		in := bot.Intent{Name: topic}
		for _, t := range backgroundTexts["en"]() {
			if len(in.Examples) < n && strings.Contains(t, topic) {
				in.Examples = append(in.Examples, t)
			}
		}
		b.Intents = append(b.Intents, in)
	}
	return b
}

// TestUnclaimed checks that background texts on a bot's topics stay out
// of its out-of-scope class: they are the intents' paraphrases.
func TestUnclaimed(t *testing.T) {
	topics := []string{"weather", "alarm", "music", "email", "recipe", "traffic", "calendar", "joke"}
	b := topicBot(60, topics...)
	ss := samples(b)
	cands := candidates(ss, "en", 1<<30, 1)
	vec, err := english.Table()
	if err != nil {
		t.Fatal(err)
	}
	tok := tokenize.Record()
	markEnglish(ss, b.Languages)
	kept := unclaimed(ss, cands, map[string]int{"en": len(cands)}, b, tok, vec, Options{}.withDefaults())
	onTopic := func(texts []string) int {
		n := 0
		for _, s := range texts {
			for _, topic := range topics {
				if strings.Contains(s, topic) {
					n++
					break
				}
			}
		}
		return n
	}
	var keptTexts []string
	for i, s := range kept {
		keptTexts = append(keptTexts, s.text)
		if s.class != len(b.Intents) || !s.background || s.group != len(ss)+i {
			t.Errorf("kept %+v: want class %d, background, group %d", s, len(b.Intents), len(ss)+i)
		}
	}
	// 1,426 of 23,650 candidates mention a topic, none of the 8,394 kept.
	share := func(n, of int) float64 { return float64(n) / float64(max(of, 1)) }
	var candTexts []string
	for _, c := range cands {
		candTexts = append(candTexts, c.text)
	}
	candShare, keptShare := share(onTopic(candTexts), len(cands)), share(onTopic(keptTexts), len(kept))
	if len(kept) < len(cands)/10 || keptShare > candShare/4 {
		t.Errorf("kept %d of %d candidates, %.3f on the bot's topics against %.3f of the candidates",
			len(kept), len(cands), keptShare, candShare)
	}
}

func TestCandidates(t *testing.T) {
	for _, lang := range []string{"en", "de"} {
		corpus := backgroundTexts[lang]()
		own := []sample{{text: "  " + strings.ToUpper(corpus[0]) + " "}, {text: corpus[1]}}
		got := candidates(own, lang, 1<<30, 1)
		for _, c := range got {
			if c.text == corpus[0] || c.text == corpus[1] {
				t.Errorf("%s: candidate %q is one of the bot's examples", lang, c.text)
			}
			if len(strings.Fields(c.text)) < backgroundMinWords {
				t.Errorf("%s: candidate %q has fewer than %d words", lang, c.text, backgroundMinWords)
			}
			if c.lang != lang {
				t.Errorf("%s: candidate %q has language %q", lang, c.text, c.lang)
			}
		}
		if len(got) < len(corpus)/2 {
			t.Errorf("%s: %d candidates of %d texts", lang, len(got), len(corpus))
		}
		if again := candidates(own, lang, 100, 1); !slices.Equal(again, got[:100]) {
			t.Errorf("%s: candidates(n=100) is not the first 100 of the same shuffle", lang)
		}
		if other := candidates(own, lang, 100, 2); slices.Equal(other, got[:100]) {
			t.Errorf("%s: seed 2 gives seed 1's order", lang)
		}
	}
}

// TestQuotas checks that a bot's background is shared among its
// languages as its examples are.
func TestQuotas(t *testing.T) {
	de := sample{text: "wann muss ich meine rechnung bezahlen"}
	en := sample{text: "when do i have to pay my bill"}
	for _, tc := range []struct {
		name  string
		ss    []sample
		langs []string
		want  map[string]int
	}{
		{"one language", []sample{de, en}, []string{"en"}, map[string]int{"en": 30}},
		{"half and half", []sample{de, en}, []string{"de", "en"}, map[string]int{"de": 15, "en": 15}},
		{"mostly German", []sample{de, de, de, en}, []string{"de", "en"}, map[string]int{"de": 23, "en": 8}},
		{"German only", []sample{de, de}, []string{"en", "de"}, map[string]int{"de": 30, "en": 0}},
	} {
		if got := quotas(tc.ss, tc.langs, 30); !maps.Equal(got, tc.want) {
			t.Errorf("%s: quotas = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestTrainBackground trains a bot that gets background examples and one
// whose out-of-scope class already takes the rejection budget, which
// gets none.
func TestTrainBackground(t *testing.T) {
	topics := []string{"weather", "alarm", "music", "email", "recipe", "traffic", "calendar", "joke"}
	b := topicBot(60, topics...)
	grabby := topicBot(60, topics...)
	for _, in := range grabby.Intents { // every intent's paraphrases out of scope
		grabby.OutOfScope = append(grabby.OutOfScope, in.Examples[:5]...)
		in.Examples = in.Examples[5:]
	}
	// Without out_of_scope examples of its own, the bot's out-of-scope
	// class is the background's; a bot in neither English nor German gets
	// none.
	bare := topicBot(60, topics...)
	bare.OutOfScope = nil
	german := topicBot(60, topics...)
	german.OutOfScope, german.Languages = nil, []string{"de"}
	french := topicBot(60, topics...)
	french.OutOfScope, french.Languages = nil, []string{"fr"}
	for _, tc := range []struct {
		name           string
		bot            *bot.Bot
		wantBackground bool
	}{{"topics", b, true}, {"grabby out-of-scope class", grabby, false},
		{"no out_of_scope examples", bare, true}, {"German", german, true}, {"French", french, false}} {
		data, rep, err := Train(tc.bot, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Background > 0; got != tc.wantBackground {
			t.Errorf("%s: %d background examples (threshold %.3f), want some: %v", tc.name, rep.Background, rep.Threshold, tc.wantBackground)
		}
		m, err := modelfile.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.OOSClass; got != (tc.wantBackground || len(tc.bot.OutOfScope) > 0) {
			t.Errorf("%s: out-of-scope class %v", tc.name, got)
		}
		if again, _, _ := Train(tc.bot, Options{}); !bytes.Equal(again, data) {
			t.Errorf("%s: two trainings gave different models", tc.name)
		}
	}
}

// TestRatesLeaveOutBackground checks that the reported out-of-scope
// recall is the author's examples' alone: background examples are easy to
// catch and would make it look better than it is.
func TestRatesLeaveOutBackground(t *testing.T) {
	preds := []oof{
		{p: 0.9, correct: true},
		{p: 0.2, correct: true},
		{p: 0.3, oos: true},                   // the author's, rejected
		{p: 0.8, oos: true},                   // the author's, answered
		{p: 0.1, oos: true, background: true}, // rejected
		{oos: true, oosTop: true, background: true},
	}
	acc, recall := rates(preds, 0.5)
	if acc != 0.5 || recall != 0.5 {
		t.Errorf("rates = %v, %v; want 0.5, 0.5", acc, recall)
	}
}

func TestBackgroundWanted(t *testing.T) {
	for _, tc := range []struct{ n, want int }{
		{0, 0}, {14, 0}, // too small for any
		{15, 5}, {30, 10}, {59, 19}, // a third of their examples
		{60, 20}, {106, 20}, {300, 20}, // the floor
		{315, 21}, {15100, 1006}, // one for every 15 (CLINC150)
	} {
		if got := backgroundWanted(tc.n); got != tc.want {
			t.Errorf("backgroundWanted(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}
