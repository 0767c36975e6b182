package bot

import (
	"strings"
	"testing"
)

// TestLanguageHints checks that hints suggest the bot's own languages: the
// declared ones, else the codes its answers are written under, else the
// language its texts read as. A German bot's author was told "e.g. en:".
func TestLanguageHints(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // problems, each a whole line of the error without "bot.yaml"
	}{
		{"answer as text, languages [de]",
			"languages: [de]\nintents:\n- name: a\n  answer: \"Sie haben 30 Tage.\"\n  examples: [rückgabe]\n",
			[]string{`:4: intents[0].answer: want one text per language (e.g. de: ...), found text "Sie haben 30 Tage."; write the answer under its language code, e.g. de: "..."`}},
		{"answer as text, languages [en, de]",
			"languages: [en, de]\nintents:\n- name: a\n  answer: \"x\"\n  examples: [a]\n",
			[]string{`:4: intents[0].answer: want one text per language (e.g. en: ...), found text "x"; write the answer under its language code, e.g. en: "..."`}},
		{"no languages, de: answers",
			"name: shop\nintents:\n- name: a\n  answer: {de: \"x\"}\n  examples: [a b]\n",
			[]string{`: languages: missing; add languages: [de], the language of the answers`}},
		{"no languages, en: and de: answers",
			"intents:\n- name: a\n  answer: {en: \"x\"}\n  examples: [a]\n- name: b\n  answer: {de: \"y\", en: \"z\"}\n  examples: [b]\n",
			[]string{`: languages: missing; add languages: [en, de], the languages of the answers; the first language is the fallback`}},
		{"no languages, German text",
			"intents:\n- name: a\n  answer: \"Sie haben 30 Tage Rückgaberecht.\"\n  examples: [wie kann ich die schuhe zurückgeben]\n",
			[]string{
				`: languages: missing; add languages: [de] or [de, en]; the first language is the fallback`,
				`:3: intents[0].answer: want one text per language (e.g. de: ...), found text "Sie haben 30 Tage Rückgaberecht."; write the answer under its language code, e.g. de: "..."`,
			}},
		{"no languages, English text",
			"intents:\n- name: a\n  answer: \"You have 30 days.\"\n  examples: [how do I return the shoes]\n",
			[]string{
				`: languages: missing; add languages: [en] or [de, en]; the first language is the fallback`,
				`:3: intents[0].answer: want one text per language (e.g. en: ...), found text "You have 30 days."; write the answer under its language code, e.g. en: "..."`,
			}},
		{"languages empty, de: answers",
			"languages: []\nintents:\n- name: a\n  answer: {de: \"x\"}\n  examples: [a]\n",
			[]string{`:1: languages: no languages; add languages: [de], the language of the answers`}},
		{"languages as text",
			"languages: de, en\nintents:\n- name: a\n  answer: {de: \"x\", en: \"y\"}\n  examples: [a]\n",
			[]string{`:1: languages: want a list, found text "de, en"; write it as a list: [de, en]`}},
		{"languages as other text",
			"languages: deutsch\nintents:\n- name: a\n  answer: {de: \"x\"}\n  examples: [a]\n",
			[]string{`:1: languages: want a list, found text "deutsch"; write it as a list, e.g. [de, en]`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkProblems(t, tc.yaml, tc.want)
		})
	}
}

// TestGermanKeys checks that keys written in German are named: the keys
// are English whatever the bot's language.
func TestGermanKeys(t *testing.T) {
	const english = "; did you mean %s? The keys are English, whatever the bot's language"
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"intent keys",
			"languages: [de]\nintents:\n- name: a\n  antwort: {de: x}\n  beispiele: [a]\n  Übergabe: true\n",
			[]string{
				":4: intents[0].antwort: unknown key" + strings.Replace(english, "%s", "answer", 1),
				":5: intents[0].beispiele: unknown key" + strings.Replace(english, "%s", "examples", 1),
				":6: intents[0].Übergabe: unknown key" + strings.Replace(english, "%s", "handoff", 1),
			}},
		// "absicht" (intent) is intents: at the top, name: in an intent.
		// Keys so misspelt are not reported missing besides.
		{"top-level keys",
			"sprachen: [de]\nabsicht:\n- absicht: a\n  answer: {de: x}\n  examples: [a]\naußerhalb: [wetter]\n",
			[]string{
				":1: sprachen: unknown key" + strings.Replace(english, "%s", "languages", 1),
				":2: absicht: unknown key" + strings.Replace(english, "%s", "intents", 1),
				":6: außerhalb: unknown key" + strings.Replace(english, "%s", "out_of_scope", 1),
			}},
		// The answers under antwort: tell the language all the same.
		{"languages missing",
			"intents:\n- name: a\n  antwort: {de: x}\n  examples: [a]\n",
			[]string{
				": languages: missing; add languages: [de], the language of the answers",
				":3: intents[0].antwort: unknown key" + strings.Replace(english, "%s", "answer", 1),
			}},
		{"intent name",
			"languages: [de]\nintents:\n- absicht: a\n  answer: {de: x}\n  examples: [a]\n",
			[]string{":3: intents[0].absicht: unknown key" + strings.Replace(english, "%s", "name", 1)}},
		{"Rasa",
			"version: \"3.1\"\nsprache: de\nnlu:\n- intent: a\n  examples: |\n    - a\n",
			[]string{":2: sprache: unknown key" + strings.Replace(english, "%s", "language", 1)}},
		// English misspellings keep their own hint.
		{"English typo",
			"languages: [de]\nintents:\n- name: a\n  answer: {de: x}\n  exampels: [a]\n",
			[]string{":5: intents[0].exampels: unknown key; did you mean examples?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkProblems(t, tc.yaml, tc.want)
		})
	}
}

// TestHandoffWords checks the hint for yes and no written as words YAML
// reads as text.
func TestHandoffWords(t *testing.T) {
	for _, tc := range []struct{ value, hint string }{
		{"ja", "write true"},
		{"Nein", "write false"},
		{"yes", "write true"},
		{"vielleicht", "write true or false"},
		{"[true]", "write true or false"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			yaml := "languages: [de]\nintents:\n- name: a\n  answer: {de: x}\n  examples: [a]\n  handoff: " + tc.value + "\n"
			_, err := Parse("bot.yaml", []byte(yaml))
			if err == nil || !strings.HasSuffix(err.Error(), "; "+tc.hint) {
				t.Errorf("error %v, want one ending %q", err, tc.hint)
			}
		})
	}
}

// checkProblems parses yaml as bot.yaml and compares the error's lines,
// each without the file name, with want.
func checkProblems(t *testing.T, yaml string, want []string) {
	t.Helper()
	_, err := Parse("bot.yaml", []byte(yaml))
	if err == nil {
		t.Fatalf("no error, want:\n%s", strings.Join(want, "\n"))
	}
	got := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "bot.yaml"), "\nbot.yaml", "\n")
	if w := strings.Join(want, "\n"); got != w {
		t.Errorf("error:\n%s\nwant:\n%s", got, w)
	}
}
