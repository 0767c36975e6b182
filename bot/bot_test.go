package bot

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// loadErrors lists, for every fixture in testdata/invalid, the full error
// text Load returns, one problem a line, each without the file name that
// starts it ("testdata/invalid/NAME").
var loadErrors = []struct {
	file string
	want []string
}{
	{"answer_missing.yaml", []string{
		":4: intents[0].answer: no answer for language \"en\" (declared in languages, line 1); add en: with the answer text",
		":7: intents[1].answer: intent has no answer; add answer: with a text for each language (de, en), or set handoff: true",
		":12: intents[2].answer.en: empty answer; write the answer text",
	}},
	{"answer_undeclared.yaml", []string{
		":6: intents[0].answer.de: answer for language \"de\", which is not in languages (line 1); add de to languages or remove this answer",
	}},
	// A German header is accepted (testdata/valid/faq_phrasings.csv); a
	// misspelt one is named.
	{"bad_header.csv", []string{
		":1: header: want the header question,answer or question,answer,lang (German: Frage,Antwort,Sprache), found \"Fragen;Antworten\"; did you mean frage,antwort?",
	}},
	{"bad_language.yaml", []string{
		":1: languages[0]: unsupported language code \"DE\"; write it in lowercase: \"de\"",
		":1: languages[1]: unsupported language code \"de-DE\"; write the two-letter ISO 639-1 code \"de\"; regional variants are not supported",
		":1: languages[2]: unsupported language code \"german\"; write the ISO 639-1 code \"de\"",
		":1: languages[3]: unsupported language code \"klingon\"; use a two-letter ISO 639-1 code such as \"de\" or \"en\"",
		":1: languages[5]: language \"en\" listed twice; remove one",
		":4: intents[0].answer.EN: unsupported language code \"EN\"; write it in lowercase: \"en\"",
	}},
	{"comment_only.yaml", []string{
		": file has no content but comments; write the bot definition into it: name:, languages: and intents: (README.md, \"For bot authors\")",
	}},
	// The same question with another answer is an error; with the same
	// answer (line 5) a repetition, skipped.
	{"csv_duplicate.csv", []string{
		":4: question: duplicate question with another answer (first at line 2); keep one of the two rows: a question has one answer",
	}},
	{"csv_empty.csv", []string{
		": file is empty; write the header question,answer and one row per question",
	}},
	{"csv_empty_field.csv", []string{
		":2: question: empty question; write the question or remove the row",
		":3: answer: empty answer; write the answer or remove the row",
	}},
	{"csv_fields.csv", []string{
		":2: row has 3 fields, the header 2; put fields that contain commas in double quotes: \"like, this\"",
		":3: row has 1 field, the header 2; put fields that contain commas in double quotes: \"like, this\"",
	}},
	{"csv_lang.csv", []string{
		":3: lang: language \"en\" differs from \"de\" (line 2); a FAQ CSV holds one language; split the file by language, or write a bot.yaml for a multilingual bot",
		":4: lang: unsupported language code \"swedish\"; use a two-letter ISO 639-1 code such as \"de\" or \"en\"",
	}},
	{"csv_latin1.csv", []string{
		":2: invalid UTF-8 (byte 0xFC at column 3); save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
	}},
	// The header forgotten: the first row is a question and its answer.
	{"csv_no_header.csv", []string{
		":1: header: the first line looks like a question and its answer, not the header: \"How do I reset my password?,Open Setting…\"; add the header line question,answer above it",
	}},
	// The line is quoted as written, not lowercased.
	{"csv_other_header.csv", []string{
		":1: header: want the header question,answer or question,answer,lang (German: Frage,Antwort,Sprache), found \"Q,A\"; make the first line the header question,answer",
	}},
	{"csv_no_rows.csv", []string{
		": no questions; add one row per question under the header",
	}},
	{"csv_quote.csv", []string{
		":3: CSV syntax error at column 18: extraneous or missing \" in quoted-field; put fields with commas, quotes or line breaks in double quotes and double the quotes inside: \"say \"\"hi\"\"\"",
	}},
	{"duplicate_intent.yaml", []string{
		":10: intents[2].name: duplicate intent \"refund_status\" (first defined at line 4); rename one of them",
	}},
	{"duplicate_example.yaml", []string{
		":13: intents[1].examples[1]: \"Where is  my Refund\" is also an example of intent refund_status (line 7); an example belongs to one intent: remove it from one of them",
		":16: out_of_scope[1]: \"my money back\" is also an example of intent refund_status (line 8); an example belongs to one intent: remove it from one of them",
	}},
	{"duplicate_key.yaml", []string{
		":6: intents[0].examples: key given twice (first at line 5); merge the two into one",
	}},
	{"empty.yaml", []string{
		": file is empty; write the bot definition into it: name:, languages: and intents: (README.md, \"For bot authors\")",
	}},
	{"empty_example.yaml", []string{
		":7: intents[0].examples[1]: empty example; write a message or remove the line",
		":8: intents[0].examples[2]: empty example; write a message or remove the line",
		":9: intents[0].examples[3]: want text, found a mapping (key: value); put text that contains \": \" in quotes",
		":11: out_of_scope[0]: empty example; write a message or remove the line",
	}},
	{"handoff_not_bool.yaml", []string{
		":3: intents[0].answer: intent has no answer; add answer: with a text for each language (en), or set handoff: true",
		":4: intents[0].handoff: want true or false, found text \"yes\"; write true",
	}},
	{"intents_not_list.yaml", []string{
		":3: intents: want a list, found a mapping (key: value); write each intent as a \"- name: ...\" item",
	}},
	{"invalid_utf8.yaml", []string{
		":4: invalid UTF-8 (byte 0xFC at column 20); save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
		":7: control character U+0001 at column 21; remove it; only tabs and line breaks are allowed",
	}},
	// A file in Latin-1 is reported once, not once a line.
	{"latin1.yaml", []string{
		":6: invalid UTF-8 (byte 0xFC at column 45); 3 lines in all have such bytes; save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
	}},
	{"missing_intents.yaml", []string{
		": languages: missing; add languages: [en] or [de, en]; the first language is the fallback",
		": intents: missing; add an intents: list with at least one intent",
	}},
	{"nlu.md", []string{
		": this looks like a Rasa nlu.md (the Markdown training data of Rasa 1), which Lotse does not read; pass data/nlu.yml (Rasa 2+ YAML); \"rasa data convert nlu -f yaml\" makes it from nlu.md",
	}},
	{"domain.yml", []string{
		": this looks like a Rasa domain.yml, which holds no training examples; pass the project's data/nlu.yml (Rasa 2+ YAML with an nlu: key)",
	}},
	{"no_examples.yaml", []string{
		":3: intents[0].examples: intent has no examples; add examples: with at least one message a visitor might write",
		":7: intents[1].examples: intent has no examples; add at least one message a visitor might write",
		":10: intents[2].examples: intent has no examples; add at least one message a visitor might write",
	}},
	{"no_intents.yaml", []string{
		":3: intents: no intents; add at least one intent with name, answer and examples",
	}},
	{"no_languages.yaml", []string{
		":1: languages: no languages; add languages: [en] or [de, en]; the first language is the fallback",
	}},
	{"not_snake_case.yaml", []string{
		":3: intents[0].name: intent name \"Refund Status\" is not snake_case; write it as \"refund_status\"",
		":6: intents[1].name: intent name \"refund-status\" is not snake_case; write it as \"refund_status\"",
		":9: intents[2].name: intent name \"!!!\" is not snake_case; use lowercase letters a-z, digits and single underscores",
	}},
	{"rasa_errors.yml", []string{
		":6: nlu[0].examples: example line does not start with \"- \": \"hello there\"; write each example as \"- text\"",
		":7: nlu[0].examples: empty example; write a message or remove the line",
		":8: nlu[1].examples: intent has no examples; add examples: | followed by \"- text\" lines",
		":9: nlu[2].intent: intent \"Greet\" becomes \"greet\" in Lotse, as does \"greet\" (line 3); rename one of them",
		":12: nlu[3].intnet: unknown key; did you mean intent?",
		":16: nlu[4].examples: example line does not start with \"- \": \"not a block\"; write each example as \"- text\"",
	}},
	// bot.yaml calls a duplicate intent an error; so does a Rasa file.
	{"rasa_duplicate.yml", []string{
		":9: nlu[2].intent: intent \"greet\" listed twice (first at line 3); merge the two items' examples into one",
	}},
	{"rasa_no_intents.yml", []string{
		":2: nlu: no intents; add at least one \"- intent: name\" item with examples",
	}},
	{"rasa_unknown_key.yml", []string{
		":2: language: unsupported language code \"german\"; write the ISO 639-1 code \"de\"",
		":8: storys: unknown key; remove it; known keys here: version, nlu, language",
	}},
	{"root_list.yaml", []string{
		":1: the file must be a mapping of keys such as name: and intents:, found a list; start the file with name:, languages: and intents:",
	}},
	{"syntax_colon.yaml", []string{
		":7: YAML syntax error: mapping values are not allowed in this context; check the indentation and quoting on this line and the one above; quote text that contains \": \" or \" #\"",
	}},
	{"syntax_error.yaml", []string{
		":8: YAML syntax error: did not find expected key; check the indentation and quoting on this line and the one above; quote text that contains \": \" or \" #\"",
	}},
	// A quoted answer over two lines is valid: the error is where it is.
	{"syntax_after_multiline_quote.yaml", []string{
		":13: YAML syntax error: did not find expected key; check the indentation and quoting on this line and the one above; quote text that contains \": \" or \" #\"",
	}},
	{"syntax_open_quote.yaml", []string{
		":7: YAML syntax error: did not find expected key; the quoted text that starts on this line is not closed on it; end it with \"",
	}},
	{"syntax_quote.yaml", []string{
		":5: YAML syntax error: found unexpected end of stream; check the indentation and quoting on this line and the one above; quote text that contains \": \" or \" #\"",
	}},
	{"tab.yaml", []string{
		":3: YAML syntax error: found character that cannot start any token; indent with spaces; YAML does not allow tabs for indentation",
	}},
	{"too_many.yaml", []string{
		":6: intents[0].examples[0]: empty example; write a message or remove the line",
		":7: intents[0].examples[1]: empty example; write a message or remove the line",
		":8: intents[0].examples[2]: empty example; write a message or remove the line",
		":9: intents[0].examples[3]: empty example; write a message or remove the line",
		":10: intents[0].examples[4]: empty example; write a message or remove the line",
		":11: intents[0].examples[5]: empty example; write a message or remove the line",
		":12: intents[0].examples[6]: empty example; write a message or remove the line",
		":13: intents[0].examples[7]: empty example; write a message or remove the line",
		":14: intents[0].examples[8]: empty example; write a message or remove the line",
		":15: intents[0].examples[9]: empty example; write a message or remove the line",
		":16: intents[0].examples[10]: empty example; write a message or remove the line",
		":17: intents[0].examples[11]: empty example; write a message or remove the line",
		":18: intents[0].examples[12]: empty example; write a message or remove the line",
		":19: intents[0].examples[13]: empty example; write a message or remove the line",
		":20: intents[0].examples[14]: empty example; write a message or remove the line",
		":21: intents[0].examples[15]: empty example; write a message or remove the line",
		":22: intents[0].examples[16]: empty example; write a message or remove the line",
		":23: intents[0].examples[17]: empty example; write a message or remove the line",
		":24: intents[0].examples[18]: empty example; write a message or remove the line",
		":25: intents[0].examples[19]: empty example; write a message or remove the line",
		": 5 more problems not shown; fix the ones above and run again",
	}},
	{"two_documents.yaml", []string{
		":6: more than one YAML document (---) in the file; keep one bot per file and remove the extra --- line",
	}},
	{"unknown_anchor.yaml", []string{
		":5: YAML syntax error: unknown anchor 'hellos' referenced; define the anchor (&name) before using it (*name), or quote text that starts with *",
	}},
	{"unknown_key.yaml", []string{
		":6: intents[0].exmples: unknown key; did you mean examples?",
		":7: intents[0].colour: unknown key; remove it; known keys here: name, handoff, answer, examples",
		":8: out_of_scop: unknown key; did you mean out_of_scope?",
	}},
	{"utf16.yaml", []string{
		":1: file is UTF-16, not UTF-8; save it as UTF-8",
	}},
	{"wrong_type.yaml", []string{
		":1: name: want the bot's name, found a list; write it as plain text",
		":2: languages: want a list, found text \"en\"; write it as a list: [en]",
		":5: intents[0].answer: want one text per language (e.g. en: ...), found text \"Hi\"; write the answer under its language code, e.g. en: \"...\"",
		":6: intents[0].examples: want a list, found text \"- hi\\n- hello\\n\"; write each message as its own \"- text\" line",
		":9: intents[1]: want an intent (name:, answer:, examples:), found text \"just a string\"",
		":10: out_of_scope: want a list, found text \"weather\"; write each message as its own \"- text\" line",
	}},
}

func TestLoadErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(loadErrors) {
		t.Errorf("testdata/invalid has %d files, the table %d: add the new fixture to loadErrors", len(files), len(loadErrors))
	}
	for _, tc := range loadErrors {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "invalid", tc.file)
			b, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%s) = %+v, want an error", path, b)
			}
			want := path + strings.Join(tc.want, "\n"+path)
			if got := err.Error(); got != want {
				t.Errorf("Load(%s) error:\n%s\nwant:\n%s", path, got, want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != path {
				t.Errorf("errors.As(*Error) = %+v, want an *Error for file %s", e, path)
			}
		})
	}
}

func TestLoadValid(t *testing.T) {
	tests := []struct {
		path string
		want *Bot
	}{
		{"testdata/valid/acme/bot.yaml", &Bot{
			Name: "acme-help", Languages: []string{"de", "en"}, Source: SourceBotYAML,
			Intents: []Intent{
				{Name: "payment_due_date", Answer: map[string]string{
					"de": "Die Fälligkeit steht in der App unter **Konto**.",
					"en": "You find the due date in the app under **Account**."},
					Examples: []string{"wann muss ich zahlen", "when is my payment due"}},
				{Name: "outstanding_balance", Handoff: true, Answer: map[string]string{},
					Examples: []string{"wie hoch ist mein Saldo", "what do I owe"}},
				{Name: "greeting", Answer: map[string]string{"de": "Hallo!", "en": "Hello!"},
					Examples: []string{"hallo", "hi"}},
			},
			OutOfScope: []string{"what is the weather in Berlin"},
		}},
		// A directory stands for its bot.yaml.
		{"testdata/valid/acme", nil},
		{"testdata/valid/shop/data/nlu.yml", &Bot{
			Name: "shop", Languages: []string{"en"}, LanguageDetected: true, Source: SourceRasa,
			Intents: []Intent{
				{Name: "greet", Answer: map[string]string{},
					Examples: []string{"hey", "hello from Berlin", "hi Munich!", "good morning"}},
				{Name: "faq_ask_name", Answer: map[string]string{},
					Examples: []string{"what is your name", "who are you"}},
			},
			OutOfScope: []string{"I want pizza"},
		}},
		// A Rasa project directory stands for its data/nlu.yml.
		{"testdata/valid/shop", nil},
		{"testdata/valid/faq.csv", &Bot{
			Name: "faq", Languages: []string{"en"}, LanguageDetected: true, Source: SourceCSV,
			Intents: []Intent{
				{Name: "how_do_i_reset_my_password", Answer: map[string]string{"en": "Open Settings, then Security."},
					Examples: []string{"How do I reset my password?"}},
				{Name: "what_are_your_opening_hours", Answer: map[string]string{"en": "9 to 5"},
					Examples: []string{"What are your\nopening hours?"}},
				{Name: "how_do_i_reset_my_password_2", Answer: map[string]string{"en": "Same as above."},
					Examples: []string{"how do I reset my password"}},
				{Name: "question_4", Answer: map[string]string{"en": `He said "hi"`},
					Examples: []string{"¿¿¿"}},
			},
		}},
		// No lang column: the questions read as German.
		{"testdata/valid/faq_de_nolang.csv", &Bot{
			Name: "faq_de_nolang", Languages: []string{"de"}, LanguageDetected: true, Source: SourceCSV,
			Intents: []Intent{
				{Name: "wie_aendere_ich_meine_adresse", Answer: map[string]string{"de": "In der App unter Profil."},
					Examples: []string{"Wie ändere ich meine Adresse?"}},
				{Name: "wann_muss_ich_die_rechnung_bezahlen", Answer: map[string]string{"de": "Innerhalb von 30 Tagen."},
					Examples: []string{"Wann muss ich die Rechnung bezahlen?"}},
				{Name: "kann_ich_in_raten_zahlen", Answer: map[string]string{"de": "Ja."},
					Examples: []string{"Kann ich in Raten zahlen?"}},
			},
		}},
		// Tab-separated, as spreadsheets export "text" files.
		{"testdata/valid/faq_tab.csv", &Bot{
			Name: "faq_tab", Languages: []string{"en"}, LanguageDetected: true, Source: SourceCSV,
			Intents: []Intent{
				{Name: "what_are_your_opening_hours", Answer: map[string]string{"en": "9 to 5, Monday to Friday"},
					Examples: []string{"What are your opening hours?"}},
			},
		}},
		// The Rasa project's config.yml, a directory up, says language: de
		// (and wins over the examples, which read as English).
		{"testdata/valid/laden/data/nlu.yml", &Bot{
			Name: "laden", Languages: []string{"de"}, Source: SourceRasa,
			Intents: []Intent{{Name: "greet", Answer: map[string]string{}, Examples: []string{"hello", "hi"}}},
		}},
		// No language anywhere: the examples read as German.
		{"testdata/valid/gruss/nlu.yml", &Bot{
			Name: "gruss", Languages: []string{"de"}, LanguageDetected: true, Source: SourceRasa,
			Intents: []Intent{
				{Name: "begruessung", Answer: map[string]string{}, Examples: []string{"hallo", "guten Morgen"}},
				{Name: "rechnung", Answer: map[string]string{}, Examples: []string{"wann muss ich die Rechnung bezahlen", "wo finde ich meine Rechnung"}},
			},
		}},
		// A German header; rows with the same answer (after trimming) are
		// one intent, named after the first row's question; a repeated
		// row is skipped; "ja." is not "Ja.".
		{"testdata/valid/faq_phrasings.csv", &Bot{
			Name: "faq_phrasings", Languages: []string{"de"}, Source: SourceCSV,
			Intents: []Intent{
				{Name: "wie_lange_dauert_der_versand", Answer: map[string]string{"de": "Der Versand dauert 2-3 Werktage."},
					Examples: []string{"Wie lange dauert der Versand?", "Wann kommt meine Bestellung?", "Wie lange dauert die Lieferung?"}},
				{Name: "kann_ich_mit_paypal_zahlen", Answer: map[string]string{"de": "Ja."},
					Examples: []string{"Kann ich mit PayPal zahlen?", "Geht Kreditkarte?"}},
				{Name: "geht_rechnung", Answer: map[string]string{"de": "ja."},
					Examples: []string{"Geht Rechnung?"}},
			},
		}},
		// BOM, CRLF, ";" separators and a lang column, as German spreadsheets write them.
		{"testdata/valid/faq_de.csv", &Bot{
			Name: "faq_de", Languages: []string{"de"}, Source: SourceCSV,
			Intents: []Intent{
				{Name: "wie_aendere_ich_meine_adresse", Answer: map[string]string{"de": "In der App unter Profil."},
					Examples: []string{"Wie ändere ich meine Adresse?"}},
				{Name: "kuendigung", Answer: map[string]string{"de": "Schreiben Sie uns."},
					Examples: []string{"Kündigung"}},
			},
		}},
	}
	var prev *Bot
	for _, tc := range tests {
		got, err := Load(tc.path)
		if err != nil {
			t.Errorf("Load(%s): %v", tc.path, err)
			continue
		}
		want := tc.want
		if want == nil { // same bot as the file in the row above
			want = prev
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Load(%s) =\n%+v\nwant\n%+v", tc.path, got, want)
		}
		prev = want
	}
}

// TestRepositoryBots loads the bots shipped in the repository's testdata.
func TestRepositoryBots(t *testing.T) {
	for _, path := range []string{
		"../testdata/bots/demo/bot.yaml",
		"../testdata/bots/demo-rasa/nlu.yml",
		"../testdata/bots/faq.csv",
	} {
		b, err := Load(path)
		if err != nil {
			t.Errorf("Load(%s): %v", path, err)
			continue
		}
		if len(b.Intents) == 0 {
			t.Errorf("Load(%s): no intents", path)
		}
	}
}

func TestLoadDirWithoutBot(t *testing.T) {
	_, err := Load("testdata")
	want := "testdata: no bot.yaml in this directory; pass the bot file itself, or add bot.yaml (Rasa projects: nlu.yml or data/nlu.yml)"
	if err == nil || err.Error() != want {
		t.Errorf("Load(testdata) error = %v, want %s", err, want)
	}
	if _, err := Load("testdata/missing.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing file) error = %v, want one matching os.ErrNotExist", err)
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		name, data string
		source     string
	}{
		{"bot.yaml", "languages: [en]\nintents:\n- {name: a, answer: {en: A}, examples: [a]}\n", SourceBotYAML},
		{"x.yml", "nlu:\n- intent: a\n  examples: |\n    - a\n", SourceRasa},
		{"X.CSV", "question,answer\na,A\n", SourceCSV},
		{"", "Question,Answer\na,A\n", SourceCSV}, // no extension: sniffed
		{"stdin", "nlu:\n- intent: a\n  examples: [a]\n", SourceRasa},
	}
	for _, tc := range tests {
		b, err := Parse(tc.name, []byte(tc.data))
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.name, err)
			continue
		}
		if b.Source != tc.source {
			t.Errorf("Parse(%q).Source = %q, want %q", tc.name, b.Source, tc.source)
		}
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{File: "bots/acme/bot.yaml", Line: 14, Field: "intents[3].name",
			Msg: `duplicate intent "refund_status" (first defined at line 9)`, Hint: "rename one of them"},
			`bots/acme/bot.yaml:14: intents[3].name: duplicate intent "refund_status" (first defined at line 9); rename one of them`},
		{Error{File: "f.yaml", Msg: "file is empty"}, "f.yaml: file is empty"},
		{Error{File: "f.csv", Line: 1, Field: "header", Msg: "bad"}, "f.csv:1: header: bad"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestDefaultName(t *testing.T) {
	tests := map[string]string{
		"bots/acme/bot.yaml":  "acme",
		"shop/data/nlu.yml":   "shop",
		"demo-rasa/nlu.yml":   "demo-rasa",
		"faq.csv":             "faq",
		"bot.yaml":            "bot",
		"/srv/bots/help.yaml": "help",
	}
	for path, want := range tests {
		if got := defaultName(path); got != want {
			t.Errorf("defaultName(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		text string
		max  int
		want string
	}{
		{"Refund Status", 48, "refund_status"},
		{"  Wie ändere ich meine Adresse?  ", 48, "wie_aendere_ich_meine_adresse"},
		{"Straße & Café", 48, "strasse_cafe"},
		{"24/7 support?", 48, "24_7_support"},
		{"one two three", 9, "one_two"},
		{"¿¿¿", 48, ""},
	}
	for _, tc := range tests {
		if got := slug(tc.text, tc.max); got != tc.want {
			t.Errorf("slug(%q, %d) = %q, want %q", tc.text, tc.max, got, tc.want)
		}
	}
}

// FuzzParse feeds arbitrary bytes to every format. Parse must not panic,
// must return either a Bot or an error, and a returned Bot must hold the
// invariants documented on Bot and Intent.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/valid/*/*.yaml", "testdata/valid/*/*/*.yml", "testdata/valid/*.csv", "testdata/invalid/*"} {
		files, _ := filepath.Glob(dir)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(slices.Index(fuzzExts, filepath.Ext(file))), data)
		}
	}
	f.Fuzz(func(t *testing.T, format uint8, data []byte) {
		name := "fuzz" + fuzzExts[int(format)%len(fuzzExts)]
		b, err := Parse(name, data)
		if (b == nil) == (err == nil) {
			t.Fatalf("Parse returned bot %v and error %v; want exactly one", b, err)
		}
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, name+":") {
					t.Fatalf("error line %q does not start with the file name", line)
				}
			}
			return
		}
		checkInvariants(t, b)
	})
}

// fuzzExts select the format: by extension, or sniffed without one.
var fuzzExts = []string{"", ".yaml", ".yml", ".csv"}

func checkInvariants(t *testing.T, b *Bot) {
	t.Helper()
	if len(b.Languages) == 0 || len(b.Intents) == 0 {
		t.Fatalf("bot without languages or intents: %+v", b)
	}
	names := make(map[string]bool)
	for _, in := range b.Intents {
		if !snakeCase.MatchString(in.Name) || names[in.Name] {
			t.Fatalf("intent name %q not snake_case or not unique", in.Name)
		}
		names[in.Name] = true
		if len(in.Examples) == 0 {
			t.Fatalf("intent %q has no examples", in.Name)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(in.Examples)))) != len(in.Examples) {
			t.Fatalf("intent %q: examples not unique: %q", in.Name, in.Examples)
		}
		for _, ex := range append(in.Examples, b.OutOfScope...) {
			if ex == "" || ex != strings.TrimSpace(ex) || !utf8.ValidString(ex) {
				t.Fatalf("intent %q: bad example %q", in.Name, ex)
			}
		}
		if b.Source != SourceRasa && !in.Handoff {
			for _, lang := range b.Languages {
				if in.Answer[lang] == "" {
					t.Fatalf("intent %q: no answer for %q", in.Name, lang)
				}
			}
		}
	}
}
