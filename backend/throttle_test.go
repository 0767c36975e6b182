package backend

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// TestFailuresBounded fills a small failures map with clients and checks
// that it never grows past its bound, that clients beyond it share one
// record, and that clients whose failures aged out make room again.
func TestFailuresBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	f := newFailures(4, func() time.Time { return now })
	for i := range 4 {
		f.add("10.0.0." + strconv.Itoa(i))
	}
	// Ten new addresses, one failure each: they land in the shared record,
	// which is then throttled, while the first four are not.
	for i := range maxFailures {
		f.add("10.1.0." + strconv.Itoa(i))
	}
	if _, shared := f.m[overflowClient]; len(f.m) != 5 || !shared {
		t.Fatalf("map holds %v; want the 4 first clients and the shared record", f.m)
	}
	if _, blocked := f.blocked("10.9.9.9"); !blocked {
		t.Error("a new client while the map is full: not throttled by the shared record")
	}
	if _, blocked := f.blocked("10.0.0.1"); blocked {
		t.Error("a client with one failure is throttled")
	}
	now = now.Add(failureWindow)
	f.add("10.2.0.1")
	if _, ok := f.m["10.2.0.1"]; !ok || len(f.m) != 1 {
		t.Errorf("after the window: map %v, want only 10.2.0.1", f.m)
	}
	if _, blocked := f.blocked("10.9.9.9"); blocked {
		t.Error("the shared record still throttles after the window")
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header, token string
		ok            bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"BeArEr  abc", "abc", true},
		{"Bearer", "", true},
		{"Basic abc", "", false},
		{"Bearerabc", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if token, ok := bearerToken(tt.header); token != tt.token || ok != tt.ok {
			t.Errorf("bearerToken(%q) = %q, %v; want %q, %v", tt.header, token, ok, tt.token, tt.ok)
		}
	}
}

func TestClientOf(t *testing.T) {
	for _, tt := range []struct{ remote, want string }{
		{"192.0.2.7:51234", "192.0.2.7"},
		{"[2001:db8:1:2:aaaa::1]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff:ffff:ffff:ffff]:443", "2001:db8:1:2::/64"}, // the same network
		{"[::ffff:192.0.2.7]:80", "::ffff:192.0.2.7"},                   // IPv4 mapped: the address
		{"pipe", "pipe"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if got := clientOf(r); got != tt.want {
			t.Errorf("clientOf(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}
