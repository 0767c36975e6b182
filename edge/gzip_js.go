//go:build js

package edge

// compress is a no-op in the Worker: Cloudflare compresses responses at
// its edge, and compressing here would cost the isolate CPU time and the
// bundle the gzip encoder.
func compress([]byte) []byte { return nil }
