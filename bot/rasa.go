package bot

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	rasaKeys = []string{"version", "nlu", "language"}
	// rasaOtherKeys are Rasa training-data and domain sections that hold no
	// NLU examples; a combined file may have them, and they are ignored.
	rasaOtherKeys = []string{"stories", "rules", "responses", "intents", "entities", "slots",
		"forms", "actions", "session_config", "e2e_actions"}
	rasaItemKeys = []string{"intent", "synonym", "regex", "lookup", "examples", "metadata"}
)

// readRasa builds a Bot from Rasa 2+ NLU training data. Rasa intent names
// become snake_case (faq/ask_name -> faq_ask_name); an intent listed twice
// in the file is an error, as in bot.yaml; examples of the intent
// out_of_scope become the bot's OutOfScope examples. Rasa files carry no
// answers: intents get an empty Answer map. The language is the file's
// top-level language: key (a Lotse extension), else that of the project's
// config.yml (cfg, nil when there is none), else the language the examples
// read as (Bot.LanguageDetected).
func readRasa(p *problems, root *yaml.Node, defaultName string, cfg *rasaConfig) *Bot {
	b := &Bot{Name: defaultName, Source: SourceRasa}
	f := fields(p, root, "", rasaKeys, rasaOtherKeys...)
	if v, ok := f["language"]; ok {
		if code, ok := scalar(p, v.val, "language", "a language code"); ok {
			if hint := checkLanguage(code); hint != "" {
				p.add(v.val.Line, "language", "unsupported language code "+quote(code), hint)
			}
			b.Languages = []string{code}
		}
	} else if cfg != nil {
		if hint := checkLanguage(cfg.code); hint != "" {
			p.list = append(p.list, &Error{File: cfg.file, Line: cfg.line, Field: "language",
				Msg: "unsupported language code " + quote(cfg.code), Hint: hint})
		}
		b.Languages = []string{cfg.code}
	}
	defer func() {
		if len(b.Languages) == 0 {
			var texts []string
			for _, in := range b.Intents {
				texts = append(texts, in.Examples...)
			}
			b.Languages, b.LanguageDetected = []string{detectLanguage(texts)}, true
		}
	}()
	nlu, ok := f["nlu"]
	if !ok {
		p.add(0, "nlu", "missing", "add nlu: with a list of \"- intent: name\" items")
		return b
	}
	items, _ := list(p, nlu.val, "nlu", "write each intent as a \"- intent: name\" item")
	type first struct {
		rasaName string
		line     int
		index    int // in b.Intents
	}
	seen := make(map[string]first) // by snake_case name
	for i, item := range items {
		at := index("nlu", i)
		if item.Kind != yaml.MappingNode {
			p.add(item.Line, at, "want an item such as \"- intent: greet\", found "+describe(item), "")
			continue
		}
		before := len(p.list)
		itemFields := fields(p, item, at, rasaItemKeys)
		v, ok := itemFields["intent"]
		if !ok {
			if !hasAny(itemFields, "synonym", "regex", "lookup") && !hasUnknownKey(p.list[before:]) {
				p.add(item.Line, at, "item has no intent:, synonym:, regex: or lookup: key", "add intent: with the intent's name")
			}
			continue // synonyms, regexes and lookup tables do not define intents
		}
		rasaName, ok := scalar(p, v.val, at+".intent", "the intent's name")
		if !ok {
			continue
		}
		name := slug(rasaName, len(rasaName))
		if name == "" {
			p.add(v.val.Line, at+".intent", fmt.Sprintf("intent name %s has no letters or digits", quote(rasaName)),
				"rename the intent")
			continue
		}
		examples := readRasaExamples(p, itemFields, item, at)
		if name == "out_of_scope" {
			b.OutOfScope = appendNew(b.OutOfScope, examples)
			continue
		}
		s, dup := seen[name]
		switch {
		case !dup:
			seen[name] = first{rasaName, v.val.Line, len(b.Intents)}
			b.Intents = append(b.Intents, Intent{Name: name, Answer: map[string]string{}, Examples: examples})
		case s.rasaName == rasaName:
			p.add(v.val.Line, at+".intent", fmt.Sprintf("intent %s listed twice (first at line %d)", quote(rasaName), s.line),
				"merge the two items' examples into one")
		default:
			p.add(v.val.Line, at+".intent", fmt.Sprintf("intent %s becomes %q in Lotse, as does %s (line %d)",
				quote(rasaName), name, quote(s.rasaName), s.line), "rename one of them")
		}
	}
	if len(b.Intents) == 0 && p.ok() {
		p.add(nlu.line, "nlu", "no intents", "add at least one \"- intent: name\" item with examples")
	}
	return b
}

func hasAny(f map[string]keyed, keys ...string) bool {
	for _, k := range keys {
		if _, ok := f[k]; ok {
			return true
		}
	}
	return false
}

// appendNew appends the texts not yet in list.
func appendNew(list, texts []string) []string {
	for _, t := range texts {
		if !contains(list, t) {
			list = append(list, t)
		}
	}
	return list
}

// readRasaExamples reads an intent's examples: a "|" block of "- text"
// lines (the usual form), or a list of texts or of {text:, metadata:}.
func readRasaExamples(p *problems, f map[string]keyed, item *yaml.Node, path string) []string {
	path += ".examples"
	v, ok := f["examples"]
	if !ok || isNull(v.val) {
		p.add(item.Line, path, "intent has no examples", "add examples: | followed by \"- text\" lines")
		return nil
	}
	before := len(p.list)
	var out []string
	switch n := v.val; n.Kind {
	case yaml.ScalarNode:
		out = readRasaBlock(p, n, path)
	case yaml.SequenceNode:
		for i, c := range n.Content {
			c = resolve(c)
			at := index(path, i)
			if c.Kind == yaml.MappingNode {
				t, ok := fields(p, c, at, []string{"text", "metadata"})["text"]
				if !ok {
					p.add(c.Line, at, "example has no text:", "add text: with the example")
					continue
				}
				c = t.val
			}
			text, ok := scalar(p, c, at, "the example's text")
			if text = stripEntities(text); ok && text == "" {
				p.add(c.Line, at, "empty example", "write a message or remove the line")
			} else if ok {
				out = appendNew(out, []string{text})
			}
		}
	default:
		p.add(n.Line, path, "want a | block of \"- text\" lines, found "+describe(n), "")
	}
	if len(out) == 0 && len(p.list) == before {
		p.add(v.line, path, "intent has no examples", "add \"- text\" lines")
	}
	return out
}

// readRasaBlock reads the "- text" lines of an examples: | block. Blank
// lines and # comments are skipped. In a literal block, the lines follow
// the key's line one to one, so errors can name the exact line.
func readRasaBlock(p *problems, n *yaml.Node, path string) []string {
	var out []string
	for i, line := range strings.Split(n.Value, "\n") {
		at := n.Line
		if n.Style == yaml.LiteralStyle {
			at = n.Line + 1 + i
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, ok := strings.CutPrefix(line, "-")
		if !ok {
			p.add(at, path, "example line does not start with \"- \": "+quote(line), "write each example as \"- text\"")
			continue
		}
		if text = stripEntities(text); text == "" {
			p.add(at, path, "empty example", "write a message or remove the line")
			continue
		}
		out = appendNew(out, []string{text})
	}
	return out
}

// entity matches Rasa entity annotations: [Berlin](city),
// [Berlin]{"entity": "city"} and [Berlin]{"entity": "city", "value": "BER"}.
var entity = regexp.MustCompile(`\[([^\[\]]*)\](?:\([^()]*\)|\{[^{}]*\})`)

// stripEntities keeps the annotated text of entity annotations and trims.
func stripEntities(text string) string {
	return strings.TrimSpace(entity.ReplaceAllString(text, "$1"))
}

// rasaConfig is the language: of a Rasa project's config.yml.
type rasaConfig struct {
	code, file string
	line       int
}

// findRasaConfig returns the language: of the config.yml of the Rasa
// project the NLU file path belongs to, or nil. It looks beside the file,
// then one and two directories up: Rasa projects keep data/nlu.yml (or
// data/nlu/*.yml) under the project root, config.yml at the root.
func findRasaConfig(path string) *rasaConfig {
	dir := filepath.Dir(path)
	for range 3 {
		for _, name := range []string{"config.yml", "config.yaml"} {
			file := filepath.Join(dir, name)
			data, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			var doc yaml.Node
			if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
				continue
			}
			root := resolve(doc.Content[0])
			for i := 0; root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
				k, v := root.Content[i], resolve(root.Content[i+1])
				if k.Value == "language" && v.Kind == yaml.ScalarNode && !isNull(v) {
					return &rasaConfig{strings.TrimSpace(v.Value), file, v.Line}
				}
			}
		}
		dir = filepath.Dir(dir)
	}
	return nil
}

// rasaDomainKeys are top-level keys of Rasa files that are not NLU data:
// the domain (domain.yml) and stories and rules.
var rasaDomainKeys = []string{"responses", "session_config", "slots", "actions", "forms", "entities", "stories", "rules"}

// notRasaNLU reports a Rasa file that holds no NLU training data, which
// would otherwise get advice for bot.yaml: a domain.yml, stories or rules.
// It returns false for other files.
func notRasaNLU(p *problems, root *yaml.Node) bool {
	if hasKey(root, "name") || hasKey(root, "languages") {
		return false // a bot.yaml, with mistakes
	}
	what := ""
	for _, k := range rasaDomainKeys {
		if hasKey(root, k) {
			what = "a Rasa domain.yml"
			if k == "stories" || k == "rules" {
				what = "a Rasa stories or rules file"
			}
			break
		}
	}
	if what == "" {
		return false
	}
	p.add(0, "", "this looks like "+what+", which holds no training examples",
		"pass the project's data/nlu.yml (Rasa 2+ YAML with an nlu: key)")
	return true
}

// isRasaMarkdown reports Rasa 1.x Markdown training data (nlu.md): lines
// such as "## intent:greet".
func isRasaMarkdown(name string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".md") {
		return true
	}
	return rasaMarkdown.Match(data)
}

var rasaMarkdown = regexp.MustCompile(`(?m)^##\s*(intent|synonym|regex|lookup):`)
