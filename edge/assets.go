package edge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
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
	hashes map[string]string // name -> hex SHA-256 of the content
	gz     map[string]gzCopy // name -> compressed copy
}

// gzCopy is an asset's content and its gzip-compressed copy, nil if that
// is not worth serving.
type gzCopy struct{ plain, gz []byte }

func newAssets(fsys fs.FS) *assets {
	return &assets{fsys: fsys, hashes: map[string]string{}, gz: map[string]gzCopy{}}
}

// gzipped returns the compressed copy of data, the content of the asset
// name, compressing it on first use; nil means serve data as it is. The
// copy is kept with the content it was made from and made anew when the
// file changed (lotse serve reads widget/ as it is edited).
func (a *assets) gzipped(name string, data []byte) []byte {
	a.mu.Lock()
	c, ok := a.gz[name]
	a.mu.Unlock()
	if ok && bytes.Equal(c.plain, data) {
		return c.gz
	}
	c = gzCopy{plain: data, gz: compress(data)} // outside the lock: it takes a while
	a.mu.Lock()
	a.gz[name] = c
	a.mu.Unlock()
	return c.gz
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
	a.mu.Lock()
	defer a.mu.Unlock()
	h, ok := a.hashes[name]
	if !ok {
		sum := sha256.Sum256(data)
		h = hex.EncodeToString(sum[:])
		a.hashes[name] = h
	}
	return data, h, true
}

// AssetPath returns the versioned path of an asset, "/v/<hash>/<name>",
// which is served with immutable cache headers, or "" if Config.Assets has
// no such file. Pages and the widget should load engine.wasm and the model
// by this path.
func (h *Handler) AssetPath(name string) string {
	h.assets.mu.Lock()
	sum, ok := h.assets.hashes[name]
	h.assets.mu.Unlock()
	if !ok {
		_, sum, ok = h.assets.read(name)
	}
	if ok {
		return "/v/" + sum[:16] + "/" + name
	}
	return ""
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
		writeError(w, http.StatusNotFound, "not_found", "no asset "+r.URL.Path)
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
		if z := h.assets.gzipped(name, data); z != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
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
