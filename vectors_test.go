package lotse

import (
	"bytes"
	"testing"

	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/internal/wordvec"
)

// vectorModel returns a model in languages whose only evidence is the word
// vector of "money", which points to intent "b"; without it the bias picks
// intent "a".
func vectorModel(t *testing.T, languages ...string) *Model {
	t.Helper()
	cfg := features.Config{Bits: 2, CharMin: 2, CharMax: 3}
	f := &modelfile.Model{
		Name: "vectors", Languages: languages, Engine: Version,
		Vocab: tokenize.NewVocab([]string{"[UNK]"}), Features: cfg,
		Intents:   []modelfile.Intent{{Name: "a", Answers: make([]string, len(languages))}, {Name: "b", Answers: make([]string, len(languages))}},
		Sharpness: 1, IDF: bytes.Repeat([]byte{16}, cfg.Dim()),
		Bias: []float32{0.1, -0.1}, Scale: []float32{1, 1}, RowStart: make([]uint32, cfg.Dim()+1),
		VecWords: []string{"money"}, VecScales: []float32{1}, VecValues: make([]int8, wordvec.Dims), VecWeight: 1,
		ProjScales: []float32{0.01}, Proj: []int8{-100, 100},
	}
	f.VecValues[0] = 1 // a non-zero vector, so that the mean has a length
	m, err := Load(modelfile.Encode(f))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestVectorsEnglishOnly checks that in a model of several languages the
// word vectors count only for messages detected as English, as training
// gave them only to English examples; in an English-only model they count
// for every message.
func TestVectorsEnglishOnly(t *testing.T) {
	tests := []struct {
		languages  []string
		text, lang string
		intent     string
	}{
		{[]string{"de", "en"}, "the money please", "en", "b"},
		{[]string{"de", "en"}, "das money bitte", "de", "a"},
		{[]string{"en", "de"}, "das money bitte", "de", "a"},
		{[]string{"en"}, "das money bitte", "en", "b"},
		{[]string{"de", "en"}, "bitte", "de", "a"}, // no known word: no vector part
	}
	for _, tt := range tests {
		r := vectorModel(t, tt.languages...).Reply(tt.text)
		if r.Lang != tt.lang || r.Intent != tt.intent {
			t.Errorf("%v model, Reply(%q): lang %q, intent %q; want %q, %q",
				tt.languages, tt.text, r.Lang, r.Intent, tt.lang, tt.intent)
		}
	}
}
