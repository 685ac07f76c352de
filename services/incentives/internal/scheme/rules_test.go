package scheme

import (
	"errors"
	"math"
	"testing"

	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/money"
)

var d = civil.MustParseDate

func pkr(n int64) money.Money { return money.Money{AmountMinor: n, Currency: "PKR"} }

// Rupees in paisa, so that worked examples read in rupees.
const rupee = 100

func TestWindowRunsTermYearsFromValidFromEndingTheDayBeforeTheAnniversaryClippedToTheLicence(t *testing.T) {
	ten := Version{Term: Term{Years: 10, From: FromLicence}}
	dev := Version{Term: Term{Years: 10, From: FromDevelopmentAgreement}}
	tests := []struct {
		name        string
		v           Version
		l           Licence
		from, until string // until exclusive
		last        string
		days        int
	}{
		{"ten years from 2026-07-01 is until 2036-07-01 exclusive, 3653 days", ten,
			Licence{ValidFrom: d("2026-07-01"), ValidUntil: d("2046-06-30")}, "2026-07-01", "2036-07-01", "2036-06-30", 3653},
		{"a licence valid five years clips a ten-year window to its valid_until", ten,
			Licence{ValidFrom: d("2026-07-01"), ValidUntil: d("2031-06-30")}, "2026-07-01", "2031-07-01", "2031-06-30", 1826},
		{"a licence valid exactly ten years leaves the window whole", ten,
			Licence{ValidFrom: d("2026-07-01"), ValidUntil: d("2036-06-30")}, "2026-07-01", "2036-07-01", "2036-06-30", 3653},
		{"from a leap day ten years end on 28 February", ten,
			Licence{ValidFrom: d("2028-02-29")}, "2028-02-29", "2038-03-01", "2038-02-28", 3653},
		{"a development agreement before the licence starts the term, the licence clips it", dev,
			Licence{ValidFrom: d("2027-01-01"), ValidUntil: d("2057-01-01"), AgreementDate: d("2026-01-01")}, "2027-01-01", "2036-01-01", "2035-12-31", 3287},
		{"with no agreement date a developer's term runs from valid_from", dev,
			Licence{ValidFrom: d("2027-01-01"), ValidUntil: d("2057-01-01")}, "2027-01-01", "2037-01-01", "2036-12-31", 3653},
		{"an agreement term over before the licence starts leaves nothing", dev,
			Licence{ValidFrom: d("2040-01-01"), AgreementDate: d("2026-01-01")}, "2040-01-01", "2040-01-01", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.v.Window(tt.l)
			if w.From != d(tt.from) || w.Until != d(tt.until) || w.Days() != tt.days || w.Last().String() != tt.last {
				t.Errorf("window %s..%s (last %s, %d days), want %s..%s (last %s, %d days)",
					w.From, w.Until, w.Last(), w.Days(), tt.from, tt.until, tt.last, tt.days)
			}
		})
	}
	w := Window{From: d("2026-07-01"), Until: d("2036-07-01")}
	for _, tt := range []struct {
		day  string
		want bool
	}{{"2026-06-30", false}, {"2026-07-01", true}, {"2036-06-30", true}, {"2036-07-01", false}} {
		if got := w.Contains(d(tt.day)); got != tt.want {
			t.Errorf("Contains(%s) = %v", tt.day, got)
		}
	}
}

func TestCapIsNoneFixedByTierOrAShareOfCommittedInvestmentRoundedDown(t *testing.T) {
	fixed := CapRule{Kind: CapFixedPerTier, PerTier: map[tenants.SizeTier]money.Money{tenants.SizeTierSME: pkr(5_000_000 * rupee)}}
	fifth := CapRule{Kind: CapShareOfInvestment, Share: Share{Num: 2, Den: 10}}
	third := CapRule{Kind: CapShareOfInvestment, Share: Share{Num: 333_333, Den: 1_000_000}}
	usd := money.Money{AmountMinor: 1_000_000_00, Currency: "USD"}
	tests := []struct {
		name    string
		rule    CapRule
		l       Licence
		want    Limit
		wantErr error
	}{
		{"no cap is tracked in the investment's currency", CapRule{Kind: CapNone}, Licence{Investment: usd},
			Limit{Capped: false, Amount: money.Money{Currency: "USD"}}, nil},
		{"an SME's fixed cap is its tier's five million", fixed, Licence{Tier: tenants.SizeTierSME, Investment: usd},
			Limit{Capped: true, Amount: pkr(5_000_000 * rupee)}, nil},
		{"a tier without a fixed cap is an error", fixed, Licence{Tier: tenants.SizeTierLarge}, Limit{}, ErrNoCapForTier},
		{"a fifth of a committed USD 1 million is USD 200,000", fifth, Licence{Investment: usd},
			Limit{Capped: true, Amount: money.Money{AmountMinor: 200_000_00, Currency: "USD"}}, nil},
		{"0.333333 of PKR 10.01 is 333 paisa, rounded down", third, Licence{Investment: pkr(1001)},
			Limit{Capped: true, Amount: pkr(333)}, nil},
		{"a share of the largest investment does not overflow", fifth, Licence{Investment: pkr(math.MaxInt64)},
			Limit{Capped: true, Amount: pkr(math.MaxInt64 / 5)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.rule.Limit(tt.l)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("Limit = %+v, %v; want %+v, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestAClaimIsAllowedOnlyWithinWhatRemainsOfTheCap(t *testing.T) {
	ten := Limit{Capped: true, Amount: pkr(10_000_000)}
	tests := []struct {
		name        string
		lim         Limit
		used, claim money.Money
		want        error
	}{
		{"four million used and six claimed exactly fills a ten million cap", ten, pkr(4_000_000), pkr(6_000_000), nil},
		{"one paisa more than the rest is refused", ten, pkr(4_000_000), pkr(6_000_001), ErrCapExceeded},
		{"no cap allows any amount", Limit{Amount: pkr(0)}, pkr(math.MaxInt64 - 1), pkr(1), nil},
		{"a claim that overflows the used sum is an error, not a wrap", ten, pkr(math.MaxInt64), pkr(1), money.ErrOverflow},
		{"a claim in another currency is refused", ten, pkr(0), money.Money{AmountMinor: 1, Currency: "USD"}, money.ErrCurrencyMismatch},
		{"no cap still refuses another currency", Limit{Amount: pkr(0)}, money.Money{Currency: "USD"}, money.Money{AmountMinor: 1, Currency: "USD"}, money.ErrCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.lim.Allows(tt.used, tt.claim); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("Allows = %v, want %v", err, tt.want)
			}
		})
	}
	rest, capped, err := ten.Remaining(pkr(4_000_000))
	if err != nil || !capped || rest != pkr(6_000_000) {
		t.Errorf("Remaining = %v, %v, %v", rest, capped, err)
	}
	rest, capped, err = Limit{Amount: pkr(0)}.Remaining(pkr(4_000_000))
	if err != nil || capped || rest != pkr(0) {
		t.Errorf("Remaining of no cap = %v, %v, %v", rest, capped, err)
	}
	if _, _, err := ten.Remaining(pkr(math.MinInt64)); !errors.Is(err, money.ErrOverflow) {
		t.Errorf("Remaining overflow = %v", err)
	}
}

func TestTaxYearRunsJulyToJuneAndIsNamedByTheYearOfItsThirtiethOfJune(t *testing.T) {
	tests := []struct {
		name string
		day  string
		want TaxYear
	}{
		{"1 July 2026 opens tax year 2027", "2026-07-01", 2027},
		{"31 December 2026 is in tax year 2027", "2026-12-31", 2027},
		{"1 January 2027 is in tax year 2027", "2027-01-01", 2027},
		{"30 June 2027 closes tax year 2027", "2027-06-30", 2027},
		{"30 June 2026 is the last day of tax year 2026", "2026-06-30", 2026},
		{"the 2035 sunset is the last day of tax year 2035", "2035-06-30", 2035},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TaxYearOf(d(tt.day)); got != tt.want {
				t.Errorf("TaxYearOf(%s) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
	y := TaxYear(2027)
	if y.Start() != d("2026-07-01") || y.End() != d("2027-06-30") || y.String() != "2027" || y.Span() != "2026-27" {
		t.Errorf("tax year 2027: %s..%s %q %q", y.Start(), y.End(), y, y.Span())
	}
	if TaxYear(2000).Span() != "1999-00" {
		t.Errorf("span %q", TaxYear(2000).Span())
	}
}

func TestATaxYearCapIsComputedLikeTheTermCap(t *testing.T) {
	v := mustLoad(t, policyFile(t, entry(map[string]any{"tax_year_cap": map[string]any{"kind": "share_of_committed_investment", "share": "0.02"}}))).Versions()[0]
	lim, err := v.TaxYearCap.Limit(Licence{Investment: pkr(500_000_000 * rupee)})
	if err != nil || lim != (Limit{Capped: true, Amount: pkr(10_000_000 * rupee)}) {
		t.Errorf("a 2%% tax-year cap of PKR 500 million = %+v, %v", lim, err)
	}
}

func TestProRataClawbackOfTenMillionWithFourOfTenYearsLeftIs3999452Rupees50PaisaByTheDay(t *testing.T) {
	w := Window{From: d("2026-07-01"), Until: d("2036-07-01")} // 3,653 days
	got, err := ClawbackRule{Kind: ClawbackProRata}.Clawback(w, d("2032-07-01"), "PKR",
		[]Claim{{Date: d("2027-01-10"), Exempted: pkr(6_000_000 * rupee)}, {Date: d("2029-05-05"), Exempted: pkr(4_000_000 * rupee)}})
	// 1,461 of 3,653 days are left: 10,000,000 × 1461/3653 = 3,999,452.505... rounded down.
	if err != nil || got != pkr(3_999_452_50) {
		t.Errorf("clawback %v, %v", got, err)
	}
}

func TestDepreciatedClawbackOfOneMillionDutyWithTwoOfFiveYearsRunIs599890Rupees53Paisa(t *testing.T) {
	w := Window{From: d("2026-07-01"), Until: d("2036-07-01")}
	// Goods imported 2027-07-01; 5-year schedule to 2032-07-01 is 1,827 days; 731 run by
	// 2029-07-01, so 1,096/1,827 of PKR 1,000,000 remain: 599,890.5309... rounded down.
	got, err := ClawbackRule{Kind: ClawbackDepreciated, Years: 5}.Clawback(w, d("2029-07-01"), "PKR",
		[]Claim{{Date: d("2027-07-01"), Exempted: pkr(1_000_000 * rupee)}})
	if err != nil || got != pkr(599_890_53) {
		t.Errorf("clawback %v, %v", got, err)
	}
}

func TestClawbackByRuleAndEndDate(t *testing.T) {
	w := Window{From: d("2026-07-01"), Until: d("2036-07-01")}
	claims := []Claim{
		{Date: d("2026-07-01"), Exempted: pkr(1_000_000)}, // fully depreciated by 2031-07-01 on a 5-year schedule
		{Date: d("2030-07-01"), Exempted: pkr(3_000_000)}, // 1 of 5 years run on 2031-07-01 (365 of 1826 days)
	}
	tests := []struct {
		name  string
		rule  ClawbackRule
		ended string
		want  money.Money
	}{
		{"none recovers nothing", ClawbackRule{Kind: ClawbackNone}, "2031-07-01", pkr(0)},
		{"full recovers all four million utilised", ClawbackRule{Kind: ClawbackFull}, "2031-07-01", pkr(4_000_000)},
		{"an end on the window's end day (Until) is not early: nothing", ClawbackRule{Kind: ClawbackFull}, "2036-07-01", pkr(0)},
		{"an end after the window: nothing", ClawbackRule{Kind: ClawbackProRata}, "2040-01-01", pkr(0)},
		{"an end on the last day of the window leaves one day of 3653: 4,000,000/3653 rounded down", ClawbackRule{Kind: ClawbackProRata}, "2036-06-30", pkr(1094)},
		{"an end before the window starts recovers everything pro rata", ClawbackRule{Kind: ClawbackProRata}, "2020-01-01", pkr(4_000_000)},
		{"depreciated: the first claim is written off, the second keeps 1461/1826", ClawbackRule{Kind: ClawbackDepreciated, Years: 5}, "2031-07-01", pkr(2_400_328)},
		{"depreciated on the first claim's date keeps it whole", ClawbackRule{Kind: ClawbackDepreciated, Years: 5}, "2026-07-01", pkr(4_000_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.rule.Clawback(w, d(tt.ended), "PKR", claims)
			if err != nil || got != tt.want {
				t.Errorf("clawback %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestClawbackRefusesOverflowAndOtherCurrencies(t *testing.T) {
	w := Window{From: d("2026-07-01"), Until: d("2036-07-01")}
	big := []Claim{{Date: d("2027-01-01"), Exempted: pkr(math.MaxInt64)}, {Date: d("2027-01-02"), Exempted: pkr(1)}}
	for _, kind := range []ClawbackKind{ClawbackFull, ClawbackProRata, ClawbackDepreciated} {
		if _, err := (ClawbackRule{Kind: kind, Years: 5}).Clawback(w, d("2027-02-01"), "PKR", big); !errors.Is(err, money.ErrOverflow) {
			t.Errorf("%s: overflow gave %v", kind, err)
		}
		usd := []Claim{{Date: d("2027-01-01"), Exempted: money.Money{AmountMinor: 1, Currency: "USD"}}}
		if _, err := (ClawbackRule{Kind: kind, Years: 5}).Clawback(w, d("2027-02-01"), "PKR", usd); !errors.Is(err, money.ErrCurrencyMismatch) {
			t.Errorf("%s: USD claims gave %v", kind, err)
		}
	}
	if got, err := (ClawbackRule{Kind: ClawbackProRata}).Clawback(Window{From: d("2027-01-01"), Until: d("2027-01-01")}, d("2026-01-01"), "PKR", nil); err != nil || got != pkr(0) {
		t.Errorf("empty window: %v, %v", got, err)
	}
}

func TestUndepreciatedShareRunsStraightLineFromTheClaimDate(t *testing.T) {
	c := Claim{Date: d("2027-07-01"), Exempted: pkr(1_827)} // one paisa a day over 5 years
	for _, tt := range []struct {
		on   string
		want int64
	}{{"2027-06-01", 1827}, {"2027-07-01", 1827}, {"2027-07-02", 1826}, {"2032-06-30", 1}, {"2032-07-01", 0}, {"2040-01-01", 0}} {
		got, err := Undepreciated(c, 5, d(tt.on))
		if err != nil || got != pkr(tt.want) {
			t.Errorf("on %s: %v, %v; want %d", tt.on, got, err, tt.want)
		}
	}
}

func TestShareParsesDecimalsInZeroToOneExactly(t *testing.T) {
	tests := []struct {
		in   string
		want Share
		text string
		ok   bool
	}{
		{"0.25", Share{25, 100}, "0.25", true},
		{"1", Share{1, 1}, "1", true},
		{"1.0", Share{10, 10}, "1", true},
		{"0.000001", Share{1, 1_000_000}, "0.000001", true},
		{"0.250", Share{250, 1000}, "0.25", true},
		{"0", Share{}, "", false},
		{"0.0000001", Share{}, "", false},
		{"1.5", Share{}, "", false},
		{"2", Share{}, "", false},
		{".5", Share{}, "", false},
		{"0.5e0", Share{}, "", false},
		{"-0.5", Share{}, "", false},
		{"", Share{}, "", false},
		{"10", Share{}, "", false},
		{"1.", Share{}, "", false},
		{"1.000001", Share{}, "", false},
		{" 0.5", Share{}, "", false},
	}
	for _, tt := range tests {
		got, err := ParseShare(tt.in)
		if (err == nil) != tt.ok || got != tt.want || got.String() != tt.text {
			t.Errorf("ParseShare(%q) = %v (%q), %v", tt.in, got, got.String(), err)
		}
	}
	var s Share
	if err := s.UnmarshalText([]byte("0.2")); err != nil || s != (Share{2, 10}) {
		t.Errorf("UnmarshalText = %v, %v", s, err)
	}
	if b, _ := s.MarshalText(); string(b) != "0.2" || s.IsZero() || !(Share{}).IsZero() {
		t.Errorf("MarshalText = %s", b)
	}
	if err := s.UnmarshalText([]byte("3")); err == nil {
		t.Error("UnmarshalText accepted 3")
	}
}

func TestTaxKindsHaveLabels(t *testing.T) {
	for _, k := range taxKinds.Values() {
		if k.Label() == "" {
			t.Errorf("%s has no label", k)
		}
	}
	if TaxKind("wealth_tax").Label() != "" {
		t.Error("an unknown tax kind has a label")
	}
}

func TestTermsOfACustomsSchemeForAUSDOneMillionEnterpriseAreTenYearsAndUSD200000(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	l := Licence{Kind: tenants.KindZoneEnterprise, Tier: tenants.SizeTierSME, GrantedOn: d("2026-06-20"),
		ValidFrom: d("2026-07-01"), ValidUntil: d("2046-06-30"), Investment: money.Money{AmountMinor: 1_000_000_00, Currency: "USD"}}
	v, ok := p.InForce("S21-CUSTOMS", l.GrantedOn)
	if !ok {
		t.Fatal("S21-CUSTOMS not in force")
	}
	got, err := v.Terms(l)
	want := Terms{Code: "S21-CUSTOMS", Version: 1, Window: Window{From: d("2026-07-01"), Until: d("2036-07-01")},
		Cap: Limit{Capped: true, Amount: money.Money{AmountMinor: 200_000_00, Currency: "USD"}}, Currency: "USD"}
	if err != nil || got != want {
		t.Errorf("terms %+v, %v", got, err)
	}
}

func TestTermsRefuseACapAndATaxYearCapInDifferentCurrencies(t *testing.T) {
	v := Version{Code: "S21-X", Version: 1, Term: Term{Years: 10, From: FromLicence},
		Cap:        CapRule{Kind: CapFixedPerTier, PerTier: map[tenants.SizeTier]money.Money{tenants.SizeTierSME: pkr(100)}},
		TaxYearCap: &CapRule{Kind: CapShareOfInvestment, Share: Share{1, 10}}}
	l := Licence{Tier: tenants.SizeTierSME, ValidFrom: d("2026-07-01"), Investment: money.Money{AmountMinor: 1000, Currency: "USD"}}
	if _, err := v.Terms(l); !errors.Is(err, ErrMixedCurrencies) {
		t.Errorf("mixed currencies: %v", err)
	}
	l.Investment = pkr(1000)
	got, err := v.Terms(l)
	if err != nil || got.TaxYearCap == nil || *got.TaxYearCap != (Limit{Capped: true, Amount: pkr(100)}) || got.Currency != "PKR" {
		t.Errorf("terms %+v, %v", got, err)
	}
	l.Tier = tenants.SizeTierLarge
	if _, err := v.Terms(l); !errors.Is(err, ErrNoCapForTier) {
		t.Errorf("no tier: %v", err)
	}
	v.Cap = CapRule{Kind: CapNone}
	v.TaxYearCap.Kind, v.TaxYearCap.PerTier = CapFixedPerTier, nil
	if _, err := v.Terms(l); !errors.Is(err, ErrNoCapForTier) {
		t.Errorf("no tier for the tax year: %v", err)
	}
}

func TestAWindowFromJuly2026ForTenYearsTouchesTaxYears2027To2036(t *testing.T) {
	tests := []struct {
		name        string
		w           Window
		first, last TaxYear
		n           int
	}{
		{"ten years from 1 July", Window{From: d("2026-07-01"), Until: d("2036-07-01")}, 2027, 2036, 10},
		{"ten years from 15 March touch eleven tax years", Window{From: d("2027-03-15"), Until: d("2037-03-15")}, 2027, 2037, 11},
		{"one day", Window{From: d("2027-06-30"), Until: d("2027-07-01")}, 2027, 2027, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.w.TaxYears()
			if len(got) != tt.n || got[0] != tt.first || got[len(got)-1] != tt.last {
				t.Errorf("tax years %v", got)
			}
		})
	}
	if got := (Window{From: d("2027-01-01"), Until: d("2027-01-01")}).TaxYears(); got != nil {
		t.Errorf("an empty window touches %v", got)
	}
}
