package backend

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/backend/store"
	"github.com/lotse-chat/lotse/handoff"
)

const testIBAN = "DE89 3704 0044 0532 0130 00"

func TestPreview(t *testing.T) {
	long := "Please look into my order from last week, it did not arrive and I was charged twice for it"
	tests := []struct {
		name, text, want string
	}{
		{"short text unchanged", "Where is my parcel?", "Where is my parcel?"},
		{"lines joined", "Hello\n\n  where is\tmy parcel?", "Hello where is my parcel?"},
		{"personal data redacted", "Meine IBAN ist " + testIBAN + ", danke", "Meine IBAN ist [IBAN], danke"},
		{"long text cut at a word", long, "Please look into my order from last week, it did not arrive and I was charged…"},
		// Redacting after cutting would leave "DE89 3704 0044" visible.
		{"personal data across the cut redacted", strings.Repeat("x", 60) + " my IBAN is " + testIBAN + " thanks",
			strings.Repeat("x", 60) + " my IBAN is [IBAN]…"},
		{"placeholder not cut", strings.Repeat("x", 75) + " " + testIBAN + " ok", strings.Repeat("x", 75) + "…"},
		{"runes counted, not bytes", strings.Repeat("ü", 100), strings.Repeat("ü", previewRunes-1) + "…"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := preview(tt.text)
			if got != tt.want {
				t.Errorf("preview(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > previewRunes {
				t.Errorf("preview is %d runes long; want at most %d", n, previewRunes)
			}
			if strings.Contains(got, "3704") {
				t.Errorf("preview %q shows part of the IBAN", got)
			}
		})
	}
}

func TestListPreview(t *testing.T) {
	ts := newTestServer(t)
	// The bot's answer and the agents' replies come after the visitor's
	// last message; the preview is still what the visitor wrote.
	h := sample("c1", "Hello", "Can you recommend a pizza place?")
	h.Messages = append(h.Messages, handoff.Message{ID: "c1-b", Role: handoff.RoleBot, Text: "Sorry, I cannot answer that.", TS: 2})
	ts.handoff(t, h)
	for i := range 25 { // many agent replies after it
		if code, v := ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": fmt.Sprintf("reply %d", i)}); code != 200 {
			t.Fatalf("reply: %d %v", code, v)
		}
	}
	p := sample("c2", "Meine IBAN ist "+testIBAN+", danke")
	p.Reason, p.Intent = handoff.ReasonPersonalData, "thanks"
	ts.handoff(t, p)

	for _, tt := range []struct{ state, id, want string }{
		{"open", "c1", "Can you recommend a pizza place?"},
		{"pending", "c2", "Meine IBAN ist [IBAN], danke"},
	} {
		code, v := ts.console(t, "GET", "conversations?state="+tt.state, nil)
		if code != 200 {
			t.Fatalf("list %s: %d %v", tt.state, code, v)
		}
		cs := v["conversations"].([]any)
		if len(cs) != 1 {
			t.Fatalf("list %s: %d conversations, want 1: %v", tt.state, len(cs), cs)
		}
		c := cs[0].(map[string]any)
		if c["id"] != tt.id || c["preview"] != tt.want {
			t.Errorf("list %s: conversation %v has preview %q; want %s with %q", tt.state, c["id"], c["preview"], tt.id, tt.want)
		}
	}
}

func TestTranscriptMarksPersonalData(t *testing.T) {
	ts := newTestServer(t)
	// "👋" is two UTF-16 code units and four bytes, "ü" one and two: the
	// offsets must be JavaScript's, not Go's.
	text := "Grüße 👋 meine IBAN ist " + testIBAN + ", danke"
	h := sample("c1", text)
	h.Messages = append(h.Messages, handoff.Message{ID: "c1-b", Role: handoff.RoleBot, Text: "Your IBAN " + testIBAN + " is noted.", TS: 2})
	ts.handoff(t, h)
	code, v := ts.console(t, "GET", "conversations/c1", nil)
	if code != 200 {
		t.Fatalf("transcript: %d %v", code, v)
	}
	ms := v["messages"].([]any)
	if len(ms) != 2 {
		t.Fatalf("transcript has %d messages, want 2", len(ms))
	}
	visitor, bot := ms[0].(map[string]any), ms[1].(map[string]any)
	if visitor["text"] != text {
		t.Errorf("visitor text is %q; the transcript keeps the full text %q", visitor["text"], text)
	}
	spans, _ := visitor["pii"].([]any)
	if len(spans) != 1 {
		t.Fatalf("visitor message has spans %v; want one IBAN", visitor["pii"])
	}
	sp := spans[0].(map[string]any)
	units := utf16.Encode([]rune(text))
	start, end := int(sp["start"].(float64)), int(sp["end"].(float64))
	if sp["kind"] != "iban" || start < 0 || end > len(units) || string(utf16.Decode(units[start:end])) != testIBAN {
		t.Errorf("span %v does not cover %q in UTF-16 code units of %q", sp, testIBAN, text)
	}
	if _, ok := bot["pii"]; ok {
		t.Errorf("bot message has spans %v; only visitor messages are marked", bot["pii"])
	}
}

// TestAssignElsewhere checks that Take does not silently take a
// conversation from another agent: it answers 409 naming the assignee
// until the request says force.
func TestAssignElsewhere(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	tests := []struct {
		name     string
		body     map[string]any
		status   int
		code     string
		msg      string
		assignee string
	}{
		{"first take", map[string]any{"agent": "Anna"}, 200, "", "", "Anna"},
		{"same agent again", map[string]any{"agent": "Anna"}, 200, "", "", "Anna"},
		{"another agent", map[string]any{"agent": "Ben"}, 409, "assigned_elsewhere", `assigned to Anna; send {"force": true} to take it over`, "Anna"},
		{"another agent, force false", map[string]any{"agent": "Ben", "force": false}, 409, "assigned_elsewhere", "assigned to Anna", "Anna"},
		{"another agent, forced", map[string]any{"agent": "Ben", "force": true}, 200, "", "", "Ben"},
	}
	for _, tt := range tests {
		code, v := ts.console(t, "POST", "conversations/c1/assign", tt.body)
		e, _ := v["error"].(map[string]any)
		if code != tt.status || (tt.code != "" && (e["code"] != tt.code || !strings.Contains(fmt.Sprint(e["message"]), tt.msg))) {
			t.Errorf("%s: %d %v, want %d %s %q", tt.name, code, v, tt.status, tt.code, tt.msg)
		}
		if c, _ := ts.Store().Conversation(t.Context(), "c1"); c.Assignee != tt.assignee {
			t.Errorf("%s: assignee %q, want %q", tt.name, c.Assignee, tt.assignee)
		}
	}
}

// TestConsoleMessages checks the messages of refusals that used to
// mislead: a resolved conversation refuses assignment too, and a wrong
// bearer token is called wrong, not missing.
func TestConsoleMessages(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	if code, _ := ts.console(t, "POST", "conversations/c1/resolve", map[string]any{}); code != 200 {
		t.Fatalf("resolve: %d", code)
	}
	for _, tt := range []struct {
		action string
		body   map[string]any
	}{{"assign", map[string]any{}}, {"reply", map[string]any{"text": "late"}}} {
		code, v := ts.console(t, "POST", "conversations/c1/"+tt.action, tt.body)
		e, _ := v["error"].(map[string]any)
		if code != 409 || e["code"] != "conversation_resolved" || e["message"] != "conversation is resolved; it cannot be assigned or answered until it is reopened (POST .../reopen)" {
			t.Errorf("%s on a resolved conversation: %d %v", tt.action, code, v)
		}
	}
	for _, tt := range []struct{ auth, msg string }{
		{"Bearer not-the-token", "the bearer token is wrong"},
		{"", "sign in first"},
		{"Bearer ", "sign in first"},
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/console/api/me", nil)
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		code, v := ts.do(t, req)
		e, _ := v["error"].(map[string]any)
		if code != 401 || e["code"] != "unauthenticated" || !strings.HasPrefix(fmt.Sprint(e["message"]), tt.msg) {
			t.Errorf("Authorization %q: %d %v, want 401 with a message starting %q", tt.auth, code, v, tt.msg)
		}
	}
}

// TestLogsOnlyIntentNames checks that an intent or lang that is no name
// (a caller can send any text) stays out of the log.
func TestLogsOnlyIntentNames(t *testing.T) {
	ts := newTestServer(t)
	h := sample("c1", "hi")
	h.Intent, h.Lang = "max@example.com", "Max Muster"
	ts.handoff(t, h)
	h = sample("c2", "hi")
	h.Intent, h.Lang = "report_fraud", "de"
	ts.handoff(t, h)
	logs := ts.logs.String()
	for _, s := range []string{"max@example.com", "Max Muster"} {
		if strings.Contains(logs, s) {
			t.Errorf("log contains %q:\n%s", s, logs)
		}
	}
	if !strings.Contains(logs, `"intent":"report_fraud","lang":"de"`) {
		t.Errorf("log lacks the valid intent and lang:\n%s", logs)
	}
}

// TestListPages pages through the queue with next_cursor while it
// changes: a conversation taken between pages must not push another one
// off the list (as paging by offset would), a new one shows once, at the
// end, and the counts say what is still to come.
func TestListPages(t *testing.T) {
	ts := newTestServer(t)
	for i := 1; i <= 5; i++ {
		ts.handoff(t, sample(fmt.Sprintf("c%d", i), "hi"))
	}
	type page struct {
		ids              string
		total, remaining int
		more             bool // next_cursor set
	}
	get := func(path string) (page, string) {
		t.Helper()
		code, v := ts.console(t, "GET", path, nil)
		if code != 200 {
			t.Fatalf("GET %s: %d %v", path, code, v)
		}
		var ids []string
		for _, c := range v["conversations"].([]any) {
			ids = append(ids, c.(map[string]any)["id"].(string))
		}
		next, _ := v["next_cursor"].(string)
		return page{strings.Join(ids, " "), int(v["total"].(float64)), int(v["remaining"].(float64)), next != ""}, next
	}
	first, next := get("conversations?state=pending&limit=2")
	if want := (page{"c1 c2", 5, 3, true}); first != want {
		t.Errorf("first page = %+v, want %+v", first, want)
	}
	// Between pages c3 is taken and c6 arrives.
	if code, v := ts.console(t, "POST", "conversations/c3/assign", map[string]any{}); code != 200 {
		t.Fatalf("assign: %d %v", code, v)
	}
	ts.handoff(t, sample("c6", "hi"))
	for _, want := range []page{{"c4 c5", 5, 1, true}, {"c6", 5, 0, false}} {
		got, n := get("conversations?state=pending&limit=2&cursor=" + url.QueryEscape(next))
		if got != want {
			t.Errorf("page after %q = %+v, want %+v", next, got, want)
		}
		next = n
	}
	// A full last page has no next page: remaining is counted, not guessed.
	if got, _ := get("conversations?state=pending&limit=5"); got != (page{"c1 c2 c4 c5 c6", 5, 0, false}) {
		t.Errorf("full last page = %+v", got)
	}
	if got, _ := get("conversations?state=pending"); got != (page{"c1 c2 c4 c5 c6", 5, 0, false}) {
		t.Errorf("default page = %+v", got)
	}
}

// TestListBadParameters checks that a cursor or limit the API cannot use
// is refused by name, in the backend's JSON error, not read as "from the
// start", which would show the first page again as if it were the next.
func TestListBadParameters(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	ts.handoff(t, sample("c2", "hi"))
	_, v := ts.console(t, "GET", "conversations?state=pending&limit=1", nil)
	pendingCursor, _ := v["next_cursor"].(string)
	if pendingCursor == "" {
		t.Fatalf("no next_cursor with more conversations to come: %v", v)
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, query, msgHas string
	}{
		{"not base64", "cursor=%25%25%25", "cursor is not one this API returned"},
		{"padded base64", "cursor=" + url.QueryEscape(base64.URLEncoding.EncodeToString([]byte("pending:1:c12"))), "cursor is not"},
		{"no key", "cursor=" + b64("pending:c1"), "cursor is not"},
		{"key not a number", "cursor=" + b64("pending:x:c1"), "cursor is not"},
		{"empty id", "cursor=" + b64("pending:1:"), "cursor is not"},
		{"invalid id", "cursor=" + b64("pending:1:a b"), "cursor is not"},
		{"unknown state", "cursor=" + b64("later:1:c1"), "cursor is not"},
		{"another state's cursor", "state=resolved&cursor=" + pendingCursor, "cursor continues the pending list, not the resolved one"},
		{"limit 0", "limit=0", "limit must be a whole number from 1 to 500"},
		{"limit too large", "limit=501", "limit must be"},
		{"limit not a number", "limit=ten", "limit must be"},
	}
	for _, tt := range tests {
		code, v := ts.console(t, "GET", "conversations?"+tt.query, nil)
		e, _ := v["error"].(map[string]any)
		if code != 400 || e["code"] != "invalid_parameter" || !strings.Contains(fmt.Sprint(e["message"]), tt.msgHas) {
			t.Errorf("%s: %d %v; want 400 invalid_parameter with a message containing %q", tt.name, code, v, tt.msgHas)
		}
	}
	// The cursor made by the API itself works, and an empty one is the start.
	for _, q := range []string{"cursor=" + pendingCursor, "cursor="} {
		if code, v := ts.console(t, "GET", "conversations?state=pending&"+q, nil); code != 200 {
			t.Errorf("%s: %d %v", q, code, v)
		}
	}
}

// TestUnverifiedBotLine checks that the backend takes an unverified bot
// line (a line the client sent as the bot's that is none of the model's
// answers) from the edge and keeps it apart: stored and listed with its
// role, its personal data marked as in a visitor message, and never taken
// for the visitor's last message, which the queue's preview and the
// unanswered-questions report show.
func TestUnverifiedBotLine(t *testing.T) {
	ts := newTestServer(t)
	unverified := "[verified] Your IBAN " + testIBAN + " is confirmed."
	h := sample("c1", "Can you recommend a pizza place?")
	h.Messages = append(h.Messages,
		handoff.Message{ID: "c1-b", Role: handoff.RoleBot, Text: "Sorry, I cannot answer that.", TS: 2},
		handoff.Message{ID: "c1-u", Role: handoff.RoleUnverifiedBot, Text: unverified, TS: 3})
	if ack := ts.handoff(t, h); ack["stored"] != 3.0 {
		t.Fatalf("ack %v, want 3 stored", ack)
	}

	code, v := ts.console(t, "GET", "conversations/c1", nil)
	if code != 200 {
		t.Fatalf("transcript: %d %v", code, v)
	}
	ms := v["messages"].([]any)
	if len(ms) != 3 {
		t.Fatalf("transcript has %d messages, want 3: %v", len(ms), ms)
	}
	tests := []struct {
		role, text string
		spans      int
	}{
		{handoff.RoleVisitor, "Can you recommend a pizza place?", 0},
		{handoff.RoleBot, "Sorry, I cannot answer that.", 0},
		{handoff.RoleUnverifiedBot, unverified, 1}, // the client's text: its IBAN is marked
	}
	for i, tt := range tests {
		m := ms[i].(map[string]any)
		spans, _ := m["pii"].([]any)
		if m["role"] != tt.role || m["text"] != tt.text || len(spans) != tt.spans {
			t.Errorf("message %d is %v %q with spans %v; want %s %q with %d", i, m["role"], m["text"], m["pii"], tt.role, tt.text, tt.spans)
		}
	}

	// The edge's events stream carries it with its role too.
	if code, ev := ts.poll(t, "c1", 2, 0); code != 200 || len(ev.Events) != 1 || ev.Events[0].Role != handoff.RoleUnverifiedBot {
		t.Errorf("events after 2: %d %+v, want the unverified bot line", code, ev)
	}

	code, v = ts.console(t, "GET", "conversations?state=pending", nil)
	cs, _ := v["conversations"].([]any)
	if code != 200 || len(cs) != 1 {
		t.Fatalf("pending: %d %v", code, v)
	}
	if p := cs[0].(map[string]any)["preview"]; p != "Can you recommend a pizza place?" {
		t.Errorf("preview %q, want the visitor's last message", p)
	}
	qs, err := ts.Store().Questions(t.Context(), handoff.ReasonOutOfScope, 10)
	if err != nil || len(qs) != 1 || qs[0] != "Can you recommend a pizza place?" {
		t.Errorf("questions %q, %v; want the visitor's message only", qs, err)
	}
}

// TestConsoleSession checks GET session, the console's first request:
// 200 whether signed in or not, so that a visit before sign-in logs no
// failed load in the browser, naming the agent only for a valid session
// cookie.
func TestConsoleSession(t *testing.T) {
	ts := newTestServer(t)
	session := func(cookie *http.Cookie, auth string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+"/console/api/session", nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return ts.do(t, req)
	}
	req, _ := http.NewRequest("POST", ts.URL+"/console/api/login", strings.NewReader(`{"password":"`+testToken+`","name":"Anna"}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := ts.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || len(res.Cookies()) != 1 {
		t.Fatalf("login: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	valid := res.Cookies()[0]

	tests := []struct {
		name   string
		cookie *http.Cookie
		auth   string
		agent  string
	}{
		{"no cookie", nil, "", ""},
		{"forged cookie", &http.Cookie{Name: sessionCookie, Value: "forged"}, "", ""},
		{"valid cookie", valid, "", "Anna"},
		// The bearer token is for GET me, where a wrong one is counted.
		{"bearer token only", nil, "Bearer " + testToken, ""},
	}
	for _, tt := range tests {
		if code, v := session(tt.cookie, tt.auth); code != 200 || v["agent"] != tt.agent || len(v) != 1 {
			t.Errorf("%s: %d %v, want 200 {\"agent\": %q}", tt.name, code, v, tt.agent)
		}
	}

	req, _ = http.NewRequest("POST", ts.URL+"/console/api/logout", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(valid)
	if code, v := ts.do(t, req); code != 200 {
		t.Fatalf("logout: %d %v", code, v)
	}
	if code, v := session(valid, ""); code != 200 || v["agent"] != "" {
		t.Errorf("after sign-out: %d %v, want 200 {\"agent\": \"\"}", code, v)
	}
}

// TestConsolePageLoadsOnlyWhatIsServed checks that every address the
// console page loads (script, style, icon) is served, and that the page
// names its icon: without a link, browsers ask for /favicon.ico, a 404 on
// every visit. The addresses are relative, so that the page works below a
// prefix (TestConsoleBehindPrefix).
func TestConsolePageLoadsOnlyWhatIsServed(t *testing.T) {
	ts := newTestServer(t)
	page, err := consoleFiles.ReadFile("console/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<link rel="icon" href="favicon.svg"`) {
		t.Errorf("index.html names no icon favicon.svg")
	}
	want := map[string]string{ // the type each kind of file is served with
		".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
	}
	refs := pageRefs(string(page))
	if len(refs) != 3 {
		t.Errorf("index.html loads %q; want script, style and icon", refs)
	}
	base, _ := url.Parse(ts.URL + "/console/")
	for _, ref := range refs {
		if u, err := url.Parse(ref); err != nil || u.IsAbs() || strings.HasPrefix(ref, "/") {
			t.Errorf("index.html loads %q; want an address relative to the page", ref)
			continue
		}
		res, err := ts.http.Get(base.ResolveReference(&url.URL{Path: ref}).String())
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		ext := ref[strings.LastIndexByte(ref, '.'):]
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != want[ext] {
			t.Errorf("GET %s: %d %s, want 200 %s", ref, res.StatusCode, res.Header.Get("Content-Type"), want[ext])
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", ref)
		}
	}
}

// pageRefs returns the addresses in the href and src attributes of page.
func pageRefs(page string) []string {
	var refs []string
	for _, attr := range []string{`href="`, `src="`} {
		for rest := page; ; {
			_, after, ok := strings.Cut(rest, attr)
			if !ok {
				break
			}
			ref, _, _ := strings.Cut(after, `"`)
			refs = append(refs, ref)
			rest = after
		}
	}
	return refs
}

// TestConsoleBehindPrefix uses the console as a browser does, at the root
// and behind a reverse proxy that strips a path prefix (nginx: location
// /lotse/ { proxy_pass http://backend/; }): the page at .../console, its
// script, style and icon, the sign-in, the queue and the live stream, with
// a cookie jar that keeps the session cookie for the path the browser saw.
// Before, the page loaded /console/console.js and the cookie had Path
// /console: behind /lotse, both missed.
func TestConsoleBehindPrefix(t *testing.T) {
	for _, prefix := range []string{"", "/lotse", "/support/console"} {
		t.Run("prefix "+strconv.Quote(prefix), func(t *testing.T) {
			ts := newTestServer(t)
			ts.handoff(t, sample("c1", "Where is my parcel?"))
			var h http.Handler = ts.Handler()
			if prefix != "" {
				h = http.StripPrefix(prefix, h) // 404 for paths outside the prefix
			}
			proxy := httptest.NewServer(h)
			defer proxy.Close()
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar}
			get := func(u *url.URL) *http.Response {
				t.Helper()
				res, err := c.Get(u.String())
				if err != nil {
					t.Fatal(err)
				}
				return res
			}

			// The address an agent types: without the slash, redirected to it.
			start, _ := url.Parse(proxy.URL + prefix + "/console")
			res := get(start)
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(string(page), "<title>Lotse console</title>") {
				t.Fatalf("GET %s: %d %.80q, want the console page", start, res.StatusCode, page)
			}
			pageURL := res.Request.URL
			if want := prefix + "/console/"; pageURL.Path != want {
				t.Errorf("GET %s ended at %s, want %s", start, pageURL.Path, want)
			}
			for _, ref := range pageRefs(string(page)) {
				u, _ := pageURL.Parse(ref)
				res := get(u)
				res.Body.Close()
				if res.StatusCode != 200 || !strings.HasPrefix(u.Path, prefix+"/console/") {
					t.Errorf("page's %q is %s: %d, want 200 below %s/console/", ref, u.Path, res.StatusCode, prefix)
				}
			}

			// The console's calls, resolved as console.js resolves them:
			// new URL('api/' + path, document.baseURI).
			call := func(method, path, body string) (int, map[string]any) {
				t.Helper()
				u, _ := pageURL.Parse("api/" + path)
				req, _ := http.NewRequest(method, u.String(), strings.NewReader(body))
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var v map[string]any
				json.NewDecoder(res.Body).Decode(&v)
				return res.StatusCode, v
			}
			if code, v := call("POST", "login", `{"password":"`+testToken+`","name":"Anna"}`); code != 200 {
				t.Fatalf("sign-in: %d %v", code, v)
			}
			api, _ := pageURL.Parse("api/")
			if !hasCookie(jar, api, sessionCookie) {
				t.Fatalf("no session cookie for %s after sign-in; the jar has %v for the page", api, jar.Cookies(pageURL))
			}
			if hasCookie(jar, pageURL, sessionCookie) {
				t.Errorf("the session cookie goes to the page %s too; want the API only", pageURL.Path)
			}
			if code, v := call("GET", "session", ""); code != 200 || v["agent"] != "Anna" {
				t.Errorf("session: %d %v, want agent Anna", code, v)
			}
			if code, v := call("GET", "conversations?state=pending", ""); code != 200 || len(v["conversations"].([]any)) != 1 {
				t.Errorf("pending queue: %d %v, want c1", code, v)
			}

			// The live stream, as the page's EventSource opens it.
			ctx, cancel := context.WithCancel(context.Background())
			u, _ := pageURL.Parse("api/conversations/c1/events?after=0")
			req, _ := http.NewRequestWithContext(ctx, "GET", u.String(), nil)
			req.Header.Set("Accept", "text/event-stream")
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != 200 {
				t.Errorf("GET %s: %d, want the stream", u.Path, res.StatusCode)
			} else if evs := readSSE(t, bufio.NewReader(res.Body), 1); !strings.Contains(evs[0].data, "Where is my parcel?") {
				t.Errorf("stream's first event %+v, want the visitor's message", evs[0])
			}
			cancel()
			res.Body.Close()

			if code, v := call("POST", "logout", "{}"); code != 200 {
				t.Errorf("sign-out: %d %v", code, v)
			}
			if hasCookie(jar, api, sessionCookie) {
				t.Errorf("session cookie still in the jar after sign-out")
			}
			if code, v := call("GET", "session", ""); code != 200 || v["agent"] != "" {
				t.Errorf("session after sign-out: %d %v, want no agent", code, v)
			}
		})
	}
}

// TestConsoleRedirect checks that /console redirects to console/, relative
// to the address the browser asked for: an absolute /console/ would leave
// the prefix a proxy stripped.
func TestConsoleRedirect(t *testing.T) {
	ts := newTestServer(t)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{"/console": "console/", "/console?lang=de": "console/?lang=de"} {
		res, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("GET %s: %d Location %q, want 301 %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

// hasCookie reports whether jar sends a cookie named name to u.
func hasCookie(jar http.CookieJar, u *url.URL, name string) bool {
	for _, c := range jar.Cookies(u) {
		if c.Name == name {
			return true
		}
	}
	return false
}

// TestReopen reopens a resolved conversation from the console: it is
// open and the reopening agent's, the visitor's event stream reports the
// state, replies are taken again, and reopening what is not resolved, or
// is not there, says why.
func TestReopen(t *testing.T) {
	ts := newTestServer(t)
	ts.handoff(t, sample("c1", "hi"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := ts.events(t, ctx, "/v1/conversations/c1/events")
	req.Header.Set("Accept", "text/event-stream")
	res, err := ts.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	stream := bufio.NewReader(res.Body)
	if evs := readSSE(t, stream, 2); evs[1].data != `{"state":"pending"}` {
		t.Fatalf("stream = %+v, want the message, then state pending", evs)
	}
	notResolved := func(state string) {
		t.Helper()
		code, v := ts.console(t, "POST", "conversations/c1/reopen", map[string]any{})
		e, _ := v["error"].(map[string]any)
		if code != 409 || v["state"] != state || e["code"] != "conversation_not_resolved" ||
			e["message"] != "conversation is "+state+", not resolved; only a resolved conversation can be reopened" {
			t.Errorf("reopen of a %s conversation: %d %v", state, code, v)
		}
	}
	notResolved("pending")
	if code, v := ts.console(t, "POST", "conversations/c1/resolve", map[string]any{}); code != 200 {
		t.Fatalf("resolve: %d %v", code, v)
	}
	if evs := readSSE(t, stream, 1); evs[0] != (sse{"", "state", `{"state":"resolved"}`}) {
		t.Errorf("after resolve the stream sent %+v", evs)
	}
	code, v := ts.console(t, "POST", "conversations/c1/reopen", map[string]any{})
	c, _ := v["conversation"].(map[string]any)
	if code != 200 || c["state"] != "open" || c["assignee"] != "agent" {
		t.Fatalf("reopen: %d %v, want the conversation open and the agent's", code, v)
	}
	if evs := readSSE(t, stream, 1); evs[0] != (sse{"", "state", `{"state":"open"}`}) {
		t.Errorf("after reopen the stream sent %+v, want state open", evs)
	}
	// A widget that long-polls, still believing it resolved, learns at once.
	if _, ev := ts.poll(t, "c1", 1, 0); ev.State != "open" {
		t.Errorf("long-poll after reopen: state %s, want open", ev.State)
	}
	notResolved("open") // a second click
	if code, v := ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": "One more thing about your order"}); code != 200 {
		t.Errorf("reply after reopen: %d %v", code, v)
	}
	if code, v := ts.console(t, "POST", "conversations/nope/reopen", map[string]any{}); code != 404 {
		t.Errorf("reopen of an unknown conversation: %d %v, want 404", code, v)
	}
	if code, v := ts.console(t, "POST", "conversations/c1/reopen", map[string]any{"agent": "bob"}); code != 400 {
		t.Errorf("reopen with an unknown field: %d %v, want 400", code, v)
	}
	if !strings.Contains(ts.logs.String(), `"msg":"conversation reopened"`) {
		t.Errorf("no log line for the reopen in %s", ts.logs.String())
	}
}

// TestReadyLogLineMigratedFrom checks that the start-up line names the
// schema version the database had when the backend migrated it, and
// names none when it did not.
func TestReadyLogLineMigratedFrom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lotse.db")
	start := func() string {
		t.Helper()
		var logs syncBuffer
		s, err := New(Config{SQLitePath: path, Secret: testSecret, AgentToken: testToken,
			Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		return logs.String()
	}
	if logs := start(); !strings.Contains(logs, fmt.Sprintf(`"schema":%d,"migrated_from":0`, store.SchemaVersion)) {
		t.Errorf("start on a new database logged %s; want migrated_from 0", logs)
	}
	if logs := start(); strings.Contains(logs, "migrated_from") || !strings.Contains(logs, `"msg":"backend ready"`) {
		t.Errorf("start with nothing to migrate logged %s; want no migrated_from", logs)
	}
	// Take the database back to schema 3, as a lotse of schema 3 left it.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP INDEX conversations_waiting", "DROP INDEX conversations_resolved",
		"CREATE INDEX conversations_queue ON conversations (state, pending_since)", "DELETE FROM schema_migrations WHERE version = 4"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if logs := start(); !strings.Contains(logs, `"schema":4,"migrated_from":3`) {
		t.Errorf("start on a database of schema 3 logged %s; want schema=4 migrated_from=3", logs)
	}
}
