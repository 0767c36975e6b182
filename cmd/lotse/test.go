package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/eval"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/internal/wording"
	"github.com/lotse-chat/lotse/pii"
)

func runTest(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("test", "--model MODEL.lotse --data TEST.jsonl [--json] [--report FILE.html] [--curve] [--engine wasm|native]\n\n"+
		"Replies to every message of a test file and prints the metrics README.md\n"+
		"explains (\"For bot authors\"): in_scope_accuracy, oos_recall, oos_precision,\n"+
		"wrong_answer_rate, deflection, pii_recall, pii_false_positive_rate, p50_us,\n"+
		"p99_us and the engine that ran.\n"+
		"Rates with nothing to count (no out-of-scope lines, say) are null in JSON.\n"+
		"--model takes a model file made by \"lotse train\", not a bot file.\n"+
		"--curve also replies with the threshold at 0 and prints what each threshold\n"+
		"would give (in-scope accuracy, out-of-scope recall, wrong answers), and the\n"+
		"best in-scope accuracy any threshold reaches at each out-of-scope recall:\n"+
		"chosen on the test file, so a bound, not an operating point. To ship a\n"+
		"threshold P of the table, train with \"lotse train BOT -o MODEL --threshold P\".\n"+
		"--report refuses to overwrite a file that is not an earlier report.\n"+
		"The test file has one JSON object a line:\n"+
		`  {"text": "...", "expect": "<intent>" | "out_of_scope", "pii": ["iban"], "spans": [...], "lang": "de"}`+"\n"+
		"pii kinds: "+piiKinds(), stdout, stderr)
	model := fs.String("model", "", "model file (.lotse) to test (required)")
	data := fs.String("data", "", "test file (.jsonl) (required)")
	asJSON := fs.Bool("json", false, "print the metrics as one JSON object")
	report := fs.String("report", "", "also write an HTML report (charts; message text redacted) to this file")
	curve := fs.Bool("curve", false, "also measure every threshold (the trade-off curve)")
	engineName := fs.String("engine", engineWasm, "engine to run: wasm (the shipped WASI module in wazero) or native (in-process Go)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageError(fs, "unexpected argument %q; give the files with --model and --data", pos[0])
	case *model == "":
		return usageError(fs, "no model given; pass --model MODEL.lotse (made by \"lotse train BOT -o MODEL.lotse\")")
	case *data == "":
		return usageError(fs, "no test file given; pass --data TEST.jsonl")
	}
	// Refuse a --report that would destroy a file, or could not be
	// written, before replying to every message rather than after.
	if *report != "" {
		if err := checkReport(*report, *model, *data); err != nil {
			return err
		}
	}
	res, err := testModel(*model, *data, *engineName, *curve, stderr)
	if err != nil {
		return err
	}
	if *report != "" {
		if err := writeReport(*report, res, *data); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "%s on %s\n", *model, *data)
	res.Summary(stdout)
	if res.Curve != nil {
		res.Curve.Summary(stdout)
		fmt.Fprintln(stdout, curveHint)
	}
	if *report != "" {
		fmt.Fprintf(stdout, "report: %s\n", *report)
	}
	return nil
}

// testModel runs the test file through the model file on the named engine,
// and measures the threshold's trade-off curve when curve is set. Warnings
// about the test file go to warn.
func testModel(modelPath, dataPath, engineName string, curve bool, warn io.Writer) (*eval.Result, error) {
	model, err := readModel(modelPath)
	if err != nil {
		return nil, err
	}
	cases, err := readTestFile(dataPath)
	if err != nil {
		return nil, err
	}
	e, closer, err := openEngine(engineName, model)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	for _, w := range caseWarnings(cases, e.Info(), dataPath, modelPath) {
		fmt.Fprintf(warn, "lotse test: warning: %s\n", w)
	}
	res, err := eval.Run(e, cases)
	if err != nil || !curve {
		return res, err
	}
	res.Curve, err = sweep(engineName, model, cases)
	return res, err
}

// caseWarnings warns, once for each value, about test lines the model
// cannot pass however well it does: an expected intent it does not have
// (misspelt?), which would only count as a wrong answer, and a lang it
// does not speak. Each warning names the first such line and suggests the
// name meant.
func caseWarnings(cases []eval.Case, info lotse.Info, dataPath, modelPath string) []string {
	names := []string{eval.OutOfScope}
	for _, in := range info.Intents {
		names = append(names, in.Name)
	}
	type first struct{ line, count int }
	unknown := map[string]*first{}
	var order []string
	langs := map[string]*first{}
	var langOrder []string
	for _, c := range cases {
		if c.Expect != "" && !slices.Contains(names, c.Expect) {
			if unknown[c.Expect] == nil {
				unknown[c.Expect] = &first{line: c.Line}
				order = append(order, c.Expect)
			}
			unknown[c.Expect].count++
		}
		if c.Lang != "" && !slices.Contains(info.Languages, c.Lang) {
			if langs[c.Lang] == nil {
				langs[c.Lang] = &first{line: c.Line}
				langOrder = append(langOrder, c.Lang)
			}
			langs[c.Lang].count++
		}
	}
	var ws []string
	for _, name := range order {
		f := unknown[name]
		w := fmt.Sprintf("%s:%d: expect %q: %s has no such intent", dataPath, f.line, name, modelPath)
		if s := wording.Closest(name, names); s != "" {
			w += fmt.Sprintf("; did you mean %q?", s)
		}
		if f.count == 1 {
			w += " (1 line, counted as a wrong answer)"
		} else {
			w += fmt.Sprintf(" (%d lines, counted as wrong answers)", f.count)
		}
		ws = append(ws, w)
	}
	for _, lang := range langOrder {
		f := langs[lang]
		ws = append(ws, fmt.Sprintf("%s:%d: lang %q: %s speaks %s only, so lang_accuracy counts such lines as misses (%s); check the code",
			dataPath, f.line, lang, modelPath, strings.Join(info.Languages, " and "), wording.Plural(f.count, "line")))
	}
	return ws
}

// piiKinds lists the personal-data kinds a test file may name.
func piiKinds() string {
	var ks []string
	for _, k := range pii.Kinds {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

// checkReport checks, before testing, that the report can be written to
// path and that writing it destroys nothing but an earlier report: an
// existing, non-empty file there must be one (eval.IsReport), and neither
// the model nor the test file.
func checkReport(path, model, data string) error {
	fi, err := target(path, "--report", "report", "report file")
	if err != nil || fi == nil {
		return err
	}
	switch {
	case fi.IsDir():
		return fmt.Errorf("--report %s is a directory; give a file name such as %s", path, filepath.Join(path, "report.html"))
	case samePath(path, model):
		return fmt.Errorf("--report %s is the model being tested; writing the report there would overwrite it: choose another --report, such as report.html", path)
	case samePath(path, data):
		return fmt.Errorf("--report %s is the test file; writing the report there would overwrite it: choose another --report, such as report.html", path)
	case fi.Size() == 0:
		return nil
	}
	head, err := readPrefix(path, eval.ReportMarkerWithin)
	if err != nil {
		return describeFileError("report file", path, err, "")
	}
	if !eval.IsReport(head) {
		return fmt.Errorf("%s exists and is not a Lotse test report (is it a bot, test or model file?); writing the report there would overwrite it: choose another --report, such as report.html, or delete %s first if you mean to replace it", path, path)
	}
	return nil
}

// curveHint, under the trade-off table, says how to train with one of its
// thresholds: without it authors reached for --reject-budget, which on a
// bot whose out-of-scope class takes the budget changes nothing.
const curveHint = "to use a threshold: lotse train BOT -o MODEL --threshold P"

// sweep measures the trade-off curve: the model with its threshold at 0
// replies to every case, and eval.Sweep applies each threshold.
func sweep(engineName string, model []byte, cases []eval.Case) (*eval.Curve, error) {
	f, err := modelfile.Decode(model) // readModel checked it
	if err != nil {
		return nil, err
	}
	threshold := f.Threshold
	f.Threshold = 0
	e, closer, err := openEngine(engineName, modelfile.Encode(f))
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return eval.Sweep(e, cases, float64(threshold))
}

func writeReport(path string, res *eval.Result, title string) error {
	f, err := os.Create(path)
	if err != nil {
		return describeFileError("writing report", path, err, "")
	}
	w := bufio.NewWriter(f)
	err = res.WriteHTML(w, title)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing report %s: %w", path, err)
	}
	return nil
}
