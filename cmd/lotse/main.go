// Command lotse trains, tests and serves Lotse bots.
//
//	lotse train BOT -o MODEL.lotse   train a model from a bot file
//	lotse test  --model M --data F   measure a model on a test file
//	lotse ask   --model M [TEXT]     reply to one message, or start a shell
//	lotse bench                      accuracy, size and speed on the benchmarks
//	lotse serve                      edge, backend, console and demo in one process
//	lotse backend                    the central handoff backend alone
//	lotse report unanswered          out-of-scope questions, grouped and redacted
//	lotse purge --older-than 90d     delete old resolved conversations (retention)
//	lotse version                    the engine version and source revision, the model format and the Go version
//
// Run "lotse COMMAND --help" for a command's flags.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/modelfile"
	"github.com/lotse-chat/lotse/runner/embedded"
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
	{"purge", "delete resolved conversations older than an age (retention)", runPurge},
	{"version", "print the engine version, the model format and the Go version", runVersion},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit status: 0 on
// success or when help was asked for, 1 when the command failed, 2 for a
// usage error (including no command at all, which scripts should notice).
// Help that was asked for goes to stdout; usage printed because of an
// error goes to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "help": // "lotse help" or "lotse help COMMAND"
		if len(args) == 1 {
			usage(stdout)
			return 0
		}
		return run([]string{args[1], "--help"}, stdout, stderr)
	case "-version", "--version":
		args = []string{"version"}
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

// runVersion prints the engine version (the version written into model
// files), the model file format it writes and the Go toolchain it was
// built with: what a bug report needs.
func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "\n\nPrints the engine version, the model file format, the Go version and which wasm engine\nask and test run.", stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if _, err := fmt.Fprintf(stdout, "lotse %s (model format %d, %s %s/%s)\n",
		buildVersion(), modelfile.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH); err != nil {
		return err
	}
	// Which engine ask and test run by default: the WASI module built in,
	// or none (then they need --engine native).
	engine := "wasm engine: not built in; ask and test need --engine native (make build embeds it)"
	if m, err := embedded.Module(); err == nil {
		engine = fmt.Sprintf("wasm engine: %d KB", len(m)>>10)
		if p := os.Getenv(embedded.ModuleEnv); p != "" {
			engine += " from $" + embedded.ModuleEnv + " (" + p + ")"
		} else {
			engine += ", built in"
		}
	}
	_, err := fmt.Fprintln(stdout, engine)
	return err
}

// buildVersion is the engine version with the source it was built from,
// when the Go toolchain recorded it (go build in a git checkout does;
// go run and go test do not): "0.1.0+1a2b3c4d5e6f", with ".modified" when
// the checkout had uncommitted changes. Two builds of one version then
// differ in what lotse version prints, the backend logs at start and
// GET /v1/health reports.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return lotse.Version
	}
	return versionWith(lotse.Version, info.Settings)
}

// versionWith appends to version, as semantic versioning's build
// metadata, the VCS revision (its first 12 hex digits) and whether the
// tree was modified, from a build's settings.
func versionWith(version string, settings []debug.BuildSetting) string {
	var rev string
	modified := false
	for _, st := range settings {
		switch st.Key {
		case "vcs.revision":
			rev = st.Value[:min(12, len(st.Value))]
		case "vcs.modified":
			modified = st.Value == "true"
		}
	}
	if rev == "" {
		return version
	}
	version += "+" + rev
	if modified {
		version += ".modified"
	}
	return version
}

// errUsage marks an error already reported by a FlagSet: exit 2, no more text.
var errUsage = errors.New("usage")

// newFlags returns a FlagSet whose help text starts with synopsis: its
// first line is the usage line. Help asked for (-h, --help) goes to stdout
// in full; a usage error goes to stderr with the usage line only, and
// where to find the rest, so the error is not lost above forty lines of
// help.
func newFlags(name, synopsis string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lotse "+name, flag.ContinueOnError)
	sep := " "
	if strings.HasPrefix(synopsis, "\n") { // no arguments
		sep = ""
	}
	usageLine, _, _ := strings.Cut(synopsis, "\n")
	out := &flagOutput{stdout: stdout, stderr: stderr}
	out.help = func(w io.Writer) {
		fmt.Fprintf(w, "usage: lotse %s%s%s\n", name, sep, synopsis)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nflags:\n")
			fs.SetOutput(w)
			fs.PrintDefaults()
			fs.SetOutput(out)
		}
	}
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: lotse %s%s%s\nRun \"lotse %s --help\" for more.\n", name, sep, usageLine, name)
	}
	return fs
}

// flagOutput is the output of a FlagSet made by newFlags. Package flag
// prints the usage both for -h and after a bad flag, to one writer; parse
// holds what it prints until Parse tells which it was.
type flagOutput struct {
	stdout, stderr io.Writer
	held           *bytes.Buffer   // during parse
	help           func(io.Writer) // writes the full help
}

func (o *flagOutput) Write(p []byte) (int, error) {
	if o.held != nil {
		return o.held.Write(p)
	}
	return o.stderr.Write(p)
}

// parse parses args into fs, mapping a parse error to errUsage (the FlagSet
// has already printed it). Help asked for goes to stdout, errors to stderr.
func parse(fs *flag.FlagSet, args []string) error {
	out, _ := fs.Output().(*flagOutput)
	if out == nil { // a FlagSet not made by newFlags
		return finishParse(fs.Parse(args))
	}
	out.held = new(bytes.Buffer)
	err := fs.Parse(args)
	held := out.held
	out.held = nil
	if errors.Is(err, flag.ErrHelp) {
		out.help(out.stdout) // not the short usage package flag printed
	} else if held.Len() > 0 {
		// Package flag's message ("flag provided but not defined: -x")
		// does not say which command it is from.
		fmt.Fprintf(out.stderr, "%s: %s", fs.Name(), held.Bytes())
	}
	return finishParse(err)
}

func finishParse(err error) error {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errUsage
}
