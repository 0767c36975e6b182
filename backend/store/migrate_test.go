package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/internal/pgtest"
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

// emptyPostgresDSN returns the driver and DSN of an empty schema (see
// pgtest.EmptySchema).
func emptyPostgresDSN(t *testing.T) (driver, dsn string) {
	return "pgx", pgtest.EmptySchema(t)
}
