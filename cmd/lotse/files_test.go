package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/eval"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/runner/embedded"
)

// faqBot is the repository's smallest bot: it trains in a fraction of a
// second.
const faqBot = "../../testdata/bots/faq.csv"

// trainFAQ trains the FAQ bot into dir and returns the model's path.
func trainFAQ(t *testing.T, dir string) string {
	t.Helper()
	model := filepath.Join(dir, "faq.lotse")
	if code, _, stderr := cli(t, "train", faqBot, "-o", model); code != 0 {
		t.Fatalf("lotse train: exit %d: %s", code, stderr)
	}
	return model
}

// copyFile copies the file src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot returns the contents of every regular file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestTrainRefusesToOverwrite checks that "lotse train" never replaces a
// file that is not a model (the bot file itself, a test file, another
// bot) and says why and what to do, leaving every file as it was.
func TestTrainRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	bot := filepath.Join(dir, "copy.yaml")
	copyFile(t, demoBot, bot)
	copyFile(t, "../../testdata/bots/demo/test.jsonl", filepath.Join(dir, "test.jsonl"))
	copyFile(t, faqBot, filepath.Join(dir, "d", "bot.yaml"))
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(bot, link); err != nil {
		t.Fatal(err)
	}
	// A broken bot file: refused for its -o before it is parsed, so
	// before any training.
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("intents: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	sameFile := "is the bot file being trained; writing the model there would overwrite it: choose another -o, such as "
	notModel := "exists and is not a Lotse model file (is it a bot or test file?); writing the model there would overwrite it: choose another -o"
	tests := []struct {
		name, bot, out, want string
	}{
		{"itself", bot, bot, "-o " + bot + " " + sameFile + filepath.Join(dir, "copy.lotse")},
		{"itself by another path", bot, filepath.Join(dir, "d", "..", "copy.yaml"), sameFile},
		{"itself through a link", link, bot, sameFile},
		{"the link to itself", bot, link, sameFile},
		{"itself, not parsed first", broken, broken, sameFile},
		{"a test file", bot, filepath.Join(dir, "test.jsonl"), filepath.Join(dir, "test.jsonl") + " " + notModel},
		{"another bot", bot, filepath.Join(dir, "d", "bot.yaml"), "or delete " + filepath.Join(dir, "d", "bot.yaml") + " first if you mean to replace it"},
		{"a bot directory's bot file", filepath.Join(dir, "d"), filepath.Join(dir, "d", "bot.yaml"), notModel},
		{"a directory", bot, filepath.Join(dir, "d"), "-o " + filepath.Join(dir, "d") + " is a directory; give a file name such as " + filepath.Join(dir, "d", "copy.lotse")},
		{"a missing directory", bot, filepath.Join(dir, "nope", "m.lotse"), "output directory " + filepath.Join(dir, "nope") + " does not exist; create it first or choose another -o"},
		{"a file as directory", bot, filepath.Join(bot, "m.lotse"), bot + " is not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, "train", tt.bot, "-o", tt.out)
			if code != 1 || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and %q", code, stdout, stderr, tt.want)
			}
			if strings.Contains(stderr, ".tmp") || strings.Contains(stderr, "stat ") {
				t.Errorf("message shows Go internals: %s", stderr)
			}
		})
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("files changed: before %d files, after %d", len(before), len(after))
	}
}

// TestTrainOverwritesModel checks that an existing model file, or an empty
// file, is still replaced by the new model.
func TestTrainOverwritesModel(t *testing.T) {
	dir := t.TempDir()
	old := trainFAQ(t, dir)
	empty := filepath.Join(dir, "empty.lotse")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{old, empty} {
		code, _, stderr := cli(t, "train", faqBot, "-o", out, "--seed", "7")
		if code != 0 {
			t.Errorf("-o %s: exit %d: %s", out, code, stderr)
			continue
		}
		if data, err := os.ReadFile(out); err != nil || !modelfile.IsModel(data) {
			t.Errorf("-o %s: not a model afterwards (%v)", out, err)
		}
	}
}

// TestWrongKindOfFile gives each command a file of another kind and checks
// that the message names the file and says where it belongs.
func TestWrongKindOfFile(t *testing.T) {
	dir := t.TempDir()
	model := trainFAQ(t, dir)
	bot := filepath.Join(dir, "bot.yaml")
	copyFile(t, demoBot, bot)
	tests := filepath.Join(dir, "x.jsonl")
	copyFile(t, "../../testdata/bots/demo/test.jsonl", tests)
	empty := filepath.Join(dir, "m.lotse")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.lotse")
	// A model cut short (a failed download) and one changed after training.
	data, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	trunc := filepath.Join(dir, "trunc.lotse")
	if err := os.WriteFile(trunc, data[:1000], 0o644); err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 0xFF
	corrupt := filepath.Join(dir, "corrupt.lotse")
	if err := os.WriteFile(corrupt, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	truncMsg := fmt.Sprintf("lotse ask: %s: model file is truncated (1000 of %d bytes); was it copied or downloaded only in part? Copy it again, or train it again with lotse train BOT -o %s\n", trunc, len(data), trunc)
	corruptMsg := "lotse test: " + corrupt + ": model file is corrupted: its checksum does not match its contents (changed after training?); train it again with lotse train BOT -o " + corrupt + "\n"

	// Both engines must give the CLI's message: the wasm engine is
	// replaced by one that records being started.
	saved := newWasmEngine
	defer func() { newWasmEngine = saved }()
	started := false
	newWasmEngine = func([]byte) (eval.Engine, io.Closer, error) {
		started = true
		return nil, nil, io.EOF
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"train", model, "-o", out}, model + " is a Lotse model file, not a bot file; give it to lotse ask/test --model, or train from your bot.yaml"},
		{[]string{"train", tests, "-o", out}, tests + " is a test file (JSON Lines), not a bot file; give it to lotse test --data"},
		{[]string{"test", "--engine", "native", "--model", model, "--data", model}, model + " is a Lotse model file, not a test file; give it to --model"},
		{[]string{"ask", "--engine", "native", "--model", bot, "hi"}, bot + " is not a Lotse model file: train one with lotse train " + bot + " -o model.lotse"},
		{[]string{"ask", "--engine", "wasm", "--model", bot, "hi"}, bot + " is not a Lotse model file: train one with lotse train " + bot + " -o model.lotse"},
		{[]string{"test", "--model", bot, "--data", tests}, bot + " is not a Lotse model file: train one with lotse train " + bot + " -o model.lotse"},
		{[]string{"ask", "--model", tests, "hi"}, tests + " is a test file, not a Lotse model file; give it to --data"},
		{[]string{"ask", "--model", faqBot, "hi"}, "lotse train " + faqBot + " -o model.lotse"},
		{[]string{"ask", "--model", empty, "hi"}, "model file " + empty + " is empty"},
		{[]string{"ask", "--engine", "native", "--model", empty, "hi"}, "model file " + empty + " is empty"},
		{[]string{"ask", "--model", trunc, "hi"}, truncMsg},
		{[]string{"ask", "--engine", "native", "--model", trunc, "hi"}, truncMsg},
		{[]string{"test", "--model", corrupt, "--data", tests}, corruptMsg},
	} {
		t.Run(strings.ReplaceAll(strings.Join(tt.args, " "), dir+string(filepath.Separator), ""), func(t *testing.T) {
			code, _, stderr := cli(t, tt.args...)
			if code != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, tt.want)
			}
			if n := strings.Count(stderr, "\n"); n != 1 {
				t.Errorf("%d lines of error, want one", n)
			}
		})
	}
	if started {
		t.Error("the wasm engine was started on a file that is not a model")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a model was written")
	}
}

func TestIsModel(t *testing.T) {
	model, err := os.ReadFile(trainFAQ(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want bool
	}{
		{"model", model, true},
		{"model header", model[:probeSize], true},
		{"model magic alone", model[:8], true},
		{"empty", nil, false},
		{"magic cut short", model[:5], false},
		{"bot file", []byte("name: acme\nintents: []\n"), false},
		{"model after a BOM", append([]byte("\uFEFF"), model...), false},
	} {
		if got := modelfile.IsModel(tt.data); got != tt.want {
			t.Errorf("%s: modelfile.IsModel = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestReadTestFileBOM checks that a test file saved with a UTF-8 byte order
// mark reads as the same file without one.
func TestReadTestFileBOM(t *testing.T) {
	const lines = `{"text": "hallo", "expect": "greeting", "lang": "de"}` + "\n" +
		`{"text": "meine IBAN", "expect": "out_of_scope", "pii": []}` + "\n"
	dir := t.TempDir()
	plain, bom := filepath.Join(dir, "plain.jsonl"), filepath.Join(dir, "bom.jsonl")
	if err := os.WriteFile(plain, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bom, []byte("\uFEFF"+lines), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := readTestFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readTestFile(bom)
	if err != nil {
		t.Fatalf("with a BOM: %v", err)
	}
	if len(got) != 2 || !reflect.DeepEqual(got, want) {
		t.Errorf("with a BOM: %+v\nwithout: %+v", got, want)
	}

	// Through the command, on a real model.
	model := trainFAQ(t, dir)
	code, stdout, stderr := cli(t, "test", "--engine", "native", "--model", model, "--data", bom, "--json")
	if code != 0 || !strings.Contains(stdout, `"in_scope_accuracy"`) {
		t.Errorf("exit %d: %s%s", code, stdout, stderr)
	}
}

// TestWriteFileAtomicMessages checks that a failed write names the
// directory the user gave, not the temporary file.
func TestWriteFileAtomicMessages(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	err := writeFileAtomic(filepath.Join(missing, "m.lotse"), []byte("x"))
	want := "output directory " + missing + " does not exist; create it first or choose another -o"
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// TestAskLongLine checks that a line too long for "lotse ask" is reported
// with its number and the limit, after the lines before it are answered.
func TestAskLongLine(t *testing.T) {
	model := trainFAQ(t, t.TempDir())
	withStdin(t, "hello\n"+strings.Repeat("a", maxLine+1)+"\n", false)
	code, stdout, stderr := cli(t, "ask", "--engine", "native", "--model", model)
	want := "lotse ask: line 2 of standard input is longer than 1048576 bytes; send one message a line\n"
	if code != 1 || stderr != want || strings.Count(stdout, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, one reply and %q", code, stdout, stderr, want)
	}
}

// TestCommandLine checks exit statuses and where help goes: asked-for help
// to stdout with status 0, usage after a mistake to stderr with status 2.
func TestCommandLine(t *testing.T) {
	for _, tt := range []struct {
		args         []string
		code         int
		stdout, errs string // prefixes; "" means empty
	}{
		{nil, 2, "", "usage: lotse COMMAND"},
		{[]string{"help"}, 0, "usage: lotse COMMAND", ""},
		{[]string{"--help"}, 0, "usage: lotse COMMAND", ""},
		{[]string{"-h"}, 0, "usage: lotse COMMAND", ""},
		{[]string{"help", "train"}, 0, "usage: lotse train BOT", ""},
		{[]string{"nope"}, 2, "", `lotse: unknown command "nope"`},
		{[]string{"train", "-h"}, 0, "usage: lotse train BOT", ""},
		{[]string{"train", "--nope"}, 2, "", "lotse train: flag provided but not defined: -nope\nusage: lotse train BOT"},
		{[]string{"version"}, 0, "lotse 0.", ""},
		{[]string{"--version"}, 0, "lotse 0.", ""},
		{[]string{"version", "x"}, 2, "", `lotse version: unexpected argument "x"`},
		{[]string{"version", "--help"}, 0, "usage: lotse version\n", ""},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := cli(t, tt.args...)
			if code != tt.code || !strings.HasPrefix(stdout, tt.stdout) || (tt.stdout == "") != (stdout == "") ||
				!strings.HasPrefix(stderr, tt.errs) || (tt.errs == "") != (stderr == "") {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"version"}, &out, io.Discard); code != 0 {
		t.Fatalf("exit %d", code)
	}
	// "lotse 0.1.0 (model format 3, go1.26.0 linux/amd64)"
	want := fmt.Sprintf("lotse %s (model format %d, %s %s/%s)\n", lotse.Version, modelfile.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	first, engine, _ := strings.Cut(out.String(), "\n")
	if first+"\n" != want || !strings.Contains(want, "go1.") {
		t.Errorf("version %q, want %q first", out.String(), want)
	}
	// The second line says which engine ask and test run: this binary's
	// tests see the module that make wasm generated, or none.
	_, err := embedded.Module()
	if notBuilt := strings.HasPrefix(engine, "wasm engine: not built in"); !strings.HasPrefix(engine, "wasm engine: ") || notBuilt != (err != nil) {
		t.Errorf("engine line %q, but the module is there: %v", engine, err == nil)
	}
}
