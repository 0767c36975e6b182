package backend

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/handoff"
)

const testIBAN = "DE89 3704 0044 0532 0130 00"

func TestPreview(t *testing.T) {
	long := "Please look into my order from last week, it did not arrive and I was charged twice for it"
	tests := []struct {
		name, text, want string
	}{
		{"short text unchanged", "Where is my parcel?", "Where is my parcel?"},
		{"lines joined", "Hello\n\n  where is\tmy parcel?", "Hello where is my parcel?"},
		{"personal data redacted", "Meine IBAN ist " + testIBAN + ", danke", "Meine IBAN ist [IBAN], danke"},
		{"long text cut at a word", long, "Please look into my order from last week, it did not arrive and I was charged…"},
		// Redacting after cutting would leave "DE89 3704 0044" visible.
		{"personal data across the cut redacted", strings.Repeat("x", 60) + " my IBAN is " + testIBAN + " thanks",
			strings.Repeat("x", 60) + " my IBAN is [IBAN]…"},
		{"placeholder not cut", strings.Repeat("x", 75) + " " + testIBAN + " ok", strings.Repeat("x", 75) + "…"},
		{"runes counted, not bytes", strings.Repeat("ü", 100), strings.Repeat("ü", previewRunes-1) + "…"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := preview(tt.text)
			if got != tt.want {
				t.Errorf("preview(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > previewRunes {
				t.Errorf("preview is %d runes long; want at most %d", n, previewRunes)
			}
			if strings.Contains(got, "3704") {
				t.Errorf("preview %q shows part of the IBAN", got)
			}
		})
	}
}

func TestListPreview(t *testing.T) {
	ts := newTestServer(t)
	// The bot's answer and the agents' replies come after the visitor's
	// last message; the preview is still what the visitor wrote.
	h := sample("c1", "Hello", "Can you recommend a pizza place?")
	h.Messages = append(h.Messages, handoff.Message{ID: "c1-b", Role: handoff.RoleBot, Text: "Sorry, I cannot answer that.", TS: 2})
	ts.handoff(t, h)
	for i := range 25 { // many agent replies after it
		if code, v := ts.console(t, "POST", "conversations/c1/reply", map[string]string{"text": fmt.Sprintf("reply %d", i)}); code != 200 {
			t.Fatalf("reply: %d %v", code, v)
		}
	}
	p := sample("c2", "Meine IBAN ist "+testIBAN+", danke")
	p.Reason, p.Intent = handoff.ReasonPersonalData, "thanks"
	ts.handoff(t, p)

	for _, tt := range []struct{ state, id, want string }{
		{"open", "c1", "Can you recommend a pizza place?"},
		{"pending", "c2", "Meine IBAN ist [IBAN], danke"},
	} {
		code, v := ts.console(t, "GET", "conversations?state="+tt.state, nil)
		if code != 200 {
			t.Fatalf("list %s: %d %v", tt.state, code, v)
		}
		cs := v["conversations"].([]any)
		if len(cs) != 1 {
			t.Fatalf("list %s: %d conversations, want 1: %v", tt.state, len(cs), cs)
		}
		c := cs[0].(map[string]any)
		if c["id"] != tt.id || c["preview"] != tt.want {
			t.Errorf("list %s: conversation %v has preview %q; want %s with %q", tt.state, c["id"], c["preview"], tt.id, tt.want)
		}
	}
}

func TestTranscriptMarksPersonalData(t *testing.T) {
	ts := newTestServer(t)
	// "👋" is two UTF-16 code units and four bytes, "ü" one and two: the
	// offsets must be JavaScript's, not Go's.
	text := "Grüße 👋 meine IBAN ist " + testIBAN + ", danke"
	h := sample("c1", text)
	h.Messages = append(h.Messages, handoff.Message{ID: "c1-b", Role: handoff.RoleBot, Text: "Your IBAN " + testIBAN + " is noted.", TS: 2})
	ts.handoff(t, h)
	code, v := ts.console(t, "GET", "conversations/c1", nil)
	if code != 200 {
		t.Fatalf("transcript: %d %v", code, v)
	}
	ms := v["messages"].([]any)
	if len(ms) != 2 {
		t.Fatalf("transcript has %d messages, want 2", len(ms))
	}
	visitor, bot := ms[0].(map[string]any), ms[1].(map[string]any)
	if visitor["text"] != text {
		t.Errorf("visitor text is %q; the transcript keeps the full text %q", visitor["text"], text)
	}
	spans, _ := visitor["pii"].([]any)
	if len(spans) != 1 {
		t.Fatalf("visitor message has spans %v; want one IBAN", visitor["pii"])
	}
	sp := spans[0].(map[string]any)
	units := utf16.Encode([]rune(text))
	start, end := int(sp["start"].(float64)), int(sp["end"].(float64))
	if sp["kind"] != "iban" || start < 0 || end > len(units) || string(utf16.Decode(units[start:end])) != testIBAN {
		t.Errorf("span %v does not cover %q in UTF-16 code units of %q", sp, testIBAN, text)
	}
	if _, ok := bot["pii"]; ok {
		t.Errorf("bot message has spans %v; only visitor messages are marked", bot["pii"])
	}
}
