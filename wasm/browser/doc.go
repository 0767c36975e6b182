//go:build js && wasm

// Command browser is the Lotse engine for the visitor's browser and other
// JavaScript hosts (GOOS=js GOARCH=wasm), run by Go's wasm_exec.js.
//
// Build (make wasm does this; wasm_exec.js comes from
// $(go env GOROOT)/lib/wasm/wasm_exec.js and must match the Go version):
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o engine.wasm ./wasm/browser
//
// # JavaScript API
//
// When go.run(instance) starts the module, it sets globalThis.lotse
// synchronously, before go.run returns its (never-settling) promise:
//
//	const go = new Go();
//	const {instance} = await WebAssembly.instantiateStreaming(fetch("engine.wasm"), go.importObject);
//	go.run(instance);                       // do not await: the Go program keeps running
//	const info = JSON.parse(check(lotse.load(new Uint8Array(await (await fetch("demo.lotse")).arrayBuffer()))));
//	const reply = JSON.parse(check(lotse.reply("wann muss ich zahlen?")));
//	function check(r) { if (r instanceof Error) throw r; return r; }
//
// The functions return strings holding JSON, or an Error object. They do
// not throw: a Go function called from JavaScript cannot throw, so the
// caller (the widget's loader) checks with instanceof Error and throws.
//
//	lotse.load(bytes: Uint8Array): string | Error
//	    Loads a .lotse model file; returns the model's Info JSON (name,
//	    languages, intents, format_version, engine, threshold). On an
//	    Error the previously loaded model, if any, stays loaded.
//	lotse.reply(text: string): string | Error
//	    The Reply JSON (see lotse.Reply) for one message; an Error before a
//	    successful load or if text is not a string.
//	lotse.info(): string | Error
//	    The loaded model's Info JSON, as load returned it.
//	lotse.version(): string
//	    {"engine":"0.1.0","model":null | {"name","format_version","engine"}}.
//
// The module links no net/http, fmt or encoding/json: the JSON is written
// by hand (package wasm/internal/guest) to keep the download small.
package main
