package main

import (
	"net/http"
	"testing"
)

// TestServeEvents reads a visitor's events through lotse serve as the
// widget does: the edge signs its request to the backend under /backend,
// which the serve mux strips, and the Host guard lets the edge's own
// request (Host: the listen address) through.
func TestServeEvents(t *testing.T) {
	origin := startServe(t, serveConfig{bot: "../../testdata/bots/faq.csv", widget: t.TempDir()})
	const id = "c0ffee00c0ffee00c0ffee00c0ffee02"
	var ack struct{ Stored int }
	post(t, origin+"/v1/handoff", `{"conversation_id":"`+id+`","message_id":"m1","reason":"out_of_scope","lang":"en",
		"messages":[{"id":"m1","role":"visitor","text":"what is the weather in Berlin","ts":1}]}`, &ack)
	req, _ := http.NewRequest("GET", origin+"/v1/conversations/"+id+"/events?after=0&wait=0", nil)
	var ev struct {
		Events []struct{ ID, Role string }
		State  string
	}
	do(t, req, &ev)
	if len(ev.Events) != 1 || ev.Events[0].ID != "m1" || ev.State != "pending" {
		t.Errorf("events through lotse serve = %+v, want the visitor's m1 in state pending", ev)
	}
}
