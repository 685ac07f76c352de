package values

import (
	"encoding/json"
	"testing"
	"time"
)

func TestRoleKnowsItsValues(t *testing.T) {
	if !RoleSystem.Valid() || Role("admin").Valid() {
		t.Error("Role.Valid")
	}
	r := Roles()
	r[0] = "changed"
	if Roles()[0] != RoleOperator {
		t.Error("Roles shares its slice with callers")
	}
}

func TestDateAcceptsOnlyRealCalendarDatesInISOForm(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2025-03-05", true},
		{"2024-02-29", true}, // leap year
		{"0001-01-01", true},
		{"9999-12-31", true},
		{"2025-02-29", false},
		{"2025-02-30", false},
		{"2025-13-01", false},
		{"2025-3-5", false},
		{"05/03/2025", false},
		{"2025-03-05T00:00:00Z", false},
		{" 2025-03-05", false},
		{"", false},
		{"+2025-03-05", false},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseDate(%q) = %v, %v; want ok=%v", tt.in, d, err, tt.ok)
			continue
		}
		if tt.ok && d.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, d)
		}
	}
}

func TestDateTravelsAsAJSONString(t *testing.T) {
	type holder struct {
		D Date  `json:"d"`
		O *Date `json:"o,omitempty"`
	}
	b, err := json.Marshal(holder{D: MustParseDate("2035-03-31")})
	if err != nil || string(b) != `{"d":"2035-03-31"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var h holder
	if err := json.Unmarshal([]byte(`{"d":"2035-03-31","o":"2025-01-01"}`), &h); err != nil || h.D != (Date{2035, time.March, 31}) || *h.O != (Date{2025, time.January, 1}) {
		t.Fatalf("Unmarshal = %+v, %v", h, err)
	}
	for _, bad := range []string{`{"d":"2035-02-30"}`, `{"d":20350331}`, `{"d":""}`} {
		if err := json.Unmarshal([]byte(bad), &h); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
	if _, err := json.Marshal(holder{}); err == nil {
		t.Error("a zero date was marshalled; it must be refused rather than sent as 0000-00-00")
	}
}

func TestDateArithmeticAndOrder(t *testing.T) {
	from := MustParseDate("2025-03-01")
	until := from.AddDate(10, 0, -1)
	if until != MustParseDate("2035-02-28") {
		t.Errorf("ten years from %v end on %v", from, until)
	}
	if !from.Before(until) || !until.After(from) || from.Before(from) || from.After(from) {
		t.Error("Before/After")
	}
	karachi := time.FixedZone("PKT", 5*60*60)
	// 20:30 UTC on 28 February is already 1 March in Karachi: the date depends on the zone.
	if got := DateOf(time.Date(2025, 2, 28, 20, 30, 0, 0, time.UTC).In(karachi)); got != from {
		t.Errorf("DateOf in Karachi = %v, want %v", got, from)
	}
	if got := from.In(karachi); !got.Equal(time.Date(2025, 2, 28, 19, 0, 0, 0, time.UTC)) {
		t.Errorf("start of %v in Karachi = %v", from, got.UTC())
	}
}
