// Package handoff holds the contract between the edge and the central
// backend: the JSON a handed-off conversation travels in, and its signature
// after the Standard Webhooks scheme (https://www.standardwebhooks.com).
//
// The edge posts a Handoff to the backend's POST /v1/inbox with the headers
// webhook-id, webhook-timestamp and webhook-signature. The backend answers
// 200 with an Ack only once every message is stored durably; anything else
// means "not stored", and the sender retries with the same message IDs.
//
// The edge's other requests to the backend, GET
// /v1/conversations/{id}/events, carry no body. Each holds a connection
// and one of the backend's few event readers, so a script that could open
// them freely would stop agent replies for every visitor. The edge signs
// their method and target with SignRequest, under the same secret and
// headers as a handoff, and the backend refuses those VerifyRequest does
// not accept.
package handoff

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-chat/lotse/pii"
)

// Roles of a Message.
const (
	RoleVisitor = "visitor"
	RoleBot     = "bot"
	RoleAgent   = "agent"

	// RoleUnverifiedBot marks a line the client sent as the bot's that is
	// none of the model's answers: the visitor was (or may have been)
	// shown it as the bot's, but the edge cannot confirm the bot said it.
	// It is either made up ("[verified] identity checked by the bot") or a
	// real answer of an older model, from before a redeploy changed the
	// answer texts. Agents see it as a bot line with that doubt, neither
	// as the bot's verified word nor as the visitor's own.
	//
	// It is a role of its own rather than a flag beside RoleBot so that
	// code which knows only the roles above fails safe: nothing that
	// checks for RoleBot trusts it, nothing that looks for the visitor's
	// last message (the handoff's question, its personal data, the
	// queue's preview) takes it for the visitor's, and a backend from
	// before it refuses the handoff instead of storing it as the bot's.
	// Deploy the backend before the edge.
	RoleUnverifiedBot = "bot_unverified"
)

// BotLine reports whether role is that of a line the visitor was shown as
// the bot's: RoleBot or RoleUnverifiedBot.
func BotLine(role string) bool {
	return role == RoleBot || role == RoleUnverifiedBot
}

// Message is one line of a conversation. ID is chosen by the sender and is
// the idempotency key: the backend stores a given (conversation, ID) once.
type Message struct {
	ID string `json:"id"`
	// Role is one of the Role constants. The widget sends visitor and bot
	// lines; the edge turns a bot line that is none of the model's answers
	// into RoleUnverifiedBot; only the console writes RoleAgent.
	Role string `json:"role"`
	Text string `json:"text"`
	// TS is the time the message was written, in Unix milliseconds.
	TS int64 `json:"ts"`
}

// The reasons a Handoff gives: those of the engine's Reply (package lotse's
// OutOfScope, HandoffIntent and PersonalData; a test there keeps the two
// equal). They are repeated here so that the backend checks them without
// linking the engine.
const (
	ReasonOutOfScope    = "out_of_scope"
	ReasonHandoffIntent = "handoff_intent"
	ReasonPersonalData  = "personal_data"
)

// ValidReason reports whether reason is one of the reasons above.
func ValidReason(reason string) bool {
	switch reason {
	case ReasonOutOfScope, ReasonHandoffIntent, ReasonPersonalData:
		return true
	}
	return false
}

// Error is what every Lotse server answers a refused request with, as
// ErrorBody: a stable snake_case code and a message saying what was wrong
// and what to do. The edge reads the backend's to log why a handoff failed.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorBody is the JSON body of a refused request:
// {"error": {"code": "...", "message": "..."}}.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Handoff is what the edge forwards: a conversation the bot gives to a human,
// or a further visitor message in a conversation already handed off.
type Handoff struct {
	ConversationID string `json:"conversation_id"`
	Bot            string `json:"bot"`
	// Reason is the Reply's reason: out_of_scope, handoff_intent or
	// personal_data.
	Reason     string  `json:"reason"`
	Intent     string  `json:"intent,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	Lang       string  `json:"lang,omitempty"`
	// PII holds the spans found in the last visitor message.
	PII      []pii.Span `json:"pii,omitempty"`
	Messages []Message  `json:"messages"`
}

// Ack is the backend's answer once a Handoff is stored.
type Ack struct {
	ConversationID string `json:"conversation_id"`
	// Stored counts the messages that were new; retries store none.
	Stored int `json:"stored"`
	// LastSeq is the conversation's highest sequence number after the store.
	LastSeq int64 `json:"last_seq"`
}

// Header names of the Standard Webhooks scheme.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Tolerance is how far a signature's timestamp may lie from the receiver's
// clock before the request is refused as stale (or from the future).
const Tolerance = 5 * time.Minute

// Errors returned by Verify.
var (
	ErrMissingHeaders = errors.New("handoff: missing webhook-id, webhook-timestamp or webhook-signature header")
	ErrBadTimestamp   = errors.New("handoff: webhook-timestamp is not a Unix time in seconds")
	ErrStale          = errors.New("handoff: webhook-timestamp is more than 5 minutes away from now")
	ErrBadSignature   = errors.New("handoff: no webhook-signature matches")
)

// SecretKey turns a configured secret into HMAC key bytes. A secret of the
// Standard Webhooks form "whsec_<base64>" is decoded; any other string is
// used as it is.
func SecretKey(secret string) []byte {
	if b64, ok := strings.CutPrefix(secret, "whsec_"); ok {
		if key, err := base64.StdEncoding.DecodeString(b64); err == nil {
			return key
		}
	}
	return []byte(secret)
}

// MinSecretBytes is the least number of random bytes a secret must hold.
const MinSecretBytes = 24

// NewSecretHint says how to make a secret, for error messages.
const NewSecretHint = "make one with: echo whsec_$(head -c 32 /dev/urandom | base64) " +
	"(or, for a demo, start lotse backend --demo: it prints a generated one)"

// CheckSecret reports whether secret is a Standard Webhooks secret:
// "whsec_" followed by the standard base64 of at least MinSecretBytes
// bytes. Edge and backend both refuse to start with another, so that a
// mistyped or made-up secret shows at startup rather than as signatures
// that never match. The error never contains the secret.
func CheckSecret(secret string) error {
	b64, ok := strings.CutPrefix(secret, "whsec_")
	switch {
	case secret == "":
		return errors.New("no webhook secret; " + NewSecretHint)
	case !ok:
		return errors.New("the webhook secret does not start with whsec_; " + NewSecretHint)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return errors.New("the webhook secret is not whsec_ followed by base64; " + NewSecretHint)
	}
	if len(key) < MinSecretBytes {
		return fmt.Errorf("the webhook secret holds %d bytes, fewer than %d; %s", len(key), MinSecretBytes, NewSecretHint)
	}
	return nil
}

// CheckSecrets is CheckSecret for a receiver's list of secrets, separated
// by spaces, as during a rotation: "whsec_A whsec_B". It requires at least
// one and checks each; an error names the secret by its position (1 for
// the first), never by its value.
func CheckSecrets(secrets string) error {
	list := strings.Fields(secrets)
	if len(list) == 0 {
		return CheckSecret("")
	}
	for i, secret := range list {
		if err := CheckSecret(secret); err != nil {
			if len(list) == 1 {
				return err
			}
			return fmt.Errorf("secret %d of %d: %w", i+1, len(list), err)
		}
	}
	return nil
}

// SecretKeys returns the HMAC keys of a space-separated list of secrets
// (see SecretKey and CheckSecrets), in order.
func SecretKeys(secrets string) [][]byte {
	var keys [][]byte
	for _, secret := range strings.Fields(secrets) {
		keys = append(keys, SecretKey(secret))
	}
	return keys
}

// Sign returns the webhook-signature header value for a message:
// "v1," followed by the base64 HMAC-SHA256 of "id.timestamp.body".
func Sign(key []byte, id string, ts time.Time, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, strconv.FormatInt(ts.Unix(), 10), body))
}

// Headers returns the three signature headers for body, keyed by name.
func Headers(key []byte, id string, ts time.Time, body []byte) map[string]string {
	return map[string]string{
		HeaderID:        id,
		HeaderTimestamp: strconv.FormatInt(ts.Unix(), 10),
		HeaderSignature: Sign(key, id, ts, body),
	}
}

// Verify checks the signature headers of a received body against key at
// time now. The signature header may list several space-separated
// signatures (key rotation); one valid v1 signature suffices. Comparison is
// constant-time.
func Verify(key []byte, id, timestamp, signature string, body []byte, now time.Time) error {
	return VerifyAny([][]byte{key}, id, timestamp, signature, body, now)
}

// VerifyAny is Verify for a receiver that accepts several keys, as during
// a rotation of the secret: the signature is valid if any of its v1
// signatures matches any of keys. Comparison is constant-time.
func VerifyAny(keys [][]byte, id, timestamp, signature string, body []byte, now time.Time) error {
	if id == "" || timestamp == "" || signature == "" {
		return ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > Tolerance || d < -Tolerance {
		return ErrStale
	}
	for _, key := range keys {
		want := mac(key, id, timestamp, body)
		for _, sig := range strings.Fields(signature) {
			b64, ok := strings.CutPrefix(sig, "v1,")
			if !ok {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(b64)
			if err == nil && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return ErrBadSignature
}

func mac(key []byte, id, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(timestamp))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// MaxIDLen bounds conversation and message IDs.
const MaxIDLen = 128

// Limits of a Handoff that both sides check, so that the edge refuses
// what the backend would refuse and tells the widget it made a mistake
// rather than that the backend failed.
const (
	// MaxMessages bounds a Handoff's Messages.
	MaxMessages = 200
	// MaxTextLen bounds a Message's Text in bytes.
	MaxTextLen = 16 << 10
	// MaxIntentLen and MaxLangLen bound Intent and Lang in bytes.
	MaxIntentLen = 128
	MaxLangLen   = 16
	// MaxBody bounds a Handoff's JSON body in bytes: room for MaxMessages
	// messages and the personal-data spans of the last, which the edge
	// adds to what the widget sent.
	MaxBody = 256 << 10
)

// ValidID reports whether id is a valid conversation or message ID: 1 to
// MaxIDLen letters, digits or "._:-". Both sides check it, so an ID the edge
// accepts is one the backend stores.
func ValidID(id string) bool {
	if id == "" || len(id) > MaxIDLen {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// LogID is what logs may show of a conversation ID: a hash prefix. The ID
// is the visitor's capability to read the conversation, so it never
// appears in logs itself.
func LogID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:6])
}
