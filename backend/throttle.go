package backend

import (
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Sign-in throttling: after maxFailures failed sign-ins within
// failureWindow a client is refused (429) until the oldest of them leaves
// the window. At ten guesses a minute the agent token (at least 8
// characters) cannot be guessed online.
const (
	maxFailures   = 10
	failureWindow = time.Minute
	// maxFailureClients bounds the memory: 10,000 clients of about 300
	// bytes each.
	maxFailureClients = 10_000
)

// overflowClient is the one entry that all clients share once the map is
// full of clients that failed recently: a flood of addresses then
// throttles itself as one client, and cannot push an attacker's record out.
const overflowClient = "overflow"

// failures records recent failed sign-ins per client, in memory.
type failures struct {
	mu  sync.Mutex
	m   map[string][]time.Time // client -> failure times, oldest first, at most maxFailures
	max int                    // bound on len(m), which overflowClient may exceed by one
	now func() time.Time
}

func newFailures(maxClients int, now func() time.Time) *failures {
	return &failures{m: map[string][]time.Time{}, max: maxClients, now: now}
}

// recent drops client's failures older than the window and returns the
// rest. The caller holds f.mu.
func (f *failures) recent(client string, now time.Time) []time.Time {
	ts := f.m[client]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= failureWindow {
		i++
	}
	if i == len(ts) {
		delete(f.m, client)
		return nil
	}
	ts = ts[i:]
	f.m[client] = ts
	return ts
}

// key is the map key of client: the client itself, or overflowClient if
// the map is full even after dropping clients with no recent failure.
// The caller holds f.mu.
func (f *failures) key(client string, now time.Time) string {
	if _, ok := f.m[client]; ok || len(f.m) < f.max {
		return client
	}
	for c := range f.m {
		f.recent(c, now)
	}
	if len(f.m) < f.max {
		return client
	}
	return overflowClient
}

// attempt is a reserved sign-in attempt: the record it was counted in and
// when, so that a success takes back this one and nothing else.
type attempt struct {
	key string
	at  time.Time
}

// reserve counts an attempt of client as failed before it is checked, and
// reports whether client may make it (else how long to wait). Counting
// first, in one step under the lock, is what bounds guessing: a check
// before and a count after let every request held open in between guess.
func (f *failures) reserve(client string) (attempt, time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	key := f.key(client, now)
	ts := f.recent(key, now)
	if len(ts) >= maxFailures {
		return attempt{}, ts[0].Add(failureWindow).Sub(now), false
	}
	f.m[key] = append(ts, now)
	return attempt{key, now}, 0, true
}

// succeeded takes back a reserved attempt that turned out right. Only that
// one: others sharing the address (a NAT, a proxy, the shared overflow
// record) keep their failures, or a correct request now and then would
// reset an attacker's count.
func (f *failures) succeeded(a attempt) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ts := f.m[a.key]
	if i := slices.Index(ts, a.at); i >= 0 {
		ts = slices.Delete(ts, i, i+1)
	}
	if len(ts) == 0 {
		delete(f.m, a.key)
	} else {
		f.m[a.key] = ts
	}
}

// clientOf identifies the client of r by its IP address, without the
// port; an IPv6 client by its /64 network, since one host commonly holds
// all of it and could otherwise fill the table alone. Behind a reverse
// proxy every client has the proxy's address; with trustProxy the address
// is the last one of X-Forwarded-For, the one the proxy added (the ones
// before it are the client's to invent).
func clientOf(r *http.Request, trustProxy bool) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			last := strings.TrimSpace(hops[len(hops)-1])
			if h, _, err := net.SplitHostPort(last); err == nil {
				last = h // "198.51.100.9:4711", "[2001:db8::1]:443"
			}
			if last = strings.Trim(last, "[]"); net.ParseIP(last) != nil {
				host = last
			}
		}
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() != nil {
		return host
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
