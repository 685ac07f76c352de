package incentives

import (
	"math"
	"slices"

	"github.com/zoneops/zoneops/libs/events/values"
)

// TaxKind is the tax a scheme exempts from. Income tax covers, as s.21 of the STZA Act 2021
// does, the turnover, withholding, capital gains and dividend taxes.
type TaxKind string

// Tax kinds.
const (
	TaxKindIncomeTax   TaxKind = "income_tax"
	TaxKindSalesTax    TaxKind = "sales_tax"
	TaxKindCustomsDuty TaxKind = "customs_duty"
	TaxKindPropertyTax TaxKind = "property_tax"
)

// TaxKinds returns every valid TaxKind; a new slice each call.
func TaxKinds() []TaxKind {
	return []TaxKind{TaxKindIncomeTax, TaxKindSalesTax, TaxKindCustomsDuty, TaxKindPropertyTax}
}

// Valid reports whether k is one of TaxKinds.
func (k TaxKind) Valid() bool { return slices.Contains(TaxKinds(), k) }

// SuspensionSource is who holds an entitlement suspended: the licence (its own suspension,
// followed from the tenants events), an operator (with a reason of their own) or the compliance
// service. An entitlement stays suspended while any source holds it.
type SuspensionSource string

// Suspension sources.
const (
	SuspensionSourceLicence    SuspensionSource = "licence"
	SuspensionSourceOperator   SuspensionSource = "operator"
	SuspensionSourceCompliance SuspensionSource = "compliance"
)

// SuspensionSources returns every valid SuspensionSource; a new slice each call.
func SuspensionSources() []SuspensionSource {
	return []SuspensionSource{SuspensionSourceLicence, SuspensionSourceOperator, SuspensionSourceCompliance}
}

// Valid reports whether s is one of SuspensionSources.
func (s SuspensionSource) Valid() bool { return slices.Contains(SuspensionSources(), s) }

// CloseCause is why an entitlement closed for good.
type CloseCause string

// Close causes.
const (
	CloseCauseLicenceRevoked     CloseCause = "licence_revoked"
	CloseCauseLicenceSurrendered CloseCause = "licence_surrendered"
	CloseCauseLicenceExpired     CloseCause = "licence_expired"
	CloseCauseWindowEnded        CloseCause = "window_ended"
	CloseCauseSunset             CloseCause = "sunset"
)

// CloseCauses returns every valid CloseCause; a new slice each call.
func CloseCauses() []CloseCause {
	return []CloseCause{CloseCauseLicenceRevoked, CloseCauseLicenceSurrendered, CloseCauseLicenceExpired, CloseCauseWindowEnded, CloseCauseSunset}
}

// Valid reports whether c is one of CloseCauses.
func (c CloseCause) Valid() bool { return slices.Contains(CloseCauses(), c) }

// CapScope names which cap of an entitlement was reached: the cap of the whole term or the cap
// of one tax year.
type CapScope string

// Cap scopes.
const (
	CapScopeTerm    CapScope = "term"
	CapScopeTaxYear CapScope = "tax_year"
)

// CapScopes returns every valid CapScope; a new slice each call.
func CapScopes() []CapScope { return []CapScope{CapScopeTerm, CapScopeTaxYear} }

// Valid reports whether s is one of CapScopes.
func (s CapScope) Valid() bool { return slices.Contains(CapScopes(), s) }

// RejectionRule is the rule a claim failed. The list is closed: a new rule is a new version of
// claim.rejected, so it names every rule the service checks against an existing entitlement.
// Bad input (an unknown scheme, a claim for another tenant, a zero amount) is refused by the API
// with nothing written and no event.
type RejectionRule string

// Rejection rules.
const (
	// RejectionEntitlementInactive: the entitlement is suspended (by any source) or closed.
	RejectionEntitlementInactive RejectionRule = "entitlement_inactive"
	// RejectionLicenceInactive: the licence is not active (suspended, revoked, surrendered or
	// expired).
	RejectionLicenceInactive RejectionRule = "licence_inactive"
	// RejectionOutsideWindow: the transaction date is outside the entitlement's window.
	RejectionOutsideWindow RejectionRule = "outside_window"
	// RejectionCapExceeded: the amount exceeds what remains of the cap of the whole term.
	RejectionCapExceeded RejectionRule = "cap_exceeded"
	// RejectionTaxYearCapExceeded: the amount exceeds what remains of the cap of the
	// transaction's tax year.
	RejectionTaxYearCapExceeded RejectionRule = "tax_year_cap_exceeded"
	// RejectionCurrencyMismatch: the amount is in a currency other than the entitlement's.
	RejectionCurrencyMismatch RejectionRule = "currency_mismatch"
)

// RejectionRules returns every valid RejectionRule; a new slice each call.
func RejectionRules() []RejectionRule {
	return []RejectionRule{
		RejectionEntitlementInactive, RejectionLicenceInactive, RejectionOutsideWindow,
		RejectionCapExceeded, RejectionTaxYearCapExceeded, RejectionCurrencyMismatch,
	}
}

// Valid reports whether r is one of RejectionRules.
func (r RejectionRule) Valid() bool { return slices.Contains(RejectionRules(), r) }

// ClawbackRule is how the amount to recover was computed when a licence ended before its term:
// full (everything utilised), pro_rata (utilised × unexpired days / term days) or depreciated
// (each claim's undepreciated share on a straight-line schedule of DepreciationYears years).
type ClawbackRule string

// Clawback rules. A scheme whose rule is "none" assesses no clawback, so it has no value here.
const (
	ClawbackRuleFull        ClawbackRule = "full"
	ClawbackRuleProRata     ClawbackRule = "pro_rata"
	ClawbackRuleDepreciated ClawbackRule = "depreciated"
)

// ClawbackRules returns every valid ClawbackRule; a new slice each call.
func ClawbackRules() []ClawbackRule {
	return []ClawbackRule{ClawbackRuleFull, ClawbackRuleProRata, ClawbackRuleDepreciated}
}

// Valid reports whether r is one of ClawbackRules.
func (r ClawbackRule) Valid() bool { return slices.Contains(ClawbackRules(), r) }

// Window is the period an entitlement covers, From to Until, both inclusive, in the zone's
// calendar (Asia/Karachi).
type Window struct {
	From  values.Date `json:"from"`
	Until values.Date `json:"until"`
}

// Contains reports whether d falls inside the window, ends included.
func (w Window) Contains(d values.Date) bool { return !d.Before(w.From) && !d.After(w.Until) }

func (w Window) check(c values.Checker) {
	c.Date("from", w.From)
	c.Date("until", w.Until)
	if !w.From.IsZero() && w.Until.Before(w.From) {
		c.Add("until", "must not be before from")
	}
}

// Line is one item of a claim: for customs duty on capital goods, a line of the goods
// declaration. HSCode is optional because services have none.
type Line struct {
	HSCode      string       `json:"hs_code,omitempty"`
	Description string       `json:"description"`
	Quantity    float64      `json:"quantity"`
	Value       values.Money `json:"value"`
}

func (l Line) check(c values.Checker, currency string) {
	if l.HSCode != "" {
		c.Pattern("hs_code", l.HSCode, hsCodePattern)
	}
	c.Text("description", l.Description)
	if !(l.Quantity > 0) || math.IsInf(l.Quantity, 0) {
		c.Add("quantity", "must be a number greater than 0")
	}
	c.Amount("value", l.Value)
	sameCurrency(c, "value", l.Value, currency)
}

// ClawbackBasis are the figures a clawback was computed from, so that a reader can redo the
// arithmetic: Utilised is what the entitlement had used (accepted claims less reversals) when
// the licence ended; UnexpiredDays of TermDays were left of the window (pro_rata recovers
// Utilised × UnexpiredDays / TermDays, rounded down to minor units); DepreciationYears is the
// straight-line schedule of the depreciated rule, absent for the others.
type ClawbackBasis struct {
	Utilised          values.Money `json:"utilised"`
	TermDays          int          `json:"term_days"`
	UnexpiredDays     int          `json:"unexpired_days"`
	DepreciationYears int          `json:"depreciation_years,omitempty"`
}

func (b ClawbackBasis) check(c values.Checker, rule ClawbackRule) {
	c.Amount("utilised", b.Utilised)
	if b.TermDays < 1 {
		c.Add("term_days", "must be at least 1")
	}
	switch {
	case b.UnexpiredDays < 0:
		c.Add("unexpired_days", "must not be negative")
	case b.TermDays >= 1 && b.UnexpiredDays > b.TermDays:
		c.Add("unexpired_days", "must not exceed term_days")
	}
	switch {
	case b.DepreciationYears < 0:
		c.Add("depreciation_years", "must be at least 1")
	case rule == ClawbackRuleDepreciated && b.DepreciationYears == 0:
		c.Add("depreciation_years", "required by the depreciated rule")
	case rule != ClawbackRuleDepreciated && b.DepreciationYears != 0:
		c.Add("depreciation_years", "only the depreciated rule has one")
	}
}
