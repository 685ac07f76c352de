package consumer

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

func TestErrorDecisions(t *testing.T) {
	_, parseErr := envelope.Parse([]byte("{"))
	tests := []struct {
		name       string
		err        error
		delivered  int
		wantAction action
		wantReason string
	}{
		{"success is acknowledged", nil, 1, actAck, ""},
		{"success on the last delivery is acknowledged", nil, 5, actAck, ""},
		{"undecodable bytes are dead-lettered at once", &decodeError{err: parseErr}, 1, actDeadLetter, ReasonDecode},
		{"a decode error from the handler is dead-lettered at once", fmt.Errorf("nested payload: %w", parseErr), 1, actDeadLetter, ReasonDecode},
		{"a wrapped ErrPoison is dead-lettered at once", fmt.Errorf("licence L1: %w", ErrPoison), 1, actDeadLetter, ReasonPoison},
		{"a validation error is dead-lettered at once", fault.Invalid("amount", "negative"), 1, actDeadLetter, ReasonInvalid},
		{"a wrapped ErrInvalid is dead-lettered at once", fmt.Errorf("x: %w", fault.ErrInvalid), 2, actDeadLetter, ReasonInvalid},
		{"a transient error is retried", errors.New("connection reset"), 1, actRetry, ""},
		{"unavailable is retried", fault.ErrUnavailable, 4, actRetry, ""},
		{"a conflict is retried", fault.ErrConflict, 4, actRetry, ""},
		{"a transient error on the last delivery is dead-lettered", errors.New("connection reset"), 5, actDeadLetter, ReasonMaxDeliver},
		{"a transient error past the last delivery is dead-lettered", errors.New("connection reset"), 9, actDeadLetter, ReasonMaxDeliver},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			act, reason := decide(tt.err, tt.delivered, 5)
			if act != tt.wantAction || reason != tt.wantReason {
				t.Fatalf("decide = %v %q, want %v %q", act, reason, tt.wantAction, tt.wantReason)
			}
		})
	}
}

func TestDefaultBackoffGrowsJitteredAndCapped(t *testing.T) {
	prevMax := time.Duration(0)
	for attempt := 1; attempt <= 20; attempt++ {
		ceiling := min(200*time.Millisecond<<min(attempt-1, 10), 30*time.Second)
		for range 50 {
			d := DefaultBackoff(attempt)
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("DefaultBackoff(%d) = %v, want within [%v, %v]", attempt, d, ceiling/2, ceiling)
			}
		}
		if ceiling < prevMax {
			t.Fatalf("ceiling shrank at attempt %d", attempt)
		}
		prevMax = ceiling
	}
	if d := DefaultBackoff(0); d <= 0 {
		t.Fatalf("DefaultBackoff(0) = %v, want a positive delay", d)
	}
}
