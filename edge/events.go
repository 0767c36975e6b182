package edge

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lotse-chat/lotse/handoff"
)

// handleEvents relays GET /v1/conversations/{id}/events to the backend:
// long-poll JSON, or Server-Sent Events when the client accepts
// text/event-stream, streamed through as they arrive. The request to the
// backend is signed with the webhook secret; the edge adds its own CORS
// policy, and the backend's is dropped.
func (h *Handler) handleEvents(w http.ResponseWriter, r *http.Request) {
	if h.cfg.BackendURL == "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
		writeError(w, http.StatusServiceUnavailable, "no_backend", "this edge has no backend configured; there are no agent replies")
		return
	}
	id := r.PathValue("id")
	if !handoff.ValidID(id) {
		writeError(w, http.StatusNotFound, "not_found", "no such conversation")
		return
	}
	q := url.Values{}
	for _, k := range []string{"after", "wait", "state"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	target := h.cfg.BackendURL + "/v1/conversations/" + url.PathEscape(id) + "/events"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, target, nil)
	if err == nil {
		err = h.signEvents(req)
	}
	if err != nil {
		h.log.Error("events request not built", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "cannot build the backend request")
		return
	}
	for _, k := range []string{"Accept", "Last-Event-ID"} {
		if v := r.Header.Get(k); v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		w.Header().Set("Retry-After", "2")
		writeError(w, http.StatusBadGateway, "backend_unavailable", "the backend cannot be reached; retry")
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		// The backend refused the edge's signature: secrets or clocks out
		// of step. The operator fixes that, not the visitor, so the
		// backend's advice goes to the log.
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		h.log.Error("the backend refused the events request", "status", resp.StatusCode, "err", strings.TrimSpace(backendMessage(data)))
		w.Header().Set("Retry-After", "30")
		writeError(w, http.StatusBadGateway, "backend_rejected", "the backend refused the edge's request for agent replies; retry later")
		return
	}
	hd := w.Header()
	for _, k := range []string{"Content-Type", "Cache-Control", "Retry-After"} {
		if v := resp.Header.Get(k); v != "" {
			hd.Set(k, v)
		}
	}
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(resp.StatusCode)
	relay(w, resp)
}

// signEvents signs req, a request for the backend's events, as the
// backend demands: each waiting request holds one of its few event
// readers, so it serves only the edge (see handoff.SignRequest). The
// signature covers the route below the backend URL's own path, so a proxy
// that strips that path (as lotse serve's mux does) does not break it.
func (h *Handler) signEvents(req *http.Request) error {
	base, err := url.Parse(h.cfg.BackendURL)
	if err != nil {
		// Not err: it quotes the URL, which may hold a password.
		return errors.New("edge: BackendURL is not a URL")
	}
	return handoff.SignRequest(h.key, req, base.EscapedPath(), h.cfg.Now())
}

// relay copies the backend's body, flushing after every read so that
// events reach the visitor when they happen.
func relay(w http.ResponseWriter, resp *http.Response) {
	buf := make([]byte, 4<<10)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		}
		if err != nil {
			return
		}
	}
}
