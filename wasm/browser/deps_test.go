//go:build !js

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps engine.wasm lean: no package of ours that either
// WebAssembly entry point links may import the network stack or the
// reflection-based formatters (fmt alone adds about 170 KB of engine.wasm
// with the reflect it needs). Engine code formats errors with errors.New
// and strconv instead.
func TestDeps(t *testing.T) {
	forbidden := []string{"net", "net/http", "encoding/json", "fmt", "text/template"}
	for _, build := range []struct{ goos, pkg string }{{"js", "."}, {"wasip1", "../wasi"}} {
		cmd := exec.Command("go", "list", "-deps",
			"-f", `{{.ImportPath}}:{{join .Imports " "}}`, build.pkg)
		cmd.Env = append(os.Environ(), "GOOS="+build.goos, "GOARCH=wasm")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (GOOS=%s): %v", build.goos, err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			pkg, imports, _ := strings.Cut(line, ":")
			for _, imp := range strings.Fields(imports) {
				for _, f := range forbidden {
					// Only our packages: the standard library and x/text import
					// fmt in code the linker drops.
					if imp == f && strings.HasPrefix(pkg, "github.com/lotse-chat/lotse") {
						t.Errorf("GOOS=%s %s: %s imports %s", build.goos, build.pkg, pkg, imp)
					}
				}
			}
		}
	}
}
