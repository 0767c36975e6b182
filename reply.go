package lotse

import (
	"strconv"

	"github.com/lotse-chat/lotse/internal/jsonw"
	"github.com/lotse-chat/lotse/pii"
)

// Action says what the host should do with a message.
type Action string

// The actions of a Reply.
const (
	// Answer: show Reply.Answer to the visitor.
	Answer Action = "answer"
	// Handoff: give the conversation to a human; Reply.Reason says why.
	Handoff Action = "handoff"
)

// Reason says why a Reply hands off.
type Reason string

// The reasons of a handoff.
const (
	// OutOfScope: no intent is confident enough.
	OutOfScope Reason = "out_of_scope"
	// HandoffIntent: the intent is marked handoff: true by the bot author
	// (it needs the customer's account).
	HandoffIntent Reason = "handoff_intent"
	// PersonalData: the message carries personal data (Reply.PII).
	PersonalData Reason = "personal_data"
)

// Alternative is a runner-up intent with its confidence.
type Alternative struct {
	// Intent is an intent's name.
	Intent string `json:"intent"`
	// Confidence is the calibrated probability that Intent is right.
	Confidence float64 `json:"confidence"`
}

// Reply is the engine's answer to one message. AppendJSON writes it
// without reflection, as
//
//	{"action": "answer" | "handoff", "intent": name | null, "confidence": 0.97,
//	 "lang": "de", "answer": text | null, "reason": null | "out_of_scope" |
//	 "handoff_intent" | "personal_data", "alternatives": [{"intent", "confidence"}],
//	 "pii": [{"kind", "start", "end"}]}
type Reply struct {
	// Action is what the host does: show Answer, or hand off (Reason).
	Action Action
	// Intent is the best intent, also on a handoff (so the agent knows what
	// the visitor wanted), except for reason out_of_scope, where it is empty
	// and the best guesses are in Alternatives.
	Intent string
	// Confidence is the calibrated probability that the best intent is
	// right: Intent's, or on reason out_of_scope that of the first of
	// Alternatives. 0 for a message with nothing to classify (no letter or
	// digit).
	Confidence float64
	// Lang is the detected language of the message, one of the bot's.
	Lang string
	// Answer is the answer text in Lang, a Markdown subset. A handoff has
	// none, but for reason handoff_intent it carries the intent's answer
	// when the bot has one: what the visitor should know or do until a
	// person takes over ("lock your card in the app first").
	Answer string
	// Reason says why the Reply hands off; empty on an answer.
	Reason Reason
	// Alternatives are the next best intents, best first, at most three,
	// Intent not among them (on reason out_of_scope: the best guesses).
	Alternatives []Alternative
	// PII is the personal data in the message, byte offsets into it; any
	// makes the Reply a handoff with reason personal_data.
	PII []pii.Span
}

// MarshalJSON implements json.Marshaler.
func (r Reply) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// AppendJSON appends the Reply's JSON to b. Empty Intent, Answer and Reason
// are written as null.
func (r Reply) AppendJSON(b []byte) []byte {
	b = append(b, `{"action":`...)
	b = jsonw.AppendString(b, string(r.Action))
	b = append(b, `,"intent":`...)
	b = appendOptString(b, r.Intent)
	b = append(b, `,"confidence":`...)
	b = jsonw.AppendFloat(b, r.Confidence)
	b = append(b, `,"lang":`...)
	b = jsonw.AppendString(b, r.Lang)
	b = append(b, `,"answer":`...)
	b = appendOptString(b, r.Answer)
	b = append(b, `,"reason":`...)
	b = appendOptString(b, string(r.Reason))
	b = append(b, `,"alternatives":[`...)
	for i, a := range r.Alternatives {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"intent":`...)
		b = jsonw.AppendString(b, a.Intent)
		b = append(b, `,"confidence":`...)
		b = jsonw.AppendFloat(b, a.Confidence)
		b = append(b, '}')
	}
	b = append(b, `],"pii":[`...)
	for i, s := range r.PII {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"kind":`...)
		b = jsonw.AppendString(b, string(s.Kind))
		b = append(b, `,"start":`...)
		b = strconv.AppendInt(b, int64(s.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(s.End), 10)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendOptString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return jsonw.AppendString(b, s)
}
