package bot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/lotse-chat/lotse/internal/wording"
	"gopkg.in/yaml.v3"
)

// parseYAML reads data as one YAML document and returns its root node, or
// nil after reporting why it could not.
func parseYAML(p *problems, data []byte) *yaml.Node {
	checkEncoding(p, data)
	if !p.ok() {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			emptyFile(p, data)
		} else {
			syntaxError(p, data, err)
		}
		return nil
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		line := next.Line
		if err != nil {
			line = 0
		}
		p.add(line, "", "more than one YAML document (---) in the file",
			"keep one bot per file and remove the extra --- line")
		return nil
	}
	root := resolve(&doc)
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = resolve(root.Content[0])
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		emptyFile(p, data)
		return nil
	}
	if root.Kind != yaml.MappingNode {
		p.add(root.Line, "", "the file must be a mapping of keys such as name: and intents:, found "+describe(root),
			"start the file with name:, languages: and intents:")
		return nil
	}
	return root
}

// emptyFile reports a YAML file without content: empty, or only comments
// and blank lines.
func emptyFile(p *problems, data []byte) {
	msg := "file is empty"
	if len(bytes.TrimSpace(data)) > 0 {
		msg = "file has no content but comments"
	}
	p.add(0, "", msg, "write the bot definition into it: name:, languages: and intents: (README.md, \"For bot authors\")")
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 error into an *Error, keeping its line number.
func syntaxError(p *problems, data []byte, err error) {
	msg := err.Error()
	line := 1 // yaml.v3 leaves out the line number when it is the first
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
			line = lineOf(data, "*"+strings.TrimSuffix(name, "' referenced"))
		}
	}
	if l := firstFailingLine(data, msg); l > 0 {
		line = l
	}
	hint := "check the indentation and quoting on this line and the one above; quote text that contains \": \" or \" #\""
	if q, quote := openQuote(data, line); q > 0 && q < line {
		// The text runs on to the next quote, lines below, where the
		// parser gives up: the author's mistake is here.
		line, hint = q, fmt.Sprintf("the quoted text that starts on this line is not closed on it; end it with %c", quote)
	}
	switch {
	case strings.Contains(msg, "tab character") || startsWithTab(data, line):
		hint = "indent with spaces; YAML does not allow tabs for indentation"
	case strings.HasPrefix(msg, "unknown anchor"):
		hint = "define the anchor (&name) before using it (*name), or quote text that starts with *"
	}
	p.add(line, "", "YAML syntax error: "+msg, hint)
}

// firstFailingLine finds the line where a syntax error shows up: the
// shortest prefix of the file, in whole lines, that fails to parse with the
// same message. yaml.v3 often reports the line where the enclosing block
// began instead (line 3 for a bad indent on line 8), which sends authors
// looking in the wrong place. Binary search keeps this to a few parses; it
// returns 0 when no prefix fails alike.
func firstFailingLine(data []byte, msg string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	fails := func(n int) bool {
		var doc yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:n], nil), &doc)
		return err != nil && strings.HasSuffix(err.Error(), msg)
	}
	lo, hi := 1, len(lines) // find the smallest n in [lo, hi] with fails(n)
	if !fails(hi) {
		return 0
	}
	for lo < hi {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// startsWithTab reports whether the 1-based line is indented with a tab.
func startsWithTab(data []byte, line int) bool {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return false
	}
	indent := bytes.TrimLeft(lines[line-1], " ")
	return len(indent) > 0 && indent[0] == '\t'
}

// openQuote returns the line, at or before line, whose value starts with a
// quote (returned too) that nothing closes before line ("en: \"Delivery takes 2 days",
// "- 'hello"), or 0. Such text runs on, lines further, to the next quote,
// and yaml.v3 reports the line where it then trips. A quoted text that
// spans lines but closes before line is valid YAML, and not the culprit.
func openQuote(data []byte, line int) (int, byte) {
	lines := bytes.Split(data, []byte("\n"))
	line = min(line, len(lines))
	for n := line; n >= 1; n-- {
		if q := quoteAt(lines[n-1]); q != 0 {
			for _, l := range lines[n:max(n, line-1)] {
				if bytes.IndexByte(l, q) >= 0 {
					return 0, 0 // closed on the way: a valid multi-line text
				}
			}
			return n, q
		}
	}
	return 0, 0
}

// quoteAt returns the quote character that opens an unclosed value on
// line l, or 0.
func quoteAt(l []byte) byte {
	i := bytes.IndexAny(l, `"'`)
	if i < 0 {
		return 0
	}
	// A value starts after "key:", "-", "[", "{" or ",": elsewhere a quote
	// is part of plain text ("don't").
	before := bytes.TrimRight(l[:i], " ")
	if len(before) > 0 && !bytes.ContainsAny(before[len(before)-1:], ":-[{,") {
		return 0
	}
	q, open := l[i], true
	for j := i + 1; j < len(l); j++ {
		switch {
		case q == '"' && l[j] == '\\':
			j++ // an escape
		case l[j] == q && q == '\'' && j+1 < len(l) && l[j+1] == '\'':
			j++ // '' is a quote inside single quotes
		case l[j] == q:
			open = !open
		}
	}
	if !open {
		return 0
	}
	return q
}

// lineOf returns the 1-based line of the first occurrence of s in data, or 0.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// resolve follows aliases (*name) to the node they stand for. yaml.v3 can
// build cyclic aliases, so the walk is bounded; the schema walkers never
// recurse further than the bot file format nests.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports an empty value ("key:" with nothing after it, or ~).
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe names what a node is, for "want X, found Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return "text " + quote(n.Value)
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping (key: value)"
	}
	return "an alias"
}

// keyed is a mapping value with the line of its key.
type keyed struct {
	line int // line of the key
	val  *yaml.Node
}

const msgUnknownKey = "unknown key"

// fields returns the values of the known keys of mapping n, reporting
// unknown keys (with the closest known key as a suggestion) and keys given
// twice. Keys in tolerate are accepted and ignored.
func fields(p *problems, n *yaml.Node, path string, known []string, tolerate ...string) map[string]keyed {
	out := make(map[string]keyed)
	seen := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.add(k.Line, path, "a key must be a plain word, found "+describe(k), "write one of: "+strings.Join(known, ", "))
			continue
		}
		name := k.Value
		if first, dup := seen[name]; dup {
			p.add(k.Line, join(path, name), fmt.Sprintf("key given twice (first at line %d)", first),
				"merge the two into one")
			continue
		}
		seen[name] = k.Line
		switch {
		case contains(known, name):
			out[name] = keyed{k.Line, v}
		case contains(tolerate, name):
		case name == "<<":
			p.add(k.Line, join(path, name), "merge keys (<<) are not supported", "write the keys out")
		default:
			hint := "remove it; known keys here: " + strings.Join(known, ", ")
			if c := germanKey(name, known); c != "" {
				hint = fmt.Sprintf("did you mean %s? The keys are English, whatever the bot's language", c)
			} else if c := suggestKey(name, known); c != "" {
				hint = fmt.Sprintf("did you mean %s?", c)
			}
			p.add(k.Line, join(path, name), msgUnknownKey, hint)
		}
	}
	return out
}

// germanKeys maps German words that authors write for keys to the keys
// they mean, in the order to try: "absicht" (intent) is intents: at the top
// of a bot.yaml, an intent's name: inside one and intent: in Rasa data.
var germanKeys = map[string][]string{
	"name": nil, "bezeichnung": {"name"}, "titel": {"name"},
	"sprachen": {"languages", "language"}, "sprache": {"language", "languages"},
	"absichten": {"intents"}, "absicht": {"intents", "intent", "name"}, "anliegen": {"intents", "intent", "name"},
	"antwort": {"answer"}, "antworten": {"answer"},
	"beispiele": {"examples"}, "beispiel": {"examples"}, "beispielsaetze": {"examples"}, "saetze": {"examples"},
	"fragen": {"examples"}, "formulierungen": {"examples"},
	"uebergabe": {"handoff"}, "weiterleiten": {"handoff"}, "weiterleitung": {"handoff"}, "uebergeben": {"handoff"},
	"ausserhalb": {"out_of_scope"}, "nicht_zustaendig": {"out_of_scope"}, "themenfremd": {"out_of_scope"},
	"ausser_thema": {"out_of_scope"}, "nicht_beantworten": {"out_of_scope"},
}

// suggestKey returns the key among known that an unknown key most likely
// stands for, in German or misspelt, or "".
func suggestKey(name string, known []string) string {
	if k := germanKey(name, known); k != "" {
		return k
	}
	return wording.Closest(name, known)
}

// germanKey returns the key among known that the German word name stands
// for, or "".
func germanKey(name string, known []string) string {
	n := transliteration.Replace(strings.ToLower(strings.TrimSpace(name)))
	n = strings.NewReplacer("-", "_", " ", "_").Replace(n)
	for _, k := range germanKeys[n] {
		if contains(known, k) {
			return k
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// join appends a key to a field path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// scalar returns the text of a value that must be text, reporting otherwise.
func scalar(p *problems, n *yaml.Node, path, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.add(n.Line, path, fmt.Sprintf("want %s, found %s", what, describe(n)), "write it as plain text")
		return "", false
	}
	return n.Value, true
}

// list returns the items of a value that must be a list; a null value is an
// empty list.
func list(p *problems, n *yaml.Node, path, hint string) ([]*yaml.Node, bool) {
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, path, "want a list, found "+describe(n), hint)
		return nil, false
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		items[i] = resolve(c)
	}
	return items, true
}

// texts reads a list of messages: trimmed, non-empty, first of exact
// duplicates kept (a repeated example says nothing new, so it is no error),
// each with its line.
func texts(p *problems, n *yaml.Node, path string) (out []string, lines []int) {
	items, _ := list(p, n, path, "write each message as its own \"- text\" line")
	seen := make(map[string]bool)
	for i, item := range items {
		at := index(path, i)
		if item.Kind == yaml.MappingNode {
			p.add(item.Line, at, "want text, found a mapping (key: value)",
				`put text that contains ": " in quotes`)
			continue
		}
		if item.Kind != yaml.ScalarNode {
			p.add(item.Line, at, "want text, found "+describe(item), "")
			continue
		}
		text := strings.TrimSpace(item.Value)
		if isNull(item) || text == "" {
			p.add(item.Line, at, "empty example", "write a message or remove the line")
			continue
		}
		if !seen[text] {
			seen[text] = true
			out = append(out, text)
			lines = append(lines, item.Line)
		}
	}
	return out, lines
}

// hasKey reports whether mapping has the top-level key.
func hasKey(mapping *yaml.Node, key string) bool {
	for i := 0; i+1 < len(mapping.Content); i += 2 {
		if k := mapping.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return true
		}
	}
	return false
}
