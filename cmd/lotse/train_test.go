package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
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

// demo is the demo bot's model, trained by lotse train once for all tests
// (training is deterministic; each test gets its own copy).
var demo struct {
	once sync.Once
	data []byte
	err  string
}

// trainDemo puts the demo bot's model into a temporary directory and
// returns its path.
func trainDemo(t *testing.T) string {
	t.Helper()
	demo.once.Do(func() {
		model := filepath.Join(t.TempDir(), "demo.lotse")
		var out, errb bytes.Buffer
		if code := run([]string{"train", demoBot, "-o", model}, &out, &errb); code != 0 {
			demo.err = fmt.Sprintf("lotse train: exit %d: %s", code, errb.String())
			return
		}
		demo.data, _ = os.ReadFile(model)
	})
	if demo.err != "" || len(demo.data) == 0 {
		t.Fatalf("training the demo bot: %s", demo.err)
	}
	model := filepath.Join(t.TempDir(), "demo.lotse")
	if err := os.WriteFile(model, demo.data, 0o644); err != nil {
		t.Fatal(err)
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
		{[]string{"train"}, 2, "lotse train: no bot file given; pass the bot file (bot.yaml, Rasa nlu.yml or FAQ .csv)\n"},
		{[]string{"train", demoBot}, 2, "lotse train: no model file given; pass -o MODEL.lotse\n"},
		{[]string{"train", "a.yaml", "b.yaml", "-o", "m"}, 2, "lotse train: want one bot file, got 2: a.yaml b.yaml; train each bot on its own\n"},
		{[]string{"train", "--nope"}, 2, "lotse train: flag provided but not defined: -nope\n"},
		{[]string{"train", "missing.yaml", "-o", "m.lotse"}, 1, "lotse train: bot file missing.yaml does not exist\n"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--folds", "1"}, 2, "--folds must be at least 2 (or 0 for the default), got 1"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--folds", "-3"}, 2, "--folds must be at least 2 (or 0 for the default), got -3"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--reject-budget", "0"}, 2, "--reject-budget must be a share above 0 and at most 0.5 (0.05 is 5%), got 0"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--reject-budget", "0.7"}, 2, "got 0.7"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--threshold", "0"}, 2, "--threshold must be a confidence above 0 and below 1 (a threshold from \"lotse test --curve\"), got 0\n"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--threshold", "1"}, 2, "--threshold must be a confidence above 0 and below 1"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--threshold", "-0.2"}, 2, "got -0.2\n"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--threshold", "NaN"}, 2, "got NaN\n"},
		{[]string{"train", demoBot, "-o", "m.lotse", "--threshold", "0.3", "--reject-budget", "0.02"}, 2,
			"lotse train: give --threshold or --reject-budget, not both: the budget chooses a threshold, --threshold sets one\n"},
		{[]string{"test", "--model", "m.lotse"}, 2, "no test file given; pass --data TEST.jsonl"},
		{[]string{"test", "--data", "x.jsonl", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"test", "--data", "x.jsonl"}, 2, "no model given; pass --model MODEL.lotse"},
		{[]string{"ask", "hi"}, 2, "no model given; pass --model MODEL.lotse"},
		{[]string{"backend", "extra"}, 2, `lotse backend: unexpected argument "extra"`},
		{[]string{"version", "extra"}, 2, `lotse version: unexpected argument "extra"`},
		{[]string{"ask", "--model", "nope.lotse", "hi"}, 1, "lotse ask: model file nope.lotse does not exist; make one with lotse train BOT -o nope.lotse\n"},
		{[]string{"test", "--model", "nope.lotse", "--data", "x.jsonl"}, 1, "lotse test: model file nope.lotse does not exist"},
		{[]string{"test", "--model", "../../testdata/bots/demo/bot.yaml", "--data", "x.jsonl"}, 1, "bot.yaml is not a Lotse model file"},
		{[]string{"report", "unanswered", "--limit", "0"}, 2, "lotse report unanswered: --limit must be at least 1, got 0\n"},
		{[]string{"report", "unanswered", "--db", "nope.db"}, 1, "lotse report: database nope.db does not exist; give the --db file lotse backend (or lotse serve) writes\n"},
		{[]string{"report", "weekly"}, 2, `unknown report "weekly"`},
		{[]string{"bench", "--only", "nope"}, 2, `unknown benchmark "nope"`},
		{[]string{"bench", "--engine", "jvm"}, 2, `unknown engine "jvm"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := cli(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant %q", code, tt.code, stderr, tt.want)
			}
			// A usage error is the message, the usage line and where
			// the help is, not forty lines of help burying the message.
			cmd := tt.args[0]
			if cmd == "report" && tt.args[1] == "unanswered" {
				cmd = "report unanswered"
			}
			if code == 2 && cmd != "bench" {
				lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
				if len(lines) != 3 || !strings.HasPrefix(lines[1], "usage: lotse "+cmd) || lines[2] != `Run "lotse `+cmd+` --help" for more.` {
					t.Errorf("usage error:\n%s\nwant the message, the usage line and the --help hint", stderr)
				}
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
		// The background out-of-scope examples kept and left out.
		Background           int    `json:"background"`
		BackgroundDropped    int    `json:"background_dropped"`
		BackgroundDroppedWhy string `json:"background_dropped_why"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v in %s", err, stdout)
	}
	// One key for each figure: bytes and seconds, not also model_bytes
	// and duration_ns.
	for _, dup := range []string{`"model_bytes"`, `"duration_ns"`} {
		if strings.Contains(stdout, dup) {
			t.Errorf("report has %s besides bytes and seconds:\n%s", dup, stdout)
		}
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
	// The demo bot's out-of-scope class takes the whole budget with the
	// background examples, and training leaves them out again.
	if rep.Background != 0 || rep.BackgroundDropped == 0 || rep.BackgroundDroppedWhy != train.NoThresholdOOSClass {
		t.Errorf("background %d, dropped %d (%q); want 0, more and %q", rep.Background, rep.BackgroundDropped, rep.BackgroundDroppedWhy, train.NoThresholdOOSClass)
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
	if want := "\n" + backgroundDroppedText(&train.Report{BackgroundDropped: rep.BackgroundDropped, BackgroundDroppedWhy: rep.BackgroundDroppedWhy}) + "\n"; !strings.Contains(stdout, want) {
		t.Errorf("summary:\n%s\nlacks the line %q", stdout, want)
	}
}

// TestTrainThreshold trains with a threshold set by hand: the model holds
// it, the summary says it was set by hand and what cross-validation gives
// at it, and no line or warning says there is no threshold.
func TestTrainThreshold(t *testing.T) {
	const faq = "../../testdata/bots/faq.csv" // too few examples for a budget's threshold
	model := filepath.Join(t.TempDir(), "faq.lotse")
	code, stdout, stderr := cli(t, "train", faq, "-o", model, "--threshold", "0.35")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "\ncross-validated on the bot's examples: in-scope accuracy ") ||
		!strings.Contains(stdout, " at threshold 0.35 (set by hand with --threshold), ECE ") {
		t.Errorf("summary:\n%s\nwant the cross-validated figures at threshold 0.35, set by hand", stdout)
	}
	if strings.Contains(stdout, "no confidence threshold") || strings.Contains(stderr, "warning: the bot hands no message off") {
		t.Errorf("a model with a threshold is said to have none:\n%s%s", stdout, stderr)
	}
	data, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	m, err := lotse.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Info().Threshold; float32(got) != 0.35 {
		t.Errorf("model threshold %v, want 0.35", got)
	}

	code, stdout, stderr = cli(t, "train", faq, "-o", model, "--threshold", "0.35", "--json")
	var rep struct {
		Threshold       float64 `json:"threshold"`
		ThresholdByHand bool    `json:"threshold_by_hand"`
		NoThreshold     *string `json:"no_threshold"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s%s", code, err, stdout, stderr)
	}
	if rep.Threshold != 0.35 || !rep.ThresholdByHand || rep.NoThreshold != nil {
		t.Errorf("JSON report %s", stdout)
	}
	// Without --threshold the key is absent: the JSON of a default
	// training is as it was.
	if code, stdout, _ := cli(t, "train", faq, "-o", model, "--json"); code != 0 || strings.Contains(stdout, "threshold_by_hand") {
		t.Errorf("exit %d, default JSON report:\n%s", code, stdout)
	}
}

func TestThresholdText(t *testing.T) {
	for _, tc := range []struct {
		rep  train.Report
		want string
	}{
		{train.Report{}, "with no confidence threshold"},
		{train.Report{Threshold: 0.4733}, "at threshold 0.473"},
		// The author's own threshold, as they typed it.
		{train.Report{Threshold: 0.25, ThresholdByHand: true}, "at threshold 0.25 (set by hand with --threshold)"},
		{train.Report{Threshold: 0.4733, ThresholdByHand: true}, "at threshold 0.4733 (set by hand with --threshold)"},
	} {
		if got := thresholdText(&tc.rep); got != tc.want {
			t.Errorf("thresholdText(%+v) = %q, want %q", tc.rep, got, tc.want)
		}
	}
}

func TestExamplesText(t *testing.T) {
	for _, tc := range []struct {
		rep  train.Report
		want string
	}{
		{train.Report{Examples: 540}, "540 examples"},
		{train.Report{Examples: 1}, "1 example"},
		{train.Report{Examples: 16106, Background: 1006}, "15100 examples, plus 1006 background out-of-scope (16106 texts in all)"},
		{train.Report{Examples: 60, Names: 6}, "54 examples, plus 6 intent names (60 texts in all)"},
		{train.Report{Examples: 1200, Names: 1, Background: 70}, "1129 examples, plus 1 intent name and 70 background out-of-scope (1200 texts in all)"},
		// The lexicon's translations are not the author's examples.
		{train.Report{Examples: 325, Translations: 177, Names: 14}, "134 examples, plus 177 lexicon translations and 14 intent names (325 texts in all)"},
	} {
		if got := examplesText(&tc.rep); got != tc.want {
			t.Errorf("examplesText(%+v) = %q, want %q", tc.rep, got, tc.want)
		}
	}
}

// TestBackgroundDroppedText checks the summary line that says the
// background out-of-scope examples were left out, and why.
func TestBackgroundDroppedText(t *testing.T) {
	for _, tc := range []struct {
		rep  train.Report
		want string
	}{
		{train.Report{Background: 30}, ""},
		{train.Report{}, ""},
		{train.Report{BackgroundDropped: 29, BackgroundDroppedWhy: train.NoThresholdOOSClass},
			"left out 29 background out-of-scope examples (requests written for other assistants): " +
				"with them the out-of-scope class handed off the whole rejection budget of held-out in-scope examples, " +
				"so the bot's own out_of_scope examples make the class alone"},
		{train.Report{BackgroundDropped: 1, BackgroundDroppedWhy: train.NoThresholdFewExamples},
			"left out 1 background out-of-scope example (requests written for other assistants): " +
				"with them there was no confidence threshold (too few examples to choose one), " +
				"so the bot's own out_of_scope examples make the out-of-scope class alone"},
	} {
		if got := backgroundDroppedText(&tc.rep); got != tc.want {
			t.Errorf("backgroundDroppedText(%+v) =\n%q\nwant\n%q", tc.rep, got, tc.want)
		}
	}
}

// TestNoThresholdText checks that a bot without a confidence threshold is
// told why, and what to do.
func TestNoThresholdText(t *testing.T) {
	withOOS := &bot.Bot{OutOfScope: []string{"weather"}, Intents: []bot.Intent{{Name: "a"}}}
	noOOS := &bot.Bot{Intents: []bot.Intent{{Name: "a"}}}
	csv := &bot.Bot{Intents: []bot.Intent{{Name: "a"}}, Source: bot.SourceCSV}
	for _, tc := range []struct {
		name   string
		b      *bot.Bot
		rep    train.Report
		noFlag bool // lotse serve: no --reject-budget to suggest
		want   string
	}{
		{"a threshold", withOOS, train.Report{Threshold: 0.3}, false, ""},
		{"the class takes the budget", withOOS, train.Report{NoThreshold: train.NoThresholdOOSClass}, false,
			"the out-of-scope class already hands off 2% of the held-out in-scope examples, the whole rejection budget, " +
				"so only messages like the out_of_scope examples are handed off, and unsure answers are given. " +
				"To hand those off too, train with a larger budget (--reject-budget 0.05) or a threshold of your own " +
				"(--threshold P; \"lotse test --curve\" shows what each gives), or add out_of_scope examples like the messages it should not answer"},
		{"ten questions", noOOS, train.Report{Examples: 10, NoThreshold: train.NoThresholdFewExamples}, false,
			"too few examples to choose one: the rejection budget, 2% of the 10 in-scope examples held out, is less than one, " +
				"so every message the out-of-scope class does not win is answered, gibberish included. " +
				"Add examples (two or three phrasings a question, and out_of_scope examples), or train with --reject-budget 0.1"},
		// A FAQ CSV is told how it writes a phrasing.
		{"ten FAQ rows", csv, train.Report{Examples: 10, NoThreshold: train.NoThresholdFewExamples}, false,
			"too few examples to choose one: the rejection budget, 2% of the 10 in-scope examples held out, is less than one, " +
				"so every message the out-of-scope class does not win is answered, gibberish included. " +
				"Add examples (two or three phrasings a question, as rows with the same answer, and out_of_scope examples), or train with --reject-budget 0.1"},
		{"ten questions, in serve", noOOS, train.Report{Examples: 10, NoThreshold: train.NoThresholdFewExamples}, true,
			"too few examples to choose one: the rejection budget, 2% of the 10 in-scope examples held out, is less than one, " +
				"so every message the out-of-scope class does not win is answered, gibberish included. " +
				"Add examples (two or three phrasings a question, and out_of_scope examples)"},
		{"the class takes the budget, in serve", withOOS, train.Report{NoThreshold: train.NoThresholdOOSClass}, true,
			"the out-of-scope class already hands off 2% of the held-out in-scope examples, the whole rejection budget, " +
				"so only messages like the out_of_scope examples are handed off, and unsure answers are given. " +
				"To hand those off too, add out_of_scope examples like the messages it should not answer"},
		{"one question", withOOS, train.Report{Examples: 2, NoThreshold: train.NoThresholdFewExamples}, false,
			"too few examples to choose one: the rejection budget, 2% of the 1 in-scope example held out, is less than one, " +
				"so every message the out-of-scope class does not win is answered, gibberish included. " +
				"Add examples (two or three phrasings a question)"},
	} {
		if got := noThresholdText(tc.b, &tc.rep, 0.02, !tc.noFlag); got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// TestAccuracyText checks that a cross-validated accuracy that cannot be
// measured (one example an intent) is not printed as 0.000.
func TestAccuracyText(t *testing.T) {
	one := []bot.Intent{{Name: "a", Examples: []string{"x"}}, {Name: "b", Examples: []string{"y"}}}
	two := []bot.Intent{{Name: "a", Examples: []string{"x", "xx"}}, {Name: "b", Examples: []string{"y"}}}
	for _, tc := range []struct {
		b    *bot.Bot
		want string
	}{
		{&bot.Bot{Intents: two}, "0.500"},
		{&bot.Bot{Intents: one, Source: bot.SourceCSV}, "not measurable (every question has one phrasing, so a held-out one has none left to learn from; add a second phrasing to some: a row with the same answer)"},
		{&bot.Bot{Intents: one}, "not measurable (every intent has one example, so a held-out one has none left to learn from; add a second phrasing to some)"},
	} {
		if got := accuracyText(tc.b, &train.Report{CVAccuracy: 0.5}); got != tc.want {
			t.Errorf("accuracyText = %q, want %q", got, tc.want)
		}
	}
}

// TestTrainDetectsLanguage trains a German FAQ without a lang column: the
// model is German, and the author is told so and how to say otherwise.
func TestTrainDetectsLanguage(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "faq.csv")
	if err := os.WriteFile(csv, []byte("question,answer\nWie ändere ich meine Adresse?,In der App unter Profil.\n"+
		"Wann muss ich die Rechnung bezahlen?,Innerhalb von 30 Tagen.\nKann ich in Raten zahlen?,Ja.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "train", csv, "-o", filepath.Join(dir, "faq.lotse"), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "lotse train: note: no language given; the questions read as German (de): add a lang column to say otherwise\n"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant %q", stderr, want)
	}
	var rep struct {
		Language string `json:"language"`
		Detected bool   `json:"language_detected"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Language != "de" || !rep.Detected {
		t.Errorf("report %s (%v), want language de, detected", stdout, err)
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

func TestChitchatWarning(t *testing.T) {
	intent := func(examples ...string) bot.Intent { return bot.Intent{Name: "x", Examples: examples} }
	tests := []struct {
		name    string
		langs   []string
		intents []bot.Intent
		want    string // in the warning; "" for none
	}{
		{"both", []string{"en"}, []bot.Intent{intent("Hello!", "hi there"), intent("thank you so much")}, ""},
		{"German", []string{"de"}, []bot.Intent{intent("Guten Tag"), intent("super, danke dir")}, ""},
		{"none", []string{"en"}, []bot.Intent{intent("where is my refund")}, "no intent has greetings or thanks"},
		{"no thanks", []string{"de", "en"}, []bot.Intent{intent("moin")}, `no intent has thanks ("thanks")`},
		{"no greetings", []string{"en"}, []bot.Intent{intent("thx")}, `no intent has greetings ("hello")`},
		// Inside a longer question a greeting is not the intent's point.
		{"long", []string{"en"}, []bot.Intent{intent("hi, my card is lost", "thanks but where is my refund")},
			"no intent has greetings or thanks"},
		// Whole words only: "this" holds "hi", "they" "hey".
		{"words", []string{"en"}, []bot.Intent{intent("this they", "tyre")}, "no intent has greetings or thanks"},
		// No phrases for French: nothing to say.
		{"French", []string{"fr"}, []bot.Intent{intent("où est mon remboursement")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := chitchatWarning(&bot.Bot{Languages: tt.langs, Intents: tt.intents, Source: bot.SourceBotYAML})
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("chitchatWarning = %q, want one containing %q", got, tt.want)
			}
		})
	}
}

func TestTrainWarnings(t *testing.T) {
	tests := []struct {
		bot      string
		warnings int
		want     []string // in stderr, in order
	}{
		// Ten questions, no out_of_scope examples: too few for a threshold.
		// Nor greetings or thanks.
		{"../../testdata/bots/faq.csv", 2, []string{"warning: the bot hands no message off as out of scope",
			"Give each question two or three phrasings, as rows with the same answer", "write the bot as a bot.yaml",
			`warning: no intent has greetings or thanks ("hello", "thanks") among its examples`,
			`add a row for each, its question such as "hello" or "thanks"`}},
		// Rasa NLU data has no answers; this one has greetings, no thanks.
		{"../../testdata/bots/demo-rasa", 2, []string{"warning: 6 of 6 intents have no answer (greet, goodbye, faq_payment_due_date and 3 more)",
			`warning: no intent has thanks ("thanks") among its examples`, "as the demo bot's thanks"}},
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
