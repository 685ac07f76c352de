package licensing

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDateAcceptsOnlyCalendarDates(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2026-03-02", Date{2026, time.March, 2}, true},
		{" 2028-02-29 ", Date{2028, time.February, 29}, true},
		{"2026-02-29", Date{}, false},
		{"2026-13-01", Date{}, false},
		{"2026-3-2", Date{}, false},
		{"2026-03-02T00:00:00Z", Date{}, false},
		{"", Date{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v", tt.in, got, err)
		}
	}
	if _, err := NewDate(2026, time.February, 30); err == nil {
		t.Errorf("NewDate accepted 2026-02-30")
	}
	if d, err := NewDate(2026, time.February, 28); err != nil || d.String() != "2026-02-28" {
		t.Errorf("NewDate(2026-02-28) = %v, %v", d, err)
	}
}

func TestDateArithmeticIsInCalendarDays(t *testing.T) {
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"add across a month", date("2026-01-31").AddDays(1), "2026-02-01"},
		{"add across a leap day", date("2028-02-28").AddDays(2), "2028-03-01"},
		{"subtract across a year", date("2026-01-01").AddDays(-1), "2025-12-31"},
		{"add years", date("2026-03-05").AddYears(10), "2036-03-05"},
		{"add years from a leap day", date("2028-02-29").AddYears(10), "2038-03-01"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if n := date("2026-04-01").Sub(date("2026-03-02")); n != 30 {
		t.Errorf("Sub = %d, want 30", n)
	}
	if n := date("2036-03-05").Sub(date("2026-03-05")); n != 3653 {
		t.Errorf("Sub over ten years = %d, want 3653", n)
	}
	if n := date("1600-01-01").Sub(date("2400-01-01")); n != -292194 {
		t.Errorf("Sub over eight centuries = %d", n)
	}
	a, b := date("2026-03-02"), date("2026-03-03")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(a) != 0 || a.Compare(b) != -1 || b.Compare(a) != 1 {
		t.Errorf("comparisons wrong")
	}
}

func TestDateOfCountsTheDayInTheZone(t *testing.T) {
	at := utc("2026-01-31T23:30:00Z")
	if got := DateOf(at, nil).String(); got != "2026-02-01" {
		t.Errorf("Karachi date %s", got)
	}
	if got := DateOf(at, time.UTC).String(); got != "2026-01-31" {
		t.Errorf("UTC date %s", got)
	}
	if got := DateOf(at, time.FixedZone("EST", -5*3600)).String(); got != "2026-01-31" {
		t.Errorf("EST date %s", got)
	}
	if s := date("2026-02-01").Start(nil); !s.Equal(utc("2026-01-31T19:00:00Z")) {
		t.Errorf("start of day %v", s)
	}
	if got := DefaultPolicy().Today(at); got != date("2026-02-01") {
		t.Errorf("Today %s", got)
	}
}

func TestDateTravelsAsTextInJSON(t *testing.T) {
	type doc struct {
		Due  Date  `json:"due"`
		Opt  *Date `json:"opt,omitempty"`
		Zero Date  `json:"zero"`
	}
	b, err := json.Marshal(doc{Due: date("2026-04-01")})
	must(t, err)
	if string(b) != `{"due":"2026-04-01","zero":""}` {
		t.Fatalf("json %s", b)
	}
	var back doc
	must(t, json.Unmarshal(b, &back))
	if back.Due != date("2026-04-01") || !back.Zero.IsZero() {
		t.Fatalf("round trip %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"due":"2026-02-30"}`), &back); err == nil {
		t.Fatalf("accepted a date that does not exist")
	}
}
