// Command lotse trains, tests and serves Lotse bots.
//
//	lotse train BOT -o MODEL.lotse   train a model from a bot file
//	lotse test  --model M --data F   measure a model on a test file
//	lotse ask   --model M [TEXT]     reply to one message, or start a shell
//	lotse bench                      accuracy, size and speed on the benchmarks
//	lotse serve                      edge, backend, console and demo in one process
//	lotse backend                    the central handoff backend alone
//	lotse report unanswered          out-of-scope questions, grouped and redacted
//
// Run "lotse COMMAND --help" for a command's flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// command is one subcommand. run gets the arguments after the command name
// and writes its normal output to stdout.
type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"train", "train a model from a bot file (bot.yaml, Rasa nlu.yml or FAQ .csv)", runTrain},
	{"test", "measure a model on a test file (.jsonl) and print metrics", runTest},
	{"ask", "reply to one message, or start an interactive shell", runAsk},
	{"bench", "accuracy, training time, size and latency on the benchmarks, beside peers", runBench},
	{"serve", "run edge, backend, console and demo page in one process", runServe},
	{"backend", "run the central handoff backend", runBackend},
	{"report", "bot-author reports (unanswered questions)", runReport},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(stderr, "lotse %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "lotse: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: lotse COMMAND [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"lotse COMMAND --help\" for a command's flags.")
}

// errUsage marks an error already reported by a FlagSet: exit 2, no more text.
var errUsage = errors.New("usage")

// newFlags returns a FlagSet whose usage text starts with synopsis.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lotse "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: lotse %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args into fs, mapping a parse error to errUsage (the FlagSet
// has already printed it).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
