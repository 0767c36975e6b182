package handoff

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// signedTarget is what the edge asks for in these tests, under the base
// path /backend as lotse serve mounts the backend.
const signedTarget = "/v1/conversations/c1/events?after=3&wait=0"

// signed returns the headers SignRequest sets on a GET of
// http://backend.example/backend+signedTarget at now.
func signed(t *testing.T, key []byte, now time.Time) http.Header {
	t.Helper()
	r, err := http.NewRequest("GET", "http://backend.example/backend"+signedTarget, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := SignRequest(key, r, "/backend", now); err != nil {
		t.Fatal(err)
	}
	return r.Header
}

func TestVerifyRequest(t *testing.T) {
	key := SecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	now := time.Unix(1_800_000_000, 0)
	good := signed(t, key, now)
	tests := []struct {
		name           string
		method, target string
		header         func(h http.Header) // changes the signed headers
		key            string
		at             time.Time
		want           error
	}{
		{"valid", "GET", signedTarget, nil, "", now, nil},
		{"valid at the tolerance", "GET", signedTarget, nil, "", now.Add(Tolerance), nil},
		{"tampered path", "GET", "/v1/conversations/c2/events?after=3&wait=0", nil, "", now, ErrBadSignature},
		{"path with the base", "GET", "/backend" + signedTarget, nil, "", now, ErrBadSignature},
		{"tampered query", "GET", "/v1/conversations/c1/events?after=0&wait=0", nil, "", now, ErrBadSignature},
		{"query added", "GET", signedTarget + "&state=bot", nil, "", now, ErrBadSignature},
		{"query dropped", "GET", "/v1/conversations/c1/events", nil, "", now, ErrBadSignature},
		{"other method", "POST", signedTarget, nil, "", now, ErrBadSignature},
		{"wrong key", "GET", signedTarget, nil, "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==", now, ErrBadSignature},
		{"old timestamp", "GET", signedTarget, nil, "", now.Add(Tolerance + time.Second), ErrStale},
		{"from the future", "GET", signedTarget, nil, "", now.Add(-Tolerance - time.Second), ErrStale},
		{"timestamp changed", "GET", signedTarget, func(h http.Header) { h.Set(HeaderTimestamp, "1800000001") }, "", now, ErrBadSignature},
		{"id changed", "GET", signedTarget, func(h http.Header) { h.Set(HeaderID, "req_other") }, "", now, ErrBadSignature},
		{"no headers", "GET", signedTarget, func(h http.Header) { clear(h) }, "", now, ErrMissingHeaders},
		{"no id", "GET", signedTarget, func(h http.Header) { h.Del(HeaderID) }, "", now, ErrMissingHeaders},
		{"no timestamp", "GET", signedTarget, func(h http.Header) { h.Del(HeaderTimestamp) }, "", now, ErrMissingHeaders},
		{"no signature", "GET", signedTarget, func(h http.Header) { h.Del(HeaderSignature) }, "", now, ErrMissingHeaders},
		{"a handoff's signature", "GET", signedTarget, func(h http.Header) {
			h.Set(HeaderSignature, Sign(key, h.Get(HeaderID), now, []byte(`{"conversation_id":"c1"}`)))
		}, "", now, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			r.Header = good.Clone()
			if tt.header != nil {
				tt.header(r.Header)
			}
			k := key
			if tt.key != "" {
				k = SecretKey(tt.key)
			}
			if err := VerifyRequest(k, r, tt.at); !errors.Is(err, tt.want) {
				t.Fatalf("VerifyRequest(%s %s) = %v, want %v", tt.method, tt.target, err, tt.want)
			}
		})
	}
}

func TestSignRequestBase(t *testing.T) {
	key := SecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	now := time.Unix(1_800_000_000, 0)
	tests := []struct {
		url, base string
		ok        bool
	}{
		{"http://b.example/v1/x?a=1", "", true},
		{"http://b.example/v1/x?a=1", "/", true},
		{"http://b.example/backend/v1/x?a=1", "/backend", true},
		{"http://b.example/backend/v1/x?a=1", "/backend/", true},
		{"http://b.example/v1/x?a=1", "/backend", false},
		{"http://b.example/backendx/v1/x", "/backend", false},
		{"http://b.example/backend", "/backend", false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("GET", tt.url, nil)
		err := SignRequest(key, r, tt.base, now)
		if (err == nil) != tt.ok {
			t.Errorf("SignRequest(%s, base %q) = %v, want ok %v", tt.url, tt.base, err, tt.ok)
			continue
		}
		if err != nil {
			if r.Header.Get(HeaderSignature) != "" || !strings.Contains(err.Error(), tt.base) {
				t.Errorf("SignRequest(%s, base %q) = %v and signed %v; want an error naming the base and no headers", tt.url, tt.base, err, r.Header)
			}
			continue
		}
		// The receiver sees the path without the base.
		recv := httptest.NewRequest("GET", "/v1/x?a=1", nil)
		recv.Header = r.Header
		if err := VerifyRequest(key, recv, now); err != nil {
			t.Errorf("SignRequest(%s, base %q): VerifyRequest = %v", tt.url, tt.base, err)
		}
	}
}

// TestSignRequestFreshID: each request gets its own webhook-id, so that
// two identical requests in one second are two messages, as Standard
// Webhooks asks.
func TestSignRequestFreshID(t *testing.T) {
	key := SecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	now := time.Unix(1_800_000_000, 0)
	a, b := signed(t, key, now), signed(t, key, now)
	if a.Get(HeaderID) == b.Get(HeaderID) || a.Get(HeaderSignature) == b.Get(HeaderSignature) ||
		!strings.HasPrefix(a.Get(HeaderID), "req_") || a.Get(HeaderTimestamp) != "1800000000" {
		t.Errorf("two signings: %v and %v; want distinct req_ ids at timestamp 1800000000", a, b)
	}
}

// The edge signs its request for the backend's base URL; the backend,
// here mounted under /backend by http.StripPrefix, verifies it.
func ExampleSignRequest() {
	key := SecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	backend := http.StripPrefix("/backend", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := VerifyRequest(key, r, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
		}
	}))
	srv := httptest.NewServer(backend)
	defer srv.Close()

	for _, sign := range []bool{true, false} {
		req, _ := http.NewRequest("GET", srv.URL+"/backend/v1/conversations/c1/events?after=3", nil)
		if sign {
			if err := SignRequest(key, req, "/backend", time.Now()); err != nil {
				fmt.Println(err)
				return
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println("signed:", sign, "status:", resp.StatusCode)
	}
	// Output:
	// signed: true status: 200
	// signed: false status: 401
}

// TestVerifyRequestAny checks that during a rotation a request signed with
// either secret passes and one signed with neither does not.
func TestVerifyRequestAny(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	keys := SecretKeys("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_" + strings.Repeat("B", 44))
	tests := []struct {
		name   string
		signer []byte
		want   error
	}{
		{"first", keys[0], nil},
		{"second", keys[1], nil},
		{"neither", SecretKey("whsec_" + strings.Repeat("C", 44)), ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", signedTarget, nil)
			r.Header = signed(t, tt.signer, now)
			if err := VerifyRequestAny(keys, r, now); !errors.Is(err, tt.want) {
				t.Fatalf("VerifyRequestAny = %v, want %v", err, tt.want)
			}
		})
	}
}
