// Command convert turns the public intent benchmarks in ../shared/datasets
// (CLINC150, Banking77, HWU64) into Lotse's bot file (bot.yaml) and test
// file (test.jsonl, CLINC150 also val.jsonl) formats under testdata/.
//
// Usage, from anywhere inside the repository:
//
//	go run ./internal/convert -shared ../shared/datasets -out testdata
//
// Relative default paths are resolved against the module root (the
// directory holding go.mod), so the defaults work in a CI clone where
// shared/ sits beside the repository. Explicit flag values are used as given.
//
// The output is deterministic: intents are sorted by name, examples and test
// lines keep the dataset's order. See testdata/README.md for the splits.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
}

// run parses the flags, converts every benchmark and prints a Markdown table
// of the counts to w.
func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	shared := fs.String("shared", "", "directory holding clinc150/, banking77/, hwu64/ (default: ../shared/datasets relative to the module root)")
	out := fs.String("out", "", "output directory (default: testdata relative to the module root)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *shared == "" || *out == "" {
		root, err := moduleRoot()
		if err != nil {
			return fmt.Errorf("%w; pass -shared and -out explicitly", err)
		}
		if *shared == "" {
			*shared = filepath.Join(root, "..", "shared", "datasets")
		}
		if *out == "" {
			*out = filepath.Join(root, "testdata")
		}
	}
	stats, err := convertAll(*shared, *out)
	if err != nil {
		return err
	}
	writeTable(w, stats)
	return nil
}

// moduleRoot walks up from the working directory to the directory holding
// go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod found above the working directory")
		}
		dir = parent
	}
}

// writeTable prints the counts of every benchmark as the Markdown rows that
// testdata/README.md carries.
func writeTable(w io.Writer, stats []Stats) {
	fmt.Fprintln(w, "| benchmark | intents | train examples | out_of_scope (train) | test in-scope | test out-of-scope | val in-scope | val out-of-scope |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range stats {
		fmt.Fprintln(w, s.Row())
	}
	fmt.Fprintln(w)
	for _, s := range stats {
		fmt.Fprintln(w, s.Notes())
	}
}
