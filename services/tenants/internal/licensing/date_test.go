package licensing

import (
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
)

// The calendar itself is tested in package civil; these are the licensing rules on top of it.

func TestDatesAreCountedInTheZoneTimeByDefault(t *testing.T) {
	at := utc("2026-01-31T23:30:00Z")
	if got := DateOf(at, nil).String(); got != "2026-02-01" {
		t.Errorf("Karachi date %s", got)
	}
	if got := DateOf(at, time.UTC).String(); got != "2026-01-31" {
		t.Errorf("UTC date %s", got)
	}
	if got := DefaultPolicy().Today(at); got != date("2026-02-01") {
		t.Errorf("Today %s", got)
	}
	if s := date("2026-02-01").Start(civil.PakistanStandardTime()); !s.Equal(utc("2026-01-31T19:00:00Z")) {
		t.Errorf("start of day %v", s)
	}
}

func TestParseDateRefusesBlankAsMalformed(t *testing.T) {
	for _, in := range []string{"", "  "} {
		if _, err := ParseDate(in); err == nil || err.Error() != "must be a date formatted YYYY-MM-DD" {
			t.Errorf("ParseDate(%q): %v", in, err)
		}
	}
	if d, err := ParseDate(" 2028-02-29 "); err != nil || d != (Date{Year: 2028, Month: time.February, Day: 29}) {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
}

func TestLicenceTermFromALeapDayEndsOnTheLastDayOfFebruary(t *testing.T) {
	if got := date("2028-02-29").AddYears(DefaultLicenceTermYears).AddDays(-1); got != date("2038-02-28") {
		t.Errorf("ten years from 2028-02-29 end on %s", got)
	}
}
