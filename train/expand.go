package train

import (
	"slices"
	"strings"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/lexicon"
)

// Translation settings, measured on the demo bot's cross-language split
// (see lexicon's package documentation and RATIONALE.md).
const (
	// variants is the number of word-by-word translations added per
	// example: the i-th uses every word's i-th best translation, so the
	// dictionary's second and third senses get a chance when its ranking
	// puts a rare sense first ("Rechnung": account, reckoning, bill).
	variants = 3
	// enoughExamples is how many examples an intent (or the out_of_scope
	// list) must have in a language to get no translations into it: the
	// bot author's own examples are worth more than word-by-word
	// translations, which only add noise where such examples exist.
	enoughExamples = 3
)

// expand returns ss followed by translated variants of the samples of
// each class (intent or out_of_scope) that is short of examples in the
// other language; each variant keeps its original's class and group. It
// returns ss itself when lex is nil or the bot does not serve both of the
// lexicon's languages. The result depends only on its inputs.
func expand(ss []sample, b *bot.Bot, lex *lexicon.Lexicon, tok *tokenize.Tokenizer) []sample {
	if lex == nil || !servesBoth(b) {
		return ss
	}
	x := expander{lex: lex, tok: tok}
	langs := make([]string, len(ss))
	count := map[int]map[string]int{} // class -> language -> examples
	for i, s := range ss {
		langs[i], _ = langid.Detect(s.text, lexicon.Languages[:])
		if count[s.class] == nil {
			count[s.class] = map[string]int{}
		}
		count[s.class][langs[i]]++
	}
	out := append([]sample(nil), ss...)
	for i, s := range ss {
		if count[s.class][otherLang(langs[i])] >= enoughExamples {
			continue
		}
		for _, t := range x.variants(langs[i], s.text) {
			out = append(out, sample{text: t, class: s.class, group: s.group})
		}
	}
	return out
}

func servesBoth(b *bot.Bot) bool {
	for _, want := range lexicon.Languages {
		if !slices.Contains(b.Languages, want) {
			return false
		}
	}
	return true
}

type expander struct {
	lex *lexicon.Lexicon
	tok *tokenize.Tokenizer
}

// variants returns up to variants distinct translations of text, none
// equal to text.
func (x expander) variants(from, text string) []string {
	words := x.tok.Words(nil, text)
	var out []string
	for v := range variants {
		// Variants repeat when the words have fewer senses than variants.
		if t := x.variant(from, words, v); t != "" && t != text && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// variant replaces each word by its v-th best translation (its best one
// when it has fewer), keeping words the lexicon does not know (names,
// numbers) and dropping punctuation.
func (x expander) variant(from string, words []string, v int) string {
	parts := make([]string, 0, len(words))
	for _, w := range words {
		if !features.IsWord(w) {
			continue
		}
		switch ts := x.lex.Translate(from, w, v+1); {
		case len(ts) == 0:
			parts = append(parts, w)
		case v < len(ts):
			parts = append(parts, ts[v])
		default:
			parts = append(parts, ts[0])
		}
	}
	return strings.Join(parts, " ")
}

func otherLang(l string) string {
	if l == lexicon.Languages[0] {
		return lexicon.Languages[1]
	}
	return lexicon.Languages[0]
}
