package edge

import (
	"crypto/sha256"
	"sync"
)

// replayCache remembers the results of recent requests by idempotency key,
// so a retried request gets the same answer without running twice. It is
// per isolate and bounded: the backend's store is what dedupes durably.
//
// It holds no pointers the garbage collector must follow: keys are SHA-256
// digests in a map of plain values, and the response bodies share one
// byte ring. A cache of linked entries with a string and a []byte each made
// every collection in the Worker scan its 4,096 entries: about 30 ms of CPU
// once the cache was full, in a request of its own (node edge/e2e/cpu.mjs
// 6000), three times the free plan's limit.
type replayCache struct {
	mu    sync.Mutex
	index map[[sha256.Size]byte]cached
	keys  [][sha256.Size]byte // the cached keys in insertion order, a ring
	next  int                 // the ring slot the next new key takes
	full  bool                // every ring slot holds a key
	ring  []byte              // bodies, written one after another, wrapping
	wrote uint64              // bytes ever written to ring
}

// cached is an entry: where its body is in the ring, in wrote's terms.
type cached struct {
	digest [sha256.Size]byte
	status int32
	n      uint32
	at     uint64
}

// result is a finished request: a digest of its body (to catch a reused ID
// with different content) and the response sent.
type result struct {
	key    string
	digest [sha256.Size]byte
	status int
	body   []byte
}

// bodyBytes is the ring's size per entry: a chat reply is 300-700 bytes,
// a handoff acknowledgement less. When bodies run longer, the oldest ones
// are overwritten before their keys leave, and a retry of those runs again.
const bodyBytes = 1024

func newReplayCache(max int) *replayCache {
	return &replayCache{index: make(map[[sha256.Size]byte]cached, max),
		keys: make([][sha256.Size]byte, max), ring: make([]byte, max*bodyBytes)}
}

func (c *replayCache) get(key string) (*result, bool) {
	k := sha256.Sum256([]byte(key))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.index[k]
	if !ok || c.wrote-e.at > uint64(len(c.ring)) { // absent, or overwritten
		return nil, false
	}
	body := make([]byte, e.n)
	for b, at := body, e.at; len(b) > 0; { // in up to two pieces: the ring wraps
		m := copy(b, c.ring[at%uint64(len(c.ring)):])
		b, at = b[m:], at+uint64(m)
	}
	return &result{key: key, digest: e.digest, status: int(e.status), body: body}, true
}

func (c *replayCache) put(r *result) {
	if len(r.body) > len(c.ring) {
		return // cannot be kept: a retry runs again
	}
	k := sha256.Sum256([]byte(r.key))
	c.mu.Lock()
	defer c.mu.Unlock()
	e := cached{digest: r.digest, status: int32(r.status), n: uint32(len(r.body)), at: c.wrote}
	for b := r.body; len(b) > 0; {
		m := copy(c.ring[c.wrote%uint64(len(c.ring)):], b)
		b, c.wrote = b[m:], c.wrote+uint64(m)
	}
	if _, ok := c.index[k]; !ok {
		if c.full {
			delete(c.index, c.keys[c.next])
		}
		c.keys[c.next] = k
		c.next = (c.next + 1) % len(c.keys)
		c.full = c.full || c.next == 0
	}
	c.index[k] = e
}
