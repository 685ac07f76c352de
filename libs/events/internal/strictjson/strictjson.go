// Package strictjson checks the shape of a JSON document against a Go struct type before it is
// decoded. encoding/json matches object keys case-insensitively, keeps the last of two equal
// keys and leaves absent or null fields at their zero value; an event contract cannot afford
// any of that, because a missing headcount would decode as zero, a misspelt key would be
// accepted, and the JSON Schemas (which are exact) would disagree with the Go decoder.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Kind says what is wrong with a value.
type Kind int

// The problems Check reports.
const (
	// Unknown: the key names no field of the struct (exact, case-sensitive match).
	Unknown Kind = iota + 1
	// Duplicate: the key appears twice in one object.
	Duplicate
	// Missing: a required field (no omitempty, no omitzero) is absent or null.
	Missing
	// Null: an optional field is null; optional fields are omitted, never null, so that the
	// JSON Schema (which types them as non-null) and the decoder agree.
	Null
	// NotObject: a struct is expected but the value is not a JSON object.
	NotObject
	// Empty: an optional string, number or boolean field holds the value that omitempty (or
	// omitzero) leaves out ("", 0, false). A Go producer never writes it, the JSON Schemas
	// refuse it (optional text must not be blank, ids must be ids), and the decoder would
	// read it as "absent", so it is refused rather than silently accepted.
	Empty
)

// maxDepth bounds recursion so that hostile input cannot exhaust the stack; encoding/json
// refuses deeper documents anyway.
const maxDepth = 10000

var errTooDeep = errors.New("strictjson: document nested too deeply")

// Error reports the first offending value.
type Error struct {
	// Path is the dotted path of the offending value, e.g. "applicant.contact.email"; empty
	// for the document itself.
	Path string
	Kind Kind
}

// Error implements error.
func (e *Error) Error() string {
	switch e.Kind {
	case Unknown:
		return fmt.Sprintf("unknown field %q", e.Path)
	case Duplicate:
		return fmt.Sprintf("duplicate field %q", e.Path)
	case Missing:
		return fmt.Sprintf("missing field %q", e.Path)
	case Null:
		return fmt.Sprintf("field %q is null; omit it instead", e.Path)
	case Empty:
		return fmt.Sprintf("optional field %q is empty; omit it instead", e.Path)
	case NotObject:
		if e.Path == "" {
			return "not a JSON object"
		}
		return fmt.Sprintf("field %q is not a JSON object", e.Path)
	}
	return fmt.Sprintf("field %q is bad", e.Path)
}

// Field is one JSON-visible struct field.
type Field struct {
	Name     string       // the JSON name
	Type     reflect.Type // the Go type
	Required bool         // no omitempty and no omitzero
}

// Fields lists the JSON-visible fields of struct type t in declaration order. Embedded structs
// without a json name are flattened; the conflict rules of encoding/json are not reproduced
// because event payloads do not rely on them. The schema generator uses the same function, so
// "required" means the same thing to the decoder and to the schemas.
func Fields(t reflect.Type) []Field {
	var out []Field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			et := sf.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				out = append(out, Fields(et)...)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		optional := false
		for o := range strings.SplitSeq(opts, ",") {
			if o == "omitempty" || o == "omitzero" {
				optional = true
			}
		}
		out = append(out, Field{Name: name, Type: sf.Type, Required: !optional})
	}
	return out
}

// Check walks data and reports (as *Error) the first key that t does not declare exactly, a key
// repeated within one object, a required field that is absent or null, an optional field that
// is null, an optional scalar field present with the value omitempty drops (Empty), or a
// non-object where a struct is expected. Syntax errors are returned as
// encoding/json reports them. Types that decode themselves (json.Unmarshaler,
// encoding.TextUnmarshaler, e.g. time.Time) are not looked into, and scalars are left to
// encoding/json.
func Check(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return eofIsUnexpected(err)
	}
	if err := walk(dec, tok, t, "", 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errors.New("strictjson: data after the top-level value")
		}
		return err
	}
	return nil
}

func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shape strips pointers and returns nil for types whose content is not checked here.
func shape(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return nil
	}
	p := reflect.PointerTo(t)
	if p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return t
	}
	return nil
}

// emptyScalar reports whether tok is the value that omitempty leaves out for a field of Go type
// t: "" for strings, false for booleans, zero for numbers. Pointers, structs, slices and maps
// are not scalars here (a pointer to "" is a value a producer can write).
func emptyScalar(tok json.Token, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String:
		s, ok := tok.(string)
		return ok && s == ""
	case reflect.Bool:
		b, ok := tok.(bool)
		return ok && !b
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(string(n), 64)
		return err == nil && f == 0
	}
	return false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// walk checks the value whose first token, tok, has already been read.
func walk(dec *json.Decoder, tok json.Token, t reflect.Type, path string, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	t = shape(t)
	isStruct := t != nil && t.Kind() == reflect.Struct
	delim, isDelim := tok.(json.Delim)
	if isStruct && (!isDelim || delim != '{') {
		return &Error{Path: path, Kind: NotObject}
	}
	if !isDelim {
		return nil
	}
	switch delim {
	case '{':
		var declared map[string]Field
		var order []Field
		if isStruct {
			order = Fields(t)
			declared = make(map[string]Field, len(order))
			for _, f := range order {
				declared[f.Name] = f
			}
		}
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			p := join(path, key)
			if seen[key] {
				return &Error{Path: p, Kind: Duplicate}
			}
			seen[key] = true
			vt, err := dec.Token()
			if err != nil {
				return eofIsUnexpected(err)
			}
			var next reflect.Type
			switch {
			case isStruct:
				f, ok := declared[key]
				if !ok {
					return &Error{Path: p, Kind: Unknown}
				}
				if vt == nil {
					if f.Required {
						return &Error{Path: p, Kind: Missing}
					}
					return &Error{Path: p, Kind: Null}
				}
				if !f.Required && emptyScalar(vt, f.Type) {
					return &Error{Path: p, Kind: Empty}
				}
				next = f.Type
			case t != nil && t.Kind() == reflect.Map:
				next = t.Elem()
			}
			if err := walk(dec, vt, next, p, depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // the closing brace
			return eofIsUnexpected(err)
		}
		for _, f := range order {
			if f.Required && !seen[f.Name] {
				return &Error{Path: join(path, f.Name), Kind: Missing}
			}
		}
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			vt, err := dec.Token()
			if err != nil {
				return eofIsUnexpected(err)
			}
			if err := walk(dec, vt, elem, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // the closing bracket
			return eofIsUnexpected(err)
		}
	}
	return nil
}
