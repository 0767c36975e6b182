package tokenize

import (
	_ "embed"
	"errors"
	"strconv"
	"sync"
)

// recordJSON is the tokenizer of record: NFD + BertNormalizer,
// BertPreTokenizer and WordPiece over the bert-base-uncased vocabulary.
//
//go:embed tokenizer.json
var recordJSON []byte

// RecordJSON returns the tokenizer.json of record, the configuration both
// this package and github.com/sugarme/tokenizer load. The caller must not
// modify the returned bytes.
func RecordJSON() []byte { return recordJSON }

var (
	recordOnce sync.Once
	record     *Tokenizer
)

// Record returns the tokenizer of record, loaded once from RecordJSON.
func Record() *Tokenizer {
	recordOnce.Do(func() {
		t, err := Load(recordJSON)
		if err != nil {
			panic("tokenize: embedded tokenizer.json does not load: " + err.Error())
		}
		record = t
	})
	return record
}

// Load parses a HuggingFace tokenizer.json and returns its tokenizer. Only the
// configuration of the tokenizer of record is supported (see RecordJSON):
//
//	normalizer:     Sequence [NFD, BertNormalizer{clean_text, handle_chinese_chars,
//	                strip_accents, lowercase: all true}]
//	pre_tokenizer:  BertPreTokenizer
//	model:          WordPiece{unk_token "[UNK]", continuing_subword_prefix "##",
//	                max_input_chars_per_word 100, vocab with ids 0..n-1}
//	added_tokens:   [] (or absent); truncation, padding, post_processor,
//	                decoder: null (or absent)
//
// Anything else is an error naming the unsupported part, because a tokenizer
// that silently differs from sugarme would break the parity the engine relies on.
func Load(tokenizerJSON []byte) (*Tokenizer, error) {
	p := parser{src: tokenizerJSON}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	if root.kind != '{' {
		return nil, loadError("", "want a JSON object at the top level")
	}
	var vocab []string
	for _, m := range root.obj {
		switch m.key {
		case "version":
		case "truncation", "padding", "post_processor", "decoder":
			if m.val.kind != 'n' {
				return nil, loadError(m.key, "unsupported: want null (this package produces plain WordPiece tokens)")
			}
		case "added_tokens":
			if m.val.kind != 'n' && (m.val.kind != '[' || len(m.val.arr) > 0) {
				return nil, loadError(m.key, "unsupported: want an empty list")
			}
		case "normalizer":
			if err := checkNormalizer(m.val); err != nil {
				return nil, err
			}
		case "pre_tokenizer":
			if err := checkType("pre_tokenizer", m.val, "BertPreTokenizer"); err != nil {
				return nil, err
			}
			if len(m.val.obj) != 1 {
				return nil, loadError("pre_tokenizer", "unsupported: BertPreTokenizer takes no options")
			}
		case "model":
			if vocab, err = loadWordPiece(m.val); err != nil {
				return nil, err
			}
		default:
			return nil, loadError(m.key, "unknown or unsupported key")
		}
	}
	if root.get("normalizer") == nil || root.get("pre_tokenizer") == nil || vocab == nil {
		return nil, loadError("", "want normalizer, pre_tokenizer and model")
	}
	return FromVocab(NewVocab(vocab)), nil
}

func checkNormalizer(v value) error {
	const where = "normalizer"
	if err := checkType(where, v, "Sequence"); err != nil {
		return err
	}
	seq := v.get("normalizers")
	if len(v.obj) != 2 || seq == nil || seq.kind != '[' || len(seq.arr) != 2 {
		return loadError(where, `unsupported: want a Sequence of exactly "NFD" and "BertNormalizer"`)
	}
	if err := checkType(where+".normalizers[0]", seq.arr[0], "NFD"); err != nil {
		return err
	}
	bert := seq.arr[1]
	if err := checkType(where+".normalizers[1]", bert, "BertNormalizer"); err != nil {
		return err
	}
	for _, key := range []string{"clean_text", "handle_chinese_chars", "strip_accents", "lowercase"} {
		if f := bert.get(key); f == nil || f.kind != 't' {
			return loadError(where+".normalizers[1]."+key, "unsupported: want true")
		}
	}
	if len(bert.obj) != 5 {
		return loadError(where+".normalizers[1]", "unsupported: unknown BertNormalizer option")
	}
	return nil
}

func loadWordPiece(v value) ([]string, error) {
	const where = "model"
	if err := checkType(where, v, "WordPiece"); err != nil {
		return nil, err
	}
	var vocab []string
	for _, m := range v.obj {
		switch m.key {
		case "type":
		case "unk_token":
			if m.val.kind != '"' || m.val.str != unkToken {
				return nil, loadError(where+".unk_token", `unsupported: want "[UNK]"`)
			}
		case "continuing_subword_prefix":
			if m.val.kind != '"' || m.val.str != continuingPrefix {
				return nil, loadError(where+".continuing_subword_prefix", `unsupported: want "##"`)
			}
		case "max_input_chars_per_word":
			if m.val.kind != '0' || m.val.str != strconv.Itoa(maxInputCharsPerWord) {
				return nil, loadError(where+".max_input_chars_per_word", "unsupported: want 100")
			}
		case "vocab":
			var err error
			if vocab, err = denseVocab(m.val); err != nil {
				return nil, err
			}
		default:
			return nil, loadError(where+"."+m.key, "unknown or unsupported WordPiece option")
		}
	}
	if vocab == nil {
		return nil, loadError(where+".vocab", "missing")
	}
	if v.get("unk_token") == nil || v.get("continuing_subword_prefix") == nil || v.get("max_input_chars_per_word") == nil {
		return nil, loadError(where, "want unk_token, continuing_subword_prefix and max_input_chars_per_word set explicitly")
	}
	return vocab, nil
}

// denseVocab turns {"token": id, ...} into a slice indexed by id. Ids must be
// exactly 0..n-1 so that Vocab round-trips through FromVocab.
func denseVocab(v value) ([]string, error) {
	const where = "model.vocab"
	if v.kind != '{' || len(v.obj) == 0 {
		return nil, loadError(where, "want a non-empty object of token: id")
	}
	vocab := make([]string, len(v.obj))
	seen := make([]bool, len(v.obj))
	for _, m := range v.obj {
		id, err := strconv.Atoi(m.val.str)
		if m.val.kind != '0' || err != nil || id < 0 || id >= len(vocab) || seen[id] {
			return nil, loadError(where+"["+strconv.Quote(m.key)+"]",
				"want ids 0.."+strconv.Itoa(len(vocab)-1)+", each once; got "+strconv.Quote(m.val.str))
		}
		vocab[id], seen[id] = m.key, true
	}
	for _, tok := range vocab {
		if tok == unkToken {
			return vocab, nil
		}
	}
	return nil, loadError(where, `missing the unknown token "[UNK]"`)
}

func checkType(where string, v value, want string) error {
	if v.kind != '{' {
		return loadError(where, "want an object of type "+strconv.Quote(want))
	}
	typ := v.get("type")
	if typ == nil || typ.kind != '"' {
		return loadError(where+".type", "missing; want "+strconv.Quote(want))
	}
	if typ.str != want {
		return loadError(where+".type", "unsupported "+strconv.Quote(typ.str)+"; want "+strconv.Quote(want))
	}
	return nil
}

func loadError(where, msg string) error {
	if where == "" {
		return errors.New("tokenize: tokenizer.json: " + msg)
	}
	return errors.New("tokenize: tokenizer.json: " + where + ": " + msg)
}
