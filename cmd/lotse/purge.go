package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-chat/lotse/backend/store"
	"github.com/lotse-chat/lotse/internal/wording"
)

// purgeBatch is how many conversations lotse purge deletes in one
// transaction: small enough that the backend, running meanwhile, waits
// for none of them noticeably.
const purgeBatch = 500

func runPurge(args []string, stdout, stderr io.Writer) error {
	return purge(args, stdout, stderr, time.Now())
}

// purge runs lotse purge as if at now.
func purge(args []string, stdout, stderr io.Writer, now time.Time) error {
	fs := newFlags("purge", "[--db FILE | --postgres DSN] --older-than AGE [--dry-run]\n\n"+
		"Deletes the resolved conversations last changed more than AGE ago, with their messages:\n"+
		"the retention of the backend's transcripts, which hold visitors' personal data. Pending\n"+
		"and open conversations are never deleted, however old. Safe while the backend runs: it\n"+
		"deletes in batches of "+strconv.Itoa(purgeBatch)+" conversations, each its own short transaction.", stdout, stderr)
	db := fs.String("db", "lotse.db", "SQLite database file of the backend")
	pg := fs.String("postgres", os.Getenv("LOTSE_POSTGRES_DSN"), "PostgreSQL DSN; used instead of --db when set (env LOTSE_POSTGRES_DSN)")
	olderThan := fs.String("older-than", "", "age of the conversations to delete: days (90d) or a Go duration (720h); at least 1d")
	dryRun := fs.Bool("dry-run", false, "only count what would be deleted")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *olderThan == "" {
		return usageError(fs, "--older-than is missing; give the age of the conversations to delete, e.g. --older-than 90d")
	}
	age, err := parseAge(*olderThan)
	if err != nil {
		return usageError(fs, "--older-than %s", err)
	}
	ctx := context.Background()
	st, err := openExistingStore(ctx, *db, *pg)
	if err != nil {
		return err
	}
	defer st.Close()
	before := now.Add(-age)
	cutoff := before.UTC().Format(time.RFC3339)
	if *dryRun {
		old, err := st.CountOld(ctx, before)
		if err != nil {
			return fmt.Errorf("counting conversations: %w", err)
		}
		fmt.Fprintf(stdout, "dry run: would delete %s (%s) last changed before %s\n",
			wording.Plural(old.Conversations, "resolved conversation"), wording.Plural(old.Messages, "message"), cutoff)
		printKept(stdout, old.Kept)
		return nil
	}
	convs, msgs, err := st.PurgeResolved(ctx, before, purgeBatch)
	fmt.Fprintf(stdout, "deleted %s (%s) last changed before %s\n",
		wording.Plural(convs, "resolved conversation"), wording.Plural(msgs, "message"), cutoff)
	if err != nil {
		return fmt.Errorf("%w; what was deleted stays deleted, run lotse purge again to finish", err)
	}
	old, err := st.CountOld(ctx, before)
	if err != nil {
		return fmt.Errorf("counting the conversations kept: %w", err)
	}
	printKept(stdout, old.Kept)
	return nil
}

func printKept(w io.Writer, kept int) {
	verb := "are"
	if kept == 1 {
		verb = "is"
	}
	fmt.Fprintf(w, "kept %s as old that %s not resolved (pending or open): purge deletes resolved conversations only\n",
		wording.Plural(kept, "conversation"), verb)
}

// parseAge reads --older-than: whole days ("90d") or a Go duration
// ("720h"), at least a day. A shorter age is a typo more likely than a
// policy (--older-than 90m for 90d), and would delete what agents
// resolved this morning.
func parseAge(s string) (time.Duration, error) {
	var age time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q: give whole days such as 90d, or a duration such as 720h", s)
		}
		age = time.Duration(min(n, maxAgeDays+1)) * 24 * time.Hour // no overflow
	} else {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%q: give whole days such as 90d, or a duration such as 720h", s)
		}
		age = d
	}
	switch {
	case age < 24*time.Hour:
		return 0, fmt.Errorf("%s is less than a day; purge keeps at least a day of conversations (e.g. 90d)", s)
	case age > maxAgeDays*24*time.Hour:
		return 0, fmt.Errorf("%s is more than 100 years, older than any conversation; give at most %dd", s, maxAgeDays)
	}
	return age, nil
}

// maxAgeDays bounds --older-than at 100 years: a larger age deletes
// nothing, so it is a typo, and in days it could overflow a Duration.
const maxAgeDays = 100 * 365

// openExistingStore opens the backend's database: PostgreSQL at dsn if it
// is set, else the SQLite file at path, which must exist (a mistyped path
// would otherwise create an empty database and report nothing to do).
func openExistingStore(ctx context.Context, path, dsn string) (store.Store, error) {
	if dsn != "" {
		return store.OpenPostgres(ctx, dsn)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("database %s does not exist; give the --db file lotse backend (or lotse serve) writes", path)
	} else if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return store.OpenSQLite(path)
}
