package bot

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Load reads and checks the bot file at path: a .yaml or .yml file is a
// Lotse bot.yaml, or Rasa NLU data when it has a top-level nlu: key; a .csv
// file is a FAQ CSV. A directory stands for the bot.yaml in it (or, for a
// Rasa project, its nlu.yml or data/nlu.yml).
func Load(path string) (*Bot, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		if path, err = botFileIn(path); err != nil {
			return nil, err
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, data, func() *rasaConfig { return findRasaConfig(path) })
}

// botFileIn returns the bot file of directory dir.
func botFileIn(dir string) (string, error) {
	for _, name := range []string{"bot.yaml", "bot.yml", "nlu.yml", "nlu.yaml", filepath.Join("data", "nlu.yml")} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return path, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", &Error{File: dir, Msg: "no bot.yaml in this directory",
		Hint: "pass the bot file itself, or add bot.yaml (Rasa projects: nlu.yml or data/nlu.yml)"}
}

// Parse reads and checks a bot file's contents. name is the file name used
// in errors; its extension selects the format as for Load. Without a known
// extension, data starting with a "question" (or German "Frage") header is
// read as CSV and anything else as YAML.
//
// On success the Bot satisfies the invariants documented on Bot and Intent.
// Otherwise the error lists every problem found, up to 20, each an *Error.
//
// Parse reads no other file: for Rasa data it does not look for the
// project's config.yml, as Load does.
func Parse(name string, data []byte) (*Bot, error) {
	return parse(name, data, func() *rasaConfig { return nil })
}

// parse is Parse; config finds the Rasa project's configured language.
func parse(name string, data []byte, config func() *rasaConfig) (*Bot, error) {
	p := &problems{file: name}
	var b *Bot
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".csv", ext != ".yaml" && ext != ".yml" && looksLikeCSV(data):
		b = readCSV(p, data, defaultName(name))
	case isRasaMarkdown(name, data):
		p.add(0, "", "this looks like a Rasa nlu.md (the Markdown training data of Rasa 1), which Lotse does not read",
			"pass data/nlu.yml (Rasa 2+ YAML); \"rasa data convert nlu -f yaml\" makes it from nlu.md")
	default:
		if root := parseYAML(p, data); root != nil {
			switch {
			case hasKey(root, "nlu"):
				var cfg *rasaConfig
				if !hasKey(root, "language") {
					cfg = config()
				}
				b = readRasa(p, root, defaultName(name), cfg)
			case notRasaNLU(p, root):
			default:
				b = readBotYAML(p, root, defaultName(name))
			}
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return b, nil
}

func looksLikeCSV(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	first, _, _ := bytes.Cut(data, []byte("\n"))
	first = bytes.ToLower(bytes.TrimSpace(first))
	return bytes.HasPrefix(first, []byte("question")) || bytes.HasPrefix(first, []byte("frage"))
}

// defaultName names a bot after its file: bots/acme/bot.yaml is "acme",
// faq.csv is "faq", shop/data/nlu.yml is "shop".
func defaultName(path string) string {
	path = filepath.Clean(path)
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	switch strings.ToLower(base) {
	case "bot", "nlu":
		dir := filepath.Dir(path)
		if filepath.Base(dir) == "data" {
			dir = filepath.Dir(dir)
		}
		if d := filepath.Base(dir); d != "." && d != string(filepath.Separator) {
			return d
		}
	}
	return base
}
