package edge

import (
	"container/list"
	"crypto/sha256"
	"sync"
)

// lru remembers the results of recent requests by idempotency key, so a
// retried request gets the same answer without running twice. It is per
// isolate and bounded: the backend's store is what dedupes durably.
type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used *result
	byKey map[string]*list.Element
}

// result is a finished request: a digest of its body (to catch a reused ID
// with different content) and the response sent.
type result struct {
	key    string
	digest [sha256.Size]byte
	status int
	body   []byte
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *lru) get(key string) (*result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*result), true
}

func (c *lru) put(r *result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[r.key]; ok {
		e.Value = r
		c.order.MoveToFront(e)
		return
	}
	c.byKey[r.key] = c.order.PushFront(r)
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*result).key)
	}
}
