package envelope

import (
	"errors"
	"fmt"
)

// Sentinels that every decoding failure matches through errors.Is. Consumers use them to tell
// poison (dead-letter it, with the reason) from transient failures; none of them is worth a
// retry, because the same bytes fail the same way every time.
var (
	// ErrMalformed: the bytes are not JSON, not a JSON object, or an attribute has the wrong
	// JSON type.
	ErrMalformed = errors.New("malformed event")
	// ErrMissingAttribute: a required attribute is absent, null or empty.
	ErrMissingAttribute = errors.New("missing attribute")
	// ErrBadAttribute: an attribute is present but not well-formed, or the envelope has an
	// attribute the contract does not define.
	ErrBadAttribute = errors.New("bad attribute")
	// ErrUnknownType: the type is well-formed but no payload is registered for it.
	ErrUnknownType = errors.New("unknown event type")
	// ErrInvalidPayload: the data does not decode into the type's payload or fails its rules.
	ErrInvalidPayload = errors.New("invalid payload")
)

// DecodeError says which attribute of an event is wrong and why. Err is one of the sentinels
// above, so errors.Is(err, ErrBadAttribute) works on a *DecodeError and on anything wrapping it.
type DecodeError struct {
	Attribute string // the envelope attribute, e.g. "specversion"; "data" for payload problems; "" for the whole document
	Reason    string // human-readable, safe to store with a dead letter
	Err       error  // one of ErrMalformed, ErrMissingAttribute, ErrBadAttribute, ErrUnknownType, ErrInvalidPayload
}

// Error implements error.
func (e *DecodeError) Error() string {
	if e.Attribute == "" {
		return fmt.Sprintf("%v: %s", e.Err, e.Reason)
	}
	return fmt.Sprintf("%v %q: %s", e.Err, e.Attribute, e.Reason)
}

// Unwrap returns the sentinel.
func (e *DecodeError) Unwrap() error { return e.Err }

func fail(sentinel error, attribute, reason string) *DecodeError {
	return &DecodeError{Attribute: attribute, Reason: reason, Err: sentinel}
}
