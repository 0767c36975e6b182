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
// Configuration comes from the Worker's environment: BACKEND_URL,
// ALLOWED_ORIGINS and RATE_LIMIT ([vars] in wrangler.toml) and the secret
// WEBHOOK_SECRET (wrangler secret put WEBHOOK_SECRET; .dev.vars locally).
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/edge"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/fetch"
)

// files holds model.lotse (trained by build.sh) and whatever other assets
// build.sh copied next to it.
//
//go:embed assets
var files embed.FS

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := handler(log)
	if err != nil {
		// Answer every request with the reason instead of failing opaquely.
		log.Error("edge worker misconfigured", "err", err)
		h = misconfigured(err)
	}
	// ServeNonBlock + Ready instead of workers.Serve: Serve returns (and the
	// Go program exits) after the first response, because syumai's glue
	// starts a Go instance per request. Our glue (worker.mjs) keeps this one
	// instance for the isolate's life, so the model is parsed only once.
	workers.ServeNonBlock(h)
	workers.Ready()
	select {}
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
		Client:         fetchClient{fetch.NewClient()},
		AllowedOrigins: edge.ParseOrigins(cloudflare.Getenv("ALLOWED_ORIGINS")),
		Assets:         assets,
		Logger:         log,
	}
	if v := cloudflare.Getenv("RATE_LIMIT"); v != "" {
		if cfg.RateLimit, err = edge.ParseRate(v); err != nil {
			return nil, fmt.Errorf("RATE_LIMIT: %w", err)
		}
	}
	return edge.New(cfg)
}

// fetchClient adapts the Workers fetch API to edge.Doer. It avoids
// http.Client, whose transport does not work in workerd and would link
// Go's whole HTTP/1 and HTTP/2 client into the binary.
type fetchClient struct{ c *fetch.Client }

func (f fetchClient) Do(req *http.Request) (*http.Response, error) {
	return f.c.Do(&fetch.Request{Request: req}, nil)
}

func misconfigured(err error) http.Handler {
	body := fmt.Appendf(nil, `{"error":{"code":"misconfigured","message":%q}}`+"\n", "edge worker misconfigured: "+err.Error())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(body)
	})
}
