package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lotse-chat/lotse/backend/store"
	"github.com/lotse-chat/lotse/handoff"
)

// notifier wakes everyone waiting on a conversation. A waiter takes the
// conversation's channel before reading the store, so a change committed
// between the read and the wait still wakes it.
//
// It works within one process. Several backend processes sharing one
// PostgreSQL database would need LISTEN/NOTIFY to wake each other's
// streams; until then a long-poll there sees another process's messages
// when its wait ends, and an SSE stream at its next heartbeat.
type notifier struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

func newNotifier() *notifier { return &notifier{m: map[string]chan struct{}{}} }

// wait returns a channel closed at the next notify of id.
func (n *notifier) wait(id string) <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	ch := n.m[id]
	if ch == nil {
		ch = make(chan struct{})
		n.m[id] = ch
	}
	return ch
}

func (n *notifier) notify(id string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if ch := n.m[id]; ch != nil {
		close(ch)
		delete(n.m, id)
	}
}

// Event is one message as the visitor's stream carries it.
type Event struct {
	Seq  int64  `json:"seq"`
	ID   string `json:"id"`
	Role string `json:"role"`
	Text string `json:"text"`
	TS   int64  `json:"ts"`
}

// Events is the long-poll answer: the messages after the asked sequence
// number and the conversation's state (bot, pending, open, resolved). The
// edge and widget stop letting the bot answer once state is not bot.
type Events struct {
	Events []Event     `json:"events"`
	State  store.State `json:"state"`
}

// Long-poll waits, and how many messages one answer or SSE round carries.
const (
	defaultWait = 25 * time.Second
	maxWait     = 55 * time.Second
	pageSize    = 500
)

// Limits on waiting readers. Each reader holds a connection and queries
// the store on every heartbeat, so their number is bounded, in two pools
// that cannot starve each other: the visitors' (the edge's requests), at
// most Config.MaxReaders (DefaultMaxReaders) and maxReadersPerConversation
// a conversation, which has one visitor (a few tabs); and the console's,
// at most maxConsoleReaders and maxReadersPerSession an agent session (or
// a script's bearer token from one address). A conversation or session
// over its limit ends its oldest reader. A stream ends after maxStreamAge;
// the browser reconnects with Last-Event-ID and loses nothing.
const (
	maxReadersPerConversation = 8
	// DefaultMaxReaders is the visitors' readers a backend serves at once
	// unless Config.MaxReaders says otherwise: each is an open connection
	// (a file descriptor and a few tens of KB), so the default fits the
	// usual limit of 4096 open files with room for the rest.
	DefaultMaxReaders     = 2000
	maxConsoleReaders     = 200
	maxReadersPerSession  = 8
	maxStreamAge          = 10 * time.Minute
	readersWarnInterval   = time.Minute
	readersDegradedPerMil = 900 // health says degraded at 90% of a pool in use
)

// readers tracks the requests waiting for events in one pool, keyed by
// conversation (visitors) or agent session (console).
type readers struct {
	name   string // for logs and errors: "visitor" or "console"
	max    int    // all readers of the pool
	perKey int    // readers of one key

	mu    sync.Mutex
	n     map[string][]*reader // oldest first
	total int
	// Refusals since the last warning, and when that was: a full pool is
	// logged at most once every readersWarnInterval.
	refused int
	warned  time.Time
}

func newReaders(name string, max, perKey int) *readers {
	return &readers{name: name, max: max, perKey: perKey, n: map[string][]*reader{}}
}

// reader is one waiting request; cancel ends it.
type reader struct{ cancel context.CancelFunc }

// acquire adds a reader of key that cancel ends. A key at its limit ends
// its oldest reader instead of refusing the new one: the oldest is most
// likely a tab or a network the visitor has left, whose connection has not
// failed yet. Over the limit of the pool, acquire refuses.
func (rs *readers) acquire(key string, cancel context.CancelFunc) (*reader, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.n[key]) >= rs.perKey {
		rs.n[key][0].cancel()
		rs.n[key] = rs.n[key][1:]
		rs.total--
	}
	if rs.total >= rs.max {
		rs.refused++
		return nil, false
	}
	r := &reader{cancel}
	rs.n[key] = append(rs.n[key], r)
	rs.total++
	return r, true
}

// release removes r, unless acquire already ended it for a newer reader.
func (rs *readers) release(key string, r *reader) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	i := slices.Index(rs.n[key], r)
	if i < 0 {
		return
	}
	rs.n[key] = slices.Delete(rs.n[key], i, i+1)
	if len(rs.n[key]) == 0 {
		delete(rs.n, key)
	}
	rs.total--
}

// ReaderUse is how many of a pool's readers are in use, as GET /v1/health
// reports it.
type ReaderUse struct {
	InUse int `json:"in_use"`
	Max   int `json:"max"`
}

func (rs *readers) use() ReaderUse {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return ReaderUse{InUse: rs.total, Max: rs.max}
}

// nearlyFull reports whether u is at or above the share of its pool at
// which health says degraded.
func (u ReaderUse) nearlyFull() bool { return u.InUse*1000 >= u.Max*readersDegradedPerMil }

// refusals returns the refusals since the last warning and starts a new
// count, if a warning is due at now: the first refusal is logged at once,
// the ones after it once every readersWarnInterval with their number.
func (rs *readers) refusals(now time.Time) (int, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.refused == 0 || (!rs.warned.IsZero() && now.Sub(rs.warned) < readersWarnInterval) {
		return 0, false
	}
	n := rs.refused
	rs.refused, rs.warned = 0, now
	return n, true
}

// warnRefused logs that rs refused readers, at most once every
// readersWarnInterval: a full pool means visitors or agents get no live
// replies, and nothing else would say so.
func (s *Server) warnRefused(rs *readers) {
	n, ok := rs.refusals(s.cfg.Now())
	if !ok {
		return
	}
	u := rs.use()
	hint := "raise --max-readers (LOTSE_MAX_READERS) if the host has the memory and open files"
	if rs != s.readers {
		hint = "agents' tabs or scripts hold the console's streams; close some"
	}
	s.log.Warn("event readers refused: all in use", "pool", rs.name, "in_use", u.InUse, "max", u.Max,
		"refused", n, "per", readersWarnInterval.String(), "hint", hint)
}

// handleEvents serves a conversation's events to the edge, which relays
// them to the widget under its own CORS rules: the backend sends no CORS
// headers, so a page cannot read it directly.
//
// Only the edge may ask: each waiting request holds one of the backend's
// few readers (maxReaders, maxReadersPerConversation), which a script
// reaching the backend could otherwise fill, stopping agent replies for
// every visitor. The edge signs the request with the webhook secret
// (handoff.SignRequest); anything else is refused with 401 before the
// conversation is looked up, so it learns not even whether one exists.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if err := handoff.VerifyRequestAny(s.keys, r, s.cfg.Now()); err != nil {
		s.log.Warn("events request refused", "remote", r.RemoteAddr, "err", err)
		code := signatureCode(err)
		writeError(w, http.StatusUnauthorized, code, eventsSignatureMessage(code, err))
		return
	}
	s.serveEvents(w, r, s.readers, r.PathValue("id"))
}

// eventsSignatureMessage says what to do about a refused events request.
// Unsigned ones are most likely a page or script reading the backend
// directly rather than through the edge, or the console's older address.
func eventsSignatureMessage(code string, err error) string {
	switch code {
	case "missing_signature":
		return "events are served to the edge only, which signs its requests with the webhook secret; " +
			"widgets read them through the edge, agents' scripts through GET /console/api/conversations/{id}/events with the agent token"
	case "bad_signature":
		return signatureMessage(code, err) + ", and a proxy between them must not change the path or query below the edge's BACKEND_URL"
	}
	return signatureMessage(code, err)
}

// serveEvents answers an events request that may be served: the edge's,
// signed, or a signed-in agent's. The request waits as a reader of pool
// under key. It ends when the client leaves, a newer reader of the key
// takes its place, or the server shuts down (EndStreams).
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request, pool *readers, key string) {
	id := r.PathValue("id")
	if !handoff.ValidID(id) {
		writeError(w, http.StatusNotFound, "conversation_not_found", "no such conversation")
		return
	}
	after, err := cursor(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_parameter", err.Error())
		return
	}
	c, err := s.store.Conversation(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "conversation_not_found", "no such conversation")
		return
	} else if err != nil {
		writeError(w, http.StatusServiceUnavailable, "store_unavailable", "store unavailable; retry")
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer context.AfterFunc(s.stopping, cancel)()
	r = r.WithContext(ctx)
	rd, ok := pool.acquire(key, cancel)
	if !ok {
		s.warnRefused(pool)
		w.Header().Set("Retry-After", "10")
		writeError(w, http.StatusTooManyRequests, "too_many_readers",
			fmt.Sprintf("all %d of the backend's %s event readers are in use; retry later", pool.max, pool.name))
		return
	}
	defer pool.release(key, rd)
	if r.Header.Get("Accept") == "text/event-stream" {
		s.stream(w, r, id, after)
		return
	}
	wait := defaultWait
	if v := r.URL.Query().Get("wait"); v != "" {
		sec, err := strconv.Atoi(v)
		if err != nil || sec < 0 {
			writeError(w, http.StatusBadRequest, "invalid_parameter", "wait must be whole seconds >= 0")
			return
		}
		wait = min(time.Duration(sec)*time.Second, maxWait)
	}
	s.longPoll(w, r, c, after, wait)
}

// cursor reads the sequence number the client has seen: the after
// parameter, or Last-Event-ID when an EventSource reconnects, whichever is
// larger.
func cursor(r *http.Request) (int64, error) {
	var after int64
	for _, v := range []string{r.URL.Query().Get("after"), r.Header.Get("Last-Event-ID")} {
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("after / Last-Event-ID must be a sequence number >= 0, not %q", v)
		}
		after = max(after, n)
	}
	return after, nil
}

// longPoll answers as soon as there are messages after the cursor, the
// state differs from the client's "state" parameter, or anything changes
// while waiting; else after wait with no events.
func (s *Server) longPoll(w http.ResponseWriter, r *http.Request, c store.Conversation, after int64, wait time.Duration) {
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	known := store.State(r.URL.Query().Get("state"))
	for waited := false; ; waited = true {
		ch := s.notify.wait(c.ID)
		ms, err := s.store.Messages(r.Context(), c.ID, after, pageSize)
		if err == nil && waited {
			c, err = s.store.Conversation(r.Context(), c.ID)
		}
		if err != nil && r.Context().Err() != nil {
			// Ended (shutdown, a newer reader) during the query: answer
			// as below, no events, and the client polls again.
			writeJSON(w, http.StatusOK, Events{Events: events(nil), State: c.State})
			return
		}
		if err != nil {
			writeError(w, http.StatusServiceUnavailable, "store_unavailable", "store unavailable; retry")
			return
		}
		if len(ms) > 0 || waited || (known != "" && known != c.State) {
			writeJSON(w, http.StatusOK, Events{Events: events(ms), State: c.State})
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			if r.Context().Err() != nil {
				// The client left (the write then goes nowhere), a newer
				// reader of the conversation ended this one, or the server
				// shuts down: answer as if the wait were over, so that it
				// simply polls again.
				writeJSON(w, http.StatusOK, Events{Events: events(nil), State: c.State})
				return
			}
			// Time is up: look once more, which also finds messages another
			// backend process stored without waking this one.
		}
	}
}

func events(ms []store.Message) []Event {
	es := make([]Event, len(ms))
	for i, m := range ms {
		es[i] = Event{Seq: m.Seq, ID: m.ID, Role: m.Role, Text: m.Text, TS: m.TS}
	}
	return es
}

// stream serves Server-Sent Events: each message as event "message" with
// the sequence number as event id (so the browser's automatic reconnect
// sends Last-Event-ID and resumes exactly after it), and each state change
// as event "state" without id. Comment lines keep idle streams open.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, id string, after int64) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	heartbeat := time.NewTicker(s.cfg.Heartbeat)
	defer heartbeat.Stop()
	age := time.NewTimer(maxStreamAge)
	defer age.Stop()
	var state store.State
	for {
		ch := s.notify.wait(id)
		ms, err := s.store.Messages(r.Context(), id, after, pageSize)
		if err != nil {
			return // the client reconnects with Last-Event-ID
		}
		for _, e := range events(ms) {
			data, _ := json.Marshal(e)
			fmt.Fprintf(w, "id: %d\nevent: message\ndata: %s\n\n", e.Seq, data)
			after = e.Seq
		}
		c, err := s.store.Conversation(r.Context(), id)
		if err != nil {
			return
		}
		if c.State != state {
			state = c.State
			fmt.Fprintf(w, "event: state\ndata: {\"state\":%q}\n\n", state)
		}
		if err := rc.Flush(); err != nil {
			return
		}
		if len(ms) == pageSize {
			continue // more to send
		}
		select {
		case <-ch:
		case <-heartbeat.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
		case <-age.C:
			return // the browser reconnects with Last-Event-ID
		case <-r.Context().Done():
			return
		}
	}
}
