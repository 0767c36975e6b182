package tokenize

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON reader for tokenizer.json. encoding/json would pull reflection
// into every binary that links this package, including the browser's wasm,
// for a file format this package reads only a fixed subset of.

// value is a parsed JSON value. kind is '{', '[', '"', '0' (number; str holds
// its text), 't', 'f' or 'n'.
type value struct {
	kind byte
	str  string
	arr  []value
	obj  []member
}

type member struct {
	key string
	val value
}

// get returns the value of key in an object, or nil.
func (v *value) get(key string) *value {
	for i := range v.obj {
		if v.obj[i].key == key {
			return &v.obj[i].val
		}
	}
	return nil
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

type parser struct {
	src   []byte
	pos   int
	depth int
}

func (p *parser) parse() (value, error) {
	v, err := p.value()
	if err != nil {
		return value{}, err
	}
	p.space()
	if p.pos != len(p.src) {
		return value{}, p.fail("unexpected data after the top-level value")
	}
	return v, nil
}

func (p *parser) fail(msg string) error {
	return errors.New("tokenize: tokenizer.json: invalid JSON at byte " + strconv.Itoa(p.pos) + ": " + msg)
}

func (p *parser) space() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (value, error) {
	p.space()
	if p.pos >= len(p.src) {
		return value{}, p.fail("unexpected end of input")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		return value{kind: '"', str: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if len(p.src)-p.pos >= len(lit) && string(p.src[p.pos:p.pos+len(lit)]) == lit {
				p.pos += len(lit)
				return value{kind: lit[0]}, nil
			}
		}
		return value{}, p.fail("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail("nested too deeply")
	}
	p.pos++ // the opening bracket
	return nil
}

func (p *parser) object() (value, error) {
	if err := p.enter(); err != nil {
		return value{}, err
	}
	v := value{kind: '{'}
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return value{}, p.fail("want a string key")
		}
		key, err := p.string()
		if err != nil {
			return value{}, err
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return value{}, p.fail("want ':' after key " + strconv.Quote(key))
		}
		p.pos++
		val, err := p.value()
		if err != nil {
			return value{}, err
		}
		v.obj = append(v.obj, member{key, val})
		if done, err := p.next('}'); done || err != nil {
			return v, err
		}
	}
}

func (p *parser) array() (value, error) {
	if err := p.enter(); err != nil {
		return value{}, err
	}
	v := value{kind: '['}
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		val, err := p.value()
		if err != nil {
			return value{}, err
		}
		v.arr = append(v.arr, val)
		if done, err := p.next(']'); done || err != nil {
			return v, err
		}
	}
}

// next consumes ',' (more to come) or the closing bracket (done).
func (p *parser) next(closing byte) (done bool, err error) {
	p.space()
	if p.pos >= len(p.src) {
		return false, p.fail("unexpected end of input")
	}
	switch p.src[p.pos] {
	case ',':
		p.pos++
		return false, nil
	case closing:
		p.pos++
		p.depth--
		return true, nil
	}
	return false, p.fail("want ',' or " + strconv.QuoteRune(rune(closing)))
}

func (p *parser) number() (value, error) {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			break
		}
		p.pos++
	}
	text := string(p.src[start:p.pos])
	if _, err := strconv.ParseFloat(text, 64); err != nil {
		p.pos = start
		return value{}, p.fail("invalid number " + strconv.Quote(text))
	}
	return value{kind: '0', str: text}, nil
}

func (p *parser) string() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '"' {
			s := p.src[start:p.pos]
			p.pos++
			if !utf8.Valid(s) {
				return "", p.fail("invalid UTF-8 in string")
			}
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.src[start:p.pos]...)
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return "", p.fail("invalid UTF-8 in string")
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.fail("control character in string")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.src) {
			break
		}
		esc := p.src[p.pos+1]
		p.pos += 2
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// A pair decodes to one rune; a lone half becomes U+FFFD,
				// as in encoding/json.
				save := p.pos
				if p.pos+1 < len(p.src) && p.src[p.pos] == '\\' && p.src[p.pos+1] == 'u' {
					p.pos += 2
					r2, ok := p.hex4()
					if ok && utf16.DecodeRune(r, r2) != utf8.RuneError {
						r = utf16.DecodeRune(r, r2)
						buf = utf8.AppendRune(buf, r)
						continue
					}
				}
				p.pos = save
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.fail("invalid escape \\" + string(rune(esc)))
		}
	}
	return "", p.fail("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.src)-p.pos < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.src[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}
