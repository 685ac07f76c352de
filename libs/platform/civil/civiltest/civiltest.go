// Package civiltest writes the instants of tests as text people read: a wall-clock time in a
// zone, or an RFC 3339 instant. It is an ordinary package, not a _test.go file, so every
// package's tests share one version; each function panics on text it cannot read, since a
// test's own constant is wrong, not its subject.
package civiltest

import (
	"fmt"
	"time"
)

// WallLayout is how In reads a wall-clock time: "2006-01-02 15:04".
const WallLayout = "2006-01-02 15:04"

// In returns the instant of the wall-clock time s ("2026-03-02 09:00") in loc.
func In(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation(WallLayout, s, loc)
	if err != nil {
		panic(fmt.Sprintf("civiltest.In(%q): %v", s, err))
	}
	return t
}

// UTC returns the instant s written in RFC 3339 ("2026-03-02T04:00:00Z").
func UTC(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(fmt.Sprintf("civiltest.UTC(%q): %v", s, err))
	}
	return t
}
