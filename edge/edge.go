// Package edge is Lotse's edge API as an http.Handler: it answers chat
// messages with the engine, forwards handoffs to the central backend signed
// per Standard Webhooks, relays agent replies to the widget and serves the
// widget's static assets.
//
// The same Handler runs natively (tests, lotse serve) and inside the
// Cloudflare Worker (package edge/worker). It does no I/O of its own except
// through Config.Client, so each host plugs in its HTTP client: an
// *http.Client natively, one on the Workers fetch API in the Worker.
//
// Routes:
//
//	POST /v1/chat                              {conversation_id, message_id, text, lang?} -> Reply
//	POST /v1/handoff                           a conversation -> the backend's POST /v1/inbox
//	GET  /v1/conversations/{id}/events?after=N agent replies, proxied from the backend
//	GET  /v1/health                            {"status":"ok", ...}
//	GET  /<asset>, /v/<hash>/<asset>           files of Config.Assets
//
// Every error is JSON: {"error": {"code": "...", "message": "..."}}.
package edge

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/handoff"
)

// Doer sends an HTTP request and returns its response, as *http.Client
// does. The Worker passes a client built on the Workers fetch API.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Config configures a Handler. Only Model is required.
type Config struct {
	// Model is the trained bot that answers /v1/chat.
	Model *lotse.Model
	// Bot is the bot's name in handoffs; empty means the model's name.
	Bot string

	// BackendURL is the central backend's base URL, e.g.
	// "https://backend.example.com"; handoffs go to BackendURL+"/v1/inbox".
	// Empty disables /v1/handoff and the events relay (they answer 503).
	BackendURL string
	// Secret is the Standard Webhooks secret handoffs are signed with:
	// "whsec_" and the base64 of at least 24 random bytes (see
	// handoff.CheckSecret), the backend's. Required when BackendURL is set.
	Secret string
	// Client sends the requests to the backend; nil means a plain
	// *http.Client (handoff attempts are bounded by Retry.Timeout, event
	// relays by the visitor's request). The Worker sets its fetch based
	// client.
	Client Doer

	// AllowedOrigins are the web origins ("https://shop.example") allowed
	// to call the API from a browser; "*" allows any. Requests from other
	// origins get no CORS headers, and their preflights get 403.
	AllowedOrigins []string

	// RateLimit is each client's token bucket: Burst requests at once,
	// refilled at Burst per Per. The zero value means 60 per minute.
	RateLimit Rate
	// ClientKey names the client a request counts against; nil means
	// PeerKey, the TCP peer. Behind Cloudflare use CloudflareKey.
	ClientKey func(*http.Request) string

	// Assets are the static files (widget.js, engine.wasm, the model ...)
	// served under their names and, with immutable cache headers, under
	// /v/<hash>/<name> (see Handler.AssetPath). Nil serves none.
	Assets fs.FS

	// Retry governs the delivery of handoffs; the zero value means
	// DefaultRetry.
	Retry Retry

	// Logger receives one line per request, without message text (the
	// personal-data detector can miss some); at slog.LevelDebug a second
	// line carries the text redacted by package pii. Nil means
	// slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits between delivery attempts; nil means time.Sleep (with
	// the request's cancellation). Tests set it to record the backoff.
	Sleep func(time.Duration)
	// IdempotencyEntries bounds the in-memory cache of recent message IDs
	// and their results; 0 means 4096.
	IdempotencyEntries int
}

// Rate is a token bucket: Burst tokens, refilled at Burst per Per.
type Rate struct {
	Burst int
	Per   time.Duration
}

// ParseRate parses a rate written "N/DURATION", e.g. "60/1m" or "5/1s",
// the form of the Worker's RATE_LIMIT variable.
func ParseRate(s string) (Rate, error) {
	n, d, ok := strings.Cut(strings.TrimSpace(s), "/")
	burst, err1 := strconv.Atoi(n)
	per, err2 := time.ParseDuration(d)
	if !ok || err1 != nil || err2 != nil || burst < 1 || per <= 0 {
		return Rate{}, fmt.Errorf("edge: rate %q: want N/DURATION with N >= 1, e.g. 60/1m", s)
	}
	return Rate{Burst: burst, Per: per}, nil
}

// Retry says how often and how patiently a handoff is offered to the
// backend before the widget is told to retry later.
type Retry struct {
	// Attempts is the number of tries, at least 1.
	Attempts int
	// Backoff is the wait after the first failed try; it doubles after
	// each further failure.
	Backoff time.Duration
	// Timeout bounds each try.
	Timeout time.Duration
}

// DefaultRetry tries three times within about 10 s, well inside a Worker's
// wall-clock budget and a visitor's patience.
var DefaultRetry = Retry{Attempts: 3, Backoff: 250 * time.Millisecond, Timeout: 4 * time.Second}

// MaxBody is the largest request body the edge accepts, in bytes, except
// for handoffs.
const MaxBody = 8 << 10

// MaxHandoffBody is the largest body of POST /v1/handoff, in bytes: a
// handoff carries the conversation so far, and a long one must reach the
// agent whole (the widget drops the oldest lines only beyond this).
const MaxHandoffBody = 32 << 10

// Handler is the edge API. Create it with New; it is safe for concurrent
// use.
type Handler struct {
	cfg     Config
	bot     string
	intents map[string]bool // the model's intents and languages, which
	langs   map[string]bool // alone a handoff may name
	key     []byte
	origins map[string]bool
	anyOrig bool
	limiter *limiter
	seen    *replayCache
	assets  *assets
	log     *slog.Logger
	mux     *http.ServeMux
}

// New checks cfg and returns a Handler. A Config it refuses is reported
// as a *ConfigError.
func New(cfg Config) (*Handler, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg.BackendURL = strings.TrimRight(cfg.BackendURL, "/")
	if cfg.Client == nil {
		cfg.Client = defaultClient()
	}
	if cfg.Client == nil && cfg.BackendURL != "" {
		return nil, configErr("Client", func(name func(string) string) string {
			return fmt.Sprintf("%s is set but %s is nil; pass an HTTP client (GOOS=js has no default)", name("BackendURL"), name("Client"))
		})
	}
	if cfg.RateLimit == (Rate{}) {
		cfg.RateLimit = Rate{Burst: 60, Per: time.Minute}
	}
	if cfg.ClientKey == nil {
		cfg.ClientKey = PeerKey
	}
	if cfg.Retry == (Retry{}) {
		cfg.Retry = DefaultRetry
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = time.Sleep
	}
	if cfg.IdempotencyEntries <= 0 {
		cfg.IdempotencyEntries = 4096
	}
	h := &Handler{cfg: cfg, bot: cfg.Bot, key: handoff.SecretKey(cfg.Secret),
		origins: map[string]bool{}, log: cfg.Logger,
		limiter: newLimiter(cfg.RateLimit, 10000), seen: newReplayCache(cfg.IdempotencyEntries),
		assets: newAssets(cfg.Assets)}
	info := cfg.Model.Info()
	if h.bot == "" {
		h.bot = info.Name
	}
	h.intents, h.langs = map[string]bool{}, map[string]bool{}
	for _, in := range info.Intents {
		h.intents[in.Name] = true
	}
	for _, l := range info.Languages {
		h.langs[l] = true
	}
	for _, o := range cfg.AllowedOrigins {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		switch {
		case o == "*":
			h.anyOrig = true
		case o != "":
			h.origins[o] = true
		}
	}
	h.routes()
	return h, nil
}

// check reports the first setting of cfg that New cannot work with.
func (cfg *Config) check() error {
	if cfg.Model == nil {
		return configErr("Model", func(name func(string) string) string {
			return name("Model") + " is nil; load a model with lotse.Load"
		})
	}
	if cfg.BackendURL != "" {
		if err := checkURL(cfg.BackendURL); err != nil {
			return err
		}
		if cfg.Secret == "" {
			return configErr("Secret", func(name func(string) string) string {
				return fmt.Sprintf("%s is set but %s is empty; set the webhook secret the backend verifies (the backend's LOTSE_WEBHOOK_SECRET)",
					name("BackendURL"), name("Secret"))
			})
		}
		if err := handoff.CheckSecret(cfg.Secret); err != nil {
			return configErr("Secret", func(name func(string) string) string {
				return fmt.Sprintf("%s: %v; it must equal the backend's LOTSE_WEBHOOK_SECRET", name("Secret"), err)
			})
		}
	}
	if r := cfg.RateLimit; r != (Rate{}) && (r.Burst < 1 || r.Per <= 0) {
		return configErr("RateLimit", func(name func(string) string) string {
			return fmt.Sprintf("%s %d/%v: want at least 1 request per positive duration, e.g. 60/1m", name("RateLimit"), r.Burst, r.Per)
		})
	}
	if r := cfg.Retry; r != (Retry{}) && (r.Attempts < 1 || r.Timeout <= 0) {
		return configErr("Retry", func(name func(string) string) string {
			return fmt.Sprintf("%s %+v: want Attempts >= 1 and Timeout > 0", name("Retry"), r)
		})
	}
	return nil
}

// ConfigError is a Config that New refuses. Its message names the Config
// fields at fault; Describe names them as the host's operator knows them,
// e.g. the Worker's environment variables.
type ConfigError struct {
	// Field is the Config field at fault, e.g. "Secret".
	Field string
	// explain writes the message, naming every field through name.
	explain func(name func(field string) string) string
}

func configErr(field string, explain func(name func(string) string) string) *ConfigError {
	return &ConfigError{Field: field, explain: explain}
}

// Error names the Config fields: "edge: BackendURL is set but Secret is
// empty; ...".
func (e *ConfigError) Error() string {
	return "edge: " + e.explain(func(f string) string { return f })
}

// Describe is the message with each Config field called name(field)
// instead: the Worker passes a function that maps "Secret" to
// "WEBHOOK_SECRET".
func (e *ConfigError) Describe(name func(field string) string) string {
	return e.explain(name)
}

// ParseOrigins splits a comma- or space-separated list of origins, the
// form of the Worker's ALLOWED_ORIGINS variable.
func ParseOrigins(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	m.HandleFunc("/v1/chat", h.limited(h.post(h.handleChat)))
	m.HandleFunc("/v1/handoff", h.limited(h.post(h.handleHandoff)))
	m.HandleFunc("/v1/conversations/{id}/events", h.limited(h.get(h.handleEvents)))
	m.HandleFunc("/v1/health", h.get(h.handleHealth))
	m.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no route "+r.URL.Path+"; the edge serves /v1/chat, /v1/handoff, /v1/conversations/{id}/events and /v1/health")
	})
	m.HandleFunc("/", h.get(h.handleAsset))
	h.mux = m
}

// ServeHTTP applies CORS and answers the request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.cfg.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	if !h.cors(rec, r) {
		h.logRequest(r, rec, start)
		return
	}
	h.mux.ServeHTTP(rec, r)
	h.logRequest(r, rec, start)
}

// get and post restrict a route to its methods, answering 405 with Allow.
func (h *Handler) get(next http.HandlerFunc) http.HandlerFunc {
	return method(next, "GET, HEAD", http.MethodGet, http.MethodHead)
}

func (h *Handler) post(next http.HandlerFunc) http.HandlerFunc {
	return method(next, "POST", http.MethodPost)
}

func method(next http.HandlerFunc, allow string, methods ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for _, m := range methods {
			if r.Method == m {
				next(w, r)
				return
			}
		}
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s does not accept %s; use %s", r.URL.Path, r.Method, allow))
	}
}

// wellKnownAssets are the files whose versioned paths /v1/health lists, so
// the widget can load them with immutable caching.
var wellKnownAssets = []string{"widget.js", "engine.wasm", "wasm_exec.js", "model.lotse"}

func (h *Handler) handleHealth(w http.ResponseWriter, r *http.Request) {
	info := h.cfg.Model.Info()
	assets := map[string]string{}
	for _, name := range wellKnownAssets {
		if p := h.AssetPath(name); p != "" {
			assets[name] = p
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "bot": h.bot,
		"engine": lotse.Version, "model_engine": info.Engine, "handoff": h.cfg.BackendURL != "",
		"assets": assets})
}

// recorder remembers the status for the request log and passes Flush on,
// so relayed event streams reach the client as they come.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	fields []slog.Attr
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// note adds attributes to the request's log line.
func note(w http.ResponseWriter, attrs ...slog.Attr) {
	if rec, ok := w.(*recorder); ok {
		rec.fields = append(rec.fields, attrs...)
	}
}

func (h *Handler) logRequest(r *http.Request, rec *recorder, start time.Time) {
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", logPath(r.URL.Path)),
		slog.Int("status", rec.status), slog.Duration("dur", h.cfg.Now().Sub(start))}
	attrs = append(attrs, rec.fields...)
	level := slog.LevelInfo
	if rec.status >= 500 {
		level = slog.LevelWarn
	}
	h.log.LogAttrs(r.Context(), level, "edge request", attrs...)
}

// logPath hides the conversation ID in event paths: the ID is the
// visitor's capability to read the conversation.
func logPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "/v1/conversations/"); ok {
		if _, tail, ok := strings.Cut(rest, "/"); ok {
			return "/v1/conversations/" + handoff.LogID(rest[:strings.IndexByte(rest, '/')]) + "/" + tail
		}
	}
	return p
}

// checkURL reports a BackendURL that cannot be parsed or is not http(s),
// at start-up rather than in every request's log. The error leaves the URL
// out: url.Parse's quotes it whole, password included.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		reason := err.Error()
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			reason = ue.Err.Error()
		}
		return configErr("BackendURL", func(name func(string) string) string {
			return fmt.Sprintf("%s is not a URL (%s); give the backend's base URL, e.g. https://backend.example.com", name("BackendURL"), reason)
		})
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return configErr("BackendURL", func(name func(string) string) string {
			return fmt.Sprintf("%s must start with http:// or https:// and name a host, e.g. https://backend.example.com", name("BackendURL"))
		})
	}
	return nil
}
