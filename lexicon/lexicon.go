// Package lexicon reads a German-English dictionary in the Ding format
// (Debian package trans-de-en) into a word-to-word translation map.
//
// Training uses it to add translated variants of a bot's examples, so that
// a bot whose authors wrote mostly in one language still answers visitors
// who write in the other. Only training reads the dictionary; replies never
// do, and the model file holds no dictionary text.
//
// The Ding dictionary is licensed under the GPL (version 2 or later). Lotse
// neither ships it nor any table derived from it: Load reads it from the
// system at training time (DefaultPath after "apt-get install trans-de-en").
//
// A Ding line is "German :: English". Both sides hold the same number of
// " | "-separated sub-entries, the i-th German one translating the i-th
// English one; within a sub-entry ";" separates synonyms. {gender or word
// class}, [domain or region], (explanations) and /abbreviations/ are
// annotations:
//
//	Rechnung {f}; Abrechnung {f} | Rechnungen {pl} :: bill [Br.]; check [Am.] | bills; checks
//
// Words are normalized as the engine's tokenizer normalizes message text
// (lowercase, accents stripped: "fällig" becomes "fallig"), so translations
// match the features a model sees.
package lexicon

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/lotse-chat/lotse/internal/tokenize"
)

// DefaultPath is where Debian's trans-de-en package installs the Ding
// German-English dictionary.
const DefaultPath = "/usr/share/trans/de-en"

// MaxPhrase is the longest translation kept, in words: a single word may
// translate to a short phrase ("zurückgeben" to "give back"), but longer
// targets are example sentences, not translations.
const MaxPhrase = 2

// Lexicon maps a normalized German word to its English translations and an
// English word to its German ones, best first. It is safe for concurrent
// use once built.
type Lexicon struct {
	// to[lang] maps a word of lang to its translations into the other language.
	to map[string]map[string][]string
}

// Languages are the language codes a Lexicon translates between.
var Languages = [2]string{"de", "en"}

// Load reads the Ding dictionary at path (DefaultPath on Debian).
func Load(path string) (*Lexicon, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("lexicon: %s not found; install the dictionary with \"apt-get install trans-de-en\" or pass the path of a Ding de-en file", path)
		}
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	defer f.Close()
	l, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("lexicon: %s: %w", path, err)
	}
	return l, nil
}

// Parse reads a dictionary in the Ding format from r. Lines that are
// comments ("#"), lack the " :: " separator or pair sub-entries that do not
// line up are skipped, as the Ding tools skip them. Parse fails only when r
// fails or yields no translation at all.
func Parse(r io.Reader) (*Lexicon, error) {
	c := newCounter()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20) // a few Ding entries run past 64 KB
	line := 0
	for sc.Scan() {
		line++
		c.line(sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	l := c.lexicon()
	if l.Len() == 0 {
		return nil, errors.New("no \"German :: English\" translations found; is this a Ding dictionary file?")
	}
	return l, nil
}

// Translate returns up to n translations of word from language from ("de"
// or "en") into the other language, best first. word must be normalized as
// tokenize.Tokenizer.Words normalizes it; a translation of several words is
// one string with the words separated by a space. The result must not be
// modified.
//
// A word the dictionary lacks is looked up by its base form: the dictionary
// lists "zahlen" and "pay", while examples say "zahle", "bezahlt", "paid"
// and "payments". Base forms are guessed by stripping common inflection
// endings, trying the candidates in a fixed order.
func (l *Lexicon) Translate(from, word string, n int) []string {
	m := l.to[from]
	t, ok := m[word]
	if !ok {
		for _, base := range baseForms(from, word) {
			if t, ok = m[base]; ok {
				break
			}
		}
	}
	return t[:min(n, len(t))]
}

// Inflection endings, longest first, and the endings a base form may have.
var (
	deEndings = []string{"ungen", "est", "ten", "tet", "ern", "en", "er", "em", "es", "et", "st", "te", "e", "n", "s", "t"}
	deBases   = []string{"en", "n", "", "e", "ung"}
	enEndings = []string{"ing", "ies", "ied", "es", "ed", "s", "d"}
	enBases   = []string{"", "e", "y"}
)

// baseForms returns candidate base forms of an inflected word.
func baseForms(lang, w string) []string {
	endings, bases := enEndings, enBases
	if lang == "de" {
		endings, bases = deEndings, deBases
	}
	var out []string
	for _, e := range endings {
		stem, ok := strings.CutSuffix(w, e)
		if !ok || len(stem) < 3 {
			continue
		}
		for _, b := range bases {
			out = append(out, stem+b)
		}
	}
	if lang == "de" && strings.HasPrefix(w, "ge") && len(w) > 5 {
		// Participles: "gezahlt" is "zahlen" with "ge-" and "-t".
		out = append(out, baseForms(lang, w[2:])...)
	}
	return out
}

// Len returns the number of words that have at least one translation, in
// both directions together.
func (l *Lexicon) Len() int {
	n := 0
	for _, m := range l.to {
		n += len(m)
	}
	return n
}

// counter accumulates how often each word is paired with each translation.
type counter struct {
	tok *tokenize.Tokenizer
	// pairs[lang][word][translation] is the pairing's score; order keeps
	// the first appearance so that ties break deterministically.
	pairs map[string]map[string]map[string]*pairing
	// freq[lang][word] counts the word's occurrences anywhere in the
	// dictionary, phrases and example sentences included: a rough measure
	// of how common the word is.
	freq map[string]map[string]int
	seq  int
}

type pairing struct {
	score float64
	first int
}

func newCounter() *counter {
	c := &counter{tok: tokenize.Record(), pairs: map[string]map[string]map[string]*pairing{},
		freq: map[string]map[string]int{}}
	for _, lang := range Languages {
		c.pairs[lang] = map[string]map[string]*pairing{}
		c.freq[lang] = map[string]int{}
	}
	return c
}

func (c *counter) line(s string) {
	if strings.HasPrefix(s, "#") {
		return
	}
	de, en, ok := strings.Cut(s, " :: ")
	if !ok {
		return
	}
	ds, es := strings.Split(de, " | "), strings.Split(en, " | ")
	if len(ds) != len(es) {
		ds, es = ds[:1], es[:1] // only the head entries are sure to line up
	}
	for i := range ds {
		// The head entry (i == 0) carries the sense; later sub-entries are
		// inflections and phrases, worth less as a word's translation.
		weight := 1 / float64(1+i)
		c.pair(c.alternatives("de", ds[i]), c.alternatives("en", es[i]), weight)
	}
}

// pair counts every single-word alternative on one side as translated by
// every short alternative on the other.
func (c *counter) pair(de, en [][]string, weight float64) {
	for _, d := range de {
		for _, e := range en {
			if len(d) == 1 && len(e) <= MaxPhrase {
				c.add("de", d[0], strings.Join(e, " "), weight)
			}
			if len(e) == 1 && len(d) <= MaxPhrase {
				c.add("en", e[0], strings.Join(d, " "), weight)
			}
		}
	}
}

func (c *counter) add(from, word, translation string, weight float64) {
	if word == translation {
		return // a loan word ("bank", "hotel") adds nothing as its own translation
	}
	m := c.pairs[from][word]
	if m == nil {
		m = map[string]*pairing{}
		c.pairs[from][word] = m
	}
	p := m[translation]
	if p == nil {
		c.seq++
		p = &pairing{first: c.seq}
		m[translation] = p
	}
	p.score += weight
}

// lexicon ranks each word's translations: highest rank first, then the one
// that appeared first in the dictionary.
func (c *counter) lexicon() *Lexicon {
	l := &Lexicon{to: map[string]map[string][]string{}}
	for from, words := range c.pairs {
		out := make(map[string][]string, len(words))
		to := c.freq[other(from)]
		for w, ts := range words {
			for t, p := range ts {
				p.score = rank(p.score, t, to)
			}
			list := make([]string, 0, len(ts))
			for t := range ts {
				list = append(list, t)
			}
			slices.SortFunc(list, func(a, b string) int {
				if c := cmp.Compare(ts[b].score, ts[a].score); c != 0 {
					return c
				}
				return cmp.Compare(ts[a].first, ts[b].first)
			})
			out[w] = list
		}
		l.to[from] = out
	}
	return l
}

// rank weighs how often a word was paired with translation t by how common
// t is: the dictionary lists rare senses ("Rechnung" as "reckoning") as
// often as the everyday ones ("bill"), but everyday words recur across its
// entries and example sentences. A phrase counts as common as its rarest
// word.
func rank(pairScore float64, t string, freq map[string]int) float64 {
	f := math.MaxInt
	for w := range strings.SplitSeq(t, " ") {
		f = min(f, freq[w])
	}
	return pairScore * math.Log(2+float64(f))
}

func other(lang string) string {
	if lang == Languages[0] {
		return Languages[1]
	}
	return Languages[0]
}

// placeholders stand for "somebody", "something" in Ding entries
// ("jdm. etw. erstatten :: to refund sb. sth."); they are not words a
// visitor writes.
var placeholders = map[string]bool{
	"jd": true, "jdm": true, "jdn": true, "jds": true, "etw": true, "sich": true,
	"sb": true, "sth": true,
}

// alternatives splits a sub-entry at ";" into its synonyms, each as its
// normalized words with annotations, placeholders and the infinitive's "to"
// removed. Alternatives with punctuation other than that of abbreviations
// ("jdm.", "sb.'s") are example sentences and are dropped, as are empty ones.
func (c *counter) alternatives(lang, s string) [][]string {
	var out [][]string
	for alt := range strings.SplitSeq(s, ";") {
		words := c.tok.Words(nil, stripAnnotations(alt))
		if len(words) > 0 && words[0] == "to" {
			words = words[1:] // English verbs: "to pay"
		}
		kept := words[:0]
		sentence := false
		for _, w := range words {
			switch {
			case !isWord(w):
				sentence = sentence || (w != "." && w != "'" && w != "-")
			case !placeholders[w]:
				c.freq[lang][w]++
				kept = append(kept, w)
			}
		}
		if !sentence && len(kept) > 0 {
			out = append(out, kept)
		}
	}
	return out
}

// stripAnnotations removes {…}, […] and (…) groups (nesting allowed) and
// /…/ abbreviations from s.
func stripAnnotations(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '{' || c == '[' || c == '(':
			depth++
		case c == '}' || c == ']' || c == ')':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case c == '/' && (i == 0 || s[i-1] == ' '):
			// An abbreviation such as "/acc./" runs to the next '/'; a '/'
			// inside a word ("on/charge") is kept.
			if j := strings.IndexByte(s[i+1:], '/'); j >= 0 {
				i += j + 1
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isWord reports whether the token holds a letter or digit (the tokenizer
// returns punctuation as tokens of its own).
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 {
			return true
		}
	}
	return false
}
