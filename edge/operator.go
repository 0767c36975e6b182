package edge

import (
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// BackendURLWarning says what is wrong with a backend URL that New
// accepts but that will not serve a deployment, or "" if nothing is: a
// loopback host works only while the edge runs on the backend's machine
// (wrangler dev; deployed, a Worker's loopback is Cloudflare's), and plain
// http to another host sends the handoffs, personal data, unencrypted.
// name is what the operator calls the setting, e.g. "BACKEND_URL". The
// warning leaves the URL out: it may hold a password.
func BackendURLWarning(raw, name string) string {
	if raw == "" {
		return name + " is empty: handoffs and agent replies are off (answered 503 no_backend)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "" // New refuses it, saying why
	}
	host := u.Hostname()
	loopback := host == "localhost" || strings.HasSuffix(host, ".localhost")
	if ip, err := netip.ParseAddr(host); err == nil {
		loopback = ip.IsLoopback() || ip.IsUnspecified()
	}
	switch {
	case loopback:
		return name + " is a loopback address (" + host + "), reachable only by an edge on the backend's own machine (wrangler dev); deployed, set the backend's public https:// URL"
	case u.Scheme == "http":
		return name + " is plain http:// to " + host + "; handoffs carry personal data, so use https://"
	}
	return ""
}

// MisconfigEvery is how often Misconfigured repeats why it refuses.
const MisconfigEvery = time.Minute

// Misconfigured is the handler of an edge that could not start: it
// answers every request 500 misconfigured. The reason goes to log only (it
// may quote a setting, which is not the public's): with the first 500 and
// then at most once every MisconfigEvery with the number refused since, so
// that a log viewer attached long after start-up (wrangler tail) shows it
// without a line for every request. now is the clock; nil means time.Now.
func Misconfigured(log *slog.Logger, reason string, now func() time.Time) http.Handler {
	if now == nil {
		now = time.Now
	}
	body := []byte(`{"error":{"code":"misconfigured","message":"the edge is misconfigured; its log says why (npx wrangler tail, or the wrangler dev console)"}}` + "\n")
	var (
		mu      sync.Mutex
		last    time.Time
		refused int // since the last log line
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		refused++
		if t := now(); last.IsZero() || t.Sub(last) >= MisconfigEvery {
			log.Error("edge misconfigured: answering 500", "err", reason, "refused", refused)
			last, refused = t, 0
		}
		mu.Unlock()
		writeRaw(w, http.StatusInternalServerError, body)
	})
}
