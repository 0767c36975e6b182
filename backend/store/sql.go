package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/lotse-chat/lotse/handoff"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// ErrClosed is returned by a write attempted after Close.
var ErrClosed = errors.New("store: closed")

// dialect holds what differs between SQLite and PostgreSQL. The queries
// themselves are shared: both accept $N placeholders, ON CONFLICT and
// partial indexes.
type dialect struct {
	name string
	// forUpdate locks the selected conversation row until commit. SQLite
	// needs no row lock: it has one writer at a time.
	forUpdate string
	// lockMigrations serializes migrations of several processes sharing
	// one database; SQLite's BEGIN IMMEDIATE does that already.
	lockMigrations string
}

var (
	sqliteDialect   = dialect{name: "sqlite"}
	postgresDialect = dialect{name: "postgres", forUpdate: " FOR UPDATE", lockMigrations: "SELECT pg_advisory_xact_lock(7072617)"}
)

// sqlStore implements Store over database/sql.
type sqlStore struct {
	d dialect
	w *sql.DB // writes
	r *sql.DB // reads; the same as w for PostgreSQL

	// SQLite only: writes queue here and one goroutine commits them in
	// groups (group commit), because SQLite has a single writer and each
	// commit costs an fsync.
	queue   chan *writeReq
	quit    chan struct{}
	stopped chan struct{}
	once    sync.Once

	// found is the schema version the database had when opened.
	found int
}

type writeReq struct {
	fn   func(tx *sql.Tx) error
	done chan error
}

// maxBatch bounds how many writes share one SQLite transaction.
const maxBatch = 128

// OpenSQLite opens (creating if needed) the SQLite database file at path
// and brings its schema up to date.
//
// The database runs in WAL mode with synchronous=FULL: every commit is
// fsynced before the write returns. synchronous=NORMAL would already keep
// acknowledged data across a killed process (the WAL is written before
// commit returns; only the fsync is deferred), but not across a power cut
// or kernel panic, and the backend promises that nothing acknowledged is
// lost. Group commit pays for the fsync: concurrent writes share one.
func OpenSQLite(path string) (Store, error) {
	if path == "" {
		return nil, errors.New("store: empty SQLite path; give a file name such as lotse.db")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	if err := refuseForeign(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	// secure_delete overwrites what a delete frees with zeros: a purged
	// transcript (PurgeResolved) must not stay readable in the file's free
	// pages until SQLite happens to reuse them.
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)", "secure_delete(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	// One writer connection: SQLite allows one writer at a time anyway, and
	// a single connection keeps the group commit's ordering simple.
	w.SetMaxOpenConns(1)
	q.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	s := &sqlStore{d: sqliteDialect, w: w, r: r,
		queue: make(chan *writeReq, 4*maxBatch), quit: make(chan struct{}), stopped: make(chan struct{})}
	found, err := migrate(context.Background(), w, s.d)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: SQLite %s: %w", path, err)
	}
	s.found = found
	go s.commitLoop()
	return s, nil
}

// ErrNotLotse is what opening an SQLite file fails with (wrapped) when it
// is some other program's database: tables, but no Lotse schema.
var ErrNotLotse = errors.New("not a Lotse database")

// refuseForeign refuses the SQLite database at path if it holds tables
// but none of Lotse's: a mistyped --db would otherwise get Lotse's tables
// added and be switched to WAL mode. It reads only, so a refused file is
// left as it was.
func refuseForeign(path string) error {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return fmt.Errorf("store: SQLite %s: %w", path, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("store: SQLite %s: %w", path, err)
		}
		if name == "schema_migrations" {
			return nil
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: SQLite %s: %w", path, err)
	}
	if len(names) > 0 {
		return fmt.Errorf("store: SQLite %s is %w: it holds the tables %s and no schema_migrations; "+
			"give the file lotse backend writes, or a new file name", path, ErrNotLotse, strings.Join(names, ", "))
	}
	return nil
}

// createPrivate creates the database file at path readable by its owner
// only, unless it exists: it holds visitors' messages unredacted. SQLite
// gives the -wal and -shm files it creates next to it the same mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		return f.Close()
	case errors.Is(err, fs.ErrExist):
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			// Else SQLite's own words: "unable to open database file (14)".
			return fmt.Errorf("store: SQLite database %s is a directory; give a file, such as %s",
				path, filepath.Join(path, "lotse.db"))
		}
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: cannot create SQLite database %s: directory %s does not exist; create it or choose a path in an existing directory",
			path, filepath.Dir(path))
	}
	return fmt.Errorf("store: cannot create SQLite database %s: %w", path, err)
}

// OpenPostgres connects to the PostgreSQL database at dsn (a URL such as
// postgres://user@host:5432/db or key=value pairs) and brings its schema up
// to date. Several backend processes may share one database.
func OpenPostgres(ctx context.Context, dsn string) (Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: PostgreSQL DSN: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: cannot reach PostgreSQL (check the DSN and that the server runs): %w", err)
	}
	found, err := migrate(ctx, db, postgresDialect)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: PostgreSQL: %w", err)
	}
	return &sqlStore{d: postgresDialect, w: db, r: db, found: found}, nil
}

// Close stops the group committer and closes the database.
func (s *sqlStore) Close() error {
	s.once.Do(func() {
		if s.quit != nil {
			close(s.quit)
			<-s.stopped
		}
	})
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Ping implements Store. For SQLite it reads from the file through a
// reading connection, so that a deleted or unreadable file shows.
func (s *sqlStore) Ping(ctx context.Context) error {
	var n int
	return s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n)
}

// write runs fn in a transaction and returns once it committed. On
// PostgreSQL each call is its own transaction; on SQLite calls queue for the
// group committer.
func (s *sqlStore) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.queue == nil {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	r := &writeReq{fn: fn, done: make(chan error, 1)}
	select {
	case s.queue <- r:
	case <-s.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-s.stopped:
		select {
		case err := <-r.done:
			return err
		default:
			return ErrClosed
		}
	case <-ctx.Done():
		// The write may still commit; the caller treats it as not
		// acknowledged and its retry is deduplicated.
		return ctx.Err()
	}
}

// commitLoop takes queued writes and commits them in groups. Each write runs
// inside a savepoint, so one failing write rolls back alone; if the commit
// fails, every write of the group fails and none is acknowledged.
func (s *sqlStore) commitLoop() {
	defer close(s.stopped)
	batch := make([]*writeReq, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case r := <-s.queue:
			batch = append(batch, r)
		case <-s.quit:
			return
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-s.queue:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commitBatch(batch)
	}
}

func (s *sqlStore) commitBatch(batch []*writeReq) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	tx, err := s.w.BeginTx(ctx, nil)
	if err == nil {
		for i, r := range batch {
			errs[i] = savepoint(ctx, tx, r.fn)
		}
		err = tx.Commit()
	}
	for i, r := range batch {
		if err != nil {
			r.done <- fmt.Errorf("store: commit: %w", err)
			continue
		}
		r.done <- errs[i]
	}
}

func savepoint(ctx context.Context, tx *sql.Tx, fn func(*sql.Tx) error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO w"); rerr != nil {
			return errors.Join(err, rerr)
		}
		tx.ExecContext(ctx, "RELEASE w")
		return err
	}
	_, err := tx.ExecContext(ctx, "RELEASE w")
	return err
}

const convColumns = "id, bot, state, reason, intent, lang, assignee, created, updated, pending_since, last_seq"

type scanner interface{ Scan(dest ...any) error }

func scanConv(row scanner) (Conversation, error) {
	var c Conversation
	err := row.Scan(&c.ID, &c.Bot, &c.State, &c.Reason, &c.Intent, &c.Lang, &c.Assignee,
		&c.Created, &c.Updated, &c.PendingSince, &c.LastSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// lockConv reads a conversation inside a write transaction, locking its row
// on PostgreSQL so that sequence numbers are handed out one at a time.
func (s *sqlStore) lockConv(tx *sql.Tx, id string) (Conversation, error) {
	return scanConv(tx.QueryRow("SELECT "+convColumns+" FROM conversations WHERE id = $1"+s.d.forUpdate, id))
}

const insertMessage = `INSERT INTO messages (conversation_id, seq, id, role, text, ts, handoff_reason)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (conversation_id, id) DO NOTHING`

// Accept implements Store.
func (s *sqlStore) Accept(ctx context.Context, h handoff.Handoff, now time.Time) (handoff.Ack, error) {
	var ack handoff.Ack
	err := s.write(ctx, func(tx *sql.Tx) error {
		ack = handoff.Ack{ConversationID: h.ConversationID}
		t := millis(now)
		if _, err := tx.Exec(`INSERT INTO conversations (`+convColumns+`)
			VALUES ($1, $2, 'bot', '', '', '', '', $3, $3, 0, 0) ON CONFLICT (id) DO NOTHING`,
			h.ConversationID, h.Bot, t); err != nil {
			return err
		}
		c, err := s.lockConv(tx, h.ConversationID)
		if err != nil {
			return err
		}
		// The question that caused the handoff is the newest visitor
		// message; it feeds the unanswered-questions report.
		question := -1
		if c.State == StateBot || c.State == StateResolved {
			for i := len(h.Messages) - 1; i >= 0; i-- {
				if h.Messages[i].Role == handoff.RoleVisitor {
					question = i
					break
				}
			}
		}
		last := c.LastSeq
		for i, m := range h.Messages {
			reason := ""
			if i == question {
				reason = h.Reason
			}
			res, err := tx.Exec(insertMessage, h.ConversationID, last+1, m.ID, m.Role, m.Text, m.TS, reason)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 1 {
				last++
				ack.Stored++
			}
		}
		ack.LastSeq = last
		// A retried handoff stores nothing and changes nothing: it must
		// not reopen a conversation an agent resolved meanwhile, nor move
		// it in the queue, which is ordered by updated.
		switch {
		case c.State == StateBot || (c.State == StateResolved && ack.Stored > 0):
			_, err = tx.Exec(`UPDATE conversations SET state = 'pending', reason = $2, intent = $3, lang = $4,
				assignee = '', pending_since = $5, updated = $5, last_seq = $6 WHERE id = $1`,
				h.ConversationID, h.Reason, h.Intent, h.Lang, t, last)
		case ack.Stored > 0:
			_, err = tx.Exec(`UPDATE conversations SET updated = $2, last_seq = $3 WHERE id = $1`,
				h.ConversationID, t, last)
		}
		return err
	})
	if err != nil {
		return handoff.Ack{}, err
	}
	return ack, nil
}

// Post implements Store.
func (s *sqlStore) Post(ctx context.Context, id, agent string, m handoff.Message, now time.Time) (Conversation, int64, error) {
	var (
		c   Conversation
		seq int64
	)
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = s.lockConv(tx, id); err != nil {
			return err
		}
		if c.State == StateResolved {
			return ErrResolved
		}
		res, err := tx.Exec(insertMessage, id, c.LastSeq+1, m.ID, m.Role, m.Text, m.TS, "")
		if err != nil {
			return err
		}
		stored := false
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			c.LastSeq++
			seq, stored = c.LastSeq, true
		} else if err := tx.QueryRow("SELECT seq FROM messages WHERE conversation_id = $1 AND id = $2", id, m.ID).Scan(&seq); err != nil {
			return err
		}
		if !stored && c.State == StateOpen && c.Assignee != "" {
			return nil // a retried reply changes nothing
		}
		if c.Assignee == "" {
			c.Assignee = agent
		}
		c.State, c.Updated = StateOpen, millis(now)
		_, err = tx.Exec("UPDATE conversations SET state = $2, assignee = $3, updated = $4, last_seq = $5 WHERE id = $1",
			id, c.State, c.Assignee, c.Updated, c.LastSeq)
		return err
	})
	if err != nil {
		return Conversation{}, 0, err
	}
	return c, seq, nil
}

// Assign implements Store.
func (s *sqlStore) Assign(ctx context.Context, id, agent string, force bool, now time.Time) (Conversation, error) {
	return s.setState(ctx, id, func(c *Conversation) error {
		if c.State == StateResolved {
			return ErrResolved
		}
		if c.Assignee != "" && c.Assignee != agent && !force {
			return &AssignedError{Assignee: c.Assignee}
		}
		c.State, c.Assignee = StateOpen, agent
		return nil
	}, now)
}

// Resolve implements Store.
func (s *sqlStore) Resolve(ctx context.Context, id string, now time.Time) (Conversation, error) {
	return s.setState(ctx, id, func(c *Conversation) error {
		c.State = StateResolved
		return nil
	}, now)
}

func (s *sqlStore) setState(ctx context.Context, id string, change func(*Conversation) error, now time.Time) (Conversation, error) {
	var c Conversation
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = s.lockConv(tx, id); err != nil {
			return err
		}
		before := c
		if err := change(&c); err != nil {
			return err
		}
		if c == before {
			return nil // nothing changed: keep updated, which orders the queue
		}
		c.Updated = millis(now)
		_, err = tx.Exec("UPDATE conversations SET state = $2, assignee = $3, updated = $4 WHERE id = $1",
			id, c.State, c.Assignee, c.Updated)
		return err
	})
	if err != nil {
		return Conversation{}, err
	}
	return c, nil
}

// Reopen implements Store.
func (s *sqlStore) Reopen(ctx context.Context, id, agent string, now time.Time) (Conversation, error) {
	return s.setState(ctx, id, func(c *Conversation) error {
		if c.State != StateResolved {
			return &StateError{State: c.State}
		}
		c.State, c.Assignee = StateOpen, agent
		return nil
	}, now)
}

// PurgeResolved implements Store.
func (s *sqlStore) PurgeResolved(ctx context.Context, before time.Time, batch int) (convs, msgs int, err error) {
	if batch < 1 {
		return 0, 0, fmt.Errorf("store: purge batch %d; give 1 or more", batch)
	}
	for {
		var n, m int
		err := s.write(ctx, func(tx *sql.Tx) error {
			var err error
			n, m, err = s.purgeBatch(ctx, tx, millis(before), batch)
			return err
		})
		if err != nil {
			return convs, msgs, fmt.Errorf("store: purge: %w", err)
		}
		convs, msgs = convs+n, msgs+m
		if n < batch {
			return convs, msgs, s.checkpoint(ctx)
		}
	}
}

// checkpoint copies SQLite's write-ahead log into the database file and
// empties it. secure_delete zeroes what a purge frees in the database
// file, but the log keeps the pages as they were before until it wraps
// around: a purged IBAN stayed readable in lotse.db-wal, the file that
// file-level backups copy too. PostgreSQL has no such file to clear.
func (s *sqlStore) checkpoint(ctx context.Context) error {
	if s.d.name != sqliteDialect.name {
		return nil
	}
	var busy, logged, done int
	if err := s.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done); err != nil {
		return fmt.Errorf("store: purge: checkpoint of the write-ahead log: %w", err)
	}
	if busy != 0 {
		return errors.New("store: purge: the write-ahead log could not be emptied while the backend reads it, so purged text may remain in its -wal file; run lotse purge again later")
	}
	return nil
}

// purgeBatch deletes up to batch resolved conversations last changed
// before cutoff (Unix ms), oldest first, and their messages. On PostgreSQL
// the rows are locked first: a visitor writing into one of them meanwhile
// (Accept) waits, and then finds it gone and starts it afresh, instead of
// adding messages to a conversation being deleted.
func (s *sqlStore) purgeBatch(ctx context.Context, tx *sql.Tx, cutoff int64, batch int) (convs, msgs int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM conversations WHERE state = 'resolved' AND updated < $1
		ORDER BY updated, id LIMIT $2`+s.d.forUpdate, cutoff, batch)
	if err != nil {
		return 0, 0, err
	}
	var ids []any
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, 0, err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return 0, 0, err
	}
	if len(ids) == 0 {
		return 0, 0, nil
	}
	marks := make([]string, len(ids))
	for i := range ids {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	in := "(" + strings.Join(marks, ", ") + ")"
	res, err := tx.ExecContext(ctx, "DELETE FROM messages WHERE conversation_id IN "+in, ids...)
	if err != nil {
		return 0, 0, err
	}
	m, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	if res, err = tx.ExecContext(ctx, "DELETE FROM conversations WHERE state = 'resolved' AND id IN "+in, ids...); err != nil {
		return 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	return int(n), int(m), nil
}

// CountOld implements Store.
func (s *sqlStore) CountOld(ctx context.Context, before time.Time) (OldCount, error) {
	var c OldCount
	cutoff := millis(before)
	err := s.r.QueryRowContext(ctx, `SELECT
		COUNT(*) FILTER (WHERE state = 'resolved'),
		COALESCE(SUM(last_seq) FILTER (WHERE state = 'resolved'), 0),
		COUNT(*) FILTER (WHERE state <> 'resolved')
		FROM conversations WHERE updated < $1`, cutoff).Scan(&c.Conversations, &c.Messages, &c.Kept)
	return c, err
}

// SchemaFound implements Store.
func (s *sqlStore) SchemaFound() int { return s.found }

// Conversation implements Store.
func (s *sqlStore) Conversation(ctx context.Context, id string) (Conversation, error) {
	return scanConv(s.r.QueryRowContext(ctx, "SELECT "+convColumns+" FROM conversations WHERE id = $1", id))
}

// Messages implements Store.
func (s *sqlStore) Messages(ctx context.Context, id string, after int64, limit int) ([]Message, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, id, role, text, ts FROM messages
		WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, id, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []Message
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.Seq, &m.ID, &m.Role, &m.Text, &m.TS); err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// Count implements Store.
func (s *sqlStore) Count(ctx context.Context, state State, after Cursor) (int, error) {
	where, args := queueWhere(state, after)
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM conversations WHERE "+where, args...).Scan(&n)
	return n, err
}

// List implements Store.
func (s *sqlStore) List(ctx context.Context, state State, after Cursor, limit int) ([]Conversation, error) {
	where, args := queueWhere(state, after)
	key, dir, _ := queueOrder(state)
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, "SELECT "+convColumns+" FROM conversations WHERE "+where+
		" ORDER BY "+key+" "+dir+", id "+dir+" LIMIT $"+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []Conversation
	for rows.Next() {
		c, err := scanConv(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// queueOrder returns the sort key of the List of state, its direction, and
// the comparison that selects what comes after a cursor. Both columns run
// the same way so that one row comparison, (key, id) > (k, i), selects the
// rest of the list, and the index on (state, key, id) serves it either way.
func queueOrder(state State) (key, dir, cmp string) {
	if state == StateResolved {
		return "updated", "DESC", "<"
	}
	return "pending_since", "ASC", ">"
}

// queueWhere returns the condition and arguments that select the
// conversations in state after the cursor; the zero Cursor selects all.
func queueWhere(state State, after Cursor) (string, []any) {
	if after == (Cursor{}) {
		return "state = $1", []any{state}
	}
	key, _, cmp := queueOrder(state)
	return "state = $1 AND (" + key + ", id) " + cmp + " (CAST($2 AS BIGINT), CAST($3 AS TEXT))", []any{state, after.Key, after.ID}
}

// LastVisitorTexts implements Store.
func (s *sqlStore) LastVisitorTexts(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{handoff.RoleVisitor}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT m.conversation_id, m.text FROM messages m
		WHERE m.conversation_id IN (`+strings.Join(marks, ", ")+`) AND m.role = $1
		AND m.seq = (SELECT MAX(x.seq) FROM messages x WHERE x.conversation_id = m.conversation_id AND x.role = $1)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		out[id] = text
	}
	return out, rows.Err()
}

// Questions implements Store.
func (s *sqlStore) Questions(ctx context.Context, reason string, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT text FROM messages WHERE handoff_reason = $1
		ORDER BY ts DESC, conversation_id, seq LIMIT $2`, reason, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var qs []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	return qs, rows.Err()
}

// CreateSession implements Store.
func (s *sqlStore) CreateSession(ctx context.Context, key, agent string, expires, now time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		// Sign-ins are rare: sweeping here keeps the table small without a timer.
		if _, err := tx.Exec(`DELETE FROM sessions WHERE expires <= $1`, millis(now)); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO sessions (token_hash, agent, expires) VALUES ($1, $2, $3)`, key, agent, millis(expires))
		return err
	})
}

// SessionAgent implements Store.
func (s *sqlStore) SessionAgent(ctx context.Context, key string, now time.Time) (string, error) {
	var agent string
	err := s.r.QueryRowContext(ctx, `SELECT agent FROM sessions WHERE token_hash = $1 AND expires > $2`, key, millis(now)).Scan(&agent)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNoSession
	}
	return agent, err
}

// DeleteSession implements Store.
func (s *sqlStore) DeleteSession(ctx context.Context, key string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM sessions WHERE token_hash = $1`, key)
		return err
	})
}
