package bot

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lotse-chat/lotse/internal/langid"
	"github.com/lotse-chat/lotse/internal/wording"
)

// slugMax caps intent names derived from questions: long enough to tell
// questions apart, short enough to read in a report.
const slugMax = 48

// readCSV builds a Bot from a FAQ CSV: a header "question,answer" (or
// "question,answer,lang"), then one intent per row. The intent is named
// after its question (snake_case, made unique with _2, _3, ...), has the
// question as its one example and the answer in the file's language. A
// lang column may set that language; a file holds one language. Without
// one, the language is detected from the questions (see detectLanguage) and
// Bot.LanguageDetected is set. Files separated by ";" (as spreadsheet
// programs write them in German locales) or by tabs are read too.
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
	firstLine := make(map[string]int) // question -> line
	taken := make(map[string]bool)    // intent names
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
		if first, dup := firstLine[question]; dup {
			p.add(line, "question", fmt.Sprintf("duplicate question (first at line %d)", first), "merge the two rows")
			continue
		}
		firstLine[question] = line
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

// headerWords are the column names a FAQ CSV's header may have, and
// germanHeader the German ones authors write instead.
var (
	headerWords  = []string{"question", "answer", "lang"}
	germanHeader = map[string]bool{"frage": true, "antwort": true, "sprache": true, "fragen": true, "antworten": true}
)

// checkHeader checks the header row (its fields, and the line as written)
// and reports what is wrong with it: a German header, a first row that is
// a question and its answer, or anything else.
func checkHeader(p *problems, header []string, line string) bool {
	lower := make([]string, len(header))
	for i, h := range header {
		lower[i] = strings.ToLower(strings.TrimSpace(h))
	}
	h := strings.Join(lower, ",")
	if h == "question,answer" || h == "question,answer,lang" {
		return true
	}
	const want = "want the header question,answer or question,answer,lang, found "
	switch {
	case len(lower) >= 2 && germanHeader[lower[0]] && germanHeader[lower[1]]:
		p.add(1, "header", want+quote(line),
			"write the header in English: question,answer (the questions and answers below stay in their language)")
	case looksLikeRow(lower):
		p.add(1, "header", "the first line looks like a question and its answer, not the header: "+quote(line),
			"add the header line question,answer above it")
	default:
		p.add(1, "header", want+quote(line), "make the first line the header question,answer")
	}
	return false
}

// looksLikeRow reports whether header fields look like a FAQ row: two or
// three fields, none a column name, the first a sentence or a question.
func looksLikeRow(fields []string) bool {
	if len(fields) < 2 || len(fields) > 3 {
		return false
	}
	for _, f := range fields {
		if contains(headerWords, f) || germanHeader[f] {
			return false
		}
	}
	return strings.HasSuffix(fields[0], "?") || strings.Contains(fields[0], " ")
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
