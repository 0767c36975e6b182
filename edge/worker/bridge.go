//go:build js && wasm

package main

import (
	"bytes"
	"net/http"
	"syscall/js"
)

// exposeBuffered puts serveBuffered(method, url, headers, body) on the
// Worker's binding, beside syumai's handleRequest: it runs h on a request
// whose body JS has read whole (a Uint8Array, or null) and resolves to
// {status, headers, body} with the whole response body.
//
// Why not only syumai's handleRequest: its request and response streams
// await JS promises by registering a js.Func for "then" and one for
// "catch", and release only the one that ran (syumai/workers v0.33.0,
// internal/jsutil). The other stays in syscall/js's table for the life of
// the instance with what it holds, about 1.1 KB a request, which one Go
// instance per isolate never sheds: the live heap grew by 1 MB every 900
// requests, and each collection, scanning it, cost a request up to 30-43
// ms of CPU after 6,000 requests (node edge/e2e/cpu.mjs 6000), three to
// four times the free plan's limit. Whole bodies need no streams and no
// promises on the Go side. worker.mjs still sends event streams, and
// bodies too long to read into memory, through handleRequest.
func exposeBuffered(h http.Handler) {
	serve := js.FuncOf(func(_ js.Value, args []js.Value) any {
		req, err := bufferedRequest(args)
		promise := js.Global().Get("Promise")
		if err != nil {
			return promise.Call("reject", js.Global().Get("Error").New(err.Error()))
		}
		// The executor runs inside Promise's constructor, so it can be
		// released as soon as the promise exists.
		executor := js.FuncOf(func(_ js.Value, p []js.Value) any {
			resolve := p[0]
			go func() {
				rec := &recorder{header: http.Header{}, status: http.StatusOK}
				h.ServeHTTP(rec, req)
				resolve.Invoke(rec.toJS())
			}()
			return nil
		})
		defer executor.Release()
		return promise.New(executor)
	})
	// Never released: it serves every request of the instance.
	js.Global().Get("context").Get("binding").Set("serveBuffered", serve)
}

// bufferedRequest builds the request from serveBuffered's arguments:
// method, URL, headers as [name, value] pairs, body bytes or null.
func bufferedRequest(args []js.Value) (*http.Request, error) {
	var body []byte
	if len(args) > 3 && args[3].Truthy() {
		body = make([]byte, args[3].Get("byteLength").Int())
		js.CopyBytesToGo(body, args[3])
	}
	req, err := http.NewRequest(args[0].String(), args[1].String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	pairs := args[2]
	for i := range pairs.Length() {
		kv := pairs.Index(i)
		req.Header.Add(kv.Index(0).String(), kv.Index(1).String())
	}
	req.Host = req.Header.Get("Host")
	req.RemoteAddr = req.Header.Get("Cf-Connecting-Ip") // as syumai's handleRequest sets it
	return req, nil
}

// recorder is an http.ResponseWriter that keeps the whole response.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}

// toJS returns {status, headers: [[name, value]...], body: Uint8Array}.
func (r *recorder) toJS() js.Value {
	headers := js.Global().Get("Array").New()
	for name, values := range r.header {
		for _, v := range values {
			headers.Call("push", js.ValueOf([]any{name, v}))
		}
	}
	body := js.Global().Get("Uint8Array").New(r.body.Len())
	js.CopyBytesToJS(body, r.body.Bytes())
	out := js.Global().Get("Object").New()
	out.Set("status", r.status)
	out.Set("headers", headers)
	out.Set("body", body)
	return out
}
