package bot

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lotse-chat/lotse/internal/wording"
)

// checkEncoding reports every line (up to the error cap) that holds bytes
// which are not UTF-8 or control characters YAML and CSV tools mangle. It
// runs before any parser: yaml.v3 rejects such bytes without a line number.
func checkEncoding(p *problems, data []byte) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		p.add(1, "", "file is UTF-16, not UTF-8", "save it as UTF-8")
		return
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	// A file in another encoding has invalid bytes on many lines, all for
	// the one reason: report the first line and count the others.
	var invalid *Error
	invalidLines := 0
	defer func() {
		if invalidLines > 1 {
			invalid.Msg += fmt.Sprintf("; %s in all have such bytes", wording.Plural(invalidLines, "line"))
		}
	}()
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(p.list) > maxErrors {
			return
		}
		col := 1
		for len(line) > 0 {
			r, size := utf8.DecodeRune(line)
			switch {
			case r == utf8.RuneError && size <= 1:
				invalidLines++
				if invalid == nil {
					p.add(i+1, "", fmt.Sprintf("invalid UTF-8 (byte 0x%02X at column %d)", line[0], col),
						"save the file as UTF-8 (it may be Latin-1 or Windows-1252)")
					invalid = p.list[len(p.list)-1]
				}
			case isControl(r) && !(r == '\r' && len(line) == 1):
				p.add(i+1, "", fmt.Sprintf("control character %U at column %d", r, col),
					"remove it; only tabs and line breaks are allowed")
			default:
				line, col = line[size:], col+1
				continue
			}
			break // one report per line is enough
		}
	}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// isControl reports the characters YAML does not allow in a document.
func isControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7F:
		return true
	case r >= 0x80 && r <= 0x9F && r != 0x85:
		return true
	}
	return r == 0xFEFF || r == 0xFFFE || r == 0xFFFF
}

var snakeCase = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

// transliteration keeps slugs of German and other Latin-script text readable.
var transliteration = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "æ", "ae", "ø", "o", "å", "a",
	"à", "a", "á", "a", "â", "a", "ã", "a", "ç", "c", "è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ñ", "n", "ò", "o", "ó", "o", "ô", "o", "õ", "o",
	"ù", "u", "ú", "u", "û", "u", "ý", "y", "ÿ", "y",
)

// slug turns text into a snake_case name of at most max bytes, cut at a word
// boundary; it returns "" when nothing of the text is a letter or digit.
func slug(text string, max int) string {
	text = transliteration.Replace(strings.ToLower(text))
	var b strings.Builder
	for _, r := range text {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	s := strings.TrimSuffix(b.String(), "_")
	if len(s) > max {
		s = s[:max]
		if i := strings.LastIndexByte(s, '_'); i > 0 {
			s = s[:i]
		}
		s = strings.TrimSuffix(s, "_")
	}
	return s
}

var languageCode = regexp.MustCompile(`^[a-z]{2}$`)

// languageNames catches the mistake of writing a language's name.
var languageNames = map[string]string{
	"german": "de", "deutsch": "de", "english": "en", "englisch": "en", "french": "fr",
	"francais": "fr", "spanish": "es", "espanol": "es", "italian": "it", "italiano": "it",
	"dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl", "portuguese": "pt",
}

// checkLanguage returns "" for a valid ISO 639-1 code, else the hint.
func checkLanguage(code string) (hint string) {
	if languageCode.MatchString(code) {
		return ""
	}
	lower := strings.ToLower(code)
	switch {
	case languageCode.MatchString(lower):
		return fmt.Sprintf("write it in lowercase: %q", lower)
	case len(lower) > 2 && languageCode.MatchString(lower[:2]) && (lower[2] == '-' || lower[2] == '_'):
		return fmt.Sprintf("write the two-letter ISO 639-1 code %q; regional variants are not supported", lower[:2])
	case languageNames[lower] != "":
		return fmt.Sprintf("write the ISO 639-1 code %q", languageNames[lower])
	}
	return `use a two-letter ISO 639-1 code such as "de" or "en"`
}

// quote shows a value in a message, shortened so one error stays one line.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
