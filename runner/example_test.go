package runner_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/lotse-chat/lotse/runner"
	"github.com/lotse-chat/lotse/runner/embedded"
)

// A Runner on the module built into lotse ("make wasm").
func ExampleNew() {
	module, err := embedded.Module()
	if err != nil {
		log.Fatal(err)
	}
	model, err := os.ReadFile("demo.lotse")
	if err != nil {
		log.Fatal(err)
	}
	r, err := runner.New(context.Background(), module, model, runner.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	reply, err := r.Reply("wann muss ich zahlen?")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Action, reply.Intent, reply.Confidence)
}
