// Package guest is the engine state shared by the two WebAssembly entry
// points (wasm/browser and wasm/wasi): the loaded model, the last load
// error, and the JSON of the values they hand to the host.
//
// The JSON is written by hand, as lotse.Reply.AppendJSON is, so that the
// WebAssembly builds link neither reflection-based encoding/json nor fmt.
// The output decodes with encoding/json into lotse.Info and lotse.Reply.
package guest

import (
	"errors"
	"strconv"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/jsonw"
)

// Engine holds at most one loaded model. The zero value has none. Engine is
// not safe for concurrent use; WebAssembly guests are single-threaded.
type Engine struct {
	model *lotse.Model
	info  lotse.Info
	err   error // why the last Load failed, nil after a success
}

// errNoModel is reported by Reply and Info before the first successful Load.
var errNoModel = errors.New("no model loaded: call load with the bytes of a .lotse model file first")

// Load replaces the loaded model by the one in data. On error the
// previously loaded model, if any, stays loaded.
func (e *Engine) Load(data []byte) error {
	m, err := lotse.Load(data)
	if err != nil {
		e.err = err
		return err
	}
	e.model, e.info, e.err = m, m.Info(), nil
	return nil
}

// Loaded reports whether a model is loaded.
func (e *Engine) Loaded() bool { return e.model != nil }

// AppendReply appends the Reply JSON for text to b, or an error JSON (see
// AppendError) when no model is loaded.
func (e *Engine) AppendReply(b []byte, text string) []byte {
	if e.model == nil {
		msg := errNoModel.Error()
		if e.err != nil {
			msg += " (the last load failed: " + e.err.Error() + ")"
		}
		return AppendError(b, msg)
	}
	return e.model.Reply(text).AppendJSON(b)
}

// AppendInfo appends the loaded model's lotse.Info as JSON to b, or an error
// JSON when no model is loaded: why the last load failed, if it did.
func (e *Engine) AppendInfo(b []byte) []byte {
	if e.model == nil {
		if e.err != nil {
			return AppendError(b, e.err.Error())
		}
		return AppendError(b, errNoModel.Error())
	}
	return AppendInfo(b, e.info)
}

// AppendVersion appends {"engine":V,"model":M} to b: V is lotse.Version and
// M is null before a model is loaded, else the model's name, format version
// and the engine version that wrote it.
func (e *Engine) AppendVersion(b []byte) []byte {
	b = append(b, `{"engine":`...)
	b = jsonw.AppendString(b, lotse.Version)
	b = append(b, `,"model":`...)
	if e.model == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"name":`...)
		b = jsonw.AppendString(b, e.info.Name)
		b = append(b, `,"format_version":`...)
		b = strconv.AppendInt(b, int64(e.info.FormatVersion), 10)
		b = append(b, `,"engine":`...)
		b = jsonw.AppendString(b, e.info.Engine)
		b = append(b, '}')
	}
	return append(b, '}')
}

// AppendError appends {"error":msg} to b. Hosts tell it from a Reply or an
// Info by its first key.
func AppendError(b []byte, msg string) []byte {
	b = append(b, `{"error":`...)
	b = jsonw.AppendString(b, msg)
	return append(b, '}')
}

// AppendInfo appends info as JSON to b, with the keys of lotse.Info's json
// tags.
func AppendInfo(b []byte, info lotse.Info) []byte {
	b = append(b, `{"name":`...)
	b = jsonw.AppendString(b, info.Name)
	b = append(b, `,"languages":[`...)
	for i, l := range info.Languages {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, l)
	}
	b = append(b, `],"intents":[`...)
	for i, in := range info.Intents {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = jsonw.AppendString(b, in.Name)
		b = append(b, `,"handoff":`...)
		b = strconv.AppendBool(b, in.Handoff)
		b = append(b, '}')
	}
	b = append(b, `],"format_version":`...)
	b = strconv.AppendInt(b, int64(info.FormatVersion), 10)
	b = append(b, `,"engine":`...)
	b = jsonw.AppendString(b, info.Engine)
	b = append(b, `,"threshold":`...)
	b = jsonw.AppendFloat(b, info.Threshold)
	return append(b, '}')
}
