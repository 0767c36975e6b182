package backend_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/lotse-chat/lotse/backend"
	"github.com/lotse-chat/lotse/handoff"
)

// A process that runs the edge and the backend together hands off in
// process, without HTTP or signatures, and mounts the backend's routes in
// its own mux.
func ExampleServer_Accept() {
	dir, _ := os.MkdirTemp("", "lotse")
	defer os.RemoveAll(dir)
	srv, err := backend.New(backend.Config{
		SQLitePath: filepath.Join(dir, "lotse.db"),
		Secret:     "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		AgentToken: "correct-horse-battery",
		Logger:     slog.New(slog.DiscardHandler),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	mux := http.NewServeMux()
	mux.Handle("/v1/inbox", srv.Handler())
	mux.Handle("/v1/conversations/", srv.Handler())
	mux.Handle("/console", srv.Handler())
	mux.Handle("/console/", srv.Handler())

	ack, err := srv.Accept(context.Background(), handoff.Handoff{
		ConversationID: "3f2a9c0d8e7b6a5f4e3d2c1b0a998877",
		Bot:            "demo",
		Reason:         "out_of_scope",
		Messages:       []handoff.Message{{ID: "m1", Role: handoff.RoleVisitor, Text: "Can I pay in instalments?"}},
	})
	fmt.Println(ack.Stored, ack.LastSeq, err)
	// Output: 1 1 <nil>
}
