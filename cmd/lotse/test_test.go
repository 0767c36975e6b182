package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/eval"
)

// designKeys are the metric keys of DESIGN.md ("Test file and metrics").
var designKeys = []string{"in_scope_accuracy", "oos_recall", "oos_precision", "wrong_answer_rate", "deflection",
	"pii_recall", "pii_false_positive_rate", "p50_us", "p99_us", "engine"}

func TestTestEndToEnd(t *testing.T) {
	model := trainDemo(t)
	report := filepath.Join(t.TempDir(), "report.html")
	code, stdout, stderr := cli(t, "test", "--engine", "native", "--model", model,
		"--data", "../../testdata/bots/demo/test.jsonl", "--json", "--report", report, "--curve")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("%v in %s", err, stdout)
	}
	for _, k := range designKeys {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	// The demo test file has in-scope, out-of-scope and "pii": [] lines,
	// so these rates are all defined.
	for _, k := range []string{"in_scope_accuracy", "oos_recall", "oos_precision", "wrong_answer_rate", "deflection", "pii_false_positive_rate"} {
		v, ok := m[k].(float64)
		if !ok || v < 0 || v > 1 {
			t.Errorf("%s = %v, want a number in [0,1]", k, m[k])
		}
	}
	if m["engine"] != "native" {
		t.Errorf("engine = %v", m["engine"])
	}
	if p50, p99 := m["p50_us"].(float64), m["p99_us"].(float64); p50 <= 0 || p99 < p50 {
		t.Errorf("p50_us %v, p99_us %v", p50, p99)
	}
	for _, k := range []string{"per_intent", "confused", "confidence_histogram", "calibration", "ece"} {
		if _, ok := m[k]; !ok {
			t.Errorf("extra key %q missing", k)
		}
	}
	curve, _ := m["curve"].(map[string]any)
	if points, _ := curve["points"].([]any); len(points) < 10 {
		t.Errorf("curve = %v, want ten points or more", m["curve"])
	}
	html, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"per-intent-chart", "confused-chart", "confidence-histogram", "calibration-chart"} {
		if !strings.Contains(string(html), `id="`+id+`"`) {
			t.Errorf("report lacks %s", id)
		}
	}

	// The readable form names the metrics.
	code, stdout, stderr = cli(t, "test", "--engine", "native", "--model", model, "--data", "../../testdata/bots/demo/test.jsonl", "--curve")
	if code != 0 || !strings.Contains(stdout, "in_scope_accuracy") || !strings.Contains(stdout, "engine native") ||
		!strings.Contains(stdout, "trade-off by threshold") {
		t.Errorf("exit %d:\n%s%s", code, stdout, stderr)
	}
	// Under the table, how to train with one of its thresholds.
	if !strings.HasSuffix(stdout, "\nto use a threshold: lotse train BOT -o MODEL --threshold P\n") {
		t.Errorf("the curve does not end with how to use a threshold:\n%s", stdout)
	}
	if _, stdout, _ := cli(t, "test", "--engine", "native", "--model", model, "--data", "../../testdata/bots/demo/test.jsonl"); strings.Contains(stdout, "--threshold") {
		t.Errorf("without --curve, the output tells how to use a threshold:\n%s", stdout)
	}
}

// TestTestReportRedactsPII runs the personal-data set and requires that
// no labelled personal data appears in the report.
func TestTestReportRedactsPII(t *testing.T) {
	const data = "../../testdata/pii/test.jsonl"
	cases, err := eval.ReadCases(data)
	if err != nil {
		t.Fatal(err)
	}
	model := trainDemo(t)
	report := filepath.Join(t.TempDir(), "pii.html")
	code, stdout, stderr := cli(t, "test", "--engine", "native", "--model", model, "--data", data, "--report", report)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "personal data per kind") {
		t.Errorf("summary lacks the per-kind scores:\n%s", stdout)
	}
	html, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "<td>") || !strings.Contains(string(html), `id="pii-chart"`) {
		t.Fatal("report has no tables or no personal-data chart")
	}
	spans := 0
	for _, c := range cases {
		for _, s := range c.Spans {
			spans++
			if v := c.Text[s.Start:s.End]; strings.Contains(string(html), v) {
				t.Errorf("line %d: report contains %s value %q", c.Line, s.Kind, v)
			}
		}
	}
	if spans < 100 {
		t.Errorf("only %d labelled spans in %s; the test proves little", spans, data)
	}
}

// TestTestEngineSelection checks that --engine wasm goes through
// newWasmEngine and that the metrics name the engine that ran.
func TestTestEngineSelection(t *testing.T) {
	model := trainDemo(t)
	saved := newWasmEngine
	defer func() { newWasmEngine = saved }()
	called := false
	newWasmEngine = func(data []byte) (eval.Engine, io.Closer, error) {
		called = true
		m, err := lotse.Load(data) // stands in for the module: only the wiring is under test
		return eval.Native(m), nopCloser{}, err
	}
	// wasm is the default.
	code, stdout, stderr := cli(t, "test", "--model", model, "--data", "../../testdata/bots/demo/test.jsonl", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var m struct{ Engine string }
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatal(err)
	}
	if !called || m.Engine != "wasm" {
		t.Errorf("newWasmEngine called %v, engine %q; want the wasm engine by default", called, m.Engine)
	}

	code, _, stderr = cli(t, "test", "--engine", "jvm", "--model", model, "--data", "../../testdata/bots/demo/test.jsonl")
	if code != 1 || !strings.Contains(stderr, `unknown engine "jvm"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestCaseWarnings checks the warnings about test lines no model answer
// can pass: each names its first line and, for a misspelt intent, the
// intent meant.
func TestCaseWarnings(t *testing.T) {
	info := lotse.Info{Languages: []string{"de", "en"},
		Intents: []lotse.IntentInfo{{Name: "greeting"}, {Name: "refund_status"}}}
	cases := []eval.Case{
		{Text: "hi", Expect: "greeting", Line: 1},
		{Text: "weather?", Expect: eval.OutOfScope, Line: 2},
		{Text: "my IBAN ...", Expect: "", Line: 3}, // a personal-data line
		{Text: "where is my money", Expect: "refund_stauts", Line: 4},
		{Text: "refund?", Expect: "refund_stauts", Line: 6},
		{Text: "hello", Expect: "Greeting", Lang: "en", Line: 7},
		{Text: "what now", Expect: "out-of-scope", Line: 8},
		{Text: "bonjour", Expect: "greeting", Lang: "fr", Line: 9},
		{Text: "xyz", Expect: "launch_rocket", Line: 10},
	}
	got := caseWarnings(cases, info, "t.jsonl", "m.lotse")
	want := []string{
		`t.jsonl:4: expect "refund_stauts": m.lotse has no such intent; did you mean "refund_status"? (2 lines, counted as wrong answers)`,
		`t.jsonl:7: expect "Greeting": m.lotse has no such intent; did you mean "greeting"? (1 line, counted as a wrong answer)`,
		`t.jsonl:8: expect "out-of-scope": m.lotse has no such intent; did you mean "out_of_scope"? (1 line, counted as a wrong answer)`,
		`t.jsonl:10: expect "launch_rocket": m.lotse has no such intent (1 line, counted as a wrong answer)`,
		`t.jsonl:9: lang "fr": m.lotse speaks de and en only, so lang_accuracy counts such lines as misses (1 line); check the code`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("caseWarnings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTestReportRefuses checks that --report overwrites only an earlier
// report (or an empty file), and that a report that cannot be written is
// refused before any message is replied to, leaving every file as it was.
func TestTestReportRefuses(t *testing.T) {
	dir := t.TempDir()
	model := trainFAQ(t, dir)
	data := filepath.Join(dir, "t.jsonl")
	if err := os.WriteFile(data, []byte(`{"text": "how do I return an item", "expect": "out_of_scope"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bot := filepath.Join(dir, "bot.yaml")
	copyFile(t, demoBot, bot)
	before := snapshot(t, dir)
	notReport := "exists and is not a Lotse test report (is it a bot, test or model file?); writing the report there would overwrite it: choose another --report, such as report.html, or delete "
	for _, tt := range []struct{ name, report, want string }{
		{"the bot file", bot, "lotse test: " + bot + " " + notReport + bot + " first if you mean to replace it\n"},
		{"the model", model, "lotse test: --report " + model + " is the model being tested; writing the report there would overwrite it"},
		{"the test file", data, "lotse test: --report " + data + " is the test file"},
		{"a missing directory", filepath.Join(dir, "nope", "r.html"), "lotse test: report directory " + filepath.Join(dir, "nope") + " does not exist; create it first or choose another --report\n"},
		{"a directory", dir, "lotse test: --report " + dir + " is a directory; give a file name such as " + filepath.Join(dir, "report.html")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, "test", "--engine", "native", "--model", model, "--data", data, "--report", tt.report)
			if code != 1 || stdout != "" || !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1, no metrics and %q", code, stdout, stderr, tt.want)
			}
		})
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("files changed: before %d files, after %d", len(before), len(after))
	}
	// An earlier report, and an empty file, are replaced.
	report := filepath.Join(dir, "r.html")
	if err := os.WriteFile(report, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if code, _, stderr := cli(t, "test", "--engine", "native", "--model", model, "--data", data, "--report", report); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr)
		}
	}
}
