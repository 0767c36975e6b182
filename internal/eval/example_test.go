package eval_test

import (
	"fmt"
	"strings"

	"github.com/lotse-chat/lotse/internal/eval"
)

func ExampleDecodeCases() {
	const file = `{"text": "wann muss ich zahlen", "expect": "payment_due_date", "lang": "de"}
{"text": "what is the weather in Berlin", "expect": "out_of_scope", "pii": []}
{"text": "my email is jane@example.com", "expect": "contact", "spans": [{"kind": "email", "start": 12, "end": 28}]}
`
	cases, err := eval.DecodeCases(strings.NewReader(file), "test.jsonl")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cases {
		fmt.Printf("line %d: expect %s, pii %v, redacted %q\n", c.Line, c.Expect, c.PII, eval.Redacted(c))
	}

	_, err = eval.DecodeCases(strings.NewReader(`{"text": "hallo", "intent": "greeting"}`), "test.jsonl")
	fmt.Println(err)
	// Output:
	// line 1: expect payment_due_date, pii [], redacted "wann muss ich zahlen"
	// line 2: expect out_of_scope, pii [], redacted "what is the weather in Berlin"
	// line 3: expect contact, pii [email], redacted "my email is [EMAIL]"
	// test.jsonl:1: unknown field "intent"; each line must be one JSON object with "text" and "expect" (and optional "pii", "spans", "lang")
}
