//go:build js && wasm

// Command startup is the Go side of edge/worker/gostart_test.mjs: a
// program that, like the Worker, starts in a global scope without timers
// or randomness. It sets timers before it is ready, and with
// CRYPTO_AT_START=1 asks crypto/rand for bytes during start-up.
package main

import (
	"crypto/rand"
	"os"
	"syscall/js"
	"time"

	"github.com/syumai/workers"
)

func main() {
	global := js.Global()
	if os.Getenv("CRYPTO_AT_START") != "" {
		rand.Read(make([]byte, 16))
	}
	// A short timer (its timeout set in the global scope) and a long one
	// that an event stops before it fires. Long, not endless: the JS
	// timeout Go set for it may outlive the stop, and it keeps the test's
	// event loop alive until it fires.
	time.AfterFunc(5*time.Millisecond, func() { global.Set("shortFired", true) })
	long := time.AfterFunc(2*time.Second, func() { global.Set("longFired", true) })
	// goEvent resumes Go from JS: Go clears its pending timeout (the long
	// timer's, deferred if set at start-up), reads crypto/rand, and stops
	// the long timer.
	global.Set("goEvent", js.FuncOf(func(js.Value, []js.Value) any {
		b := make([]byte, 16)
		rand.Read(b)
		long.Stop()
		return len(b)
	}))
	workers.Ready()
	select {}
}
