package backend

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/handoff"
)

// apiError is the error body every failed request carries.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// decodeError checks that res carries exactly {"error":{"code","message"}}
// as JSON and returns it with the raw body.
func decodeError(t *testing.T, res *http.Response) (apiError, string) {
	t.Helper()
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%d answer has Content-Type %q, body %q; want application/json", res.StatusCode, ct, raw)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil || len(top) != 1 || top["error"] == nil {
		t.Fatalf("%d answer %q is not {\"error\": ...}", res.StatusCode, raw)
	}
	var inner map[string]any
	if err := json.Unmarshal(top["error"], &inner); err != nil || len(inner) != 2 {
		t.Fatalf("%d answer %q: error is not {\"code\",\"message\"}", res.StatusCode, raw)
	}
	var e apiError
	json.Unmarshal(raw, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("%d answer %q: empty code or message", res.StatusCode, raw)
	}
	for _, r := range e.Error.Code {
		if (r < 'a' || r > 'z') && r != '_' {
			t.Errorf("code %q is not snake_case", e.Error.Code)
			break
		}
	}
	return e, string(raw)
}

// serve runs one request through s's handler from remote.
func serve(s *Server, method, path, remote string, header http.Header, body string) *http.Response {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = remote
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w.Result()
}

func TestErrorShape(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	bearer := http.Header{"Authorization": {"Bearer " + testToken}}
	bearerJSON := http.Header{"Authorization": {"Bearer " + testToken}, "Content-Type": {"application/json"}}
	signed := func(path, secret string) http.Header { // as the edge signs events requests
		req := httptest.NewRequest("GET", path, nil)
		if err := handoff.SignRequest(handoff.SecretKey(secret), req, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		return req.Header
	}
	otherSecret := "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA=="
	tests := []struct {
		name         string
		method, path string
		header       http.Header
		body         string
		status       int
		code, allow  string
		msgHas       string
	}{
		{"unknown route", "GET", "/nope", nil, "", 404, "not_found", "", "/nope"},
		{"unknown v1 route", "POST", "/v1/nope", nil, "", 404, "not_found", "", "/v1/inbox"},
		{"unknown console API route", "GET", "/console/api/nope", bearer, "", 404, "not_found", "", "/console/api/nope"},
		{"GET on reply", "GET", "/console/api/conversations/c1/reply", bearer, "", 405, "method_not_allowed", "POST", "POST"},
		{"DELETE on a conversation", "DELETE", "/console/api/conversations/c1", bearer, "", 405, "method_not_allowed", "GET, HEAD", "GET"},
		{"GET on the inbox", "GET", "/v1/inbox", nil, "", 405, "method_not_allowed", "POST", "POST"},
		{"POST on health", "POST", "/v1/health", nil, "", 405, "method_not_allowed", "GET, HEAD", "GET"},
		{"GET on login", "GET", "/console/api/login", nil, "", 405, "method_not_allowed", "POST", "POST"},
		{"unauthenticated", "GET", "/console/api/me", nil, "", 401, "unauthenticated", "", "/console/api/login"},
		{"form POST", "POST", "/console/api/conversations/c1/resolve", http.Header{"Authorization": {"Bearer " + testToken}, "Content-Type": {"application/x-www-form-urlencoded"}}, "a=b", 415, "unsupported_media_type", "", "application/json"},
		{"malformed JSON", "POST", "/console/api/conversations/c1/reply", bearerJSON, `{"text":`, 400, "malformed_json", "", "JSON"},
		{"empty reply", "POST", "/console/api/conversations/c1/reply", bearerJSON, `{"text":" "}`, 400, "invalid_request", "", "text"},
		{"unknown conversation", "POST", "/console/api/conversations/nope/resolve", bearerJSON, `{}`, 404, "conversation_not_found", "", "conversation"},
		{"bad state filter", "GET", "/console/api/conversations?state=weird", bearer, "", 400, "invalid_parameter", "", "state"},
		{"unknown events", "GET", "/v1/conversations/nope/events?wait=0", signed("/v1/conversations/nope/events?wait=0", testSecret), "", 404, "conversation_not_found", "", "conversation"},
		{"bad cursor", "GET", "/v1/conversations/c1/events?after=x", signed("/v1/conversations/c1/events?after=x", testSecret), "", 400, "invalid_parameter", "", "after"},
		{"unsigned events", "GET", "/v1/conversations/c1/events?wait=0", nil, "", 401, "missing_signature", "", "through the edge"},
		{"events signed with another secret", "GET", "/v1/conversations/c1/events?wait=0", signed("/v1/conversations/c1/events?wait=0", otherSecret), "", 401, "bad_signature", "", "WEBHOOK_SECRET"},
		{"events signed for another query", "GET", "/v1/conversations/c1/events?wait=0", signed("/v1/conversations/c1/events?wait=1", testSecret), "", 401, "bad_signature", "", "path or query"},
		{"unsigned handoff", "POST", "/v1/inbox", nil, `{}`, 401, "missing_signature", "", "webhook-signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(ts.Server, tt.method, tt.path, "192.0.2.1:1234", tt.header, tt.body)
			e, raw := decodeError(t, res)
			if res.StatusCode != tt.status || e.Error.Code != tt.code || !strings.Contains(e.Error.Message, tt.msgHas) {
				t.Errorf("%s %s = %d %s; want %d, code %q, message containing %q", tt.method, tt.path, res.StatusCode, raw, tt.status, tt.code, tt.msgHas)
			}
			if got := res.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

// TestErrorsNotHTMLEscaped: error bodies are application/json, so "<agent
// token>" must read as written, not as \u003cagent token\u003e.
func TestErrorsNotHTMLEscaped(t *testing.T) {
	ts := newTestServer(t)
	res := serve(ts.Server, "GET", "/console/api/me", "192.0.2.1:1234", nil, "")
	_, raw := decodeError(t, res)
	if !strings.Contains(raw, "<agent token>") || strings.Contains(raw, `\u003c`) {
		t.Errorf("401 body %q: want <agent token> unescaped", raw)
	}
}

func TestLoginRequest(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name   string
		body   string
		status int
		code   string
		msgHas []string
	}{
		{"token instead of password", `{"token":"` + testToken + `"}`, 400, "unknown_field", []string{`"token"`, "password"}},
		{"empty object", `{}`, 400, "missing_field", []string{`{"password": "<agent token>"}`}},
		{"no body", ``, 400, "missing_field", []string{`{"password": "<agent token>"}`}},
		{"empty password", `{"password":""}`, 400, "missing_field", []string{"password"}},
		{"several unknown fields", `{"password":"` + testToken + `","user":"a","pw":"b"}`, 400, "unknown_field", []string{`"pw"`, `"user"`}},
		{"not an object", `["` + testToken + `"]`, 400, "malformed_json", []string{"object"}},
		{"wrong password", `{"password":"wrong-but-long"}`, 401, "wrong_password", []string{"password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := serve(ts.Server, "POST", "/console/api/login", "192.0.2.1:1234",
				http.Header{"Content-Type": {"application/json"}}, tt.body)
			e, raw := decodeError(t, res)
			if res.StatusCode != tt.status || e.Error.Code != tt.code {
				t.Errorf("login %s = %d %s; want %d %s", tt.body, res.StatusCode, raw, tt.status, tt.code)
			}
			for _, s := range tt.msgHas {
				if !strings.Contains(e.Error.Message, s) {
					t.Errorf("message %q lacks %q", e.Error.Message, s)
				}
			}
			if len(res.Cookies()) != 0 {
				t.Errorf("refused login set cookies %v", res.Cookies())
			}
		})
	}
	res := serve(ts.Server, "POST", "/console/api/login", "192.0.2.1:1234",
		http.Header{"Content-Type": {"application/json"}}, `{"password":"`+testToken+`","name":"Anna"}`)
	if res.StatusCode != 200 || len(res.Cookies()) != 1 {
		t.Errorf("good login: %d, cookies %v", res.StatusCode, res.Cookies())
	}
}

func TestBearerSchemeCaseInsensitive(t *testing.T) {
	ts := newTestServer(t)
	for _, auth := range []string{"Bearer " + testToken, "bearer " + testToken, "BEARER " + testToken, "Bearer   " + testToken} {
		res := serve(ts.Server, "GET", "/console/api/me", "192.0.2.1:1234", http.Header{"Authorization": {auth}}, "")
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("Authorization %q: %d, want 200", auth, res.StatusCode)
		}
	}
}

// TestLoginThrottle guesses passwords from one client on a test clock: the
// eleventh failure within a minute is refused with 429 and Retry-After
// before the password is even looked at, other clients are unaffected, and
// the block ends when the oldest failure leaves the window.
func TestLoginThrottle(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s, err := New(Config{SQLitePath: filepath.Join(t.TempDir(), "x.db"), Secret: testSecret, AgentToken: testToken,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	login := func(remote, pw string) *http.Response {
		return serve(s, "POST", "/console/api/login", remote, http.Header{"Content-Type": {"application/json"}}, `{"password":"`+pw+`"}`)
	}
	const attacker, other = "198.51.100.7:4000", "203.0.113.9:5000"
	for i := range 10 {
		if res := login(attacker, "guess"+strconv.Itoa(i)); res.StatusCode != 401 {
			t.Fatalf("failure %d: %d, want 401", i+1, res.StatusCode)
		}
		now = now.Add(time.Second) // ten failures over ten seconds
	}
	for _, pw := range []string{"guess10", testToken} {
		res := login("198.51.100.7:4001", pw) // another port, same client
		e, raw := decodeError(t, res)
		if res.StatusCode != 429 || e.Error.Code != "rate_limited" || res.Header.Get("Retry-After") != "50" {
			t.Errorf("attempt after 10 failures with %q: %d Retry-After %q %s; want 429 Retry-After 50",
				pw, res.StatusCode, res.Header.Get("Retry-After"), raw)
		}
	}
	// A wrong bearer token is a guess too, and is refused alike.
	res := serve(s, "GET", "/console/api/me", attacker, http.Header{"Authorization": {"Bearer " + testToken}}, "")
	if res.StatusCode != 429 {
		t.Errorf("bearer call from a throttled client: %d, want 429", res.StatusCode)
	}
	if res := login(other, testToken); res.StatusCode != 200 {
		t.Errorf("another client: %d, want 200", res.StatusCode)
	}
	now = now.Add(51 * time.Second) // the first failure is now over a minute old
	if res := login(attacker, testToken); res.StatusCode != 200 {
		t.Errorf("after the window: %d, want 200", res.StatusCode)
	}
}

// TestSignInLogsClientBehindProxy checks that with TrustProxy the log lines
// of refused and throttled sign-ins name the client the throttle counts
// (the address the proxy appended, an IPv6 client's /64), not the proxy.
func TestSignInLogsClientBehindProxy(t *testing.T) {
	const proxy = "10.0.0.1:5555"
	tests := []struct {
		name       string
		trustProxy bool
		xff        string
		want       string
	}{
		{"IPv4 client", true, "203.0.113.50, 198.51.100.9", "198.51.100.9"},
		{"IPv6 client", true, "2001:db8:1:2:3::7", "2001:db8:1:2::/64"},
		{"no X-Forwarded-For", true, "", "10.0.0.1"},
		{"proxy not trusted", false, "198.51.100.9", proxy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			s, err := New(Config{SQLitePath: filepath.Join(t.TempDir(), "x.db"), Secret: testSecret, AgentToken: testToken,
				Logger: slog.New(slog.NewJSONHandler(&logs, nil)), TrustProxy: tt.trustProxy})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			h := http.Header{"Content-Type": {"application/json"}}
			if tt.xff != "" {
				h.Set("X-Forwarded-For", tt.xff)
			}
			for range maxFailures + 1 { // the last one is throttled
				serve(s, "POST", "/console/api/login", proxy, h, `{"password":"wrong"}`).Body.Close()
			}
			got := map[string]string{} // message -> remote
			for line := range strings.Lines(logs.String()) {
				var rec struct{ Msg, Remote string }
				if json.Unmarshal([]byte(line), &rec) == nil && rec.Remote != "" {
					got[rec.Msg] = rec.Remote
				}
			}
			for _, msg := range []string{"console sign-in refused", "console sign-in throttled"} {
				if got[msg] != tt.want {
					t.Errorf("%q logged remote %q, want %q (all: %v)", msg, got[msg], tt.want, got)
				}
			}
		})
	}
}
