// Package logx builds the JSON slog loggers every zoneops process uses: one line per record,
// with the request id or event id of the work in hand taken from the context. Services add
// their own "service" attribute; "process" names the binary, which may run several services.
package logx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

// New returns a JSON logger at the named level (debug, info, warn, error) writing to w, tagged
// with the process (binary) name.
func New(w io.Writer, level, process string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})
	return slog.New(reqctx.LogHandler(h)).With("process", process), nil
}

// DuplicateKeys returns the keys that occur more than once in one object of the JSON log line
// (nested groups as "group.key"), in the order their second occurrence is met, or an error
// when line is not one JSON object. A line's keys must be unique: log search tools keep one of
// two values, and which one differs between them. Tests run it over the lines they capture.
func DuplicateKeys(line []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	var dups []string
	var walk func(prefix string) error
	walk = func(prefix string) error {
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key := prefix + tok.(string) // inside an object, Token returns each key as a string
			if seen[key] {
				dups = append(dups, key)
			}
			seen[key] = true
			if err := value(dec, key, walk); err != nil {
				return err
			}
		}
		_, err := dec.Token() // the closing brace
		return err
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("log line is not a JSON object: %q", line)
	}
	if err := walk(""); err != nil {
		return nil, fmt.Errorf("log line %q: %w", line, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("log line %q holds more than one JSON value", line)
	}
	return dups, nil
}

// value reads the value of key: an object is walked for its own keys, anything else skipped.
func value(dec *json.Decoder, key string, walk func(prefix string) error) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return walk(key + ".")
	case json.Delim('['):
		for dec.More() {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	}
	return nil
}
