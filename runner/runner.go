// Package runner runs the Lotse engine's WASI module (wasm/wasi) in wazero,
// so that the CLI and the tests exercise exactly the WebAssembly that ships.
//
// A Runner compiles the module once (with wazero's compiler where the
// platform has one, caching the machine code on disk across processes),
// loads one model into a pool of instances and serves concurrent callers,
// one instance each. Each instance's memory is bounded; a trap (a panic in
// the engine, memory exhausted) is returned as an error and the instance is
// replaced by a fresh one.
//
// The module's bytes are an argument, not embedded here: the CLI embeds the
// build from package runner/embedded, and the tests build the module from
// source, so that they never test a stale artefact.
package runner

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/lotse-chat/lotse"
)

// DefaultMemoryLimitPages bounds an instance's linear memory: 2048 pages of
// 64 KiB, 128 MiB, the memory of a Cloudflare Worker.
const DefaultMemoryLimitPages = 2048

// CacheDirEnv names the environment variable that overrides the default
// compilation cache directory; "off" disables the on-disk cache.
const CacheDirEnv = "LOTSE_WAZERO_CACHE"

// ErrClosed is returned by calls on a closed Runner.
var ErrClosed = errors.New("runner: closed")

// Options configure a Runner. The zero value is the recommended setting.
type Options struct {
	// Instances is the most instances, and so concurrent replies, the
	// Runner keeps (default runtime.GOMAXPROCS(0)). Instances beyond the
	// first are created when concurrent callers first need them.
	Instances int
	// MemoryLimitPages bounds each instance's memory in 64 KiB pages
	// (default DefaultMemoryLimitPages).
	MemoryLimitPages uint32
	// CacheDir is the on-disk compilation cache (default DefaultCacheDir()).
	// "off" keeps compiled code in memory only.
	CacheDir string
}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	if o.Instances <= 0 {
		o.Instances = runtime.GOMAXPROCS(0)
	}
	if o.MemoryLimitPages == 0 {
		o.MemoryLimitPages = DefaultMemoryLimitPages
	}
	if o.CacheDir == "" {
		o.CacheDir = DefaultCacheDir()
	}
	return o
}

// DefaultCacheDir is the compilation cache directory used when
// Options.CacheDir is empty: $LOTSE_WAZERO_CACHE if set, else
// lotse/wazero under os.UserCacheDir, else "off" (no on-disk cache) when
// the user has no cache directory.
func DefaultCacheDir() string {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "off"
	}
	return filepath.Join(d, "lotse", "wazero")
}

// A Runner replies to messages with one model through a pool of instances
// of the engine's WASI module. Its methods are safe for concurrent use.
type Runner struct {
	rt       wazero.Runtime
	cache    wazero.CompilationCache
	compiled wazero.CompiledModule
	model    []byte // the model file, loaded into every new instance
	info     lotse.Info
	version  string // the module's engine version

	idle  chan *instance // instances waiting for a caller
	slots chan struct{}  // one token per instance that may still be created

	// mu is held for reading by every call into an instance and for
	// writing by Close, so that Close never closes a running instance.
	mu     sync.RWMutex
	closed bool
}

// New compiles module, the bytes of the engine's WASI build (wasm/wasi),
// and loads model, the bytes of a .lotse model file, into its first
// instance. The Runner must be closed.
func New(ctx context.Context, module, model []byte, opts Options) (*Runner, error) {
	opts = opts.withDefaults()
	r := &Runner{
		model: bytes.Clone(model),
		idle:  make(chan *instance, opts.Instances),
		slots: make(chan struct{}, opts.Instances),
	}
	for range opts.Instances {
		r.slots <- struct{}{}
	}
	if err := r.compile(ctx, module, opts); err != nil {
		r.closeRuntime(ctx)
		return nil, err
	}
	<-r.slots
	inst, err := r.newInstance(ctx)
	if err != nil {
		r.closeRuntime(ctx)
		return nil, err
	}
	if err := r.describe(ctx, inst); err != nil {
		r.closeRuntime(ctx)
		return nil, err
	}
	r.idle <- inst
	return r, nil
}

// compile sets up the runtime with its cache and compiles module.
func (r *Runner) compile(ctx context.Context, module []byte, opts Options) error {
	cfg := wazero.NewRuntimeConfig(). // the compiler on amd64 and arm64, else the interpreter
						WithMemoryLimitPages(opts.MemoryLimitPages)
	if opts.CacheDir != "off" {
		c, err := wazero.NewCompilationCacheWithDir(opts.CacheDir)
		if err != nil {
			return fmt.Errorf("runner: compilation cache: %w (set Options.CacheDir or $%s to a writable directory, or to \"off\")", err, CacheDirEnv)
		}
		r.cache = c
		cfg = cfg.WithCompilationCache(c)
	}
	r.rt = wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, r.rt); err != nil {
		return fmt.Errorf("runner: instantiating WASI: %w", err)
	}
	compiled, err := r.rt.CompileModule(ctx, module)
	if err != nil {
		return fmt.Errorf("runner: compiling the engine module (%d bytes): %w", len(module), err)
	}
	exports := compiled.ExportedFunctions()
	for _, name := range []string{"_initialize", "alloc", "free", "load", "reply", "info", "version"} {
		if _, ok := exports[name]; !ok {
			return fmt.Errorf("runner: the module has no export %q: it is not the Lotse WASI engine; build it with "+
				"GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared ./wasm/wasi", name)
		}
	}
	r.compiled = compiled
	return nil
}

// describe reads the model's Info and the engine version from inst.
func (r *Runner) describe(ctx context.Context, inst *instance) error {
	b, err := inst.result(ctx, inst.infoFn)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &r.info); err != nil {
		return fmt.Errorf("runner: decoding the model info %q: %w", b, err)
	}
	b, err = inst.result(ctx, inst.versionFn)
	if err != nil {
		return err
	}
	var v struct{ Engine string }
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("runner: decoding the engine version %q: %w", b, err)
	}
	r.version = v.Engine
	return nil
}

// Info describes the loaded model.
func (r *Runner) Info() lotse.Info { return r.info }

// EngineVersion is the lotse.Version the WASI module was built from.
func (r *Runner) EngineVersion() string { return r.version }

// Reply replies to one message. An error means the instance failed (it
// trapped or ran out of memory; it has been replaced) or the Runner is
// closed; the engine itself has no failing replies.
func (r *Runner) Reply(text string) (lotse.Reply, error) {
	return r.ReplyContext(context.Background(), text)
}

// ReplyContext is Reply with a context for wazero's calls.
func (r *Runner) ReplyContext(ctx context.Context, text string) (lotse.Reply, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return lotse.Reply{}, ErrClosed
	}
	inst, err := r.get(ctx)
	if err != nil {
		return lotse.Reply{}, err
	}
	reply, err := inst.reply(ctx, text)
	if err != nil {
		r.discard(ctx, inst)
		return lotse.Reply{}, err
	}
	r.idle <- inst
	return reply, nil
}

// get takes an idle instance, or creates one if the pool is not full, or
// waits for one.
func (r *Runner) get(ctx context.Context) (*instance, error) {
	select {
	case inst := <-r.idle:
		return inst, nil
	default:
	}
	select {
	case inst := <-r.idle:
		return inst, nil
	case <-r.slots:
		inst, err := r.newInstance(ctx)
		if err != nil {
			r.slots <- struct{}{}
			return nil, err
		}
		return inst, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// discard closes a failed instance and frees its slot, so that the next
// caller creates a fresh one.
func (r *Runner) discard(ctx context.Context, inst *instance) {
	inst.mod.Close(ctx)
	r.slots <- struct{}{}
}

// Close closes every instance and the runtime, waiting for running replies
// to finish. It is safe to call more than once.
func (r *Runner) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	return r.closeRuntime(context.Background())
}

func (r *Runner) closeRuntime(ctx context.Context) error {
	var errs []error
	if r.rt != nil {
		errs = append(errs, r.rt.Close(ctx)) // closes every module
	}
	if r.cache != nil {
		errs = append(errs, r.cache.Close(ctx))
	}
	return errors.Join(errs...)
}

// newInstance instantiates the module, starts its Go runtime and loads the
// model.
func (r *Runner) newInstance(ctx context.Context) (*instance, error) {
	inst, err := r.instantiate(ctx)
	if err != nil {
		return nil, err
	}
	if err := inst.loadModel(ctx, r.model); err != nil {
		inst.mod.Close(ctx)
		return nil, err
	}
	return inst, nil
}

// instantiate instantiates the module and starts its Go runtime.
func (r *Runner) instantiate(ctx context.Context) (*instance, error) {
	stderr := &prefixBuffer{limit: 4 << 10}
	cfg := wazero.NewModuleConfig().
		WithName(""). // anonymous: many instances of one module
		WithStartFunctions("_initialize").
		WithStderr(stderr).
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep().
		WithRandSource(rand.Reader)
	mod, err := r.rt.InstantiateModule(ctx, r.compiled, cfg)
	if err != nil {
		return nil, fmt.Errorf("runner: instantiating the engine: %w%s", err, stderr.suffix())
	}
	inst := &instance{
		mod:       mod,
		mem:       mod.Memory(),
		stderr:    stderr,
		allocFn:   mod.ExportedFunction("alloc"),
		freeFn:    mod.ExportedFunction("free"),
		loadFn:    mod.ExportedFunction("load"),
		replyFn:   mod.ExportedFunction("reply"),
		infoFn:    mod.ExportedFunction("info"),
		versionFn: mod.ExportedFunction("version"),
	}
	return inst, nil
}

// instance is one instantiated module with the model loaded. It serves one
// caller at a time.
type instance struct {
	mod    api.Module
	mem    api.Memory
	stderr *prefixBuffer

	allocFn, freeFn, loadFn, replyFn, infoFn, versionFn api.Function

	stack     [2]uint64 // reused by every call: no allocation per call
	in, inCap uint32    // the message buffer, reused across replies
}

// call calls fn with params and returns its first result. A failure is a
// trap, and the instance is broken.
func (in *instance) call(ctx context.Context, fn api.Function, params ...uint64) (uint64, error) {
	copy(in.stack[:], params)
	if err := fn.CallWithStack(ctx, in.stack[:]); err != nil {
		return 0, fmt.Errorf("runner: the engine trapped in %s: %w%s", fn.Definition().Name(), err, in.stderr.suffix())
	}
	return in.stack[0], nil
}

// write copies b into a fresh guest buffer and returns its address.
func (in *instance) write(ctx context.Context, b []byte) (uint32, error) {
	p, err := in.call(ctx, in.allocFn, uint64(len(b)))
	if err != nil {
		return 0, err
	}
	if !in.mem.Write(uint32(p), b) {
		return 0, fmt.Errorf("runner: alloc returned %#x, outside the engine's memory", p)
	}
	return uint32(p), nil
}

// loadModel loads model into the instance.
func (in *instance) loadModel(ctx context.Context, model []byte) error {
	p, err := in.write(ctx, model)
	if err != nil {
		return err
	}
	status, err := in.call(ctx, in.loadFn, uint64(p), uint64(len(model)))
	if err != nil {
		return err
	}
	if _, err := in.call(ctx, in.freeFn, uint64(p)); err != nil {
		return err
	}
	if status != 0 {
		// info tells why the load failed.
		_, err := in.result(ctx, in.infoFn)
		var ee *engineError
		if errors.As(err, &ee) {
			err = errors.New(ee.msg)
		} else if err == nil {
			err = errors.New("load failed, yet info reports a model")
		}
		return fmt.Errorf("runner: the engine refused the model (%d bytes): %w", len(model), err)
	}
	return nil
}

// result calls fn, which returns a packed result buffer, and returns a copy
// of the buffer (freed in the guest), or the error it holds.
func (in *instance) result(ctx context.Context, fn api.Function, params ...uint64) ([]byte, error) {
	view, packed, err := in.resultView(ctx, fn, params...)
	if err != nil {
		return nil, err
	}
	b := bytes.Clone(view)
	if _, err := in.call(ctx, in.freeFn, packed>>32); err != nil {
		return nil, err
	}
	if err := guestError(b); err != nil {
		return nil, err
	}
	return b, nil
}

// resultView calls fn and returns its result buffer as a view into guest
// memory, valid until the next call, and the packed result for free.
func (in *instance) resultView(ctx context.Context, fn api.Function, params ...uint64) ([]byte, uint64, error) {
	packed, err := in.call(ctx, fn, params...)
	if err != nil {
		return nil, 0, err
	}
	ptr, n := uint32(packed>>32), uint32(packed)
	view, ok := in.mem.Read(ptr, n)
	if !ok {
		return nil, 0, fmt.Errorf("runner: %s returned [%#x, +%d), outside the engine's memory", fn.Definition().Name(), ptr, n)
	}
	return view, packed, nil
}

// reply writes text into the reused message buffer, calls reply and decodes
// the result.
func (in *instance) reply(ctx context.Context, text string) (lotse.Reply, error) {
	if err := in.ensureInput(ctx, uint32(len(text))); err != nil {
		return lotse.Reply{}, err
	}
	dst, _ := in.mem.Read(in.in, uint32(len(text)))
	copy(dst, text)
	// The result is the module's reply buffer: valid until the next
	// reply, never freed (see the ABI in wasm/wasi).
	view, _, err := in.resultView(ctx, in.replyFn, uint64(in.in), uint64(len(text)))
	if err != nil {
		return lotse.Reply{}, err
	}
	return decodeReply(view)
}

// ensureInput makes the message buffer hold at least n bytes.
func (in *instance) ensureInput(ctx context.Context, n uint32) error {
	if n <= in.inCap && in.in != 0 {
		return nil
	}
	if in.in != 0 {
		if _, err := in.call(ctx, in.freeFn, uint64(in.in)); err != nil {
			return err
		}
		in.in, in.inCap = 0, 0
	}
	size := max(n, 1024)
	p, err := in.call(ctx, in.allocFn, uint64(size))
	if err != nil {
		return err
	}
	in.in, in.inCap = uint32(p), size
	return nil
}

// memorySize is the instance's linear memory size in bytes.
func (in *instance) memorySize() uint32 { return in.mem.Size() }

// guestError returns the error held by a result buffer {"error": ...}, or
// nil for any other result.
func guestError(b []byte) error {
	if !bytes.HasPrefix(b, []byte(`{"error":`)) {
		return nil
	}
	var e struct{ Error string }
	if err := json.Unmarshal(b, &e); err != nil {
		return fmt.Errorf("runner: decoding the engine's error %q: %w", b, err)
	}
	return &engineError{e.Error}
}

// engineError is an error the engine reported in a result buffer, such as
// a call before a model is loaded. It is not a trap: the instance is fine.
type engineError struct{ msg string }

func (e *engineError) Error() string { return "runner: the engine says: " + e.msg }

// prefixBuffer keeps the first limit bytes written to it: the start of a
// Go panic, which says what went wrong.
type prefixBuffer struct {
	mu    sync.Mutex
	limit int
	b     []byte
}

func (p *prefixBuffer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if room := p.limit - len(p.b); room > 0 {
		p.b = append(p.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// suffix is ": stderr: ..." for an error message, or "" if nothing was
// written.
func (p *prefixBuffer) suffix() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.b) == 0 {
		return ""
	}
	return "; the engine's stderr: " + string(bytes.TrimSpace(p.b))
}
