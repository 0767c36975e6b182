package bot

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/wording"
)

// slugMax caps intent names derived from questions: long enough to tell
// questions apart, short enough to read in a report.
const slugMax = 48

// readCSV builds a Bot from a FAQ CSV: a header "question,answer" (or
// "question,answer,lang"; the German "Frage,Antwort,Sprache" too), then one
// row per question. Rows whose answers are the same text (trimmed) are one
// intent: the first row's question names it (snake_case, made unique with
// _2, _3, ...), and every row's question is one of its examples, so that a
// second phrasing of a question is a row with the same answer. A file holds
// one language, so the answer alone tells intents apart. A question
// repeated with the same answer is a repetition, skipped; with another
// answer it is an error, as the model cannot learn it both ways. A lang
// column may set the language. Without one, the language is detected from
// the questions (see detectLanguage) and Bot.LanguageDetected is set. Files
// separated by ";" (as spreadsheet programs write them in German locales)
// or by tabs are read too.
func readCSV(p *problems, data []byte, defaultName string) *Bot {
	b := &Bot{Name: defaultName, Source: SourceCSV}
	checkEncoding(p, data)
	if !p.ok() {
		return b
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // checked here, with a better message
	first, _, _ := bytes.Cut(data, []byte("\n"))
	first = bytes.TrimSuffix(first, []byte("\r"))
	if !bytes.Contains(first, []byte(",")) {
		switch {
		case bytes.Contains(first, []byte(";")):
			r.Comma = ';'
		case bytes.Contains(first, []byte("\t")):
			r.Comma = '\t'
		}
	}
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		p.add(0, "", "file is empty", "write the header question,answer and one row per question")
		return b
	}
	if err != nil {
		csvError(p, err)
		return b
	}
	if !checkHeader(p, header, string(first)) {
		return b
	}
	lang, langLine := "", 0
	questions := make(map[string]faqRow) // question -> its first row
	byAnswer := make(map[string]int)     // answer -> index in b.Intents
	taken := make(map[string]bool)       // intent names
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			csvError(p, err)
			return b
		}
		line, _ := r.FieldPos(0)
		if len(row) != len(header) {
			p.add(line, "", fmt.Sprintf("row has %s, the header %d", wording.Plural(len(row), "field"), len(header)),
				`put fields that contain commas in double quotes: "like, this"`)
			continue
		}
		question, answer := strings.TrimSpace(row[0]), strings.TrimSpace(row[1])
		if question == "" {
			p.add(line, "question", "empty question", "write the question or remove the row")
		}
		if answer == "" {
			l, _ := r.FieldPos(1)
			p.add(l, "answer", "empty answer", "write the answer or remove the row")
		}
		if len(row) == 3 {
			code := strings.TrimSpace(row[2])
			l, _ := r.FieldPos(2)
			switch {
			case code == "":
			case checkLanguage(code) != "":
				p.add(l, "lang", "unsupported language code "+quote(code), checkLanguage(code))
			case lang == "":
				lang, langLine = code, l
			case code != lang:
				p.add(l, "lang", fmt.Sprintf("language %q differs from %q (line %d); a FAQ CSV holds one language", code, lang, langLine),
					"split the file by language, or write a bot.yaml for a multilingual bot")
			}
		}
		if question == "" || answer == "" {
			continue
		}
		if first, dup := questions[question]; dup {
			if first.answer != answer {
				p.add(line, "question", fmt.Sprintf("duplicate question with another answer (first at line %d)", first.line),
					"keep one of the two rows: a question has one answer")
			}
			continue // the same row again says nothing new
		}
		questions[question] = faqRow{line, answer}
		if i, ok := byAnswer[answer]; ok {
			b.Intents[i].Examples = append(b.Intents[i].Examples, question)
			continue
		}
		byAnswer[answer] = len(b.Intents)
		b.Intents = append(b.Intents, Intent{Name: uniqueName(taken, slug(question, slugMax), len(b.Intents)+1),
			Answer: map[string]string{"": answer}, Examples: []string{question}})
	}
	if lang == "" {
		var questions []string
		for _, in := range b.Intents {
			questions = append(questions, in.Examples...)
		}
		lang, b.LanguageDetected = detectLanguage(questions), true
	}
	b.Languages = []string{lang}
	for _, in := range b.Intents {
		in.Answer[lang] = in.Answer[""]
		delete(in.Answer, "")
	}
	if len(b.Intents) == 0 && p.ok() {
		p.add(0, "", "no questions", "add one row per question under the header")
	}
	return b
}

// faqRow is where a question was first seen, and its answer.
type faqRow struct {
	line   int
	answer string
}

// headerNames maps the column names a FAQ CSV's header may have, in lower
// case, to the columns they name: the English ones, and the German ones
// that authors in Germany write.
var headerNames = map[string]string{
	"question": "question", "frage": "question",
	"answer": "answer", "antwort": "answer",
	"lang": "lang", "sprache": "lang",
}

// headerWords lists the keys of headerNames, for suggestions.
var headerWords = []string{"question", "answer", "lang", "frage", "antwort", "sprache"}

// closeHeader returns the column name that a header field is, or most
// likely misspells ("Fragen", "answr", "language"), or "". It is stricter
// than wording.Closest, which takes a word inside a text for the word: the
// question "Wie lange dauert der Versand?" must not read as "lang".
func closeHeader(field string) string {
	f := strings.ToLower(strings.TrimSpace(field))
	if headerNames[f] != "" {
		return f
	}
	for _, w := range headerWords {
		if len(f) >= 4 && wording.Distance(f, w) <= min(2, max(1, len(f)/3)) ||
			strings.HasPrefix(f, w) && len(f) <= len(w)+4 {
			return w
		}
	}
	return ""
}

// checkHeader checks the header row (its fields, and the line as written)
// and reports what is wrong with it: a misspelt header, a first row that
// is a question and its answer, or anything else.
func checkHeader(p *problems, header []string, line string) bool {
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = headerNames[strings.ToLower(strings.TrimSpace(h))]
	}
	switch strings.Join(cols, ",") {
	case "question,answer", "question,answer,lang":
		return true
	}
	const want = "want the header question,answer or question,answer,lang (German: Frage,Antwort,Sprache), found "
	switch {
	case looksLikeRow(header):
		p.add(1, "header", "the first line looks like a question and its answer, not the header: "+quote(line),
			"add the header line question,answer above it")
	case meant(header) != "":
		p.add(1, "header", want+quote(line), "did you mean "+meant(header)+"?")
	default:
		p.add(1, "header", want+quote(line), "make the first line the header question,answer")
	}
	return false
}

// meant returns the header that fields most likely misspell, such as
// "frage,antwort" for "Fragen,Antworten", or "" when they are not two or
// three column names, each known or close to one.
func meant(fields []string) string {
	if len(fields) < 2 || len(fields) > 3 {
		return ""
	}
	words := make([]string, len(fields))
	for i, f := range fields {
		if words[i] = closeHeader(f); words[i] == "" {
			return ""
		}
	}
	order := []string{"question", "answer", "lang"}
	slices.SortStableFunc(words, func(a, b string) int {
		return slices.Index(order, headerNames[a]) - slices.Index(order, headerNames[b])
	})
	for i, w := range words {
		if headerNames[w] != order[i] {
			return ""
		}
	}
	return strings.Join(words, ",")
}

// looksLikeRow reports whether header fields look like a FAQ row: two or
// three fields, none a column name or close to one, the first a sentence
// or a question.
func looksLikeRow(fields []string) bool {
	if len(fields) < 2 || len(fields) > 3 {
		return false
	}
	for _, f := range fields {
		if closeHeader(f) != "" {
			return false
		}
	}
	first := strings.TrimSpace(fields[0])
	return strings.HasSuffix(first, "?") || strings.Contains(first, " ")
}

// detectLanguage returns the language most of texts are written in, as the
// engine's language identifier tells them apart: "de" when more read as
// German than as English, else "en".
func detectLanguage(texts []string) string {
	de, en := 0, 0
	for _, t := range texts {
		switch score, _ := langid.Score(t); {
		case score > 0:
			de++
		case score < 0:
			en++
		}
	}
	if de > en {
		return "de"
	}
	return "en"
}

// uniqueName returns name, or name_2, name_3 ... when taken; questions
// without a letter or digit become question_N, N the row.
func uniqueName(taken map[string]bool, name string, row int) string {
	if name == "" {
		name = fmt.Sprintf("question_%d", row)
	}
	unique := name
	for n := 2; taken[unique]; n++ {
		unique = fmt.Sprintf("%s_%d", name, n)
	}
	taken[unique] = true
	return unique
}

func csvError(p *problems, err error) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		p.add(0, "", err.Error(), "")
		return
	}
	p.add(pe.Line, "", fmt.Sprintf("CSV syntax error at column %d: %v", pe.Column, pe.Err),
		`put fields with commas, quotes or line breaks in double quotes and double the quotes inside: "say ""hi"""`)
}
