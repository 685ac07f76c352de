package leasing

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date with no time of day. Legal dates (lease start and end, notice,
// offer validity, construction deadlines) are days in the zone's time zone, not instants: a
// lease "ending on the 30th" holds all day in Karachi, whatever the UTC offset of the server.
//
// Copied from the tenants service's licensing package (services share events, not code), with
// month arithmetic added for lease terms.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// NewDate returns the date, refusing days that do not exist (2026-02-30) rather than rolling
// them over the way time.Date does.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if year < 1 || year > 9999 || normalise(d) != d {
		return Date{}, invalidf("%04d-%02d-%02d is not a calendar date", year, int(month), day)
	}
	return d, nil
}

// ParseDate parses "2006-01-02" (surrounding blanks ignored).
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, invalidf("required")
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, invalidf("must be a date formatted YYYY-MM-DD")
	}
	return dateOfUTC(t), nil
}

// DateOf returns the calendar date of t in loc; a nil loc means the default zone time. This is
// where an instant becomes a legal date, so it is the one place a time zone matters.
func DateOf(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = DefaultLocation()
	}
	return dateOfUTC(t.In(loc))
}

// dateOfUTC takes the wall-clock date of t as it stands, without converting zones.
func dateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// midnightUTC is the arithmetic form of d: UTC has no daylight saving, so days are 24h long.
func (d Date) midnightUTC() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func normalise(d Date) Date { return dateOfUTC(d.midnightUTC()) }

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "2006-01-02", and the zero Date as "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// AddDays returns the date n calendar days later (earlier when n < 0).
func (d Date) AddDays(n int) Date {
	return dateOfUTC(d.midnightUTC().AddDate(0, 0, n))
}

// AddMonths returns the same day n calendar months later (earlier when n < 0), clamped to the
// last day of the target month: 31 January + 1 month is 28 February (29 in a leap year), not
// 3 March as time.AddDate would have it. Lease terms and notice periods are counted this way.
func (d Date) AddMonths(n int) Date {
	months := d.Year*12 + int(d.Month) - 1 + n
	y, m := months/12, months%12
	if m < 0 { // floor division for the (theoretical) years before 1
		y, m = y-1, m+12
	}
	month := time.Month(m + 1)
	return Date{Year: y, Month: month, Day: min(d.Day, daysIn(y, month))}
}

// Sub returns the number of calendar days from o to d (d - o); Unix seconds of UTC midnights
// are exact multiples of a day, so the division is exact and cannot overflow a Duration.
func (d Date) Sub(o Date) int {
	return int((d.midnightUTC().Unix() - o.midnightUTC().Unix()) / 86400)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch s := d.Sub(o); {
	case s < 0:
		return -1
	case s > 0:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Start returns the first instant of d in loc (nil: the default zone time).
func (d Date) Start(loc *time.Location) time.Time {
	if loc == nil {
		loc = DefaultLocation()
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText writes d as "2006-01-02" so JSON and SQL text carry dates, not instants.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02"; empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func minDate(a, b Date) Date {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}
