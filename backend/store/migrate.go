package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// migrations are the schema's versions, applied in order, each once, each
// in its own transaction. Append new versions; never edit an applied one.
// The SQL is common to SQLite and PostgreSQL. Times are Unix milliseconds.
var migrations = []string{
	1: `CREATE TABLE conversations (
		id            TEXT PRIMARY KEY,
		bot           TEXT NOT NULL,
		state         TEXT NOT NULL CHECK (state IN ('bot', 'pending', 'open', 'resolved')),
		reason        TEXT NOT NULL,
		intent        TEXT NOT NULL,
		lang          TEXT NOT NULL,
		assignee      TEXT NOT NULL,
		created       BIGINT NOT NULL,
		updated       BIGINT NOT NULL,
		pending_since BIGINT NOT NULL,
		last_seq      BIGINT NOT NULL
	);
	CREATE INDEX conversations_queue ON conversations (state, pending_since);
	CREATE TABLE messages (
		conversation_id TEXT NOT NULL REFERENCES conversations (id),
		seq             BIGINT NOT NULL,
		id              TEXT NOT NULL,
		role            TEXT NOT NULL,
		text            TEXT NOT NULL,
		ts              BIGINT NOT NULL,
		PRIMARY KEY (conversation_id, seq),
		UNIQUE (conversation_id, id)
	);`,
	// 2 marks the visitor message that caused a handoff with the reason,
	// for the unanswered-questions report.
	2: `ALTER TABLE messages ADD COLUMN handoff_reason TEXT NOT NULL DEFAULT '';
	CREATE INDEX messages_handoff_reason ON messages (handoff_reason, ts) WHERE handoff_reason <> '';`,
	// 3 keeps console sign-ins across restarts. Sessions are stored under
	// a hash, never the cookie itself: a copy of the database signs no one in.
	3: `CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		agent      TEXT NOT NULL,
		expires    BIGINT NOT NULL
	);
	CREATE INDEX sessions_expires ON sessions (expires);`,
	// 4 indexes the queue's two orders with the ID that breaks their ties,
	// so that a page after a cursor (List) starts with an index seek
	// instead of sorting the whole state: resolved conversations only grow.
	4: `CREATE INDEX conversations_waiting ON conversations (state, pending_since, id);
	CREATE INDEX conversations_resolved ON conversations (state, updated, id);
	DROP INDEX conversations_queue;`,
}

// SchemaVersion is the newest schema version this package writes.
const SchemaVersion = 4

// ErrNewerSchema is what opening a database fails with (wrapped) when a
// newer lotse has migrated it beyond SchemaVersion: this one would not
// know its tables.
var ErrNewerSchema = errors.New("the database's schema is newer than this lotse knows")

// newerSchemaError says which versions differ and what to do.
type newerSchemaError struct{ db int }

func (e newerSchemaError) Error() string {
	return fmt.Sprintf("the database's schema is version %d, newer than this lotse knows (%d): "+
		"run the newer lotse, or restore the backup taken before upgrading", e.db, SchemaVersion)
}

func (e newerSchemaError) Is(target error) bool { return target == ErrNewerSchema }

// migrate brings db's schema to SchemaVersion, recording each applied
// version in schema_migrations, and returns the version it found: 0 for a
// new database. It refuses a database newer than this code
// (ErrNewerSchema).
func migrate(ctx context.Context, db *sql.DB, d dialect) (found int, err error) {
	for v := 1; v < len(migrations); v++ {
		current, err := migrateTo(ctx, db, d, v)
		if errors.Is(err, ErrNewerSchema) {
			return current, err // not about migration v, which it would name
		} else if err != nil {
			return found, fmt.Errorf("schema migration %d: %w", v, err)
		}
		if v == 1 {
			found = current
		}
	}
	return found, nil
}

// migrateTo applies migration v unless the database has it, and returns
// the version the database had before.
func migrateTo(ctx context.Context, db *sql.DB, d dialect, v int) (int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if d.lockMigrations != "" {
		if _, err := tx.ExecContext(ctx, d.lockMigrations); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, applied BIGINT NOT NULL)`); err != nil {
		return 0, err
	}
	var current int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return 0, err
	}
	if current > SchemaVersion {
		return current, newerSchemaError{current}
	}
	if current >= v {
		return current, nil
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return current, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)", v, time.Now().UnixMilli()); err != nil {
		return current, err
	}
	return current, tx.Commit()
}
