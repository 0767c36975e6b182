package bot

import (
	"reflect"
	"strings"
	"testing"
)

// TestCSVPhrasings checks how FAQ rows become intents: rows with the same
// answer are one intent with each row's question as an example, named
// after the first; the same question again is skipped with the same
// answer and an error with another.
func TestCSVPhrasings(t *testing.T) {
	type intent struct {
		name     string
		examples []string
	}
	tests := []struct {
		name string
		rows string // after the header question,answer
		want []intent
		err  string // the whole error when not ""
	}{
		{"same answer", "A?,x\nB?,x\n", []intent{{"a", []string{"A?", "B?"}}}, ""},
		{"same answer after trimming", "A?, x \nB?,\"x\"\n", []intent{{"a", []string{"A?", "B?"}}}, ""},
		{"other answers", "A?,x\nB?,y\nC?,x\n", []intent{{"a", []string{"A?", "C?"}}, {"b", []string{"B?"}}}, ""},
		{"case counts in answers", "A?,Yes.\nB?,yes.\n", []intent{{"a", []string{"A?"}}, {"b", []string{"B?"}}}, ""},
		{"a repeated row", "A?,x\nA?,x\n", []intent{{"a", []string{"A?"}}}, ""},
		{"a repeated row after a phrasing", "A?,x\nB?,x\nA?,x\n", []intent{{"a", []string{"A?", "B?"}}}, ""},
		// The name comes from the first row only; another intent whose
		// question slugs alike gets _2.
		{"names", "Hi?,x\nhello,x\nhi,y\n", []intent{{"hi", []string{"Hi?", "hello"}}, {"hi_2", []string{"hi"}}}, ""},
		{"another answer", "A?,x\nB?,x\nA?,y\n", nil,
			"faq.csv:4: question: duplicate question with another answer (first at line 2); keep one of the two rows: a question has one answer"},
		{"another answer, a phrasing's", "A?,x\nB?,y\nB?,x\n", nil,
			"faq.csv:4: question: duplicate question with another answer (first at line 3); keep one of the two rows: a question has one answer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Parse("faq.csv", []byte("question,answer\n"+tc.rows))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []intent
			for _, in := range b.Intents {
				got = append(got, intent{in.Name, in.Examples})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("intents %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCSVLangColumn: rows with the same answer are one intent whether or
// not their lang cell is filled, as a file holds one language.
func TestCSVLangColumn(t *testing.T) {
	b, err := Parse("faq.csv", []byte("question,answer,lang\nWo ist mein Paket?,Im Konto.,de\nSendung verfolgen,Im Konto.,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Intents) != 1 || len(b.Intents[0].Examples) != 2 || b.Intents[0].Answer["de"] != "Im Konto." {
		t.Errorf("intents %+v, want one with two examples and the German answer", b.Intents)
	}
}

// TestCSVHeader checks the header line: English and German column names
// in any case, with commas or semicolons; a misspelt header is named, and
// a first line that is a question is not taken for a misspelt header.
func TestCSVHeader(t *testing.T) {
	const want = "faq.csv:1: header: want the header question,answer or question,answer,lang (German: Frage,Antwort,Sprache), found "
	tests := []struct {
		header string
		err    string // "" when the header is accepted
	}{
		{"question,answer", ""},
		{"Question , ANSWER", ""},
		{"Frage,Antwort", ""},
		{"frage;antwort", ""},
		{"Frage;Antwort;Sprache", ""},
		{"frage;antwort;lang", ""},
		{"question,answer,Sprache", ""},
		{"Fragen,Antworten", want + `"Fragen,Antworten"; did you mean frage,antwort?`},
		{"Questions;Answers;Language", want + `"Questions;Answers;Language"; did you mean question,answer,lang?`},
		{"answer,question", want + `"answer,question"; did you mean question,answer?`},
		{"Q,A", want + `"Q,A"; make the first line the header question,answer`},
		{"Frage,Antwort,Sprache,Kategorie", want + `"Frage,Antwort,Sprache,Kategorie"; make the first line the header question,answer`},
		// "lange" holds "lang", and is no column name for all that.
		{"Wie lange dauert der Versand?,2-3 Tage",
			`faq.csv:1: header: the first line looks like a question and its answer, not the header: "Wie lange dauert der Versand?,2-3 Tage"; add the header line question,answer above it`},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			sep := ","
			if strings.Contains(tc.header, ";") {
				sep = ";"
			}
			row := []string{"Wie lange dauert der Versand?", "2-3 Tage", "de", "x"}[:strings.Count(tc.header, sep)+1]
			_, err := Parse("faq.csv", []byte(tc.header+"\n"+strings.Join(row, sep)+"\n"))
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.err != "" && (err == nil || err.Error() != tc.err):
				t.Errorf("error %v\nwant %s", err, tc.err)
			}
		})
	}
}
