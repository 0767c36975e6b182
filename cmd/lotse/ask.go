package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/internal/wording"
)

// maxLine is the longest line "lotse ask" reads from standard input, in
// bytes (newline included): far beyond any chat message.
const maxLine = 1 << 20

// stdin is the input of "lotse ask" without a message; a variable so that
// tests can feed it. stdinIsTerminal tells a person typing from a pipe.
var (
	stdin           io.Reader = os.Stdin
	stdinIsTerminal           = func() bool { return isTerminal(os.Stdin) }
)

// isTerminal reports whether f, a file or something else, is a terminal (a
// character device) rather than a pipe or a file.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func runAsk(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ask", "--model MODEL.lotse [--engine wasm|native] [TEXT...]\n\n"+
		"With TEXT, replies to that one message and prints the Reply JSON.\n"+
		"Without TEXT, reads messages a line at a time from standard input: from a\n"+
		"terminal it is an interactive shell printing readable replies (leave it with\n"+
		"exit, quit, :q or Ctrl-D); from a pipe or file it prints one Reply JSON a line.", stdout, stderr)
	model := fs.String("model", "", "model file (.lotse) to ask (required)")
	engineName := fs.String("engine", engineWasm, "engine to run: wasm (the shipped WASI module in wazero) or native (in-process Go)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *model == "" {
		return usageError(fs, "no model given; pass --model MODEL.lotse (made by \"lotse train BOT -o MODEL.lotse\")")
	}
	data, err := readModel(*model)
	if err != nil {
		return err
	}
	e, closer, err := openEngine(*engineName, data)
	if err != nil {
		return err
	}
	defer closer.Close()

	if len(pos) > 0 {
		r, err := e.Reply(strings.Join(pos, " "))
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(unescapeHTML(r.AppendJSON(nil)), '\n'))
		return err
	}
	interactive := stdinIsTerminal()
	if interactive {
		fmt.Fprintf(stdout, "%s (%s, %s, %s engine). One message a line; leave with exit or Ctrl-D.\n",
			e.info.Name, wording.Plural(len(e.info.Intents), "intent"), bannerThreshold(e.info.Threshold), e.name)
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	n := 0 // lines read
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for {
		if interactive {
			fmt.Fprint(w, "> ")
			w.Flush()
		}
		if !sc.Scan() {
			break
		}
		n++
		text := strings.TrimSpace(sc.Text())
		if text == "" && interactive {
			continue // a person pressed Enter; a pipe gets a reply a line, to stay aligned
		}
		if interactive && isQuit(text) {
			break // a pipe's lines are all messages, "exit" too
		}
		r, err := e.Reply(text)
		if err != nil {
			return err
		}
		if interactive {
			writeReadable(w, r, e.info.Threshold)
		} else {
			w.Write(append(unescapeHTML(r.AppendJSON(nil)), '\n'))
		}
	}
	if interactive {
		fmt.Fprintln(w)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return fmt.Errorf("line %d of standard input is longer than %d bytes; send one message a line", n+1, maxLine)
	} else if err != nil {
		return fmt.Errorf("reading standard input: %w", err)
	}
	return nil
}

// isQuit reports the words that leave the interactive shell: people type
// them rather than Ctrl-D, and sent as messages they only got a handoff.
func isQuit(text string) bool {
	switch strings.ToLower(text) {
	case "exit", "quit", ":q", ":quit", "/exit", "/quit":
		return true
	}
	return false
}

// minGuess is the least confidence of a best guess worth showing: printed
// with two decimals, smaller ones read 0.00 and say nothing.
const minGuess = 0.01

// writeReadable prints a reply for a person: the answer, or that it was
// handed off and why in words, with intent and confidence; for a handoff
// intent also the answer the widget shows meanwhile. threshold is the
// model's (lotse.Info), to tell an out-of-scope handoff's cause where the
// Reply shows it. It never repeats the message, which may carry personal
// data.
func writeReadable(w io.Writer, r lotse.Reply, threshold float64) {
	switch {
	case r.Action == lotse.Answer:
		fmt.Fprintf(w, "%s\n  [%s %s, %s]\n", r.Answer, r.Intent, confText(r.Confidence), r.Lang)
	case r.Reason == lotse.OutOfScope:
		fmt.Fprint(w, "handed off: out of scope")
		if why := outOfScopeCause(r, threshold); why != "" {
			fmt.Fprint(w, ", "+why)
		}
		var guesses []string
		for _, a := range r.Alternatives {
			if a.Confidence >= minGuess {
				guesses = append(guesses, a.Intent+" "+confText(a.Confidence))
			}
		}
		switch {
		case len(guesses) > 0:
			fmt.Fprintf(w, " (best guesses: %s)", strings.Join(guesses, ", "))
		case len(r.Alternatives) > 0:
			fmt.Fprintf(w, " (no intent above %.2f)", minGuess)
		}
		fmt.Fprintf(w, " [%s]\n", r.Lang)
	case r.Reason == lotse.PersonalData:
		var kinds []string
		for _, s := range r.PII {
			if !slices.Contains(kinds, string(s.Kind)) {
				kinds = append(kinds, string(s.Kind))
			}
		}
		fmt.Fprintf(w, "handed off: personal data (%s); intent %s %s [%s]\n", strings.Join(kinds, ", "), r.Intent, confText(r.Confidence), r.Lang)
	default:
		if r.Answer != "" { // handoff_intent: what to do until a person takes over
			fmt.Fprintln(w, r.Answer)
		}
		reason := string(r.Reason)
		if r.Reason == lotse.HandoffIntent {
			reason = "handoff intent (needs a person)"
		}
		fmt.Fprintf(w, "handed off: %s; intent %s %s [%s]\n", reason, r.Intent, confText(r.Confidence), r.Lang)
	}
}

// outOfScopeCause says why a Reply is out of scope, where the Reply and
// the model's threshold tell: nothing to classify (no intent scored: the
// message has no letter or digit), the out-of-scope class won (there is no
// threshold, or the best intent's confidence reached it), or the
// confidence was below the threshold (the class may have won as well;
// the Reply does not say). "" when the confidence is the threshold to the
// 6 decimals a Reply carries, and either may be so.
func outOfScopeCause(r lotse.Reply, threshold float64) string {
	const eps = 1e-6 // Reply rounds confidences to 6 decimals
	switch {
	case len(r.Alternatives) == 0:
		return "nothing to classify (no letter or digit)"
	case threshold == 0 || r.Confidence >= threshold+eps:
		return "the out-of-scope class won"
	case r.Confidence <= threshold-eps:
		conf, t := distinct(r.Confidence, threshold)
		return fmt.Sprintf("confidence %s below the threshold %s", conf, t)
	}
	return ""
}

// confText formats a confidence with two decimals, or more where two
// would round one below 1 up to 1.00: beside "confidence 0.998 below the
// threshold 0.999", a best guess of 1.00 read as a contradiction.
func confText(p float64) string {
	s, _ := distinct(p, 1)
	return s
}

// bannerThreshold describes the model's confidence threshold for the
// shell's first line.
func bannerThreshold(t float64) string {
	if t == 0 {
		return "no confidence threshold"
	}
	return "threshold " + confText(t) // 0.9999997 is not 1.00
}

// distinct formats a and b with two decimals, or with more (up to eight,
// beyond a float32 threshold's precision) where two would print them
// alike: "confidence 0.12 below the threshold 0.12" read like a bug.
func distinct(a, b float64) (string, string) {
	for d := 2; ; d++ {
		sa, sb := strconv.FormatFloat(a, 'f', d, 64), strconv.FormatFloat(b, 'f', d, 64)
		if sa != sb || d == 8 {
			return sa, sb
		}
	}
}

// unescapeHTML turns the engine's \u003c, \u003e and \u0026 back into <, >
// and &. The engine escapes them as encoding/json does, so that a reply is
// safe inside HTML; on a terminal they only garble answers such as
// "Profil > Zahlungsmethoden". Escapes are read in pairs, so an escaped
// backslash followed by "u003e" stays as it is.
func unescapeHTML(b []byte) []byte {
	out := b[:0:0]
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) {
			switch string(b[i+2 : i+6]) {
			case "003c":
				out, i = append(out, '<'), i+5
				continue
			case "003e":
				out, i = append(out, '>'), i+5
				continue
			case "0026":
				out, i = append(out, '&'), i+5
				continue
			}
		}
		out, i = append(out, b[i], b[i+1]), i+1
	}
	return out
}
