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
	f := fields(p, root, "", botKeys)
	if v, ok := f["name"]; ok {
		if name, ok := scalar(p, v.val, "name", "the bot's name"); ok {
			b.Name = strings.TrimSpace(name)
		}
	}
	langs := readLanguages(p, f)
	b.Languages = langs.codes
	seen := examples{}
	v, ok := f["intents"]
	if !ok {
		p.add(0, "intents", "missing", "add an intents: list with at least one intent")
	} else {
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
}

func readLanguages(p *problems, f map[string]keyed) languages {
	const hint = "add languages: [en] or [de, en]; the first language is the fallback"
	v, ok := f["languages"]
	if !ok {
		p.add(0, "languages", "missing", hint)
		return languages{}
	}
	items, ok := list(p, v.val, "languages", "write it as a list, e.g. [de, en]")
	if !ok {
		return languages{}
	}
	if len(items) == 0 {
		p.add(v.line, "languages", "no languages", hint)
		return languages{}
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
	return l
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
		p.add(n.Line, path+".name", "intent has no name", "add name: with a snake_case name such as refund_status")
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
			p.add(v.val.Line, path+".handoff", "want true or false, found "+describe(v.val), "write true or false")
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
		p.add(v.val.Line, path, "want one text per language (e.g. en: ...), found "+describe(v.val),
			"write the answer under its language code, e.g. en: \"...\"")
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
