package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/eval"
)

// Engine names for --engine.
const (
	engineWasm   = "wasm"
	engineNative = "native"
)

// newWasmEngine runs model in the shipped WASI module through wazero
// (package runner). The Closer releases the runtime.
var newWasmEngine = func(model []byte) (eval.Engine, io.Closer, error) {
	return nil, nil, errors.New("wasm engine not built; use --engine native")
}

// engine is an eval.Engine with the name and model description that the
// metrics report (eval.Run looks for Name and Info).
type engine struct {
	eval.Engine
	name string
	info lotse.Info
}

func (e engine) Name() string     { return e.name }
func (e engine) Info() lotse.Info { return e.info }

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// openEngine starts the engine named kind ("wasm" or "native") on the
// model file's bytes. The caller must Close the Closer.
func openEngine(kind string, model []byte) (engine, io.Closer, error) {
	switch kind {
	case engineNative:
		m, err := lotse.Load(model)
		if err != nil {
			return engine{}, nil, err
		}
		return engine{eval.Native(m), engineNative, m.Info()}, nopCloser{}, nil
	case engineWasm:
		e, c, err := newWasmEngine(model)
		if err != nil {
			return engine{}, nil, err
		}
		info, ok := e.(interface{ Info() lotse.Info })
		if ok {
			return engine{e, engineWasm, info.Info()}, c, nil
		}
		// The module does not describe the model: read the description
		// (intent names and handoff flags) with the native loader.
		m, err := lotse.Load(model)
		if err != nil {
			c.Close()
			return engine{}, nil, err
		}
		return engine{e, engineWasm, m.Info()}, c, nil
	}
	return engine{}, nil, fmt.Errorf("unknown engine %q; use --engine wasm or --engine native", kind)
}

// parseInterspersed parses args into fs allowing flags after positional
// arguments ("lotse train bot.yaml -o m.lotse"), which package flag alone
// does not; it returns the positional arguments. Everything after "--" is
// positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError prints msg and the command's usage line to stderr and returns
// errUsage (exit status 2).
func usageError(fs *flag.FlagSet, format string, a ...any) error {
	fmt.Fprintf(fs.Output(), "%s: %s\n", fs.Name(), fmt.Sprintf(format, a...))
	fs.Usage()
	return errUsage
}
