package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lotse-chat/lotse/backend/report"
	"github.com/lotse-chat/lotse/backend/store"
)

func runReport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, "usage: lotse report unanswered [--db FILE | --postgres DSN] [--json] [--limit N]\n\n"+
			"unanswered  out-of-scope visitor questions grouped by similarity, personal data redacted\n")
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "unanswered" {
		fmt.Fprintf(stderr, "lotse report: unknown report %q; the one report is \"unanswered\"\n", args[0])
		return errUsage
	}
	fs := newFlags("report unanswered", "[--db FILE | --postgres DSN] [--json] [--limit N]", stdout, stderr)
	db := fs.String("db", "lotse.db", "SQLite database file of the backend")
	pg := fs.String("postgres", os.Getenv("LOTSE_POSTGRES_DSN"), "PostgreSQL DSN; used instead of --db when set (env LOTSE_POSTGRES_DSN)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	limit := fs.Int("limit", 10000, "read at most this many newest questions")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var (
		st  store.Store
		err error
	)
	if *pg != "" {
		st, err = store.OpenPostgres(context.Background(), *pg)
	} else {
		if _, serr := os.Stat(*db); serr != nil {
			return fmt.Errorf("database %s: %w (give the backend's --db file)", *db, serr)
		}
		st, err = store.OpenSQLite(*db)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	qs, err := st.Questions(context.Background(), "out_of_scope", *limit)
	if err != nil {
		return fmt.Errorf("reading questions: %w", err)
	}
	groups := report.Unanswered(qs)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"questions": len(qs), "groups": groups})
	}
	fmt.Fprintf(stdout, "%s\n\n", report.Summary(len(qs), len(groups)))
	fmt.Fprintf(stdout, "%6s  %s\n", "COUNT", "QUESTION (similar)")
	for _, g := range groups {
		line := g.Example
		if len(g.Others) > 0 {
			line += "  (" + strings.Join(g.Others, " | ") + ")"
		}
		fmt.Fprintf(stdout, "%6d  %s\n", g.Count, strings.ReplaceAll(line, "\n", " "))
	}
	return nil
}
