package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestHostGuardAllowed(t *testing.T) {
	g := guardHosts(http.NotFoundHandler(), []string{"chat.example.lan"}, slog.New(slog.DiscardHandler))
	for _, tt := range []struct {
		host string
		want bool
	}{
		{"localhost:8080", true},
		{"localhost", true},
		{"LocalHost.:8080", true}, // case and the trailing dot of a fully qualified name
		{"127.0.0.1:8080", true},
		{"127.0.0.1", true},
		{"[::1]:8080", true},
		{"[::1]", true},
		{"192.168.1.20:8080", true}, // any address: a page on an address is not rebound
		{"[fe80::1%25eth0]:8080", true},
		{"chat.example.lan:8080", true},
		{"CHAT.example.lan", true},
		{"", true}, // HTTP/1.0 without Host: not a browser
		{"evil.example:8080", false},
		{"evil.example", false},
		{"localhost.evil.example:8080", false},
		{"127.0.0.1.evil.example", false},
		{"example.lan", false}, // a parent of an allowed name is not allowed
		{"x.chat.example.lan", false},
		{"localhost:8080:1", false},
		{"shop.localhost:8080", true}, // *.localhost is loopback by RFC 6761: no DNS to rebind
		{"a.b.localhost", true},
		{".localhost", false},
		{"localhost.evil", false},
	} {
		if got := g.allowed(tt.host); got != tt.want {
			t.Errorf("allowed(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestParseAllowedHosts(t *testing.T) {
	for _, tt := range []struct {
		list, addr string
		want       []string
		err        string // part of the error, "" for none
	}{
		{"", "127.0.0.1:8080", []string{"127.0.0.1"}, ""},
		{"", ":8080", nil, ""},
		{"", "0.0.0.0:8080", []string{"0.0.0.0"}, ""},
		{"chat.example.lan, Other.Example.:9000,,", "[::]:8080", []string{"chat.example.lan", "other.example", "::"}, ""},
		{"", "myhost.lan:8080", []string{"myhost.lan"}, ""},
		{"[::1]:8080,10.0.0.2", "127.0.0.1:0", []string{"::1", "10.0.0.2", "127.0.0.1"}, ""},
		{"http://chat.example.lan", "127.0.0.1:8080", nil, "give the name only"},
		{"chat.example.lan/console", "127.0.0.1:8080", nil, "give the name only"},
		{"*.example.lan", "127.0.0.1:8080", nil, "no wildcards"},
		{"bad name", "127.0.0.1:8080", nil, "is not a host name"},
	} {
		got, err := parseAllowedHosts(tt.list, tt.addr)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseAllowedHosts(%q, %q) error = %v, want one containing %q", tt.list, tt.addr, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("parseAllowedHosts(%q, %q): %v", tt.list, tt.addr, err)
		case tt.err == "" && !slices.Equal(got, tt.want):
			t.Errorf("parseAllowedHosts(%q, %q) = %q, want %q", tt.list, tt.addr, got, tt.want)
		}
	}
}

// TestHostGuardRefusal checks what a refused request gets: 403 and a JSON
// error naming the host and the flag that allows it, without reaching the
// handler; and that the refusal is logged once per host.
func TestHostGuardRefusal(t *testing.T) {
	var logged bytes.Buffer
	reached := false
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true })
	g := guardHosts(next, nil, slog.New(slog.NewTextHandler(&logged, nil)))
	for range 3 {
		req := httptest.NewRequest("GET", "/console", nil)
		req.Host = "Evil.Example:8080"
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("status %d, Content-Type %q; want 403 JSON", rec.Code, rec.Header().Get("Content-Type"))
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%v in %s", err, rec.Body)
		}
		if body.Error.Code != "host_not_allowed" || !strings.Contains(body.Error.Message, `"evil.example"`) ||
			!strings.Contains(body.Error.Message, "--allowed-hosts evil.example") {
			t.Fatalf("error = %+v; want host_not_allowed naming evil.example and --allowed-hosts evil.example", body.Error)
		}
	}
	if reached {
		t.Error("a refused request reached the handler")
	}
	if n := strings.Count(logged.String(), "host=evil.example"); n != 1 {
		t.Errorf("refusal logged %d times, want once:\n%s", n, logged.String())
	}
}

// TestServeHostGuard sends requests to lotse serve as a rebound page would:
// to its address, for another name. Only names it knows are answered.
func TestServeHostGuard(t *testing.T) {
	origin := startServe(t, serveConfig{hosts: []string{"chat.example.lan"}, bot: "../../testdata/bots/faq.csv", widget: t.TempDir()})
	for _, tt := range []struct {
		host    string
		refused bool
	}{
		{"", false}, // the address itself
		{"localhost", false},
		{"chat.example.lan", false},
		{"evil.example", true},
	} {
		for _, path := range []string{"/v1/health", "/console/api/conversations", "/backend/v1/inbox"} {
			req, _ := http.NewRequest("GET", origin+path, nil)
			if tt.host != "" {
				req.Host = tt.host + origin[strings.LastIndex(origin, ":"):]
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			// Allowed requests get the handler's own answer, whatever it
			// is (the console wants a token, the inbox a POST), never 403.
			if refused := resp.StatusCode == http.StatusForbidden; refused != tt.refused {
				t.Errorf("GET %s for Host %q = %d, want refused: %v", path, req.Host, resp.StatusCode, tt.refused)
			}
		}
	}
}

// TestServeAllowedHostsFlag checks that a wrong --allowed-hosts is a usage
// error that says what to give instead, before anything starts.
func TestServeAllowedHostsFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"serve", "--allowed-hosts", "http://chat.example.lan", "--addr", "127.0.0.1:0"}, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "give the name only") {
		t.Errorf("stderr does not say what to give:\n%s", stderr.String())
	}
}
