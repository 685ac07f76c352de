package consumer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// ErrPoison marks a handler error as permanent: the event can never be handled, however often
// it is retried (it breaks a rule the handler relies on), so the runner dead-letters it at
// once instead of burning retries. Wrap it: fmt.Errorf("licence %s: %w", id, consumer.ErrPoison).
var ErrPoison = errors.New("poison event")

// Reasons for dead-lettering, the values of the reason metric label and the prefix of the
// dead-letter entry's reason header.
const (
	ReasonDecode     = "decode"      // the bytes are not an event this consumer understands
	ReasonInvalid    = "invalid"     // the handler found the event invalid (fault.ErrInvalid)
	ReasonPoison     = "poison"      // the handler said retrying cannot help (ErrPoison)
	ReasonMaxDeliver = "max_deliver" // transient failures until MaxDeliver deliveries were used up
)

// action is what the runner does with a delivery after handling it.
type action int

const (
	actAck        action = iota // handled (or already handled): acknowledge
	actRetry                    // transient failure: nak with a delay
	actDeadLetter               // permanent failure: park in the dead-letter stream, then terminate
)

func (a action) String() string {
	switch a {
	case actAck:
		return "ack"
	case actRetry:
		return "retry"
	case actDeadLetter:
		return "dead_letter"
	}
	return fmt.Sprintf("action(%d)", int(a))
}

// decodeError marks a failure of Config.Decode, so that decide can tell it from a handler
// error that happens to wrap the same sentinels.
type decodeError struct{ err error }

func (e *decodeError) Error() string { return e.err.Error() }
func (e *decodeError) Unwrap() error { return e.err }

// decide is the one place that maps the result of handling a delivery to what happens to the
// message: errors that the same bytes will always produce are dead-lettered at once, anything
// else is retried until the delivery that uses up maxDeliver, which dead-letters it with the
// last error as the reason.
func decide(err error, delivered, maxDeliver int) (action, string) {
	var de *decodeError
	var envErr *envelope.DecodeError
	switch {
	case err == nil:
		return actAck, ""
	case errors.As(err, &de), errors.As(err, &envErr):
		return actDeadLetter, ReasonDecode
	case errors.Is(err, ErrPoison):
		return actDeadLetter, ReasonPoison
	case errors.Is(err, fault.ErrInvalid):
		return actDeadLetter, ReasonInvalid
	case delivered >= maxDeliver:
		return actDeadLetter, ReasonMaxDeliver
	default:
		return actRetry, ""
	}
}

// DefaultBackoff is the retry delay after the given delivery attempt (1 for the first):
// 200ms doubling up to 30s, with the upper half jittered so that messages that failed together
// (a database restart) are not all retried in the same instant.
func DefaultBackoff(attempt int) time.Duration {
	const (
		base = 200 * time.Millisecond
		max  = 30 * time.Second
	)
	if attempt < 1 {
		attempt = 1
	}
	d := max
	if attempt <= 8 { // 200ms << 8 is past the cap already
		d = min(base<<(attempt-1), max)
	}
	half := d / 2
	return half + rand.N(half+1)
}
