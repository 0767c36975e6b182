// Package backend is Lotse's central backend: the signed inbox where the
// edge hands conversations off, durable storage (package store), live
// delivery of agent replies to the visitor's widget (Server-Sent Events or
// long-poll), and the agent console.
//
// Server.Handler serves
//
//	POST /v1/inbox                              signed handoffs from the edge
//	GET  /v1/health                             {"status":"ok", "version", "schema", "readers", ...}
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
	// handoff.CheckSecret). Required. To rotate it, give several
	// separated by spaces ("whsec_A whsec_B"): a handoff or events
	// request signed with any of them is accepted (handoff.CheckSecrets).
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
	// MaxReaders bounds the visitors' event readers (the edge's events
	// requests) waiting at once; 0 means DefaultMaxReaders. The console's
	// streams have their own pool (maxConsoleReaders).
	MaxReaders int
	// Version is the program's version, which GET /v1/health reports and
	// the start-up log line shows; empty leaves it out.
	Version string
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
}

// Server is the backend. Create it with New.
type Server struct {
	cfg      Config
	store    store.Store
	keys     [][]byte // the webhook secrets' keys, any of which may sign
	log      *slog.Logger
	notify   *notifier
	failures *failures
	// Requests waiting for events, bounded: the edge's for visitors, and
	// the console's, apart so that neither can starve the other.
	readers, consoleReaders *readers
	// stopping is done once EndStreams is called: every waiting reader
	// then ends.
	stopping context.Context
	stop     context.CancelFunc
	mux      *http.ServeMux
}

// New checks cfg, opens the store if needed and returns a Server.
func New(cfg Config) (*Server, error) {
	// The errors of a bad configuration name no package: lotse backend
	// prints them after its own name, and they say what to set.
	if err := handoff.CheckSecrets(cfg.Secret); err != nil {
		return nil, fmt.Errorf("%w; set it in LOTSE_WEBHOOK_SECRET, the same on the edge (WEBHOOK_SECRET)", err)
	}
	if len(cfg.AgentToken) < 8 {
		return nil, errors.New("the agent token is missing or shorter than 8 characters; set LOTSE_AGENT_TOKEN " +
			"(e.g. to $(head -c 16 /dev/urandom | base64)), or for a demo start lotse backend --demo, which prints a generated one")
	}
	if cfg.MaxReaders < 0 {
		return nil, fmt.Errorf("the maximum of event readers is %d; give a number of 1 or more (--max-readers, LOTSE_MAX_READERS), or 0 for the default %d",
			cfg.MaxReaders, DefaultMaxReaders)
	}
	if cfg.MaxReaders == 0 {
		cfg.MaxReaders = DefaultMaxReaders
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
	s := &Server{cfg: cfg, store: st, keys: handoff.SecretKeys(cfg.Secret), log: cfg.Logger,
		notify: newNotifier(), failures: newFailures(maxFailureClients, cfg.Now),
		readers:        newReaders("visitor", cfg.MaxReaders, maxReadersPerConversation),
		consoleReaders: newReaders("console", maxConsoleReaders, maxReadersPerSession)}
	s.stopping, s.stop = context.WithCancel(context.Background())
	s.routes()
	attrs := []any{"schema", store.SchemaVersion}
	if found := st.SchemaFound(); found != store.SchemaVersion {
		// The upgrade's trace: which schema the database had (0: new).
		attrs = append(attrs, "migrated_from", found)
	}
	attrs = append(attrs, "webhook_secrets", len(s.keys),
		"max_readers", cfg.MaxReaders, "max_console_readers", maxConsoleReaders, "trust_proxy", cfg.TrustProxy)
	if cfg.Version != "" {
		attrs = append([]any{"version", cfg.Version}, attrs...)
	}
	s.log.Info("backend ready", attrs...)
	return s, nil
}

// Handler returns the HTTP handler of all the Server's routes.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// EndStreams ends every waiting events request, SSE stream or long-poll,
// now and from now on. Register it with http.Server.RegisterOnShutdown:
// Shutdown waits for active requests, and a stream is active until its
// client leaves. Clients lose nothing: the browser reconnects with
// Last-Event-ID (to another backend, or this one restarted), and a
// long-poll is answered with no events and polls again.
func (s *Server) EndStreams() { s.stop() }

// serve answers like s.mux, except that where the mux would answer in
// plain text (404 for an unknown path, 405 for a known path and another
// method) it answers with a JSON error, so that clients need to parse one
// error shape only.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.cfg.TrustProxy {
		r = s.behindProxy(r)
	}
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

// behindProxy returns r with RemoteAddr set to the client's key of the
// sign-in throttle (clientOf): the address the trusted proxy put last in
// X-Forwarded-For, an IPv6 client's /64. Every log line that shows
// "remote" then names the client, as the throttle counts it, not the
// proxy that all clients share.
func (s *Server) behindProxy(r *http.Request) *http.Request {
	r2 := new(http.Request)
	*r2 = *r
	r2.RemoteAddr = clientOf(r, true)
	return r2
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

// Close ends open event streams (EndStreams) and closes the store.
func (s *Server) Close() error {
	s.EndStreams()
	return s.store.Close()
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /v1/inbox", s.handleInbox)
	m.HandleFunc("GET /v1/health", s.handleHealth)
	m.HandleFunc("GET /v1/conversations/{id}/events", s.handleEvents)
	// The console reads the same stream as a signed-in agent: it cannot
	// sign, and its session cookie is sent to /console/api only (the
	// browser's default path; see sessionCookieFor).
	// Its readers are the console's pool, a few per agent session.
	m.HandleFunc("GET /console/api/conversations/{id}/events", s.agent(func(w http.ResponseWriter, r *http.Request, _ string) {
		s.serveEvents(w, r, s.consoleReaders, s.agentSession(r))
	}))
	s.consoleRoutes(m)
	s.mux = m
}

// agentSession names the agent session of an authenticated console request,
// the key of its readers: the session cookie's store key, or for a script's
// bearer token the client's address (clientOf), since all scripts share
// the one token. agent has checked whichever the request carries, in the
// same order.
func (s *Server) agentSession(r *http.Request) string {
	if token, ok := bearerToken(r.Header.Get("Authorization")); ok && token != "" {
		return "bearer " + clientOf(r, s.cfg.TrustProxy)
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return "session " + s.sessionKey(c.Value)
	}
	return "" // not reached: agent let the request through
}

// healthTimeout bounds the store check of GET /v1/health: a load
// balancer asking must get an answer before its own timeout.
const healthTimeout = 2 * time.Second

// Health is the answer of GET /v1/health.
//
// Status is "ok"; "degraded" when 90% or more of the visitors' or the
// console's event readers are in use (new readers are refused at 100%),
// still with HTTP 200, since taking the backend out of a load balancer
// would not free a reader; or "store_unavailable" with 503 when the
// database does not answer: a backend that cannot store acknowledges no
// handoff, so a load balancer should send them elsewhere.
type Health struct {
	Status string `json:"status"`
	// Version is the program's version (Config.Version), if set.
	Version string `json:"version,omitempty"`
	// Schema is the database schema version this backend writes.
	Schema         int       `json:"schema"`
	Readers        ReaderUse `json:"readers"`
	ConsoleReaders ReaderUse `json:"console_readers"`
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	h := Health{Status: "ok", Version: s.cfg.Version, Schema: store.SchemaVersion,
		Readers: s.readers.use(), ConsoleReaders: s.consoleReaders.use()}
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check: store unavailable", "err", err)
		h.Status = "store_unavailable"
		writeJSON(w, http.StatusServiceUnavailable, h)
		return
	}
	if h.Readers.nearlyFull() || h.ConsoleReaders.nearlyFull() {
		h.Status = "degraded"
	}
	writeJSON(w, http.StatusOK, h)
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
	if err := handoff.VerifyAny(s.keys, r.Header.Get(handoff.HeaderID), r.Header.Get(handoff.HeaderTimestamp),
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
		return msg + "; the edge's WEBHOOK_SECRET must equal the backend's LOTSE_WEBHOOK_SECRET (or one of them, during a rotation)"
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
// wrong_password, rate_limited, invalid_parameter, too_many_readers,
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
