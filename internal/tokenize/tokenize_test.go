package tokenize_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/internal/tokenize"
)

func TestWords(t *testing.T) {
	tok := tokenize.Record()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{" \t\n ", nil},
		{"Fälligkeit", []string{"falligkeit"}},
		{"Straße", []string{"straße"}},
		{"Wann zahle ICH?", []string{"wann", "zahle", "ich", "?"}},
		{"e-mail: a@b.de", []string{"e", "-", "mail", ":", "a", "@", "b", ".", "de"}},
		{"über\u00a0uns", []string{"uber\u00a0uns"}}, // only ASCII whitespace splits (as in sugarme)
		{"zero\u200bwidth", []string{"zerowidth"}},   // format characters are dropped
		{"中文", []string{"中", "文"}},
		{"„Hallo“ …", []string{"„", "hallo", "“", "…"}},
	} {
		if got := tok.Words(nil, c.text); !slices.Equal(got, c.want) {
			t.Errorf("Words(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestTokens(t *testing.T) {
	tok := tokenize.Record()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Fälligkeit", []string{"fall", "##ig", "##kei", "##t"}},
		{"Straße", []string{"st", "##raße"}},
		{"When is my payment due?", []string{"when", "is", "my", "payment", "due", "?"}},
		{strings.Repeat("a", 100), []string{"aaa", "##aa", "##aa", "##aa"}}, // checked below against length only
		{strings.Repeat("a", 101), []string{"[UNK]"}},
		{"😀", []string{"[UNK]"}},
	} {
		got := tok.Tokens(nil, c.text)
		if len(c.text) == 100 {
			if len(got) < 2 || got[0] == "[UNK]" {
				t.Errorf("Tokens(100 × a) = %q, want word pieces (100 characters is within the limit)", got)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	// Tokens appends.
	if got := tok.Tokens([]string{"x"}, "hi"); !slices.Equal(got, []string{"x", "hi"}) {
		t.Errorf("Tokens(dst=[x], hi) = %q, want [x hi]", got)
	}
}

func TestIDs(t *testing.T) {
	tok := tokenize.Record()
	vocab := tok.Vocab()
	for _, text := range []string{"Wann ist die Fälligkeit?", "refund 😀 please", ""} {
		toks := tok.Tokens(nil, text)
		ids := tok.IDs(nil, text)
		if len(ids) != len(toks) {
			t.Fatalf("IDs(%q) has %d ids for %d tokens", text, len(ids), len(toks))
		}
		for i, id := range ids {
			if vocab.At(id) != toks[i] {
				t.Errorf("IDs(%q)[%d] = %d (%q), want the id of %q", text, i, id, vocab.At(id), toks[i])
			}
		}
	}
}

func TestFromVocab(t *testing.T) {
	rec := tokenize.Record()
	again := tokenize.FromVocab(rec.Vocab())
	text := "Kann ich meine Kreditkarte sperren? I lost my card!"
	if got, want := again.Tokens(nil, text), rec.Tokens(nil, text); !slices.Equal(got, want) {
		t.Errorf("FromVocab(Record().Vocab()).Tokens = %q, want %q", got, want)
	}
	small := tokenize.FromVocab(tokenize.NewVocab([]string{"[UNK]", "ab", "##c", "a"}))
	if got, want := small.Tokens(nil, "ABC a abd"), []string{"ab", "##c", "a", "[UNK]"}; !slices.Equal(got, want) {
		t.Errorf("small vocab: Tokens = %q, want %q", got, want)
	}
	noUnk := tokenize.FromVocab(tokenize.NewVocab([]string{"a"}))
	if got := noUnk.IDs(nil, "a b"); !slices.Equal(got, []int32{0, -1}) {
		t.Errorf("vocabulary without [UNK]: IDs = %v, want [0 -1]", got)
	}
}

func TestLoadErrors(t *testing.T) {
	rec := string(tokenize.RecordJSON())
	replace := func(old, new string) []byte {
		if !strings.Contains(rec, old) {
			t.Fatalf("tokenizer.json has no %q", old)
		}
		return []byte(strings.Replace(rec, old, new, 1))
	}
	for _, c := range []struct {
		name string
		json []byte
		want string
	}{
		{"empty", nil, "invalid JSON at byte 0"},
		{"not an object", []byte(`[]`), "want a JSON object"},
		{"truncated", []byte(rec[:len(rec)/2]), "invalid JSON"},
		{"trailing data", []byte(rec + "x"), "unexpected data after"},
		{"unknown key", replace(`"version": "1.0"`, `"versions": "1.0"`), `versions: unknown or unsupported key`},
		{"post processor", replace(`"post_processor": null`, `"post_processor": {"type": "BertProcessing"}`), "post_processor: unsupported"},
		{"added tokens", replace(`"added_tokens": []`, `"added_tokens": [{"id": 0}]`), "added_tokens: unsupported"},
		{"normalizer type", replace(`"type": "Sequence"`, `"type": "BertNormalizer"`), `normalizer.type: unsupported "BertNormalizer"; want "Sequence"`},
		{"no NFD", replace(`{"type": "NFD"}`, `{"type": "NFC"}`), `normalizer.normalizers[0].type: unsupported "NFC"`},
		{"no lowercase", replace(`"lowercase": true`, `"lowercase": false`), "normalizers[1].lowercase: unsupported: want true"},
		{"pre-tokenizer", replace(`"BertPreTokenizer"`, `"Whitespace"`), `pre_tokenizer.type: unsupported "Whitespace"`},
		{"model type", replace(`"type": "WordPiece"`, `"type": "BPE"`), `model.type: unsupported "BPE"`},
		{"unk token", replace(`"unk_token": "[UNK]"`, `"unk_token": "<unk>"`), `model.unk_token: unsupported`},
		{"max chars", replace(`"max_input_chars_per_word": 100`, `"max_input_chars_per_word": 200`), "max_input_chars_per_word: unsupported: want 100"},
		{"sparse ids", replace(`"[PAD]": 0`, `"[PAD]": 99999`), `model.vocab["[PAD]"]: want ids 0..30521`},
		{"no unk", replace(`"[UNK]": 100`, `"[UNKNOWN]": 100`), `missing the unknown token`},
		{"no model", replace(`"model"`, `"modell"`), "modell: unknown"},
		{"deep nesting", []byte(strings.Repeat("[", 100)), "nested too deeply"},
		{"bad escape", []byte(`{"version": "\q"}`), `invalid escape`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := tokenize.Load(c.json)
			if err == nil {
				t.Fatalf("Load succeeded, want an error containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "tokenize: tokenizer.json: ") {
				t.Errorf("Load error = %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestLoadEscapes(t *testing.T) {
	// A vocabulary spelled with JSON escapes, including a surrogate pair and a
	// lone surrogate (which becomes U+FFFD, as in encoding/json).
	rec := tokenize.RecordJSON()
	i := bytes.Index(rec, []byte(`"vocab": {`))
	head := string(rec[:i])
	js := head + `"vocab": {"[UNK]": 0, "\u00e4\/x": 1, "\ud83d\ude00": 2, "\ud800": 3, "a\"b\\": 4}}}`
	tok, err := tokenize.Load([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"[UNK]", "ä/x", "😀", "\ufffd", `a"b\`}
	if got := tok.Vocab().List(); !slices.Equal(got, want) {
		t.Errorf("Vocab() = %q, want %q", got, want)
	}
}

func ExampleTokenizer_Tokens() {
	tok := tokenize.Record()
	fmt.Println(tok.Tokens(nil, "Wann ist die Fälligkeit?"))
	fmt.Println(tok.Words(nil, "Wann ist die Fälligkeit?"))
	// Output:
	// [wan ##n ist die fall ##ig ##kei ##t ?]
	// [wann ist die falligkeit ?]
}

func BenchmarkTokens(b *testing.B) {
	tok := tokenize.Record()
	for _, bc := range []struct{ name, text string }{
		{"en80", "Hi, I was charged twice for my last order - can you please refund one payment?"},
		{"de80", "Hallo, mir wurde die Rechnung doppelt abgebucht. Können Sie das bitte prüfen?"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var dst []string
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				dst = tok.Tokens(dst[:0], bc.text)
			}
		})
	}
}

func BenchmarkSugarme(b *testing.B) {
	ref := sugarmeRecord(b)
	text := "Hi, I was charged twice for my last order - can you please refund one payment?"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ref.Tokenize(text); err != nil {
			b.Fatal(err)
		}
	}
}

func TestVocabOf(t *testing.T) {
	v, err := tokenize.VocabOf("[UNK]ab##c", []uint32{5, 7, 10})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.List(), []string{"[UNK]", "ab", "##c"}; !slices.Equal(got, want) {
		t.Errorf("VocabOf(...).List() = %q, want %q", got, want)
	}
	for _, end := range [][]uint32{{5, 4}, {5, 11}} {
		if _, err := tokenize.VocabOf("[UNK]ab##c", end); err == nil {
			t.Errorf("VocabOf with ends %v: no error", end)
		}
	}
}
