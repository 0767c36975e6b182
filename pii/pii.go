// Package pii finds personal data in chat messages and redacts it.
//
// It is pure Go with no network or file access so that the WebAssembly builds
// can run it in the visitor's browser: personal data is found before a
// message leaves the device.
//
// Detection is a single left-to-right pass over the bytes of the message.
// At every token start a fixed set of hand-written recognisers looks a bounded
// distance ahead (and, for context cues, a bounded distance back), so the
// running time is linear in the length of the message and no regular
// expressions are involved. Checksummed kinds (IBAN, card, tax ID) are only
// reported when the checksum holds; data without a checksum (date of birth,
// name, an old account number with its bank code, the Steuernummer) only
// next to a cue such as "geboren am", "my name is", "BLZ" or "StNr.".
package pii

import "strings"

// Kind names a sort of personal data. The values are part of the Reply JSON.
type Kind string

// The kinds of personal data the detector reports.
const (
	IBAN    Kind = "iban"
	Card    Kind = "card"
	Email   Kind = "email"
	Phone   Kind = "phone"
	DOB     Kind = "dob"
	Address Kind = "address"
	TaxID   Kind = "tax_id"
	Name    Kind = "name"
	// IDDoc is the number of a passport, ID card, driving licence or
	// residence permit.
	IDDoc Kind = "id_document"
)

// Kinds lists every kind Detect reports, in a fixed order for reports.
var Kinds = []Kind{IBAN, Card, Email, Phone, DOB, TaxID, IDDoc, Address, Name}

// Span is one piece of personal data: its kind and its byte offsets
// [Start, End) into the UTF-8 text.
type Span struct {
	Kind  Kind `json:"kind"`
	Start int  `json:"start"`
	End   int  `json:"end"`
}

// Detect returns the personal data found in text, ordered by Start, with no
// two spans overlapping. Offsets are byte offsets and fall on UTF-8
// boundaries when text is valid UTF-8.
func Detect(text string) []Span {
	var spans []Span
	h := hintsOf(text)
	floor := 0 // end of the last span; cues are not looked for before it
	for i := 0; i < len(text); {
		// Only tokens start a match. Checked here rather than in detectAt:
		// a call per byte was a third of Detect in WebAssembly.
		if i > 0 && isWordByte(text[i-1]) {
			i++
			continue
		}
		if s, ok := detectAt(text, i, floor, h); ok {
			spans = append(spans, s)
			i, floor = s.End, s.End
			continue
		}
		i++
	}
	return spans
}

// hints tell what a message holds at all, found in one pass, so that the
// recognisers of addresses and document numbers are not tried at every
// word of a message they cannot match.
type hints struct {
	digits int  // how many digits, counted up to 2
	at     bool // an "@", or "at" as a word: "max at example dot org", "(at)"
}

func hintsOf(t string) hints {
	var h hints
	for k := 0; k < len(t) && (h.digits < 2 || !h.at); k++ {
		switch c := t[k]; {
		case isDigit(c):
			h.digits++
		case c == '@':
			h.at = true
		case c|0x20 == 'a' && k+1 < len(t) && t[k+1]|0x20 == 't' && (k == 0 || !isLetter(t[k-1])) &&
			(k+2 == len(t) || !isLetter(t[k+2])):
			h.at = true
		}
	}
	return h
}

// detectAt tries every recogniser that can start at byte i, the start of
// a token. The order matters only where two kinds could claim the same
// text: checksummed kinds go first because they are the most certain.
func detectAt(t string, i, floor int, h hints) (Span, bool) {
	c := t[i]
	if h.at && isLocalByte(c) && (i == 0 || !isLocalByte(t[i-1])) {
		if e, ok := emailAt(t, i); ok {
			return Span{Email, i, e}, true
		}
		if e, ok := spelledEmailAt(t, i); ok {
			return Span{Email, i, e}, true
		}
	}
	switch {
	case isDigit(c):
		if i > 0 && (t[i-1] == '.' || t[i-1] == ',') && i > 1 && isDigit(t[i-2]) {
			return Span{}, false // inside 1.234 or 12,99
		}
		if s, isDate, ok := dobAt(t, i, floor); ok {
			return s, true
		} else if isDate {
			return Span{}, false
		}
		if e, ok := cardAt(t, i); ok {
			return Span{Card, i, cardTail(t, e)}, true
		}
		if e, ok := taxIDAt(t, i); ok {
			return Span{TaxID, i, e}, true
		}
		if e, ok := taxNumberBeforeCue(t, i); ok {
			return Span{TaxID, i, e}, true
		}
		if h.digits < 2 {
			// a document number has two digits or more
		} else if e, ok := idDocAt(t, i, floor); ok {
			return Span{IDDoc, i, e}, true
		}
		if e, ok := phoneAt(t, i, floor); ok {
			return Span{Phone, i, e}, true
		}
		if e, ok := enAddressAt(t, i); ok {
			return Span{Address, i, e}, true
		}
	case c == '+' || c == '(':
		if e, ok := phoneAt(t, i, floor); ok {
			return Span{Phone, i, e}, true
		}
	case isLetter(c):
		if e, ok := ibanAt(t, i); ok {
			return Span{IBAN, i, e}, true
		}
		if h.digits < 2 {
			// a Steuernummer or an account number has two digits or more
		} else if !cueFirst[c] {
			// no cue word starts so
		} else if s, ok := cuedAt(t, i); ok {
			return s, true
		}
		if h.digits < 2 {
			// a document number has two digits or more
		} else if e, ok := idDocAt(t, i, floor); ok {
			return Span{IDDoc, i, e}, true
		}
		if s, ok := deAddressAt(t, i, floor); ok {
			return s, true
		}
		if s, isDate, ok := dobAt(t, i, floor); ok {
			return s, true
		} else if isDate {
			return Span{}, false
		}
		if s, ok := nameAt(t, i); ok {
			return s, true
		}
	}
	return Span{}, false
}

// Redact replaces every span of text by its kind in capitals and brackets,
// such as "[IBAN]". Spans should be ordered and not overlap, as Detect
// returns them; spans that are out of range are clamped to the text, and a
// span that overlaps the one before it is cut to start where that one ended,
// so bad input never panics and never leaves the covered text visible.
func Redact(text string, spans []Span) string {
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, s := range spans {
		start, end := max(s.Start, last), min(s.End, len(text))
		if start >= end {
			continue
		}
		b.WriteString(text[last:start])
		b.WriteByte('[')
		if s.Kind == "" {
			b.WriteString("PII")
		} else {
			b.WriteString(strings.ToUpper(string(s.Kind)))
		}
		b.WriteByte(']')
		last = end
	}
	b.WriteString(text[last:])
	return b.String()
}

// MaskCards returns text with the digits of its Card spans replaced by
// '*', except the last four of each card number: enough for a person to
// tell cards apart, and all that PCI DSS lets a chat log keep. An expiry
// date or security code that Detect counted to the card is masked whole.
// Only digits change, so the result has text's length and spans still fit.
func MaskCards(text string, spans []Span) string {
	b := []byte(text)
	for _, s := range spans {
		if s.Kind != Card || s.Start < 0 || s.End > len(b) || s.Start >= s.End {
			continue
		}
		number, ok := cardAt(text, s.Start)
		if !ok || number > s.End {
			number = s.End
		}
		keep := 4 // the last four digits of the number itself
		for k := number - 1; k >= s.Start; k-- {
			if isDigit(b[k]) && keep > 0 {
				keep--
				continue
			}
			if isDigit(b[k]) {
				b[k] = '*'
			}
		}
		for k := number; k < s.End; k++ {
			if isDigit(b[k]) {
				b[k] = '*'
			}
		}
	}
	return string(b)
}
