//go:build js

package edge

// gzipAssets tells whether this build serves compressed copies of assets.
const gzipAssets = false

// compress is a no-op in the Worker: Cloudflare compresses responses at
// its edge, and compressing here would cost the isolate CPU time and the
// bundle the gzip encoder.
func compress([]byte) []byte { return nil }
