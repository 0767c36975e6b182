package edge

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

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
		h.log.Warn("events relay: backend unreachable", "conversation", handoff.LogID(id), "err", transportError(err))
		writeUnavailable(w, "agent replies cannot be fetched now; retry")
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		h.refuseEvents(w, id, resp)
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

// clientErrors are the backend's events errors meant for the visitor's
// client, with their status: the edge passes them on.
var clientErrors = map[string]int{
	"conversation_not_found": http.StatusNotFound,
	"invalid_parameter":      http.StatusBadRequest,
	"too_many_readers":       http.StatusTooManyRequests, // with Retry-After
}

// refuseEvents answers an events request the backend did not serve (resp
// is not 2xx). Every answer is the edge's JSON error: the backend's own
// errors for clients pass, with Retry-After; anything else is logged
// (status and answer) and the visitor only learns to retry.
func (h *Handler) refuseEvents(w http.ResponseWriter, id string, resp *http.Response) {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if e, ok := backendError(data); ok && clientErrors[e.Code] == resp.StatusCode {
		if v := resp.Header.Get("Retry-After"); v != "" {
			w.Header().Set("Retry-After", v)
		}
		writeError(w, resp.StatusCode, e.Code, e.Message)
		return
	}
	attrs := []any{"conversation", handoff.LogID(id), "status", resp.StatusCode, "answer", upstreamAnswer(data)}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		// Secrets or clocks out of step: the operator fixes that, not the
		// visitor, and not soon.
		h.log.Error("events relay: the backend refused the edge's signature", append(attrs,
			"advice", "the edge's WEBHOOK_SECRET must equal the backend's LOTSE_WEBHOOK_SECRET, both clocks must be right, and a proxy must not change the path or query below BACKEND_URL")...)
		w.Header().Set("Retry-After", "30")
		writeError(w, http.StatusBadGateway, "backend_rejected", "agent replies cannot be fetched; retry later")
		return
	case resp.StatusCode == http.StatusNotFound:
		h.log.Error("events relay: the backend answered 404", append(attrs, "advice", pathAdvice)...)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		h.log.Warn("events relay: the backend failed", attrs...)
	default:
		h.log.Error("events relay: unexpected answer from the backend", attrs...)
	}
	writeUnavailable(w, "agent replies cannot be fetched now; retry")
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
