package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lotse-chat/lotse/lexicon"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/eval"
	"github.com/lotse-chat/lotse/pii"
	"github.com/lotse-chat/lotse/train"
)

// A benchmark trains one or more models from testdata and measures them.
type benchmark struct {
	key   string // for --only
	title string
	run   func(b *bencher) ([]benchRow, error)
}

// benchmarks in output order.
var benchmarks = []benchmark{
	{"clinc150", "CLINC150 full (150 intents + out-of-scope)", benchCLINC},
	{"banking77", "Banking77 (77 intents)", benchSimple("banking77", "Banking77")},
	{"banking77-10shot", "Banking77, 10 examples an intent (5 seeded samples)", benchFewShot},
	{"hwu64", "HWU64 (folds 1-9 train, fold 10 test)", benchSimple("hwu64", "HWU64")},
	{"demo", "demo help desk (de/en, held-out paraphrases)", benchDemo},
	{"demo-crosslang", "demo, examples in one language, tests in the other", benchCrossLang},
	{"pii", "personal data (testdata/pii through the demo model)", benchPII},
}

// fewShot is the examples an intent of the few-shot benchmark, and
// fewShotSeeds the samples whose results are averaged.
const (
	fewShot      = 10
	fewShotSeeds = 5
)

// benchRow is one line of the results table: one model on one test file
// (or, for the few-shot benchmark, the mean over the samples).
type benchRow struct {
	Benchmark string `json:"benchmark"`
	Split     string `json:"split"`
	// Skipped says why the benchmark did not run (data missing).
	Skipped         string         `json:"skipped,omitempty"`
	Messages        int            `json:"messages,omitempty"`
	InScopeAccuracy eval.Value     `json:"in_scope_accuracy"`
	InScopeMin      *eval.Value    `json:"in_scope_accuracy_min,omitempty"`
	OOSRecall       eval.Value     `json:"oos_recall"`
	OOSPrecision    eval.Value     `json:"oos_precision"`
	WrongAnswerRate eval.Value     `json:"wrong_answer_rate"`
	ECE             eval.Value     `json:"ece"`
	TrainSeconds    float64        `json:"train_seconds,omitempty"`
	ModelBytes      int            `json:"model_bytes,omitempty"`
	ModelGzipBytes  int            `json:"model_gzip_bytes,omitempty"`
	Latency         []benchLatency `json:"latency,omitempty"`
	// Personal data (the pii benchmark).
	PIIRecall            eval.Value `json:"pii_recall"`
	PIIFalsePositiveRate eval.Value `json:"pii_false_positive_rate"`
	PIIPerKind           []piiKind  `json:"pii_per_kind,omitempty"`
	Peers                []peer     `json:"peers,omitempty"`
}

// benchLatency is the reply latency of one engine.
type benchLatency struct {
	Engine string  `json:"engine"`
	P50US  float64 `json:"p50_us"`
	P99US  float64 `json:"p99_us"`
}

type piiKind struct {
	Kind      pii.Kind   `json:"kind"`
	Precision eval.Value `json:"precision"`
	Recall    eval.Value `json:"recall"`
}

// bencher holds what the benchmarks share: the data directory, the engines
// to run, trained models (so that the pii benchmark reuses the demo model)
// and where progress goes.
type bencher struct {
	dir      string
	engines  []string
	progress io.Writer
	models   map[string]*trained
}

// trained is a model trained during the run.
type trained struct {
	model    []byte
	duration time.Duration
	gzip     int
}

func runBench(args []string, stdout, stderr io.Writer) error {
	var keys []string
	for _, b := range benchmarks {
		keys = append(keys, b.key)
	}
	fset := newFlags("bench", "[--data testdata] [--only NAME,...] [--json] [--engine native|wasm|native,wasm]\n\n"+
		"Trains and tests every benchmark found under the data directory and prints a\n"+
		"Markdown table of in-scope accuracy, out-of-scope recall, training time, model\n"+
		"size (raw and gzip), reply latency p50/p99 and calibration error (ECE), beside\n"+
		"the peers' figures from PEERS.md. Missing benchmarks are listed as skipped.\n"+
		"Benchmarks: "+strings.Join(keys, ", ")+".\n"+
		"Progress goes to standard error. Expect a few minutes on two cores.", stdout, stderr)
	dir := fset.String("data", "testdata", "directory holding the benchmarks (clinc150/, banking77/, hwu64/, bots/demo/, pii/)")
	only := fset.String("only", "", "comma-separated benchmarks to run (default: all)")
	asJSON := fset.Bool("json", false, "print the results as JSON")
	engines := fset.String("engine", engineNative, "engines to measure, comma-separated (native, wasm); accuracy comes from the first")
	pos, err := parseInterspersed(fset, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError(fset, "unexpected argument %q", pos[0])
	}
	run := benchmarks
	if *only != "" {
		run = nil
		for _, k := range strings.Split(*only, ",") {
			i := slices.IndexFunc(benchmarks, func(b benchmark) bool { return b.key == strings.TrimSpace(k) })
			if i < 0 {
				return usageError(fset, "unknown benchmark %q; choose from %s", k, strings.Join(keys, ", "))
			}
			run = append(run, benchmarks[i])
		}
	}
	b := &bencher{dir: *dir, progress: stderr, models: map[string]*trained{}}
	for _, e := range strings.Split(*engines, ",") {
		e = strings.TrimSpace(e)
		if e != engineNative && e != engineWasm {
			return usageError(fset, "unknown engine %q; use native, wasm or native,wasm", e)
		}
		b.engines = append(b.engines, e)
	}
	var rows []benchRow
	start := time.Now()
	for _, bm := range run {
		fmt.Fprintf(stderr, "bench: %s\n", bm.title)
		r, err := bm.run(b)
		var skip *skipError
		switch {
		case errors.As(err, &skip):
			r = []benchRow{{Benchmark: bm.key, Skipped: skip.reason}}
		case err != nil:
			return fmt.Errorf("%s: %w", bm.key, err)
		}
		for i := range r {
			r[i].Peers = peersOf(r[i].Benchmark, r[i].Split)
		}
		rows = append(rows, r...)
	}
	fmt.Fprintf(stderr, "bench: done in %s\n", time.Since(start).Round(time.Second))
	if *asJSON {
		return writeJSON(stdout, rows)
	}
	writeBenchMarkdown(stdout, rows, b.engines)
	return nil
}

// skipError marks a benchmark whose data is missing.
type skipError struct{ reason string }

func (e *skipError) Error() string { return e.reason }

// need checks that the benchmark's files exist under the data directory
// and returns their paths.
func (b *bencher) need(files ...string) ([]string, error) {
	var paths []string
	for _, f := range files {
		p := filepath.Join(b.dir, f)
		if _, err := os.Stat(p); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &skipError{fmt.Sprintf("%s not found (the benchmarks are made by \"go run ./internal/convert\"; see testdata/README.md)", p)}
			}
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// train trains the bot (cached by key) and reports its time and size.
func (b *bencher) train(key string, bt *bot.Bot) (*trained, error) {
	return b.trainWith(key, bt, train.Options{})
}

// trainWith is train with options.
func (b *bencher) trainWith(key string, bt *bot.Bot, opts train.Options) (*trained, error) {
	if t := b.models[key]; t != nil {
		return t, nil
	}
	fmt.Fprintf(b.progress, "bench:   training %s (%d intents)\n", key, len(bt.Intents))
	start := time.Now()
	model, _, err := train.Train(bt, opts)
	if err != nil {
		return nil, fmt.Errorf("training %s: %w", key, err)
	}
	t := &trained{model: model, duration: time.Since(start), gzip: gzipSize(model)}
	b.models[key] = t
	return t, nil
}

// trainFile loads and trains a bot file.
func (b *bencher) trainFile(path string) (*trained, error) {
	if t := b.models[path]; t != nil {
		return t, nil
	}
	bt, err := bot.Load(path)
	if err != nil {
		return nil, err
	}
	return b.train(path, bt)
}

// test runs the test file through the model on every engine; the first
// engine's metrics fill the row.
func (b *bencher) test(t *trained, benchKey, split, data string) (benchRow, *eval.Result, error) {
	row := benchRow{Benchmark: benchKey, Split: split, TrainSeconds: t.duration.Seconds(),
		ModelBytes: len(t.model), ModelGzipBytes: t.gzip}
	cases, err := readTestFile(data)
	if err != nil {
		return row, nil, err
	}
	var first *eval.Result
	for _, name := range b.engines {
		fmt.Fprintf(b.progress, "bench:   testing %s on %s (%s)\n", benchKey, data, name)
		e, closer, err := openEngine(name, t.model)
		if err != nil {
			return row, nil, err
		}
		res, err := eval.Run(e, cases)
		closer.Close()
		if err != nil {
			return row, nil, fmt.Errorf("%s: %w", data, err)
		}
		row.Latency = append(row.Latency, benchLatency{name, res.P50US, res.P99US})
		if first == nil {
			first = res
		}
	}
	row.Messages = first.Messages
	row.InScopeAccuracy = first.InScopeAccuracy.Value()
	row.OOSRecall = first.OOSRecall.Value()
	row.OOSPrecision = first.OOSPrecision.Value()
	row.WrongAnswerRate = first.WrongAnswerRate.Value()
	row.ECE = first.ECE
	row.PIIRecall = first.PIIRecall.Value()
	row.PIIFalsePositiveRate = first.PIIFalsePositiveRate.Value()
	return row, first, nil
}

func benchCLINC(b *bencher) ([]benchRow, error) {
	paths, err := b.need("clinc150/bot.yaml", "clinc150/test.jsonl")
	if err != nil {
		return nil, err
	}
	t, err := b.trainFile(paths[0])
	if err != nil {
		return nil, err
	}
	row, _, err := b.test(t, "clinc150", "test", paths[1])
	if err != nil {
		return nil, err
	}
	rows := []benchRow{row}
	if val, err := b.need("clinc150/val.jsonl"); err == nil {
		row, _, err := b.test(t, "clinc150", "val", val[0])
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// benchSimple is a benchmark of one bot.yaml and one test.jsonl.
func benchSimple(key, name string) func(*bencher) ([]benchRow, error) {
	return func(b *bencher) ([]benchRow, error) {
		paths, err := b.need(key+"/bot.yaml", key+"/test.jsonl")
		if err != nil {
			return nil, err
		}
		t, err := b.trainFile(paths[0])
		if err != nil {
			return nil, err
		}
		split := "test"
		if key == "hwu64" {
			split = "fold 10"
		}
		row, _, err := b.test(t, key, split, paths[1])
		return []benchRow{row}, err
	}
}

// benchFewShot trains Banking77 on fewShot examples an intent, sampled
// with seeds 0 to fewShotSeeds-1, tests each on the full test split and
// reports the mean (and the minimum) of the samples.
func benchFewShot(b *bencher) ([]benchRow, error) {
	paths, err := b.need("banking77/bot.yaml", "banking77/test.jsonl")
	if err != nil {
		return nil, err
	}
	full, err := bot.Load(paths[0])
	if err != nil {
		return nil, err
	}
	var rows []benchRow
	for seed := range uint64(fewShotSeeds) {
		t, err := b.train(fmt.Sprintf("banking77 %d-shot seed %d", fewShot, seed), sampleBot(full, fewShot, seed))
		if err != nil {
			return nil, err
		}
		row, _, err := b.test(t, "banking77-10shot", "", paths[1])
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return []benchRow{meanRow(rows, fmt.Sprintf("test, mean of %d samples", fewShotSeeds))}, nil
}

// sampleBot returns a copy of b with at most n examples an intent, chosen
// by a PCG generator seeded with seed (the examples keep their order).
func sampleBot(b *bot.Bot, n int, seed uint64) *bot.Bot {
	r := rand.New(rand.NewPCG(seed, 0))
	s := *b
	s.Intents = make([]bot.Intent, len(b.Intents))
	for i, in := range b.Intents {
		s.Intents[i] = in
		if len(in.Examples) <= n {
			continue
		}
		idx := r.Perm(len(in.Examples))[:n]
		slices.Sort(idx)
		s.Intents[i].Examples = make([]string, n)
		for j, k := range idx {
			s.Intents[i].Examples[j] = in.Examples[k]
		}
	}
	return &s
}

// meanRow averages the rows' figures; InScopeMin keeps the worst sample.
func meanRow(rows []benchRow, split string) benchRow {
	m := benchRow{Benchmark: rows[0].Benchmark, Split: split, Messages: rows[0].Messages}
	mean := func(get func(benchRow) eval.Value) eval.Value {
		sum := 0.0
		for _, r := range rows {
			v := get(r)
			if !v.OK {
				return eval.Value{}
			}
			sum += v.V
		}
		return eval.Value{V: sum / float64(len(rows)), OK: true}
	}
	m.InScopeAccuracy = mean(func(r benchRow) eval.Value { return r.InScopeAccuracy })
	m.OOSRecall = mean(func(r benchRow) eval.Value { return r.OOSRecall })
	m.OOSPrecision = mean(func(r benchRow) eval.Value { return r.OOSPrecision })
	m.WrongAnswerRate = mean(func(r benchRow) eval.Value { return r.WrongAnswerRate })
	m.ECE = mean(func(r benchRow) eval.Value { return r.ECE })
	lo := rows[0].InScopeAccuracy
	for _, r := range rows {
		if r.InScopeAccuracy.V < lo.V {
			lo = r.InScopeAccuracy
		}
	}
	m.InScopeMin = &lo
	n := float64(len(rows))
	for i, l := range rows[0].Latency {
		sum := benchLatency{Engine: l.Engine}
		for _, r := range rows {
			sum.P50US += r.Latency[i].P50US / n
			sum.P99US += r.Latency[i].P99US / n
		}
		m.Latency = append(m.Latency, sum)
	}
	for _, r := range rows {
		m.TrainSeconds += r.TrainSeconds / n
		m.ModelBytes += r.ModelBytes
		m.ModelGzipBytes += r.ModelGzipBytes
	}
	m.ModelBytes /= len(rows)
	m.ModelGzipBytes /= len(rows)
	return m
}

func benchDemo(b *bencher) ([]benchRow, error) {
	paths, err := b.need("bots/demo/bot.yaml", "bots/demo/test.jsonl")
	if err != nil {
		return nil, err
	}
	t, err := b.trainFile(paths[0])
	if err != nil {
		return nil, err
	}
	row, _, err := b.test(t, "demo", "test (held-out paraphrases)", paths[1])
	return []benchRow{row}, err
}

// benchCrossLang trains on examples of one language and tests on the
// other, without and with the German-English dictionary (when installed).
func benchCrossLang(b *bencher) ([]benchRow, error) {
	lex, lexErr := lexicon.Load(lexicon.DefaultPath)
	var rows []benchRow
	for _, s := range []struct{ train, test, split string }{
		{"bots/demo/crosslang/bot.en.yaml", "bots/demo/crosslang/test.de.jsonl", "en examples, de tests"},
		{"bots/demo/crosslang/bot.de.yaml", "bots/demo/crosslang/test.en.jsonl", "de examples, en tests"},
	} {
		paths, err := b.need(s.train, s.test)
		if err != nil {
			return nil, err
		}
		bt, err := bot.Load(paths[0])
		if err != nil {
			return nil, err
		}
		for _, v := range []struct {
			suffix string
			opts   train.Options
		}{{"", train.Options{}}, {" + trans-de-en", train.Options{Lexicon: lex}}} {
			if v.opts.Lexicon == nil && v.suffix != "" {
				fmt.Fprintf(b.progress, "bench:   skipping %s%s: %v\n", s.split, v.suffix, lexErr)
				continue
			}
			t, err := b.trainWith(paths[0]+v.suffix, bt, v.opts)
			if err != nil {
				return nil, err
			}
			row, _, err := b.test(t, "demo-crosslang", s.split+v.suffix, paths[1])
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func benchPII(b *bencher) ([]benchRow, error) {
	paths, err := b.need("bots/demo/bot.yaml", "pii/test.jsonl")
	if err != nil {
		return nil, err
	}
	t, err := b.trainFile(paths[0])
	if err != nil {
		return nil, err
	}
	row, res, err := b.test(t, "pii", "test", paths[1])
	if err != nil {
		return nil, err
	}
	for _, k := range res.PIIPerKind {
		row.PIIPerKind = append(row.PIIPerKind, piiKind{k.Kind, k.Precision(), k.Recall()})
	}
	return []benchRow{row}, nil
}

// writeBenchMarkdown writes the results as Markdown tables: one row for
// Lotse and one for each peer per benchmark, then the personal-data table.
func writeBenchMarkdown(w io.Writer, rows []benchRow, engines []string) {
	lat := make([]string, len(engines))
	for i, e := range engines {
		lat[i] = "reply p50 / p99 (" + e + ")"
	}
	fmt.Fprintf(w, "| benchmark | system | in-scope accuracy | OOS recall | training | model (gzip) | %s | ECE |\n", strings.Join(lat, " | "))
	fmt.Fprintf(w, "| --- | --- | ---: | ---: | ---: | ---: | %s---: |\n", strings.Repeat("---: | ", len(engines)))
	var skipped []benchRow
	var piiRows []benchRow
	for _, r := range rows {
		if r.Skipped != "" {
			skipped = append(skipped, r)
			continue
		}
		if r.Benchmark == "pii" {
			piiRows = append(piiRows, r)
			continue
		}
		acc := r.InScopeAccuracy.String()
		if r.InScopeMin != nil {
			acc += " (min " + r.InScopeMin.String() + ")"
		}
		cells := []string{benchName(r), "**Lotse**", acc, r.OOSRecall.String(),
			fmt.Sprintf("%.1f s", r.TrainSeconds), fmt.Sprintf("%s (%s)", byteSize(r.ModelBytes), byteSize(r.ModelGzipBytes))}
		for _, e := range engines {
			cell := "-"
			for _, l := range r.Latency {
				if l.Engine == e {
					cell = fmt.Sprintf("%.1f / %.1f µs", l.P50US, l.P99US)
					// Timings are compared side by side in one run: the
					// ratio to the first engine is the figure to watch.
					if base := r.Latency[0]; l.Engine != base.Engine && base.P50US > 0 {
						cell += fmt.Sprintf(" (%.1f× %s)", l.P50US/base.P50US, base.Engine)
					}
				}
			}
			cells = append(cells, cell)
		}
		cells = append(cells, r.ECE.String())
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		for _, p := range r.Peers {
			cells := []string{"", p.System, p.Accuracy, p.OOSRecall, p.Train, p.Size, p.Latency}
			for range engines[1:] {
				cells = append(cells, "")
			}
			cells = append(cells, "")
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
	}
	for _, r := range piiRows {
		fmt.Fprintf(w, "\nPersonal data, %d messages of testdata/pii through the demo model: pii_recall %s, pii_false_positive_rate %s.\n\n",
			r.Messages, r.PIIRecall, r.PIIFalsePositiveRate)
		fmt.Fprintln(w, "| kind | precision | recall |\n| --- | ---: | ---: |")
		for _, k := range r.PIIPerKind {
			fmt.Fprintf(w, "| %s | %s | %s |\n", k.Kind, k.Precision, k.Recall)
		}
		fmt.Fprintln(w, "\nPublished anchor (PEERS.md, issue 3): Presidio, tuned, precision 0.87 / recall 0.84 on its own synthetic English set.")
	}
	if len(skipped) > 0 {
		fmt.Fprintln(w, "\nSkipped:")
		for _, r := range skipped {
			fmt.Fprintf(w, "- %s: %s\n", r.Benchmark, r.Skipped)
		}
	}
	fmt.Fprintln(w, "\nLotse rows: measured by `lotse bench` in this run (training time and latency on this machine; latency per single reply).")
	fmt.Fprintln(w, "Peer rows: figures from PEERS.md (measured there or published), not re-measured here.")
}

func benchName(r benchRow) string {
	names := map[string]string{"clinc150": "CLINC150", "banking77": "Banking77", "banking77-10shot": "Banking77 10-shot",
		"hwu64": "HWU64", "demo": "demo bot", "demo-crosslang": "demo cross-language", "pii": "personal data"}
	n := names[r.Benchmark]
	if r.Split != "" {
		n += " " + r.Split
	}
	return n
}

// peer is one peer system's figures on a benchmark, as text (they come with
// their own qualifiers: which fold, which runtime).
type peer struct {
	System    string `json:"system"`
	Accuracy  string `json:"in_scope_accuracy"`
	OOSRecall string `json:"oos_recall"`
	Train     string `json:"training"`
	Size      string `json:"model_size"`
	Latency   string `json:"latency"`
}

// peerFigure places a peer's figures on a benchmark row: split "" matches
// every split of the benchmark.
type peerFigure struct {
	benchmark, split string
	peer
}

// Names of the peer systems, as PEERS.md calls them.
const (
	peerSVC      = "TF-IDF word 1-2 + char 2-5, LinearSVC"
	peerLR       = "same features, LogisticRegression"
	peerNLPJS    = "NLP.js 4.27 (NeuralNlu, JS)"
	peerFastText = "fastText supervised, tuned"
	peerBERT     = "BERT-base fine-tuned (published)"
	peerConveRT  = "USE + ConveRT + MLP (published)"
)

// peerFigures are the peers' figures, copied from ../shared/PEERS.md (the
// source: measured on a 2-core machine on the same splits, or published
// where marked). They are not measured by lotse bench. "-" means PEERS.md
// has no figure.
var peerFigures = []peerFigure{
	{"clinc150", "test", peer{peerSVC, "0.920 (closed set 0.927)", "0.594", "-", "13 MB sparse f32", "1.5 ms (Python)"}},
	{"clinc150", "test", peer{peerLR, "0.927 (closed set)", "-", "-", "39 MB dense f32", "33 ms (Python)"}},
	{"clinc150", "test", peer{peerNLPJS, "0.849 (closed set 0.852)", "0.087", "47 s", "7.0 MB JSON (1.4 MB gzip)", "102 µs p50 (Node 20)"}},
	{"clinc150", "test", peer{peerFastText, "0.847 (closed set)", "-", "-", "82 MB (6 MB quantized)", "16 µs (C++)"}},
	{"clinc150", "test", peer{peerBERT, "0.962", "0.523", "-", "440 MB", "GPU-class"}},
	{"clinc150", "test", peer{"Rasa / DialogFlow (published)", "0.909 / 0.908", "0.312 / 0.267", "-", "-", "server"}},
	{"banking77", "", peer{peerSVC, "0.914", "-", "-", "-", "1.5 ms (Python)"}},
	{"banking77", "", peer{peerLR, "0.916", "-", "-", "-", "33 ms (Python)"}},
	{"banking77", "", peer{peerNLPJS, "0.757 (400 epochs)", "-", "-", "-", "102 µs p50 (Node 20)"}},
	{"banking77", "", peer{peerFastText, "0.829 (quantized)", "-", "-", "-", "16 µs (C++)"}},
	{"banking77", "", peer{peerBERT + ", Casanueva et al. 2020", "0.937", "-", "-", "440 MB", "GPU-class"}},
	{"banking77", "", peer{peerConveRT, "0.934", "-", "-", "100s of MB", "encoder-class"}},
	{"banking77-10shot", "", peer{peerSVC, "0.733", "-", "-", "-", "-"}},
	{"banking77-10shot", "", peer{peerLR, "0.755", "-", "-", "-", "-"}},
	{"banking77-10shot", "", peer{peerFastText, "0.436", "-", "-", "-", "-"}},
	{"banking77-10shot", "", peer{peerConveRT, "0.852", "-", "-", "100s of MB", "encoder-class"}},
	{"hwu64", "", peer{peerSVC, "0.878 (fold 10)", "-", "-", "-", "1.5 ms (Python)"}},
	{"hwu64", "", peer{peerLR, "0.886 (fold 1)", "-", "-", "-", "33 ms (Python)"}},
	{"hwu64", "", peer{peerNLPJS, "0.792 (fold 10)", "-", "-", "-", "102 µs p50 (Node 20)"}},
	{"hwu64", "", peer{peerFastText, "0.862 (fold 1)", "-", "-", "-", "16 µs (C++)"}},
	{"demo", "", peer{peerSVC + ", on a similar bilingual help-desk bot (not this one)", "about 0.67", "-", "-", "-", "-"}},
	{"demo", "", peer{"SVC prototype + dictionaries/vectors, same kind of bot (not this one)", "at most 0.69", "about 0.25 (7% in-scope rejected)", "-", "-", "-"}},
	{"demo-crosslang", "en examples, de tests", peer{peerSVC + ", PEERS.md's parallel 16-intent set (not this one)", "0.436 (0.59 with trans-de-en)", "-", "-", "-", "-"}},
	{"demo-crosslang", "de examples, en tests", peer{peerSVC + ", PEERS.md's parallel 16-intent set (not this one)", "0.298 (0.58 with trans-de-en)", "-", "-", "-", "-"}},
}

// peersOf returns the peer figures to print beside a benchmark row.
func peersOf(benchmark, split string) []peer {
	var ps []peer
	for _, f := range peerFigures {
		if f.benchmark == benchmark && (f.split == "" || f.split == split) {
			ps = append(ps, f.peer)
		}
	}
	return ps
}
