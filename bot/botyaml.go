package bot

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	botKeys    = []string{"name", "languages", "intents", "out_of_scope"}
	intentKeys = []string{"name", "handoff", "answer", "examples"}
)

// readBotYAML checks the root mapping of a bot.yaml and builds
// the Bot from it.
func readBotYAML(p *problems, root *yaml.Node, defaultName string) *Bot {
	b := &Bot{Name: defaultName, Source: SourceBotYAML}
	before := len(p.list)
	f := fields(p, root, "", botKeys)
	// A misspelt key ("sprachen:") is the reason the key it stands for
	// is missing: report it alone.
	misspelt := p.list[before:]
	if v, ok := f["name"]; ok {
		if name, ok := scalar(p, v.val, "name", "the bot's name"); ok {
			b.Name = strings.TrimSpace(name)
		}
	}
	langs := readLanguages(p, f, root, suggests(misspelt, "languages"))
	b.Languages = langs.codes
	seen := examples{}
	v, ok := f["intents"]
	if !ok && !suggests(misspelt, "intents") {
		p.add(0, "intents", "missing", "add an intents: list with at least one intent")
	} else if ok {
		b.Intents = readIntents(p, v, langs, seen)
	}
	if v, ok := f["out_of_scope"]; ok {
		var lines []int
		b.OutOfScope, lines = texts(p, v.val, "out_of_scope")
		for i, text := range b.OutOfScope {
			seen.check(p, text, lines[i], index("out_of_scope", i), "")
		}
	}
	return b
}

// examples remembers the intent and line of each example, so that the same
// message in two intents, or in an intent and out_of_scope, is an error:
// the model cannot learn it both ways, and cross-validation would count it
// wrong in one of them whatever the model did.
type examples map[string]exampleAt

type exampleAt struct {
	intent string // "" for out_of_scope
	line   int
}

// check records text as an example of intent (out_of_scope when "") and
// reports it when another intent, or out_of_scope, has it already. Case
// and spacing do not count: the features ignore them.
func (e examples) check(p *problems, text string, line int, field, intent string) {
	key := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	first, dup := e[key]
	if !dup {
		e[key] = exampleAt{intent, line}
		return
	}
	if first.intent == intent {
		return
	}
	owner := "out_of_scope"
	if first.intent != "" {
		owner = "intent " + first.intent
	}
	p.add(line, field, fmt.Sprintf("%s is also an example of %s (line %d)", quote(text), owner, first.line),
		"an example belongs to one intent: remove it from one of them")
}

// languages are the declared languages with the line that declared them.
type languages struct {
	codes []string
	line  int
	valid bool // all codes are well-formed, so answers can be checked against them
	// suggest are the codes that hints show in examples: the declared
	// ones, or when there are none the answers' (see suggestLanguages).
	// A German bot's author is not helped by "e.g. en:".
	suggest []string
}

// readLanguages reads the languages: key of root, whose fields are f;
// misspelt tells that a misspelt key stands for it, reported already.
func readLanguages(p *problems, f map[string]keyed, root *yaml.Node, misspelt bool) languages {
	v, ok := f["languages"]
	if !ok {
		suggest, from := suggestLanguages(root)
		if !misspelt {
			p.add(0, "languages", "missing", languagesHint(suggest, from))
		}
		return languages{suggest: suggest}
	}
	items, ok := list(p, v.val, "languages", listHint(v.val))
	if !ok {
		suggest, _ := suggestLanguages(root)
		return languages{suggest: suggest}
	}
	if len(items) == 0 {
		suggest, from := suggestLanguages(root)
		p.add(v.line, "languages", "no languages", languagesHint(suggest, from))
		return languages{suggest: suggest}
	}
	l := languages{line: v.line, valid: true}
	for i, item := range items {
		at := index("languages", i)
		code, ok := scalar(p, item, at, "a language code")
		switch {
		case !ok:
			l.valid = false
		case checkLanguage(code) != "":
			p.add(item.Line, at, "unsupported language code "+quote(code), checkLanguage(code))
			l.valid = false
		case contains(l.codes, code):
			p.add(item.Line, at, fmt.Sprintf("language %q listed twice", code), "remove one")
		default:
			l.codes = append(l.codes, code)
		}
	}
	l.suggest = l.codes
	if len(l.suggest) == 0 {
		l.suggest, _ = suggestLanguages(root)
	}
	return l
}

// listHint tells how to write languages: as a list. "languages: de, en"
// is one text; the hint writes it as the list it means.
func listHint(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		codes := strings.FieldsFunc(n.Value, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
		ok := len(codes) > 0
		for _, c := range codes {
			ok = ok && checkLanguage(c) == ""
		}
		if ok {
			return "write it as a list: [" + strings.Join(codes, ", ") + "]"
		}
	}
	return "write it as a list, e.g. [de, en]"
}

// Where suggestLanguages found the languages it suggests.
const (
	fromAnswers  = "answers"  // the language codes the answers are written under
	fromExamples = "examples" // the language the texts read as
)

// suggestLanguages returns the languages a bot without (valid) languages
// most likely has: the codes its answers are written under, in the order
// they first appear, or else the language its answers and examples read as
// (German or English). from tells which. Misspelt keys count as the keys
// they stand for ("antwort:" for answer:), as the author meant them.
func suggestLanguages(root *yaml.Node) (codes []string, from string) {
	var texts []string
	for _, intents := range valuesOf(root, "intents", botKeys) {
		if intents.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range intents.Content {
			for _, answer := range valuesOf(resolve(item), "answer", intentKeys) {
				switch answer.Kind {
				case yaml.MappingNode:
					for j := 0; j < len(answer.Content); j += 2 {
						code := resolve(answer.Content[j]).Value
						if checkLanguage(code) == "" && !contains(codes, code) {
							codes = append(codes, code)
						}
					}
				case yaml.ScalarNode:
					texts = append(texts, answer.Value)
				}
			}
			for _, examples := range valuesOf(resolve(item), "examples", intentKeys) {
				if examples.Kind == yaml.SequenceNode {
					for _, e := range examples.Content {
						texts = append(texts, resolve(e).Value)
					}
				}
			}
		}
	}
	if len(codes) > 0 {
		return codes, fromAnswers
	}
	return []string{detectLanguage(texts)}, fromExamples
}

// valuesOf returns the values of mapping n under key, or under a key that
// misspells it (as fields suggests among known).
func valuesOf(n *yaml.Node, key string, known []string) []*yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var out []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i]).Value
		if k == key || !contains(known, k) && suggestKey(k, known) == key {
			out = append(out, resolve(n.Content[i+1]))
		}
	}
	return out
}

// suggests reports whether one of errs is an unknown key that fields
// took for key.
func suggests(errs []*Error, key string) bool {
	for _, e := range errs {
		if e.Msg == msgUnknownKey && strings.HasPrefix(e.Hint, "did you mean "+key+"?") {
			return true
		}
	}
	return false
}

// languagesHint tells how to add the languages: key, with the languages
// suggestLanguages found.
func languagesHint(codes []string, from string) string {
	list := "[" + strings.Join(codes, ", ") + "]"
	switch {
	case from == fromAnswers && len(codes) == 1:
		return fmt.Sprintf("add languages: %s, the language of the answers", list)
	case from == fromAnswers:
		return fmt.Sprintf("add languages: %s, the languages of the answers; the first language is the fallback", list)
	case codes[0] == "de":
		return "add languages: [de] or [de, en]; the first language is the fallback"
	}
	return "add languages: [en] or [de, en]; the first language is the fallback"
}

func readIntents(p *problems, v keyed, langs languages, seen examples) []Intent {
	items, ok := list(p, v.val, "intents", "write each intent as a \"- name: ...\" item")
	if !ok {
		return nil
	}
	if len(items) == 0 {
		p.add(v.line, "intents", "no intents", "add at least one intent with name, answer and examples")
		return nil
	}
	var out []Intent
	firstLine := make(map[string]int)
	for i, item := range items {
		at := index("intents", i)
		if item.Kind != yaml.MappingNode {
			p.add(item.Line, at, "want an intent (name:, answer:, examples:), found "+describe(item), "")
			continue
		}
		in, nameLine, lines := readIntent(p, item, at, langs)
		if in.Name == "" {
			continue
		}
		if first, dup := firstLine[in.Name]; dup {
			p.add(nameLine, at+".name", fmt.Sprintf("duplicate intent %q (first defined at line %d)", in.Name, first),
				"rename one of them")
			continue
		}
		firstLine[in.Name] = nameLine
		for j, text := range in.Examples {
			seen.check(p, text, lines[j], index(at+".examples", j), in.Name)
		}
		out = append(out, in)
	}
	return out
}

func readIntent(p *problems, n *yaml.Node, path string, langs languages) (in Intent, nameLine int, lines []int) {
	before := len(p.list)
	f := fields(p, n, path, intentKeys)
	// A misspelt key ("example:") is the reason the key it stands for is
	// missing: report it alone, not also as a missing answer or examples.
	misspelt := hasUnknownKey(p.list[before:])
	if v, ok := f["name"]; !ok {
		if !suggests(p.list[before:], "name") {
			p.add(n.Line, path+".name", "intent has no name", "add name: with a snake_case name such as refund_status")
		}
	} else if name, ok := scalar(p, v.val, path+".name", "a snake_case name"); ok {
		nameLine = v.val.Line
		if snakeCase.MatchString(name) {
			in.Name = name
		} else if s := slug(name, len(name)); s != "" {
			p.add(nameLine, path+".name", fmt.Sprintf("intent name %s is not snake_case", quote(name)),
				fmt.Sprintf("write it as %q", s))
		} else {
			p.add(nameLine, path+".name", fmt.Sprintf("intent name %s is not snake_case", quote(name)),
				"use lowercase letters a-z, digits and single underscores")
		}
	}
	if v, ok := f["handoff"]; ok {
		if v.val.Kind == yaml.ScalarNode && v.val.Tag == "!!bool" {
			in.Handoff = v.val.Value == "true"
		} else {
			p.add(v.val.Line, path+".handoff", "want true or false, found "+describe(v.val), boolHint(v.val))
		}
	}
	if _, ok := f["answer"]; ok || !misspelt {
		in.Answer = readAnswer(p, f, n, path, langs, in.Handoff)
	} else {
		in.Answer = map[string]string{}
	}
	if v, ok := f["examples"]; ok {
		before := len(p.list)
		in.Examples, lines = texts(p, v.val, path+".examples")
		if len(in.Examples) == 0 && len(p.list) == before {
			p.add(v.line, path+".examples", "intent has no examples", "add at least one message a visitor might write")
		}
	} else if !misspelt {
		p.add(n.Line, path+".examples", "intent has no examples", "add examples: with at least one message a visitor might write")
	}
	return in, nameLine, lines
}

// boolWords are the words for yes and no that authors write where YAML
// (1.2, as yaml.v3 reads it) knows only true and false.
var boolWords = map[string]string{
	"yes": "true", "y": "true", "on": "true", "ja": "true", "wahr": "true",
	"no": "false", "n": "false", "off": "false", "nein": "false", "falsch": "false",
}

// boolHint says what to write for a value that is not true or false: the
// one it means when that is clear ("ja" is true).
func boolHint(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		if b := boolWords[strings.ToLower(strings.TrimSpace(n.Value))]; b != "" {
			return "write " + b
		}
	}
	return "write true or false"
}

// readAnswer checks that the answer has a text for every declared language
// and none for others. A handoff intent may leave out the answer entirely:
// the engine does not answer it.
func readAnswer(p *problems, f map[string]keyed, n *yaml.Node, path string, langs languages, handoff bool) map[string]string {
	path += ".answer"
	answer := make(map[string]string)
	v, ok := f["answer"]
	if !ok || isNull(v.val) {
		if !handoff && len(langs.codes) > 0 {
			line := n.Line
			if ok {
				line = v.line
			}
			p.add(line, path, "intent has no answer",
				fmt.Sprintf("add answer: with a text for each language (%s), or set handoff: true", strings.Join(langs.codes, ", ")))
		}
		return answer
	}
	if v.val.Kind != yaml.MappingNode {
		code := "en"
		if len(langs.suggest) > 0 {
			code = langs.suggest[0]
		}
		p.add(v.val.Line, path, fmt.Sprintf("want one text per language (e.g. %s: ...), found %s", code, describe(v.val)),
			fmt.Sprintf("write the answer under its language code, e.g. %s: \"...\"", code))
		return answer
	}
	for i := 0; i+1 < len(v.val.Content); i += 2 {
		k, t := resolve(v.val.Content[i]), resolve(v.val.Content[i+1])
		code := k.Value
		at := join(path, code)
		if k.Kind != yaml.ScalarNode {
			p.add(k.Line, path, "want a language code as key, found "+describe(k), "")
			continue
		}
		if _, dup := answer[code]; dup {
			p.add(k.Line, at, "answer given twice for this language", "keep one")
			continue
		}
		if hint := checkLanguage(code); hint != "" {
			p.add(k.Line, at, "unsupported language code "+quote(code), hint)
			continue
		}
		if langs.valid && !contains(langs.codes, code) {
			p.add(k.Line, at, fmt.Sprintf("answer for language %q, which is not in languages (line %d)", code, langs.line),
				fmt.Sprintf("add %s to languages or remove this answer", code))
		}
		text, ok := scalar(p, t, at, "the answer text")
		if ok && strings.TrimSpace(text) == "" {
			p.add(t.Line, at, "empty answer", "write the answer text")
		}
		answer[code] = strings.TrimSpace(text)
	}
	if langs.valid {
		for _, code := range langs.codes {
			if _, ok := answer[code]; !ok {
				p.add(v.line, path, fmt.Sprintf("no answer for language %q (declared in languages, line %d)", code, langs.line),
					fmt.Sprintf("add %s: with the answer text", code))
			}
		}
	}
	return answer
}

// hasUnknownKey reports whether errs hold an unknown-key error.
func hasUnknownKey(errs []*Error) bool {
	for _, e := range errs {
		if e.Msg == msgUnknownKey {
			return true
		}
	}
	return false
}
