package embedded

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModule checks both states of a checkout: before "go generate" Module
// says how to build the engine, after it Module returns a WebAssembly
// module.
func TestModule(t *testing.T) {
	t.Setenv(ModuleEnv, "")
	b, err := Module()
	switch {
	case errors.Is(err, ErrNotBuilt):
		if !strings.Contains(err.Error(), "make wasm") {
			t.Errorf("ErrNotBuilt = %q, want it to say how to build the module", err)
		}
	case err != nil:
		t.Fatalf("Module: %v", err)
	case !bytes.HasPrefix(b, []byte("\x00asm")):
		t.Errorf("the embedded module starts with %q, want the WebAssembly magic \\0asm", b[:min(4, len(b))])
	}
}

func TestModuleEnv(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.wasm")
	want := []byte("\x00asm\x01\x00\x00\x00")
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ModuleEnv, p)
	if got, err := Module(); err != nil || !bytes.Equal(got, want) {
		t.Errorf("Module with $%s set = %q, %v; want the file's bytes", ModuleEnv, got, err)
	}
	t.Setenv(ModuleEnv, p+".missing")
	if _, err := Module(); err == nil || !strings.Contains(err.Error(), ModuleEnv) {
		t.Errorf("Module with $%s naming a missing file: %v, want an error naming the variable", ModuleEnv, err)
	}
}
