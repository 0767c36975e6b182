// Package loadgen sends signed handoffs to a backend's inbox the way the
// edge does: concurrently, each message with a fixed ID, retrying every
// message until the backend acknowledges it. The crash test and the load
// benchmark use it.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lotse-chat/lotse/handoff"
)

// Config describes a run.
type Config struct {
	// URL is the backend's base URL, such as http://127.0.0.1:8081.
	URL string
	// Secret signs the handoffs.
	Secret string
	// Messages is how many messages to send, one handoff each.
	Messages int
	// Conversations spreads the messages over this many conversations.
	Conversations int
	// Workers is how many requests are in flight at once.
	Workers int
	// Prefix makes conversation IDs unique to the run.
	Prefix string
	// Timeout bounds one request; 0 means 10 s.
	Timeout time.Duration
}

// Result is what a run achieved.
type Result struct {
	// Acked holds "conversation/message" for every acknowledged message.
	Acked []string
	// Requests counts attempts; Failed those not acknowledged (refused
	// connections, 5xx, timeouts), which were retried.
	Requests, Failed int
	Elapsed          time.Duration
	// Latencies of the acknowledged requests, sorted.
	Latencies []time.Duration
}

// Rate is acknowledged handoffs per second.
func (r Result) Rate() float64 { return float64(len(r.Acked)) / r.Elapsed.Seconds() }

// Percentile returns the p-th percentile (0..100) of Latencies.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies)-1) * p / 100)
	return r.Latencies[i]
}

// ConversationID returns the conversation message i goes to.
func (c Config) ConversationID(i int) string {
	return c.Prefix + "-c" + strconv.Itoa(i%c.Conversations)
}

// MessageID returns message i's ID.
func (c Config) MessageID(i int) string { return "m" + strconv.Itoa(i) }

// Run sends the messages and returns when all are acknowledged or ctx
// ends. progress, if not nil, is called with the count of acknowledged
// messages after each acknowledgement.
func Run(ctx context.Context, cfg Config, progress func(acked int)) (Result, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Conversations <= 0 || cfg.Workers <= 0 || cfg.Messages <= 0 {
		return Result{}, fmt.Errorf("loadgen: messages, conversations and workers must be positive")
	}
	key := handoff.SecretKey(cfg.Secret)
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.Workers, MaxConnsPerHost: cfg.Workers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: cfg.Timeout}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range cfg.Messages {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var (
		mu       sync.Mutex
		res      Result
		acked    atomic.Int64
		requests atomic.Int64
		failed   atomic.Int64
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lats []time.Duration
			var ids []string
			defer func() {
				mu.Lock()
				res.Latencies = append(res.Latencies, lats...)
				res.Acked = append(res.Acked, ids...)
				mu.Unlock()
			}()
			for i := range next {
				backoff := 10 * time.Millisecond
				for {
					requests.Add(1)
					t := time.Now()
					err := send(ctx, client, cfg, key, i)
					if err == nil {
						lats = append(lats, time.Since(t))
						ids = append(ids, cfg.ConversationID(i)+"/"+cfg.MessageID(i))
						n := acked.Add(1)
						if progress != nil {
							progress(int(n))
						}
						break
					}
					failed.Add(1)
					select {
					case <-ctx.Done():
						return
					case <-time.After(backoff):
					}
					backoff = min(2*backoff, 500*time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Requests, res.Failed = int(requests.Load()), int(failed.Load())
	slices.Sort(res.Latencies)
	return res, ctx.Err()
}

// send posts message i as one signed handoff and reports whether the
// backend acknowledged it.
func send(ctx context.Context, client *http.Client, cfg Config, key []byte, i int) error {
	h := handoff.Handoff{
		ConversationID: cfg.ConversationID(i), Bot: "loadgen", Reason: "out_of_scope", Lang: "en",
		Messages: []handoff.Message{{ID: cfg.MessageID(i), Role: handoff.RoleVisitor,
			Text: "load test message " + strconv.Itoa(i), TS: time.Now().UnixMilli()}},
	}
	body, _ := json.Marshal(h)
	req, err := http.NewRequestWithContext(ctx, "POST", cfg.URL+"/v1/inbox", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	now := time.Now()
	for k, v := range handoff.Headers(key, "msg_"+strconv.Itoa(i)+"_"+strconv.FormatInt(now.UnixNano(), 36), now, body) {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", res.StatusCode, data)
	}
	var ack handoff.Ack
	if err := json.Unmarshal(data, &ack); err != nil || ack.ConversationID != h.ConversationID {
		return fmt.Errorf("bad ack %q", data)
	}
	return nil
}
