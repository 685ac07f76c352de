package leasing

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func nan() float64 { return math.NaN() }

func TestParseTermsReportsEveryBadFieldAtOnce(t *testing.T) {
	tests := []struct {
		name string
		in   TermsInput
		want []string
	}{
		{"empty", TermsInput{}, []string{"start_date", "term_months", "rent_per_m2_month.currency", "deposit.currency", "offer_valid_until"}},
		{"everything wrong", TermsInput{
			StartDate: "2026-02-30", TermMonths: 1201,
			RentPerM2Month: MoneyInput{AmountMinor: -1, Currency: "pkr"},
			Deposit:        MoneyInput{AmountMinor: -5, Currency: "XXX"},
			NoticeMonths:   25, OfferValidUntil: "20/03/2026",
		}, []string{"start_date", "term_months", "rent_per_m2_month.amount_minor", "rent_per_m2_month.currency",
			"deposit.amount_minor", "deposit.currency", "notice_months", "offer_valid_until"}},
		{"zero rent, deposit in another currency, offer open after the start", TermsInput{
			StartDate: "2026-04-01", TermMonths: 12,
			RentPerM2Month:  MoneyInput{AmountMinor: 0, Currency: "PKR"},
			Deposit:         MoneyInput{AmountMinor: 10, Currency: "USD"},
			OfferValidUntil: "2026-04-02",
		}, []string{"rent_per_m2_month.amount_minor", "deposit.currency", "offer_valid_until"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTerms(tt.in)
			wantFields(t, err, tt.want...)
		})
	}
}

func TestParseTermsBounds(t *testing.T) {
	tests := []struct {
		name   string
		change func(*TermsInput)
		bad    string
	}{
		{"one month", func(in *TermsInput) { in.TermMonths, in.NoticeMonths = 1, 1 }, ""},
		{"1200 months", func(in *TermsInput) { in.TermMonths = 1200 }, ""},
		{"no months", func(in *TermsInput) { in.TermMonths = 0 }, "term_months"},
		{"1201 months", func(in *TermsInput) { in.TermMonths = 1201 }, "term_months"},
		{"no notice", func(in *TermsInput) { in.NoticeMonths = 0 }, ""},
		{"24 months' notice", func(in *TermsInput) { in.NoticeMonths = 24 }, ""},
		{"notice as long as the term", func(in *TermsInput) { in.TermMonths, in.NoticeMonths = 6, 6 }, ""},
		{"notice longer than the term", func(in *TermsInput) { in.TermMonths, in.NoticeMonths = 6, 7 }, "notice_months"},
		{"negative notice", func(in *TermsInput) { in.NoticeMonths = -1 }, "notice_months"},
		{"25 months' notice", func(in *TermsInput) { in.NoticeMonths = 25 }, "notice_months"},
		{"no deposit", func(in *TermsInput) { in.Deposit.AmountMinor = 0 }, ""},
		{"offer open until the start date", func(in *TermsInput) { in.OfferValidUntil = in.StartDate }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validTerms()
			tt.change(&in)
			_, err := ParseTerms(in)
			if tt.bad == "" {
				must(t, err)
				return
			}
			wantFields(t, err, tt.bad)
		})
	}
}

func TestParseTermsKeepsAValidOffer(t *testing.T) {
	got := terms(t, validTerms())
	want := Terms{
		StartDate: date("2026-04-01"), TermMonths: 60,
		RentPerM2Month: Money{AmountMinor: 150_00, Currency: "PKR"}, Deposit: Money{AmountMinor: 1_000_000_00, Currency: "PKR"},
		NoticeMonths: 3, OfferValidUntil: date("2026-03-20"),
	}
	if got != want {
		t.Fatalf("terms %+v", got)
	}
	if got.Period() != (Period{From: date("2026-04-01"), To: date("2031-03-31")}) {
		t.Fatalf("period %v", got.Period())
	}
}

func TestLeaseEndsTheDayBeforeTheTermRunsOut(t *testing.T) {
	tests := []struct {
		start  string
		months int
		want   string
	}{
		{"2026-04-01", 60, "2031-03-31"},
		{"2026-04-01", 1, "2026-04-30"},
		{"2026-03-15", 12, "2027-03-14"},
		{"2026-01-31", 1, "2026-02-27"}, // 31 Jan + 1 month = 28 Feb
		{"2028-01-31", 1, "2028-02-28"}, // leap year: 29 Feb - 1 day
		{"2028-02-29", 12, "2029-02-27"},
		{"2028-02-29", 48, "2032-02-28"},
		{"2026-12-01", 1200, "2126-11-30"},
	}
	for _, tt := range tests {
		tm := Terms{StartDate: date(tt.start), TermMonths: tt.months}
		if got := tm.End().String(); got != tt.want {
			t.Errorf("%s + %d months ends %s, want %s", tt.start, tt.months, got, tt.want)
		}
	}
}

func TestMoneyParsesAndPrints(t *testing.T) {
	wantFields(t, func() error { _, err := NewMoney(-1, ""); return err }(), "amount_minor", "currency")
	m, err := NewMoney(1250_50, "PKR")
	must(t, err)
	for _, tt := range []struct {
		m    Money
		want string
	}{
		{m, "PKR 1250.50"},
		{Money{AmountMinor: -5, Currency: "USD"}, "USD -0.05"},
		{Money{AmountMinor: 1500, Currency: "JPY"}, "JPY 1500"},
		{Money{AmountMinor: 1234, Currency: "KWD"}, "KWD 1.234"},
	} {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v prints %q, want %q", tt.m, got, tt.want)
		}
	}
	if len(Currencies()) != len(currencies) || Currencies()[0] != "AED" {
		t.Errorf("currencies %v", Currencies())
	}
}

func TestSpaceValidateReportsEveryBadField(t *testing.T) {
	must(t, plot1.Validate())
	must(t, unit1.Validate())
	wantFields(t, Space{}.Validate(), "ref.kind", "ref.id", "zone_id", "plot_id", "area_m2", "land_use")
	bad := plot1
	bad.PlotID, bad.AreaM2, bad.LandUse = "plot-2", math.Inf(1), "office"
	wantFields(t, bad.Validate(), "plot_id", "area_m2", "land_use")
	for _, a := range []float64{0.01, 1234.5, 99_999_999.99, MaxAreaM2} {
		s := plot1
		s.AreaM2 = a
		must(t, s.Validate())
	}
	for _, a := range []float64{-1, 0, 0.001, 1234.567, MaxAreaM2 + 1, math.NaN()} {
		s := plot1
		s.AreaM2 = a
		wantFields(t, s.Validate(), "area_m2")
	}
	for _, u := range LandUses() {
		if got, err := ParseLandUse(string(u)); err != nil || got != u {
			t.Errorf("land use %s: %v", u, err)
		}
	}
	if plot1.Ref.String() != "plot/plot-1" {
		t.Errorf("ref %s", plot1.Ref)
	}
}

func TestPolicyDefaultsAndBounds(t *testing.T) {
	must(t, Policy{}.Validate())
	must(t, DefaultPolicy().Validate())
	wantFields(t, Policy{ConstructionStartMonths: -1, ConstructionCompleteMonths: 241}.Validate(),
		"construction_start_months", "construction_complete_months")
	wantFields(t, Policy{ConstructionStartMonths: 24, ConstructionCompleteMonths: 12}.Validate(), "construction_complete_months")
	if r := (Policy{}).resolved(); r.ConstructionStartMonths != 12 || r.ConstructionCompleteMonths != 36 || r.Location != DefaultLocation() {
		t.Errorf("resolved %+v", r)
	}
	if got := (Policy{}).Today(utc("2026-01-31T23:30:00Z")); got != date("2026-02-01") {
		t.Errorf("today %s", got)
	}
}

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
	if d, err := NewDate(2028, time.February, 29); err != nil || d.String() != "2028-02-29" {
		t.Errorf("NewDate(2028-02-29) = %v, %v", d, err)
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

func TestDateArithmeticIsInCalendarDays(t *testing.T) {
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"add across a month", date("2026-01-31").AddDays(1), "2026-02-01"},
		{"add across a leap day", date("2028-02-28").AddDays(2), "2028-03-01"},
		{"subtract across a year", date("2026-01-01").AddDays(-1), "2025-12-31"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if n := date("2028-03-01").Sub(date("2028-02-01")); n != 29 {
		t.Errorf("Sub over a leap February = %d", n)
	}
	a, b := date("2026-03-02"), date("2026-03-03")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(a) != 0 || a.Compare(b) != -1 || b.Compare(a) != 1 {
		t.Errorf("comparisons wrong")
	}
	if minDate(a, b) != a || maxDate(a, b) != b {
		t.Errorf("min/max wrong")
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
	if s := date("2026-02-01").Start(nil); !s.Equal(utc("2026-01-31T19:00:00Z")) {
		t.Errorf("start of day %v", s)
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
