// Package jsonerr words encoding/json's decoding errors for the clients of
// Lotse's HTTP APIs (the edge and the backend), who know JSON, not Go.
package jsonerr

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Describe says what is wrong with a JSON body that encoding/json could
// not decode into into, the value Unmarshal was given. It never quotes the
// input, which may hold personal data, and names JSON shapes, not Go types:
// "messages must be an array of objects {id, role, text, ts}, not a string".
func Describe(err error, into any) string {
	if e, ok := errors.AsType[*json.SyntaxError](err); ok {
		if e.Error() == "unexpected end of JSON input" {
			return "the JSON ends before it is complete"
		}
		return fmt.Sprintf("syntax error at byte %d", e.Offset)
	}
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return typeProblem(e, reflect.TypeOf(into))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the JSON ends before it is complete"
	}
	return "malformed JSON"
}

// typeProblem says which field has the wrong JSON type and what shape it
// should have. It names the JSON type found but not the value.
func typeProblem(e *json.UnmarshalTypeError, root reflect.Type) string {
	got, _, _ := strings.Cut(e.Value, " ") // "number 1.5": the kind only
	if got == "bool" {
		got = "boolean"
	}
	if e.Field == "" {
		shape := jsonShape(e.Type)
		if fields, ok := strings.CutPrefix(shape, "an object "); ok {
			shape = "a JSON object " + fields // "{id, text}"
		} else if shape == "an object" {
			shape = "a JSON object"
		}
		return fmt.Sprintf("the body must be %s, not %s %s", shape, article(got), got)
	}
	return fmt.Sprintf("%s must be %s, not %s %s", fieldPath(root, e.Field, e.Type), jsonShape(e.Type), article(got), got)
}

// fieldPath spells encoding/json's dotted field ("messages.ts") as a path
// through the JSON: "messages[].ts" when messages is an array, "reply.text"
// when reply is an object, "tags[]" when the wrong value is an element of
// the array tags, "meta.*" for a value of the object meta. Without the
// type to follow, it returns field unchanged.
func fieldPath(t reflect.Type, field string, leaf reflect.Type) string {
	if t == nil {
		return field
	}
	var b strings.Builder
	for i, name := range strings.Split(field, ".") {
		t = elems(&b, t, nil)
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(name)
		switch t.Kind() {
		case reflect.Struct:
			f, ok := jsonField(t, name)
			if !ok {
				return field
			}
			t = f
		case reflect.Map:
			t = t.Elem()
		default:
			return field
		}
	}
	elems(&b, t, leaf)
	return b.String()
}

// elems follows pointers, arrays and, when stop is set, maps from t,
// writing "[]" for each array and ".*" for each map (any key), until a type
// that is none of them or is stop.
func elems(b *strings.Builder, t, stop reflect.Type) reflect.Type {
	for t != stop {
		switch t.Kind() {
		case reflect.Pointer:
			t = t.Elem()
		case reflect.Slice, reflect.Array:
			b.WriteString("[]")
			t = t.Elem()
		case reflect.Map:
			if stop == nil {
				return t
			}
			b.WriteString(".*")
			t = t.Elem()
		default:
			return t
		}
	}
	return t
}

// jsonField returns the type of t's field that JSON calls name.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	for f := range t.Fields() {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name || tag == "" && strings.EqualFold(f.Name, name) {
			return f.Type, f.IsExported()
		}
	}
	return nil, false
}

// jsonShape describes the JSON value a Go type decodes from, e.g. "an
// array of objects {id, role, text, ts}".
func jsonShape(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		elem := jsonShape(t.Elem())
		if noun, fields, ok := strings.Cut(elem, " {"); ok { // "an object {id, ...}"
			return "an array of " + plural(noun) + " {" + fields
		}
		return "an array of " + plural(elem)
	case reflect.Struct:
		var keys []string
		for i := range t.NumField() {
			f := t.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" && f.IsExported() {
				keys = append(keys, name)
			}
		}
		return "an object {" + strings.Join(keys, ", ") + "}"
	case reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonShape(t.Elem())
	}
	return "a JSON value"
}

// plural turns "a string" into "strings", "an integer" into "integers".
func plural(shape string) string {
	_, noun, _ := strings.Cut(shape, " ")
	return noun + "s"
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
