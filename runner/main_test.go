package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/train"
)

// wasiModule is the engine's WASI module, built from this source tree by
// TestMain, so that the tests never run a stale build artefact.
var wasiModule []byte

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lotse-runner-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	wasiModule, err = buildModule(filepath.Join(dir, "lotse.wasi.wasm"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildModule builds wasm/wasi as make wasm does and returns its bytes.
func buildModule(out string) ([]byte, error) {
	// The module's own sources are not dependencies of this test binary:
	// reading them makes go test's result cache notice when they change.
	for _, pattern := range []string{"../wasm/wasi/*.go", "../wasm/internal/*/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if _, err := os.ReadFile(f); err != nil {
				return nil, err
			}
		}
	}
	cmd := exec.Command(goTool(), "build", "-buildmode=c-shared", "-trimpath", "-ldflags=-s -w",
		"-o", out, "github.com/lotse-chat/lotse/wasm/wasi")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the WASI engine: %v\n%s", err, b)
	}
	return os.ReadFile(out)
}

// goTool is the go command: go test puts its own GOROOT/bin first on PATH.
func goTool() string { return "go" }

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// models caches trained models by name for the test binary's lifetime.
var models sync.Map // name -> func() ([]byte, error)

// trainedModel trains the bot at path, cut by limit, once per test binary.
func trainedModel(tb testing.TB, path string, limit subset) []byte {
	tb.Helper()
	key := fmt.Sprintf("%s %+v", path, limit)
	f, _ := models.LoadOrStore(key, sync.OnceValues(func() ([]byte, error) {
		b, err := bot.Load(path)
		if err != nil {
			return nil, err
		}
		limit.apply(b)
		model, _, err := train.Train(b, train.Options{})
		return model, err
	}))
	model, err := f.(func() ([]byte, error))()
	if err != nil {
		tb.Fatalf("training %s: %v", path, err)
	}
	return model
}

// subset cuts a bot down so that the tests train in seconds: the first
// Intents intents with their first Examples examples, and the first
// Examples out-of-scope examples. Zero fields keep everything.
type subset struct{ Intents, Examples int }

func (s subset) apply(b *bot.Bot) {
	if s.Intents > 0 && len(b.Intents) > s.Intents {
		b.Intents = b.Intents[:s.Intents]
	}
	if s.Examples <= 0 {
		return
	}
	for i := range b.Intents {
		if ex := b.Intents[i].Examples; len(ex) > s.Examples {
			b.Intents[i].Examples = ex[:s.Examples]
		}
	}
	if len(b.OutOfScope) > s.Examples {
		b.OutOfScope = b.OutOfScope[:s.Examples]
	}
}

// demoModel is the demo bot's model.
func demoModel(tb testing.TB) []byte {
	return trainedModel(tb, "../testdata/bots/demo/bot.yaml", subset{})
}

// newRunner starts a Runner on model and closes it when the test ends.
func newRunner(tb testing.TB, model []byte, opts Options) *Runner {
	tb.Helper()
	r, err := New(context.Background(), wasiModule, model, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := r.Close(); err != nil {
			tb.Error(err)
		}
	})
	return r
}

// native loads model into the in-process engine.
func native(tb testing.TB, model []byte) *lotse.Model {
	tb.Helper()
	m, err := lotse.Load(model)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
