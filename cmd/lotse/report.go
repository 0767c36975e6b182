package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lotse-chat/lotse/backend/report"
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
		fmt.Fprintf(stderr, "lotse report: unknown report %q; the one report is \"unanswered\"\n"+
			"usage: lotse report unanswered [--db FILE | --postgres DSN] [--json] [--limit N]\n"+
			"Run \"lotse report --help\" for more.\n", args[0])
		return errUsage
	}
	flags := newFlags("report unanswered", "[--db FILE | --postgres DSN] [--json] [--limit N]", stdout, stderr)
	db := flags.String("db", "lotse.db", "SQLite database file of the backend")
	pg := flags.String("postgres", os.Getenv("LOTSE_POSTGRES_DSN"), "PostgreSQL DSN; used instead of --db when set (env LOTSE_POSTGRES_DSN)")
	asJSON := flags.Bool("json", false, "print JSON instead of a table")
	limit := flags.Int("limit", 10000, "read at most this many newest questions")
	if err := parse(flags, args[1:]); err != nil {
		return err
	}
	if *limit < 1 {
		return usageError(flags, "--limit must be at least 1, got %d", *limit)
	}
	st, err := openExistingStore(context.Background(), *db, *pg)
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
	fmt.Fprintf(stdout, "%s\n", report.Summary(len(qs), len(groups)))
	if len(groups) == 0 {
		return nil
	}
	fmt.Fprintln(stdout)
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
