package backend

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/backend/report"
	"github.com/lotse-chat/lotse/backend/store"
	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/internal/jsonerr"
	"github.com/lotse-chat/lotse/pii"
)

//go:embed console
var consoleFiles embed.FS

// consoleCSP allows the page only its own script, style and API: message
// text can never run as code even if it were put into the DOM as markup.
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// sessionCookie names the console's session cookie.
const sessionCookie = "lotse_session"

// sessionTTL is how long a console sign-in lasts.
const sessionTTL = 12 * time.Hour

func (s *Server) consoleRoutes(m *http.ServeMux) {
	static := func(name, ctype string) http.HandlerFunc {
		data, err := consoleFiles.ReadFile("console/" + name)
		if err != nil {
			panic(err) // embedded at build time
		}
		return func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", ctype)
			h.Set("Content-Security-Policy", consoleCSP)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cache-Control", "no-cache")
			w.Write(data)
		}
	}
	// The page names every address relative to itself (console.css,
	// api/session), so that it works below any path prefix a reverse proxy
	// strips, with nothing to configure. Relative addresses resolve
	// against .../console/ only with the slash: /console, without it,
	// redirects there.
	m.HandleFunc("GET /console", toConsoleDir)
	m.HandleFunc("GET /console/{$}", static("index.html", "text/html; charset=utf-8"))
	m.HandleFunc("GET /console/console.js", static("console.js", "text/javascript; charset=utf-8"))
	m.HandleFunc("GET /console/console.css", static("console.css", "text/css; charset=utf-8"))
	// The page names its icon (a link tag), so browsers ask for it here,
	// not for /favicon.ico, which this server does not have.
	m.HandleFunc("GET /console/favicon.svg", static("favicon.svg", "image/svg+xml"))

	m.HandleFunc("POST /console/api/login", s.jsonOnly(s.handleLogin))
	m.HandleFunc("POST /console/api/logout", s.jsonOnly(s.handleLogout))
	m.HandleFunc("GET /console/api/session", s.handleSession)
	m.HandleFunc("GET /console/api/me", s.agent(func(w http.ResponseWriter, r *http.Request, agent string) {
		writeJSON(w, http.StatusOK, map[string]string{"agent": agent})
	}))
	m.HandleFunc("GET /console/api/conversations", s.agent(s.handleList))
	m.HandleFunc("GET /console/api/conversations/{id}", s.agent(s.handleTranscript))
	m.HandleFunc("POST /console/api/conversations/{id}/reply", s.jsonOnly(s.agent(s.handleReply)))
	m.HandleFunc("POST /console/api/conversations/{id}/assign", s.jsonOnly(s.agent(s.handleAssign)))
	m.HandleFunc("POST /console/api/conversations/{id}/resolve", s.jsonOnly(s.agent(s.handleResolve)))
	m.HandleFunc("POST /console/api/conversations/{id}/reopen", s.jsonOnly(s.agent(s.handleReopen)))
	m.HandleFunc("GET /console/api/unanswered", s.agent(s.handleUnanswered))
	// No catch-all: Server.serve answers other paths 404 and other
	// methods 405 with Allow, both as JSON.
}

// toConsoleDir redirects /console to /console/ with a relative Location,
// which the browser resolves against the address it asked for, prefix
// included. (http.Redirect would make it absolute, /console/, from the
// path the backend sees, and so drop a prefix the proxy stripped.)
func toConsoleDir(w http.ResponseWriter, r *http.Request) {
	loc := "console/"
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusMovedPermanently)
}

// newSessionToken returns a random session token for the cookie.
func newSessionToken() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sessionKey is what the store keeps of a session token: an HMAC under the
// agent token. A copy of the database signs no one in, and starting the
// backend with a new agent token ends every session, as a new password should.
func (s *Server) sessionKey(token string) string {
	mac := hmac.New(sha256.New, []byte(s.cfg.AgentToken))
	mac.Write([]byte(token))
	return hex.EncodeToString(mac.Sum(nil))
}

// tokenOK compares a presented secret with the agent token in constant time.
func (s *Server) tokenOK(got string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.AgentToken)) == 1
}

// agent wraps a console API handler: the request must carry a session
// cookie or "Authorization: Bearer <agent token>", else 401. A wrong bearer
// token counts as a failed sign-in: guessing the token here is no cheaper
// than at the login.
func (s *Server) agent(next func(w http.ResponseWriter, r *http.Request, agent string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if token, ok := bearerToken(r.Header.Get("Authorization")); ok && token != "" {
			a, ok := s.attempt(w, r)
			if !ok {
				return
			}
			if s.tokenOK(token) {
				s.failures.succeeded(a)
				next(w, r, "agent")
				return
			}
			s.log.Warn("console bearer token refused", "remote", r.RemoteAddr)
			writeError(w, http.StatusUnauthorized, "unauthenticated",
				"the bearer token is wrong; send Authorization: Bearer <agent token> with the agent token the backend was started with")
			return
		} else if c, err := r.Cookie(sessionCookie); err == nil {
			agent, err := s.store.SessionAgent(r.Context(), s.sessionKey(c.Value), s.cfg.Now())
			if err == nil {
				next(w, r, agent)
				return
			}
			if !errors.Is(err, store.ErrNoSession) {
				s.storeError(w, err)
				return
			}
		}
		writeError(w, http.StatusUnauthorized, "unauthenticated",
			"sign in first: POST /console/api/login, or send Authorization: Bearer <agent token>")
	}
}

// bearerToken returns the token of an "Authorization: Bearer <token>"
// header value. The scheme is case-insensitive (RFC 9110, section 11.1).
func bearerToken(auth string) (string, bool) {
	scheme, token, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimLeft(token, " "), true
}

// attempt counts a sign-in attempt of client as failed until it succeeds
// (failures.succeeded), or answers 429 with Retry-After if client failed too
// often lately; it reports whether the attempt may go on.
func (s *Server) attempt(w http.ResponseWriter, r *http.Request) (attempt, bool) {
	a, wait, ok := s.failures.reserve(clientOf(r, s.cfg.TrustProxy))
	if ok {
		return a, true
	}
	sec := max(1, int((wait+time.Second-1)/time.Second))
	w.Header().Set("Retry-After", strconv.Itoa(sec))
	s.log.Warn("console sign-in throttled", "remote", r.RemoteAddr)
	writeError(w, http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("too many failed sign-ins from your address (%d within %d s); retry in %d s", maxFailures, int(failureWindow.Seconds()), sec))
	return attempt{}, false
}

// jsonOnly refuses POSTs whose body is not declared JSON. A cross-site form
// cannot send application/json without a CORS preflight, which this server
// never grants; with SameSite=Strict cookies that closes CSRF.
func (s *Server) jsonOnly(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type must be application/json")
			return
		}
		next(w, r)
	}
}

// decode reads a small JSON object from the request body into the struct
// pointed to by v, answering 400 on error. Fields v does not have are
// refused by name: a misspelt field would otherwise be silently ignored.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "body is larger than 65536 bytes")
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		body = []byte("{}")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		writeError(w, http.StatusBadRequest, "malformed_json", "body is not the expected JSON object: "+jsonerr.Describe(err, v))
		return false
	}
	known := jsonFields(v)
	var unknown []string
	for name := range fields {
		if !slices.Contains(known, name) {
			unknown = append(unknown, strconv.Quote(name))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		writeError(w, http.StatusBadRequest, "unknown_field", fmt.Sprintf("unknown field %s; the fields are %s",
			strings.Join(unknown, ", "), strings.Join(known, ", ")))
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeError(w, http.StatusBadRequest, "malformed_json", "body is not the expected JSON object: "+jsonerr.Describe(err, v))
		return false
	}
	return true
}

// jsonFields lists the JSON names of the fields of the struct v points to.
func jsonFields(v any) []string {
	t := reflect.TypeOf(v).Elem()
	names := make([]string, 0, t.NumField())
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Password string `json:"password"`
		Name     string `json:"name"`
	}
	// The body first: the attempt is counted in the same step as the check
	// (attempt), and a request must not be let in before its body is read.
	if !decode(w, r, &req) {
		return
	}
	if req.Password == "" {
		writeError(w, http.StatusBadRequest, "missing_field",
			`password is missing or empty; send {"password": "<agent token>"}`)
		return
	}
	a, ok := s.attempt(w, r)
	if !ok {
		return
	}
	if !s.tokenOK(req.Password) {
		s.log.Warn("console sign-in refused", "remote", r.RemoteAddr)
		writeError(w, http.StatusUnauthorized, "wrong_password",
			"wrong password; the password is the agent token the backend was started with")
		return
	}
	s.failures.succeeded(a)
	name := strings.TrimSpace(req.Name)
	if name == "" || len(name) > maxNameLen || !utf8Printable(name) {
		name = "agent"
	}
	token, now := newSessionToken(), s.cfg.Now()
	exp := now.Add(sessionTTL)
	if err := s.store.CreateSession(r.Context(), s.sessionKey(token), name, exp, now); err != nil {
		s.storeError(w, err)
		return
	}
	http.SetCookie(w, sessionCookieFor(r, token, exp))
	s.log.Info("console sign-in", "agent", name)
	writeJSON(w, http.StatusOK, map[string]string{"agent": name})
}

// sessionCookieFor returns the session cookie that the sign-in r sets.
//
// It has no Path attribute, on purpose: the browser then scopes it to the
// directory of the address it posted the sign-in to (RFC 6265, section
// 5.1.4), .../console/api, and sends it to the console API and event
// streams only, below whatever prefix a reverse proxy strips. The backend
// cannot name that path itself: behind a proxy that strips /lotse it sees
// the same /console/api/login as without one. X-Forwarded-Prefix would
// tell it only with --trust-proxy and a proxy configured to send it (nginx
// does not by default); Path=/ would work everywhere but hand the session
// to every other application on the host. Path does not keep scripts of
// the same origin out (HttpOnly does), but it keeps the cookie out of
// other applications' requests and logs. Sign-out sets the same cookie,
// expired, from the same directory, so the browser replaces it. A cookie
// of an earlier lotse (Path=/console) is sent along until its session
// ends; browsers list the newer one, with the longer path, first, and
// r.Cookie takes the first.
func sessionCookieFor(r *http.Request, token string, exp time.Time) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: token, Expires: exp,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode}
}

// secure reports whether the console was reached over HTTPS, directly or
// through the TLS proxy the backend is deployed behind, whose
// X-Forwarded-Proto says so. Trusting the header costs nothing: at worst a
// cookie marked Secure is not sent over plain HTTP.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func utf8Printable(s string) bool {
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(r.Context(), s.sessionKey(c.Value)); err != nil {
			s.storeError(w, err) // the cookie stays: signing out again must still end the session
			return
		}
	}
	c := sessionCookieFor(r, "", time.Time{})
	c.MaxAge = -1
	http.SetCookie(w, c)
	writeJSON(w, http.StatusOK, map[string]string{"status": "signed out"})
}

// handleSession says whom the request's session cookie signs in:
// {"agent": name}, or {"agent": ""} without a valid session. The console
// asks it first, as it cannot read its HttpOnly cookie: to GET me a page
// not signed in yet is a 401, which browsers log as a failed load on every
// visit. Only the cookie counts here; scripts with the bearer token use GET
// me, where a wrong token counts as a failed sign-in.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	agent := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		agent, err = s.store.SessionAgent(r.Context(), s.sessionKey(c.Value), s.cfg.Now())
		if err != nil && !errors.Is(err, store.ErrNoSession) {
			s.storeError(w, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"agent": agent})
}

// QueueItem is a conversation in the console's queue.
type QueueItem struct {
	store.Conversation
	// Waiting is the seconds since the conversation was handed off.
	Waiting int64 `json:"waiting_seconds"`
	// Preview is the start of the visitor's last message, at most
	// previewRunes runes, with its personal data redacted: enough for an
	// agent to triage the queue, which may be seen over a shoulder. The
	// transcript has the full text.
	Preview string `json:"preview"`
}

// previewRunes bounds a QueueItem's Preview.
const previewRunes = 80

// handleList answers a page of the queue of one state: up to limit
// conversations (default and at most queueLimit) after cursor, with total,
// the conversations in the state, remaining, those after this page, and
// next_cursor, the cursor of the next page ("" after the last).
func (s *Server) handleList(w http.ResponseWriter, r *http.Request, agent string) {
	q := r.URL.Query()
	state := store.State(q.Get("state"))
	if state == "" {
		state = store.StatePending
	}
	if !state.Valid() {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "state must be bot, pending, open or resolved")
		return
	}
	limit := queueLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > queueLimit {
			writeError(w, http.StatusBadRequest, "invalid_parameter", fmt.Sprintf("limit must be a whole number from 1 to %d", queueLimit))
			return
		}
		limit = n
	}
	after, err := parseCursor(q.Get("cursor"), state)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_parameter", err.Error())
		return
	}
	cs, err := s.store.List(r.Context(), state, after, limit)
	if err != nil {
		s.storeError(w, err)
		return
	}
	// The counts tell the agent what is not on screen: a flood of handoffs
	// must not hide the visitors behind it unnoticed.
	total, remaining, next := len(cs), 0, ""
	if len(cs) == limit {
		last := store.CursorAfter(state, cs[len(cs)-1])
		if remaining, err = s.store.Count(r.Context(), state, last); err != nil {
			s.storeError(w, err)
			return
		}
		if remaining > 0 {
			next = formatCursor(state, last)
		}
	}
	if after != (store.Cursor{}) || remaining > 0 {
		if total, err = s.store.Count(r.Context(), state, store.Cursor{}); err != nil {
			s.storeError(w, err)
			return
		}
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	last, err := s.store.LastVisitorTexts(r.Context(), ids)
	if err != nil {
		s.storeError(w, err)
		return
	}
	now := s.cfg.Now().UnixMilli()
	items := make([]QueueItem, len(cs))
	for i, c := range cs {
		items[i] = QueueItem{Conversation: c, Waiting: max(0, now-c.PendingSince) / 1000, Preview: preview(last[c.ID])}
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversations": items, "total": total, "remaining": remaining, "next_cursor": next})
}

// queueLimit is how many conversations the console lists at once: the
// default and largest page.
const queueLimit = 500

// formatCursor spells the place after a page of the list of state for the
// next request: opaque to clients, base64url of "state:key:id". The state
// is in it so that a cursor is not taken for a place in another list.
func formatCursor(state store.State, c store.Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(state) + ":" + strconv.FormatInt(c.Key, 10) + ":" + c.ID))
}

// parseCursor reads a cursor of formatCursor for the list of state; ""
// is the start of the list.
func parseCursor(s string, state store.State) (store.Cursor, error) {
	if s == "" {
		return store.Cursor{}, nil
	}
	bad := errors.New("cursor is not one this API returned; pass next_cursor of the previous page unchanged, or leave cursor out for the first page")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return store.Cursor{}, bad
	}
	st, rest, _ := strings.Cut(string(b), ":")
	k, id, _ := strings.Cut(rest, ":")
	key, err := strconv.ParseInt(k, 10, 64)
	if err != nil || !store.State(st).Valid() || !handoff.ValidID(id) {
		return store.Cursor{}, bad
	}
	if store.State(st) != state {
		return store.Cursor{}, fmt.Errorf("cursor continues the %s list, not the %s one; leave cursor out for the first page of another state", st, state)
	}
	return store.Cursor{Key: key, ID: id}, nil
}

// preview redacts text's personal data and shortens it to previewRunes
// runes on one line. Redaction comes first: cutting first could split an
// IBAN so that the detector no longer sees it and the rest stays visible.
func preview(text string) string {
	text = strings.Join(strings.Fields(pii.Redact(text, pii.Detect(text))), " ")
	if utf8.RuneCountInString(text) <= previewRunes {
		return text
	}
	cut, n := 0, 0
	for i := range text {
		if n == previewRunes-1 { // leave room for the ellipsis
			cut = i
			break
		}
		n++
	}
	// Prefer ending at a word; do not cut inside a "[KIND]" placeholder.
	if sp := strings.LastIndexByte(text[:cut], ' '); sp > cut/2 {
		cut = sp
	}
	if open := strings.LastIndexByte(text[:cut], '['); open > strings.LastIndexByte(text[:cut], ']') {
		cut = open
	}
	return strings.TrimRight(text[:cut], " ") + "…"
}

// ConsoleMessage is a transcript message as the console shows it.
type ConsoleMessage struct {
	Event
	// PII marks the personal data pii.Detect finds in a visitor message
	// or an unverified bot line, so that the console can highlight it.
	// Start and End count UTF-16 code units (JavaScript string indices),
	// not bytes.
	PII []TextSpan `json:"pii,omitempty"`
}

// TextSpan is a pii.Span with offsets in UTF-16 code units.
type TextSpan struct {
	Kind  pii.Kind `json:"kind"`
	Start int      `json:"start"`
	End   int      `json:"end"`
}

// consoleMessages adds to each message the client wrote the personal data
// found in it: the visitor's, and the unverified bot lines, which the
// client sent and which may hold anything. The bot's and agents' messages
// are the business's own words.
func consoleMessages(ms []store.Message) []ConsoleMessage {
	out := make([]ConsoleMessage, len(ms))
	for i, e := range events(ms) {
		out[i].Event = e
		if e.Role != handoff.RoleVisitor && e.Role != handoff.RoleUnverifiedBot {
			continue
		}
		for _, sp := range pii.Detect(e.Text) {
			out[i].PII = append(out[i].PII, TextSpan{Kind: sp.Kind, Start: utf16Len(e.Text[:sp.Start]), End: utf16Len(e.Text[:sp.End])})
		}
	}
	return out
}

// utf16Len returns the length of s in UTF-16 code units, as JavaScript's
// String.length counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func (s *Server) handleTranscript(w http.ResponseWriter, r *http.Request, agent string) {
	id := r.PathValue("id")
	c, err := s.store.Conversation(r.Context(), id)
	if err != nil {
		s.storeError(w, err)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	ms, err := s.store.Messages(r.Context(), id, max(after, 0), 5000)
	if err != nil {
		s.storeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversation": c, "messages": consoleMessages(ms)})
}

func (s *Server) handleReply(w http.ResponseWriter, r *http.Request, agent string) {
	var req struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	if !decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Text) == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "text is empty; send the reply as {\"text\": \"...\"}")
		return
	}
	if err := validText(req.Text); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "text "+err.Error())
		return
	}
	if req.ID == "" {
		var b [16]byte
		rand.Read(b[:])
		req.ID = "agent-" + hex.EncodeToString(b[:])
	} else if len(req.ID) > handoff.MaxIDLen {
		writeError(w, http.StatusBadRequest, "invalid_request", "id is longer than 128 bytes")
		return
	}
	id := r.PathValue("id")
	now := s.cfg.Now()
	c, seq, err := s.store.Post(r.Context(), id, agent,
		handoff.Message{ID: req.ID, Role: handoff.RoleAgent, Text: req.Text, TS: now.UnixMilli()}, now)
	if err != nil {
		s.storeError(w, err)
		return
	}
	s.notify.notify(id)
	s.log.Info("agent reply", "conversation", handoff.LogID(id), "agent", agent, "seq", seq)
	writeJSON(w, http.StatusOK, map[string]any{"id": req.ID, "seq": seq, "conversation": c})
}

func (s *Server) handleAssign(w http.ResponseWriter, r *http.Request, agent string) {
	var req struct {
		Agent string `json:"agent"`
		// Force takes the conversation over from another agent.
		Force bool `json:"force"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Agent == "" {
		req.Agent = agent
	}
	if len(req.Agent) > maxNameLen || !utf8Printable(req.Agent) {
		writeError(w, http.StatusBadRequest, "invalid_request", "agent must be a printable name of at most 128 bytes")
		return
	}
	id := r.PathValue("id")
	c, err := s.store.Assign(r.Context(), id, req.Agent, req.Force, s.cfg.Now())
	if e, ok := errors.AsType[*store.AssignedError](err); ok {
		// The assignee beside the error, for the console to name.
		writeJSON(w, http.StatusConflict, map[string]any{"assignee": e.Assignee, "error": Error{Code: "assigned_elsewhere",
			Message: fmt.Sprintf("assigned to %s; send {\"force\": true} to take it over", e.Assignee)}})
		return
	}
	if err != nil {
		s.storeError(w, err)
		return
	}
	s.notify.notify(id)
	writeJSON(w, http.StatusOK, map[string]any{"conversation": c})
}

func (s *Server) handleResolve(w http.ResponseWriter, r *http.Request, agent string) {
	id := r.PathValue("id")
	c, err := s.store.Resolve(r.Context(), id, s.cfg.Now())
	if err != nil {
		s.storeError(w, err)
		return
	}
	s.notify.notify(id)
	s.log.Info("conversation resolved", "conversation", handoff.LogID(id), "agent", agent)
	writeJSON(w, http.StatusOK, map[string]any{"conversation": c})
}

// handleReopen moves a resolved conversation back to open, assigned to
// the agent who reopens it: to follow up on it. A conversation that is not
// resolved gets 409 conversation_not_resolved with its state, so that a
// second click, or one after another agent reopened it, says why nothing
// happened. The visitor's event stream reports the new state.
func (s *Server) handleReopen(w http.ResponseWriter, r *http.Request, agent string) {
	if !decode(w, r, &struct{}{}) {
		return
	}
	id := r.PathValue("id")
	c, err := s.store.Reopen(r.Context(), id, agent, s.cfg.Now())
	if e, ok := errors.AsType[*store.StateError](err); ok {
		writeJSON(w, http.StatusConflict, map[string]any{"state": e.State, "error": Error{Code: "conversation_not_resolved",
			Message: fmt.Sprintf("conversation is %s, not resolved; only a resolved conversation can be reopened", e.State)}})
		return
	}
	if err != nil {
		s.storeError(w, err)
		return
	}
	s.notify.notify(id)
	s.log.Info("conversation reopened", "conversation", handoff.LogID(id), "agent", agent)
	writeJSON(w, http.StatusOK, map[string]any{"conversation": c})
}

func (s *Server) handleUnanswered(w http.ResponseWriter, r *http.Request, agent string) {
	qs, err := s.store.Questions(r.Context(), "out_of_scope", 10000)
	if err != nil {
		s.storeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"questions": len(qs), "groups": report.Unanswered(qs)})
}

func (s *Server) storeError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "conversation_not_found", "no such conversation")
	case errors.Is(err, store.ErrResolved):
		writeError(w, http.StatusConflict, "conversation_resolved", "conversation is resolved; it cannot be assigned or answered until it is reopened (POST .../reopen)")
	default:
		s.log.Error("store", "err", err)
		writeError(w, http.StatusServiceUnavailable, "store_unavailable", "store unavailable; retry")
	}
}
