package leasing

import (
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
)

// The calendar itself is tested in package civil; these are the leasing rules on top of it.

func TestLeaseDatesAreCountedInTheZoneTimeByDefault(t *testing.T) {
	at := utc("2026-01-31T23:30:00Z")
	if got := DateOf(at, nil).String(); got != "2026-02-01" {
		t.Errorf("Karachi date %s", got)
	}
	if got := DateOf(at, time.UTC).String(); got != "2026-01-31" {
		t.Errorf("UTC date %s", got)
	}
	if s := date("2026-02-01").Start(civil.PakistanStandardTime()); !s.Equal(utc("2026-01-31T19:00:00Z")) {
		t.Errorf("start of day %v", s)
	}
}

func TestParseDateRefusesBlankAsRequired(t *testing.T) {
	for _, in := range []string{"", "  "} {
		if _, err := ParseDate(in); err == nil || err.Error() != "required" {
			t.Errorf("ParseDate(%q): %v", in, err)
		}
	}
	if _, err := ParseDate("20/03/2026"); err == nil || err.Error() != "must be a date formatted YYYY-MM-DD" {
		t.Errorf("ParseDate(20/03/2026): %v", err)
	}
}

func TestMinAndMaxDate(t *testing.T) {
	a, b := date("2026-03-02"), date("2026-03-03")
	if minDate(a, b) != a || minDate(b, a) != a || maxDate(a, b) != b || maxDate(b, a) != b {
		t.Errorf("min/max wrong")
	}
}
