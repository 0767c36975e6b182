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
	return Parse(path, data)
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
// extension, data starting with a "question," header is read as CSV and
// anything else as YAML.
//
// On success the Bot satisfies the invariants documented on Bot and Intent.
// Otherwise the error lists every problem found, up to 20, each an *Error.
func Parse(name string, data []byte) (*Bot, error) {
	p := &problems{file: name}
	var b *Bot
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".csv", ext != ".yaml" && ext != ".yml" && looksLikeCSV(data):
		b = readCSV(p, data, defaultName(name))
	default:
		if root := parseYAML(p, data); root != nil {
			if hasKey(root, "nlu") {
				b = readRasa(p, root, defaultName(name))
			} else {
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
	return bytes.HasPrefix(bytes.ToLower(bytes.TrimSpace(first)), []byte("question"))
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
