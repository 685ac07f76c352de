package licensing

import (
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Date is a calendar date with no time of day (see package civil). Legal dates (decision
// deadlines, reply dates, licence validity) are days in the zone's time zone, not instants: a
// deadline "on the 30th" holds all day in Karachi, whatever the UTC offset of the server.
type Date = civil.Date

// ParseDate parses "2006-01-02" (surrounding blanks ignored). Blank input is refused like any
// other malformed date, with the reason "must be a date formatted YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	if strings.TrimSpace(s) == "" {
		return Date{}, fault.Reasonf("must be a date formatted YYYY-MM-DD")
	}
	return civil.ParseDate(s)
}

// DateOf returns the calendar date of t in loc; a nil loc means the default zone time
// (civil.ZoneTime), not UTC as in package civil.
func DateOf(t time.Time, loc *time.Location) Date { return civil.DateOf(t, civil.ZoneTime(loc)) }
