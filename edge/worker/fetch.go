//go:build js && wasm

package main

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"syscall/js"
)

// fetchClient is an edge.Doer on the Workers fetch API. It avoids
// http.Client, whose transport does not work in workerd and would link
// Go's whole HTTP/1 and HTTP/2 client into the binary.
//
// Why not syumai's fetch.Client (github.com/syumai/workers v0.33.0,
// cloudflare/fetch): it hands fetch the request body as a ReadableStream
// fed from Go (internal/jshttp.ToJSRequest, via
// internal/jsutil.ConvertReaderToReadableStream). When the backend cannot
// be reached, fetch rejects and Go gets the error, but workerd's pump of
// that body stream fails too, and nothing observes that second rejection:
// every handoff attempt printed "Uncaught Error: Network connection lost."
// in the wrangler dev console (and in wrangler tail as an exception). Its
// internal/jsutil.AwaitPromise also registers a js.Func for "then" and one
// for "catch" and releases only the one that ran, so every request leaked
// the other. Here the body goes to fetch as a Uint8Array (the edge's
// requests are small and in memory already), every promise is awaited
// with both handlers, which are released once it settles, and the
// promises nobody waits for (cancelling a body) get a handler that
// ignores their rejection.
type fetchClient struct{}

var (
	jsFetch      = js.Global().Get("fetch")
	jsObject     = js.Global().Get("Object")
	jsArray      = js.Global().Get("Array")
	jsHeaders    = js.Global().Get("Headers")
	jsUint8Array = js.Global().Get("Uint8Array")
	jsString     = js.Global().Get("String")
	// ignore is the rejection handler of promises nobody awaits. Never
	// released: it serves the instance's life.
	ignore = js.FuncOf(func(js.Value, []js.Value) any { return nil })
)

// Do sends req with fetch and returns the response, whose body streams
// from the backend as it arrives. Redirects are followed, as
// http.Client does; req's context is not passed on (fetch has no
// deadline of its own; the edge bounds its waits itself).
func (fetchClient) Do(req *http.Request) (*http.Response, error) {
	init := jsObject.New()
	init.Set("method", req.Method)
	headers := jsHeaders.New()
	for name, values := range req.Header {
		for _, v := range values {
			headers.Call("append", name, v)
		}
	}
	init.Set("headers", headers)
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		b := jsUint8Array.New(len(body))
		js.CopyBytesToJS(b, body)
		init.Set("body", b)
	}
	res, err := await(jsFetch.Invoke(req.URL.String(), init))
	if err != nil {
		return nil, err
	}
	return toResponse(req, res), nil
}

// toResponse converts a JS Response; its body is read as Go reads it.
func toResponse(req *http.Request, res js.Value) *http.Response {
	status := res.Get("status").Int()
	header := http.Header{}
	entries := jsArray.Call("from", res.Get("headers").Call("entries"))
	for i := range entries.Length() {
		kv := entries.Index(i)
		header.Add(kv.Index(0).String(), kv.Index(1).String())
	}
	length := int64(-1)
	if n, err := strconv.ParseInt(header.Get("Content-Length"), 10, 64); err == nil {
		length = n
	}
	var body io.ReadCloser = http.NoBody
	if s := res.Get("body"); !s.IsNull() && !s.IsUndefined() {
		body = &streamBody{stream: s}
	}
	return &http.Response{
		Status:        strconv.Itoa(status) + " " + res.Get("statusText").String(),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          body,
		ContentLength: length,
		Request:       req,
	}
}

// streamBody reads a ReadableStream of bytes.
type streamBody struct {
	stream js.Value
	reader js.Value // its reader, once the first Read asked for one
	buf    []byte   // the unread rest of the last chunk
	err    error    // sticky: io.EOF or the stream's error
}

func (b *streamBody) Read(p []byte) (int, error) {
	for len(b.buf) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if b.reader.IsUndefined() {
			b.reader = b.stream.Call("getReader")
		}
		r, err := await(b.reader.Call("read"))
		switch {
		case err != nil:
			b.err = err
		case r.Get("done").Bool():
			b.err = io.EOF
		default:
			chunk := r.Get("value")
			b.buf = make([]byte, chunk.Get("byteLength").Int())
			js.CopyBytesToGo(b.buf, chunk)
		}
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

// Close cancels the stream, so that workerd stops receiving it. The
// cancellation's promise rejects if the stream failed already; nobody
// needs to know.
func (b *streamBody) Close() error {
	if b.err == nil {
		b.err = errors.New("fetch: read on a closed body")
	}
	target := b.stream
	if !b.reader.IsUndefined() {
		target = b.reader
	}
	target.Call("cancel").Call("catch", ignore)
	return nil
}

// await waits for promise to settle and returns its value, or its
// rejection reason as the error.
func await(promise js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	done := make(chan outcome, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := js.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		done <- outcome{v: v}
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		reason := "rejected"
		if len(args) > 0 {
			reason = jsString.Invoke(args[0]).String()
		}
		done <- outcome{err: errors.New("fetch: " + reason)}
		return nil
	})
	promise.Call("then", onValue, onError)
	o := <-done
	onValue.Release()
	onError.Release()
	return o.v, o.err
}
