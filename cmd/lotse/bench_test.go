package main

import (
	"encoding/json"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/eval"
)

func TestBenchDemo(t *testing.T) {
	saved := newWasmEngine
	defer func() { newWasmEngine = saved }()
	newWasmEngine = func(data []byte) (eval.Engine, io.Closer, error) {
		m, err := lotse.Load(data) // stands in for the module: only the columns are under test
		return eval.Native(m), nopCloser{}, err
	}
	code, stdout, stderr := cli(t, "bench", "--data", "../../testdata", "--only", "demo,pii", "--engine", "native,wasm")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"| benchmark | system | in-scope accuracy | OOS recall | training | model (gzip) | reply p50 / p99 (native) | reply p50 / p99 (wasm) | ECE |",
		"× native) |", // the latency ratio
		"| demo bot test (held-out paraphrases) | **Lotse** | 0.",
		"about 0.67",  // the peer figure beside it
		"| iban | ",   // the personal-data table
		"pii_recall ", // and its summary
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	// The demo model is trained once and reused for the pii benchmark.
	if n := strings.Count(stderr, "training"); n != 1 {
		t.Errorf("trained %d times, want 1:\n%s", n, stderr)
	}
}

func TestBenchSkipsMissing(t *testing.T) {
	code, stdout, stderr := cli(t, "bench", "--data", t.TempDir(), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []benchRow
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("%v in %s", err, stdout)
	}
	if len(rows) != len(benchmarks) {
		t.Fatalf("%d rows, want one skipped row for each of %d benchmarks", len(rows), len(benchmarks))
	}
	for _, r := range rows {
		if !strings.Contains(r.Skipped, "not found") {
			t.Errorf("%s: skipped %q", r.Benchmark, r.Skipped)
		}
	}
	code, stdout, _ = cli(t, "bench", "--data", t.TempDir(), "--only", "hwu64")
	if code != 0 || !strings.Contains(stdout, "Skipped:\n- hwu64: ") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestSampleBot(t *testing.T) {
	var b bot.Bot
	for i := range 3 {
		in := bot.Intent{Name: string(rune('a' + i))}
		for j := range 5 + 10*i {
			in.Examples = append(in.Examples, in.Name+string(rune('A'+j)))
		}
		b.Intents = append(b.Intents, in)
	}
	s0, s0again, s1 := sampleBot(&b, 10, 0), sampleBot(&b, 10, 0), sampleBot(&b, 10, 1)
	if !reflect.DeepEqual(s0, s0again) {
		t.Error("same seed, different samples")
	}
	if reflect.DeepEqual(s0.Intents[2].Examples, s1.Intents[2].Examples) {
		t.Error("seeds 0 and 1 drew the same sample of 10 from 25")
	}
	for i, in := range s0.Intents {
		orig := b.Intents[i].Examples
		if want := min(10, len(orig)); len(in.Examples) != want {
			t.Errorf("intent %s: %d examples, want %d", in.Name, len(in.Examples), want)
		}
		// A sample keeps the examples' order and draws only from them.
		last := -1
		for _, ex := range in.Examples {
			k := slices.Index(orig, ex)
			if k <= last {
				t.Errorf("intent %s: example %q out of order or not in the bot", in.Name, ex)
			}
			last = k
		}
	}
	if len(b.Intents[2].Examples) != 25 {
		t.Error("sampleBot changed the bot it sampled")
	}
}

func TestMeanRow(t *testing.T) {
	rows := []benchRow{
		{Benchmark: "x", InScopeAccuracy: v(0.8), ECE: v(0.1), TrainSeconds: 2, ModelBytes: 100, Latency: []benchLatency{{"native", 10, 30}}},
		{Benchmark: "x", InScopeAccuracy: v(0.6), ECE: v(0.3), TrainSeconds: 4, ModelBytes: 300, Latency: []benchLatency{{"native", 20, 50}}},
	}
	m := meanRow(rows, "mean")
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !near(m.InScopeAccuracy.V, 0.7) || m.InScopeMin.V != 0.6 || !near(m.ECE.V, 0.2) || m.TrainSeconds != 3 || m.ModelBytes != 200 ||
		m.Latency[0] != (benchLatency{"native", 15, 40}) || m.OOSRecall.OK {
		t.Errorf("meanRow = %+v", m)
	}
}

func v(f float64) eval.Value { return eval.Value{V: f, OK: true} }

func TestPeersOf(t *testing.T) {
	if ps := peersOf("clinc150", "val"); len(ps) != 0 {
		t.Errorf("CLINC150 val has %d peer rows; PEERS.md reports test figures only", len(ps))
	}
	ps := peersOf("clinc150", "test")
	if len(ps) == 0 || ps[0].System != peerSVC || !strings.HasPrefix(ps[0].Accuracy, "0.920") || ps[0].OOSRecall != "0.594" {
		t.Errorf("CLINC150 test peers: %+v", ps)
	}
	if ps := peersOf("banking77-10shot", "test, mean of 5 samples"); len(ps) != 4 {
		t.Errorf("Banking77 10-shot: %d peers, want 4", len(ps))
	}
}
