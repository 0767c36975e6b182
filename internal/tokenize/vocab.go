package tokenize

import (
	"errors"
	"strings"
)

// Vocab is a WordPiece vocabulary: the token strings by id, held in one
// string with the end of each token. Unlike a []string it holds two
// pointers, not one per token: the collector scanned the 30,000 string
// headers of a vocabulary at every cycle, 80% of a collection's time in
// WebAssembly (2.4 ms against 0.5 ms for the demo model in wazero), and the
// cycles land in replies. The zero Vocab is empty.
type Vocab struct {
	text string
	end  []uint32
}

// NewVocab returns the vocabulary whose token with id i is tokens[i].
func NewVocab(tokens []string) Vocab {
	n := 0
	for _, s := range tokens {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	v := Vocab{end: make([]uint32, len(tokens))}
	for i, s := range tokens {
		b.WriteString(s)
		v.end[i] = uint32(b.Len())
	}
	v.text = b.String()
	return v
}

// VocabOf returns the vocabulary whose token with id i ends at byte end[i]
// of text and starts where the one before it ends: the form a model file
// stores, taken without copying.
func VocabOf(text string, end []uint32) (Vocab, error) {
	prev := uint32(0)
	for _, e := range end {
		if e < prev || int(e) > len(text) {
			return Vocab{}, errors.New("tokenize: vocabulary token ends are not ascending within the text")
		}
		prev = e
	}
	return Vocab{text: text, end: end}, nil
}

// Len returns the number of tokens.
func (v Vocab) Len() int { return len(v.end) }

// At returns the token with the given id, 0 <= id < Len().
func (v Vocab) At(id int32) string {
	start := uint32(0)
	if id > 0 {
		start = v.end[id-1]
	}
	return v.text[start:v.end[id]]
}

// List returns the tokens as a new slice; they share the vocabulary's
// memory.
func (v Vocab) List() []string {
	l := make([]string, v.Len())
	for i := range l {
		l[i] = v.At(int32(i))
	}
	return l
}
