package edge

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/pii"
)

// ChatRequest is the body of POST /v1/chat.
type ChatRequest struct {
	ConversationID string `json:"conversation_id"`
	// MessageID is the idempotency key: a retry with the same ID gets the
	// same Reply.
	MessageID string `json:"message_id"`
	Text      string `json:"text"`
	// Lang is the widget's language hint, one of the bot's languages.
	Lang string `json:"lang,omitempty"`
}

// maxText bounds a chat message in bytes; the body limit bounds it anyway,
// the named limit gives a clearer error.
const maxText = 4 << 10

func (h *Handler) handleChat(w http.ResponseWriter, r *http.Request) {
	var req ChatRequest
	if e := decodeBody(w, r, &req, MaxBody); e != nil {
		writeError(w, e.status, e.code, e.message)
		return
	}
	if msg := h.checkChat(req); msg != "" {
		writeError(w, http.StatusBadRequest, "invalid_request", msg)
		return
	}
	key := "chat\x00" + req.ConversationID + "\x00" + req.MessageID
	digest := sha256.Sum256([]byte(req.Lang + "\x00" + req.Text))
	if res, ok := h.seen.get(key); ok {
		h.replay(w, res, digest)
		return
	}
	reply := h.cfg.Model.Reply(req.Text)
	body := append(reply.AppendJSON(make([]byte, 0, 512)), '\n')
	h.seen.put(&result{key: key, digest: digest, status: http.StatusOK, body: body})
	note(w, slog.String("conversation", handoff.LogID(req.ConversationID)),
		slog.String("action", string(reply.Action)), slog.String("intent", reply.Intent),
		slog.String("reason", string(reply.Reason)), slog.Float64("confidence", reply.Confidence),
		slog.String("lang", reply.Lang), slog.Int("text_runes", utf8.RuneCountInString(req.Text)),
		slog.Any("pii", piiKinds(reply.PII)))
	h.debugText(r.Context(), req.ConversationID, req.Text, reply.PII)
	writeRaw(w, http.StatusOK, body)
}

// debugText logs a visitor message, redacted, at debug level only: the
// detector misses some personal data (an IBAN written in odd groups,
// "max(at)example.org"), so message text never goes to the INFO log an
// operator keeps.
func (h *Handler) debugText(ctx context.Context, conversation, text string, spans []pii.Span) {
	if !h.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	h.log.LogAttrs(ctx, slog.LevelDebug, "edge message text", slog.String("conversation", handoff.LogID(conversation)),
		slog.String("text", pii.Redact(text, spans)))
}

// piiKinds lists the kinds of personal data found, each once, in order of
// appearance.
func piiKinds(spans []pii.Span) []string {
	kinds := []string{}
	for _, s := range spans {
		if k := string(s.Kind); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// replay answers a retried request from the idempotency cache.
func (h *Handler) replay(w http.ResponseWriter, res *result, digest [sha256.Size]byte) {
	if res.digest != digest {
		writeError(w, http.StatusConflict, "idempotency_conflict",
			"this message_id was already used with different content; send a new message with a new message_id")
		return
	}
	note(w, slog.Bool("replayed", true))
	w.Header().Set("Idempotent-Replayed", "true")
	writeRaw(w, res.status, res.body)
}

func (h *Handler) checkChat(req ChatRequest) string {
	switch {
	case !handoff.ValidID(req.ConversationID):
		return "conversation_id must be 1 to 128 letters, digits or ._:-"
	case !handoff.ValidID(req.MessageID):
		return "message_id must be 1 to 128 letters, digits or ._:-"
	case strings.TrimSpace(req.Text) == "":
		return "text is empty; send the visitor's message"
	case len(req.Text) > maxText:
		return fmt.Sprintf("text is %d bytes; the limit is %d", len(req.Text), maxText)
	case strings.IndexByte(req.Text, 0) >= 0:
		return "text contains a NUL character"
	case req.Lang != "" && !h.langs[req.Lang]:
		return fmt.Sprintf("lang %q is not one of the bot's languages %v", req.Lang, h.cfg.Model.Info().Languages)
	}
	return ""
}
