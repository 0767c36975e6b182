package runner

import (
	"encoding/json"
	"fmt"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/pii"
)

// wireReply is the Reply JSON of DESIGN.md as the engine writes it
// (lotse.Reply.AppendJSON). null strings decode as "".
type wireReply struct {
	Action       lotse.Action        `json:"action"`
	Intent       string              `json:"intent"`
	Confidence   float64             `json:"confidence"`
	Lang         string              `json:"lang"`
	Answer       string              `json:"answer"`
	Reason       lotse.Reason        `json:"reason"`
	Alternatives []lotse.Alternative `json:"alternatives"`
	PII          []pii.Span          `json:"pii"`
	Error        *string             `json:"error"`
}

// decodeReply decodes a reply result buffer: a Reply, or the engine's
// error.
func decodeReply(b []byte) (lotse.Reply, error) {
	var w wireReply
	if err := json.Unmarshal(b, &w); err != nil {
		return lotse.Reply{}, fmt.Errorf("runner: decoding the engine's reply %.200q: %w", b, err)
	}
	if w.Error != nil {
		return lotse.Reply{}, &engineError{*w.Error}
	}
	return lotse.Reply{
		Action:       w.Action,
		Intent:       w.Intent,
		Confidence:   w.Confidence,
		Lang:         w.Lang,
		Answer:       w.Answer,
		Reason:       w.Reason,
		Alternatives: w.Alternatives,
		PII:          w.PII,
	}, nil
}
