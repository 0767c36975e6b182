// Package jsonw writes JSON values by hand, byte for byte as encoding/json
// does. The WebAssembly engines link neither encoding/json nor fmt (they
// cost download size), and the reply hot path does not allocate.
package jsonw

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendFloat appends f formatted f as encoding/json does, so that the JSON is the
// same byte for byte.
func AppendFloat(b []byte, f float64) []byte {
	if n := math.Round(f * 1e6); f >= 0 && f <= 1 && n/1e6 == f {
		return appendMillionths(b, int(n))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-09 becomes e-9
		b = b[:n-1]
	}
	return b
}

// appendMillionths appends n/1e6 (0 <= n <= 1e6) as strconv's shortest
// form does: a reply's confidences are rounded to six decimals, and
// strconv's general algorithm cost a tenth of a reply in WebAssembly.
func appendMillionths(b []byte, n int) []byte {
	switch n {
	case 0:
		return append(b, '0')
	case 1e6:
		return append(b, '1')
	}
	var d [8]byte
	d[0], d[1] = '0', '.'
	for i := 7; i >= 2; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	end := len(d)
	for d[end-1] == '0' {
		end--
	}
	return append(b, d[:end]...)
}

// AppendString appends s as a JSON string, as encoding/json writes it:
// invalid UTF-8 becomes U+FFFD, and <, >, & are escaped so the JSON is safe
// in HTML.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0 // s[start:i] is plain and not yet appended
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && plain[c] {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default: // control characters, <, > and &
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plain[c] says that the ASCII byte c stands for itself in a JSON string.
// Appending runs of such bytes at once instead of byte by byte made
// encoding a reply's answer several times faster in WebAssembly.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
