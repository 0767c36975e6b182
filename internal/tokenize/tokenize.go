// Package tokenize is a lean, allocation-light re-implementation of the one
// HuggingFace tokenizer.json configuration Lotse uses: a Sequence of NFD and a
// BertNormalizer (clean text, CJK padding, lowercase, strip accents), the
// BertPreTokenizer and a WordPiece model.
//
// github.com/sugarme/tokenizer is the tokenizer of record. This package exists
// because sugarme is slow and heavy for the engine's hot path (and in the
// browser's WebAssembly binary); its tests prove that it produces exactly the
// tokens sugarme produces for the same tokenizer.json on every benchmark text.
//
// The normalization deliberately mirrors sugarme v0.3.0, including where it
// differs from the Rust HuggingFace tokenizers:
//   - only '\t', '\n', '\r' and ' ' separate words; other Unicode spaces such
//     as U+00A0 stay inside a word (sugarme splits on the regexp `\s+`);
//   - the CJK range U+3400..U+4DBF is not padded with spaces (sugarme's range
//     table is unsorted, so unicode.In never reaches that range);
//   - lowercasing is Go's rune-wise unicode.ToLower (strings.ToLower).
package tokenize

import (
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// The fixed WordPiece parameters of the tokenizer of record.
const (
	unkToken             = "[UNK]"
	continuingPrefix     = "##"
	maxInputCharsPerWord = 100
)

// Tokenizer splits text into WordPiece tokens. It is safe for concurrent use.
type Tokenizer struct {
	vocab Vocab
	// pieces finds word-initial pieces by their text and continuation
	// pieces by their text without "##", so that the hot path looks up
	// sub-slices of the normalized text without building "##"+piece
	// strings.
	pieces  *pieceTable
	maxLen  int   // longest piece in bytes (without "##" for continuations)
	unkID   int32 // -1 when the vocabulary has no "[UNK]"
	scratch sync.Pool
}

// FromVocab returns the tokenizer of record over vocab: the fixed normalizer
// and pre-tokenizer described in the package documentation followed by
// WordPiece with unknown token "[UNK]", continuing-subword prefix "##" and at
// most 100 characters a word. The id of a token is its index in vocab; when a
// token occurs twice, the later index wins (as in a JSON object).
func FromVocab(vocab Vocab) *Tokenizer {
	t := &Tokenizer{vocab: vocab, pieces: newPieceTable(vocab)}
	for i := range vocab.Len() {
		t.maxLen = max(t.maxLen, len(vocab.At(int32(i))))
	}
	t.unkID = t.pieces.lookup([]byte(unkToken), false)
	return t
}

// Vocab returns the vocabulary. Storing it is enough to rebuild the
// tokenizer with FromVocab.
func (t *Tokenizer) Vocab() Vocab { return t.vocab }

// Tokens appends the WordPiece tokens of text to dst and returns the extended
// slice. Words that cannot be split into vocabulary pieces, or that are longer
// than 100 characters, become the single token "[UNK]". The token strings are
// shared with the vocabulary; Tokens allocates only to grow dst.
func (t *Tokenizer) Tokens(dst []string, text string) []string {
	s := t.getScratch()
	for _, w := range s.split(text) {
		dst, _ = t.wordPiece(dst, nil, s.norm[w.start:w.end], true)
	}
	t.scratch.Put(s)
	return dst
}

// IDs appends the vocabulary ids of the WordPiece tokens of text to dst, the
// same tokens Tokens returns. A word that cannot be split is the id of
// "[UNK]", or -1 if the vocabulary has none.
func (t *Tokenizer) IDs(dst []int32, text string) []int32 {
	s := t.getScratch()
	for _, w := range s.split(text) {
		_, dst = t.wordPiece(nil, dst, s.norm[w.start:w.end], false)
	}
	t.scratch.Put(s)
	return dst
}

// Words appends to dst the pre-tokens of text: the words and isolated
// punctuation characters after normalization and pre-tokenization, before
// WordPiece splits them. Each word is a new string.
func (t *Tokenizer) Words(dst []string, text string) []string {
	s := t.getScratch()
	for _, w := range s.split(text) {
		dst = append(dst, string(s.norm[w.start:w.end]))
	}
	t.scratch.Put(s)
	return dst
}

// WordsAndTokens appends the pre-tokens of text to words, as Words does,
// and its WordPiece tokens to tokens, as Tokens does, normalizing and
// splitting text once for both.
func (t *Tokenizer) WordsAndTokens(words, tokens []string, text string) ([]string, []string) {
	s := t.getScratch()
	for _, w := range s.split(text) {
		word := s.norm[w.start:w.end]
		words = append(words, string(word))
		tokens, _ = t.wordPiece(tokens, nil, word, true)
	}
	t.scratch.Put(s)
	return words, tokens
}

// wordPiece splits one pre-token and appends its tokens to toks (wantToks)
// or their ids to ids: greedy longest match from the left, rune by rune, as
// sugarme's WordPiece does.
func (t *Tokenizer) wordPiece(toks []string, ids []int32, word []byte, wantToks bool) ([]string, []int32) {
	if utf8.RuneCount(word) > maxInputCharsPerWord {
		return t.appendUnk(toks, ids, wantToks)
	}
	mark, markIDs := len(toks), len(ids)
	for start := 0; start < len(word); {
		cont := start > 0
		end := min(len(word), start+t.maxLen)
		for end > start && !utf8.RuneStart(byteAt(word, end)) {
			end--
		}
		id := int32(-1)
		for end > start {
			if id = t.pieces.lookup(word[start:end], cont); id >= 0 {
				break
			}
			end--
			for end > start && !utf8.RuneStart(word[end]) {
				end--
			}
		}
		if id < 0 {
			return t.appendUnk(toks[:mark], ids[:markIDs], wantToks)
		}
		if wantToks {
			toks = append(toks, t.vocab.At(id))
		} else {
			ids = append(ids, id)
		}
		start = end
	}
	return toks, ids
}

// byteAt returns word[i], or a rune-start byte past the end.
func byteAt(word []byte, i int) byte {
	if i >= len(word) {
		return 0
	}
	return word[i]
}

func (t *Tokenizer) appendUnk(toks []string, ids []int32, wantToks bool) ([]string, []int32) {
	if wantToks {
		return append(toks, unkToken), ids
	}
	return toks, append(ids, t.unkID)
}

// span is a pre-token: a byte range of scratch.norm.
type span struct{ start, end int }

// scratch holds the reusable buffers of one call.
type scratch struct {
	nfd   []byte
	norm  []byte
	words []span
}

func (t *Tokenizer) getScratch() *scratch {
	if s, ok := t.scratch.Get().(*scratch); ok {
		return s
	}
	return &scratch{nfd: make([]byte, 0, 256), norm: make([]byte, 0, 256), words: make([]span, 0, 32)}
}

// split normalizes text into s.norm and returns its pre-tokens.
func (s *scratch) split(text string) []span {
	s.norm = s.norm[:0]
	s.words = s.words[:0]
	src := text
	if !isASCII(text) {
		// sugarme decomposes before stripping accents, so "ä" loses its
		// diaeresis; the normalizer of record puts NFD first for that reason.
		s.nfd = appendNFD(s.nfd[:0], text)
		// s.nfd is not modified while src is in use.
		src = unsafe.String(unsafe.SliceData(s.nfd), len(s.nfd))
	}
	wordStart := -1
	endWord := func() {
		if wordStart >= 0 && wordStart < len(s.norm) {
			s.words = append(s.words, span{wordStart, len(s.norm)})
		}
		wordStart = -1
	}
	for i := 0; i < len(src); {
		if c := src[i]; c < utf8.RuneSelf {
			// ASCII fast path, the same decisions as the switch below.
			i++
			switch asciiClass[c] {
			case asciiWord:
				if wordStart < 0 {
					wordStart = len(s.norm)
				}
				s.norm = append(s.norm, c|asciiLowerBit[c])
			case asciiSpace:
				endWord()
			case asciiPunct:
				endWord()
				s.norm = append(s.norm, c)
				s.words = append(s.words, span{len(s.norm) - 1, len(s.norm)})
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		i += size
		switch {
		case r == 0 || r == utf8.RuneError || isControl(r):
			// clean_text drops NUL, U+FFFD (and so invalid UTF-8) and
			// control/format characters.
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			endWord()
		case isChinese(r):
			endWord()
			s.norm = utf8.AppendRune(s.norm, r)
			s.words = append(s.words, span{len(s.norm) - utf8.RuneLen(r), len(s.norm)})
		default:
			r = toLower(r)
			if r >= 0x300 && unicode.Is(unicode.Mn, r) {
				continue
			}
			if isPunctuation(r) {
				endWord()
				s.norm = utf8.AppendRune(s.norm, r)
				s.words = append(s.words, span{len(s.norm) - utf8.RuneLen(r), len(s.norm)})
				continue
			}
			if wordStart < 0 {
				wordStart = len(s.norm)
			}
			if r < utf8.RuneSelf {
				s.norm = append(s.norm, byte(r))
			} else {
				s.norm = utf8.AppendRune(s.norm, r)
			}
		}
	}
	endWord()
	return s.words
}

// ASCII byte classes for the fast path of split.
const (
	asciiDrop  = iota // removed by clean_text: NUL and control characters
	asciiWord         // letters and digits
	asciiSpace        // ' ', '\t', '\n', '\r'
	asciiPunct        // isolated by the pre-tokenizer
)

var asciiClass, asciiLowerBit = func() (class, lower [utf8.RuneSelf]byte) {
	for c := range rune(utf8.RuneSelf) {
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			class[c] = asciiSpace
		case c == 0 || isControl(c):
			class[c] = asciiDrop
		case isPunctuation(c):
			class[c] = asciiPunct
		default:
			class[c] = asciiWord
		}
		if 'A' <= c && c <= 'Z' {
			lower[c] = 'a' - 'A'
		}
	}
	return class, lower
}()

// latinNFD holds the NFD of U+0080..U+02FF. Below U+0300 every character is
// a starter (canonical combining class 0), so the NFD of a text made of them
// is the concatenation of their decompositions; no reordering is needed.
var latinNFD = func() (t [0x300 - 0x80]string) {
	for r := rune(0x80); r < 0x300; r++ {
		t[r-0x80] = norm.NFD.String(string(r))
	}
	return t
}()

// appendNFD appends the NFD of text to dst. Latin-script text, the usual
// case, takes a table-driven path that neither allocates nor runs the general
// normalizer.
func appendNFD(dst []byte, text string) []byte {
	for i := 0; i < len(text); i++ {
		// U+0300 and above start with a byte 0xCC or higher.
		if text[i] >= 0xcc {
			return norm.NFD.AppendString(dst, text)
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, c) // invalid: kept, and later dropped like U+FFFD
		} else {
			dst = append(dst, latinNFD[r-0x80]...)
		}
		i += size
	}
	return dst
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func toLower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// isControl reports whether clean_text removes r: categories Cc and Cf, except
// the whitespace controls '\t', '\n' and '\r'.
func isControl(r rune) bool {
	if r < utf8.RuneSelf {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
	}
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

// isPunctuation reports whether the BertPreTokenizer isolates r: every ASCII
// symbol or punctuation character, and Unicode category P.
func isPunctuation(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 0x21 && r <= 0x2f) || (r >= 0x3a && r <= 0x40) ||
			(r >= 0x5b && r <= 0x60) || (r >= 0x7b && r <= 0x7e)
	}
	return unicode.Is(unicode.P, r)
}

// isChinese reports whether the BertNormalizer pads r with spaces. It mirrors
// sugarme's table as unicode.In evaluates it: U+3400..U+4DBF is listed after
// U+4E00..U+9FFF there, and the linear scan of a small unsorted table stops
// before reaching it.
func isChinese(r rune) bool {
	switch {
	case r < 0x4e00:
		return false
	case r <= 0x9fff:
		return true
	case r >= 0xf900 && r <= 0xfaff:
		return true
	case r >= 0x20000 && r <= 0x2a6df:
		return true
	case r >= 0x2a700 && r <= 0x2ceaf: // sugarme's three ranges here are contiguous
		return true
	case r >= 0x2f800 && r <= 0x2fa1f:
		return true
	}
	return false
}
