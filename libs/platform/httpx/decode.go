package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

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
func DecodeJSON(r *http.Request, dst any, maxBytes int64) error {
	if r.Body == nil || r.Body == http.NoBody {
		return fault.Invalid("body", "is required")
	}
	// A nil ResponseWriter is allowed: it only means the server is not told to close the
	// connection, which it does anyway after a 413.
	body := http.MaxBytesReader(nil, r.Body, maxBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, maxBytes)
	}
	// A second value (or garbage) after the first means the client sent something other than
	// what it thinks it sent; accepting the prefix would hide that.
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err == nil:
		return fault.Invalid("body", "must contain a single JSON value")
	default:
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return tooLarge(maxBytes)
		}
		return fault.Invalid("body", "must contain a single JSON value")
	}
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
