package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/backend/store"
	"github.com/lotse-chat/lotse/handoff"
	"github.com/lotse-chat/lotse/internal/pgtest"
)

func TestParseAge(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"90d", 90 * 24 * time.Hour, ""},
		{"1d", 24 * time.Hour, ""},
		{"720h", 720 * time.Hour, ""},
		{"24h", 24 * time.Hour, ""},
		{"23h59m", 0, "less than a day"},
		{"0d", 0, "less than a day"},
		{"90m", 0, "less than a day"},
		{"-5d", 0, "whole days"},
		{"1.5d", 0, "whole days"},
		{"ninety", 0, "whole days"},
		{"36500d", 36500 * 24 * time.Hour, ""},
		{"36501d", 0, "more than 100 years"},
		{"99999d", 0, "more than 100 years"},
		{"99999999999999999d", 0, "more than 100 years"},
		{"900000h", 0, "more than 100 years"},
	}
	for _, tt := range tests {
		got, err := parseAge(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseAge(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseAge(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestPurge runs lotse purge on SQLite and PostgreSQL: the dry run counts
// and deletes nothing, the purge deletes the old resolved conversation
// only and says how many it kept.
func TestPurge(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	old := now.Add(-100 * 24 * time.Hour)
	tests := []struct {
		name string
		// open returns the flags that name a new database, and a store on it.
		open func(t *testing.T) ([]string, store.Store)
	}{
		{"sqlite", func(t *testing.T) ([]string, store.Store) {
			path := filepath.Join(t.TempDir(), "lotse.db")
			s, err := store.OpenSQLite(path)
			if err != nil {
				t.Fatal(err)
			}
			return []string{"--db", path}, s
		}},
		{"postgres", func(t *testing.T) ([]string, store.Store) {
			dsn := pgtest.EmptySchema(t)
			s, err := store.OpenPostgres(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			return []string{"--postgres", dsn}, s
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flags, s := tt.open(t)
			defer s.Close()
			ctx := context.Background()
			for i, id := range []string{"old-resolved", "new-resolved", "old-pending"} {
				h := handoff.Handoff{ConversationID: id, Bot: "demo", Reason: "out_of_scope",
					Messages: []handoff.Message{{ID: "m1", Role: "visitor", Text: "hi", TS: 1}, {ID: "m2", Role: "visitor", Text: "hello?", TS: 2}}}
				if _, err := s.Accept(ctx, h, old); err != nil {
					t.Fatal(err)
				}
				if i < 2 {
					if _, err := s.Resolve(ctx, id, []time.Time{old, now}[i]); err != nil {
						t.Fatal(err)
					}
				}
			}
			cutoff := "before 2026-08-24T12:00:00Z" // now - 90d
			var out bytes.Buffer
			if err := purge(append(flags, "--older-than", "90d", "--dry-run"), &out, &out, now); err != nil {
				t.Fatalf("dry run: %v\n%s", err, &out)
			}
			for _, want := range []string{"dry run: would delete 1 resolved conversation (2 messages) last changed " + cutoff,
				"kept 1 conversation as old that is not resolved", "resolved conversations only"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("dry run printed %q; want %q in it", &out, want)
				}
			}
			if _, err := s.Conversation(ctx, "old-resolved"); err != nil {
				t.Errorf("the dry run deleted: %v", err)
			}
			out.Reset()
			if err := purge(append(flags, "--older-than", "2160h"), &out, &out, now); err != nil {
				t.Fatalf("purge: %v\n%s", err, &out)
			}
			for _, want := range []string{"deleted 1 resolved conversation (2 messages) last changed " + cutoff, "kept 1 conversation as old that is not resolved"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("purge printed %q; want %q in it", &out, want)
				}
			}
			if _, err := s.Conversation(ctx, "old-resolved"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("old resolved conversation after purge: %v, want ErrNotFound", err)
			}
			for _, id := range []string{"new-resolved", "old-pending"} {
				if _, err := s.Conversation(ctx, id); err != nil {
					t.Errorf("%s after purge: %v", id, err)
				}
			}
		})
	}
}

// TestPurgeUsage checks the refusals: no age, an age under a day, and a
// SQLite file that does not exist (purge must not create one).
func TestPurgeUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.db")
	foreign := filepath.Join(t.TempDir(), "shop.db")
	shop := sqliteWithTable(t)
	if err := os.WriteFile(foreign, shop, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"purge", "--db", missing}, 2, "--older-than is missing"},
		{[]string{"purge", "--db", missing, "--older-than", "12h"}, 2, "less than a day"},
		{[]string{"purge", "--db", missing, "--older-than", "90d"}, 1, "does not exist"},
		{[]string{"purge", "--db", foreign, "--older-than", "90d", "--dry-run"}, 1, "not a Lotse database: it holds the tables orders"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if got := run(tt.args, &stdout, &stderr); got != tt.status || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("lotse %s: status %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), got, &stderr, tt.status, tt.stderr)
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("purge created %s (%v)", missing, err)
	}
	if data, _ := os.ReadFile(foreign); !bytes.Equal(data, shop) {
		t.Errorf("purge changed %s, a database not Lotse's", foreign)
	}
}

// sqliteWithTable returns the bytes of an SQLite database that is not
// Lotse's: one table, orders.
func sqliteWithTable(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE orders (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
