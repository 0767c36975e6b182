package bot

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lotse-chat/lotse/internal/wording"
)

// Error is one problem in a bot file. Parse and Load return either a single
// *Error or, when there are several problems, an errors.Join of them (one
// per line); errors.As finds the first.
type Error struct {
	File  string // the file name as given to Load or Parse
	Line  int    // 1-based line number; 0 when the problem concerns the whole file
	Field string // where in the file, e.g. "intents[3].name" (0-based indexes); may be empty
	Msg   string // what is wrong
	Hint  string // what to do about it; may be empty
}

// Error formats the problem as "file:line: field: msg; hint", leaving out
// the parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// maxErrors caps the problems reported at once: past a few dozen, the rest
// are usually consequences of the first ones.
const maxErrors = 20

// problems collects the errors of one file.
type problems struct {
	file string
	list []*Error
}

func (p *problems) add(line int, field, msg, hint string) {
	p.list = append(p.list, &Error{File: p.file, Line: line, Field: field, Msg: msg, Hint: hint})
}

func (p *problems) ok() bool { return len(p.list) == 0 }

// err returns nil, the single *Error, or all of them in line order joined.
func (p *problems) err() error {
	switch len(p.list) {
	case 0:
		return nil
	case 1:
		return p.list[0]
	}
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].Line < p.list[j].Line })
	list := p.list
	var errs []error
	if len(list) > maxErrors {
		list = list[:maxErrors]
	}
	for _, e := range list {
		errs = append(errs, e)
	}
	if n := len(p.list) - maxErrors; n > 0 {
		errs = append(errs, &Error{File: p.file, Msg: wording.Plural(n, "more problem") + " not shown",
			Hint: "fix the ones above and run again"})
	}
	return errors.Join(errs...)
}
