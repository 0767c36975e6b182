package edge

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

func res(key, body string) *result {
	return &result{key: key, digest: sha256.Sum256([]byte(body)), status: 200, body: []byte(body)}
}

// TestReplayCache covers hits, misses, FIFO eviction of keys, bodies that
// wrap around the ring or were overwritten in it, and updates.
func TestReplayCache(t *testing.T) {
	c := newReplayCache(3) // 3 keys, 3*bodyBytes of bodies
	long := func(i int) string { return fmt.Sprintf("%04d", i) + string(bytes.Repeat([]byte{'x'}, bodyBytes-100)) }
	steps := []struct {
		name     string
		put      []*result
		key      string
		wantBody string // "" for a miss
	}{
		{"miss on an empty cache", nil, "a", ""},
		{"hit", []*result{res("a", "A")}, "a", "A"},
		{"other key", nil, "b", ""},
		{"update", []*result{res("a", "A2")}, "a", "A2"},
		{"three keys fit", []*result{res("b", "B"), res("c", "C")}, "a", "A2"},
		{"a fourth evicts the first", []*result{res("d", "D")}, "a", ""},
		{"the rest stay", nil, "d", "D"},
		{"evicted by three new keys", []*result{res("e", long(1)), res("f", long(2)), res("g", long(3))}, "d", ""},
		{"long body", nil, "g", long(3)},
		{"body across the ring's end", []*result{res("h", long(4))}, "h", long(4)},
		{"too long to keep", []*result{res("i", string(bytes.Repeat([]byte{'y'}, 4*bodyBytes)))}, "i", ""},
		// A long body overwrites g's while g's key is still indexed.
		{"overwritten body", []*result{res("j", string(bytes.Repeat([]byte{'z'}, 2500)))}, "g", ""},
		{"the overwriting body", nil, "j", string(bytes.Repeat([]byte{'z'}, 2500))},
	}
	for _, s := range steps {
		for _, r := range s.put {
			c.put(r)
		}
		got, ok := c.get(s.key)
		switch {
		case s.wantBody == "" && ok:
			t.Errorf("%s: get(%q) hit %q, want a miss", s.name, s.key, got.body)
		case s.wantBody != "" && !ok:
			t.Errorf("%s: get(%q) missed, want %.20q", s.name, s.key, s.wantBody)
		case ok && (string(got.body) != s.wantBody || got.digest != sha256.Sum256([]byte(s.wantBody)) || got.status != 200):
			t.Errorf("%s: get(%q) = %.20q (status %d), want %.20q", s.name, s.key, got.body, got.status, s.wantBody)
		}
	}
	if len(c.index) > 3 {
		t.Errorf("index holds %d keys, want at most 3", len(c.index))
	}
}

// TestLimiterSweep checks that a full limiter forgets refilled buckets,
// and that while none has refilled new clients share one bucket and the
// buckets it holds keep their state.
func TestLimiterSweep(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	l := newLimiter(Rate{Burst: 2, Per: 10 * time.Second}, 2) // a token each 5 s
	l.take("a", at(0))
	l.take("b", at(9))
	// At 15 s "a" has refilled and "b" has not: the sweep drops only "a".
	l.take("c", at(15))
	if len(l.buckets) != 2 {
		t.Fatalf("%d buckets after the sweep, want 2 (b and c)", len(l.buckets))
	}
	for i, want := range []bool{false, false, true} { // b: 1 token + 6 s of refill
		if wait := l.take("b", at(15)); (wait > 0) != want {
			t.Errorf("take %d of b at 15 s: wait %v, want a wait: %v", i, wait, want)
		}
	}
	if wait := l.take("b", at(0)); wait <= 0 {
		t.Errorf("a clock set back gave b a token")
	}
}

// TestLimiterFull checks that while the table is full of clients still
// spending, new clients share one bucket and the buckets held keep their
// state (forgetting them would reset the limit of whoever filled it).
func TestLimiterFull(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := newLimiter(Rate{Burst: 2, Per: 10 * time.Second}, 2)
	for range 2 {
		l.take("a", now)
		l.take("b", now)
	}
	for i, want := range []bool{false, false, true} { // c, d, c: one shared bucket of 2
		if wait := l.take([]string{"c", "d", "c"}[i], now); (wait > 0) != want {
			t.Errorf("take %d over the bound: wait %v, want a wait: %v", i, wait, want)
		}
	}
	if len(l.buckets) != 3 {
		t.Errorf("%d buckets, want a, b and the shared one", len(l.buckets))
	}
	if wait := l.take("a", now); wait <= 0 {
		t.Error("a's empty bucket was reset by the clients over the bound")
	}
}

func TestClientKeys(t *testing.T) {
	for _, tt := range []struct {
		remote, cf  string
		peer, cloud string
	}{
		{"192.0.2.1:4711", "", "192.0.2.1", "192.0.2.1"},
		{"192.0.2.1:4711", "198.51.100.7", "192.0.2.1", "198.51.100.7"}, // natively the header is anyone's to set
		{"[2001:db8:1:2::9]:443", "", "2001:db8:1:2::/64", "2001:db8:1:2::/64"},
		{"192.0.2.1:4711", "2001:db8:7:8:aaaa::1", "192.0.2.1", "2001:db8:7:8::/64"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.cf != "" {
			r.Header.Set("CF-Connecting-IP", tt.cf)
		}
		if got := PeerKey(r); got != tt.peer {
			t.Errorf("PeerKey(%s, CF %q) = %q, want %q", tt.remote, tt.cf, got, tt.peer)
		}
		if got := CloudflareKey(r); got != tt.cloud {
			t.Errorf("CloudflareKey(%s, CF %q) = %q, want %q", tt.remote, tt.cf, got, tt.cloud)
		}
	}
}
