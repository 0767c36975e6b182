// Command wasirun runs a GOOS=wasip1 program, such as a test binary, in
// wazero, the runtime that package runner uses, so that the engine's tests
// also pass as WebAssembly:
//
//	GOOS=wasip1 GOARCH=wasm go test -exec "$(pwd)/bin/wasirun" ./pii/
//
// (scripts/wasi-test.sh builds wasirun and does this for the engine
// packages.) The module gets the program's arguments, the environment,
// stdin, stdout and stderr, real clocks and randomness, and these
// directories at their host paths: the Go module root containing the
// working directory, read-only, so that tests read their testdata; the
// temporary directory, read-write, for t.TempDir; and each -mount.
//
// Usage:
//
//	wasirun [-mount HOSTDIR[:ro]]... [-cache DIR] MODULE.wasm [ARGS...]
//
// The exit status is the module's. Compiled code is cached in DIR
// (default lotse/wasirun under the user cache directory; "off" for none).
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// mounts collects -mount flags.
type mounts []string

func (m *mounts) String() string     { return strings.Join(*m, ",") }
func (m *mounts) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var extra mounts
	flag.Var(&extra, "mount", "mount `HOSTDIR[:ro]` at the same path in the guest (repeatable)")
	cache := flag.String("cache", defaultCacheDir(), "compilation cache `DIR`, or off")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: wasirun [-mount HOSTDIR[:ro]]... [-cache DIR] MODULE.wasm [ARGS...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
		os.Exit(2)
	}
	code, err := run(flag.Arg(0), flag.Args()[1:], extra, *cache)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasirun:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func defaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return "off"
	}
	return filepath.Join(d, "lotse", "wasirun")
}

// run runs the module at path with args and returns its exit code.
func run(path string, args []string, extra []string, cacheDir string) (int, error) {
	ctx := context.Background()
	bin, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	cfg := wazero.NewRuntimeConfig()
	if cacheDir != "off" {
		c, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return 0, fmt.Errorf("compilation cache: %w (use -cache off)", err)
		}
		defer c.Close(ctx)
		cfg = cfg.WithCompilationCache(c)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	defer rt.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)

	fsCfg, err := fsConfig(extra)
	if err != nil {
		return 0, err
	}
	modCfg := wazero.NewModuleConfig().
		WithArgs(append([]string{path}, args...)...).
		WithStdin(os.Stdin).WithStdout(os.Stdout).WithStderr(os.Stderr).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().
		WithRandSource(rand.Reader).
		WithFSConfig(fsCfg)
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "PWD" {
			modCfg = modCfg.WithEnv(k, v)
		}
	}
	// Go's wasip1 runtime takes its working directory from $PWD.
	if wd, err := os.Getwd(); err == nil {
		modCfg = modCfg.WithEnv("PWD", wd)
	}
	mod, err := rt.InstantiateWithConfig(ctx, bin, modCfg)
	var exit *sys.ExitError
	switch {
	case errors.As(err, &exit):
		return int(exit.ExitCode()), nil
	case err != nil:
		return 0, err
	}
	mod.Close(ctx)
	return 0, nil
}

// fsConfig mounts the module root read-only, the temporary directory
// read-write and the extra mounts, each at its host path.
func fsConfig(extra []string) (wazero.FSConfig, error) {
	cfg := wazero.NewFSConfig()
	if root, ok := moduleRoot(); ok {
		cfg = cfg.WithReadOnlyDirMount(root, root)
	}
	tmp := os.TempDir()
	cfg = cfg.WithDirMount(tmp, tmp)
	for _, m := range extra {
		dir, ro := strings.CutSuffix(m, ":ro")
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("-mount %s: %w", m, err)
		}
		if ro {
			cfg = cfg.WithReadOnlyDirMount(abs, abs)
		} else {
			cfg = cfg.WithDirMount(abs, abs)
		}
	}
	return cfg, nil
}

// moduleRoot is the directory holding the go.mod above the working
// directory.
func moduleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
