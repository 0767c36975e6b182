package train

import (
	"os"
	"strconv"
	"strings"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/tokenize"
	"github.com/lotse-chat/lotse/lexicon"
)

// expansion settings (experiment knobs; fixed before merge).
var (
	expMode     string
	expK        int
	expOOS      bool
	expPrefer   int
	expVariants int
)

func readKnobs() {
	expMode = envOr("LOTSE_EXP_MODE", "variant") // variant | append
	expK = atoi(envOr("LOTSE_EXP_K", "1"))
	expOOS = envOr("LOTSE_EXP_OOS", "1") == "1"
	expPrefer = atoi(envOr("LOTSE_EXP_PREFER", "0")) // candidates looked at for bot-vocabulary preference
	expVariants = atoi(envOr("LOTSE_EXP_VARIANTS", "1"))
}

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// expand returns b with its examples translated by lex added, or b itself
// when lex is nil or the bot does not serve both of the lexicon's languages.
// b is not modified.
func expand(b *bot.Bot, lex *lexicon.Lexicon, tok *tokenize.Tokenizer) *bot.Bot {
	if lex == nil || !servesBoth(b) {
		return b
	}
	readKnobs()
	x := &expander{lex: lex, tok: tok, vocab: map[string]bool{}}
	for _, in := range b.Intents {
		for _, ex := range in.Examples {
			for _, w := range tok.Words(nil, ex) {
				x.vocab[w] = true
			}
		}
	}
	out := *b
	out.Intents = make([]bot.Intent, len(b.Intents))
	for i, in := range b.Intents {
		in.Examples = x.examples(in.Examples)
		out.Intents[i] = in
	}
	if expOOS {
		out.OutOfScope = x.examples(b.OutOfScope)
	}
	return &out
}

func servesBoth(b *bot.Bot) bool {
	n := 0
	for _, l := range b.Languages {
		for _, want := range lexicon.Languages {
			if l == want {
				n++
			}
		}
	}
	return n == len(lexicon.Languages)
}

type expander struct {
	lex   *lexicon.Lexicon
	tok   *tokenize.Tokenizer
	vocab map[string]bool // words of the bot's own examples
}

// examples returns exs followed by their translations.
func (x *expander) examples(exs []string) []string {
	out := append([]string(nil), exs...)
	for i, ex := range exs {
		from, _ := langid.Detect(ex, lexicon.Languages[:])
		words := x.tok.Words(nil, ex)
		switch expMode {
		case "append":
			out[i] = ex + " " + strings.Join(x.translations(from, words, expK), " ")
		default:
			for v := range expVariants {
				out = append(out, x.variant(from, words, v))
			}
		}
	}
	return out
}

// best returns up to k translations of w, preferring words the bot's
// examples use.
func (x *expander) best(from, w string, k int) []string {
	n := max(k, expPrefer)
	ts := x.lex.Translate(from, w, n)
	if expPrefer == 0 || len(ts) <= k {
		return ts
	}
	var pick []string
	for _, t := range ts {
		if x.known(t) && len(pick) < k {
			pick = append(pick, t)
		}
	}
	for _, t := range ts {
		if !x.known(t) && len(pick) < k {
			pick = append(pick, t)
		}
	}
	return pick
}

func (x *expander) known(t string) bool {
	for w := range strings.SplitSeq(t, " ") {
		if !x.vocab[w] {
			return false
		}
	}
	return true
}

// variant replaces each word by its v-th best translation (the best when
// there are fewer), keeping words without one.
func (x *expander) variant(from string, words []string, v int) string {
	var parts []string
	for _, w := range words {
		if !isWordTok(w) {
			continue
		}
		ts := x.best(from, w, v+1)
		switch {
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

// translations lists up to k translations of every word.
func (x *expander) translations(from string, words []string, k int) []string {
	var parts []string
	for _, w := range words {
		if isWordTok(w) {
			parts = append(parts, x.best(from, w, k)...)
		}
	}
	return parts
}

func isWordTok(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 {
			return true
		}
	}
	return false
}
