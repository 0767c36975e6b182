package jsonerr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type message struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	TS   int64  `json:"ts"`
}

type request struct {
	ConversationID string            `json:"conversation_id"`
	Messages       []message         `json:"messages"`
	Tags           []string          `json:"tags"`
	Meta           map[string]string `json:"meta"`
	Urgent         bool              `json:"urgent"`
	Score          float64           `json:"score"`
	Reply          *message          `json:"reply"`
	skipped        int               // unexported: not part of the JSON shape named in errors
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		body, want string
		into       any // nil: a *request
	}{
		{`{"conversation_id": 7}`, "conversation_id must be a string, not a number", nil},
		{`{"messages": "hi"}`, "messages must be an array of objects {id, text, ts}, not a string", nil},
		{`{"messages": [{"id": "a", "ts": "now"}]}`, "messages[].ts must be an integer, not a string", nil},
		{`{"messages": [{"ts": 1.5}]}`, "messages[].ts must be an integer, not a number", nil},
		{`{"tags": [1]}`, "tags[] must be a string, not a number", nil},
		{`{"tags": {}}`, "tags must be an array of strings, not an object", nil},
		{`{"meta": []}`, "meta must be an object, not an array", nil},
		{`{"urgent": "yes"}`, "urgent must be a boolean, not a string", nil},
		{`{"score": true}`, "score must be a number, not a boolean", nil},
		{`{"reply": "x"}`, "reply must be an object {id, text, ts}, not a string", nil},
		{`{"reply": {"text": 1}}`, "reply.text must be a string, not a number", nil},
		{`{"meta": {"a": 1}}`, "meta.* must be a string, not a number", nil},
		{`["a"]`, "the body must be a JSON object {conversation_id, messages, tags, meta, urgent, score, reply}, not an array", nil},
		{`[1]`, "the body must be a JSON object, not an array", &map[string]any{}},
		{`{"conversation_id": "a",}`, "syntax error at byte 25", nil},
		{`{"conversation_id": "a"`, "the JSON ends before it is complete", nil},
	} {
		into := tc.into
		if into == nil {
			into = &request{}
		}
		if got := Describe(json.Unmarshal([]byte(tc.body), into), into); got != tc.want {
			t.Errorf("%s: Describe = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// TestDescribeQuotesNoInput checks that a value in the body, which may be
// personal data, never appears in the description.
func TestDescribeQuotesNoInput(t *testing.T) {
	var r request
	body := `{"conversation_id": 4111111111111111}`
	if got := Describe(json.Unmarshal([]byte(body), &r), &r); strings.Contains(got, "4111") {
		t.Errorf("Describe quotes the input: %q", got)
	}
}

func ExampleDescribe() {
	var v struct {
		Messages []struct {
			Text string `json:"text"`
		} `json:"messages"`
	}
	err := json.Unmarshal([]byte(`{"messages": [{"text": 42}]}`), &v)
	fmt.Println(Describe(err, &v))
	// Output: messages[].text must be a string, not a number
}
