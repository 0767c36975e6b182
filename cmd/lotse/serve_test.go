package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestServe drives the lotse serve composition through real HTTP: a FAQ
// answered by the edge, an out-of-scope handoff delivered signed to the
// backend and queued in the console, the demo page and the model asset.
func TestServe(t *testing.T) {
	var out strings.Builder
	origin := startServeOut(t, serveConfig{origins: []string{"http://localhost:3000"}, bot: "../../testdata/bots/demo", widget: "../../widget"}, &out)
	// The author is told what lotse train tells: the demo bot's background
	// out-of-scope examples were left out, and why there is no threshold.
	for _, want := range []string{"\ntrained demo (", "\ncross-validated on the bot's examples: ", "\nleft out ", "\nno confidence threshold: "} {
		if !strings.Contains("\n"+out.String(), want) {
			t.Errorf("start-up output lacks %q:\n%s", want, out.String())
		}
	}

	var reply struct{ Action, Intent, Reason string }
	post(t, origin+"/v1/chat", `{"conversation_id":"c0ffee00c0ffee00c0ffee00c0ffee01","message_id":"m1","text":"when is my payment due"}`, &reply)
	if reply.Action != "answer" || reply.Intent != "payment_due_date" {
		t.Fatalf("FAQ reply = %+v", reply)
	}
	var ack struct {
		Status string
		Stored int
	}
	post(t, origin+"/v1/handoff", `{"conversation_id":"c0ffee00c0ffee00c0ffee00c0ffee01","message_id":"m2","reason":"out_of_scope","lang":"en",
		"messages":[{"id":"m2","role":"visitor","text":"what is the weather in Berlin","ts":1}]}`, &ack)
	if ack.Stored != 1 {
		t.Fatalf("handoff ack = %+v, want one stored message", ack)
	}
	req, _ := http.NewRequest("GET", origin+"/console/api/conversations?state=pending", nil)
	req.Header.Set("Authorization", "Bearer agent-token-1")
	var queue struct{ Conversations []struct{ ID, Reason string } }
	do(t, req, &queue)
	if len(queue.Conversations) != 1 || queue.Conversations[0].Reason != "out_of_scope" {
		t.Fatalf("console queue = %+v", queue)
	}
	for path, ctype := range map[string]string{"/": "text/html", "/model.lotse": "", "/v1/health": "application/json",
		"/widget.js": "text/javascript"} {
		resp, err := http.Get(origin + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Errorf("GET %s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	// A page on an allowed origin may call the edge and fetch the model;
	// one on another origin may not.
	for o, want := range map[string]string{"http://localhost:3000": "http://localhost:3000", "http://localhost:4000": ""} {
		req, _ := http.NewRequest("GET", origin+"/model.lotse", nil)
		req.Header.Set("Origin", o)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("GET /model.lotse from %s: Access-Control-Allow-Origin %q, want %q", o, got, want)
		}
	}
	// The widget directory holds its tests and README too; they are not
	// the public's.
	for _, path := range []string{"/README.md", "/test/widget.test.mjs", "/test/harness.mjs"} {
		resp, err := http.Get(origin + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}

func post(t *testing.T, url, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	do(t, req, out)
}

func do(t *testing.T, req *http.Request, out any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s = %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s %s: %v in %s", req.Method, req.URL.Path, err, b)
	}
}

// TestServeWithoutWidgetDirectory runs lotse serve where no widget/ is at
// hand, as from a bot's own folder: the widget and the demo page come from
// the binary.
func TestServeWithoutWidgetDirectory(t *testing.T) {
	origin := startServe(t, serveConfig{bot: "../../testdata/bots/faq.csv", widget: t.TempDir()})
	for _, path := range []string{"/", "/widget.js"} {
		resp, err := http.Get(origin + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) < 1000 {
			t.Errorf("GET %s = %d, %d bytes; want the built-in file", path, resp.StatusCode, len(body))
		}
	}
}

// startServe runs lotse serve's handler with c, completed by a fresh
// database, agent token agent-token-1, no engine assets and a quiet log,
// until the test ends, and returns its origin.
func startServe(t *testing.T, c serveConfig) string {
	t.Helper()
	return startServeOut(t, c, io.Discard)
}

// startServeOut is startServe writing the start-up output to stdout.
func startServeOut(t *testing.T, c serveConfig, stdout io.Writer) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	c.origin = "http://" + ts.Listener.Addr().String()
	c.db, c.token, c.assets = filepath.Join(t.TempDir(), "lotse.db"), "agent-token-1", t.TempDir()
	c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	h, back, err := newServeHandler(c, stdout)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(func() { ts.Close(); back.Close() })
	return c.origin
}

// TestTrainBotSummary checks that lotse serve, training the bot at
// start-up, tells the author what lotse train would: the summary and the
// warnings, on stdout; but no --reject-budget, which serve has not.
func TestTrainBotSummary(t *testing.T) {
	tests := []struct {
		bot  string
		want []string // lines starting so, in this order
	}{
		// Eight questions: no threshold, nothing handed off as out of scope.
		{"../../testdata/bots/faq.csv", []string{
			"note: no language given; the questions read as English (en)",
			"trained faq (../../testdata/bots/faq.csv): 8 intents, 8 examples in ",
			"cross-validated on the bot's examples: in-scope accuracy not measurable",
			"no confidence threshold: too few examples to choose one",
			"warning: the bot hands no message off as out of scope: it answers everything with its nearest intent.",
			"warning: no intent has greetings or thanks",
		}},
		// Rasa NLU data has no answers.
		{"../../testdata/bots/demo-rasa", []string{
			"trained demo-rasa (../../testdata/bots/demo-rasa): 6 intents, ",
			"cross-validated on the bot's examples: ",
			"warning: 6 of 6 intents have no answer (greet, goodbye, faq_payment_due_date and 3 more)",
			"warning: no intent has thanks",
		}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.bot), func(t *testing.T) {
			var out strings.Builder
			if _, _, err := trainBot(tt.bot, &out); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(out.String(), "\n")
			i := 0
			for _, line := range lines {
				if i < len(tt.want) && strings.HasPrefix(line, tt.want[i]) {
					i++
				}
			}
			if i < len(tt.want) {
				t.Errorf("output lacks a line starting %q (after the ones before it):\n%s", tt.want[i], out.String())
			}
			if strings.Contains(out.String(), "--reject-budget") {
				t.Errorf("output suggests --reject-budget, which lotse serve has not:\n%s", out.String())
			}
		})
	}
}
