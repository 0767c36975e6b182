//go:build !js

package edge

import (
	"bytes"
	"compress/gzip"
)

// gzipAssets tells whether this build serves compressed copies of assets.
const gzipAssets = true

// compress returns data gzip-compressed, or nil if that does not make it
// clearly smaller (the model is compressed already). Native hosts (lotse
// serve) serve the result to clients that accept gzip; the Worker build
// leaves it out (gzip_js.go): Cloudflare compresses responses itself, and
// compressing in the isolate would spend the request's CPU budget.
func compress(data []byte) []byte {
	var buf bytes.Buffer
	// The default level: BestCompression saves under 2% on engine.wasm
	// and takes three times as long, which the first visitor would wait.
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	if buf.Len() > len(data)*9/10 {
		return nil
	}
	return buf.Bytes()
}
