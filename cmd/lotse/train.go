package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/wording"
	"github.com/lotse-chat/lotse/lexicon"
	"github.com/lotse-chat/lotse/train"
)

func runTrain(args []string, stdout, stderr io.Writer) error {
	budget := percent(train.DefaultRejectBudget)
	fs := newFlags("train", "BOT -o MODEL.lotse [--folds N] [--seed S] [--reject-budget SHARE | --threshold P] [--lexicon PATH] [--json]\n\n"+
		"Trains a model from a bot file (bot.yaml, Rasa nlu.yml or FAQ .csv) and writes\n"+
		"it to MODEL.lotse. Training is deterministic: the same bot and flags give the\n"+
		"same bytes. The out-of-scope threshold and the confidence calibration come\n"+
		"from cross-validation over the bot's own examples: the threshold rejects a\n"+
		"budget of the held-out in-scope examples (--reject-budget, default "+budget+"),\n"+
		"counting those the out_of_scope examples' class already takes. When that\n"+
		"class takes the whole budget, or the bot has too few examples for it (fewer\n"+
		"than "+strconv.Itoa(int(1/train.DefaultRejectBudget))+" at "+budget+"), there is no confidence threshold.\n"+
		"A larger budget hands off more out-of-scope messages and more in-scope\n"+
		"ones; \"lotse test --curve\" shows the trade-off on a test file.\n\n"+
		"--threshold P sets the confidence threshold by hand instead (above 0 and\n"+
		"below 1; not with --reject-budget), such as one from --curve, where no\n"+
		"budget gives one or not the one wanted. The classifier and the calibration\n"+
		"are chosen as without it; the summary says the threshold was set by hand\n"+
		"and reports cross-validation's in-scope accuracy and out-of-scope recall\n"+
		"at P.\n\n"+
		"A bot in English or German also learns from background out-of-scope\n"+
		"examples: requests written for other assistants (CLINC150 and HWU64, 1,200\n"+
		"of them translated into German) that none of its intents claims, one for\n"+
		"every 15 of its examples but at least 20 (a third of its examples if\n"+
		"fewer; none below 15), shared between English and German as its examples\n"+
		"are. Examples counts the texts it trains on: the author's, their\n"+
		"translations and the names of intents with fewer than 20 examples. A bot\n"+
		"without out_of_scope examples gets an out-of-scope class of them alone; in\n"+
		"a bot with some they are left out again when its out-of-scope class would\n"+
		"then take the whole budget (never with --threshold, which gives a\n"+
		"threshold whatever the class takes, so a model trained with it may keep\n"+
		"them where one without it did not: test it again). The summary counts\n"+
		"them, or says they were left out and why; the out-of-scope recall it\n"+
		"reports is measured on the bot's own out_of_scope examples.\n\n"+
		"In a FAQ CSV, rows with the same answer are one intent: the first row's\n"+
		"question names it, and the questions of the others are more phrasings of it.\n"+
		"Its header may be German too (Frage,Antwort[,Sprache]).\n\n"+
		"A FAQ CSV without a lang column, and Rasa data without language: (in the\n"+
		"nlu.yml or the project's config.yml), are taken to be in the language their\n"+
		"examples read as, German or English; training says which.\n\n"+
		"-o must be a new file or an existing model file: an existing file that is\n"+
		"not a Lotse model (the bot file, a test file) is never overwritten.\n\n"+
		"On a terminal, each step is shown on stderr as it starts (a bot of ten\n"+
		"thousand examples takes about half a minute).\n\n"+
		"--lexicon adds word-by-word German<->English translations of the examples of\n"+
		"intents that have fewer than three examples in the other language, for bots\n"+
		"written mostly in one language. It reads the Ding dictionary of Debian's\n"+
		"trans-de-en package (apt-get install trans-de-en; "+lexicon.DefaultPath+")\n"+
		"at training time only; the model holds no dictionary.", stdout, stderr)
	out := fs.String("o", "", "model file to write (required)")
	folds := fs.Int("folds", 0, "cross-validation folds, at least 2 (0: the trainer's default)")
	seed := fs.Uint64("seed", 0, "seed of the cross-validation split (0: the trainer's default)")
	rejectBudget := fs.Float64("reject-budget", train.DefaultRejectBudget, "share of held-out in-scope examples the out-of-scope threshold rejects (above 0, at most "+
		strconv.FormatFloat(train.MaxRejectBudget, 'g', -1, 64)+")")
	threshold := fs.Float64("threshold", 0, "confidence threshold set by hand, above 0 and below 1, instead of the one --reject-budget gives (default: from the budget)")
	lexPath := fs.String("lexicon", "", "German-English dictionary in the Ding format, e.g. "+lexicon.DefaultPath+" (default: none)")
	asJSON := fs.Bool("json", false, "print the training report as JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usageError(fs, "no bot file given; pass the bot file (bot.yaml, Rasa nlu.yml or FAQ .csv)")
	case len(pos) > 1:
		return usageError(fs, "want one bot file, got %d: %s; train each bot on its own", len(pos), strings.Join(pos, " "))
	case *out == "":
		return usageError(fs, "no model file given; pass -o MODEL.lotse")
	case *folds < 0 || *folds == 1: // 0 is the trainer's default
		return usageError(fs, "--folds must be at least 2 (or 0 for the default), got %d", *folds)
	case !(*rejectBudget > 0 && *rejectBudget <= train.MaxRejectBudget):
		return usageError(fs, "--reject-budget must be a share above 0 and at most %g (0.05 is 5%%), got %g", train.MaxRejectBudget, *rejectBudget)
	case isSet(fs, "threshold") && !(*threshold > 0 && *threshold < 1):
		return usageError(fs, "--threshold must be a confidence above 0 and below 1 (a threshold from \"lotse test --curve\"), got %g", *threshold)
	case isSet(fs, "threshold") && isSet(fs, "reject-budget"):
		return usageError(fs, "give --threshold or --reject-budget, not both: the budget chooses a threshold, --threshold sets one")
	}
	// Refuse a wrong bot file or -o before training, which can take a
	// while, rather than after.
	if err := checkBotFile(pos[0]); err != nil {
		return err
	}
	if err := checkOutput(*out, pos[0]); err != nil {
		return err
	}
	b, err := bot.Load(pos[0])
	if err != nil {
		return err
	}
	if b.LanguageDetected {
		fmt.Fprintf(stderr, "lotse train: note: %s\n", detectedLanguageNote(b))
	}
	opts := train.Options{Folds: *folds, Seed: *seed, RejectBudget: *rejectBudget, Threshold: *threshold}
	if *lexPath != "" {
		if opts.Lexicon, err = lexicon.Load(*lexPath); err != nil {
			return err
		}
	}
	if isTerminal(stderr) { // scripts and logs get the summary only
		opts.Progress = func(step string) { fmt.Fprintf(stderr, "lotse train: %s\n", step) }
	}
	start := time.Now()
	model, rep, err := train.Train(b, opts)
	if err != nil {
		return fmt.Errorf("training %s: %w", pos[0], err)
	}
	elapsed := time.Since(start)
	if err := writeFileAtomic(*out, model); err != nil {
		return err
	}
	gz := gzipSize(model)
	if *asJSON {
		// train.Report leaves its size and duration to these fields.
		return writeJSON(stdout, struct {
			Bot              string  `json:"bot"`
			Model            string  `json:"model"`
			Bytes            int     `json:"bytes"`
			GzipBytes        int     `json:"gzip_bytes"`
			Seconds          float64 `json:"seconds"`
			Language         string  `json:"language"`
			LanguageDetected bool    `json:"language_detected,omitempty"`
			*train.Report
		}{pos[0], *out, len(model), gz, elapsed.Seconds(), b.Languages[0], b.LanguageDetected, rep})
	}
	fmt.Fprintf(stdout, "trained %s: %s, %s in %s\n", b.Name, wording.Plural(rep.Intents, "intent"), examplesText(rep), elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "wrote %s: %s (%s gzip)\n", *out, byteSize(len(model)), byteSize(gz))
	printSummary(stdout, b, rep, *rejectBudget, true)
	for _, w := range warnings(b, rep) {
		fmt.Fprintf(stderr, "lotse train: warning: %s\n", w)
	}
	return nil
}

// printSummary writes what cross-validation found, the background
// examples left out and why there is no confidence threshold, one line
// each: what lotse train and lotse serve tell the author after training,
// below the line that counts intents and examples. budgetFlag tells
// whether the command has --reject-budget to suggest (lotse serve has not).
func printSummary(w io.Writer, b *bot.Bot, rep *train.Report, budget float64, budgetFlag bool) {
	fmt.Fprintf(w, "cross-validated on the bot's examples: in-scope accuracy %s", accuracyText(b, rep))
	if len(b.OutOfScope) > 0 {
		fmt.Fprintf(w, ", out-of-scope recall %.3f", rep.CVOOSRecall)
	}
	fmt.Fprintf(w, " %s, ECE %.3f (classifier: %s)\n", thresholdText(rep), rep.ECE, rep.Solver)
	if dropped := backgroundDroppedText(rep); dropped != "" {
		fmt.Fprintln(w, dropped)
	}
	if why := noThresholdText(b, rep, budget, budgetFlag); why != "" {
		fmt.Fprintf(w, "no confidence threshold: %s\n", why)
	}
}

// backgroundDroppedText says that training left the background
// out-of-scope examples out again, and why; "" when it did not. The
// summary's count of texts no longer shows them, and --json's background
// of 0 read as if the bot had had none.
func backgroundDroppedText(rep *train.Report) string {
	if rep.BackgroundDropped == 0 {
		return ""
	}
	why := "with them the out-of-scope class handed off the whole rejection budget of held-out in-scope examples, " +
		"so the bot's own out_of_scope examples make the class alone"
	if rep.BackgroundDroppedWhy == train.NoThresholdFewExamples {
		why = "with them there was no confidence threshold (too few examples to choose one), " +
			"so the bot's own out_of_scope examples make the out-of-scope class alone"
	}
	return fmt.Sprintf("left out %s (requests written for other assistants): %s",
		wording.Plural(rep.BackgroundDropped, "background out-of-scope example"), why)
}

// warnings tells the author what the model will do that they may not
// expect, and what to change: a bot that hands nothing off as out of scope
// answers every message with some intent, an intent without an answer
// (Rasa files carry none) answers with its name only, and a bot without
// greetings or thanks hands them off.
func warnings(b *bot.Bot, rep *train.Report) []string {
	var ws []string
	if rep.Threshold == 0 && len(b.OutOfScope) == 0 && rep.Background == 0 {
		fix := "Add out_of_scope examples (messages it must not answer) and two or three phrasings a question"
		if b.Source == bot.SourceCSV {
			fix = "Give each question two or three phrasings, as rows with the same answer; for out_of_scope examples (messages it must not answer), " +
				"which a FAQ CSV has no place for, write the bot as a bot.yaml (README.md, \"For bot authors\")"
		}
		ws = append(ws, "the bot hands no message off as out of scope: it answers everything with its nearest intent. "+fix)
	}
	var silent []string
	for _, in := range b.Intents {
		if !in.Handoff && len(in.Answer) == 0 {
			silent = append(silent, in.Name)
		}
	}
	if len(silent) > 0 {
		ws = append(ws, fmt.Sprintf("%d of %s have no answer (%s): replies to them carry the intent name only. "+
			"Write the answers in a bot.yaml (README.md, \"For bot authors\"), or mark the intents handoff: true",
			len(silent), wording.Plural(len(b.Intents), "intent"), listNames(silent, 3)))
	}
	if w := chitchatWarning(b); w != "" {
		ws = append(ws, w)
	}
	return ws
}

// listNames lists up to n names and how many more there are.
func listNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// percent formats a share as a percentage ("2%").
func percent(share float64) string { return strconv.FormatFloat(100*share, 'g', -1, 64) + "%" }

// examplesText counts the author's examples (intents' and out_of_scope),
// then the texts trained on that the author did not write: lexicon
// translations, intent names and background out-of-scope examples.
func examplesText(rep *train.Report) string {
	own := rep.Examples - rep.Translations - rep.Names - rep.Background
	var more []string
	if rep.Translations > 0 {
		more = append(more, wording.Plural(rep.Translations, "lexicon translation"))
	}
	if rep.Names > 0 {
		more = append(more, wording.Plural(rep.Names, "intent name"))
	}
	if rep.Background > 0 {
		more = append(more, fmt.Sprintf("%d background out-of-scope", rep.Background))
	}
	if len(more) == 0 {
		return wording.Plural(own, "example")
	}
	return fmt.Sprintf("%s, plus %s (%d texts in all)", wording.Plural(own, "example"), joinAnd(more), rep.Examples)
}

// joinAnd joins ["a", "b", "c"] as "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// thresholdText tells where the out-of-scope threshold lies, and that it
// was set by hand (--threshold): the figures before it are then
// cross-validation's at the author's threshold, not at the budget's. A
// threshold of 0 rejects nothing; printed as "threshold 0.000" it read
// like a bug. noThresholdText says why there is none.
func thresholdText(rep *train.Report) string {
	switch {
	case rep.ThresholdByHand:
		return fmt.Sprintf("at threshold %s (set by hand with --threshold)", strconv.FormatFloat(rep.Threshold, 'g', -1, 64))
	case rep.Threshold == 0:
		return "with no confidence threshold"
	}
	return fmt.Sprintf("at threshold %.3f", rep.Threshold)
}

// isSet reports whether the command line set the flag name.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// noThresholdText says why training chose no confidence threshold, and
// what to do for one; "" when there is one. Without it the bot answers
// every message its out-of-scope class does not win, gibberish included.
// withFlag adds the --reject-budget that would give one.
func noThresholdText(b *bot.Bot, rep *train.Report, budget float64, withFlag bool) string {
	if rep.Threshold != 0 {
		return ""
	}
	switch rep.NoThreshold {
	case train.NoThresholdOOSClass:
		fix := "add out_of_scope examples like the messages it should not answer"
		if withFlag {
			fix = fmt.Sprintf("train with a larger budget (--reject-budget %s) or a threshold of your own "+
				"(--threshold P; \"lotse test --curve\" shows what each gives), or ", formatBudget(max(2*budget, 0.05))) + fix
		}
		return fmt.Sprintf("the out-of-scope class already hands off %s of the held-out in-scope examples, the whole rejection budget, "+
			"so only messages like the out_of_scope examples are handed off, and unsure answers are given. To hand those off too, %s",
			percent(budget), fix)
	case train.NoThresholdFewExamples:
		n := rep.Examples - rep.Names - rep.Background - len(b.OutOfScope)
		msg := fmt.Sprintf("too few examples to choose one: the rejection budget, %s of the %s held out, is less than one, "+
			"so every message the out-of-scope class does not win is answered, gibberish included. "+
			"Add examples (%s", percent(budget), wording.Plural(n, "in-scope example"), phrasings(b))
		if len(b.OutOfScope) == 0 {
			msg += ", and out_of_scope examples"
		}
		msg += ")"
		if need := minBudget(n); withFlag && need <= train.MaxRejectBudget {
			msg += fmt.Sprintf(", or train with --reject-budget %s", formatBudget(need))
		}
		return msg
	}
	return ""
}

// minBudget is the least rejection budget, in whole percent, that rejects
// one of n in-scope examples.
func minBudget(n int) float64 {
	for pct := 1; pct <= 100; pct++ {
		if int(float64(pct)/100*float64(n)) >= 1 {
			return float64(pct) / 100
		}
	}
	return 1
}

// formatBudget formats a rejection budget for --reject-budget.
func formatBudget(b float64) string { return strconv.FormatFloat(b, 'g', 3, 64) }

// accuracyText formats the cross-validated in-scope accuracy, or says why
// it is not measurable: when no intent has two examples, a held-out
// example has no other phrasing of its intent to be learnt from, and 0.000
// would read as a broken model.
func accuracyText(b *bot.Bot, rep *train.Report) string {
	for _, in := range b.Intents {
		if len(in.Examples) >= 2 {
			return fmt.Sprintf("%.3f", rep.CVAccuracy)
		}
	}
	what, how := "every intent has one example", ""
	if b.Source == bot.SourceCSV {
		what, how = "every question has one phrasing", ": a row with the same answer"
	}
	return "not measurable (" + what + ", so a held-out one has none left to learn from; add a second phrasing to some" + how + ")"
}

// phrasings asks for more phrasings of each question, and says how a FAQ
// CSV writes them: it used to have no way, and "add a phrasing" left its
// authors guessing.
func phrasings(b *bot.Bot) string {
	if b.Source == bot.SourceCSV {
		return "two or three phrasings a question, as rows with the same answer"
	}
	return "two or three phrasings a question"
}

// languageNames names the languages the language identifier knows.
var languageNames = map[string]string{"de": "German", "en": "English"}

// detectedLanguageNote tells the author which language the examples of a
// bot file without one were taken to be in, and how to say otherwise.
func detectedLanguageNote(b *bot.Bot) string {
	lang := b.Languages[0]
	how := "add a lang column to say otherwise"
	switch b.Source {
	case bot.SourceRasa:
		how = "set language: in the project's config.yml (or at the top of the nlu.yml) to say otherwise"
	case bot.SourceBotYAML:
		how = "set languages: to say otherwise"
	}
	return fmt.Sprintf("no language given; the %s read as %s (%s): %s", map[bool]string{true: "questions", false: "examples"}[b.Source == bot.SourceCSV],
		languageNames[lang], lang, how)
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so that a failed write never leaves a truncated model behind.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".lotse-*.tmp")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &fileError{fmt.Sprintf("writing model %s: output directory %s does not exist; create it first or choose another -o", path, dir), err}
		}
		// Name the directory, not the temporary file the user never named.
		return describeFileError("writing model "+path+": cannot create a file in directory", dir, err, "")
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing model %s: %w", path, systemError(err))
	}
	return nil
}

// systemError strips Go's operation and path from err ("rename
// /d/.lotse-1.tmp /d/m.lotse: permission denied" becomes "permission
// denied"): the temporary file's name means nothing to the user.
func systemError(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// gzipSize is the size of data compressed with gzip at best compression:
// what a server sending the model with Content-Encoding: gzip transfers.
func gzipSize(data []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	w.Write(data)
	w.Close()
	return buf.Len()
}

// byteSize formats n bytes as B, KB or MB (powers of 1000, as browsers'
// network panels do).
func byteSize(n int) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
