//go:build wasip1

package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"unsafe"

	"github.com/lotse-chat/lotse/wasm/internal/guest"
)

// engine is the module's one model.
var engine guest.Engine

// pinned keeps the buffers handed to the host reachable, by address, until
// the host frees them. Go's collector does not move objects, so an address
// stays valid as long as its slice is referenced here.
var pinned = map[uint32][]byte{}

// replyBuf holds the last reply's result, which stays valid until the next
// reply call (see the ABI in doc.go).
var replyBuf = make([]byte, 0, 1024)

// gcPercent is the module's GOGC unless the host sets $GOGC. A WebAssembly
// memory never shrinks, so the heap's peak is what an instance costs for
// its lifetime. A quarter of the live heap as room for garbage is a
// collection every few thousand replies (a reply leaves about 180 bytes),
// and the soak test's instance grows 3% from its 1,000th reply on; at 50 it
// grew 14%, over the first 4,400 replies.
const gcPercent = 25

func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// main is not called in a c-shared (reactor) build, but package main needs
// one.
func main() {}

//go:wasmexport alloc
func alloc(size uint32) uint32 {
	p := pin(make([]byte, max(size, 1)))
	runtime.Gosched()
	return p
}

//go:wasmexport free
func free(ptr uint32) {
	delete(pinned, ptr)
	runtime.Gosched()
}

//go:wasmexport load
func load(ptr unsafe.Pointer, size uint32) uint32 {
	status := uint32(0)
	// Decoding allocates a few MB that mostly stay live: collecting while
	// the heap grows from nothing would mark it again and again. So the GC
	// is off during the load and runs once after it, which also leaves the
	// heap at its steady state before the first reply.
	gc := debug.SetGCPercent(-1)
	// Copied, so that the model never aliases memory the host may reuse.
	data := append([]byte(nil), bytesAt(ptr, size)...)
	if err := engine.Load(data); err != nil {
		status = 1
	}
	data = nil
	debug.SetGCPercent(gc)
	runtime.GC()
	runtime.Gosched()
	return status
}

//go:wasmexport reply
func reply(ptr unsafe.Pointer, size uint32) uint64 {
	b := bytesAt(ptr, size)
	// The text is copied: the host may reuse its buffer, and the Reply
	// must not alias it. The result goes into one buffer that every call
	// reuses: no allocation, no pinning, and no free call for the host to
	// make per reply.
	replyBuf = engine.AppendReply(replyBuf[:0], string(b))
	r := uint64(uint32(uintptr(unsafe.Pointer(unsafe.SliceData(replyBuf)))))<<32 | uint64(len(replyBuf))
	runtime.Gosched()
	return r
}

//go:wasmexport info
func info() uint64 {
	r := result(engine.AppendInfo(nil))
	runtime.Gosched()
	return r
}

//go:wasmexport version
func version() uint64 {
	r := result(engine.AppendVersion(nil))
	runtime.Gosched()
	return r
}

// pin records b as handed to the host and returns its address.
func pin(b []byte) uint32 {
	p := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	pinned[p] = b
	return p
}

// result pins b and packs its address and length for the host.
func result(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	return uint64(pin(b))<<32 | uint64(len(b))
}

// bytesAt is the host-written memory [ptr, ptr+size). It must have come
// from alloc; the slice aliases it, it is not copied. The parameters are
// unsafe.Pointer (i32 in the ABI), so that no integer becomes a pointer.
func bytesAt(ptr unsafe.Pointer, size uint32) []byte {
	if size == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(ptr), size)
}
