package handoff

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SignRequest signs r, a request without a body, as the edge sends it to
// the backend: it sets webhook-id to a fresh random ID, webhook-timestamp
// to now and webhook-signature to the Standard Webhooks signature (see
// Sign) of "METHOD target", method and target as in an HTTP request line:
// "GET /v1/conversations/c1/events?after=3". That string starts with a
// method, never with "{" as a JSON handoff does, so the signature of one
// is never valid for the other.
//
// target is r's path and query relative to base, the path of the
// receiver's base URL ("" if it has none; "/backend" for
// "http://host/backend"). Signing the receiver's own route rather than
// the whole path lets a reverse proxy or mux (http.StripPrefix) remove
// the prefix before the receiver sees the request, as it may for a
// handoff, whose signature covers only the body. SignRequest fails if r's
// path does not lie under base.
//
// The signature covers method, path and query, not other headers: what a
// request asks for is in its target.
func SignRequest(key []byte, r *http.Request, base string, now time.Time) error {
	target, ok := strings.CutPrefix(r.URL.RequestURI(), strings.TrimRight(base, "/"))
	if !ok || !strings.HasPrefix(target, "/") {
		// The path is not quoted: it may hold a conversation ID, which
		// logs must not show.
		return fmt.Errorf("handoff: cannot sign the request: its path does not lie under the base path %q", base)
	}
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	for k, v := range Headers(key, "req_"+hex.EncodeToString(b[:]), now, requestCanon(r.Method, target)) {
		r.Header.Set(k, v)
	}
	return nil
}

// VerifyRequest checks the signature headers SignRequest set on a
// received request r against key at time now, with the Tolerance of
// Verify and its errors (ErrMissingHeaders, ErrBadTimestamp, ErrStale,
// ErrBadSignature). The signature must cover r's path and query as the
// handler sees them: behind http.StripPrefix, without the prefix, as
// SignRequest's base left them out.
//
// A signed request may be replayed within the Tolerance by whoever can
// read it on its way; between edge and backend that is nobody when the
// backend is reached over HTTPS.
func VerifyRequest(key []byte, r *http.Request, now time.Time) error {
	return VerifyRequestAny([][]byte{key}, r, now)
}

// VerifyRequestAny is VerifyRequest for a receiver that accepts several
// keys (see VerifyAny): during a rotation of the secret, a request signed
// with any of them is valid.
func VerifyRequestAny(keys [][]byte, r *http.Request, now time.Time) error {
	h := r.Header
	return VerifyAny(keys, h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature),
		requestCanon(r.Method, r.URL.RequestURI()), now)
}

// requestCanon returns what a request's signature covers: the method, a
// space and the target (escaped path and raw query), as in an HTTP
// request line.
func requestCanon(method, target string) []byte {
	return []byte(method + " " + target)
}
