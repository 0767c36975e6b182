package runner

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/internal/eval"
)

// SoakEnv names the environment variable that enables TestSoak ("1"); a
// -run pattern naming Soak enables it too. It takes minutes.
const SoakEnv = "LOTSE_SOAK"

// TestSoak makes 1,000,000 replies through one instance and requires its
// linear memory (which never shrinks) after them to be within 10% of its
// size after the first 1,000: the Go GC in the module keeps up (see the
// runtime.Gosched note in wasm/wasi).
func TestSoak(t *testing.T) {
	if os.Getenv(SoakEnv) != "1" && !strings.Contains(flag.Lookup("test.run").Value.String(), "Soak") {
		t.Skipf("slow (minutes): set %s=1 or run with -run=Soak", SoakEnv)
	}
	const total, early = 1_000_000, 1_000
	model := demoModel(t)
	cases, err := eval.ReadCases("../testdata/bots/demo/test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, model, Options{Instances: 1})
	inst := <-r.idle // the one instance, used directly
	defer func() { r.idle <- inst }()
	var afterEarly uint32
	start := time.Now()
	prev := inst.memorySize()
	t.Logf("after load: memory %d KiB", prev>>10)
	for i := range total {
		if _, err := inst.reply(t.Context(), cases[i%len(cases)].Text); err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		if m := inst.memorySize(); m != prev {
			t.Logf("reply %d: memory %d -> %d KiB", i+1, prev>>10, m>>10)
			prev = m
		}
		switch i + 1 {
		case early:
			afterEarly = inst.memorySize()
		case total / 10, total / 2:
			t.Logf("%d replies: memory %d KiB (%v)", i+1, inst.memorySize()>>10, time.Since(start).Round(time.Second))
		}
	}
	last := inst.memorySize()
	t.Logf("memory after %d replies: %d KiB; after %d: %d KiB; %v in all",
		early, afterEarly>>10, total, last>>10, time.Since(start).Round(time.Second))
	if float64(last) > 1.1*float64(afterEarly) {
		t.Errorf("memory grew from %d KiB after %d replies to %d KiB after %d, more than 10%%",
			afterEarly>>10, early, last>>10, total)
	}
}
