package apitest

import (
	"testing"
	"time"
)

// Beat makes a service's housekeeping loop (app.Repeat on ticks, handed to the service's
// WithTicks option) run now, on the test's clock, and returns once that run has finished: an
// unbuffered ticks takes a value only while the loop is waiting between runs, so the second
// send returns after the run the first one started is over. Tests then look at the outcome
// without sleeping.
func Beat(t testing.TB, ticks chan<- time.Time) {
	t.Helper()
	for range 2 {
		select {
		case ticks <- time.Time{}:
		case <-time.After(30 * time.Second):
			t.Fatal("the housekeeping loop took no tick within 30s: is the service running with these ticks?")
		}
	}
}

// MoveToNoon sets the clock to noon in loc on the calendar date d (YYYY-MM-DD): the middle of a
// legal day, whichever way the day's rules count its edges.
func (c *Clock) MoveToNoon(t testing.TB, d string, loc *time.Location) {
	t.Helper()
	day, err := time.ParseInLocation(time.DateOnly, d, loc)
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = day.Add(12 * time.Hour)
}
