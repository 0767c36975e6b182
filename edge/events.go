package edge

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lotse-chat/lotse/handoff"
)

// handleEvents relays GET /v1/conversations/{id}/events to the backend:
// long-poll JSON, or Server-Sent Events when the client accepts
// text/event-stream, streamed through as they arrive. The edge adds its own
// CORS policy; the backend's is dropped.
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
	if err != nil {
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
