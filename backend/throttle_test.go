package backend

import (
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
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
		f.reserve("10.0.0." + strconv.Itoa(i))
	}
	// Ten new addresses, one failure each: they land in the shared record,
	// which is then throttled, while the first four are not.
	for i := range maxFailures {
		f.reserve("10.1.0." + strconv.Itoa(i))
	}
	if _, shared := f.m[overflowClient]; len(f.m) != 5 || !shared {
		t.Fatalf("map holds %v; want the 4 first clients and the shared record", f.m)
	}
	if _, _, ok := f.reserve("10.9.9.9"); ok {
		t.Error("a new client while the map is full: not throttled by the shared record")
	}
	if _, _, ok := f.reserve("10.0.0.1"); !ok {
		t.Error("a client with one failure is throttled")
	}
	now = now.Add(failureWindow)
	f.reserve("10.2.0.1")
	if _, ok := f.m["10.2.0.1"]; !ok || len(f.m) != 1 {
		t.Errorf("after the window: map %v, want only 10.2.0.1", f.m)
	}
	if _, _, ok := f.reserve("10.9.9.9"); !ok {
		t.Error("the shared record still throttles after the window")
	}
}

// TestReserveConcurrent checks that attempts made at once get no more
// than maxFailures tries between them: the check and the count are one
// step.
func TestReserveConcurrent(t *testing.T) {
	f := newFailures(10, time.Now)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if _, _, ok := f.reserve("192.0.2.1"); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != maxFailures {
		t.Errorf("%d of 100 concurrent attempts allowed, want %d", n, maxFailures)
	}
}

// TestSucceededTakesBackOnlyItsAttempt checks that a correct request from
// an address does not wipe the failures others made from it (a NAT, a
// proxy): nine wrong guesses and a right one, ten times, allow no more
// than the limit of wrong guesses.
func TestSucceededTakesBackOnlyItsAttempt(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	f := newFailures(10, func() time.Time { now = now.Add(time.Millisecond); return now })
	wrong := 0
	for range 10 {
		for range 9 {
			if _, _, ok := f.reserve("192.0.2.1"); ok {
				wrong++
			}
		}
		if a, _, ok := f.reserve("192.0.2.1"); ok {
			f.succeeded(a)
		}
	}
	if wrong != maxFailures {
		t.Errorf("%d wrong guesses allowed within the window, want %d", wrong, maxFailures)
	}
	// In the shared overflow record too: a success there takes back its own.
	g := newFailures(1, time.Now)
	g.reserve("10.0.0.1")
	a, _, ok := g.reserve("10.0.0.2") // the table is full: the shared record
	if !ok || a.key != overflowClient {
		t.Fatalf("attempt %+v, want one in the shared record", a)
	}
	g.succeeded(a)
	if len(g.m[overflowClient]) != 0 {
		t.Errorf("the shared record keeps a successful attempt: %v", g.m[overflowClient])
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
	for _, tt := range []struct {
		remote, xff string
		trust       bool
		want        string
	}{
		{"192.0.2.7:51234", "", false, "192.0.2.7"},
		{"[2001:db8:1:2:aaaa::1]:443", "", false, "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff:ffff:ffff:ffff]:443", "", false, "2001:db8:1:2::/64"}, // the same network
		{"[::ffff:192.0.2.7]:80", "", false, "::ffff:192.0.2.7"},                   // IPv4 mapped: the address
		{"pipe", "", false, "pipe"},
		// Behind a proxy: its last X-Forwarded-For entry, only when trusted.
		{"10.0.0.1:80", "198.51.100.9", false, "10.0.0.1"},
		{"10.0.0.1:80", "198.51.100.9", true, "198.51.100.9"},
		{"10.0.0.1:80", "1.2.3.4, 198.51.100.9", true, "198.51.100.9"}, // the first is the client's to invent
		{"10.0.0.1:80", "2001:db8:5::7", true, "2001:db8:5::/64"},
		{"10.0.0.1:80", "garbage", true, "10.0.0.1"},
		{"10.0.0.1:80", "198.51.100.9:4711", true, "198.51.100.9"}, // IP:port, as some proxies write
		{"10.0.0.1:80", "[2001:db8:5::7]:443", true, "2001:db8:5::/64"},
		{"10.0.0.1:80", "[2001:db8:5::7]", true, "2001:db8:5::/64"},
		{"10.0.0.1:80", "", true, "10.0.0.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := clientOf(r, tt.trust); got != tt.want {
			t.Errorf("clientOf(%q, X-Forwarded-For %q, trust %v) = %q, want %q", tt.remote, tt.xff, tt.trust, got, tt.want)
		}
	}
}
