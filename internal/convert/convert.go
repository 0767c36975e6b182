package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// OutOfScope is the expect value of test lines the bot must not answer.
const OutOfScope = "out_of_scope"

// labeled is one example text with its dataset label and where it came from
// (file and line or index), for error messages.
type labeled struct {
	text, label, where string
}

// testCase is one line of a test.jsonl file (DESIGN.md; "pii" omitted).
type testCase struct {
	Text   string `json:"text"`
	Expect string `json:"expect"`
}

// intent is one converted intent: a snake_case name and its unique examples.
type intent struct {
	Name     string
	Examples []string
}

// benchmark is one converted dataset, ready to be written.
type benchmark struct {
	Name       string
	Intents    []intent // sorted by name
	OutOfScope []string
	// Splits maps a file name stem ("test", "val") to its lines.
	Splits map[string][]testCase
	// How says which source files and columns went where, for SOURCE.txt.
	How   string
	Stats Stats
}

// Stats counts what a conversion kept and dropped; testdata/README.md
// reports them.
type Stats struct {
	Name           string
	Intents        int
	TrainExamples  int // after dropping duplicates within an intent
	TrainOOS       int
	TestInScope    int
	TestOOS        int
	ValInScope     int
	ValOOS         int
	DroppedDupes   int // exact duplicate texts within one intent (after trimming)
	DroppedOOSDups int // exact duplicate out_of_scope texts
	TrimmedTexts   int // texts with leading or trailing whitespace, trimmed
	CrossIntent    int // distinct training texts listed under two or more intents
	TestDupes      int // test lines repeating an earlier test line (kept)
	TrainTestOverl int // distinct test texts that are also training texts (kept)
	HasVal         bool
}

// Row is the benchmark's row of the README table.
func (s Stats) Row() string {
	valIn, valOOS := "-", "-"
	if s.HasVal {
		valIn, valOOS = fmt.Sprint(s.ValInScope), fmt.Sprint(s.ValOOS)
	}
	return fmt.Sprintf("| %s | %d | %d | %d | %d | %d | %s | %s |",
		s.Name, s.Intents, s.TrainExamples, s.TrainOOS, s.TestInScope, s.TestOOS, valIn, valOOS)
}

// Notes is one sentence on what the conversion dropped or found.
func (s Stats) Notes() string {
	return fmt.Sprintf("- %s: %d duplicate examples within an intent dropped, %d duplicate out_of_scope texts dropped, "+
		"%d texts trimmed, %d training texts under two or more intents (kept), %d repeated test lines (kept), "+
		"%d test texts also in training (kept).",
		s.Name, s.DroppedDupes, s.DroppedOOSDups, s.TrimmedTexts, s.CrossIntent, s.TestDupes, s.TrainTestOverl)
}

// snakeCase turns a dataset label into an intent name: lower case, every run
// of characters other than a-z and 0-9 becomes one underscore, none leading
// or trailing. ("Refund_not_showing_up" -> "refund_not_showing_up",
// "reverted_card_payment?" -> "reverted_card_payment".)
func snakeCase(label string) string {
	var b strings.Builder
	pending := false
	for _, r := range strings.ToLower(label) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
			continue
		}
		pending = true
	}
	return b.String()
}

// cleanText trims the text and checks it is valid, non-empty UTF-8. trimmed
// reports whether trimming changed it.
func cleanText(l labeled) (text string, trimmed bool, err error) {
	if !utf8.ValidString(l.text) {
		return "", false, fmt.Errorf("%s: text is not valid UTF-8; fix the source file's encoding", l.where)
	}
	text = strings.TrimSpace(l.text)
	if text == "" {
		return "", false, fmt.Errorf("%s: empty text; remove the row or give it a text", l.where)
	}
	return text, text != l.text, nil
}

// labelNamer maps dataset labels to intent names and refuses two labels that
// map to the same name.
type labelNamer struct {
	names map[string]string // intent name -> first label
}

func (n *labelNamer) name(l labeled) (string, error) {
	name := snakeCase(l.label)
	if name == "" {
		return "", fmt.Errorf("%s: label %q has no letters or digits to make an intent name from", l.where, l.label)
	}
	if name == OutOfScope {
		return "", fmt.Errorf("%s: label %q would become the reserved name %q", l.where, l.label, OutOfScope)
	}
	if n.names == nil {
		n.names = map[string]string{}
	}
	if first, ok := n.names[name]; ok && first != l.label {
		return "", fmt.Errorf("%s: labels %q and %q both become intent %q; rename one", l.where, first, l.label, name)
	}
	n.names[name] = l.label
	return name, nil
}

// build converts training examples, out-of-scope examples and test splits
// into a benchmark. Intents are sorted by name; examples keep the dataset's
// order with exact duplicates within an intent kept once. Test lines are kept
// as they are (also repeats), since they are the benchmark's messages.
func build(name string, train, oos []labeled, splits map[string][]labeled, oosSplits map[string][]labeled) (*benchmark, error) {
	b := &benchmark{Name: name, Splits: map[string][]testCase{}}
	st := &b.Stats
	st.Name = name
	var namer labelNamer
	byName := map[string]*intent{}
	seen := map[string]map[string]bool{} // intent -> texts
	labelsOf := map[string]map[string]bool{}
	for _, l := range train {
		text, trimmed, err := cleanText(l)
		if err != nil {
			return nil, err
		}
		if trimmed {
			st.TrimmedTexts++
		}
		in, err := namer.name(l)
		if err != nil {
			return nil, err
		}
		it := byName[in]
		if it == nil {
			it = &intent{Name: in}
			byName[in] = it
			seen[in] = map[string]bool{}
		}
		if seen[in][text] {
			st.DroppedDupes++
			continue
		}
		seen[in][text] = true
		it.Examples = append(it.Examples, text)
		st.TrainExamples++
		if labelsOf[text] == nil {
			labelsOf[text] = map[string]bool{}
		}
		labelsOf[text][in] = true
	}
	for _, ls := range labelsOf {
		if len(ls) > 1 {
			st.CrossIntent++
		}
	}
	for _, it := range byName {
		b.Intents = append(b.Intents, *it)
	}
	sort.Slice(b.Intents, func(i, j int) bool { return b.Intents[i].Name < b.Intents[j].Name })
	st.Intents = len(b.Intents)

	oosSeen := map[string]bool{}
	for _, l := range oos {
		text, trimmed, err := cleanText(l)
		if err != nil {
			return nil, err
		}
		if trimmed {
			st.TrimmedTexts++
		}
		if oosSeen[text] {
			st.DroppedOOSDups++
			continue
		}
		oosSeen[text] = true
		b.OutOfScope = append(b.OutOfScope, text)
	}
	st.TrainOOS = len(b.OutOfScope)

	for _, split := range sortedKeys(splits, oosSplits) {
		lines, inScope, outScope, err := testLines(splits[split], oosSplits[split], byName, &namer, st)
		if err != nil {
			return nil, err
		}
		b.Splits[split] = lines
		switch split {
		case "test":
			st.TestInScope, st.TestOOS = inScope, outScope
			st.TestDupes, st.TrainTestOverl = repeats(lines, labelsOf, oosSeen)
		case "val":
			st.ValInScope, st.ValOOS, st.HasVal = inScope, outScope, true
		}
	}
	return b, nil
}

// testLines converts one split: its in-scope lines first, then its
// out-of-scope lines, each in dataset order.
func testLines(in, oos []labeled, intents map[string]*intent, namer *labelNamer, st *Stats) (lines []testCase, inScope, outScope int, err error) {
	for _, l := range in {
		text, trimmed, err := cleanText(l)
		if err != nil {
			return nil, 0, 0, err
		}
		if trimmed {
			st.TrimmedTexts++
		}
		name, err := namer.name(l)
		if err != nil {
			return nil, 0, 0, err
		}
		if intents[name] == nil {
			return nil, 0, 0, fmt.Errorf("%s: label %q (intent %q) has no training examples; the test cannot expect it", l.where, l.label, name)
		}
		lines = append(lines, testCase{Text: text, Expect: name})
	}
	for _, l := range oos {
		text, trimmed, err := cleanText(l)
		if err != nil {
			return nil, 0, 0, err
		}
		if trimmed {
			st.TrimmedTexts++
		}
		lines = append(lines, testCase{Text: text, Expect: OutOfScope})
	}
	return lines, len(in), len(oos), nil
}

// repeats counts test lines identical to an earlier line, and distinct test
// texts that also occur in training (as an example or out_of_scope text).
func repeats(lines []testCase, train map[string]map[string]bool, oos map[string]bool) (dupes, overlap int) {
	seenLine := map[testCase]bool{}
	seenText := map[string]bool{}
	for _, l := range lines {
		if seenLine[l] {
			dupes++
		}
		seenLine[l] = true
		if !seenText[l.Text] && (train[l.Text] != nil || oos[l.Text]) {
			overlap++
		}
		seenText[l.Text] = true
	}
	return dupes, overlap
}

// sortedKeys returns the union of the maps' keys in sorted order.
func sortedKeys(a, b map[string][]labeled) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
