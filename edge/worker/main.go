//go:build js && wasm

// Command worker is the Lotse edge as a Cloudflare Worker: the edge.Handler
// served by github.com/syumai/workers, with the demo model embedded and
// outbound requests sent through the Workers fetch API.
//
// Build it with edge/worker/build.sh (wrangler runs it, see wrangler.toml):
// it trains the model into assets/, compiles this package with
// GOOS=js GOARCH=wasm and writes build/worker/ with the glue (worker.mjs)
// that keeps one Go instance per isolate.
//
// main runs in the Worker's global scope (worker.mjs starts it at module
// evaluation), so everything it does before workers.Ready counts against
// Cloudflare's start-up limit instead of the first request's CPU time:
// loading the model and one warm-up request through the handler.
//
// Configuration comes from the Worker's environment: BACKEND_URL,
// ALLOWED_ORIGINS and RATE_LIMIT ([vars] in wrangler.toml) and the secret
// WEBHOOK_SECRET (wrangler secret put WEBHOOK_SECRET; .dev.vars locally).
package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/edge"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

// files holds model.lotse (trained by build.sh) and whatever other assets
// build.sh copied next to it.
//
//go:embed assets
var files embed.FS

// gcPercent is the Worker's GOGC. A collection lands in whichever request
// triggers it, and its cost grows with the heap it sweeps: at Go's default
// 100 the heap grew to twice the 6 MB live and every thousandth request
// paid 11-17 ms of CPU (node edge/e2e/cpu.mjs 6000), over the free plan's
// 10 ms; at 25 one request in about 250 pays 4-6 ms.
const gcPercent = 25

func main() {
	// Loading the model leaves megabytes of short-lived garbage; one
	// collection at the end costs less CPU than the several the default
	// pacing would run while it loads (about 10 ms in V8).
	gc := debug.SetGCPercent(-1)
	if os.Getenv("GOGC") == "" {
		gc = gcPercent
	}
	out := &gate{w: os.Stderr}
	log := slog.New(slog.NewJSONHandler(out, nil))
	h, err := handler(log)
	if err != nil {
		// Answer every request 500 instead of failing opaquely; the reason
		// goes to the log, now and with the 500s.
		reason := operatorError(err)
		log.Error("edge worker misconfigured", "err", reason)
		h = edge.Misconfigured(log, reason, time.Now)
	} else {
		if warning := edge.BackendURLWarning(cloudflare.Getenv("BACKEND_URL"), "BACKEND_URL"); warning != "" {
			log.Warn("edge worker: " + warning)
		}
		out.mute.Store(true)
		warmUp(h)
		out.mute.Store(false)
	}
	debug.SetGCPercent(gc)
	runtime.GC()
	// ServeNonBlock + Ready instead of workers.Serve: Serve returns (and the
	// Go program exits) after the first response, because syumai's glue
	// starts a Go instance per request. Our glue (worker.mjs) keeps this one
	// instance for the isolate's life, so the model is parsed only once.
	workers.ServeNonBlock(h)
	exposeBuffered(h)
	workers.Ready()
	select {}
}

// warmUp sends one chat request through h. The first request of a Go
// instance runs code V8 has not compiled yet (it compiles WebAssembly
// lazily, per function, on first call) and fills the engine's lazily built
// tables: about 25 ms of CPU, more than the free plan's 10 ms per request.
// Here it counts against the start-up limit instead. The request's answer
// is discarded; the rate limit bucket it uses belongs to no real client.
func warmUp(h http.Handler) {
	body := `{"conversation_id":"lotse-warm-up","message_id":"m1","text":"Hallo, wann muss ich meine Rechnung bezahlen? When is my payment due?"}`
	req, err := http.NewRequest(http.MethodPost, "/v1/chat", strings.NewReader(body))
	if err != nil {
		panic(err) // a constant request: cannot fail
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("CF-Connecting-IP", "lotse-warm-up")
	h.ServeHTTP(discard{header: http.Header{}}, req)
}

// discard is an http.ResponseWriter that drops the response.
type discard struct{ header http.Header }

func (d discard) Header() http.Header         { return d.header }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}

// gate writes to w unless muted: the warm-up request's log line would
// look like a visitor's.
type gate struct {
	w    io.Writer
	mute atomic.Bool
}

func (g *gate) Write(p []byte) (int, error) {
	if g.mute.Load() {
		return len(p), nil
	}
	return g.w.Write(p)
}

func handler(log *slog.Logger) (http.Handler, error) {
	assets, err := fs.Sub(files, "assets")
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(assets, "model.lotse")
	if err != nil {
		return nil, fmt.Errorf("no embedded model: %w; build with edge/worker/build.sh", err)
	}
	model, err := lotse.Load(data)
	if err != nil {
		return nil, err
	}
	cfg := edge.Config{
		Model:          model,
		BackendURL:     cloudflare.Getenv("BACKEND_URL"),
		Secret:         cloudflare.Getenv("WEBHOOK_SECRET"),
		Client:         fetchClient{},
		AllowedOrigins: edge.ParseOrigins(cloudflare.Getenv("ALLOWED_ORIGINS")),
		Assets:         assets,
		Logger:         log,
		ClientKey:      edge.CloudflareKey, // Cloudflare sets it; a client cannot
	}
	if v := cloudflare.Getenv("RATE_LIMIT"); v != "" {
		if cfg.RateLimit, err = edge.ParseRate(v); err != nil {
			return nil, fmt.Errorf("RATE_LIMIT: %w", err)
		}
	}
	return edge.New(cfg)
}

// envNames maps edge.Config's fields to the environment variables the
// operator sets, so that a refused configuration is explained in the
// operator's terms.
var envNames = map[string]string{
	"BackendURL":     "BACKEND_URL",
	"Secret":         "WEBHOOK_SECRET",
	"AllowedOrigins": "ALLOWED_ORIGINS",
	"RateLimit":      "RATE_LIMIT",
}

// operatorError is err as the Worker's operator should read it: an
// edge.ConfigError names the environment variables, not Go fields.
func operatorError(err error) string {
	if ce, ok := errors.AsType[*edge.ConfigError](err); ok {
		return ce.Describe(func(field string) string {
			if env, ok := envNames[field]; ok {
				return env
			}
			return field
		})
	}
	return err.Error()
}
