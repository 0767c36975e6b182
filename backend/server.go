// Package backend is Lotse's central backend: the signed inbox where the
// edge hands conversations off, durable storage (package store), live
// delivery of agent replies to the visitor's widget (Server-Sent Events or
// long-poll), and the agent console.
//
// Server.Handler serves
//
//	POST /v1/inbox                              signed handoffs from the edge
//	GET  /v1/health                             {"status":"ok"}
//	GET  /v1/conversations/{id}/events?after=N  the visitor's live stream, for the edge (signed)
//	GET  /console                               the agent console page
//	     /console/api/...                       its JSON API (signed-in agents), with
//	GET  /console/api/conversations/{id}/events the live stream for the console
//
// and can be mounted in another mux as it is, also under a prefix by
// http.StripPrefix: the edge signs its events requests below its
// backend URL's path (see handoff.SignRequest).
//
// Every error, including an unknown route (404) and a wrong method (405,
// with Allow), is JSON in the edge's shape:
// {"error": {"code": "...", "message": "..."}}; see Error.
package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/backend/store"
	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/internal/jsonerr"
)

// Config configures a Server.
type Config struct {
	// Store holds the conversations. If nil, New opens PostgresDSN if set,
	// else the SQLite file SQLitePath. The Server owns the store either way
	// and closes it in Close.
	Store       store.Store
	SQLitePath  string
	PostgresDSN string

	// Secret is the Standard Webhooks secret the edge signs handoffs
	// with: "whsec_" and the base64 of at least 24 random bytes (see
	// handoff.CheckSecret). Required.
	Secret string
	// AgentToken is the agents' password for the console and the bearer
	// token for scripts. Required.
	AgentToken string

	// Logger receives operational logs; it never gets message text. Nil
	// means slog.Default().
	Logger *slog.Logger
	// MaxBody limits a handoff's body in bytes; 0 means handoff.MaxBody.
	MaxBody int64
	// Heartbeat is the interval of SSE comments that keep idle streams open
	// through proxies; 0 means 15 s.
	Heartbeat time.Duration
	// TrustProxy says the backend runs behind a reverse proxy that appends
	// the client's address to X-Forwarded-For: the sign-in throttle then
	// keys on that address, not the proxy's, which all clients share.
	TrustProxy bool
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
}

// Server is the backend. Create it with New.
type Server struct {
	cfg      Config
	store    store.Store
	key      []byte
	log      *slog.Logger
	notify   *notifier
	failures *failures
	readers  readers // requests waiting for events, bounded
	mux      *http.ServeMux
}

// New checks cfg, opens the store if needed and returns a Server.
func New(cfg Config) (*Server, error) {
	// The errors of a bad configuration name no package: lotse backend
	// prints them after its own name, and they say what to set.
	if err := handoff.CheckSecret(cfg.Secret); err != nil {
		return nil, fmt.Errorf("%w; set it in LOTSE_WEBHOOK_SECRET, the same on the edge (WEBHOOK_SECRET)", err)
	}
	if len(cfg.AgentToken) < 8 {
		return nil, errors.New("the agent token is missing or shorter than 8 characters; set LOTSE_AGENT_TOKEN " +
			"(e.g. to $(head -c 16 /dev/urandom | base64)), or leave it unset and lotse backend prints a generated one")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = handoff.MaxBody
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st := cfg.Store
	if st == nil {
		var err error
		switch {
		case cfg.PostgresDSN != "":
			st, err = store.OpenPostgres(context.Background(), cfg.PostgresDSN)
		case cfg.SQLitePath != "":
			st, err = store.OpenSQLite(cfg.SQLitePath)
		default:
			err = errors.New("backend: no database; set Store, SQLitePath or PostgresDSN")
		}
		if err != nil {
			return nil, err
		}
	}
	s := &Server{cfg: cfg, store: st, key: handoff.SecretKey(cfg.Secret), log: cfg.Logger,
		notify: newNotifier(), failures: newFailures(maxFailureClients, cfg.Now), readers: readers{n: map[string][]*reader{}}}
	s.routes()
	return s, nil
}

// Handler returns the HTTP handler of all the Server's routes.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// serve answers like s.mux, except that where the mux would answer in
// plain text (404 for an unknown path, 405 for a known path and another
// method) it answers with a JSON error, so that clients need to parse one
// error shape only.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r) // sets the path values h would miss
		return
	}
	// The mux's handler for no match writes 404, or 405 with the allowed
	// methods in Allow; run it aside to learn which.
	rec := &statusRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		allow := rec.header.Get("Allow")
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s does not accept %s; use %s", r.URL.Path, r.Method, allow))
		return
	}
	writeError(w, http.StatusNotFound, "not_found", "no route "+r.URL.Path+
		"; the backend serves POST /v1/inbox, GET /v1/health, GET /v1/conversations/{id}/events (signed by the edge), GET /console and the console API under /console/api/")
}

// statusRecorder keeps the header and status a handler writes and drops
// the body.
type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header         { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// Store returns the Server's store, for reports and tools in the same
// process.
func (s *Server) Store() store.Store { return s.store }

// Close closes the store. Open event streams end when their requests do.
func (s *Server) Close() error { return s.store.Close() }

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /v1/inbox", s.handleInbox)
	m.HandleFunc("GET /v1/health", s.handleHealth)
	m.HandleFunc("GET /v1/conversations/{id}/events", s.handleEvents)
	// The console reads the same stream as a signed-in agent: it cannot
	// sign, and its session cookie is sent to /console paths only.
	m.HandleFunc("GET /console/api/conversations/{id}/events", s.agent(func(w http.ResponseWriter, r *http.Request, _ string) {
		s.serveEvents(w, r)
	}))
	s.consoleRoutes(m)
	s.mux = m
}

// healthTimeout bounds the store check of GET /v1/health: a load
// balancer asking must get an answer before its own timeout.
const healthTimeout = 2 * time.Second

// handleHealth answers {"status":"ok"} if the store answers, else 503
// {"status":"store_unavailable"}: a backend that cannot store acknowledges
// no handoff, so a load balancer should send them elsewhere.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check: store unavailable", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store_unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Accept validates and durably stores a handoff, then wakes the
// conversation's listeners. It is what POST /v1/inbox runs after checking
// the signature, and what an edge in the same process calls directly. An
// error wrapping ErrInvalid means the handoff itself is wrong (do not
// retry); any other error means it was not stored (retry).
func (s *Server) Accept(ctx context.Context, h handoff.Handoff) (handoff.Ack, error) {
	if err := validate(h); err != nil {
		return handoff.Ack{}, err
	}
	ack, err := s.store.Accept(ctx, h, s.cfg.Now())
	if err != nil {
		s.log.Error("handoff not stored", "conversation", handoff.LogID(h.ConversationID), "err", err)
		return handoff.Ack{}, fmt.Errorf("backend: storing handoff: %w", err)
	}
	if ack.Stored > 0 {
		s.notify.notify(h.ConversationID)
	}
	s.log.Info("handoff stored", "conversation", handoff.LogID(h.ConversationID), "bot", h.Bot,
		"reason", h.Reason, "intent", logName(h.Intent), "lang", logName(h.Lang), "messages", len(h.Messages),
		"stored", ack.Stored, "last_seq", ack.LastSeq)
	return ack, nil
}

// ErrInvalid marks a handoff or request that is malformed.
var ErrInvalid = errors.New("invalid")

// Limits on what a handoff may hold.
const (
	maxMessages    = handoff.MaxMessages
	maxTextLen     = handoff.MaxTextLen
	maxNameLen     = handoff.MaxIntentLen // also bounds bot and agent names
	maxLangLen     = handoff.MaxLangLen
	conversationOK = "letters, digits and ._:-"
)

func validate(h handoff.Handoff) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w handoff: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if !handoff.ValidID(h.ConversationID) {
		return bad("conversation_id must be 1 to %d %s", handoff.MaxIDLen, conversationOK)
	}
	if h.Bot == "" || len(h.Bot) > maxNameLen {
		return bad("bot must be 1 to %d bytes", maxNameLen)
	}
	if len(h.Messages) == 0 || len(h.Messages) > maxMessages {
		return bad("messages must hold 1 to %d messages, not %d", maxMessages, len(h.Messages))
	}
	first := make(map[string]int, len(h.Messages)) // message ID -> its first index
	for i, m := range h.Messages {
		switch {
		case m.ID == "" || len(m.ID) > handoff.MaxIDLen:
			return bad("messages[%d].id must be 1 to %d bytes", i, handoff.MaxIDLen)
		case m.Role != handoff.RoleVisitor && !handoff.BotLine(m.Role):
			// Agent messages come only from the console.
			return bad("messages[%d].role is %q; the edge sends visitor, bot or bot_unverified", i, m.Role)
		}
		// The store keeps one message per ID (the idempotency key), so a
		// repeated ID would silently drop the later text.
		if j, ok := first[m.ID]; ok {
			return bad("messages[%d].id repeats messages[%d].id; give every message its own id", i, j)
		}
		first[m.ID] = i
		if err := validText(m.Text); err != nil {
			return bad("messages[%d].text %v", i, err)
		}
	}
	if err := validReason(h.Reason); err != nil {
		return bad("%v", err)
	}
	if len(h.Intent) > maxNameLen {
		return bad("intent is %d bytes long; it must be at most %d", len(h.Intent), maxNameLen)
	}
	if len(h.Lang) > maxLangLen {
		return bad("lang is %d bytes long; it must be at most %d", len(h.Lang), maxLangLen)
	}
	return nil
}

// logName is what the log may show of a handoff's intent or lang: the
// edge sends only names its model has (snake_case intents, language
// codes), but the backend cannot check them against a model, so anything
// else, which could be text a caller made up ("max@example.com"), shows
// as "?".
func logName(s string) string {
	if len(s) > 64 {
		return "?"
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "?"
		}
	}
	return s
}

// validReason accepts exactly the reasons of the engine's Reply, the ones
// the edge forwards.
func validReason(reason string) error {
	const want = handoff.ReasonOutOfScope + ", " + handoff.ReasonHandoffIntent + " or " + handoff.ReasonPersonalData
	switch {
	case handoff.ValidReason(reason):
		return nil
	case reason == "":
		return fmt.Errorf("reason is missing; send %s", want)
	case len(reason) > maxNameLen || !utf8.ValidString(reason):
		return fmt.Errorf("reason is not %s", want)
	}
	return fmt.Errorf("reason %q is not %s", reason, want)
}

func validText(text string) error {
	switch {
	case len(text) > maxTextLen:
		return fmt.Errorf("is longer than %d bytes", maxTextLen)
	case !utf8.ValidString(text):
		return errors.New("is not valid UTF-8")
	case strings.IndexByte(text, 0) >= 0:
		// PostgreSQL cannot store NUL in text; refuse it everywhere alike.
		return errors.New("contains a NUL character")
	}
	return nil
}

func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("body is larger than %d bytes", s.cfg.MaxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "unreadable_body", "cannot read the request body; retry")
		return
	}
	if err := handoff.Verify(s.key, r.Header.Get(handoff.HeaderID), r.Header.Get(handoff.HeaderTimestamp),
		r.Header.Get(handoff.HeaderSignature), body, s.cfg.Now()); err != nil {
		s.log.Warn("handoff refused", "remote", r.RemoteAddr, "err", err)
		code := signatureCode(err)
		writeError(w, http.StatusUnauthorized, code, signatureMessage(code, err))
		return
	}
	var h handoff.Handoff
	if err := json.Unmarshal(body, &h); err != nil {
		writeError(w, http.StatusBadRequest, "malformed_json", "body is not a handoff JSON object: "+jsonerr.Describe(err, &h))
		return
	}
	ack, err := s.Accept(r.Context(), h)
	switch {
	case errors.Is(err, ErrInvalid):
		writeError(w, http.StatusBadRequest, "invalid_handoff", err.Error())
	case err != nil:
		writeError(w, http.StatusServiceUnavailable, "store_unavailable", "not stored; retry with the same message ids")
	default:
		writeJSON(w, http.StatusOK, ack)
	}
}

// signatureCode is the error code of a handoff.Verify error: a clock out
// of step calls for another fix than a wrong secret.
func signatureCode(err error) string {
	switch {
	case errors.Is(err, handoff.ErrMissingHeaders):
		return "missing_signature"
	case errors.Is(err, handoff.ErrBadTimestamp):
		return "bad_timestamp"
	case errors.Is(err, handoff.ErrStale):
		return "stale_timestamp"
	}
	return "bad_signature"
}

// signatureMessage says what to do about a refused signature: the two
// usual causes are secrets that differ and clocks that do.
func signatureMessage(code string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "handoff: ")
	switch code {
	case "bad_signature":
		return msg + "; the edge's WEBHOOK_SECRET must equal the backend's LOTSE_WEBHOOK_SECRET"
	case "stale_timestamp":
		return msg + "; check both clocks, the edge's and the backend's (keep them synchronized, e.g. with NTP)"
	}
	return msg
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	setJSONHeaders(w)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func setJSONHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// Error is the error of every failed request, in a handoff.ErrorBody as
// the edge answers too: {"error": {"code": "...", "message": "..."}}.
//
// Code is stable snake_case for programs: not_found, method_not_allowed,
// body_too_large, unreadable_body, malformed_json, missing_signature,
// bad_timestamp, stale_timestamp, bad_signature, invalid_handoff,
// unauthenticated, unsupported_media_type, unknown_field, missing_field,
// wrong_password, rate_limited, invalid_parameter,
// invalid_request, conversation_not_found, conversation_resolved,
// assigned_elsewhere, store_unavailable.
// Message is for people: what was wrong and what to do.
type Error = handoff.Error

// writeError answers {"error": {"code": code, "message": msg}}. The body is
// application/json, never HTML, so "<" and ">" stay as written: a message
// like "send Authorization: Bearer <agent token>" reads as it should.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	setJSONHeaders(w)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(handoff.ErrorBody{Error: Error{Code: code, Message: msg}})
}
