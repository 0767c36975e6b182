package edge

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cache lifetimes of assets: versioned names never change, so browsers and
// CDNs keep them a year; unversioned names (widget.js in the embed
// snippet) must pick up a new release within minutes.
const (
	cacheVersioned   = "public, max-age=31536000, immutable"
	cacheUnversioned = "public, max-age=300"
)

// assets serves the files of an fs.FS with their content hash as version.
type assets struct {
	fsys   fs.FS
	mu     sync.Mutex
	hashes map[string]version // name -> the content's hash
	gz     map[string]gzCopy  // name -> compressed copy
}

// version is the hex SHA-256 of an asset's content, with the size and
// modification time it was computed for.
type version struct {
	hash string
	size int
	mod  time.Time
}

// gzCopy is the gzip-compressed copy of an asset's content with the hash
// of that content; gz is nil when compressing is not worth it.
type gzCopy struct {
	hash string
	gz   []byte
}

func newAssets(fsys fs.FS) *assets {
	return &assets{fsys: fsys, hashes: map[string]version{}, gz: map[string]gzCopy{}}
}

// gzipped returns the compressed copy of data, the content of the asset
// name with the given hash, compressing it on first use; nil means serve
// data as it is. The copy is kept under the content's hash, so it is made
// once per version and never compared byte by byte.
func (a *assets) gzipped(name, hash string, data []byte) []byte {
	a.mu.Lock()
	c, ok := a.gz[name]
	a.mu.Unlock()
	if ok && c.hash == hash {
		return c.gz
	}
	c = gzCopy{hash: hash, gz: compress(data)} // outside the lock: it takes a while
	a.mu.Lock()
	a.gz[name] = c
	a.mu.Unlock()
	return c.gz
}

// gzipFor returns the compressed copy of an asset to send to r, or nil:
// when the client does not take gzip, the build serves none (the Worker),
// or compressing does not pay.
func (h *Handler) gzipFor(r *http.Request, name, hash string, data []byte) []byte {
	if !gzipAssets || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		return nil
	}
	return h.assets.gzipped(name, hash, data)
}

// compressible reports whether a file type is worth gzip-compressing:
// text and WebAssembly (about a third of its size); the model is tried
// too, as compress keeps only copies that are clearly smaller.
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".wasm", ".js", ".mjs", ".html", ".css", ".json", ".svg", ".txt", ".lotse":
		return true
	}
	return false
}

// acceptsGzip reports whether the Accept-Encoding header allows gzip:
// listed (or "*") without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q=")
		if !ok {
			return true
		}
		if v, err := strconv.ParseFloat(q, 64); err == nil && v > 0 {
			return true
		}
	}
	return false
}

// read returns a file's content and hash; files are read once per
// request, hashed once per process.
func (a *assets) read(name string) ([]byte, string, bool) {
	if a.fsys == nil || !fs.ValidPath(name) || name == "." {
		return nil, "", false
	}
	data, err := fs.ReadFile(a.fsys, name)
	if err != nil {
		return nil, "", false
	}
	// The hash is kept while the file's size and modification time stay:
	// hashing engine.wasm on every request would cost a millisecond, and
	// lotse serve reads widget/ as it is edited, so a changed file must get
	// a new hash (its ETag, its versioned path, its gzip copy).
	var mod time.Time
	if fi, err := fs.Stat(a.fsys, name); err == nil {
		mod = fi.ModTime()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	v, ok := a.hashes[name]
	if !ok || v.size != len(data) || !v.mod.Equal(mod) {
		sum := sha256.Sum256(data)
		v = version{hash: hex.EncodeToString(sum[:]), size: len(data), mod: mod}
		a.hashes[name] = v
	}
	return data, v.hash, true
}

// AssetPath returns the versioned path of an asset, "/v/<hash>/<name>",
// which is served with immutable cache headers, or "" if Config.Assets has
// no such file. Pages and the widget should load engine.wasm and the model
// by this path.
func (h *Handler) AssetPath(name string) string {
	h.assets.mu.Lock()
	v, ok := h.assets.hashes[name]
	h.assets.mu.Unlock()
	sum := v.hash
	if !ok {
		_, sum, ok = h.assets.read(name)
	}
	if ok {
		return "/v/" + sum[:16] + "/" + name
	}
	return ""
}

// assetMissing words the 404 for an asset path: the browser engine, which
// a Worker usually does not serve, and an outdated version get advice.
func assetMissing(path, name string, exists bool) string {
	switch {
	case exists:
		return "no asset " + path + ": not the current version; GET /v1/health lists the current paths"
	case name == "engine.wasm":
		return "no asset " + path + ": this edge does not serve the browser engine (GET /v1/health lists the assets it serves); " +
			"host engine.wasm elsewhere and set the widget's data-wasm to its URL, or the widget answers through the edge"
	}
	return "no asset " + path
}

func (h *Handler) handleAsset(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "index.html"
	}
	want := "" // the version the path asks for, if any
	if rest, ok := strings.CutPrefix(name, "v/"); ok {
		want, name, _ = strings.Cut(rest, "/")
	}
	data, sum, ok := h.assets.read(name)
	if !ok || (want != "" && (len(want) < 8 || !strings.HasPrefix(sum, want))) {
		writeError(w, http.StatusNotFound, "not_found", assetMissing(r.URL.Path, name, ok))
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType(name))
	hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	hd.Set("X-Content-Type-Options", "nosniff")
	etag := `"` + sum[:32] + `"`
	if compressible(name) {
		// Caches must keep the gzip and the plain copy apart, each with
		// its own ETag, so a revalidation names the copy it holds.
		hd.Add("Vary", "Accept-Encoding")
		if z := h.gzipFor(r, name, sum, data); z != nil {
			data, etag = z, `"`+sum[:32]+`-gzip"`
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("ETag", etag)
	if want != "" || hashedName(name) {
		hd.Set("Cache-Control", cacheVersioned)
	} else {
		hd.Set("Cache-Control", cacheUnversioned)
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && (strings.Contains(inm, etag) || strings.TrimSpace(inm) == "*") {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// hashedName reports whether a file name carries a content hash as one of
// its dot-separated parts, as in engine.3f9a0c1d.wasm.
func hashedName(name string) bool {
	parts := strings.Split(path.Base(name), ".")
	for _, p := range parts[1:] {
		if len(p) >= 8 && strings.Trim(p, "0123456789abcdef") == "" {
			return true
		}
	}
	return false
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".lotse":
		return "application/octet-stream"
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
