package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/internal/pgtest"
)

// stores runs test against every database this machine offers: SQLite
// always, PostgreSQL when LOTSE_TEST_POSTGRES_DSN names a server (CI starts
// one with scripts/backend/postgres.sh).
func stores(t *testing.T, test func(t *testing.T, s Store)) {
	storesWith(t, openTestPostgres, test)
}

// storesWith runs test on a new SQLite file and on the PostgreSQL store
// that openPostgres opens.
func storesWith(t *testing.T, openPostgres func(t *testing.T) Store, test func(t *testing.T, s Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := OpenSQLite(filepath.Join(t.TempDir(), "lotse.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		test(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		test(t, openPostgres(t))
	})
}

var t0 = time.Unix(1_800_000_000, 0)

// conv returns a conversation ID unique to the test, so that PostgreSQL
// tests sharing one database do not see each other's rows.
func conv(t *testing.T, name string) string {
	return fmt.Sprintf("%s-%d-%s", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano(), name)
}

func msg(id, role, text string) handoff.Message {
	return handoff.Message{ID: id, Role: role, Text: text, TS: t0.UnixMilli()}
}

func TestAcceptCreatesPendingConversation(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, "a")
		h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope", Intent: "weather", Lang: "en",
			Messages: []handoff.Message{msg("m1", "visitor", "hello"), msg("m2", "bot", "hi"), msg("m3", "visitor", "what is the weather")}}
		ack, err := s.Accept(ctx, h, t0)
		if err != nil {
			t.Fatal(err)
		}
		if want := (handoff.Ack{ConversationID: id, Stored: 3, LastSeq: 3}); ack != want {
			t.Errorf("Accept = %+v, want %+v", ack, want)
		}
		c, err := s.Conversation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := Conversation{ID: id, Bot: "demo", State: StatePending, Reason: "out_of_scope", Intent: "weather", Lang: "en",
			Created: t0.UnixMilli(), Updated: t0.UnixMilli(), PendingSince: t0.UnixMilli(), LastSeq: 3}
		if c != want {
			t.Errorf("Conversation = %+v\nwant %+v", c, want)
		}
		ms, err := s.Messages(ctx, id, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].Seq != 2 || ms[0].ID != "m2" || ms[1].Text != "what is the weather" {
			t.Errorf("Messages after 1 = %+v", ms)
		}
	})
}

func TestAcceptIsIdempotent(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, "a")
		h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
			Messages: []handoff.Message{msg("m1", "visitor", "one")}}
		for i := range 3 {
			ack, err := s.Accept(ctx, h, t0)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[i == 0]; ack.Stored != want || ack.LastSeq != 1 {
				t.Errorf("attempt %d: Accept = %+v, want stored %d, last_seq 1", i, ack, want)
			}
		}
		// A later handoff repeating m1 and adding m2 stores only m2.
		h.Messages = append(h.Messages, msg("m2", "visitor", "two"))
		ack, err := s.Accept(ctx, h, t0)
		if err != nil {
			t.Fatal(err)
		}
		if ack.Stored != 1 || ack.LastSeq != 2 {
			t.Errorf("Accept with one new message = %+v", ack)
		}
		ms, _ := s.Messages(ctx, id, 0, 10)
		if len(ms) != 2 {
			t.Errorf("stored %d messages, want 2: %+v", len(ms), ms)
		}
	})
}

func TestStateTransitions(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, "a")
		if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "personal_data",
			Messages: []handoff.Message{msg("m1", "visitor", "my IBAN is ...")}}, t0); err != nil {
			t.Fatal(err)
		}
		c, seq, err := s.Post(ctx, id, "alice", msg("a1", "agent", "I can help"), t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if c.State != StateOpen || c.Assignee != "alice" || seq != 2 || c.LastSeq != 2 {
			t.Errorf("after reply: %+v seq %d, want open, alice, seq 2", c, seq)
		}
		// A retried reply is not stored twice and keeps its number.
		if _, seq, err := s.Post(ctx, id, "alice", msg("a1", "agent", "I can help"), t0); err != nil || seq != 2 {
			t.Errorf("retried reply: seq %d, err %v; want 2, nil", seq, err)
		}
		if c, err = s.Assign(ctx, id, "bob", true, t0); err != nil || c.Assignee != "bob" || c.State != StateOpen {
			t.Errorf("Assign = %+v, %v", c, err)
		}
		if c, err = s.Resolve(ctx, id, t0); err != nil || c.State != StateResolved {
			t.Errorf("Resolve = %+v, %v", c, err)
		}
		if _, _, err := s.Post(ctx, id, "bob", msg("a2", "agent", "late"), t0); !errors.Is(err, ErrResolved) {
			t.Errorf("reply to resolved: err %v, want ErrResolved", err)
		}
		if _, err := s.Assign(ctx, id, "bob", true, t0); !errors.Is(err, ErrResolved) {
			t.Errorf("assign resolved: err %v, want ErrResolved", err)
		}
		// Retrying the first handoff stores nothing and leaves it resolved.
		if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "personal_data",
			Messages: []handoff.Message{msg("m1", "visitor", "my IBAN is ...")}}, t0); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Conversation(ctx, id); c.State != StateResolved {
			t.Errorf("retried handoff changed state to %s", c.State)
		}
		// The visitor writing again reopens it for the queue.
		later := t0.Add(time.Hour)
		if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
			Messages: []handoff.Message{msg("m9", "visitor", "one more thing")}}, later); err != nil {
			t.Fatal(err)
		}
		c, _ = s.Conversation(ctx, id)
		if c.State != StatePending || c.Assignee != "" || c.Reason != "out_of_scope" || c.PendingSince != later.UnixMilli() {
			t.Errorf("after new visitor message: %+v", c)
		}
	})
}

func TestNotFound(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, "missing")
		if _, err := s.Conversation(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Conversation: %v, want ErrNotFound", err)
		}
		if _, _, err := s.Post(ctx, id, "a", msg("x", "agent", "x"), t0); !errors.Is(err, ErrNotFound) {
			t.Errorf("Post: %v, want ErrNotFound", err)
		}
		if _, err := s.Resolve(ctx, id, t0); !errors.Is(err, ErrNotFound) {
			t.Errorf("Resolve: %v, want ErrNotFound", err)
		}
	})
}

func TestSessions(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		anna, old := conv(t, "anna"), conv(t, "old")
		if err := s.CreateSession(ctx, old, "Old", t0.Add(time.Minute), t0); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, anna, "Anna", t0.Add(time.Hour), t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			key   string
			at    time.Time
			agent string
			err   error
		}{
			{anna, t0.Add(time.Minute), "Anna", nil},
			{anna, t0.Add(time.Hour - time.Millisecond), "Anna", nil},
			{anna, t0.Add(time.Hour), "", ErrNoSession},
			{old, t0, "", ErrNoSession}, // swept when Anna signed in after it expired
			{conv(t, "unknown"), t0, "", ErrNoSession},
		} {
			agent, err := s.SessionAgent(ctx, tc.key, tc.at)
			if agent != tc.agent || !errors.Is(err, tc.err) {
				t.Errorf("SessionAgent(%s, %v) = %q, %v; want %q, %v", tc.key, tc.at, agent, err, tc.agent, tc.err)
			}
		}
		for range 2 { // deleting twice is not an error
			if err := s.DeleteSession(ctx, anna); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SessionAgent(ctx, anna, t0); !errors.Is(err, ErrNoSession) {
			t.Errorf("after DeleteSession: %v, want ErrNoSession", err)
		}
	})
}

// TestTextVerbatim stores SQL metacharacters, markup and odd Unicode and
// expects every byte back.
func TestTextVerbatim(t *testing.T) {
	texts := []string{
		`'; DROP TABLE messages; --`,
		`Robert'); DELETE FROM conversations WHERE ('1'='1`,
		`$1 $2 ? ?1 :name @x %s \x00 \\`,
		`<script>alert(1)</script><img src=x onerror=alert(2)>`,
		"Grüße 👋 \u202e rtl",
		strings.Repeat("long ", 2000),
	}
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, `o'brien";--`)
		var ms []handoff.Message
		for i, text := range texts {
			ms = append(ms, msg(fmt.Sprintf("m%d'\"", i), "visitor", text))
		}
		if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: id, Bot: "b'", Reason: "out_of_scope", Messages: ms}, t0); err != nil {
			t.Fatal(err)
		}
		got, err := s.Messages(ctx, id, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(texts) {
			t.Fatalf("stored %d messages, want %d", len(got), len(texts))
		}
		for i, m := range got {
			if want := strings.ToValidUTF8(texts[i], ""); m.Text != texts[i] && m.Text != want {
				t.Errorf("message %d: got %q, want %q", i, m.Text, texts[i])
			}
		}
	})
}

func TestListAndQuestions(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		reason := conv(t, "reason") // unique reason keeps shared databases apart
		var ids []string
		for i := range 3 {
			id := conv(t, fmt.Sprint(i))
			ids = append(ids, id)
			h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: reason, Messages: []handoff.Message{
				msg("v1", "visitor", "earlier question"), msg("b1", "bot", "answer"), msg("v2", "visitor", fmt.Sprintf("question %d", i))}}
			if _, err := s.Accept(ctx, h, t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		// A follow-up in an already pending conversation is not a new question.
		if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: ids[0], Bot: "demo", Reason: reason,
			Messages: []handoff.Message{msg("v3", "visitor", "follow-up")}}, t0); err != nil {
			t.Fatal(err)
		}
		qs, err := s.Questions(ctx, reason, 10)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(qs, "|") != "question 0|question 1|question 2" && len(qs) != 3 {
			t.Errorf("Questions = %q", qs)
		}
		for _, q := range qs {
			if !strings.HasPrefix(q, "question ") {
				t.Errorf("Questions holds %q, want only the handoff questions", q)
			}
		}
		if _, err := s.Resolve(ctx, ids[1], t0); err != nil {
			t.Fatal(err)
		}
		pending, err := s.List(ctx, StatePending, Cursor{}, 1<<20) // all: other tests share the database
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.Count(ctx, StatePending, Cursor{}); err != nil || n != len(pending) {
			t.Errorf("Count(pending) = %d, %v; want %d, as List lists", n, err, len(pending))
		}
		var mine []string
		for _, c := range pending {
			if strings.HasPrefix(c.ID, conv(t, "")[:len(t.Name())]) && c.Reason == reason {
				mine = append(mine, c.ID)
			}
		}
		if len(mine) != 2 || mine[0] != ids[0] || mine[1] != ids[2] {
			t.Errorf("pending = %q, want %q (oldest first)", mine, []string{ids[0], ids[2]})
		}
		// The newest visitor message of each, the follow-up included; an
		// agent's reply after it does not count, nor an unknown id.
		if _, _, err := s.Post(ctx, ids[2], "ann", msg("a1", "agent", "agent reply"), t0); err != nil {
			t.Fatal(err)
		}
		last, err := s.LastVisitorTexts(ctx, append(slices.Clone(ids), conv(t, "none")))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{ids[0]: "follow-up", ids[1]: "question 1", ids[2]: "question 2"}
		if !maps.Equal(last, want) {
			t.Errorf("LastVisitorTexts = %q, want %q", last, want)
		}
		if none, err := s.LastVisitorTexts(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("LastVisitorTexts(nil) = %v, %v", none, err)
		}
	})
}

// TestConcurrentAccept posts many handoffs at once, several into the same
// conversations, and checks that sequence numbers have no gaps or repeats.
func TestConcurrentAccept(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		const convs, perConv, workers = 4, 50, 8
		ids := make([]string, convs)
		for i := range ids {
			ids[i] = conv(t, fmt.Sprint(i))
		}
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range perConv * convs {
					// Every worker sends every message: each is stored once.
					id := ids[n%convs]
					h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
						Messages: []handoff.Message{msg(fmt.Sprint("m", n), "visitor", "x")}}
					if _, err := s.Accept(ctx, h, t0); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		total := 0
		for _, id := range ids {
			ms, err := s.Messages(ctx, id, 0, 10000)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range ms {
				if m.Seq != int64(i+1) {
					t.Fatalf("%s: message %d has seq %d", id, i, m.Seq)
				}
			}
			total += len(ms)
		}
		if total != perConv*convs {
			t.Errorf("stored %d messages, want %d", total, perConv*convs)
		}
	})
}

func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lotse.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: "c", Bot: "demo", Reason: "out_of_scope",
		Messages: []handoff.Message{msg("m1", "visitor", "x")}}, t0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = OpenSQLite(path); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if c, err := s.Conversation(ctx, "c"); err != nil || c.LastSeq != 1 {
		t.Errorf("after reopen: %+v, %v", c, err)
	}
}

func TestOpenSQLiteErrors(t *testing.T) {
	if _, err := OpenSQLite(""); err == nil {
		t.Error("OpenSQLite(\"\") succeeded")
	}
	if _, err := OpenSQLite(filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")); err == nil {
		t.Error("OpenSQLite in a missing directory succeeded")
	}
	bad := filepath.Join(t.TempDir(), "not.db")
	os.WriteFile(bad, []byte("this is not a database file, just text that is long enough............................................"), 0o600)
	if _, err := OpenSQLite(bad); err == nil {
		t.Error("OpenSQLite on a text file succeeded")
	}
}

// TestOpenSQLiteRefusesForeign checks that another program's SQLite
// database is refused and left byte for byte as it was.
func TestOpenSQLiteRefusesForeign(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY); CREATE TABLE customers (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenSQLite(path)
	if err == nil {
		s.Close()
	}
	if !errors.Is(err, ErrNotLotse) || !strings.Contains(err.Error(), "customers, invoices") {
		t.Errorf("OpenSQLite on another program's database: %v; want ErrNotLotse naming its tables", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the refused database changed")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("the refused database got a %s file", suffix)
		}
	}
}

// openTestPostgres opens the PostgreSQL database named by
// LOTSE_TEST_POSTGRES_DSN, or skips the test saying how to get one.
func openTestPostgres(t *testing.T) Store {
	t.Helper()
	dsn := os.Getenv("LOTSE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("LOTSE_TEST_POSTGRES_DSN is unset, so PostgreSQL is not tested; run eval \"$(scripts/backend/postgres.sh)\" first")
	}
	s, err := OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSQLiteFilesPrivate checks that the database and the -wal and -shm
// files SQLite makes next to it are readable by their owner only: they
// hold visitors' messages unredacted.
func TestSQLiteFilesPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lotse.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Accept(context.Background(), handoff.Handoff{ConversationID: "c", Bot: "demo", Reason: "out_of_scope",
		Messages: []handoff.Message{msg("m1", "visitor", "x")}}, t0); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Errorf("%v (WAL mode makes the file)", err)
			continue
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", filepath.Base(name), mode)
		}
	}
}

func TestOpenSQLiteMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no", "such")
	_, err := OpenSQLite(filepath.Join(dir, "x.db"))
	if err == nil || !strings.Contains(err.Error(), "directory "+dir+" does not exist") {
		t.Errorf("OpenSQLite in a missing directory: %v; want it to say the directory does not exist", err)
	}
}

func TestPing(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		if err := s.Ping(context.Background()); err != nil {
			t.Fatalf("Ping of an open store: %v", err)
		}
		s.Close()
		if err := s.Ping(context.Background()); err == nil {
			t.Error("Ping of a closed store succeeded")
		}
	})
}

func TestAssignElsewhere(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, "a")
		if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
			Messages: []handoff.Message{msg("m1", "visitor", "x")}}, t0); err != nil {
			t.Fatal(err)
		}
		if c, err := s.Assign(ctx, id, "Anna", false, t0); err != nil || c.Assignee != "Anna" {
			t.Fatalf("Assign unassigned = %+v, %v", c, err)
		}
		if c, err := s.Assign(ctx, id, "Anna", false, t0); err != nil || c.Assignee != "Anna" {
			t.Errorf("Assign to the assignee again = %+v, %v", c, err)
		}
		_, err := s.Assign(ctx, id, "Ben", false, t0)
		if e, ok := errors.AsType[*AssignedError](err); !ok || e.Assignee != "Anna" {
			t.Errorf("Assign of Anna's conversation to Ben: %v, want an AssignedError naming Anna", err)
		}
		if c, _ := s.Conversation(ctx, id); c.Assignee != "Anna" {
			t.Errorf("refused Assign changed the assignee to %q", c.Assignee)
		}
		if c, err := s.Assign(ctx, id, "Ben", true, t0); err != nil || c.Assignee != "Ben" {
			t.Errorf("forced Assign = %+v, %v; want Ben", c, err)
		}
	})
}

// TestUpdatedOnlyOnChange checks that what changes nothing (a replayed
// handoff, a retried reply, resolving twice) leaves updated alone: it
// orders the queue and shows as "resolved HH:MM".
func TestUpdatedOnlyOnChange(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		id := conv(t, "a")
		at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
		h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
			Messages: []handoff.Message{msg("m1", "visitor", "x")}}
		updated := func() int64 {
			t.Helper()
			c, err := s.Conversation(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.Updated
		}
		steps := []struct {
			name string
			do   func(time.Time) error
			want int // minute updated should show
		}{
			{"handoff", func(t time.Time) error { _, err := s.Accept(ctx, h, t); return err }, 0},
			{"replayed handoff", func(t time.Time) error { _, err := s.Accept(ctx, h, t); return err }, 0},
			{"reply", func(t time.Time) error { _, _, err := s.Post(ctx, id, "Anna", msg("a1", "agent", "hi"), t); return err }, 2},
			{"retried reply", func(t time.Time) error { _, _, err := s.Post(ctx, id, "Anna", msg("a1", "agent", "hi"), t); return err }, 2},
			{"assign to the assignee", func(t time.Time) error { _, err := s.Assign(ctx, id, "Anna", false, t); return err }, 2},
			{"resolve", func(t time.Time) error { _, err := s.Resolve(ctx, id, t); return err }, 5},
			{"resolve again", func(t time.Time) error { _, err := s.Resolve(ctx, id, t); return err }, 5},
			{"replayed handoff after resolve", func(t time.Time) error { _, err := s.Accept(ctx, h, t); return err }, 5},
		}
		for i, st := range steps {
			if err := st.do(at(i)); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if got := updated(); got != at(st.want).UnixMilli() {
				t.Errorf("after %s at minute %d: updated is minute %d, want %d", st.name, i, (got-t0.UnixMilli())/60000, st.want)
			}
		}
	})
}

// emptyStores runs test against every database this machine offers, each
// empty: SQLite in a new file, PostgreSQL in a new schema of the test
// database, dropped afterwards. Tests that look at whole lists use it;
// the shared database holds other tests' conversations.
func emptyStores(t *testing.T, test func(t *testing.T, s Store)) {
	storesWith(t, openEmptyPostgres, test)
}

// openEmptyPostgres opens a store on an empty schema (see
// pgtest.EmptySchema).
func openEmptyPostgres(t *testing.T) Store {
	t.Helper()
	s, err := OpenPostgres(context.Background(), pgtest.EmptySchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestListPages pages through the queue while it changes between pages:
// a conversation arrives, others are taken or resolved. Keyset paging
// must show every conversation still in the list exactly once, in order,
// where paging by offset would skip the one that moved up a place.
func TestListPages(t *testing.T) {
	emptyStores(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }
		handoffAt := func(id string, sec int) {
			t.Helper()
			if _, err := s.Accept(ctx, handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
				Messages: []handoff.Message{msg(id+"-m", "visitor", "hi")}}, at(sec)); err != nil {
				t.Fatal(err)
			}
		}
		do := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		// p5 and p6 wait equally long, r1 and r2 were resolved at the
		// same time: the ID orders them, also across a page boundary.
		for i, sec := range []int{0, 1, 2, 3, 4, 10, 10} {
			handoffAt(fmt.Sprintf("p%d", i), sec)
		}
		for i, sec := range []int{20, 21, 21, 22} {
			id := fmt.Sprintf("r%d", i)
			handoffAt(id, 0)
			_, err := s.Resolve(ctx, id, at(sec))
			do("resolve", err)
		}

		type page struct {
			ids  []string
			left int // Count after the page
		}
		tests := []struct {
			name    string
			state   State
			limit   int
			between map[int]func() // changes made after page i
			want    []page
		}{
			{name: "pending", state: StatePending, limit: 2,
				want: []page{{[]string{"p0", "p1"}, 5}, {[]string{"p2", "p3"}, 3}, {[]string{"p4", "p5"}, 1}, {[]string{"p6"}, 0}, {nil, 0}}},
			{name: "resolved, newest first", state: StateResolved, limit: 2,
				want: []page{{[]string{"r3", "r2"}, 2}, {[]string{"r1", "r0"}, 0}, {nil, 0}}},
			{name: "pending while it changes", state: StatePending, limit: 2,
				between: map[int]func(){0: func() {
					handoffAt("p7", 60)                                  // a new handoff: waits least, comes last
					_, err := s.Assign(ctx, "p1", "Anna", false, at(61)) // seen, leaves
					do("assign p1", err)
					_, err = s.Assign(ctx, "p3", "Anna", false, at(61)) // not seen yet, leaves
					do("assign p3", err)
				}},
				// By offset, page 1 would be p4 and p5: p2 moved up a place.
				want: []page{{[]string{"p0", "p1"}, 5}, {[]string{"p2", "p4"}, 3}, {[]string{"p5", "p6"}, 1}, {[]string{"p7"}, 0}, {nil, 0}}},
			{name: "resolved while it changes", state: StateResolved, limit: 3,
				between: map[int]func(){0: func() {
					_, err := s.Resolve(ctx, "p0", at(70)) // newest: before the cursor
					do("resolve p0", err)
				}},
				want: []page{{[]string{"r3", "r2", "r1"}, 1}, {[]string{"r0"}, 0}, {nil, 0}}},
		}
		for _, tt := range tests {
			var after Cursor
			for i, want := range tt.want {
				cs, err := s.List(ctx, tt.state, after, tt.limit)
				do("List", err)
				var ids []string
				for _, c := range cs {
					ids = append(ids, c.ID)
				}
				if len(cs) > 0 {
					after = CursorAfter(tt.state, cs[len(cs)-1])
				}
				left, err := s.Count(ctx, tt.state, after)
				do("Count", err)
				if !slices.Equal(ids, want.ids) || left != want.left {
					t.Errorf("%s: page %d = %q with %d after it; want %q with %d", tt.name, i, ids, left, want.ids, want.left)
				}
				if f := tt.between[i]; f != nil {
					f()
				}
			}
		}
		if n, err := s.Count(ctx, StatePending, Cursor{}); err != nil || n != 5 {
			t.Errorf("Count(pending) = %d, %v; want 5 (p2, p4, p5, p6, p7)", n, err)
		}
	})
}

func TestOpenSQLiteDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := OpenSQLite(dir)
	want := "SQLite database " + dir + " is a directory; give a file, such as " + filepath.Join(dir, "lotse.db")
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("OpenSQLite(a directory) = %v; want an error containing %q", err, want)
	}
}
