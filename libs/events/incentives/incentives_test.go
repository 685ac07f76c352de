package incentives

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/events/values/valuestest"
)

// update is accepted so that "go test ./... -run TestSchemas -update" works across the whole
// module; this package has no generated files.
var _ = flag.Bool("update", false, "no effect in this package")

const (
	entitlementID = "0190f3d1-6071-7283-94a5-a6b7c8d9eafb"
	claimID       = "0190f3d2-7182-7394-a5b6-b7c8d9eafb0c"
	clawbackID    = "0190f3d3-8293-74a5-b6c7-c8d9eafb0c1d"
	tenantID      = "0190f3b8-2c4d-7e5f-9a10-3c4d5e6f7081"
	licenceID     = "0190f3b8-2c4d-7e5f-9a10-2b3c4d5e6f70"
)

func actor() values.Actor {
	return values.Actor{Subject: "operator:farah.khan", Role: values.RoleOperator}
}

func pkr(n int64) values.Money { return values.Money{AmountMinor: n, Currency: "PKR"} }

func ptr[T any](v T) *T { return &v }

func window() Window {
	return Window{From: values.MustParseDate("2025-04-01"), Until: values.MustParseDate("2035-03-31")}
}

func opened() EntitlementOpened {
	return EntitlementOpened{
		EntitlementID: entitlementID, LicenceID: licenceID, LicenceNumber: "STZA/ISB/ZE/2025/0042", TenantID: tenantID,
		Zone: "ISB", SchemeCode: "S21-CUSTOMS", SchemeVersion: 1, TaxKind: TaxKindCustomsDuty, Window: window(),
		Cap: ptr(pkr(125_000_000_00)), TaxYearCap: ptr(pkr(25_000_000_00)), Currency: "PKR",
	}
}

func accepted() ClaimAccepted {
	return ClaimAccepted{
		ClaimID: claimID, EntitlementID: entitlementID, LicenceID: licenceID, TenantID: tenantID, Zone: "ISB",
		SchemeCode: "S21-CUSTOMS", TaxKind: TaxKindCustomsDuty, DeclarationReference: "GD-KAPE-HC-2025-118342",
		TransactionDate: values.MustParseDate("2025-08-14"), AssessedValue: pkr(42_000_000_00), ExemptedAmount: pkr(8_400_000_00),
		TaxYear: 2026, Remaining: ptr(pkr(0)), TaxYearRemaining: ptr(pkr(16_600_000_00)),
		Lines: []Line{{HSCode: "8479.50.00", Description: "industrial robots", Quantity: 4, Value: pkr(42_000_000_00)}},
		Actor: actor(),
	}
}

func assessed() ClawbackAssessed {
	return ClawbackAssessed{
		ClawbackID: clawbackID, EntitlementID: entitlementID, LicenceID: licenceID, TenantID: tenantID,
		SchemeCode: "S21-INCOME", Rule: ClawbackRuleProRata,
		Basis:  ClawbackBasis{Utilised: pkr(10_000_000_00), TermDays: 3653, UnexpiredDays: 1993},
		Amount: pkr(5_455_789_76), AssessedOn: values.MustParseDate("2029-10-15"),
	}
}

// payload is what every payload in this package implements.
type payload interface {
	EventType() string
	AggregateID() string
	Validate() error
}

func TestEveryPayloadNamesItsTypeAndAggregate(t *testing.T) {
	tests := []struct {
		p         payload
		typ       string
		aggregate string
	}{
		{EntitlementOpened{EntitlementID: entitlementID, LicenceID: licenceID}, TypeEntitlementOpened, entitlementID},
		{EntitlementSuspended{EntitlementID: entitlementID}, TypeEntitlementSuspended, entitlementID},
		{EntitlementReinstated{EntitlementID: entitlementID}, TypeEntitlementReinstated, entitlementID},
		{EntitlementClosed{EntitlementID: entitlementID}, TypeEntitlementClosed, entitlementID},
		{EntitlementExhausted{EntitlementID: entitlementID, ClaimID: claimID}, TypeEntitlementExhausted, entitlementID},
		{ClaimAccepted{ClaimID: claimID, EntitlementID: entitlementID}, TypeClaimAccepted, claimID},
		{ClaimRejected{ClaimID: claimID, EntitlementID: entitlementID}, TypeClaimRejected, claimID},
		{ClaimReversed{ClaimID: claimID, EntitlementID: entitlementID}, TypeClaimReversed, claimID},
		{ClawbackAssessed{ClawbackID: clawbackID, EntitlementID: entitlementID}, TypeClawbackAssessed, clawbackID},
		{ClawbackSettled{ClawbackID: clawbackID, EntitlementID: entitlementID}, TypeClawbackSettled, clawbackID},
	}
	for _, tt := range tests {
		if tt.p.EventType() != tt.typ || tt.p.AggregateID() != tt.aggregate {
			t.Errorf("%T: type %q aggregate %q, want %q %q", tt.p, tt.p.EventType(), tt.p.AggregateID(), tt.typ, tt.aggregate)
		}
		if !strings.HasPrefix(tt.typ, "zoneops.incentives.") || !strings.HasSuffix(tt.typ, ".v1") {
			t.Errorf("type %q is not zoneops.incentives.<aggregate>.<event>.v1", tt.typ)
		}
	}
}

// TestValidateReportsEveryBadField checks each payload rule, the rules between fields that the
// JSON Schemas cannot state included, and that all the bad fields come back together, sorted.
func TestValidateReportsEveryBadField(t *testing.T) {
	system := values.Actor{Subject: "incentives-service", Role: values.RoleSystem}
	tests := []struct {
		name string
		p    payload
		want []string // bad fields; none means valid
	}{
		{"opened: valid", opened(), nil},
		{"opened: tracked without cap", func() payload { p := opened(); p.Cap, p.TaxYearCap, p.Actor = nil, nil, &system; return p }(), nil},
		{"opened: empty", EntitlementOpened{}, []string{
			"currency", "entitlement_id", "licence_id", "licence_number", "scheme_code", "scheme_version", "tax_kind",
			"tenant_id", "window.from", "window.until", "zone",
		}},
		{"opened: window ends before it starts", func() payload {
			p := opened()
			p.Window.Until = values.MustParseDate("2025-03-31")
			return p
		}(), []string{"window.until"}},
		{"opened: one-day window", func() payload { p := opened(); p.Window.Until = p.Window.From; return p }(), nil},
		{"opened: caps in another currency than the entitlement's", func() payload {
			p := opened()
			p.Cap, p.TaxYearCap = ptr(values.Money{AmountMinor: 1, Currency: "USD"}), ptr(values.Money{AmountMinor: 1, Currency: "USD"})
			return p
		}(), []string{"cap.currency", "tax_year_cap.currency"}},
		{"opened: zero and negative caps", func() payload { p := opened(); p.Cap, p.TaxYearCap = ptr(pkr(0)), ptr(pkr(-1)); return p }(),
			[]string{"cap.amount_minor", "tax_year_cap.amount_minor"}},
		{"opened: bad codes", func() payload {
			p := opened()
			p.SchemeCode, p.Zone, p.TaxKind = "s21-customs", "isb", "wealth_tax"
			return p
		}(),
			[]string{"scheme_code", "tax_kind", "zone"}},
		{"suspended: valid", EntitlementSuspended{EntitlementID: entitlementID, TenantID: tenantID, Source: SuspensionSourceCompliance, Reason: "risk score above 80", Actor: system}, nil},
		{"suspended: no reason, unknown source", EntitlementSuspended{EntitlementID: entitlementID, TenantID: tenantID, Source: "tenants", Reason: " ", Actor: actor()}, []string{"reason", "source"}},
		{"reinstated: without reason", EntitlementReinstated{EntitlementID: entitlementID, TenantID: tenantID, Source: SuspensionSourceOperator, Actor: actor()}, nil},
		{"reinstated: blank reason", EntitlementReinstated{EntitlementID: entitlementID, TenantID: tenantID, Source: SuspensionSourceOperator, Reason: "\t", Actor: actor()}, []string{"reason"}},
		{"closed: valid", EntitlementClosed{EntitlementID: entitlementID, TenantID: tenantID, Cause: CloseCauseSunset, ClosedOn: values.MustParseDate("2035-06-30")}, nil},
		{"closed: empty", EntitlementClosed{Actor: &values.Actor{}}, []string{"actor.role", "actor.subject", "cause", "closed_on", "entitlement_id", "tenant_id"}},
		{"exhausted: valid", EntitlementExhausted{EntitlementID: entitlementID, TenantID: tenantID, CapReached: CapScopeTerm, Cap: pkr(1), TaxYear: 2027, ClaimID: claimID}, nil},
		{"exhausted: zero cap, no tax year", EntitlementExhausted{EntitlementID: entitlementID, TenantID: tenantID, CapReached: "cap", Cap: pkr(0), ClaimID: claimID}, []string{"cap.amount_minor", "cap_reached", "tax_year"}},
		{"accepted: valid, the term cap used up", accepted(), nil},
		{"accepted: minimal", func() payload { p := accepted(); p.Remaining, p.TaxYearRemaining, p.Lines = nil, nil, nil; return p }(), nil},
		{"accepted: a line without HS code", func() payload { p := accepted(); p.Lines[0].HSCode = ""; return p }(), nil},
		{"accepted: zero amounts", func() payload { p := accepted(); p.AssessedValue, p.ExemptedAmount = pkr(0), pkr(0); return p }(),
			[]string{"assessed_value.amount_minor", "exempted_amount.amount_minor"}},
		{"accepted: a negative remainder", func() payload { p := accepted(); p.Remaining = ptr(pkr(-1)); return p }(), []string{"remaining.amount_minor"}},
		{"accepted: amounts in several currencies", func() payload {
			p := accepted()
			usd := values.Money{AmountMinor: 100, Currency: "USD"}
			p.AssessedValue, p.Remaining, p.TaxYearRemaining, p.Lines[0].Value = usd, &usd, &usd, usd
			return p
		}(), []string{"assessed_value.currency", "lines[0].value.currency", "remaining.currency", "tax_year_remaining.currency"}},
		{"accepted: 30 June 2026 is in tax year 2026, not 2027", func() payload {
			p := accepted()
			p.TransactionDate, p.TaxYear = values.MustParseDate("2026-06-30"), 2027
			return p
		}(), []string{"tax_year"}},
		{"accepted: 1 July 2026 is in tax year 2027", func() payload {
			p := accepted()
			p.TransactionDate, p.TaxYear = values.MustParseDate("2026-07-01"), 2027
			return p
		}(), nil},
		{"accepted: bad lines", func() payload {
			p := accepted()
			p.Lines = append(p.Lines, Line{HSCode: "847", Description: " ", Quantity: 0, Value: pkr(-1)})
			return p
		}(), []string{"lines[1].description", "lines[1].hs_code", "lines[1].quantity", "lines[1].value.amount_minor"}},
		{"accepted: an empty list of lines", func() payload { p := accepted(); p.Lines = []Line{}; return p }(), []string{"lines"}},
		{"rejected: valid", ClaimRejected{
			ClaimID: claimID, EntitlementID: entitlementID, TenantID: tenantID, SchemeCode: "S21-CUSTOMS", DeclarationReference: "GD-1",
			TransactionDate: values.MustParseDate("2036-01-02"), ExemptedAmount: pkr(5), Rule: RejectionOutsideWindow,
			Detail: "2036-01-02 is after the window ending 2035-03-31", Actor: actor(),
		}, nil},
		{"rejected: empty", ClaimRejected{}, []string{
			"actor.role", "actor.subject", "claim_id", "declaration_reference", "detail", "entitlement_id",
			"exempted_amount.amount_minor", "exempted_amount.currency", "rule", "scheme_code", "tenant_id", "transaction_date",
		}},
		{"reversed: valid", ClaimReversed{ClaimID: claimID, EntitlementID: entitlementID, TenantID: tenantID, SchemeCode: "S21-CUSTOMS", Amount: pkr(5), TaxYear: 2026, Reason: "duplicate declaration", Actor: actor()}, nil},
		{"reversed: nothing reversed, tax year 10000", ClaimReversed{ClaimID: claimID, EntitlementID: entitlementID, TenantID: tenantID, SchemeCode: "S21-CUSTOMS", Amount: pkr(0), TaxYear: 10000, Reason: "x", Actor: actor()}, []string{"amount.amount_minor", "tax_year"}},
		{"assessed: valid pro rata", assessed(), nil},
		{"assessed: full recovers everything utilised", func() payload { p := assessed(); p.Rule, p.Amount = ClawbackRuleFull, p.Basis.Utilised; return p }(), nil},
		{"assessed: depreciated with its schedule", func() payload {
			p := assessed()
			p.Rule, p.Basis.DepreciationYears = ClawbackRuleDepreciated, 5
			return p
		}(), nil},
		{"assessed: depreciated without a schedule", func() payload { p := assessed(); p.Rule = ClawbackRuleDepreciated; return p }(), []string{"basis.depreciation_years"}},
		{"assessed: pro rata with a schedule", func() payload { p := assessed(); p.Basis.DepreciationYears = 5; return p }(), []string{"basis.depreciation_years"}},
		{"assessed: more than was utilised", func() payload { p := assessed(); p.Amount = pkr(p.Basis.Utilised.AmountMinor + 1); return p }(), []string{"amount.amount_minor"}},
		{"assessed: more days unexpired than in the term", func() payload { p := assessed(); p.Basis.UnexpiredDays = 3654; return p }(), []string{"basis.unexpired_days"}},
		{"assessed: another currency than the utilised amount's", func() payload {
			p := assessed()
			p.Amount = values.Money{AmountMinor: 1, Currency: "USD"}
			return p
		}(), []string{"amount.currency"}},
		{"assessed: empty", ClawbackAssessed{}, []string{
			"amount.amount_minor", "amount.currency", "assessed_on", "basis.term_days", "basis.utilised.currency", "clawback_id",
			"entitlement_id", "licence_id", "rule", "scheme_code", "tenant_id",
		}},
		{"settled: valid", ClawbackSettled{ClawbackID: clawbackID, EntitlementID: entitlementID, TenantID: tenantID, Recovered: pkr(1), SettledOn: values.MustParseDate("2030-01-20"), Actor: actor()}, nil},
		{"settled: nothing recovered", ClawbackSettled{ClawbackID: clawbackID, EntitlementID: entitlementID, TenantID: tenantID, Recovered: pkr(0), SettledOn: values.MustParseDate("2030-01-20"), Actor: actor()}, []string{"recovered.amount_minor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valuestest.WantFields(t, tt.p.Validate(), tt.want)
		})
	}
}

// TestTaxYearIsNamedByTheYearItEnds: Pakistan's tax year runs 1 July to 30 June and the FBR
// names it by the calendar year of its 30 June.
func TestTaxYearIsNamedByTheYearItEnds(t *testing.T) {
	tests := []struct {
		date string
		want int
	}{
		{"2026-07-01", 2027},
		{"2027-06-30", 2027},
		{"2026-06-30", 2026},
		{"2026-01-01", 2026},
		{"2026-12-31", 2027},
		{"2024-02-29", 2024},
	}
	for _, tt := range tests {
		d := values.MustParseDate(tt.date)
		if got := TaxYearOf(d); got != tt.want {
			t.Errorf("TaxYearOf(%s) = %d, want %d", tt.date, got, tt.want)
		}
		first, last := TaxYearBounds(tt.want)
		if d.Before(first) || d.After(last) || TaxYearOf(first) != tt.want || TaxYearOf(last) != tt.want {
			t.Errorf("TaxYearBounds(%d) = %s..%s, which does not hold %s", tt.want, first, last, tt.date)
		}
	}
	if first, last := TaxYearBounds(2027); first.String() != "2026-07-01" || last.String() != "2027-06-30" {
		t.Errorf("TaxYearBounds(2027) = %s..%s, want 2026-07-01..2027-06-30", first, last)
	}
}

func TestWindowContainsBothEnds(t *testing.T) {
	w := window()
	tests := []struct {
		date string
		want bool
	}{
		{"2025-03-31", false},
		{"2025-04-01", true},
		{"2030-01-01", true},
		{"2035-03-31", true},
		{"2035-04-01", false},
	}
	for _, tt := range tests {
		if got := w.Contains(values.MustParseDate(tt.date)); got != tt.want {
			t.Errorf("Contains(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestEnumsKnowTheirValues(t *testing.T) {
	tests := []struct {
		name  string
		valid []bool // every listed value, then one unknown value
	}{
		{"tax kinds", append(validAll(TaxKinds()), TaxKind("wealth_tax").Valid())},
		{"suspension sources", append(validAll(SuspensionSources()), SuspensionSource("tenants").Valid())},
		{"close causes", append(validAll(CloseCauses()), CloseCause("eviction").Valid())},
		{"cap scopes", append(validAll(CapScopes()), CapScope("month").Valid())},
		{"rejection rules", append(validAll(RejectionRules()), RejectionRule("unknown_scheme").Valid())},
		{"clawback rules", append(validAll(ClawbackRules()), ClawbackRule("none").Valid())},
	}
	for _, tt := range tests {
		n := len(tt.valid)
		if n < 3 || slices.Contains(tt.valid[:n-1], false) || tt.valid[n-1] {
			t.Errorf("%s: Valid = %v, want true for each value and false for the unknown one", tt.name, tt.valid)
		}
	}
}

// validAll returns Valid of each value, through the type's own method.
func validAll[T interface{ Valid() bool }](vs []T) []bool {
	out := make([]bool, len(vs))
	for i, v := range vs {
		out[i] = v.Valid()
	}
	return out
}

func TestPatternsAreTheOnesValidateUses(t *testing.T) {
	tests := []struct {
		field, want string
	}{
		{"scheme_code", schemeCodePattern.String()},
		{"hs_code", hsCodePattern.String()},
		{"zone", values.Pattern("code")},
		{"reason", ""},
	}
	for _, tt := range tests {
		if got := Pattern(tt.field); got != tt.want {
			t.Errorf("Pattern(%q) = %q, want %q", tt.field, got, tt.want)
		}
	}
	for _, ok := range []string{"8471", "8471.30", "847130", "8471.3010", "8471.30.10"} {
		if !hsCodePattern.MatchString(ok) {
			t.Errorf("HS code %q refused", ok)
		}
	}
}
