package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/eval"
	"github.com/lotse-chat/lotse/internal/modelfile"
)

func runTest(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("test", "--model MODEL.lotse --data TEST.jsonl [--json] [--report FILE.html] [--curve] [--engine wasm|native]\n\n"+
		"Replies to every message of a test file and prints the metrics of DESIGN.md:\n"+
		"in_scope_accuracy, oos_recall, oos_precision, wrong_answer_rate, deflection,\n"+
		"pii_recall, pii_false_positive_rate, p50_us, p99_us and the engine that ran.\n"+
		"Rates with nothing to count (no out-of-scope lines, say) are null in JSON.\n"+
		"--model takes a model file made by \"lotse train\", not a bot file.\n"+
		"--curve also replies with the threshold at 0 and prints what each threshold\n"+
		"would give (in-scope accuracy, out-of-scope recall, wrong answers), and the\n"+
		"best in-scope accuracy any threshold reaches at each out-of-scope recall:\n"+
		"chosen on the test file, so a bound, not an operating point.\n"+
		"The test file has one JSON object a line:\n"+
		`  {"text": "...", "expect": "<intent>" | "out_of_scope", "pii": ["iban"], "spans": [...], "lang": "de"}`, stdout, stderr)
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
	case *data == "":
		return usageError(fs, "no test file given; pass --data TEST.jsonl")
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
	if unknown := unknownIntents(cases, e.Info()); len(unknown) > 0 {
		fmt.Fprintf(warn, "lotse test: warning: %s expects %s, which %s has no intent of (misspelt?); those lines count as wrong answers\n",
			dataPath, listNames(unknown, 5), modelPath)
	}
	res, err := eval.Run(e, cases)
	if err != nil || !curve {
		return res, err
	}
	res.Curve, err = sweep(engineName, model, cases)
	return res, err
}

// unknownIntents lists, once each, the intents the cases expect that the
// model does not have: a misspelt name in a test file would otherwise
// only count as a wrong answer.
func unknownIntents(cases []eval.Case, info lotse.Info) []string {
	known := map[string]bool{"": true, eval.OutOfScope: true}
	for _, in := range info.Intents {
		known[in.Name] = true
	}
	var out []string
	for _, c := range cases {
		if !known[c.Expect] {
			known[c.Expect] = true
			out = append(out, strconv.Quote(c.Expect))
		}
	}
	return out
}

// sweep measures the trade-off curve: the model with its threshold at 0
// replies to every case, and eval.Sweep applies each threshold.
func sweep(engineName string, model []byte, cases []eval.Case) (*eval.Curve, error) {
	f, err := modelfile.Decode(model)
	if err != nil {
		return nil, fmt.Errorf("lotse: load model: %w", err)
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
		return fmt.Errorf("writing report: %w", err)
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
