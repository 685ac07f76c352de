// Package civil is the calendar date: a year, a month and a day, with no time of day and no
// time zone. Legal dates (deadlines, validity, lease terms) are days on a calendar, not instants:
// a deadline "on the 30th" holds all day wherever it is read. An instant becomes a Date only
// through DateOf, which names the time zone whose calendar counts, and a Date becomes an instant
// only through Start.
//
// Dates travel as text, "2006-01-02" (ISO 8601 calendar dates), in JSON and anywhere
// encoding.TextMarshaler is honoured; the zero Date is "no date" and travels as "".
package civil

import (
	"fmt"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Layout is the only spelling of a Date: "YYYY-MM-DD".
const Layout = "2006-01-02"

// Date is a calendar date with no time of day. The zero value means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Reasons returned by the parsers. They are bare reasons, not sentences about a field, so that
// fault.Fields.Merge files them under whatever field the caller parsed.
const (
	reasonFormat = "must be a date formatted YYYY-MM-DD"
	reasonEmpty  = "required"
)

// NewDate returns the date, refusing days that do not exist (2026-02-30) rather than rolling
// them over the way time.Date does, and years outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if year < 1 || year > 9999 || normalise(d) != d {
		return Date{}, fault.Reasonf("%04d-%02d-%02d is not a calendar date", year, int(month), day)
	}
	return d, nil
}

// ParseDate parses "2006-01-02", ignoring surrounding blanks. Blank input is refused with the
// reason "required"; anything else that is not a calendar date in that exact form (2026-3-2,
// 2026-02-29, an RFC 3339 instant) with "must be a date formatted YYYY-MM-DD". The error
// matches fault.ErrInvalid and its text is only the reason.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, fault.Reasonf(reasonEmpty)
	}
	t, err := time.Parse(Layout, s)
	if err != nil {
		return Date{}, fault.Reasonf(reasonFormat)
	}
	return wallDate(t), nil
}

// MustParseDate is ParseDate for constants in tests and examples; it panics on a bad date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(fmt.Sprintf("civil.MustParseDate(%q): %v", s, err))
	}
	return d
}

// DateOf returns the calendar date of the instant t in loc; a nil loc means UTC. This is where
// an instant becomes a date, so it is the one place a time zone matters: 23:30 UTC on 31
// January is already 1 February in Karachi (UTC+05:00).
func DateOf(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	return wallDate(t.In(loc))
}

// wallDate takes the wall-clock date of t as it stands, without converting zones.
func wallDate(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// midnightUTC is the arithmetic form of d: UTC has no daylight saving, so days are 24h long.
func (d Date) midnightUTC() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func normalise(d Date) Date { return wallDate(d.midnightUTC()) }

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
	return wallDate(d.midnightUTC().AddDate(0, 0, n))
}

// AddMonths returns the same day n calendar months later (earlier when n < 0), clamped to the
// last day of the target month: 31 January + 1 month is 28 February (29 in a leap year), not
// 3 March as time.AddDate would have it. Terms and notice periods counted in months use this.
func (d Date) AddMonths(n int) Date {
	months := d.Year*12 + int(d.Month) - 1 + n
	y, m := months/12, months%12
	if m < 0 { // floor division for the (theoretical) years before 1
		y, m = y-1, m+12
	}
	month := time.Month(m + 1)
	return Date{Year: y, Month: month, Day: min(d.Day, daysIn(y, month))}
}

// AddYears returns the same day n years later. Unlike AddMonths it does not clamp: 29 February
// becomes 1 March in a common year, as time.AddDate does, so a term of years counted from a
// leap day still ends the day before its anniversary (AddYears(n).AddDays(-1) is 28 February).
func (d Date) AddYears(n int) Date {
	return wallDate(d.midnightUTC().AddDate(n, 0, 0))
}

// Sub returns the number of calendar days from o to d (d - o). Unix seconds of UTC midnights
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

// Min returns the earlier of a and b.
func Min(a, b Date) Date {
	if a.Before(b) {
		return a
	}
	return b
}

// Max returns the later of a and b.
func Max(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}

// Start returns the first instant of d in loc; a nil loc means UTC. It is the inverse of
// DateOf: DateOf(d.Start(loc), loc) == d.
func (d Date) Start(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText writes d as "2006-01-02" (the zero Date as ""), so JSON and SQL text carry dates,
// not instants.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02"; empty or blank text is the zero Date.
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
