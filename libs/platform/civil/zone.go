package civil

import "time"

// PakistanStandardTime is UTC+05:00, the default zone time in which legal dates are counted.
// Asia/Karachi has been a fixed UTC+05:00 since 2009; a fixed zone keeps the domain packages free
// of the tz database (loading it is file I/O). A deployment that wants the tz database passes
// time.LoadLocation("Asia/Karachi") instead.
func PakistanStandardTime() *time.Location { return pkt }

var pkt = time.FixedZone("PKT", 5*60*60)

// ZoneTime returns loc, or PakistanStandardTime when loc is nil: a nil location in a policy
// means the default zone time, never UTC, because legal dates counted in UTC would fall a day
// early every morning before 05:00 in Karachi.
func ZoneTime(loc *time.Location) *time.Location {
	if loc == nil {
		return pkt
	}
	return loc
}
