package edge_test

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/backend"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/edge"
	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/pii"
	"github.com/lotse-chat/lotse/train"
)

// model is the demo bot, trained once for all tests.
var model *lotse.Model

func TestMain(m *testing.M) {
	b, err := bot.Load("../testdata/bots/demo")
	if err != nil {
		fmt.Fprintln(os.Stderr, "loading the demo bot:", err)
		os.Exit(1)
	}
	data, _, err := train.Train(b, train.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "training the demo bot:", err)
		os.Exit(1)
	}
	if model, err = lotse.Load(data); err != nil {
		fmt.Fprintln(os.Stderr, "loading the demo model:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

const (
	secret  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	allowed = "https://shop.example"
	iban    = "DE89370400440532013000"
)

// clock is a settable time source for rate limits.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is an edge in front of a real backend (SQLite in a temp dir),
// reached over loopback HTTP. Front, if set, sees each inbox request first
// and may answer it itself (to simulate failures).
type fixture struct {
	edge    *edge.Handler
	backend *backend.Server
	inbox   atomic.Int32 // requests that reached the backend's inbox
	logs    *bytes.Buffer
	sleeps  []time.Duration
	clock   *clock
}

type frontFunc func(w http.ResponseWriter, r *http.Request, n int32) bool

func newFixture(t *testing.T, mod func(*edge.Config), front frontFunc) *fixture {
	t.Helper()
	f := &fixture{logs: &bytes.Buffer{}, clock: &clock{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}}
	srv, err := backend.New(backend.Config{SQLitePath: filepath.Join(t.TempDir(), "lotse.db"),
		Secret: secret, AgentToken: "agent-token-123",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	f.backend = srv
	bh := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/inbox" {
			n := f.inbox.Add(1)
			if front != nil && front(w, r, n) {
				return
			}
		}
		bh.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	var mu sync.Mutex
	cfg := edge.Config{
		Model:          model,
		BackendURL:     ts.URL,
		Secret:         secret,
		AllowedOrigins: []string{allowed},
		RateLimit:      edge.Rate{Burst: 1000, Per: time.Minute},
		Assets:         os.DirFS("testdata/assets"),
		Logger:         slog.New(slog.NewJSONHandler(f.logs, nil)),
		Sleep:          func(d time.Duration) { mu.Lock(); f.sleeps = append(f.sleeps, d); mu.Unlock() },
		Retry:          edge.Retry{Attempts: 3, Backoff: 100 * time.Millisecond, Timeout: 2 * time.Second},
	}
	if mod != nil {
		mod(&cfg)
	}
	h, err := edge.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.edge = h
	return f
}

// do sends one request to the edge and returns the recorded response.
func (f *fixture) do(method, target, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.RemoteAddr = "192.0.2.1:4711"
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.edge.ServeHTTP(w, r)
	return w
}

func chatBody(conv, msg, text string) string {
	b, _ := json.Marshal(edge.ChatRequest{ConversationID: conv, MessageID: msg, Text: text})
	return string(b)
}

func handoffBody(conv, msg string, texts ...string) string {
	req := edge.HandoffRequest{ConversationID: conv, MessageID: msg}
	for i, t := range texts {
		req.Messages = append(req.Messages, handoff.Message{ID: fmt.Sprintf("%s-%d", msg, i), Role: handoff.RoleVisitor, Text: t, TS: 1})
	}
	b, _ := json.Marshal(req)
	return string(b)
}

type reply struct {
	Action string `json:"action"`
	Intent string `json:"intent"`
	Reason string `json:"reason"`
	Answer string `json:"answer"`
}

type errorBody struct {
	Error edge.Error `json:"error"`
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response %d %q is not JSON: %v", w.Code, w.Body, err)
	}
	return v
}

func TestChat(t *testing.T) {
	f := newFixture(t, nil, nil)
	tests := []struct {
		text, action, intent, reason string
	}{
		{"wann muss ich zahlen", "answer", "payment_due_date", ""},
		{"Meine IBAN ist " + iban, "handoff", "", "personal_data"},
		{"what is the weather in Berlin tomorrow", "handoff", "", "out_of_scope"},
	}
	for i, tt := range tests {
		w := f.do("POST", "/v1/chat", chatBody("c1", fmt.Sprint("m", i), tt.text))
		if w.Code != http.StatusOK {
			t.Fatalf("%q: status %d %s", tt.text, w.Code, w.Body)
		}
		r := decode[reply](t, w)
		if r.Action != tt.action || r.Reason != tt.reason || (tt.intent != "" && r.Intent != tt.intent) {
			t.Errorf("%q: got %+v, want action %s intent %q reason %q", tt.text, r, tt.action, tt.intent, tt.reason)
		}
		if tt.action == "answer" && r.Answer == "" {
			t.Errorf("%q: answer without text", tt.text)
		}
	}
}

func TestChatIdempotent(t *testing.T) {
	f := newFixture(t, nil, nil)
	first := f.do("POST", "/v1/chat", chatBody("c1", "m1", "wann muss ich zahlen"))
	again := f.do("POST", "/v1/chat", chatBody("c1", "m1", "wann muss ich zahlen"))
	if first.Code != 200 || again.Code != 200 || first.Body.String() != again.Body.String() {
		t.Fatalf("retry answered %d %q, first %d %q", again.Code, again.Body, first.Code, first.Body)
	}
	if again.Header().Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry not marked Idempotent-Replayed")
	}
	conflict := f.do("POST", "/v1/chat", chatBody("c1", "m1", "something else"))
	if e := decode[errorBody](t, conflict); conflict.Code != http.StatusConflict || e.Error.Code != "idempotency_conflict" {
		t.Errorf("reused id with other text: %d %s, want 409 idempotency_conflict", conflict.Code, conflict.Body)
	}
}

func TestGuards(t *testing.T) {
	f := newFixture(t, nil, nil)
	big := chatBody("c1", "m1", strings.Repeat("a", edge.MaxBody))
	tests := []struct {
		name, method, path, body string
		status                   int
		code, allow              string
	}{
		{"too large", "POST", "/v1/chat", big, 413, "body_too_large", ""},
		{"malformed JSON", "POST", "/v1/chat", `{"conversation_id": "c1",`, 400, "malformed_json", ""},
		{"wrong JSON type", "POST", "/v1/chat", `{"text": 5}`, 400, "malformed_json", ""},
		{"invalid UTF-8", "POST", "/v1/chat", "{\"conversation_id\":\"c1\",\"message_id\":\"m1\",\"text\":\"\xff\xfe\"}", 400, "invalid_utf8", ""},
		{"missing message_id", "POST", "/v1/chat", `{"conversation_id":"c1","text":"hallo"}`, 400, "invalid_request", ""},
		{"empty text", "POST", "/v1/chat", `{"conversation_id":"c1","message_id":"m1","text":"  "}`, 400, "invalid_request", ""},
		{"unknown language", "POST", "/v1/chat", `{"conversation_id":"c1","message_id":"m1","text":"hallo","lang":"fr"}`, 400, "invalid_request", ""},
		{"handoff without visitor", "POST", "/v1/handoff", `{"conversation_id":"c1","message_id":"m1","messages":[{"id":"b1","role":"bot","text":"hi"}]}`, 400, "invalid_request", ""},
		{"handoff agent role", "POST", "/v1/handoff", `{"conversation_id":"c1","message_id":"m1","messages":[{"id":"a1","role":"agent","text":"hi"}]}`, 400, "invalid_request", ""},
		{"handoff bad reason", "POST", "/v1/handoff", `{"conversation_id":"c1","message_id":"m1","reason":"bored","messages":[{"id":"v1","role":"visitor","text":"hi"}]}`, 400, "invalid_request", ""},
		{"unknown route", "GET", "/v1/nope", "", 404, "not_found", ""},
		{"unknown asset", "GET", "/nope.js", "", 404, "not_found", ""},
		{"chat by GET", "GET", "/v1/chat", "", 405, "method_not_allowed", "POST"},
		{"health by POST", "POST", "/v1/health", "", 405, "method_not_allowed", "GET, HEAD"},
		{"handoff by PUT", "PUT", "/v1/handoff", "{}", 405, "method_not_allowed", "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do(tt.method, tt.path, tt.body)
			e := decode[errorBody](t, w)
			if w.Code != tt.status || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("got %d %s, want %d code %s", w.Code, w.Body, tt.status, tt.code)
			}
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
		})
	}
	if f.inbox.Load() != 0 {
		t.Errorf("invalid handoffs reached the backend %d times", f.inbox.Load())
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t, nil, nil)
	tests := []struct {
		name, method, origin string
		preflight            bool
		status               int
		acao                 string
	}{
		{"allowed request", "POST", allowed, false, 200, allowed},
		{"other origin request", "POST", "https://evil.example", false, 403, ""},
		{"own origin request", "POST", "http://example.com", false, 200, ""},
		{"other origin GET", "GET", "https://evil.example", false, 405, ""},
		{"allowed preflight", "OPTIONS", allowed, true, 204, allowed},
		{"other origin preflight", "OPTIONS", "https://evil.example", true, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := []string{"Origin", tt.origin}
			if tt.preflight {
				h = append(h, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
			}
			w := f.do(tt.method, "/v1/chat", chatBody("c1", "m-"+tt.name[:3], "hallo"), h...)
			if w.Code != tt.status {
				t.Errorf("status %d %s, want %d", w.Code, w.Body, tt.status)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tt.acao {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.acao)
			}
			if tt.preflight && tt.status == 204 && !strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "POST") {
				t.Errorf("preflight allows methods %q", w.Header().Get("Access-Control-Allow-Methods"))
			}
		})
	}
}

// TestCrossOriginWrites checks that a page on another website cannot make
// its visitors' browsers post to the edge: a "simple" cross-origin request
// (text/plain, no preflight) runs in the browser, and only the edge can
// refuse it.
func TestCrossOriginWrites(t *testing.T) {
	f := newFixture(t, nil, nil)
	tests := []struct {
		name, target, origin string
		header               []string
		status               int
	}{
		{"chat from another site", "/v1/chat", "https://evil.example", nil, 403},
		{"handoff from another site", "/v1/handoff", "https://evil.example", nil, 403},
		{"opaque origin", "/v1/chat", "null", nil, 403},
		{"look-alike host", "/v1/chat", "http://example.com.evil.example", nil, 403},
		{"own host, other scheme", "/v1/chat", "https://example.com", nil, 403},
		{"allowed origin", "/v1/chat", allowed, nil, 200},
		{"own origin", "/v1/chat", "http://example.com", nil, 200},
		{"own origin, host in capitals", "/v1/chat", "http://EXAMPLE.com", nil, 200},
		{"own origin behind a TLS proxy", "/v1/chat", "https://example.com", []string{"X-Forwarded-Proto", "https"}, 200},
		{"own origin over TLS", "https://example.com/v1/chat", "https://example.com", nil, 200},
		{"no origin (curl, servers)", "/v1/chat", "", nil, 200},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := chatBody("c-origin", fmt.Sprint("m", i), "hallo")
			if strings.HasSuffix(tt.target, "/v1/handoff") {
				body = handoffBody("c-origin", fmt.Sprint("m", i), "ich will einen menschen")
			}
			h := append([]string{"Content-Type", "text/plain;charset=UTF-8"}, tt.header...)
			if tt.origin != "" {
				h = append(h, "Origin", tt.origin)
			}
			w := f.do("POST", tt.target, body, h...)
			if w.Code != tt.status {
				t.Fatalf("status %d %s, want %d", w.Code, w.Body, tt.status)
			}
			if e := decode[errorBody](t, w); tt.status == 403 && e.Error.Code != "origin_not_allowed" {
				t.Errorf("error %+v, want origin_not_allowed", e.Error)
			}
		})
	}
	if n := f.inbox.Load(); n != 0 {
		t.Errorf("a refused handoff reached the backend %d times", n)
	}
}

func TestRateLimit(t *testing.T) {
	var f *fixture
	f = newFixture(t, func(c *edge.Config) {
		c.RateLimit = edge.Rate{Burst: 3, Per: 3 * time.Second}
		c.Now = func() time.Time { return f.clock.Now() }
	}, nil)
	for i := range 3 {
		if w := f.do("POST", "/v1/chat", chatBody("c1", fmt.Sprint("m", i), "hallo")); w.Code != 200 {
			t.Fatalf("request %d within the burst: %d %s", i, w.Code, w.Body)
		}
	}
	w := f.do("POST", "/v1/chat", chatBody("c1", "m3", "hallo"))
	if e := decode[errorBody](t, w); w.Code != 429 || e.Error.Code != "rate_limited" || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("request over the burst: %d Retry-After %q %s, want 429 with Retry-After 1", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// A header naming another client does not buy a fresh bucket: natively
	// any client can send one.
	if w := f.do("POST", "/v1/chat", chatBody("c1", "m4", "hallo"), "CF-Connecting-IP", "198.51.100.7"); w.Code != 429 {
		t.Errorf("a forged CF-Connecting-IP got past the limit: %d", w.Code)
	}
	other := httptest.NewRequest("POST", "/v1/chat", strings.NewReader(chatBody("c1", "m4", "hallo")))
	other.RemoteAddr = "198.51.100.7:5000"
	w = httptest.NewRecorder()
	f.edge.ServeHTTP(w, other)
	if w.Code != 200 {
		t.Errorf("another client was limited too: %d", w.Code)
	}
	f.clock.Advance(time.Second)
	if w := f.do("POST", "/v1/chat", chatBody("c1", "m5", "hallo")); w.Code != 200 {
		t.Errorf("after a token refilled: %d %s", w.Code, w.Body)
	}
	if w := f.do("GET", "/v1/health", ""); w.Code != 200 {
		t.Errorf("health is limited: %d", w.Code)
	}
}

func TestHandoffDelivered(t *testing.T) {
	f := newFixture(t, nil, nil)
	body := handoffBody("conv-1", "m2", "wie ist das wetter morgen", "Meine IBAN ist "+iban)
	w := f.do("POST", "/v1/handoff", body)
	if w.Code != 200 {
		t.Fatalf("handoff: %d %s", w.Code, w.Body)
	}
	d := decode[edge.Delivered](t, w)
	if d.Status != "delivered" || d.ConversationID != "conv-1" || d.Stored != 2 || d.LastSeq != 2 {
		t.Errorf("answer %+v, want delivered conv-1 stored 2 last_seq 2", d)
	}
	c, err := f.backend.Store().Conversation(context.Background(), "conv-1")
	if err != nil {
		t.Fatal("the backend did not store the conversation:", err)
	}
	if c.Reason != "personal_data" || c.Bot != "demo" {
		t.Errorf("stored conversation %+v, want reason personal_data (the edge's own PII finding) and bot demo", c)
	}
	again := f.do("POST", "/v1/handoff", body)
	if again.Code != 200 || again.Body.String() != w.Body.String() {
		t.Errorf("retry answered %d %s, want the first answer", again.Code, again.Body)
	}
	if n := f.inbox.Load(); n != 1 {
		t.Errorf("the backend got %d posts, want 1 (the retry is answered from the edge's cache)", n)
	}
	ms, _ := f.backend.Store().Messages(context.Background(), "conv-1", 0, 10)
	if len(ms) != 2 {
		t.Errorf("backend holds %d messages, want 2", len(ms))
	}
}

// TestHandoffMasksCards checks that card numbers reach the backend with
// only their last four digits, and the security code not at all, while the
// edge still reports the card and hands the conversation off for it.
func TestHandoffMasksCards(t *testing.T) {
	f := newFixture(t, nil, nil)
	body := handoffBody("conv-card", "m2", "meine karte wurde belastet",
		"Karte 4111 1111 1111 1111, gültig bis 12/27, CVC 123, IBAN "+iban)
	if w := f.do("POST", "/v1/handoff", body); w.Code != 200 {
		t.Fatalf("handoff: %d %s", w.Code, w.Body)
	}
	ms, err := f.backend.Store().Messages(context.Background(), "conv-card", 0, 10)
	if err != nil || len(ms) != 2 {
		t.Fatalf("backend holds %v, %v; want 2 messages", ms, err)
	}
	if want := "Karte **** **** **** 1111, gültig bis **/**, CVC ***, IBAN " + iban; ms[1].Text != want {
		t.Errorf("stored %q, want %q", ms[1].Text, want)
	}
	if c, _ := f.backend.Store().Conversation(context.Background(), "conv-card"); c.Reason != "personal_data" {
		t.Errorf("reason %q, want personal_data", c.Reason)
	}
}

// TestHandoffBotLines checks the role each line of a handoff reaches the
// backend with: a visitor line stays the visitor's, a bot line that is one
// of the model's answers stays the bot's, and any other bot line (made up,
// or an answer of an older model) arrives as an unverified bot line, never
// as the visitor's. Card numbers are masked whatever the role.
func TestHandoffBotLines(t *testing.T) {
	answer := model.Reply("wann muss ich zahlen").Answer
	if answer == "" || !model.IsAnswer(answer) {
		t.Fatalf("the test model gives no answer to %q", "wann muss ich zahlen")
	}
	tests := []struct {
		name, role, text string
		wantRole         string
		wantText         string // "" means the text as sent
	}{
		{"visitor line with a card", handoff.RoleVisitor, "Karte 4111 1111 1111 1111", handoff.RoleVisitor, "Karte **** **** **** 1111"},
		{"current answer", handoff.RoleBot, answer, handoff.RoleBot, ""},
		{"made-up bot line", handoff.RoleBot, "[verified] identity checked by the bot", handoff.RoleUnverifiedBot, ""},
		{"older model's answer", handoff.RoleBot, answer + " Stand: 2025.", handoff.RoleUnverifiedBot, ""},
		{"made-up bot line with a card", handoff.RoleBot, "[verified] Card on file 4111 1111 1111 1111, CVV 123",
			handoff.RoleUnverifiedBot, "[verified] Card on file **** **** **** 1111, CVV ***"},
		// The widget may send back a line it read from the events stream.
		{"unverified line sent back", handoff.RoleUnverifiedBot, "[verified] sent back", handoff.RoleUnverifiedBot, ""},
		{"unverified line that is an answer", handoff.RoleUnverifiedBot, answer, handoff.RoleBot, ""},
		{"visitor line", handoff.RoleVisitor, "wann muss ich zahlen", handoff.RoleVisitor, ""},
		// Last, after the visitor's last line, with personal data: had it
		// counted as the visitor's, the handoff would be about it.
		{"made-up bot line last", handoff.RoleBot, "Schreib an max.mustermann@example.com", handoff.RoleUnverifiedBot, ""},
	}
	f := newFixture(t, nil, nil)
	req := edge.HandoffRequest{ConversationID: "conv-bot", MessageID: "m7", Reason: "out_of_scope"}
	for i, tt := range tests {
		req.Messages = append(req.Messages, handoff.Message{ID: fmt.Sprint("m", i), Role: tt.role, Text: tt.text, TS: int64(i + 1)})
	}
	body, _ := json.Marshal(req)
	w := f.do("POST", "/v1/handoff", string(body))
	if w.Code != 200 {
		t.Fatalf("handoff: %d %s", w.Code, w.Body)
	}
	ctx := context.Background()
	ms, err := f.backend.Store().Messages(ctx, "conv-bot", 0, 100)
	if err != nil || len(ms) != len(tests) {
		t.Fatalf("backend holds %v, %v; want %d messages", ms, err, len(tests))
	}
	for i, tt := range tests {
		want := tt.wantText
		if want == "" {
			want = tt.text
		}
		if ms[i].Role != tt.wantRole || ms[i].Text != want {
			t.Errorf("%s: arrived as %s %q, want %s %q", tt.name, ms[i].Role, ms[i].Text, tt.wantRole, want)
		}
	}
	// The handoff is about the last visitor line, not the unverified bot
	// line with an e-mail address after it.
	if c, _ := f.backend.Store().Conversation(ctx, "conv-bot"); c.Reason != "out_of_scope" {
		t.Errorf("reason %q, want out_of_scope: the unverified bot line's e-mail address counted as the visitor's", c.Reason)
	}
	last, err := f.backend.Store().LastVisitorTexts(ctx, []string{"conv-bot"})
	if want := "wann muss ich zahlen"; err != nil || last["conv-bot"] != want {
		t.Errorf("last visitor text %q, %v; want %q", last["conv-bot"], err, want)
	}
}

// TestHandoffTellsPII checks that the answer to a handoff names the
// personal data of the message delivered, as sent, for the widget to store
// it masked.
func TestHandoffTellsPII(t *testing.T) {
	f := newFixture(t, nil, nil)
	text := "Jürgen hier, ruf mich an: 0151 2345678"
	body, _ := json.Marshal(edge.HandoffRequest{ConversationID: "conv-pii", MessageID: "m1", Reason: "out_of_scope",
		Messages: []handoff.Message{{ID: "m1", Role: handoff.RoleVisitor, Text: text, TS: 1}}})
	w := f.do("POST", "/v1/handoff", string(body))
	d := decode[edge.Delivered](t, w)
	if w.Code != 200 || len(d.PII) != 1 || d.PII[0].Kind != pii.Phone || text[d.PII[0].Start:d.PII[0].End] != "0151 2345678" {
		t.Errorf("answer %d %+v, want one phone span over 0151 2345678", w.Code, d)
	}
}

// TestHandoffRetryWithoutTS checks that a retry matches the first request
// as the client sent it: the widget leaves ts out, and the edge filling it
// with the current time must not turn the retry into a conflict.
func TestHandoffRetryWithoutTS(t *testing.T) {
	var f *fixture
	f = newFixture(t, func(c *edge.Config) { c.Now = func() time.Time { return f.clock.Now() } }, nil)
	f.clock.Advance(time.Since(f.clock.Now())) // the backend checks signature times against its own clock
	body := `{"conversation_id":"conv-ts","message_id":"m1","messages":[{"id":"v1","role":"visitor","text":"ich will einen menschen"}]}`
	first := f.do("POST", "/v1/handoff", body)
	if first.Code != 200 {
		t.Fatalf("handoff: %d %s", first.Code, first.Body)
	}
	tests := []struct {
		name, body string
		status     int
	}{
		{"identical", body, 200},
		{"reformatted", "{\n  \"message_id\": \"m1\", \"conversation_id\": \"conv-ts\",\n  \"messages\": [{\"id\": \"v1\", \"role\": \"visitor\", \"text\": \"ich will einen menschen\"}]}", 200},
		{"other text", strings.Replace(body, "menschen", "mensch", 1), 409},
		{"other ts", strings.Replace(body, `"visitor",`, `"visitor","ts":5,`, 1), 409},
	}
	for _, tt := range tests {
		f.clock.Advance(1500 * time.Millisecond) // a retry comes later: ts would differ
		w := f.do("POST", "/v1/handoff", tt.body)
		if w.Code != tt.status {
			t.Errorf("%s retry: %d %s, want %d", tt.name, w.Code, w.Body, tt.status)
			continue
		}
		if tt.status == 200 && (w.Body.String() != first.Body.String() || w.Header().Get("Idempotent-Replayed") != "true") {
			t.Errorf("%s retry: %s Idempotent-Replayed %q, want the first answer %s replayed", tt.name,
				w.Body, w.Header().Get("Idempotent-Replayed"), first.Body)
		}
		if e := decode[errorBody](t, w); tt.status == 409 && e.Error.Code != "idempotency_conflict" {
			t.Errorf("%s retry: error %+v, want idempotency_conflict", tt.name, e.Error)
		}
	}
	if n := f.inbox.Load(); n != 1 {
		t.Errorf("the backend got %d posts, want 1", n)
	}
}

func TestHandoffRetries(t *testing.T) {
	// The backend fails twice (503, then a dropped connection), then stores.
	f := newFixture(t, nil, func(w http.ResponseWriter, r *http.Request, n int32) bool {
		switch n {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		case 2:
			panic(http.ErrAbortHandler)
		}
		return false
	})
	w := f.do("POST", "/v1/handoff", handoffBody("conv-r", "m1", "ich will mit einem menschen sprechen"))
	if w.Code != 200 {
		t.Fatalf("handoff after two failures: %d %s", w.Code, w.Body)
	}
	if n := f.inbox.Load(); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	if want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}; fmt.Sprint(f.sleeps) != fmt.Sprint(want) {
		t.Errorf("backoff %v, want %v", f.sleeps, want)
	}
	c, err := f.backend.Store().Conversation(context.Background(), "conv-r")
	if err != nil || c.Reason != "handoff_intent" {
		t.Errorf("stored %+v, %v; want reason handoff_intent computed by the edge", c, err)
	}
}

func TestHandoffNotAcknowledged(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	tests := []struct {
		name   string
		front  frontFunc
		mod    func(*edge.Config)
		status int
		code   string
		retry  bool
	}{
		{"backend down", func(w http.ResponseWriter, r *http.Request, n int32) bool {
			if down.Load() {
				w.WriteHeader(http.StatusBadGateway)
			}
			return down.Load()
		}, nil, 503, "backend_unavailable", true},
		{"backend hangs", func(w http.ResponseWriter, r *http.Request, n int32) bool {
			// The server notices the client leaving only once the body is read.
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}, func(c *edge.Config) { c.Retry.Timeout = 20 * time.Millisecond }, 503, "backend_unavailable", true},
		{"200 without ack", func(w http.ResponseWriter, r *http.Request, n int32) bool {
			w.Write([]byte(`{}`))
			return true
		}, nil, 503, "backend_unavailable", true},
		{"wrong secret", nil, func(c *edge.Config) { c.Secret = "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==" }, 502, "backend_rejected", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.mod, tt.front)
			body := handoffBody("conv-x", "m1", "wie ist das wetter")
			w := f.do("POST", "/v1/handoff", body)
			e := decode[errorBody](t, w)
			if w.Code != tt.status || e.Error.Code != tt.code || (w.Header().Get("Retry-After") != "") != tt.retry {
				t.Fatalf("got %d %s Retry-After %q, want %d %s retry %v", w.Code, w.Body, w.Header().Get("Retry-After"), tt.status, tt.code, tt.retry)
			}
			if _, err := f.backend.Store().Conversation(context.Background(), "conv-x"); err == nil && tt.name != "backend hangs" {
				t.Errorf("the conversation was stored although the edge reported failure")
			}
			if tt.name == "backend down" {
				// The widget retries with the same id once the backend is back:
				// the failure must not have been cached.
				down.Store(false)
				if w := f.do("POST", "/v1/handoff", body); w.Code != 200 {
					t.Errorf("retry after recovery: %d %s", w.Code, w.Body)
				}
			}
		})
	}
}

func TestEvents(t *testing.T) {
	f := newFixture(t, nil, nil)
	if w := f.do("POST", "/v1/handoff", handoffBody("conv-e", "m1", "wie ist das wetter")); w.Code != 200 {
		t.Fatalf("handoff: %d %s", w.Code, w.Body)
	}
	w := f.do("GET", "/v1/conversations/conv-e/events?after=0&wait=0", "", "Origin", allowed)
	if w.Code != 200 {
		t.Fatalf("events: %d %s", w.Code, w.Body)
	}
	ev := decode[backend.Events](t, w)
	if len(ev.Events) != 1 || ev.Events[0].ID != "m1-0" || ev.State != "pending" {
		t.Errorf("events %+v, want the visitor message m1-0 in state pending", ev)
	}
	if got := w.Header().Values("Access-Control-Allow-Origin"); len(got) != 1 || got[0] != allowed {
		t.Errorf("Access-Control-Allow-Origin %q, want only the edge's %q", got, allowed)
	}
	if w := f.do("GET", "/v1/conversations/nope/events?after=0&wait=0", ""); w.Code != 404 {
		t.Errorf("unknown conversation: %d, want the backend's 404", w.Code)
	}
	if w := f.do("GET", "/v1/conversations/bad%20id/events", ""); w.Code != 404 {
		t.Errorf("invalid conversation id: %d, want 404", w.Code)
	}
}

func TestEventsStream(t *testing.T) {
	f := newFixture(t, nil, nil)
	if w := f.do("POST", "/v1/handoff", handoffBody("conv-s", "m1", "wie ist das wetter")); w.Code != 200 {
		t.Fatalf("handoff: %d %s", w.Code, w.Body)
	}
	ts := httptest.NewServer(f.edge)
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/v1/conversations/conv-s/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q, want an event stream", ct)
	}
	// The first event arrives while the stream stays open: it was relayed
	// as it came, not buffered to the end.
	var got []byte
	buf := make([]byte, 1024)
	for !bytes.Contains(got, []byte("m1-0")) {
		n, err := resp.Body.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("stream ended before the first event: %v; got %q", err, got)
		}
	}
	if !bytes.Contains(got, []byte("id: 1\nevent: message")) {
		t.Errorf("stream %q lacks event id 1", got)
	}
}

// TestEventsSigned checks the edge's events requests against the real
// backend, which serves only those the edge signed: also under a path
// prefix, as lotse serve mounts it, and with a secret that differs, which
// the visitor sees as 502 and the edge's log explains.
func TestEventsSigned(t *testing.T) {
	f := newFixture(t, nil, nil)
	if w := f.do("POST", "/v1/handoff", handoffBody("conv-p", "m1", "wie ist das wetter")); w.Code != 200 {
		t.Fatalf("handoff: %d %s", w.Code, w.Body)
	}
	hs := httptest.NewServer(http.StripPrefix("/backend", f.backend.Handler()))
	defer hs.Close()
	tests := []struct {
		name, backend, secret string
		status                int
		code                  string
	}{
		{"under a prefix", hs.URL + "/backend", secret, 200, ""},
		{"under a prefix, trailing slash", hs.URL + "/backend/", secret, 200, ""},
		{"another secret", hs.URL + "/backend", "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==", 502, "backend_rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &bytes.Buffer{}
			e, err := edge.New(edge.Config{Model: model, BackendURL: tt.backend, Secret: tt.secret,
				Logger: slog.New(slog.NewJSONHandler(logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/v1/conversations/conv-p/events?after=0&wait=0", nil)
			r.RemoteAddr = "192.0.2.1:4711"
			w := httptest.NewRecorder()
			e.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("events: %d %s, want %d", w.Code, w.Body, tt.status)
			}
			if tt.status == 200 {
				if ev := decode[backend.Events](t, w); len(ev.Events) != 1 || ev.Events[0].ID != "m1-0" {
					t.Errorf("events %+v, want the visitor message m1-0", ev)
				}
				return
			}
			if e := decode[errorBody](t, w); e.Error.Code != tt.code || w.Header().Get("Retry-After") == "" ||
				strings.Contains(e.Error.Message, "SECRET") {
				t.Errorf("answer %d %s with Retry-After %q; want %s, a Retry-After and no advice for operators",
					w.Code, w.Body, w.Header().Get("Retry-After"), tt.code)
			}
			if log := logs.String(); !strings.Contains(log, "bad_signature") || !strings.Contains(log, "WEBHOOK_SECRET") ||
				strings.Contains(log, "conv-p") {
				t.Errorf("edge log %q: want the backend's bad_signature advice and no conversation ID", log)
			}
		})
	}
}

func TestAssets(t *testing.T) {
	f := newFixture(t, nil, nil)
	versioned := f.edge.AssetPath("engine.wasm")
	if !strings.HasPrefix(versioned, "/v/") || !strings.HasSuffix(versioned, "/engine.wasm") {
		t.Fatalf("AssetPath = %q", versioned)
	}
	tests := []struct {
		path, ctype, cache string
		status             int
	}{
		{versioned, "application/wasm", "public, max-age=31536000, immutable", 200},
		{"/engine.wasm", "application/wasm", "public, max-age=300", 200},
		{"/widget.js", "text/javascript; charset=utf-8", "public, max-age=300", 200},
		{"/engine.0123abcd.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{"/v/00000000/engine.wasm", "", "", 404},
		{"/v/" + strings.Repeat("0", 16) + "/widget.js", "", "", 404},
	}
	for _, tt := range tests {
		w := f.do("GET", tt.path, "")
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, w.Code, tt.status)
			continue
		}
		if tt.status != 200 {
			continue
		}
		hd := w.Header()
		if hd.Get("Content-Type") != tt.ctype || hd.Get("Cache-Control") != tt.cache || hd.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
			t.Errorf("%s: Content-Type %q Cache-Control %q CORP %q, want %q %q cross-origin", tt.path,
				hd.Get("Content-Type"), hd.Get("Cache-Control"), hd.Get("Cross-Origin-Resource-Policy"), tt.ctype, tt.cache)
		}
	}
	var health struct {
		Status string            `json:"status"`
		Assets map[string]string `json:"assets"`
	}
	hw := f.do("GET", "/v1/health", "")
	if err := json.Unmarshal(hw.Body.Bytes(), &health); err != nil || health.Status != "ok" || health.Assets["engine.wasm"] != versioned {
		t.Errorf("health %s lists engine.wasm at %q, want %q", hw.Body, health.Assets["engine.wasm"], versioned)
	}
	first := f.do("GET", "/widget.js", "")
	if w := f.do("GET", "/widget.js", "", "If-None-Match", first.Header().Get("ETag")); w.Code != 304 || w.Body.Len() != 0 {
		t.Errorf("conditional GET: %d with %d bytes, want 304", w.Code, w.Body.Len())
	}
	if w := f.do("HEAD", "/widget.js", ""); w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: %d with %d bytes, want 200 headers only", w.Code, w.Body.Len())
	}
}

// TestAssetsGzip checks that compressible assets go out gzip-compressed to
// clients that accept it, as a separate cacheable variant.
func TestAssetsGzip(t *testing.T) {
	f := newFixture(t, nil, nil)
	plain, err := os.ReadFile("testdata/assets/big.js")
	if err != nil {
		t.Fatal(err)
	}
	identity := f.do("GET", "/big.js", "")
	zipped := f.do("GET", "/big.js", "", "Accept-Encoding", "gzip, deflate, br")
	gzTag, plainTag := zipped.Header().Get("ETag"), identity.Header().Get("ETag")
	if gzTag == plainTag || gzTag == "" {
		t.Errorf("gzip ETag %q, plain ETag %q: want two different tags", gzTag, plainTag)
	}
	versioned := f.edge.AssetPath("big.js")
	tests := []struct {
		name, method, path, accept, inm string
		status                          int
		gzip                            bool
	}{
		{"gzip accepted", "GET", "/big.js", "gzip, deflate, br", "", 200, true},
		{"gzip with weight", "GET", "/big.js", "br;q=1.0, gzip;q=0.5", "", 200, true},
		{"any coding", "GET", "/big.js", "*", "", 200, true},
		{"no Accept-Encoding", "GET", "/big.js", "", "", 200, false},
		{"gzip refused", "GET", "/big.js", "gzip;q=0, identity", "", 200, false},
		{"br only", "GET", "/big.js", "br", "", 200, false},
		{"versioned", "GET", versioned, "gzip", "", 200, true},
		{"HEAD", "HEAD", "/big.js", "gzip", "", 200, true},
		{"incompressible model", "GET", "/random.lotse", "gzip", "", 200, false},
		{"revalidate gzip copy", "GET", "/big.js", "gzip", gzTag, 304, true},
		{"revalidate plain copy", "GET", "/big.js", "", plainTag, 304, false},
		{"plain tag for gzip request", "GET", "/big.js", "gzip", plainTag, 200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.accept != "" {
				h = append(h, "Accept-Encoding", tt.accept)
			}
			if tt.inm != "" {
				h = append(h, "If-None-Match", tt.inm)
			}
			w := f.do(tt.method, tt.path, "", h...)
			hd := w.Header()
			if w.Code != tt.status || (hd.Get("Content-Encoding") == "gzip") != tt.gzip {
				t.Fatalf("%d Content-Encoding %q, want %d gzip %v", w.Code, hd.Get("Content-Encoding"), tt.status, tt.gzip)
			}
			if !strings.Contains(strings.Join(hd.Values("Vary"), ","), "Accept-Encoding") && tt.path != "/random.lotse" {
				t.Errorf("Vary %q lacks Accept-Encoding", hd.Values("Vary"))
			}
			if want := map[bool]string{true: gzTag, false: plainTag}[tt.gzip]; tt.path != "/random.lotse" && hd.Get("ETag") != want {
				t.Errorf("ETag %q, want %q", hd.Get("ETag"), want)
			}
			if tt.path == versioned && hd.Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("versioned gzip copy has Cache-Control %q", hd.Get("Cache-Control"))
			}
			if w.Code != 200 || tt.method == "HEAD" {
				if w.Body.Len() != 0 {
					t.Errorf("%d bytes of body, want none", w.Body.Len())
				}
				return
			}
			body := w.Body.Bytes()
			if hd.Get("Content-Length") != fmt.Sprint(len(body)) {
				t.Errorf("Content-Length %s, body %d bytes", hd.Get("Content-Length"), len(body))
			}
			if tt.gzip {
				if len(body) >= len(plain)/2 {
					t.Errorf("gzip copy is %d bytes of %d", len(body), len(plain))
				}
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if tt.path != "/random.lotse" && !bytes.Equal(body, plain) {
				t.Errorf("body (decompressed) differs from big.js")
			}
		})
	}
}

// TestAssetsGzipChangedFile checks that an edited asset is not served from
// a stale compressed copy.
func TestAssetsGzipChangedFile(t *testing.T) {
	files := fstest.MapFS{"app.js": {Data: []byte(strings.Repeat("console.log('one');\n", 100))}}
	f := newFixture(t, func(c *edge.Config) { c.Assets = files }, nil)
	for i, text := range []string{"one", "two"} {
		want := strings.Repeat("console.log('"+text+"');\n", 100)
		// An edit of the same size: only the modification time tells.
		files["app.js"].Data, files["app.js"].ModTime = []byte(want), time.Unix(int64(1_800_000_000+i), 0)
		w := f.do("GET", "/app.js", "", "Accept-Encoding", "gzip")
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatalf("%s: %d %q is not gzip: %v", text, w.Code, w.Header().Get("Content-Encoding"), err)
		}
		if got, _ := io.ReadAll(zr); string(got) != want {
			t.Errorf("after the file became %q..., served %.20q...", want[:20], got)
		}
	}
}

// TestLogsKeepTextOut checks the privacy rule for logs: message text never
// appears in the INFO log, not even redacted, because the detector misses
// personal data written in unusual forms; at debug level it appears
// redacted only.
func TestLogsKeepTextOut(t *testing.T) {
	email := "max.mustermann@example.com"
	// Forms the detector missed when this test was written (the first
	// three) or used to miss: an INFO line must hold none, found or not.
	missed := []string{"DE89/3704/0044/0532/0130/00", "max at example dot org", "C01X00T47",
		"DE89-3704-0044-0532-0130-00", "max(at)example.org"}
	requests := func(f *fixture) {
		f.do("POST", "/v1/chat", chatBody("c1", "m1", "Meine IBAN ist "+iban+" bitte prüfen"))
		f.do("POST", "/v1/chat", chatBody("c1", "m1", "Meine IBAN ist "+iban+" bitte prüfen"))   // replay
		f.do("POST", "/v1/chat", `{"conversation_id":"c1","message_id":"m2","text":"IBAN `+iban) // malformed JSON
		f.do("POST", "/v1/chat", chatBody("c1", "m4", "my IBAN is "+missed[0]))
		f.do("POST", "/v1/chat", chatBody("c1", "m5", "mail me at "+missed[1]+" please"))
		f.do("POST", "/v1/chat", chatBody("c1", "m7", "my passport number is "+missed[2]))
		f.do("POST", "/v1/chat", chatBody("c1", "m8", "IBAN "+missed[3]+", e-mail "+missed[4]))
		f.do("POST", "/v1/handoff", handoffBody("c1", "m3", "schreib mir an "+email))
		f.do("POST", "/v1/handoff", handoffBody("c1", "m6", "ich brauche einen menschen, "+missed[1]))
	}
	tests := []struct {
		level        slog.Level
		want, absent []string
	}{
		{slog.LevelInfo,
			[]string{`"status":400`, `"text_runes":41`, `"pii":["iban"]`, `"pii":["email"]`, `"intent":`, `"lang":`},
			append([]string{iban, email, "mustermann", "IBAN ist", "schreib mir", "[IBAN]", "[EMAIL]", `"text"`}, missed...)},
		{slog.LevelDebug,
			[]string{"Meine IBAN ist [IBAN] bitte prüfen", "schreib mir an [EMAIL]"},
			[]string{iban, email, "mustermann"}},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			var buf bytes.Buffer
			f := newFixture(t, func(c *edge.Config) {
				c.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tt.level}))
			}, nil)
			requests(f)
			logs := buf.String()
			for _, s := range tt.absent {
				if strings.Contains(logs, s) {
					t.Errorf("logs contain %q:\n%s", s, logs)
				}
			}
			for _, s := range tt.want {
				if !strings.Contains(logs, s) {
					t.Errorf("logs lack %q:\n%s", s, logs)
				}
			}
		})
	}
}

// TestBodyErrors checks that a body the edge cannot use is refused with a
// status and a message in the client's terms: JSON shapes, not Go types.
func TestBodyErrors(t *testing.T) {
	f := newFixture(t, nil, nil)
	visitor := `{"id":"v1","role":"visitor","text":"hallo"}`
	tests := []struct {
		name, path, ctype, body string
		status                  int
		code, msg               string
	}{
		{"messages not an array", "/v1/handoff", "", `{"conversation_id":"c1","message_id":"m1","messages":"hi"}`,
			400, "malformed_json", "messages must be an array of objects {id, role, text, ts}, not a string"},
		{"message not an object", "/v1/handoff", "", `{"conversation_id":"c1","message_id":"m1","messages":["hi"]}`,
			400, "malformed_json", "messages[] must be an object {id, role, text, ts}, not a string"},
		{"ts not an integer", "/v1/handoff", "", `{"conversation_id":"c1","message_id":"m1","messages":[{"id":"v1","role":"visitor","text":"x","ts":1.5}]}`,
			400, "malformed_json", "messages[].ts must be an integer, not a number"},
		{"chat body an array", "/v1/chat", "", `[]`,
			400, "malformed_json", "the body must be a JSON object {conversation_id, message_id, text, lang}, not an array"},
		{"chat text a number", "/v1/chat", "", `{"text": 5}`,
			400, "malformed_json", "text must be a string, not a number"},
		{"handoff body a string", "/v1/handoff", "", `"hi"`,
			400, "malformed_json", "the body must be a JSON object"},
		{"whitespace-only handoff text", "/v1/handoff", "", `{"conversation_id":"c1","message_id":"m1","messages":[` + visitor + `,{"id":"v2","role":"visitor","text":" \n\t "}]}`,
			400, "invalid_request", "messages[1].text is empty"},
		{"XML", "/v1/chat", "application/xml", `<chat/>`,
			415, "unsupported_media_type", "send application/json"},
		{"form", "/v1/handoff", "application/x-www-form-urlencoded", `a=b`,
			415, "unsupported_media_type", "send application/json"},
		{"invalid content type", "/v1/chat", "json", chatBody("c1", "m1", "hallo"),
			415, "unsupported_media_type", "send application/json"},
		{"JSON", "/v1/chat", "application/json; charset=utf-8", chatBody("c1", "m2", "hallo"), 200, "", ""},
		{"text/plain", "/v1/chat", "text/plain;charset=UTF-8", chatBody("c1", "m3", "hallo"), 200, "", ""},
		{"no content type", "/v1/chat", "", chatBody("c1", "m4", "hallo"), 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.ctype != "" {
				h = []string{"Content-Type", tt.ctype}
			}
			w := f.do("POST", tt.path, tt.body, h...)
			if w.Code != tt.status {
				t.Fatalf("status %d %s, want %d", w.Code, w.Body, tt.status)
			}
			if tt.status == 200 {
				return
			}
			e := decode[errorBody](t, w).Error
			if e.Code != tt.code || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error %+v, want code %s with message containing %q", e, tt.code, tt.msg)
			}
			for _, goName := range []string{"handoff.", "edge.", "be []", "int64", "be string"} {
				if strings.Contains(e.Message, goName) {
					t.Errorf("message %q names a Go type (%q)", e.Message, goName)
				}
			}
		})
	}
	if n := f.inbox.Load(); n != 0 {
		t.Errorf("refused handoffs reached the backend %d times", n)
	}
}

// timeoutReader is a request body whose sender stalled: reading it fails
// as a read deadline does.
type timeoutReader struct{}

func (timeoutReader) Read([]byte) (int, error) { return 0, os.ErrDeadlineExceeded }

// errReader is a request body that breaks in another way.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestBodyReadErrors(t *testing.T) {
	f := newFixture(t, nil, nil)
	tests := []struct {
		name   string
		body   io.Reader
		status int
		code   string
	}{
		{"stalled body", timeoutReader{}, 408, "body_timeout"},
		{"broken body", errReader{}, 400, "unreadable_body"},
	}
	for _, tt := range tests {
		for _, path := range []string{"/v1/chat", "/v1/handoff"} {
			r := httptest.NewRequest("POST", path, tt.body)
			r.ContentLength = 100
			w := httptest.NewRecorder()
			f.edge.ServeHTTP(w, r)
			if e := decode[errorBody](t, w); w.Code != tt.status || e.Error.Code != tt.code {
				t.Errorf("%s to %s: %d %s, want %d %s", tt.name, path, w.Code, w.Body, tt.status, tt.code)
			}
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  edge.Config
		want string
	}{
		{"no model", edge.Config{}, "Model is nil"},
		{"bad backend URL", edge.Config{Model: model, BackendURL: "backend:8081", Secret: "s"}, "must start with http"},
		{"unparsable backend URL", edge.Config{Model: model, BackendURL: "https://lotse:hunter2@backend.example:8o80", Secret: secret},
			`BackendURL is not a URL (invalid port ":8o80" after host)`},
		{"no secret", edge.Config{Model: model, BackendURL: "http://127.0.0.1:1"}, "Secret is empty"},
		{"made-up secret", edge.Config{Model: model, BackendURL: "http://127.0.0.1:1", Secret: "notasecret"}, "does not start with whsec_; make one with: echo whsec_$(head -c 32 /dev/urandom | base64)"},
		{"short secret", edge.Config{Model: model, BackendURL: "http://127.0.0.1:1", Secret: "whsec_AAEC"}, "fewer than 24"},
		{"bad rate", edge.Config{Model: model, RateLimit: edge.Rate{Burst: 0, Per: time.Second}}, "RateLimit"},
	}
	for _, tt := range tests {
		if _, err := edge.New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: err %v, want one containing %q and no password", tt.name, err, tt.want)
		}
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want edge.Rate
		ok   bool
	}{
		{"60/1m", edge.Rate{Burst: 60, Per: time.Minute}, true},
		{" 5/1s ", edge.Rate{Burst: 5, Per: time.Second}, true},
		{"60", edge.Rate{}, false},
		{"0/1m", edge.Rate{}, false},
		{"10/forever", edge.Rate{}, false},
	}
	for _, tt := range tests {
		got, err := edge.ParseRate(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestHandoffIntentAndLang checks that an intent or lang the model does
// not have is replaced by the edge's own classification, never refused
// and never logged or stored as sent, while the model's own pass.
func TestHandoffIntentAndLang(t *testing.T) {
	tests := []struct {
		name, reason, intent, lang string
		wantIntent, wantLang       string // "" with a made-up value sent: any of the model's
	}{
		{"the model's", "handoff_intent", "talk_to_human", "en", "talk_to_human", "en"},
		{"made-up intent", "handoff_intent", "max@example.com", "de", "", "de"},
		{"older model's intent", "handoff_intent", "ask_for_invoice", "de", "", "de"},
		{"made-up lang", "handoff_intent", "talk_to_human", "max@example.com", "talk_to_human", ""},
		{"too long lang", "handoff_intent", "talk_to_human", strings.Repeat("x", 40), "talk_to_human", ""},
		{"too long intent", "handoff_intent", strings.Repeat("i", 200), "de", "", "de"},
	}
	langs := model.Info().Languages
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil, nil)
			conv := fmt.Sprint("conv-il-", i)
			req := edge.HandoffRequest{ConversationID: conv, MessageID: "m1", Reason: tt.reason, Intent: tt.intent, Lang: tt.lang,
				Messages: []handoff.Message{{ID: "v1", Role: handoff.RoleVisitor, Text: "ich will mit einem menschen sprechen"}}}
			body, _ := json.Marshal(req)
			if w := f.do("POST", "/v1/handoff", string(body)); w.Code != 200 {
				t.Fatalf("handoff: %d %s; want it delivered", w.Code, w.Body)
			}
			c, err := f.backend.Store().Conversation(context.Background(), conv)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantIntent != "" && c.Intent != tt.wantIntent || tt.wantIntent == "" && c.Intent != "talk_to_human" {
				t.Errorf("stored intent %q, want %q (the edge's classification where the sent one is unknown)", c.Intent, cmp.Or(tt.wantIntent, "talk_to_human"))
			}
			if tt.wantLang != "" && c.Lang != tt.wantLang || tt.wantLang == "" && !slices.Contains(langs, c.Lang) {
				t.Errorf("stored lang %q, want %q or one of %v", c.Lang, tt.wantLang, langs)
			}
			logs := f.logs.String()
			for _, sent := range []string{tt.intent, tt.lang} {
				if sent != c.Intent && sent != c.Lang && strings.Contains(logs, sent) {
					t.Errorf("log holds the dropped value %q:\n%s", sent, logs)
				}
			}
		})
	}
}

// TestHandoffClientMistakes checks that what the backend would refuse is
// refused by the edge with 400: the backend's refusal would reach the
// widget as 502 backend_rejected, which it retries for ever.
func TestHandoffClientMistakes(t *testing.T) {
	f := newFixture(t, nil, nil)
	visitor := func(id, text string) handoff.Message {
		return handoff.Message{ID: id, Role: handoff.RoleVisitor, Text: text, TS: 1}
	}
	tests := []struct {
		name string
		msgs []handoff.Message
		msg  string
	}{
		{"repeated id", []handoff.Message{visitor("v1", "erste"), visitor("v2", "zweite"), visitor("v1", "dritte")},
			"messages[2].id repeats messages[0].id; give every message its own id"},
		{"text too long", []handoff.Message{visitor("v1", strings.Repeat("a", handoff.MaxTextLen+1))},
			fmt.Sprintf("messages[0].text is %d bytes; the limit is %d", handoff.MaxTextLen+1, handoff.MaxTextLen)},
	}
	for _, tt := range tests {
		body, _ := json.Marshal(edge.HandoffRequest{ConversationID: "conv-bad", MessageID: "m1", Reason: "out_of_scope", Messages: tt.msgs})
		w := f.do("POST", "/v1/handoff", string(body))
		if e := decode[errorBody](t, w); w.Code != 400 || e.Error.Code != "invalid_request" || e.Error.Message != tt.msg {
			t.Errorf("%s: %d %s, want 400 invalid_request %q", tt.name, w.Code, w.Body, tt.msg)
		}
	}
	if n := f.inbox.Load(); n != 0 {
		t.Errorf("refused handoffs reached the backend %d times", n)
	}
}

// TestHandoffBodyLimit checks that a long conversation reaches the agent
// whole up to MaxHandoffBody, while other endpoints keep MaxBody.
func TestHandoffBodyLimit(t *testing.T) {
	f := newFixture(t, nil, nil)
	long := func(conv string, size int, text string) string {
		req := edge.HandoffRequest{ConversationID: conv, MessageID: "m1", Reason: "out_of_scope"}
		for i := 0; ; i++ {
			req.Messages = append(req.Messages, handoff.Message{ID: fmt.Sprint("v", i), Role: handoff.RoleVisitor, Text: text, TS: 1})
			if b, _ := json.Marshal(req); len(b) > size {
				req.Messages = req.Messages[:len(req.Messages)-1]
				b, _ = json.Marshal(req)
				return string(b)
			}
		}
	}
	words := strings.Repeat("wort ", 200)
	ok := long("conv-long", edge.MaxHandoffBody, words)
	if len(ok) <= 3*edge.MaxBody {
		t.Fatalf("test body is %d bytes; want well over MaxBody", len(ok))
	}
	if w := f.do("POST", "/v1/handoff", ok); w.Code != 200 {
		t.Errorf("handoff of %d bytes: %d %s, want 200", len(ok), w.Code, w.Body)
	}
	// Pasted markup: the backend must get it at the size the widget sent,
	// not with every "<" as "\u003c" (six times as long, and refused).
	markup := long("conv-markup", edge.MaxHandoffBody, strings.Repeat("<b>&", 250))
	if w := f.do("POST", "/v1/handoff", markup); w.Code != 200 {
		t.Errorf("handoff of %d bytes of markup: %d %s, want 200", len(markup), w.Code, w.Body)
	}
	tooLong := long("conv-too-long", edge.MaxHandoffBody+2000, words)
	if w := f.do("POST", "/v1/handoff", tooLong); w.Code != 413 {
		t.Errorf("handoff of %d bytes: %d %s, want 413", len(tooLong), w.Code, w.Body)
	}
	if w := f.do("POST", "/v1/chat", chatBody("c1", "m1", strings.Repeat("a", edge.MaxBody))); w.Code != 413 {
		t.Errorf("chat over MaxBody: %d, want 413", w.Code)
	}
}
