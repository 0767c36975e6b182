package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestSnakeCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"card_arrival", "card_arrival"},
		{"Refund_not_showing_up", "refund_not_showing_up"},
		{"reverted_card_payment?", "reverted_card_payment"},
		{"  Top Up -- by card ", "top_up_by_card"},
		{"w2", "w2"},
		{"?!", ""},
	}
	for _, tt := range tests {
		if got := snakeCase(tt.in); got != tt.want {
			t.Errorf("snakeCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func ExampleStats_Row() {
	s := Stats{Name: "demo", Intents: 2, TrainExamples: 20, TestInScope: 5}
	fmt.Println(s.Row())
	// Output: | demo | 2 | 20 | 0 | 5 | 0 | - | - |
}

// l builds a training example for the build tests.
func l(text, label string) labeled { return labeled{text: text, label: label, where: "f:1"} }

func TestBuildCounts(t *testing.T) {
	train := []labeled{
		l("hi", "Greet"), l(" hi\n", "Greet"), l("hello", "Greet"),
		l("bye", "bye?"), l("hi", "bye?"),
	}
	oos := []labeled{l("weather", "oos"), l("weather ", "oos")}
	test := []labeled{l("hi", "Greet"), l("hi", "Greet"), l("see you", "bye?")}
	oosTest := []labeled{l("rain", "oos")}
	b, err := build("demo", train, oos, map[string][]labeled{"test": test}, map[string][]labeled{"test": oosTest})
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{Name: "demo", Intents: 2, TrainExamples: 4, TrainOOS: 1, TestInScope: 3, TestOOS: 1,
		DroppedDupes: 1, DroppedOOSDups: 1, TrimmedTexts: 2, CrossIntent: 1, TestDupes: 1, TrainTestOverl: 1}
	if b.Stats != want {
		t.Errorf("stats = %+v\nwant    %+v", b.Stats, want)
	}
	if len(b.Intents) != 2 || b.Intents[0].Name != "bye" || b.Intents[1].Name != "greet" {
		t.Fatalf("intents = %+v, want bye, greet sorted by name", b.Intents)
	}
	if got := strings.Join(b.Intents[1].Examples, "|"); got != "hi|hello" {
		t.Errorf("greet examples = %q, want dataset order without duplicates", got)
	}
	if got := b.Splits["test"][3]; got != (testCase{Text: "rain", Expect: OutOfScope}) {
		t.Errorf("last test line = %+v, want the out-of-scope line", got)
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		train []labeled
		test  []labeled
		want  string
	}{
		{"invalid UTF-8", []labeled{l("caf\xe9", "a")}, nil, "f:1: text is not valid UTF-8"},
		{"empty text", []labeled{l(" \t", "a")}, nil, "f:1: empty text"},
		{"label collision", []labeled{l("x", "Top_up"), l("y", "top up")}, nil, `labels "Top_up" and "top up" both become intent "top_up"`},
		{"label without letters", []labeled{l("x", "??")}, nil, "has no letters or digits"},
		{"reserved name", []labeled{l("x", "Out of scope")}, nil, `reserved name "out_of_scope"`},
		{"test intent unknown", []labeled{l("x", "a")}, []labeled{l("y", "b")}, `intent "b") has no training examples`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build("demo", tt.train, nil, map[string][]labeled{"test": tt.test}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"wrong header", "text;label\nhi;greet\n", `:1: header is ["text" "label"], want ["text" "category"]`},
		{"short row", "text;category\nhi\n", "record on line 2: wrong number of fields"},
		{"empty file", "", "reading the header: EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.csv")
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readCSV(path, ';', []string{"text", "category"}, func(rec []string, where string) (labeled, error) {
				return labeled{text: rec[0], label: rec[1], where: where}, nil
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestMarshalBotQuotes(t *testing.T) {
	texts := []string{"yes", "no", "12:30", "null", "- dash", "# hash", `say "hi"`, "tab\there", "line\nbreak", "ünïcödé", "a: b", "&anchor", "*alias", "'single'"}
	b := &benchmark{Name: "demo", Intents: []intent{{Name: "yes", Examples: texts}}, OutOfScope: texts}
	data, err := marshalBot(b)
	if err != nil {
		t.Fatal(err)
	}
	var got botFile
	if err := yaml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Intents[0].Name != "yes" || strings.Join(got.Intents[0].Examples, "|") != strings.Join(texts, "|") {
		t.Errorf("read back %+v, want the texts unchanged", got.Intents[0])
	}
}

// want are the counts PEERS.md's splits give, after dropping Banking77's 4
// training rows that repeat another row but for surrounding newlines.
var want = map[string]Stats{
	"clinc150":  {Name: "clinc150", Intents: 150, TrainExamples: 15000, TrainOOS: 100, TestInScope: 4500, TestOOS: 1000, ValInScope: 3000, ValOOS: 100, HasVal: true, TrainTestOverl: 2},
	"banking77": {Name: "banking77", Intents: 77, TrainExamples: 9999, TestInScope: 3080, DroppedDupes: 4, TrimmedTexts: 12, TestDupes: 1, TrainTestOverl: 6},
	"hwu64":     {Name: "hwu64", Intents: 64, TrainExamples: 9684, TestInScope: 1352},
}

// TestConvertShared converts the shared datasets and checks the counts and
// that the committed testdata/ files are exactly what the converter writes.
func TestConvertShared(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(root, "..", "shared", "datasets")
	if _, err := os.Stat(shared); os.IsNotExist(err) {
		t.Skipf("%s is absent: the public benchmarks live beside the repository, not in it", shared)
	}
	out := t.TempDir()
	stats, err := convertAll(shared, out)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "testdata", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s != want[s.Name] {
			t.Errorf("%s: stats = %+v\nwant %+v", s.Name, s, want[s.Name])
		}
		if !bytes.Contains(readme, []byte(s.Row())) || !bytes.Contains(readme, []byte(s.Notes())) {
			t.Errorf("testdata/README.md lacks the %s row or notes; paste them from `%s`:\n%s\n%s", s.Name, command, s.Row(), s.Notes())
		}
		checkTestFile(t, filepath.Join(out, s.Name, "test.jsonl"), s.TestInScope+s.TestOOS)
		compareDirs(t, filepath.Join(out, s.Name), filepath.Join(root, "testdata", s.Name))
	}
	if len(stats) != len(want) {
		t.Errorf("converted %d benchmarks, want %d", len(stats), len(want))
	}
}

// checkTestFile checks that every line is a test case with a non-empty text
// and expect, and that there are n lines.
func checkTestFile(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines := 0
	for sc.Scan() {
		lines++
		var c testCase
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil || c.Text == "" || c.Expect == "" {
			t.Fatalf("%s:%d: %q is not a test case (%v)", path, lines, sc.Text(), err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines != n {
		t.Errorf("%s: %d lines, want %d", path, lines, n)
	}
}

// compareDirs checks that every file in got has the same bytes in committed
// and that committed has no other files.
func compareDirs(t *testing.T, got, committed string) {
	t.Helper()
	gotFiles, err := os.ReadDir(got)
	if err != nil {
		t.Fatal(err)
	}
	comFiles, err := os.ReadDir(committed)
	if err != nil {
		t.Fatalf("%v; regenerate with `%s`", err, command)
	}
	if len(gotFiles) != len(comFiles) {
		t.Errorf("%s has %d files, the converter writes %d", committed, len(comFiles), len(gotFiles))
	}
	for _, e := range gotFiles {
		g, err := os.ReadFile(filepath.Join(got, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		c, err := os.ReadFile(filepath.Join(committed, e.Name()))
		if err != nil {
			t.Errorf("%v; regenerate with `%s`", err, command)
			continue
		}
		if !bytes.Equal(g, c) {
			t.Errorf("%s differs from the converter's output; regenerate with `%s`", filepath.Join(committed, e.Name()), command)
		}
	}
}
