package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/lotse-chat/lotse/handoff"
)

// The Host guard of lotse serve, against DNS rebinding. A page on
// http://evil.example:8080 whose name the attacker then points at
// 127.0.0.1 is, to the browser, still evil.example: its requests reach
// lotse serve with Host evil.example:8080 and an Origin to match, so every
// check that compares the two (the edge's same-origin rule) would let them
// through. The name in Host is the one thing the attacker cannot make
// ours, so lotse serve answers only names it knows.
//
// Names under localhost (shop.localhost) are allowed too: RFC 6761
// reserves them for loopback.
//
// Any IP address is allowed as well: a browser sends an address as Host
// only when the page's own URL is that address, which involves no DNS and
// so no rebinding. That is also how an operator who binds --addr to
// 0.0.0.0 reaches the server from another machine without any flag; only
// names (chat.example.lan) must be listed in --allowed-hosts.

// loopbackNames are the names allowed always, besides IP addresses.
var loopbackNames = []string{"localhost"}

// parseAllowedHosts reads --allowed-hosts, a comma-separated list of host
// names (a port, if given, is ignored), and adds the host of addr, the
// listen address, when it is a name. It returns the names normalized as
// hostKey does.
func parseAllowedHosts(list, addr string) ([]string, error) {
	var hosts []string
	for entry := range strings.SplitSeq(list, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if strings.Contains(entry, "://") || strings.Contains(entry, "/") {
			return nil, fmt.Errorf("--allowed-hosts: %q is not a host name; give the name only, as in --allowed-hosts chat.example.lan (web origins go in --allowed-origins)", entry)
		}
		h := hostKey(entry)
		if !validHostName(h) {
			return nil, fmt.Errorf("--allowed-hosts: %q is not a host name; names are letters, digits, '-', '_' and '.' (there are no wildcards: list each name)", entry)
		}
		hosts = append(hosts, h)
	}
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" {
		hosts = append(hosts, hostKey(h)) // an IP address here is allowed anyway
	}
	return hosts, nil
}

// validHostName reports whether h is a DNS name or an IP address.
func validHostName(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// hostKey returns the host name of a Host header value or an
// --allowed-hosts entry, the form they are compared in: without port or
// brackets, lower case, without the trailing dot of a fully qualified name.
func hostKey(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// hostGuard passes on requests for allowed hosts and refuses the others
// with 403 and a JSON error that names the host and the flag to allow it.
type hostGuard struct {
	names map[string]bool
	next  http.Handler
	log   *slog.Logger

	mu     sync.Mutex
	logged map[string]bool // hosts refused and logged already
}

// guardHosts returns next behind a hostGuard that allows IP addresses,
// localhost and names.
func guardHosts(next http.Handler, names []string, log *slog.Logger) *hostGuard {
	g := &hostGuard{names: map[string]bool{}, next: next, log: log, logged: map[string]bool{}}
	for _, n := range append(names, loopbackNames...) {
		g.names[hostKey(n)] = true
	}
	return g
}

// allowed reports whether a request with the Host header host may be
// answered.
func (g *hostGuard) allowed(host string) bool {
	if host == "" {
		// HTTP/1.0 without Host (HTTP/1.1 requires it, and net/http
		// refuses it missing): not a browser, so no rebinding.
		return true
	}
	h := hostKey(host)
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	// Names under localhost are loopback by RFC 6761, resolved by the
	// browser itself, and no one can own them in DNS: nothing to rebind.
	if sub, ok := strings.CutSuffix(h, ".localhost"); ok && sub != "" {
		return true
	}
	return g.names[h]
}

func (g *hostGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.allowed(r.Host) {
		g.next.ServeHTTP(w, r)
		return
	}
	h := hostKey(r.Host)
	if len(h) > 253 { // longer than any DNS name: not worth echoing in full
		h = h[:253] + "..."
	}
	g.logOnce(h)
	msg := fmt.Sprintf("lotse serve does not answer requests for the host %q: it answers only localhost and names under it, IP addresses "+
		"and the names in --allowed-hosts, so that a web page elsewhere cannot reach it by pointing a name of its own at this machine "+
		"(DNS rebinding). If you reach this server by that name, restart it with --allowed-hosts %s (or LOTSE_ALLOWED_HOSTS=%[2]s)", h, h)
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(handoff.ErrorBody{Error: handoff.Error{Code: "host_not_allowed", Message: msg}})
}

// logOnce logs the first refusal of each host, of the first 100: a page
// that keeps trying must not flood the log.
func (g *hostGuard) logOnce(host string) {
	g.mu.Lock()
	first := !g.logged[host] && len(g.logged) < 100
	if first {
		g.logged[host] = true
	}
	g.mu.Unlock()
	if first {
		g.log.Warn("refused a request for a host not in --allowed-hosts (logged once per host)", "host", host)
	}
}
