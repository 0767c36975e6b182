package edge_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/edge"
	"github.com/lotse-chat/lotse/handoff"
)

// upstream is a stand-in for whatever answers at BACKEND_URL: the backend
// or a proxy in front of it, answering status with body.
type upstream struct {
	status int
	ctype  string
	body   string
	header map[string]string
}

func (u upstream) serve(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		for k, v := range u.header {
			w.Header().Set(k, v)
		}
		if u.ctype != "" {
			w.Header().Set("Content-Type", u.ctype)
		}
		w.WriteHeader(u.status)
		io.WriteString(w, u.body)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// jsonError is the backend's error body.
func jsonError(code, msg string) string {
	b, _ := json.Marshal(handoff.ErrorBody{Error: handoff.Error{Code: code, Message: msg}})
	return string(b)
}

// unreachable is a backend URL nothing listens on.
func unreachable(t *testing.T) string {
	ts := httptest.NewServer(http.NotFoundHandler())
	ts.Close()
	return ts.URL
}

// newUpstreamEdge is an edge in front of backendURL that logs to logs.
func newUpstreamEdge(t *testing.T, backendURL string, logs *bytes.Buffer) *edge.Handler {
	t.Helper()
	h, err := edge.New(edge.Config{Model: model, BackendURL: backendURL, Secret: secret,
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), Sleep: func(time.Duration) {},
		Retry: edge.Retry{Attempts: 2, Timeout: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// conv is the conversation of these tests; the log must never name it.
const conv = "conv-upstream-4711"

// The internal address a proxy's error quotes: the visitor must not see it.
const internalAddr = "127.0.0.1:18081"

// TestEventsUpstreamRefusals checks that every refused events request is
// answered with the edge's JSON error: the backend's own errors for
// clients pass through, anything else becomes 503 backend_unavailable
// (or 502 backend_rejected for a refused signature) with Retry-After, and
// the log says what came back.
func TestEventsUpstreamRefusals(t *testing.T) {
	tests := []struct {
		name       string
		up         *upstream // nil: unreachable
		status     int
		code       string
		retryAfter string
		level, log string // the log line's level and a text it contains; "" for none
	}{
		{"proxy 404 plain text", &upstream{404, "text/plain", "proxy: not under /lotse", nil},
			503, "backend_unavailable", "5", "ERROR", "check BACKEND_URL (path prefix?)"},
		{"proxy 502 plain text", &upstream{502, "text/plain", "proxy: connect ECONNREFUSED " + internalAddr, nil},
			503, "backend_unavailable", "5", "WARN", "connect ECONNREFUSED " + internalAddr},
		{"backend route 404", &upstream{404, "application/json", jsonError("not_found", "no route /x/v1/conversations"), nil},
			503, "backend_unavailable", "5", "ERROR", "not_found: no route"},
		{"backend 503", &upstream{503, "application/json", jsonError("store_unavailable", "store unavailable; retry"), nil},
			503, "backend_unavailable", "5", "WARN", "store_unavailable"},
		{"HTML 200-ish teapot", &upstream{418, "text/html", "<h1>I'm a teapot</h1>", nil},
			503, "backend_unavailable", "5", "ERROR", "teapot"},
		{"signature refused", &upstream{401, "application/json", jsonError("bad_signature", "signature does not verify; the edge's WEBHOOK_SECRET must equal the backend's LOTSE_WEBHOOK_SECRET"), nil},
			502, "backend_rejected", "30", "ERROR", "LOTSE_WEBHOOK_SECRET"},
		{"no such conversation", &upstream{404, "application/json", jsonError("conversation_not_found", "no such conversation"), nil},
			404, "conversation_not_found", "", "", ""},
		{"too many readers", &upstream{429, "application/json", jsonError("too_many_readers", "256 requests already wait for events; retry later"), map[string]string{"Retry-After": "10"}},
			429, "too_many_readers", "10", "", ""},
		{"bad parameter", &upstream{400, "application/json", jsonError("invalid_parameter", "after must be a whole number >= 0"), nil},
			400, "invalid_parameter", "", "", ""},
		{"unreachable", nil, 503, "backend_unavailable", "5", "WARN", "backend unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := unreachable(t)
			if tt.up != nil {
				url = tt.up.serve(t)
			}
			logs := &bytes.Buffer{}
			h := newUpstreamEdge(t, url, logs)
			r := httptest.NewRequest("GET", "/v1/conversations/"+conv+"/events?after=0", nil)
			r.RemoteAddr = "192.0.2.1:4711"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			var e errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("answer %d %q (%s): want the edge's JSON error", w.Code, w.Body, w.Header().Get("Content-Type"))
			}
			if w.Code != tt.status || e.Error.Code != tt.code || w.Header().Get("Retry-After") != tt.retryAfter {
				t.Errorf("answer %d %s Retry-After %q; want %d %s Retry-After %q",
					w.Code, e.Error.Code, w.Header().Get("Retry-After"), tt.status, tt.code, tt.retryAfter)
			}
			for _, leak := range []string{internalAddr, "proxy", "SECRET", "teapot"} {
				if strings.Contains(w.Body.String(), leak) {
					t.Errorf("answer %s quotes %q: that is the operator's, not the visitor's", w.Body, leak)
				}
			}
			log := logs.String()
			if strings.Contains(log, conv) {
				t.Errorf("log names the conversation: %s", log)
			}
			if tt.level == "" {
				if strings.Contains(log, `"level":"ERROR"`) {
					t.Errorf("a client error logged as ERROR: %s", log)
				}
				return
			}
			if !hasLogLine(log, tt.level, tt.log) {
				t.Errorf("log %s: want a %s line containing %q", log, tt.level, tt.log)
			}
		})
	}
}

// TestHandoffUpstreamRefusals checks what visitor and operator learn of a
// handoff the backend did not take: the visitor a generic "not
// delivered; retry", the operator the reason and the advice.
func TestHandoffUpstreamRefusals(t *testing.T) {
	advice := "the edge's WEBHOOK_SECRET must equal the backend's LOTSE_WEBHOOK_SECRET"
	tests := []struct {
		name       string
		up         *upstream // nil: unreachable
		status     int
		code       string
		level, log string
	}{
		{"proxy 404 plain text", &upstream{404, "text/plain", "proxy: not under /lotse", nil},
			502, "backend_rejected", "ERROR", "proxy: not under /lotse); check BACKEND_URL (path prefix?)"},
		{"backend 404", &upstream{404, "application/json", jsonError("not_found", "no route /lotse/v1/inbox"), nil},
			502, "backend_rejected", "ERROR", "check BACKEND_URL (path prefix?)"},
		{"wrong secret", &upstream{401, "application/json", jsonError("bad_signature", "signature does not verify; "+advice), nil},
			502, "backend_rejected", "ERROR", advice},
		{"proxy 502 plain text", &upstream{502, "text/plain", "proxy: connect ECONNREFUSED " + internalAddr, nil},
			503, "backend_unavailable", "WARN", "connect ECONNREFUSED " + internalAddr},
		{"unreachable", nil, 503, "backend_unavailable", "WARN", "backend unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := unreachable(t)
			if tt.up != nil {
				url = tt.up.serve(t)
			}
			logs := &bytes.Buffer{}
			h := newUpstreamEdge(t, url, logs)
			r := httptest.NewRequest("POST", "/v1/handoff", strings.NewReader(handoffBody(conv, "m1", "ich will mit einem menschen sprechen")))
			r.Header.Set("Content-Type", "application/json")
			r.RemoteAddr = "192.0.2.1:4711"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			var e errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("answer %d %q: want the edge's JSON error", w.Code, w.Body)
			}
			retry := w.Header().Get("Retry-After") != ""
			if w.Code != tt.status || e.Error.Code != tt.code || retry != (tt.status == 503) {
				t.Errorf("answer %d %s Retry-After %q; want %d %s, Retry-After only with 503", w.Code, e.Error.Code,
					w.Header().Get("Retry-After"), tt.status, tt.code)
			}
			if !strings.Contains(e.Error.Message, "not delivered") {
				t.Errorf("message %q: want the generic \"not delivered\"", e.Error.Message)
			}
			for _, leak := range []string{internalAddr, "proxy", "SECRET", "BACKEND_URL", "promise", "refused", "dial"} {
				if strings.Contains(w.Body.String(), leak) {
					t.Errorf("answer %s quotes %q: that is the operator's, not the visitor's", w.Body, leak)
				}
			}
			if log := logs.String(); !hasLogLine(log, tt.level, tt.log) || strings.Contains(log, conv) {
				t.Errorf("log %s: want a %s line containing %q, and no conversation ID", log, tt.level, tt.log)
			}
		})
	}
}

// hasLogLine tells whether log (JSON lines) has a line at level whose
// text contains want.
func hasLogLine(log, level, want string) bool {
	for line := range strings.Lines(log) {
		var l map[string]any
		if json.Unmarshal([]byte(line), &l) != nil || l["level"] != level {
			continue
		}
		for _, v := range l { // the values unescaped, as the operator reads them
			if s, ok := v.(string); ok && strings.Contains(s, want) {
				return true
			}
		}
	}
	return false
}

// TestMisconfigured checks that a misconfigured edge answers 500 and
// repeats why in its log with the 500s, at most once a minute.
func TestMisconfigured(t *testing.T) {
	logs := &bytes.Buffer{}
	c := &clock{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	h := edge.Misconfigured(slog.New(slog.NewJSONHandler(logs, nil)), "WEBHOOK_SECRET is empty", c.Now)
	tests := []struct {
		after time.Duration // since the previous request
		logs  int           // lines logged so far
	}{
		{0, 1}, // the first 500 says why, whenever it comes
		{30 * time.Second, 1},
		{29 * time.Second, 1},
		{time.Second, 2}, // a minute after the last line
		{time.Second, 2},
	}
	for i, tt := range tests {
		c.Advance(tt.after)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/v1/health", nil))
		var e errorBody
		if w.Code != 500 || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error.Code != "misconfigured" ||
			strings.Contains(w.Body.String(), "WEBHOOK_SECRET") {
			t.Errorf("request %d: %d %s; want 500 misconfigured without the reason", i, w.Code, w.Body)
		}
		if n := strings.Count(logs.String(), "WEBHOOK_SECRET is empty"); n != tt.logs {
			t.Errorf("request %d: %d log lines with the reason, want %d:\n%s", i, n, tt.logs, logs)
		}
	}
	if !strings.Contains(logs.String(), `"refused":3`) {
		t.Errorf("log %s: want the second line to count the 3 requests refused since the first", logs)
	}
}

func TestBackendURLWarning(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://backend.example.com", ""},
		{"https://backend.example.com/lotse", ""},
		{"", "BACKEND_URL is empty"},
		{"http://127.0.0.1:8081", "loopback address (127.0.0.1)"},
		{"http://localhost:8081", "loopback address (localhost)"},
		{"https://[::1]:8443", "loopback address (::1)"},
		{"http://backend.localhost", "loopback address (backend.localhost)"},
		{"http://backend.example.com", "plain http:// to backend.example.com"},
		{"http://lotse:hunter2@10.0.0.7:8081", "plain http:// to 10.0.0.7"},
	}
	for _, tt := range tests {
		got := edge.BackendURLWarning(tt.url, "BACKEND_URL")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) || strings.Contains(got, "hunter2") {
			t.Errorf("BackendURLWarning(%q) = %q, want one containing %q (and no password)", tt.url, got, tt.want)
		}
	}
}

// TestConfigErrorDescribe checks that a host can name New's complaints in
// its operator's terms, as the Worker does with its environment
// variables.
func TestConfigErrorDescribe(t *testing.T) {
	env := map[string]string{"BackendURL": "BACKEND_URL", "Secret": "WEBHOOK_SECRET", "RateLimit": "RATE_LIMIT"}
	name := func(f string) string { return env[f] }
	tests := []struct {
		cfg  edge.Config
		want string
	}{
		{edge.Config{Model: model, BackendURL: "https://backend.example.com"}, "BACKEND_URL is set but WEBHOOK_SECRET is empty"},
		{edge.Config{Model: model, BackendURL: "https://backend.example.com", Secret: "whsec_AAEC"}, "WEBHOOK_SECRET: "},
		{edge.Config{Model: model, BackendURL: "backend.example.com:8081", Secret: secret}, "BACKEND_URL must start with http:// or https://"},
		{edge.Config{Model: model, BackendURL: "https://b.example:8o80", Secret: secret}, "BACKEND_URL is not a URL"},
		{edge.Config{Model: model, RateLimit: edge.Rate{Burst: 0, Per: time.Second}}, "RATE_LIMIT 0/1s"},
	}
	for _, tt := range tests {
		_, err := edge.New(tt.cfg)
		ce, ok := err.(*edge.ConfigError)
		if !ok {
			t.Errorf("New: %v (%T), want a *edge.ConfigError", err, err)
			continue
		}
		got := ce.Describe(name)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Describe = %q, want it to contain %q", got, tt.want)
		}
		for _, goName := range []string{"BackendURL", "Secret ", "RateLimit"} {
			if strings.Contains(got, goName) {
				t.Errorf("Describe = %q names the Go field %s", got, goName)
			}
		}
	}
}
