//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/lotse-chat/lotse/wasm/internal/guest"
)

// engine is the page's one model.
var engine guest.Engine

func main() {
	api := js.Global().Get("Object").New()
	api.Set("load", js.FuncOf(load))
	api.Set("reply", js.FuncOf(reply))
	api.Set("info", js.FuncOf(info))
	api.Set("version", js.FuncOf(version))
	js.Global().Set("lotse", api)
	select {} // keep the exported functions callable
}

func load(_ js.Value, args []js.Value) any {
	if len(args) != 1 || !isUint8Array(args[0]) {
		return jsError("lotse.load: want one argument, a Uint8Array holding a .lotse model file")
	}
	data := make([]byte, args[0].Get("length").Int())
	js.CopyBytesToGo(data, args[0])
	if err := engine.Load(data); err != nil {
		return jsError("lotse.load: " + err.Error())
	}
	return string(engine.AppendInfo(nil))
}

func reply(_ js.Value, args []js.Value) any {
	if len(args) != 1 || args[0].Type() != js.TypeString {
		return jsError("lotse.reply: want one argument, the message text as a string")
	}
	if !engine.Loaded() {
		return jsError("lotse.reply: no model loaded: call lotse.load(bytes) first")
	}
	return string(engine.AppendReply(make([]byte, 0, 512), args[0].String()))
}

func info(js.Value, []js.Value) any {
	if !engine.Loaded() {
		return jsError("lotse.info: no model loaded: call lotse.load(bytes) first")
	}
	return string(engine.AppendInfo(nil))
}

func version(js.Value, []js.Value) any {
	return string(engine.AppendVersion(nil))
}

func isUint8Array(v js.Value) bool {
	return v.Type() == js.TypeObject && v.InstanceOf(js.Global().Get("Uint8Array"))
}

func jsError(msg string) js.Value {
	return js.Global().Get("Error").New(msg)
}
