package civil

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

func date(s string) Date { return MustParseDate(s) }

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseDateAcceptsOnlyCalendarDates(t *testing.T) {
	tests := []struct {
		in     string
		want   Date
		reason string // "" when the input is accepted
	}{
		{"2026-03-02", Date{2026, time.March, 2}, ""},
		{" 2028-02-29 ", Date{2028, time.February, 29}, ""},
		{"0001-01-01", Date{1, time.January, 1}, ""},
		{"9999-12-31", Date{9999, time.December, 31}, ""},
		{"2026-02-29", Date{}, "must be a date formatted YYYY-MM-DD"},
		{"2100-02-29", Date{}, "must be a date formatted YYYY-MM-DD"},
		{"2026-13-01", Date{}, "must be a date formatted YYYY-MM-DD"},
		{"2026-3-2", Date{}, "must be a date formatted YYYY-MM-DD"},
		{"2026-03-02T00:00:00Z", Date{}, "must be a date formatted YYYY-MM-DD"},
		{"20/03/2026", Date{}, "must be a date formatted YYYY-MM-DD"},
		{"", Date{}, "required"},
		{"   ", Date{}, "required"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
		switch {
		case tt.reason == "" && err != nil:
			t.Errorf("ParseDate(%q): %v", tt.in, err)
		case tt.reason != "" && (err == nil || err.Error() != tt.reason):
			t.Errorf("ParseDate(%q) error %v, want %q", tt.in, err, tt.reason)
		case err != nil && !errors.Is(err, fault.ErrInvalid):
			t.Errorf("ParseDate(%q) error %v is not fault.ErrInvalid", tt.in, err)
		}
	}
}

func TestParseDateErrorsAreFiledUnderTheCallersField(t *testing.T) {
	var f fault.Fields
	_, err := ParseDate("2026-02-30")
	f.Merge("start_date", err)
	var v *fault.ValidationError
	if !errors.As(f.Err(), &v) || len(v.Fields) != 1 || v.Fields[0] != (fault.FieldError{Field: "start_date", Reason: "must be a date formatted YYYY-MM-DD"}) {
		t.Fatalf("fields %+v", f.Err())
	}
}

func TestNewDateRefusesDaysThatDoNotExist(t *testing.T) {
	tests := []struct {
		y     int
		m     time.Month
		d     int
		valid bool
	}{
		{2026, time.February, 28, true},
		{2028, time.February, 29, true},
		{2000, time.February, 29, true}, // divisible by 400
		{2026, time.February, 29, false},
		{2100, time.February, 29, false}, // divisible by 100, not by 400
		{2026, time.February, 30, false},
		{2026, time.April, 31, false},
		{2026, time.December, 31, true},
		{2026, 13, 1, false},
		{2026, time.January, 0, false},
		{0, time.January, 1, false},
		{10000, time.January, 1, false},
	}
	for _, tt := range tests {
		d, err := NewDate(tt.y, tt.m, tt.d)
		if (err == nil) != tt.valid {
			t.Errorf("NewDate(%d, %d, %d) = %v, %v", tt.y, tt.m, tt.d, d, err)
			continue
		}
		if tt.valid && d != (Date{tt.y, tt.m, tt.d}) {
			t.Errorf("NewDate(%d, %d, %d) = %v", tt.y, tt.m, tt.d, d)
		}
		if !tt.valid && !errors.Is(err, fault.ErrInvalid) {
			t.Errorf("NewDate(%d, %d, %d) error %v is not fault.ErrInvalid", tt.y, tt.m, tt.d, err)
		}
	}
	if _, err := NewDate(2026, time.February, 30); err == nil || err.Error() != "2026-02-30 is not a calendar date" {
		t.Errorf("reason %v", err)
	}
}

func TestMustParseDatePanicsOnABadDate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	MustParseDate("2026-02-30")
}

func TestDateArithmeticIsInCalendarDays(t *testing.T) {
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"add across a month", date("2026-01-31").AddDays(1), "2026-02-01"},
		{"add across a leap day", date("2028-02-28").AddDays(2), "2028-03-01"},
		{"add across a common February", date("2026-02-28").AddDays(1), "2026-03-01"},
		{"subtract across a year", date("2026-01-01").AddDays(-1), "2025-12-31"},
		{"add nothing", date("2026-05-20").AddDays(0), "2026-05-20"},
		{"add a year of days in a leap year", date("2028-01-01").AddDays(366), "2029-01-01"},
		{"add years", date("2026-03-05").AddYears(10), "2036-03-05"},
		{"add years from a leap day", date("2028-02-29").AddYears(10), "2038-03-01"},
		{"add years from a leap day to a leap year", date("2028-02-29").AddYears(4), "2032-02-29"},
		{"subtract years", date("2026-03-05").AddYears(-1), "2025-03-05"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestDateAddMonthsClampsToTheMonthsLastDay(t *testing.T) {
	tests := []struct {
		from   string
		months int
		want   string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-01-31", 2, "2026-03-31"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2028-02-29", 12, "2029-02-28"},
		{"2028-02-29", 48, "2032-02-29"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-01-15", -1, "2025-12-15"},
		{"2026-01-15", -13, "2024-12-15"},
		{"2026-05-20", 0, "2026-05-20"},
		{"2000-02-29", 1200, "2100-02-28"}, // 2100 is not a leap year
	}
	for _, tt := range tests {
		if got := date(tt.from).AddMonths(tt.months).String(); got != tt.want {
			t.Errorf("%s %+d months = %s, want %s", tt.from, tt.months, got, tt.want)
		}
	}
}

func TestDateSubCountsCalendarDays(t *testing.T) {
	tests := []struct {
		d, o string
		want int
	}{
		{"2026-04-01", "2026-03-02", 30},
		{"2028-03-01", "2028-02-01", 29}, // leap February
		{"2026-03-01", "2026-02-01", 28},
		{"2036-03-05", "2026-03-05", 3653},
		{"2026-03-02", "2026-03-02", 0},
		{"2026-03-02", "2026-03-03", -1},
		{"1600-01-01", "2400-01-01", -292194}, // eight centuries: no Duration overflow
	}
	for _, tt := range tests {
		if got := date(tt.d).Sub(date(tt.o)); got != tt.want {
			t.Errorf("%s - %s = %d, want %d", tt.d, tt.o, got, tt.want)
		}
	}
}

func TestDateComparisons(t *testing.T) {
	a, b := date("2026-03-02"), date("2026-03-03")
	if !a.Before(b) || a.After(b) || !b.After(a) || b.Before(a) || a.Before(a) || a.After(a) {
		t.Errorf("Before/After wrong")
	}
	if a.Compare(a) != 0 || a.Compare(b) != -1 || b.Compare(a) != 1 {
		t.Errorf("Compare wrong")
	}
	if date("2025-12-31").Compare(date("2026-01-01")) != -1 {
		t.Errorf("Compare across a year wrong")
	}
	if Min(a, b) != a || Min(b, a) != a || Max(a, b) != b || Max(b, a) != b || Min(a, a) != a {
		t.Errorf("Min/Max wrong")
	}
}

func TestDateOfCountsTheDayInTheZone(t *testing.T) {
	tests := []struct {
		name string
		at   string
		loc  *time.Location
		want string
	}{
		{"east of UTC, already the next day", "2026-01-31T23:30:00Z", pkt, "2026-02-01"},
		{"east of UTC, same day", "2026-01-31T18:59:59Z", pkt, "2026-01-31"},
		{"east of UTC, midnight", "2026-01-31T19:00:00Z", pkt, "2026-02-01"},
		{"UTC", "2026-01-31T23:30:00Z", time.UTC, "2026-01-31"},
		{"nil is UTC", "2026-01-31T23:30:00Z", nil, "2026-01-31"},
		{"west of UTC, still the day before", "2026-02-01T03:00:00Z", time.FixedZone("EST", -5*3600), "2026-01-31"},
		{"new year east of UTC", "2026-12-31T20:00:00Z", pkt, "2027-01-01"},
		{"leap day east of UTC", "2028-02-28T19:00:00Z", pkt, "2028-02-29"},
	}
	for _, tt := range tests {
		if got := DateOf(utc(tt.at), tt.loc).String(); got != tt.want {
			t.Errorf("%s: DateOf(%s) = %s, want %s", tt.name, tt.at, got, tt.want)
		}
	}
}

func TestStartIsTheFirstInstantOfTheDayInTheZone(t *testing.T) {
	tests := []struct {
		d    string
		loc  *time.Location
		want string
	}{
		{"2026-02-01", pkt, "2026-01-31T19:00:00Z"},
		{"2026-02-01", time.UTC, "2026-02-01T00:00:00Z"},
		{"2026-02-01", nil, "2026-02-01T00:00:00Z"},
		{"2026-02-01", time.FixedZone("EST", -5*3600), "2026-02-01T05:00:00Z"},
	}
	for _, tt := range tests {
		s := date(tt.d).Start(tt.loc)
		if !s.Equal(utc(tt.want)) {
			t.Errorf("%s.Start(%v) = %v, want %s", tt.d, tt.loc, s, tt.want)
		}
		if back := DateOf(s, tt.loc); back != date(tt.d) {
			t.Errorf("DateOf(%s.Start(%v)) = %s", tt.d, tt.loc, back)
		}
		if back := DateOf(s.Add(-time.Nanosecond), tt.loc); back != date(tt.d).AddDays(-1) {
			t.Errorf("the instant before %s.Start(%v) is on %s", tt.d, tt.loc, back)
		}
	}
}

func TestZeroDateIsNoDate(t *testing.T) {
	var z Date
	if !z.IsZero() || z.String() != "" || date("2026-01-01").IsZero() {
		t.Errorf("zero date wrong")
	}
}

func TestDateTravelsAsTextInJSON(t *testing.T) {
	type doc struct {
		Due  Date  `json:"due"`
		Opt  *Date `json:"opt,omitempty"`
		Zero Date  `json:"zero"`
	}
	b, err := json.Marshal(doc{Due: date("2026-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"due":"2026-04-01","zero":""}` {
		t.Fatalf("json %s", b)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Due != date("2026-04-01") || !back.Zero.IsZero() || back.Opt != nil {
		t.Fatalf("round trip %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"due":"2028-02-29","opt":"0001-01-01"}`), &back); err != nil || back.Due != date("2028-02-29") || *back.Opt != date("0001-01-01") {
		t.Fatalf("decode %+v, %v", back, err)
	}
	for _, bad := range []string{`{"due":"2026-02-30"}`, `{"due":"2026-03-02T00:00:00Z"}`, `{"due":20260302}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestPakistanStandardTimeIsFiveHoursEastOfUTC(t *testing.T) {
	_, offset := time.Date(2026, 7, 1, 0, 0, 0, 0, PakistanStandardTime()).Zone()
	if offset != 5*60*60 {
		t.Errorf("offset %d s, want UTC+05:00", offset)
	}
	if got := DateOf(time.Date(2026, 6, 30, 19, 0, 0, 0, time.UTC), PakistanStandardTime()); got != MustParseDate("2026-07-01") {
		t.Errorf("19:00 UTC on 30 June is %s in Pakistan, want 2026-07-01", got)
	}
}
