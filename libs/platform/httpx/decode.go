package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// DecodeJSON decodes exactly one JSON value from the body of r into dst. It reads at most
// maxBytes, rejects fields that dst does not have (a misspelt optional field would otherwise be
// silently ignored), and turns every decoding failure into a *fault.ValidationError that names
// the field or position, so that bad input is a 400 and never a 500. A body over the limit is a
// fault.ErrTooLarge (413).
//
// Errors returned by dst's own UnmarshalJSON methods pass through when they are already
// *fault.ValidationError, so value types that parse themselves keep their field names.
//
// Text must be valid UTF-8: encoding/json would silently replace every invalid byte (and every
// unpaired surrogate escape such as "\ud800") with U+FFFD, so that "\xff\xfe" were stored as
// "��" and answered with a 200. Such a body is refused naming the field whose string holds it.
func DecodeJSON(r *http.Request, dst any, maxBytes int64) error {
	if r.Body == nil || r.Body == http.NoBody {
		return fault.Invalid("body", "is required")
	}
	// A nil ResponseWriter is allowed: it only means the server is not told to close the
	// connection, which it does anyway after a 413.
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBytes))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return tooLarge(maxBytes)
		}
		return fault.Invalid("body", "could not be read: "+err.Error())
	}
	// Not JSON before a bad string passes: the decoder below reports the syntax error.
	if err := CheckText(raw); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, maxBytes)
	}
	// A second value (or garbage) after the first means the client sent something other than
	// what it thinks it sent; accepting the prefix would hide that.
	var extra json.RawMessage
	if err := dec.Decode(&extra); errors.Is(err, io.EOF) {
		return nil
	}
	return fault.Invalid("body", "must contain a single JSON value")
}

// badText reports bytes that are not UTF-8 or a \u escape of an unpaired UTF-16 surrogate:
// what encoding/json would replace with U+FFFD. In JSON a backslash occurs only inside strings,
// so raw may be a whole body or one token.
func badText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return true
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		r, ok := escapedRune(raw[i:])
		switch {
		case !ok:
			i++ // \n, \", \\ and the like: skip the escaped character
		case utf16.IsSurrogate(r):
			lo, ok := escapedRune(raw[min(i+6, len(raw)):])
			if r >= 0xdc00 || !ok || utf16.DecodeRune(r, lo) == utf8.RuneError {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}

// escapedRune decodes a \uXXXX escape at the start of b.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	return rune(n), err == nil
}

// badTextField walks the tokens of raw and names the first string that badText refuses: object
// keys joined by dots, array elements by index ("applicant.contact.name", "zones[1]",
// "features[0].properties.code"; "body" for the top level). A key that is refused is reported
// under the object that holds it. ok is false when raw is not JSON before such a string.
func badTextField(raw []byte) (field string, ok bool) {
	type frame struct {
		object    bool
		key       string // the current key, in an object
		expectKey bool
		index     int // the current element, in an array
	}
	var stack []frame
	// path names the current position; inner is false for a key, which is named by its object.
	path := func(inner bool) string {
		name := ""
		for i, f := range stack {
			if i == len(stack)-1 && !inner {
				break
			}
			switch {
			case f.object && name == "":
				name = f.key
			case f.object:
				name += "." + f.key
			default:
				if name == "" {
					name = "body"
				}
				name += "[" + strconv.Itoa(f.index) + "]"
			}
		}
		if name == "" {
			return "body"
		}
		return name
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		top := len(stack) - 1
		isKey := top >= 0 && stack[top].object && stack[top].expectKey
		// Only a string can hold non-ASCII bytes or escapes; whitespace and punctuation before
		// it are ASCII, so checking the whole span checks the string.
		if badText(raw[start:dec.InputOffset()]) {
			return path(!isKey), true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, expectKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
			top--
		default:
			if isKey {
				stack[top].key, _ = tok.(string)
				stack[top].expectKey = false
				continue
			}
		}
		// A value ended: its object expects the next key, its array the next element.
		if top >= 0 {
			stack[top].expectKey = stack[top].object
			stack[top].index++
		}
	}
}

// CheckText refuses a JSON document with a string that is not valid UTF-8 or holds an unpaired
// surrogate escape, naming its field as DecodeJSON does. It is for handlers that read a body
// raw for a parser of their own (a GeoJSON plan, say): encoding/json would otherwise replace
// the bad text with U+FFFD without a word. A document that is not JSON is left to the parser.
func CheckText(raw []byte) error {
	if !badText(raw) {
		return nil
	}
	if field, ok := badTextField(raw); ok {
		return fault.Invalid(field, "must be valid UTF-8 text")
	}
	return nil
}

func decodeError(err error, maxBytes int64) error {
	var (
		maxErr  *http.MaxBytesError
		synErr  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
		verr    *fault.ValidationError
	)
	switch {
	case errors.As(err, &maxErr):
		return tooLarge(maxBytes)
	case errors.As(err, &verr):
		return verr
	case errors.Is(err, io.EOF):
		return fault.Invalid("body", "is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fault.Invalid("body", "is not valid JSON: it ends unexpectedly")
	case errors.As(err, &synErr):
		return fault.Invalid("body", fmt.Sprintf("is not valid JSON at byte %d: %s", synErr.Offset, strings.TrimPrefix(synErr.Error(), "json: ")))
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return fault.Invalid(field, "must be "+describe(typeErr.Type, typeErr.Value))
	}
	// encoding/json reports unknown fields only as text; its wording has been stable since the
	// option was added in Go 1.10.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fault.Invalid(strings.Trim(name, `"`), "is not a known field")
	}
	// Left: an error from a value's own UnmarshalJSON/UnmarshalText (a time that does not parse,
	// say). Its text is about the client's input, but encoding/json does not say which field.
	return fault.Invalid("body", "has an invalid value: "+err.Error())
}

func tooLarge(maxBytes int64) error {
	return fmt.Errorf("request body exceeds %d bytes: %w", maxBytes, fault.ErrTooLarge)
}

// describe names the JSON shape that a Go type expects, in the client's terms rather than Go's.
func describe(t reflect.Type, value string) string {
	if t == nil {
		return "a valid value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		// "number 1.5" or an out-of-range number: the client did send a number, just not a
		// whole one that fits.
		if strings.HasPrefix(value, "number") {
			return "a whole number in range"
		}
		return "a number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	default:
		return "a valid value"
	}
}
