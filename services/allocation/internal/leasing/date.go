package leasing

import (
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
)

// Date is a calendar date with no time of day (see package civil). Legal dates (lease start
// and end, notice, offer validity, construction deadlines) are days in the zone's time zone,
// not instants: a lease "ending on the 30th" holds all day in Karachi, whatever the UTC offset
// of the server. Lease terms and notice periods are counted with Date.AddMonths, which clamps
// to the last day of the month.
type Date = civil.Date

// ParseDate parses "2006-01-02" (surrounding blanks ignored); blank input is "required".
func ParseDate(s string) (Date, error) { return civil.ParseDate(s) }

// DateOf returns the calendar date of t in loc; a nil loc means the default zone time
// (civil.ZoneTime), not UTC as in package civil.
func DateOf(t time.Time, loc *time.Location) Date { return civil.DateOf(t, civil.ZoneTime(loc)) }

func minDate(a, b Date) Date { return civil.Min(a, b) }

func maxDate(a, b Date) Date { return civil.Max(a, b) }
