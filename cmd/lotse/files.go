package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/eval"
	"github.com/lotse-chat/lotse/internal/modelfile"
)

// The CLI reads three kinds of file: bot files (train), model files
// (--model) and test files (--data). Given the wrong kind, the parsers'
// errors describe symptoms (control characters, invalid UTF-8, bad magic
// bytes) rather than the mistake, so each command first recognises the kind
// and says where that file belongs.

// probeSize is how much of a file modelfile.IsModel needs: the magic bytes.
const probeSize = 16

// fileError is an error about a file, worded for the person who named it;
// it unwraps to the system's error, so errors.Is(err, fs.ErrNotExist)
// still holds.
type fileError struct {
	msg string
	err error
}

func (e *fileError) Error() string { return e.msg }
func (e *fileError) Unwrap() error { return e.err }

// describeFileError words err, from opening or reading the file path, as
// "<what> <path> does not exist" and the like, without Go's operation names.
// hint, when not empty, follows a missing file's message.
func describeFileError(what, path string, err error, hint string) error {
	var msg string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = fmt.Sprintf("%s %s does not exist", what, path)
		if hint != "" {
			msg += "; " + hint
		}
	case errors.Is(err, fs.ErrPermission):
		msg = fmt.Sprintf("%s %s: permission denied", what, path)
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = fmt.Sprintf("%s %s: %v", what, path, pe.Err)
		} else {
			msg = fmt.Sprintf("%s %s: %v", what, path, err)
		}
	}
	return &fileError{msg, err}
}

// readPrefix returns up to n bytes from the start of the file path.
func readPrefix(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return buf[:k], err
}

// isTestFileName reports whether path is named like a test file.
func isTestFileName(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".jsonl")
}

// isBotFileName reports whether path is named like a bot file.
func isBotFileName(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".csv":
		return true
	}
	return false
}

// loadBot loads the bot file (or bot directory) at path, after checking
// that it exists and is not a model or test file.
func loadBot(path string) (*bot.Bot, error) {
	if err := checkBotFile(path); err != nil {
		return nil, err
	}
	return bot.Load(path)
}

// checkBotFile checks that path exists and is not a model or test file:
// given one, the bot parser would list the symptoms (control characters,
// several YAML documents) rather than the mistake.
func checkBotFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return describeFileError("bot file", path, err, "")
	}
	if fi.IsDir() {
		return nil // bot.Load finds the bot file inside
	}
	head, err := readPrefix(path, probeSize)
	if err != nil {
		return describeFileError("bot file", path, err, "")
	}
	switch {
	case modelfile.IsModel(head):
		return fmt.Errorf("%s is a Lotse model file, not a bot file; give it to lotse ask/test --model, or train from your bot.yaml", path)
	case isTestFileName(path):
		return fmt.Errorf("%s is a test file (JSON Lines), not a bot file; give it to lotse test --data, and train from your bot.yaml", path)
	}
	return nil
}

// checkOutput checks, before training, that the model can be written to
// out and that writing it destroys nothing but an older model: out must
// not be the bot file in, and an existing, non-empty out must be a model
// file. The model is written by renaming a temporary file over out, so
// anything else there (the bot file, a test file, another bot) would be
// lost without a trace.
func checkOutput(out, in string) error {
	fi, err := target(out, "-o", "output", "model file")
	if err != nil || fi == nil {
		return err
	}
	instead := suggestModelName(in)
	if fi.IsDir() {
		return fmt.Errorf("-o %s is a directory; give a file name such as %s", out, filepath.Join(out, filepath.Base(instead)))
	}
	if samePath(out, in) {
		return fmt.Errorf("-o %s is the bot file being trained; writing the model there would overwrite it: choose another -o, such as %s", out, instead)
	}
	if fi.Size() == 0 {
		return nil
	}
	head, err := readPrefix(out, probeSize)
	if err != nil {
		return describeFileError("model file", out, err, "")
	}
	if !modelfile.IsModel(head) {
		return fmt.Errorf("%s exists and is not a Lotse model file (is it a bot or test file?); writing the model there would overwrite it: choose another -o, such as %s, or delete %s first if you mean to replace it", out, instead, out)
	}
	return nil
}

// samePath reports whether a and b name the same file: the same cleaned
// absolute path, or (through links) the same file on disk.
func samePath(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// suggestModelName proposes a model file name for the bot file bot:
// beside it, with the extension .lotse ("shop/bot.yaml": "shop/bot.lotse").
func suggestModelName(bot string) string {
	bot = filepath.Clean(bot)
	if fi, err := os.Stat(bot); err == nil && fi.IsDir() {
		return bot + ".lotse"
	}
	return strings.TrimSuffix(bot, filepath.Ext(bot)) + ".lotse"
}

// readModel reads a model file, saying what to do when it is missing,
// empty or not a model file. It checks the magic bytes itself, before any
// engine sees the bytes, so that the native and wasm engines give the same
// message, with the file's name.
func readModel(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("no model given; pass --model MODEL.lotse (made by \"lotse train BOT -o MODEL.lotse\")")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, describeFileError("model file", path, err, "make one with lotse train BOT -o "+path)
	}
	switch {
	case len(data) == 0:
		return nil, fmt.Errorf("model file %s is empty; train one with lotse train BOT -o %s", path, path)
	case modelfile.IsModel(data):
		if _, err := modelfile.Decode(data); err != nil {
			return nil, describeModelError(path, len(data), err)
		}
		return data, nil
	case isTestFileName(path):
		return nil, fmt.Errorf("%s is a test file, not a Lotse model file; give it to --data, and to --model a model made by lotse train BOT -o model.lotse", path)
	}
	train := "BOT"
	if isBotFileName(path) {
		train = path
	}
	return nil, fmt.Errorf("%s is not a Lotse model file: train one with lotse train %s -o model.lotse", path, train)
}

// truncation finds the sizes in modelfile's ErrTruncated detail.
var truncation = regexp.MustCompile(`want (\d+) bytes`)

// describeModelError words an error of modelfile.Decode about the model
// file path (size bytes) for the person who named it: what is wrong with
// the file, and that training again makes a good one. Checking before any
// engine sees the bytes keeps the engines' own prefixes ("runner: the
// engine refused the model: lotse: load model: ...") out of it.
func describeModelError(path string, size int, err error) error {
	again := "train it again with lotse train BOT -o " + path
	var msg string
	switch {
	case errors.Is(err, modelfile.ErrTruncated):
		msg = "model file is truncated"
		if m := truncation.FindStringSubmatch(err.Error()); m != nil {
			msg += fmt.Sprintf(" (%d of %s bytes)", size, m[1])
		}
		msg += "; was it copied or downloaded only in part? Copy it again, or " + again
	case errors.Is(err, modelfile.ErrChecksum):
		msg = "model file is corrupted: its checksum does not match its contents (changed after training?); " + again
	case errors.Is(err, modelfile.ErrNewer):
		msg = "model file was made by a newer lotse than this one (" + lotse.Version + "); update lotse, or " + again
	case errors.Is(err, modelfile.ErrOlder):
		msg = "model file was made by an older lotse, whose format this one (" + lotse.Version + ") no longer reads; " + again
	default:
		msg = "model file is damaged; " + again
	}
	return &fileError{path + ": " + msg, err}
}

// readTestFile reads the test file path, refusing a model file given in
// its place.
func readTestFile(path string) ([]eval.Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, describeFileError("test file", path, err, "")
	}
	if modelfile.IsModel(data) {
		return nil, fmt.Errorf("%s is a Lotse model file, not a test file; give it to --model, and to --data a test file (.jsonl, one JSON object a line)", path)
	}
	return eval.DecodeCases(bytes.NewReader(data), path)
}

// target checks, before any work that would be lost, that the directory
// the file at path is to be written into exists, and returns the file
// already there, or nil. flag names the option that gave path; dirKind and
// fileKind name the directory and the file in messages.
func target(path, flag, dirKind, fileKind string) (fs.FileInfo, error) {
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &fileError{fmt.Sprintf("%s directory %s does not exist; create it first or choose another %s", dirKind, dir, flag), err}
	case err != nil:
		return nil, describeFileError(dirKind+" directory", dir, err, "")
	case !di.IsDir():
		return nil, fmt.Errorf("%s %s: %s is not a directory; choose another %s", flag, path, dir, flag)
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, describeFileError(fileKind, path, err, "")
	}
	return fi, nil
}
