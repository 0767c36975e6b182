package main

import (
	"context"
	"io"

	"github.com/lotse-chat/lotse/internal/eval"
	"github.com/lotse-chat/lotse/runner"
	"github.com/lotse-chat/lotse/runner/embedded"
)

// The default engine: the WASI module embedded by "make wasm" (package
// runner/embedded), run in wazero by package runner. (This file is not
// named engine_wasm.go: the _wasm suffix would build it for GOARCH=wasm
// only.)
func init() {
	newWasmEngine = func(model []byte) (eval.Engine, io.Closer, error) {
		module, err := embedded.Module()
		if err != nil {
			return nil, nil, err
		}
		r, err := runner.New(context.Background(), module, model, runner.Options{})
		if err != nil {
			return nil, nil, err
		}
		return r, r, nil
	}
}
