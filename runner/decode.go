package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/pii"
)

// wireReply is the Reply JSON (lotse.Reply) as the engine writes it
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
	if r, ok := scanReply(b); ok {
		return r, nil
	}
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

// scanReply decodes b if it is a Reply exactly as lotse.Reply.AppendJSON
// writes it (keys in its order, no escaped strings), else reports false and
// decodeReply falls back to encoding/json. It is the common case, and
// encoding/json took a tenth of a wasm reply's time as the runner measures
// it, in the host.
func scanReply(b []byte) (lotse.Reply, bool) {
	s := scanner{b: b, ok: true}
	var r lotse.Reply
	s.lit(`{"action":`)
	r.Action = lotse.Action(s.str())
	s.lit(`,"intent":`)
	r.Intent = s.str()
	s.lit(`,"confidence":`)
	r.Confidence = s.num()
	s.lit(`,"lang":`)
	r.Lang = s.str()
	s.lit(`,"answer":`)
	r.Answer = s.str()
	s.lit(`,"reason":`)
	r.Reason = lotse.Reason(s.str())
	s.lit(`,"alternatives":[`)
	for s.more(len(r.Alternatives)) {
		var a lotse.Alternative
		s.lit(`{"intent":`)
		a.Intent = s.str()
		s.lit(`,"confidence":`)
		a.Confidence = s.num()
		s.lit(`}`)
		r.Alternatives = append(r.Alternatives, a)
	}
	s.lit(`,"pii":[`)
	for s.more(len(r.PII)) {
		var p pii.Span
		s.lit(`{"kind":`)
		p.Kind = pii.Kind(s.str())
		s.lit(`,"start":`)
		p.Start = int(s.num())
		s.lit(`,"end":`)
		p.End = int(s.num())
		s.lit(`}`)
		r.PII = append(r.PII, p)
	}
	s.lit(`}`)
	return r, s.ok && len(s.b) == 0
}

// scanner reads JSON written in a known layout. The first mismatch clears
// ok; later reads return zero values.
type scanner struct {
	b  []byte
	ok bool
}

func (s *scanner) lit(l string) {
	if !s.ok || !bytes.HasPrefix(s.b, []byte(l)) {
		s.ok = false
		return
	}
	s.b = s.b[len(l):]
}

// str reads a string without escapes, or null as "".
func (s *scanner) str() string {
	if !s.ok {
		return ""
	}
	if bytes.HasPrefix(s.b, []byte("null")) {
		s.b = s.b[4:]
		return ""
	}
	if len(s.b) == 0 || s.b[0] != '"' {
		s.ok = false
		return ""
	}
	end := bytes.IndexAny(s.b[1:], `"\`)
	if end < 0 || s.b[1+end] != '"' {
		s.ok = false // escapes are left to encoding/json
		return ""
	}
	v := string(s.b[1 : 1+end])
	s.b = s.b[2+end:]
	return v
}

// num reads a number.
func (s *scanner) num() float64 {
	if !s.ok {
		return 0
	}
	end := bytes.IndexAny(s.b, ",}]")
	if end <= 0 {
		s.ok = false
		return 0
	}
	v, err := strconv.ParseFloat(string(s.b[:end]), 64)
	if err != nil {
		s.ok = false
		return 0
	}
	s.b = s.b[end:]
	return v
}

// more reports whether an array with n elements read so far has another,
// taking the comma before it; at the array's end it takes the bracket.
func (s *scanner) more(n int) bool {
	if !s.ok || len(s.b) == 0 {
		s.ok = false
		return false
	}
	if s.b[0] == ']' {
		s.b = s.b[1:]
		return false
	}
	if n > 0 {
		s.lit(",")
	}
	return s.ok
}
