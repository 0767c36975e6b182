package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNewerSchemaRefused checks that a database a newer lotse migrated is
// refused with an error that says so and what to do, and does not blame
// migration 1 as it once did.
func TestNewerSchemaRefused(t *testing.T) {
	tests := []struct {
		name string
		// open returns the database's driver name and DSN, empty.
		open func(t *testing.T) (driver, dsn string)
		// store opens it as a Store.
		store func(dsn string) (Store, error)
	}{
		{"sqlite", func(t *testing.T) (string, string) {
			return "sqlite", filepath.Join(t.TempDir(), "lotse.db")
		}, OpenSQLite},
		{"postgres", emptyPostgresDSN, func(dsn string) (Store, error) { return OpenPostgres(context.Background(), dsn) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			driver, dsn := tt.open(t)
			s, err := tt.store(dsn)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// What a newer lotse leaves behind.
			if _, err := db.Exec("INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)", SchemaVersion+1, 0); err != nil {
				t.Fatal(err)
			}
			s, err = tt.store(dsn)
			if err == nil {
				s.Close()
				t.Fatal("a database of a newer schema was opened")
			}
			want := fmt.Sprintf("the database's schema is version %d, newer than this lotse knows (%d): "+
				"run the newer lotse, or restore the backup taken before upgrading", SchemaVersion+1, SchemaVersion)
			if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "migration") {
				t.Errorf("error %q (ErrNewerSchema: %v); want it to contain %q and name no migration",
					err, errors.Is(err, ErrNewerSchema), want)
			}
		})
	}
}

// emptyPostgresDSN returns the DSN of a new, empty schema in the
// PostgreSQL database named by LOTSE_TEST_POSTGRES_DSN, dropped after the
// test, or skips the test as openTestPostgres does.
func emptyPostgresDSN(t *testing.T) (driver, dsn string) {
	t.Helper()
	dsn = os.Getenv("LOTSE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("LOTSE_TEST_POSTGRES_DSN is unset, so PostgreSQL is not tested; run eval \"$(scripts/backend/postgres.sh)\" first")
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
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return "pgx", u.String()
	}
	return "pgx", dsn + " search_path=" + schema
}
