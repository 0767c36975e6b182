//go:build wasip1

// Command wasi is the Lotse engine as a WASI reactor: a WebAssembly module
// (GOOS=wasip1 GOARCH=wasm, -buildmode=c-shared) that any WASI host can
// load. Package runner hosts it in wazero; the CLI embeds it.
//
// Build:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath "-ldflags=-s -w" -o lotse.wasi.wasm ./wasm/wasi
//
// # ABI
//
// The module imports only wasi_snapshot_preview1 and exports its linear
// memory as "memory". A host must call "_initialize" once, before any other
// export (it starts the Go runtime and must not be called again). Pointers
// and lengths are unsigned 32-bit offsets and byte counts in "memory".
//
//	alloc(size u32) -> ptr u32
//	    Allocates size bytes (at least one) and returns their address. The
//	    buffer stays valid, at the same address, until free(ptr).
//	free(ptr u32)
//	    Releases a buffer returned by alloc or inside a result (below).
//	    Freeing 0 or an unknown pointer does nothing.
//	load(ptr u32, len u32) -> status u32
//	    Loads the model file in [ptr, ptr+len). 0: loaded; 1: the bytes are
//	    not a model this engine can read (the previous model, if any, stays
//	    loaded; info tells why). The bytes are copied: the host may free or
//	    reuse the input buffer afterwards.
//	reply(ptr u32, len u32) -> result u64
//	    Replies to the UTF-8 message in [ptr, ptr+len). The result is the
//	    Reply JSON (see lotse.Reply), or {"error":"..."} if no model is loaded.
//	    Unlike other results, it lives in one buffer the module reuses: it
//	    stays valid until the next reply call and is not to be freed
//	    (freeing it does nothing). A reply is then one call, not two.
//	info() -> result u64
//	    The loaded model's Info JSON (name, languages, intents,
//	    format_version, engine, threshold), or {"error":"..."}.
//	version() -> result u64
//	    {"engine":"0.1.0","model":null | {"name","format_version","engine"}}.
//
// A result u64 packs a buffer as ptr<<32 | len. The host copies the bytes
// out and must then call free(ptr), except after reply: result buffers are
// pinned, not garbage collected, until freed. Results are JSON objects; an error is the object
// whose first key is "error".
//
// Every export calls runtime.Gosched before it returns. A wasip1 reactor
// runs Go code only during export calls, so without a scheduling point the
// GC's background mark workers never run and the heap grows until it hits
// the host's bound on the instance's memory (golang/go#65199).
//
// A WebAssembly memory never shrinks, so an instance costs its peak heap for
// its lifetime. The module therefore sets GOGC=25 (a host may set $GOGC in
// the module's environment instead) and collects once after each load, so
// that the heap's goal starts from the model's live heap. It sets no soft
// memory limit: memory the runtime once mapped cannot be given back, so a
// limit the instance ever exceeded would make the collector run on every
// reply for the instance's lifetime (seen with a limit of the memory held
// after a load plus a sixteenth: p50 490 µs instead of 35 µs).
//
// The module is single-threaded: a host must not call it from two threads
// at once. Hosts that serve concurrent callers instantiate it once per
// caller, as package runner's pool does.
package main
