package runner

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/internal/eval"
)

// CLINC150ModelEnv names the environment variable that points the
// benchmarks at a trained CLINC150 model (lotse train
// testdata/clinc150/bot.yaml -o M) instead of training it (over a minute).
// If the file does not exist, the benchmark trains the model and writes it
// there for the next run.
const CLINC150ModelEnv = "LOTSE_CLINC150_MODEL"

// clinc150 returns the CLINC150 model and its test messages.
func clinc150(b *testing.B) ([]byte, []string) {
	var model []byte
	p := os.Getenv(CLINC150ModelEnv)
	if p != "" {
		model, _ = os.ReadFile(p)
	}
	if model == nil {
		model = trainedModel(b, "../testdata/clinc150/bot.yaml", subset{})
		if p != "" {
			if err := os.WriteFile(p, model, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	cases, err := eval.ReadCases("../testdata/clinc150/test.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, len(cases))
	for i, c := range cases {
		texts[i] = c.Text
	}
	return model, texts
}

// latencies collects per-call durations for percentiles.
type latencies []time.Duration

func (l latencies) percentile(p float64) float64 {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return float64(s[int(p*float64(len(s)-1))].Nanoseconds()) / 1e3
}

// BenchmarkReply measures the native engine and the WASI module in wazero
// on the CLINC150 model, interleaved message by message so that both see
// the same machine load, and reports each one's p50 and p99 latency in
// microseconds and the wasm/native ratio of the p50s.
func BenchmarkReply(b *testing.B) {
	model, texts := clinc150(b)
	r := newRunner(b, model, Options{Instances: 1})
	m := native(b, model)
	for _, text := range texts[:200] { // warm up both
		m.Reply(text)
		if _, err := r.Reply(text); err != nil {
			b.Fatal(err)
		}
	}
	nat := make(latencies, 0, b.N)
	was := make(latencies, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		text := texts[i%len(texts)]
		t0 := time.Now()
		m.Reply(text)
		t1 := time.Now()
		if _, err := r.Reply(text); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		nat = append(nat, t1.Sub(t0))
		was = append(was, t2.Sub(t1))
	}
	b.StopTimer()
	np50, wp50 := nat.percentile(0.5), was.percentile(0.5)
	b.ReportMetric(np50, "native-p50-µs")
	b.ReportMetric(nat.percentile(0.99), "native-p99-µs")
	b.ReportMetric(wp50, "wasm-p50-µs")
	b.ReportMetric(was.percentile(0.99), "wasm-p99-µs")
	if np50 > 0 {
		b.ReportMetric(wp50/np50, "wasm/native-p50")
	}
}

// BenchmarkReplyWasm is the WASI module alone, for profiling.
func BenchmarkReplyWasm(b *testing.B) {
	model, texts := clinc150(b)
	r := newRunner(b, model, Options{Instances: 1})
	b.ResetTimer()
	for i := range b.N {
		if _, err := r.Reply(texts[i%len(texts)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStart measures New with a warm compilation cache, as lotse
// ask pays on every run, and its phases: compiling (from the cache),
// instantiating the module with its Go runtime, and loading the demo model.
func BenchmarkColdStart(b *testing.B) {
	model := demoModel(b)
	ctx := context.Background()
	opts := Options{Instances: 1, CacheDir: b.TempDir()}.withDefaults()
	warm, err := New(ctx, wasiModule, model, opts)
	if err != nil {
		b.Fatal(err)
	}
	warm.Close()
	var compile, instantiate, load time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		r := &Runner{}
		if err := r.compile(ctx, wasiModule, opts); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		inst, err := r.instantiate(ctx)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := inst.loadModel(ctx, model); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		compile, instantiate, load = compile+t1.Sub(t0), instantiate+t2.Sub(t1), load+t3.Sub(t2)
		b.StopTimer()
		r.closeRuntime(ctx)
		b.StartTimer()
	}
	n := float64(b.N) * 1e6
	b.ReportMetric(float64(compile+instantiate+load)/n, "ms/start")
	b.ReportMetric(float64(compile)/n, "compile-ms")
	b.ReportMetric(float64(instantiate)/n, "instantiate-ms")
	b.ReportMetric(float64(load)/n, "load-ms")
}

// BenchmarkInstance measures adding an instance to a running Runner
// (instantiate, start the Go runtime, load the demo model): what a
// concurrent caller pays the first time, or after a trap.
func BenchmarkInstance(b *testing.B) {
	r := newRunner(b, demoModel(b), Options{Instances: 1})
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		inst, err := r.newInstance(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		inst.mod.Close(ctx)
		b.StartTimer()
	}
}
