package eval

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/train"
)

// TestNative runs the demo bot's test file through the real engine and
// checks the invariants between the counts (the arithmetic itself is
// checked against hand-computed figures in TestRunMetrics).
func TestNative(t *testing.T) {
	m, err := lotse.Load(demoModel(t))
	if err != nil {
		t.Fatal(err)
	}
	cases, err := ReadCases("../../testdata/bots/demo/test.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(Native(m), cases)
	if err != nil {
		t.Fatal(err)
	}
	handoff := map[string]bool{}
	for _, in := range m.Info().Intents {
		handoff[in.Name] = in.Handoff
	}
	var inScope, oos, deflectable int
	for _, c := range cases {
		switch {
		case c.Expect == OutOfScope:
			oos++
		case c.Expect != "":
			inScope++
			if !handoff[c.Expect] && len(c.PII) == 0 {
				deflectable++
			}
		}
	}
	if r.Engine != "native" || r.Messages != len(cases) || r.InScopeAccuracy.Total != inScope ||
		r.OOSRecall.Total != oos || r.Deflection.Total != deflectable || r.WrongAnswerRate.Total != inScope+oos {
		t.Errorf("engine %s, messages %d, totals: in scope %d (want %d), oos %d (want %d), deflection %d (want %d), wrong answers %d (want %d)",
			r.Engine, r.Messages, r.InScopeAccuracy.Total, inScope, r.OOSRecall.Total, oos, r.Deflection.Total, deflectable, r.WrongAnswerRate.Total, inScope+oos)
	}
	if deflectable == inScope {
		t.Error("the demo test file has no handoff-intent messages; deflection is not tested against Info")
	}
	correct, support := 0, 0
	for _, s := range r.PerIntent {
		correct += s.Correct
		support += s.Support
	}
	if support != inScope+oos || correct != r.InScopeAccuracy.Hits+r.OOSRecall.Hits {
		t.Errorf("per intent: %d right of %d, metrics say %d of %d", correct, support, r.InScopeAccuracy.Hits+r.OOSRecall.Hits, inScope+oos)
	}
	if r.P50US <= 0 || r.P99US < r.P50US || !r.ECE.OK {
		t.Errorf("p50 %v, p99 %v, ece %+v", r.P50US, r.P99US, r.ECE)
	}
	var buf bytes.Buffer
	r.Summary(&buf)
	for _, want := range []string{"engine native, ", "in_scope_accuracy ", "oos_recall ", "weakest intents", "most confused", "in_scope_accuracy (de)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, buf.String())
		}
	}
}

// demoModel returns the demo bot's model, trained once for the package's
// tests.
func demoModel(t *testing.T) []byte {
	t.Helper()
	data, err := trainDemo()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var trainDemo = sync.OnceValues(func() ([]byte, error) {
	b, err := bot.Load("../../testdata/bots/demo/bot.yaml")
	if err != nil {
		return nil, err
	}
	data, _, err := train.Train(b, train.Options{})
	return data, err
})
