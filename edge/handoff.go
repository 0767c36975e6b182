package edge

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/pii"
)

// HandoffRequest is the body of POST /v1/handoff: the conversation so far,
// given to a human. Reason, Intent, Confidence and Lang are the Reply that
// handed off; when Reason is empty the edge asks the engine about the last
// visitor message itself.
type HandoffRequest struct {
	ConversationID string `json:"conversation_id"`
	// MessageID is the idempotency key, usually the ID of the last visitor
	// message: a retry with the same ID is delivered once and answered
	// alike.
	MessageID  string            `json:"message_id"`
	Reason     string            `json:"reason,omitempty"`
	Intent     string            `json:"intent,omitempty"`
	Confidence float64           `json:"confidence,omitempty"`
	Lang       string            `json:"lang,omitempty"`
	Messages   []handoff.Message `json:"messages"`
}

// Delivered is the answer to a handoff the backend acknowledged.
type Delivered struct {
	Status         string `json:"status"` // always "delivered"
	ConversationID string `json:"conversation_id"`
	Stored         int    `json:"stored"`
	LastSeq        int64  `json:"last_seq"`
	// PII is the personal data the edge found in the message delivered
	// (message_id), byte offsets into its text as sent: the widget stores
	// the message masked by them when it has no engine of its own.
	PII []pii.Span `json:"pii,omitempty"`
}

// maxMessages bounds a handoff's transcript, as the backend does; the
// body limit is the practical bound.
const maxMessages = handoff.MaxMessages

// retryAfter is what the widget is told to wait when the backend did not
// acknowledge.
const retryAfter = 5 * time.Second

func (h *Handler) handleHandoff(w http.ResponseWriter, r *http.Request) {
	if h.cfg.BackendURL == "" {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
		writeError(w, http.StatusServiceUnavailable, "no_backend", "this edge has no backend configured; handoffs cannot be delivered")
		return
	}
	var req HandoffRequest
	if e := decodeBody(w, r, &req, MaxHandoffBody); e != nil {
		writeError(w, e.status, e.code, e.message)
		return
	}
	// The digest is of the request as the client sent it, before the edge
	// adds anything (missing timestamps are filled with the current time):
	// a byte-identical retry must match, a different body must not.
	digest, err := requestDigest(req)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "cannot encode the handoff")
		return
	}
	key := "handoff\x00" + req.ConversationID + "\x00" + req.MessageID
	if res, ok := h.seen.get(key); ok {
		h.replay(w, res, digest)
		return
	}
	ho, msg := h.buildHandoff(req)
	if msg != "" {
		writeError(w, http.StatusBadRequest, "invalid_request", msg)
		return
	}
	body, err := encodeHandoff(ho)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "cannot encode the handoff")
		return
	}
	if len(body) > handoff.MaxBody {
		// The backend would refuse it, and the widget would take that
		// (502) for an outage and retry for ever.
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the handoff is %d bytes once signed for the backend, over its limit of %d; send fewer or shorter messages", len(body), handoff.MaxBody))
		return
	}
	h.noteHandoff(r.Context(), w, ho)
	ack, fail := h.deliver(r.Context(), w, webhookID(req.ConversationID, req.MessageID), ho.ConversationID, body)
	if fail != nil {
		if fail.retryable {
			writeUnavailable(w, "the handoff was not delivered; retry with the same message_id")
		} else {
			writeError(w, http.StatusBadGateway, "backend_rejected", "the handoff was not delivered; retry later")
		}
		return
	}
	d := Delivered{Status: "delivered", ConversationID: ack.ConversationID, Stored: ack.Stored, LastSeq: ack.LastSeq}
	for _, m := range req.Messages {
		if m.ID == req.MessageID && m.Role == handoff.RoleVisitor {
			d.PII = pii.Detect(m.Text) // as sent, before any masking
		}
	}
	out, _ := json.Marshal(d)
	out = append(out, '\n')
	h.seen.put(&result{key: key, digest: digest, status: http.StatusOK, body: out})
	writeRaw(w, http.StatusOK, out)
}

// buildHandoff checks req and turns it into the Handoff the backend gets,
// or returns what is wrong with it. It refuses whatever the backend would
// refuse (see backend's validate): a refusal by the backend reaches the
// widget as 502 backend_rejected, which it cannot tell from an outage.
func (h *Handler) buildHandoff(req HandoffRequest) (handoff.Handoff, string) {
	switch {
	case !handoff.ValidID(req.ConversationID):
		return handoff.Handoff{}, "conversation_id must be 1 to 128 letters, digits or ._:-"
	case !handoff.ValidID(req.MessageID):
		return handoff.Handoff{}, "message_id must be 1 to 128 letters, digits or ._:-"
	case len(req.Messages) == 0 || len(req.Messages) > maxMessages:
		return handoff.Handoff{}, fmt.Sprintf("messages must hold 1 to %d messages, not %d", maxMessages, len(req.Messages))
	}
	switch lotse.Reason(req.Reason) {
	case "", lotse.OutOfScope, lotse.HandoffIntent, lotse.PersonalData:
	default:
		return handoff.Handoff{}, fmt.Sprintf("reason %q is not out_of_scope, handoff_intent or personal_data", req.Reason)
	}
	now := h.cfg.Now().UnixMilli()
	msgs := make([]handoff.Message, len(req.Messages))
	last, lastSpans := -1, []pii.Span(nil)
	first := make(map[string]int, len(req.Messages)) // message ID -> its first index
	for i, m := range req.Messages {
		j, repeated := first[m.ID]
		switch {
		case !handoff.ValidID(m.ID):
			return handoff.Handoff{}, fmt.Sprintf("messages[%d].id must be 1 to 128 letters, digits or ._:-", i)
		case repeated:
			// The backend stores one message per ID and refuses the rest.
			return handoff.Handoff{}, fmt.Sprintf("messages[%d].id repeats messages[%d].id; give every message its own id", i, j)
		case m.Role != handoff.RoleVisitor && !handoff.BotLine(m.Role):
			// bot_unverified is accepted as the bot line it says it is: the
			// widget may hold one from the events stream and send it back.
			return handoff.Handoff{}, fmt.Sprintf("messages[%d].role is %q; want visitor or bot", i, m.Role)
		case strings.TrimSpace(m.Text) == "":
			return handoff.Handoff{}, fmt.Sprintf("messages[%d].text is empty; send the message's text", i)
		case len(m.Text) > handoff.MaxTextLen:
			return handoff.Handoff{}, fmt.Sprintf("messages[%d].text is %d bytes; the limit is %d", i, len(m.Text), handoff.MaxTextLen)
		case bytes.IndexByte([]byte(m.Text), 0) >= 0:
			return handoff.Handoff{}, fmt.Sprintf("messages[%d].text contains a NUL character", i)
		}
		first[m.ID] = i
		if m.TS <= 0 {
			m.TS = now
		}
		// The spans are the edge's own finding, not the client's claim.
		spans := pii.Detect(m.Text)
		switch {
		case m.Role == handoff.RoleVisitor:
			last, lastSpans = i, spans
		case h.cfg.Model.IsAnswer(m.Text):
			m.Role = handoff.RoleBot
		default:
			// The client sends the bot's lines too, and can send anything:
			// one that is none of this model's answers cannot pose as the
			// bot's. It is not the visitor's either (it may be an answer of
			// the model before a redeploy), so it reaches the agent as an
			// unverified bot line.
			m.Role = handoff.RoleUnverifiedBot
		}
		// Card numbers never reach the backend whole: agents need no more
		// than the last four digits, and a chat log must not keep more (PCI
		// DSS), let alone the security code.
		m.Text = pii.MaskCards(m.Text, spans)
		msgs[i] = m
	}
	if last < 0 {
		return handoff.Handoff{}, "messages hold no visitor message; a handoff carries what the visitor asked"
	}
	// The intent and lang the widget sends are its copy of the model's
	// Reply, but a caller can send anything, and both are logged and shown
	// to agents: keep them only if this model has them. Anything else (a
	// widget with a cached older model, or "max@example.com") is dropped
	// and the edge's own classification takes its place, never refused:
	// the visitor's message must reach a person.
	intent, lang := req.Intent, req.Lang
	dropIntent, dropLang := intent != "" && !h.intents[intent], lang != "" && !h.langs[lang]
	if dropIntent {
		intent = ""
	}
	if dropLang {
		lang = ""
	}
	ho := handoff.Handoff{ConversationID: req.ConversationID, Bot: h.bot, Reason: req.Reason,
		Intent: intent, Confidence: req.Confidence, Lang: lang, Messages: msgs, PII: lastSpans}
	switch {
	case ho.Reason == "":
		// The widget did not say why (e.g. the visitor asked for a person
		// directly): ask the engine about the last visitor message.
		rep := h.cfg.Model.Reply(msgs[last].Text)
		ho.Reason, ho.Intent, ho.Confidence, ho.Lang = string(rep.Reason), rep.Intent, rep.Confidence, rep.Lang
		if rep.Action == lotse.Answer {
			ho.Reason = string(lotse.HandoffIntent) // the visitor wants a person although the bot could answer
		}
	case dropIntent || dropLang:
		rep := h.cfg.Model.Reply(msgs[last].Text)
		if dropIntent {
			ho.Intent, ho.Confidence = rep.Intent, rep.Confidence
		}
		if dropLang {
			ho.Lang = rep.Lang
		}
	}
	if len(ho.PII) > 0 {
		ho.Reason = string(lotse.PersonalData)
	}
	return ho, ""
}

// encodeHandoff encodes ho for the backend. HTML characters stay as they
// are: json.Marshal's \u003c for each "<" made a pasted page six times
// its size.
func encodeHandoff(ho handoff.Handoff) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ho); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// requestDigest identifies a handoff request's content for the
// idempotency check. It encodes the decoded request, so a retry that only
// differs in whitespace or key order still matches.
func requestDigest(req HandoffRequest) ([sha256.Size]byte, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// noteHandoff logs what operating the edge needs to know about a handoff.
// The last visitor message's text goes only to a separate debug line, and
// only redacted: the detector can miss personal data, and INFO logs are
// kept and shipped.
func (h *Handler) noteHandoff(ctx context.Context, w http.ResponseWriter, ho handoff.Handoff) {
	last := lastVisitor(ho.Messages)
	note(w, slog.String("conversation", handoff.LogID(ho.ConversationID)), slog.String("reason", ho.Reason),
		slog.String("intent", ho.Intent), slog.String("lang", ho.Lang), slog.Int("messages", len(ho.Messages)),
		slog.Int("text_runes", utf8.RuneCountInString(last)), slog.Any("pii", piiKinds(ho.PII)))
	h.debugText(ctx, ho.ConversationID, last, ho.PII)
}

// lastVisitor is the text of the last visitor message.
func lastVisitor(ms []handoff.Message) string {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Role == handoff.RoleVisitor {
			return ms[i].Text
		}
	}
	return ""
}

// webhookID is the Standard Webhooks message ID of a handoff: the same for
// every retry of the same widget request, so the backend can tell.
func webhookID(conversation, message string) string {
	sum := sha256.Sum256([]byte(conversation + "\x00" + message))
	return "msg_" + hex.EncodeToString(sum[:16])
}

// failure is why a handoff was not acknowledged. The widget learns only
// whether to retry soon: the reason is the operator's, and in the log.
type failure struct {
	err       error
	retryable bool
}

// deliver posts body to the backend's inbox until it acknowledges, the
// attempts run out, or the backend refuses the handoff as invalid.
func (h *Handler) deliver(ctx context.Context, w http.ResponseWriter, id, conversation string, body []byte) (handoff.Ack, *failure) {
	rt := h.cfg.Retry
	backoff := rt.Backoff
	var last error
	for attempt := 1; attempt <= rt.Attempts; attempt++ {
		if attempt > 1 {
			h.cfg.Sleep(backoff)
			backoff *= 2
		}
		if ctx.Err() != nil {
			break
		}
		ack, err := h.attempt(ctx, id, body)
		if err == nil && ack.ConversationID != conversation {
			err = &retryable{fmt.Errorf("the backend acknowledged conversation %s instead", handoff.LogID(ack.ConversationID))}
		}
		if err == nil {
			note(w, slog.Int("attempts", attempt), slog.Int("stored", ack.Stored))
			return ack, nil
		}
		last = err
		if _, ok := errors.AsType[*retryable](err); !ok {
			// Retrying does not help: the operator must act, and the
			// error (the backend's advice) says how.
			h.log.Error("handoff refused by the backend", "conversation", handoff.LogID(conversation), "attempt", attempt, "err", err.Error())
			note(w, slog.Int("attempts", attempt))
			return handoff.Ack{}, &failure{err, false}
		}
		h.log.Warn("handoff attempt failed", "conversation", handoff.LogID(conversation), "attempt", attempt, "err", err.Error())
	}
	note(w, slog.Int("attempts", rt.Attempts))
	return handoff.Ack{}, &failure{last, true}
}

// retryable marks a delivery error worth another attempt: the backend
// was unreachable, slow, overloaded or failed (5xx).
type retryable struct{ err error }

func (e *retryable) Error() string { return e.err.Error() }
func (e *retryable) Unwrap() error { return e.err }

// attempt makes one signed delivery attempt within the attempt timeout. The
// timeout does not rely on the client honouring the context: the Workers
// fetch API ignores it.
func (h *Handler) attempt(ctx context.Context, id string, body []byte) (handoff.Ack, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Retry.Timeout)
	defer cancel()
	type outcome struct {
		ack handoff.Ack
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		ack, err := h.postOnce(ctx, id, body)
		done <- outcome{ack, err}
	}()
	select {
	case o := <-done:
		return o.ack, o.err
	case <-ctx.Done():
		return handoff.Ack{}, &retryable{fmt.Errorf("no answer within %v", h.cfg.Retry.Timeout)}
	}
}

func (h *Handler) postOnce(ctx context.Context, id string, body []byte) (handoff.Ack, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.BackendURL+"/v1/inbox", bytes.NewReader(body))
	if err != nil {
		return handoff.Ack{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range handoff.Headers(h.key, id, h.cfg.Now(), body) {
		req.Header.Set(k, v)
	}
	resp, err := h.cfg.Client.Do(req)
	if err != nil {
		return handoff.Ack{}, &retryable{fmt.Errorf("backend unreachable: %s", transportError(err))}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case err != nil:
		return handoff.Ack{}, &retryable{fmt.Errorf("reading the backend's answer: %w", err)}
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout:
		return handoff.Ack{}, &retryable{fmt.Errorf("backend answered %d (%s)", resp.StatusCode, upstreamAnswer(data))}
	case resp.StatusCode == http.StatusNotFound:
		return handoff.Ack{}, fmt.Errorf("backend answered 404 for /v1/inbox (%s); %s", upstreamAnswer(data), pathAdvice)
	case resp.StatusCode != http.StatusOK:
		return handoff.Ack{}, fmt.Errorf("backend answered %d (%s)", resp.StatusCode, upstreamAnswer(data))
	}
	var ack handoff.Ack
	if err := json.Unmarshal(data, &ack); err != nil || ack.ConversationID == "" {
		return handoff.Ack{}, &retryable{fmt.Errorf("backend answered 200 without an acknowledgement (%s)", upstreamAnswer(data))}
	}
	return ack, nil
}
