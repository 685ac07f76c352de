package leasing

import (
	"math"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
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
			faulttest.WantFields(t, err, tt.want...)
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
			faulttest.WantFields(t, err, tt.bad)
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

func TestSpaceValidateReportsEveryBadField(t *testing.T) {
	must(t, plot1.Validate())
	must(t, unit1.Validate())
	faulttest.WantFields(t, Space{}.Validate(), "ref.kind", "ref.id", "zone_id", "plot_id", "area_m2", "land_use")
	bad := plot1
	bad.PlotID, bad.AreaM2, bad.LandUse = "plot-2", math.Inf(1), "office"
	faulttest.WantFields(t, bad.Validate(), "plot_id", "area_m2", "land_use")
	for _, a := range []float64{0.01, 1234.5, 99_999_999.99, MaxAreaM2} {
		s := plot1
		s.AreaM2 = a
		must(t, s.Validate())
	}
	for _, a := range []float64{-1, 0, 0.001, 1234.567, MaxAreaM2 + 1, math.NaN()} {
		s := plot1
		s.AreaM2 = a
		faulttest.WantFields(t, s.Validate(), "area_m2")
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
	faulttest.WantFields(t, Policy{ConstructionStartMonths: -1, ConstructionCompleteMonths: 241}.Validate(),
		"construction_start_months", "construction_complete_months")
	faulttest.WantFields(t, Policy{ConstructionStartMonths: 24, ConstructionCompleteMonths: 12}.Validate(), "construction_complete_months")
	if r := (Policy{}).resolved(); r.ConstructionStartMonths != 12 || r.ConstructionCompleteMonths != 36 || r.Location != civil.PakistanStandardTime() {
		t.Errorf("resolved %+v", r)
	}
	if got := (Policy{}).Today(utc("2026-01-31T23:30:00Z")); got != date("2026-02-01") {
		t.Errorf("today %s", got)
	}
}
