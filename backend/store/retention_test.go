package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/handoff"
)

// TestPurgeResolved deletes the resolved conversations older than the
// cutoff with their messages, in batches of one (so the batching loop
// runs), and keeps everything else: newer resolved ones, old ones in any
// other state, their messages and the console's sessions.
func TestPurgeResolved(t *testing.T) {
	emptyStores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		cutoff, later := t0.Add(time.Hour), t0.Add(2*time.Hour)
		accept := func(id string, n int) {
			t.Helper()
			h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope"}
			for i := range n {
				h.Messages = append(h.Messages, msg(id+"-"+string(rune('a'+i)), "visitor", "text"))
			}
			if _, err := s.Accept(ctx, h, t0); err != nil {
				t.Fatal(err)
			}
		}
		accept("old-resolved-1", 2)
		accept("old-resolved-2", 1)
		accept("new-resolved", 1)
		accept("old-pending", 3)
		accept("old-open", 1)
		for id, at := range map[string]time.Time{"old-resolved-1": t0, "old-resolved-2": t0, "new-resolved": later} {
			if _, err := s.Resolve(ctx, id, at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Assign(ctx, "old-open", "alice", false, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, "key", "alice", later.Add(time.Hour), later); err != nil {
			t.Fatal(err)
		}

		if got, err := s.CountOld(ctx, cutoff); err != nil || got != (OldCount{Conversations: 2, Messages: 3, Kept: 2}) {
			t.Errorf("CountOld = %+v, %v; want 2 conversations, 3 messages, 2 kept", got, err)
		}
		convs, msgs, err := s.PurgeResolved(ctx, cutoff, 1)
		if err != nil || convs != 2 || msgs != 3 {
			t.Errorf("PurgeResolved = %d, %d, %v; want 2, 3, nil", convs, msgs, err)
		}
		for _, id := range []string{"old-resolved-1", "old-resolved-2"} {
			if _, err := s.Conversation(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s after purge: err %v, want ErrNotFound", id, err)
			}
			if ms, err := s.Messages(ctx, id, 0, 10); err != nil || len(ms) != 0 {
				t.Errorf("%s's messages after purge: %d, %v; want none", id, len(ms), err)
			}
		}
		for id, n := range map[string]int{"new-resolved": 1, "old-pending": 3, "old-open": 1} {
			if ms, err := s.Messages(ctx, id, 0, 10); err != nil || len(ms) != n {
				t.Errorf("%s kept %d messages (%v), want %d", id, len(ms), err, n)
			}
		}
		if agent, err := s.SessionAgent(ctx, "key", later); err != nil || agent != "alice" {
			t.Errorf("session after purge: %q, %v; want alice", agent, err)
		}
		if got, err := s.CountOld(ctx, cutoff); err != nil || got != (OldCount{Kept: 2}) {
			t.Errorf("CountOld after purge = %+v, %v; want only 2 kept", got, err)
		}
		if convs, msgs, err := s.PurgeResolved(ctx, cutoff, 500); err != nil || convs != 0 || msgs != 0 {
			t.Errorf("second PurgeResolved = %d, %d, %v; want 0, 0, nil", convs, msgs, err)
		}
		// A visitor of a purged conversation who writes again starts it afresh.
		if ack, err := s.Accept(ctx, handoff.Handoff{ConversationID: "old-resolved-1", Bot: "demo", Reason: "out_of_scope",
			Messages: []handoff.Message{msg("again", "visitor", "hello again")}}, later); err != nil || ack.LastSeq != 1 {
			t.Errorf("handoff into a purged conversation: %+v, %v; want last_seq 1", ack, err)
		}
		if _, _, err := s.PurgeResolved(ctx, cutoff, 0); err == nil {
			t.Error("PurgeResolved with batch 0 succeeded")
		}
	})
}

func TestReopen(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, "a")
		if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
			Messages: []handoff.Message{msg("m1", "visitor", "hello")}}, t0); err != nil {
			t.Fatal(err)
		}
		var se *StateError
		if _, err := s.Reopen(ctx, id, "bob", t0); !errors.As(err, &se) || se.State != StatePending {
			t.Errorf("Reopen of a pending conversation: err %v, want a StateError of pending", err)
		}
		if _, err := s.Resolve(ctx, id, t0); err != nil {
			t.Fatal(err)
		}
		t1 := t0.Add(time.Hour)
		c, err := s.Reopen(ctx, id, "bob", t1)
		if err != nil || c.State != StateOpen || c.Assignee != "bob" || c.Updated != t1.UnixMilli() {
			t.Errorf("Reopen = %+v, %v; want open, bob, updated %d", c, err, t1.UnixMilli())
		}
		if got, _ := s.Conversation(ctx, id); got != c {
			t.Errorf("stored %+v, Reopen returned %+v", got, c)
		}
		// Twice (a double click): the second says why it did nothing.
		if _, err := s.Reopen(ctx, id, "bob", t1); !errors.As(err, &se) || se.State != StateOpen ||
			err.Error() != "store: conversation is open, not resolved" {
			t.Errorf("second Reopen: err %v, want a StateError of open", err)
		}
		if _, seq, err := s.Post(ctx, id, "bob", msg("a1", "agent", "following up"), t1); err != nil || seq != 2 {
			t.Errorf("reply after Reopen: seq %d, err %v; want 2, nil", seq, err)
		}
		if _, err := s.Reopen(ctx, conv(t, "missing"), "bob", t1); !errors.Is(err, ErrNotFound) {
			t.Errorf("Reopen of a missing conversation: err %v, want ErrNotFound", err)
		}
	})
}

// TestSchemaFound checks that a store reports the schema version it
// found: 0 for a new database, 3 for one of version 3 it migrated, and
// SchemaVersion once nothing was left to migrate.
func TestSchemaFound(t *testing.T) {
	tests := []struct {
		name  string
		open  func(t *testing.T) (driver, dsn string)
		store func(dsn string) (Store, error)
		d     dialect
	}{
		{"sqlite", func(t *testing.T) (string, string) {
			return "sqlite", filepath.Join(t.TempDir(), "lotse.db")
		}, OpenSQLite, sqliteDialect},
		{"postgres", emptyPostgresDSN, func(dsn string) (Store, error) { return OpenPostgres(context.Background(), dsn) }, postgresDialect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			driver, dsn := tt.open(t)
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for v := 1; v <= 3; v++ { // what a lotse of schema 3 left
				if _, err := migrateTo(context.Background(), db, tt.d, v); err != nil {
					t.Fatal(err)
				}
			}
			for _, want := range []int{3, SchemaVersion} {
				s, err := tt.store(dsn)
				if err != nil {
					t.Fatal(err)
				}
				if got := s.SchemaFound(); got != want {
					t.Errorf("SchemaFound = %d, want %d", got, want)
				}
				s.Close()
			}
		})
	}
	s, err := OpenSQLite(filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.SchemaFound(); got != 0 {
		t.Errorf("SchemaFound of a new database = %d, want 0", got)
	}
}

// TestPurgeOverwritesSQLite checks that a purged message's text is gone
// from the SQLite file, not merely unlinked into a free page.
func TestPurgeOverwritesSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lotse.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const secret = "my IBAN is DE89370400440532013000, please refund"
	if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: "c", Bot: "demo", Reason: "personal_data",
		Messages: []handoff.Message{msg("m1", "visitor", secret)}}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, "c", t0); err != nil {
		t.Fatal(err)
	}
	if n, _, err := s.PurgeResolved(ctx, t0.Add(time.Hour), 10); err != nil || n != 1 {
		t.Fatalf("PurgeResolved = %d, %v; want 1", n, err)
	}
	// While the backend still runs (the store open), and after it stops.
	for _, when := range []string{"open", "closed"} {
		if when == "closed" {
			s.Close()
		}
		for _, f := range []string{path, path + "-wal"} {
			data, err := os.ReadFile(f)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte("DE89370400440532013000")) {
				t.Errorf("store %s: %s still holds the purged text", when, filepath.Base(f))
			}
		}
	}
}
