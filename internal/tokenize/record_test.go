package tokenize_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/internal/tokenize"
)

var update = flag.Bool("update", false, "rewrite tokenizer.json from sugarme's bert-base-uncased vocabulary")

// sugarmeVocab reads the bert-base-uncased vocabulary shipped in sugarme's module.
func sugarmeVocab(t testing.TB) []string {
	t.Helper()
	if runtime.GOOS == "wasip1" || runtime.GOOS == "js" {
		t.Skip("locating the sugarme module needs \"go list\", which cannot run under " + runtime.GOOS + "; the native test run covers this")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/sugarme/tokenizer").Output()
	if err != nil {
		t.Fatalf("locating the sugarme module (go list -m): %v", err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "pretrained", "model", "bert-base-uncased-vocab.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vocab []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		vocab = append(vocab, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vocab
}

// recordJSON renders the tokenizer of record for vocab, one vocabulary entry a
// line, in id order, so that the file diffs well and is byte-for-byte
// reproducible.
func recordJSON(t testing.TB, vocab []string) []byte {
	t.Helper()
	quote := func(s string) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	var b strings.Builder
	b.WriteString(`{
  "version": "1.0",
  "truncation": null,
  "padding": null,
  "added_tokens": [],
  "normalizer": {
    "type": "Sequence",
    "normalizers": [
      {"type": "NFD"},
      {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": true, "lowercase": true}
    ]
  },
  "pre_tokenizer": {"type": "BertPreTokenizer"},
  "post_processor": null,
  "decoder": null,
  "model": {
    "type": "WordPiece",
    "unk_token": "[UNK]",
    "continuing_subword_prefix": "##",
    "max_input_chars_per_word": 100,
    "vocab": {
`)
	for i, tok := range vocab {
		b.WriteString("      " + quote(tok) + ": " + itoa(i))
		if i < len(vocab)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("    }\n  }\n}\n")
	return []byte(b.String())
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// TestRecordJSON checks that the embedded tokenizer.json is exactly what the
// generator makes from sugarme's vocabulary (go test -run TestRecordJSON
// -update rewrites it).
func TestRecordJSON(t *testing.T) {
	vocab := sugarmeVocab(t)
	if len(vocab) != 30522 {
		t.Fatalf("sugarme's bert-base-uncased vocabulary has %d entries, want 30522", len(vocab))
	}
	want := recordJSON(t, vocab)
	if *update {
		if err := os.WriteFile("tokenizer.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(tokenize.RecordJSON(), want) {
		t.Fatal("tokenizer.json is stale: run go test ./internal/tokenize -run TestRecordJSON -update")
	}
	got := tokenize.Record().Vocab().List()
	if len(got) != len(vocab) {
		t.Fatalf("Record().Vocab() has %d entries, want %d", len(got), len(vocab))
	}
	for i := range vocab {
		if got[i] != vocab[i] {
			t.Fatalf("Record().Vocab()[%d] = %q, want %q", i, got[i], vocab[i])
		}
	}
}
