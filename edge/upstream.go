package edge

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/pii"
)

// Handoffs and the events relay treat a backend they cannot use alike:
// unreachable, timing out, failing (5xx), or answered for by something
// that is not the backend (a proxy's plain-text 404 or 502), the visitor
// gets 503 backend_unavailable with Retry-After, and the reason, which
// may name internal addresses, goes to the edge's log only. 503 rather
// than 502: the edge itself works, the service behind it is unavailable
// for now, and Retry-After says when to come back. 502 backend_rejected
// is kept for a backend that answered but refused the edge's request
// (signature, invalid handoff): retrying the same request soon does not
// help, the operator has to act.

// maxLogAnswer bounds what the log quotes of an upstream answer, in bytes:
// enough for the backend's longest advice whole.
const maxLogAnswer = 1000

// writeUnavailable answers 503 backend_unavailable with Retry-After; msg
// says what the visitor's client should do, never why (that is the log's).
func writeUnavailable(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
	writeError(w, http.StatusServiceUnavailable, "backend_unavailable", msg)
}

// backendError returns the backend's JSON error in data, if data is one.
func backendError(data []byte) (handoff.Error, bool) {
	var e handoff.ErrorBody
	if json.Unmarshal(data, &e) != nil || e.Error.Code == "" {
		return handoff.Error{}, false
	}
	return e.Error, true
}

// upstreamAnswer is what the log quotes of a refused request's answer:
// the backend's error code and message (the backend never quotes message
// text), or the start of any other body, e.g. a proxy's plain-text error,
// redacted since nobody vouches for what it quotes. At most maxLogAnswer
// bytes, cut between characters.
func upstreamAnswer(data []byte) string {
	if e, ok := backendError(data); ok {
		return clip(e.Code+": "+e.Message, maxLogAnswer)
	}
	text := strings.TrimSpace(strings.ToValidUTF8(string(clipBytes(data, 4*maxLogAnswer)), "\uFFFD"))
	if text == "" {
		return "(empty body)"
	}
	text = pii.Redact(text, pii.Detect(text))
	return clip(text, maxLogAnswer)
}

// clip shortens s to at most n bytes, cutting before a character, not in
// one, and marks the cut with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func clipBytes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[:n]
}

// transportError is err from Client.Do without the request URL that
// *url.Error quotes: an events URL holds the conversation ID, the
// visitor's capability to read it, which the log must not show.
func transportError(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}

// pathAdvice is the operator's next step after a 404 for a route the
// backend has: BACKEND_URL points elsewhere or lacks a proxy's prefix.
const pathAdvice = "check BACKEND_URL (path prefix?): the backend serves /v1/inbox and /v1/conversations/{id}/events right below it"
