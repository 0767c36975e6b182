package edge

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/internal/jsonerr"
)

// cors sets the CORS headers for allowed origins and answers preflights.
// It reports whether the request should go on to its route.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	w.Header().Add("Vary", "Origin")
	allowed := origin != "" && (h.anyOrig || h.origins[origin])
	if allowed {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", origin)
		hd.Set("Access-Control-Expose-Headers", "Retry-After")
	}
	// A preflight from a foreign origin is refused, and so is a write: a
	// browser sends Origin on every cross-origin POST, and a "simple" one
	// (text/plain, a form) runs without a preflight, so any website could
	// make its visitors' browsers chat and hand off in their name.
	foreignWrite := !preflight && origin != "" && !safeMethod(r.Method) && !sameOrigin(r, origin)
	if !allowed && (preflight || foreignWrite) {
		writeError(w, http.StatusForbidden, "origin_not_allowed",
			fmt.Sprintf("origin %q may not call this edge; add it to the allowed origins", origin))
		return false
	}
	if !preflight {
		if r.Method == http.MethodOptions {
			w.Header().Set("Allow", "GET, HEAD, POST, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return false
		}
		// A browser enforces CORS on the response; the request itself
		// still runs, as for any non-browser client.
		return true
	}
	hd := w.Header()
	hd.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
	hd.Set("Access-Control-Allow-Headers", "Content-Type, Last-Event-ID, Accept")
	hd.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
	return false
}

// safeMethod reports whether a method only reads, so a cross-origin
// request with it changes nothing and CORS on the response is enough.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether origin is the edge's own, the scheme and
// host the request was sent to: the demo page and widget of lotse serve
// come from the edge itself. The scheme is the connection's, the absolute
// request URL's (the Worker's), or a TLS-terminating proxy's
// X-Forwarded-Proto, a header a web page cannot set without a preflight.
func sameOrigin(r *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || r.Host == "" {
		return false
	}
	scheme := "http"
	switch {
	case r.TLS != nil:
		scheme = "https"
	case r.URL.Scheme != "":
		scheme = r.URL.Scheme
	case r.Header.Get("X-Forwarded-Proto") != "":
		scheme, _, _ = strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	}
	return strings.EqualFold(u.Scheme, strings.TrimSpace(scheme)) && strings.EqualFold(u.Host, r.Host)
}

// PeerKey is the default Config.ClientKey: the TCP peer's address, an
// IPv6 peer by its /64 network (one host commonly holds all of it). No
// header counts: natively any client could set one to get a fresh bucket.
func PeerKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return ipKey(host)
}

// CloudflareKey is the Config.ClientKey of the Worker: the client address
// Cloudflare puts in CF-Connecting-IP (which clients cannot set there),
// an IPv6 client by its /64 network; PeerKey without the header.
func CloudflareKey(r *http.Request) string {
	if ip := r.Header.Get("CF-Connecting-IP"); ip != "" {
		return ipKey(ip)
	}
	return PeerKey(r)
}

// ipKey is host itself, or its /64 network if it is an IPv6 address.
func ipKey(host string) string {
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() != nil {
		return host
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// limited applies the per-client rate limit.
func (h *Handler) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		wait := h.limiter.take(h.cfg.ClientKey(r), h.cfg.Now())
		if wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeError(w, http.StatusTooManyRequests, "rate_limited",
				"too many requests from this client; retry after the Retry-After seconds")
			return
		}
		next(w, r)
	}
}

// limiter holds one token bucket per client. It forgets full buckets when
// it holds more than max, so memory stays bounded in a long-lived isolate.
// Buckets are plain values keyed by a hash of the client key: a map the
// collector need not scan, however many clients the isolate has seen (see
// replayCache for what scanning costs in the Worker).
type limiter struct {
	mu      sync.Mutex
	rate    Rate
	max     int
	seed    maphash.Seed
	buckets map[uint64]bucket
	swept   int64 // Unix nanoseconds of the last sweep
}

type bucket struct {
	tokens float64
	last   int64 // Unix nanoseconds
}

func newLimiter(rate Rate, max int) *limiter {
	return &limiter{rate: rate, max: max, seed: maphash.MakeSeed(), buckets: map[uint64]bucket{}}
}

// take spends a token of key's bucket and returns 0, or returns how long
// until a token is available.
func (l *limiter) take(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	burst := float64(l.rate.Burst)
	perToken := l.rate.Per / time.Duration(l.rate.Burst)
	k := maphash.String(l.seed, key)
	b, ok := l.buckets[k]
	if !ok && len(l.buckets) >= l.max {
		// A sweep reads the whole table: at most once per token's time, or
		// a flood of new addresses would make every request pay for it.
		if now.UnixNano()-l.swept >= int64(perToken) {
			l.sweep(now)
			l.swept = now.UnixNano()
		}
		if len(l.buckets) >= l.max {
			// Full of clients still spending: the new ones share one
			// bucket. Forgetting everyone would reset the limit of the
			// client that filled the table.
			k = overflowBucket
			b, ok = l.buckets[k]
		}
	}
	if !ok {
		b = bucket{tokens: burst, last: now.UnixNano()}
	}
	elapsed := max(0, now.UnixNano()-b.last) // a clock set back refills nothing
	b.tokens = min(burst, b.tokens+float64(elapsed)/float64(perToken))
	b.last = now.UnixNano()
	wait := time.Duration(0)
	if b.tokens >= 1 {
		b.tokens--
	} else {
		wait = time.Duration((1 - b.tokens) * float64(perToken))
	}
	l.buckets[k] = b
	return wait
}

// overflowBucket is the key of the bucket that new clients share while the
// table is full (maphash never gives 0 in practice, and a collision only
// shares a bucket).
const overflowBucket = 0

// sweep drops buckets that have refilled completely: forgetting them
// changes nothing.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if k != overflowBucket && now.UnixNano()-b.last >= int64(l.rate.Per) {
			delete(l.buckets, k)
		}
	}
}

// errBody is a request body problem with its HTTP status and code.
type errBody struct {
	status  int
	code    string
	message string
}

func (e *errBody) Error() string { return e.message }

// decodeBody reads at most limit bytes of JSON into v, refusing larger
// bodies, invalid UTF-8 and malformed JSON with errors that name the
// problem.
func decodeBody(w http.ResponseWriter, r *http.Request, v any, limit int64) *errBody {
	if e := checkContentType(r.Header.Get("Content-Type")); e != nil {
		return e
	}
	if r.ContentLength > limit {
		return &errBody{http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("body is %d bytes; the limit is %d", r.ContentLength, limit)}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return &errBody{http.StatusRequestEntityTooLarge, "body_too_large",
				fmt.Sprintf("body is larger than the limit of %d bytes", limit)}
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// The client stopped sending (a Content-Length longer than the
			// body, a stalled connection): 408 tells the widget to retry.
			return &errBody{http.StatusRequestTimeout, "body_timeout",
				"the request body did not arrive in time; send it again"}
		}
		return &errBody{http.StatusBadRequest, "unreadable_body", "cannot read the request body: " + err.Error()}
	}
	if !utf8.Valid(body) {
		return &errBody{http.StatusBadRequest, "invalid_utf8",
			fmt.Sprintf("body is not valid UTF-8 (first bad byte at offset %d)", badUTF8(body))}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &errBody{http.StatusBadRequest, "malformed_json", "body is not the expected JSON object: " + jsonerr.Describe(err, v)}
	}
	return nil
}

// checkContentType refuses bodies declared as something other than JSON.
// text/plain is accepted as JSON too: it is what a page sends to avoid a
// CORS preflight (navigator.sendBeacon with a string, fetch without
// headers). No Content-Type at all is accepted. curl -d sends a form type
// and gets the 415, whose message says to send application/json.
func checkContentType(ct string) *errBody {
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct) // lower case, parameters apart
	if err == nil && (mt == "application/json" || mt == "text/plain" ||
		strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return nil
	}
	return &errBody{http.StatusUnsupportedMediaType, "unsupported_media_type",
		fmt.Sprintf("Content-Type %q is not JSON; send application/json", ct)}
}

func badUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// writeJSON writes v as the JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"cannot encode the response"}}`)
	}
	writeRaw(w, status, append(b, '\n'))
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// Error is the error of every failed request, in a handoff.ErrorBody as
// the backend answers too.
type Error = handoff.Error

func writeError(w http.ResponseWriter, status int, code, message string) {
	note(w, errAttr(code))
	writeJSON(w, status, handoff.ErrorBody{Error: Error{Code: code, Message: message}})
}

func errAttr(code string) slog.Attr { return slog.String("error", code) }
