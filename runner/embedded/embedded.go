// Package embedded holds the engine's WASI module built into the lotse
// binary, so that the CLI runs the WebAssembly that ships.
//
// The module is a build artefact and is not committed: "make wasm" runs
// "go generate ./runner/embedded", which builds wasm/wasi into
// module/lotse.wasi.wasm, and the next "go build" embeds it. On a clean
// clone the directory holds only its .gitignore, everything still compiles,
// and Module reports that the engine is missing instead of failing the
// build; tests that need the module build it themselves from source (see
// package runner's tests).
package embedded

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

//go:generate env GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath "-ldflags=-s -w" -o module/lotse.wasi.wasm ../../wasm/wasi

// files is the module directory: "all:" embeds its .gitignore too, so the
// pattern matches on a clean clone, before the module is generated.
//
//go:embed all:module
var files embed.FS

// path is the module's path in files.
const path = "module/lotse.wasi.wasm"

// ModuleEnv names the environment variable that, when set, makes Module
// read the module from that file instead (for engine development without
// rebuilding lotse).
const ModuleEnv = "LOTSE_WASI_MODULE"

// ErrNotBuilt is returned by Module when this binary was built without the
// engine module.
var ErrNotBuilt = errors.New("the WASI engine module is not built in: in the lotse repository, " +
	`run "make wasm" (or "go generate ./runner/embedded") and rebuild; as a library user, build it with ` +
	"GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o lotse.wasi.wasm github.com/lotse-chat/lotse/wasm/wasi " +
	"and set $" + ModuleEnv + " to it (the lotse CLI also takes --engine native)")

// Module returns the engine's WASI module: the file named by
// $LOTSE_WASI_MODULE if set, else the embedded build, else ErrNotBuilt.
func Module() ([]byte, error) {
	if p := os.Getenv(ModuleEnv); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading the WASI engine module named by $%s: %w", ModuleEnv, err)
		}
		return b, nil
	}
	b, err := files.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotBuilt
	}
	return b, err
}
