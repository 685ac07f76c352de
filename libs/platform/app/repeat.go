package app

import (
	"context"
	"time"
)

// Repeat runs work at once and then at every value from ticks until ctx ends, and returns nil
// then: the shape of a service's housekeeping beat. A nil ticks means every interval on a real
// ticker, as a process runs; a test passes its own channel and sends on it, so that a beat
// happens when the test says and no test waits for an interval to pass.
//
// work runs to its end before the next value is taken, so a send on an unbuffered ticks that
// has returned means the previous run has finished.
func Repeat(ctx context.Context, interval time.Duration, ticks <-chan time.Time, work func(context.Context)) error {
	if ticks == nil {
		t := time.NewTicker(interval)
		defer t.Stop()
		ticks = t.C
	}
	for {
		work(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-ticks:
		}
	}
}
