package runner

import (
	"context"
	"errors"
	"fmt"
	"github.com/lotse-chat/lotse/pii"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/lotse-chat/lotse"
)

// demoMessages cover answers, handoffs, personal data, other languages and
// awkward input.
var demoMessages = []string{
	"wann muss ich zahlen",
	"when is my payment due",
	"meine IBAN ist DE89 3704 0044 0532 0130 00",
	"schreib mir an jane.doe@example.com",
	"what is the weather in Berlin",
	"",
	"   ",
	"\xff\xfe invalid utf-8 \xc3",
	"<script>alert(1)</script> \"quotes\" \\ \n\t",
	"Ich möchte meine Rate verschieben, geht das?",
	strings.Repeat("sehr lange Nachricht ", 500),
}

func TestReplyMatchesNative(t *testing.T) {
	model := demoModel(t)
	r := newRunner(t, model, Options{Instances: 1})
	m := native(t, model)
	for _, text := range demoMessages {
		got, err := r.Reply(text)
		if err != nil {
			t.Fatalf("Reply(%.40q): %v", text, err)
		}
		if d := diffReply(got, m.Reply(text), 1e-6); d != "" {
			t.Errorf("Reply(%.40q): wasm and native differ: %s", text, d)
		}
	}
}

func TestInfoMatchesNative(t *testing.T) {
	model := demoModel(t)
	r := newRunner(t, model, Options{Instances: 1})
	if got, want := r.Info(), native(t, model).Info(); !reflect.DeepEqual(got, want) {
		t.Errorf("Info:\n got %+v\nwant %+v", got, want)
	}
	if got := r.EngineVersion(); got != lotse.Version {
		t.Errorf("EngineVersion = %q, want lotse.Version %q", got, lotse.Version)
	}
}

func TestNewErrors(t *testing.T) {
	model := demoModel(t)
	tests := []struct {
		name          string
		module, model []byte
		want          string
	}{
		{"not wasm", []byte("not wasm"), model, "compiling the engine module"},
		{"not the engine", []byte("\x00asm\x01\x00\x00\x00"), model, `no export "_initialize"`},
		{"bad model", wasiModule, []byte("not a model"), "the engine refused the model"},
		{"empty model", wasiModule, nil, "the engine refused the model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(context.Background(), tt.module, tt.model, Options{Instances: 1})
			if err == nil {
				r.Close()
				t.Fatal("New succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v\nwant an error containing %q", err, tt.want)
			}
		})
	}
}

// TestTrapReplacesInstance makes the engine run out of its bounded memory
// (a trap: the Go runtime aborts), then checks that the error says so and
// that the next reply gets a fresh instance.
func TestTrapReplacesInstance(t *testing.T) {
	model := demoModel(t)
	const limitPages = 1024 // 64 MiB
	r := newRunner(t, model, Options{Instances: 1, MemoryLimitPages: limitPages})
	huge := strings.Repeat("x", 80<<20) // more than the whole memory
	_, err := r.Reply(huge)
	if err == nil {
		t.Fatal("Reply of an 80 MiB message in a 64 MiB instance succeeded, want a trap")
	}
	if !strings.Contains(err.Error(), "trapped") {
		t.Errorf("Reply: %v\nwant an error saying the engine trapped", err)
	}
	const text = "wann muss ich zahlen"
	got, err := r.Reply(text)
	if err != nil {
		t.Fatalf("Reply after a trap: %v (the broken instance must be replaced)", err)
	}
	if d := diffReply(got, native(t, model).Reply(text), 1e-6); d != "" {
		t.Errorf("Reply after a trap differs from native: %s", d)
	}
}

func TestConcurrentReplies(t *testing.T) {
	model := demoModel(t)
	r := newRunner(t, model, Options{Instances: 3})
	m := native(t, model)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				text := demoMessages[(g+i)%len(demoMessages)]
				got, err := r.Reply(text)
				if err != nil {
					errs <- err
					return
				}
				if d := diffReply(got, m.Reply(text), 1e-6); d != "" {
					errs <- fmt.Errorf("goroutine %d, Reply(%.30q): %s", g, text, d)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// At rest, every instance is idle or its slot is free.
	if idle, free := len(r.idle), len(r.slots); idle+free != 3 || idle == 0 {
		t.Errorf("at rest the pool has %d idle instances and %d free slots, want 3 together, at least one idle", idle, free)
	}
}

func TestClose(t *testing.T) {
	r, err := New(context.Background(), wasiModule, demoModel(t), Options{Instances: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v, want nil", err)
	}
	if _, err := r.Reply("hallo"); !errors.Is(err, ErrClosed) {
		t.Errorf("Reply after Close: %v, want ErrClosed", err)
	}
}

func TestGuestError(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for no error
	}{
		{`{"error":"no model loaded"}`, "the engine says: no model loaded"},
		{`{"action":"answer"}`, ""},
		{`{"error":`, "decoding the engine's error"},
	}
	for _, tt := range tests {
		err := guestError([]byte(tt.in))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("guestError(%s) = %v, want nil", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("guestError(%s) = %v, want an error containing %q", tt.in, err, tt.want)
		}
	}
}

func TestDecodeReply(t *testing.T) {
	want := lotse.Reply{
		Action: lotse.Handoff, Intent: "x", Confidence: 0.25, Lang: "de", Reason: lotse.PersonalData,
		Alternatives: []lotse.Alternative{{Intent: "y", Confidence: 0.125}},
	}
	got, err := decodeReply(want.AppendJSON(nil))
	if err != nil {
		t.Fatal(err)
	}
	if d := diffReply(got, want, 0); d != "" {
		t.Errorf("decodeReply(AppendJSON(r)) differs from r: %s", d)
	}
	if _, err := decodeReply([]byte(`{"error":"no model"}`)); err == nil || !strings.Contains(err.Error(), "no model") {
		t.Errorf("decodeReply of an error: %v, want the engine's error", err)
	}
}

// diffReply describes how got differs from want, or returns "": equal
// actions, intents, languages, answers, reasons and personal data, equal
// alternative intents, and confidences within tol.
func diffReply(got, want lotse.Reply, tol float64) string {
	var d []string
	check := func(field string, g, w any) {
		if !reflect.DeepEqual(g, w) {
			d = append(d, fmt.Sprintf("%s: got %v, want %v", field, g, w))
		}
	}
	check("action", got.Action, want.Action)
	check("intent", got.Intent, want.Intent)
	check("lang", got.Lang, want.Lang)
	check("answer", got.Answer, want.Answer)
	check("reason", got.Reason, want.Reason)
	check("pii", len(got.PII), len(want.PII))
	if len(got.PII) == len(want.PII) && len(got.PII) > 0 {
		check("pii", got.PII, want.PII)
	}
	if math.Abs(got.Confidence-want.Confidence) > tol {
		d = append(d, fmt.Sprintf("confidence: got %v, want %v", got.Confidence, want.Confidence))
	}
	if len(got.Alternatives) != len(want.Alternatives) {
		d = append(d, fmt.Sprintf("alternatives: got %v, want %v", got.Alternatives, want.Alternatives))
	} else {
		for i, a := range got.Alternatives {
			w := want.Alternatives[i]
			if a.Intent != w.Intent || math.Abs(a.Confidence-w.Confidence) > tol {
				d = append(d, fmt.Sprintf("alternative %d: got %v, want %v", i, a, w))
			}
		}
	}
	return strings.Join(d, "; ")
}

// TestScanReply checks the fast path of decodeReply against encoding/json
// (the fallback) on replies as the engine writes them: it must decode the
// plain ones itself, and leave escaped strings and foreign layouts to the
// fallback rather than decode them differently.
func TestScanReply(t *testing.T) {
	plain := []lotse.Reply{
		{Action: lotse.Answer, Intent: "pay", Confidence: 0.93, Lang: "de", Answer: "Die Fälligkeit steht in der App.",
			Alternatives: []lotse.Alternative{{Intent: "a", Confidence: 0.04}, {Intent: "b", Confidence: 1e-06}}},
		{Action: lotse.Handoff, Lang: "en", Reason: lotse.OutOfScope},
		{Action: lotse.Handoff, Intent: "x", Confidence: 1, Lang: "en", Reason: lotse.PersonalData,
			PII: []pii.Span{{Kind: pii.IBAN, Start: 17, End: 39}, {Kind: pii.Email, Start: 40, End: 52}}},
	}
	for _, r := range plain {
		b := r.AppendJSON(nil)
		got, ok := scanReply(b)
		if !ok {
			t.Errorf("scanReply(%s) fell back", b)
			continue
		}
		if d := diffReply(got, r, 0); d != "" {
			t.Errorf("scanReply(%s): %s", b, d)
		}
	}
	fallback := []string{
		string(lotse.Reply{Action: lotse.Answer, Intent: "q", Lang: "en", Answer: "Say \"hi\" & <go>\n"}.AppendJSON(nil)),
		`{"intent":"x","action":"answer","confidence":0.5,"lang":"en","answer":"A","reason":null,"alternatives":[],"pii":[]}`,
		`{"action":"answer","intent":"x","confidence":0.5,"lang":"en","answer":"A","reason":null,"alternatives":[,{"intent":"y","confidence":0.1}],"pii":[]}`,
		`{"error":"no model loaded"}`,
	}
	for _, b := range fallback {
		if r, ok := scanReply([]byte(b)); ok {
			t.Errorf("scanReply(%s) = %+v, want a fallback", b, r)
		}
	}
	want := lotse.Reply{Action: lotse.Answer, Intent: "q", Lang: "en", Answer: "Say \"hi\" & <go>\n"}
	if got, err := decodeReply(want.AppendJSON(nil)); err != nil || diffReply(got, want, 0) != "" {
		t.Errorf("decodeReply of escaped text = %+v, %v; want %+v", got, err, want)
	}
}
