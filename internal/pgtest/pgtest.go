// Package pgtest gives a test an empty PostgreSQL schema of its own, in
// the database that LOTSE_TEST_POSTGRES_DSN names (make test-go starts one
// with scripts/backend/postgres.sh). Tests that count or page through
// everything in the database need one: the shared schema holds other
// tests' rows.
package pgtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// EnvDSN names the environment variable with the test database's DSN.
const EnvDSN = "LOTSE_TEST_POSTGRES_DSN"

// EmptySchema creates a new schema in the test database, drops it when
// the test ends, and returns a DSN whose search_path is that schema. It
// skips the test, saying how to get a database, when EnvDSN is unset.
func EmptySchema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		t.Skip(EnvDSN + " is unset, so PostgreSQL is not tested; run eval \"$(scripts/backend/postgres.sh)\" first")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	schema := fmt.Sprintf("test_%d", time.Now().UnixNano())
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	// search_path is a run-time parameter, in either form of DSN.
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn + " search_path=" + schema
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
