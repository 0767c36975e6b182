package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/train"
)

// demoBot is the repository's demo bot, relative to this package.
const demoBot = "../../testdata/bots/demo/bot.yaml"

// cli runs the CLI in-process and returns its exit status and output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// trainDemo trains the demo bot into a temporary directory and returns the
// model's path.
func trainDemo(t *testing.T) string {
	t.Helper()
	model := filepath.Join(t.TempDir(), "demo.lotse")
	if code, _, stderr := cli(t, "train", demoBot, "-o", model); code != 0 {
		t.Fatalf("lotse train: exit %d: %s", code, stderr)
	}
	return model
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"train", "test", "ask", "bench"} {
		t.Run(cmd, func(t *testing.T) {
			code, stdout, stderr := cli(t, cmd, "--help")
			if code != 0 || !strings.HasPrefix(stdout, "usage: lotse "+cmd+" ") || !strings.Contains(stdout, "flags:") || stderr != "" {
				t.Errorf("exit %d, help:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train"}, 2, "want exactly one bot file, got 0"},
		{[]string{"train", demoBot}, 2, "no model file given; pass -o MODEL.lotse"},
		{[]string{"train", "a.yaml", "b.yaml", "-o", "m"}, 2, "want exactly one bot file, got 2"},
		{[]string{"train", "--nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"train", "missing.yaml", "-o", "m.lotse"}, 1, "lotse train: bot file missing.yaml does not exist\n"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--folds", "1"}, 2, "--folds must be at least 2 (or 0 for the default), got 1"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--folds", "-3"}, 2, "--folds must be at least 2 (or 0 for the default), got -3"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--reject-budget", "0"}, 2, "--reject-budget must be a share above 0 and at most 0.5 (0.05 is 5%), got 0"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--reject-budget", "0.7"}, 2, "got 0.7"},
		{[]string{"test", "--model", "m.lotse"}, 2, "no test file given; pass --data TEST.jsonl"},
		{[]string{"test", "--data", "x.jsonl", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"test", "--data", "x.jsonl"}, 1, "no model given; pass --model MODEL.lotse"},
		{[]string{"ask", "--model", "nope.lotse", "hi"}, 1, "lotse ask: model file nope.lotse does not exist; make one with lotse train BOT -o nope.lotse\n"},
		{[]string{"test", "--model", "nope.lotse", "--data", "x.jsonl"}, 1, "lotse test: model file nope.lotse does not exist"},
		{[]string{"test", "--model", "../../testdata/bots/demo/bot.yaml", "--data", "x.jsonl"}, 1, "bot.yaml is not a Lotse model file"},
		{[]string{"bench", "--only", "nope"}, 2, `unknown benchmark "nope"`},
		{[]string{"bench", "--engine", "jvm"}, 2, `unknown engine "jvm"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := cli(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant %q", code, tt.code, stderr, tt.want)
			}
		})
	}
}

func TestTrain(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "demo.lotse")
	// Flags after the bot file, as the README writes the command.
	code, stdout, stderr := cli(t, "train", demoBot, "-o", model, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Model      string   `json:"model"`
		Bytes      int      `json:"bytes"`
		GzipBytes  int      `json:"gzip_bytes"`
		Intents    int      `json:"intents"`
		Examples   int      `json:"examples"`
		Threshold  *float64 `json:"threshold"`
		CVAccuracy *float64 `json:"cv_accuracy"`
		ECE        *float64 `json:"ece"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v in %s", err, stdout)
	}
	fi, err := os.Stat(model)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Model != model || rep.Bytes != int(fi.Size()) || rep.GzipBytes <= 0 || rep.GzipBytes >= rep.Bytes {
		t.Errorf("model %q bytes %d gzip %d, file has %d bytes", rep.Model, rep.Bytes, rep.GzipBytes, fi.Size())
	}
	if rep.Intents < 30 || rep.Examples < rep.Intents || rep.Threshold == nil || rep.CVAccuracy == nil || rep.ECE == nil {
		t.Errorf("report %s", stdout)
	}
	// No temporary file is left beside the model.
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the model", len(entries))
	}

	code, stdout, stderr = cli(t, "train", "-o", model, demoBot)
	if code != 0 || !strings.Contains(stdout, "intents") || !strings.Contains(stdout, "gzip") || !strings.Contains(stdout, "threshold") ||
		!strings.Contains(stdout, "(classifier: svm)") { // the demo bot keeps its SVMs (train/solver.go)
		t.Errorf("summary: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestThresholdText(t *testing.T) {
	for _, tc := range []struct {
		threshold float64
		want      string
	}{
		{0, "with no confidence threshold (see --help)"},
		{0.4733, "at threshold 0.473"},
	} {
		if got := thresholdText(tc.threshold); got != tc.want {
			t.Errorf("thresholdText(%v) = %q, want %q", tc.threshold, got, tc.want)
		}
	}
}

func TestExamplesText(t *testing.T) {
	for _, tc := range []struct {
		rep  train.Report
		want string
	}{
		{train.Report{Examples: 540}, "540 examples"},
		{train.Report{Examples: 16106, Background: 1006}, "16106 examples (of them 1006 background out-of-scope)"},
		{train.Report{Examples: 60, Names: 6}, "60 examples (of them 6 intent names)"},
		{train.Report{Examples: 1200, Names: 6, Background: 70}, "1200 examples (of them 6 intent names, 70 background out-of-scope)"},
	} {
		if got := examplesText(&tc.rep); got != tc.want {
			t.Errorf("examplesText(%+v) = %q, want %q", tc.rep, got, tc.want)
		}
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args    []string
		pos     []string
		o       string
		verbose bool
	}{
		{[]string{"bot.yaml", "-o", "m"}, []string{"bot.yaml"}, "m", false},
		{[]string{"-o", "m", "bot.yaml", "-v"}, []string{"bot.yaml"}, "m", true},
		{[]string{"a", "b", "-o", "m", "c"}, []string{"a", "b", "c"}, "m", false},
		{[]string{"-o", "m", "--", "-v", "x"}, []string{"-v", "x"}, "m", false},
		{[]string{"a", "--", "-v"}, []string{"a", "-v"}, "", false},
		{nil, nil, "", false},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		o := fs.String("o", "", "")
		v := fs.Bool("v", false, "")
		pos, err := parseInterspersed(fs, tt.args)
		if err != nil || !reflect.DeepEqual(pos, tt.pos) || *o != tt.o || *v != tt.verbose {
			t.Errorf("parseInterspersed(%q) = %q, -o %q, -v %v, %v; want %q, %q, %v", tt.args, pos, *o, *v, err, tt.pos, tt.o, tt.verbose)
		}
	}
}

// TestIsTerminal checks that buffers, files and pipes are not terminals, so
// that "lotse train" keeps its progress lines out of logs and scripts.
func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, v := range map[string]any{"buffer": &strings.Builder{}, "file": f, "pipe": w, "nil": nil} {
		if isTerminal(v) {
			t.Errorf("%s: isTerminal = true", name)
		}
	}
}

func TestTrainWarnings(t *testing.T) {
	tests := []struct {
		bot      string
		warnings int
		want     []string // in stderr, in order
	}{
		// Ten questions, no out_of_scope examples: too few for a threshold.
		{"../../testdata/bots/faq.csv", 1, []string{"warning: the bot hands no message off as out of scope", "write the bot as a bot.yaml"}},
		// Rasa NLU data has no answers.
		{"../../testdata/bots/demo-rasa", 1, []string{"warning: 6 of 6 intents have no answer (greet, goodbye, faq_payment_due_date and 3 more)"}},
		// The demo bot's out-of-scope class does the handing off.
		{demoBot, 0, nil},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.bot), func(t *testing.T) {
			model := filepath.Join(t.TempDir(), "m.lotse")
			code, _, stderr := cli(t, "train", tt.bot, "-o", model)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			rest := stderr
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stderr lacks %q:\n%s", w, stderr)
				}
				rest = rest[i+len(w):]
			}
			if n := strings.Count(stderr, "warning:"); n != tt.warnings {
				t.Errorf("%d warnings, want %d:\n%s", n, tt.warnings, stderr)
			}
		})
	}
}
