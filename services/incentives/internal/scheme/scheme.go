// Package scheme is the incentive schemes as versioned policy: what the STZA Act 2021 exempts,
// for whom, for how long, up to what cap, and what is recovered when a licence ends early. It is
// plain Go with no I/O: Load parses the bytes it is given, Default parses the embedded policy,
// and the rules (Applicable, Window, Cap, TaxYearOf, Clawback) are pure functions.
//
// A policy is a list of scheme versions. Each version is in force from its effective_from to
// its sunset, both inclusive; versions of one scheme never overlap, so a date picks at most one.
// A licence gets the versions in force on its grant date and keeps them: a later version never
// changes what an earlier grant got, because the entitlement records the version it opened with.
package scheme

import (
	"slices"

	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/enum"
	"github.com/zoneops/zoneops/libs/platform/money"
)

// TaxKind is the tax a scheme exempts from.
type TaxKind string

// Tax kinds. Income tax covers, as s.21 of the Act does, the turnover, withholding, capital
// gains and dividend taxes levied under the Income Tax Ordinance 2001.
const (
	TaxIncome      TaxKind = "income_tax"
	TaxSales       TaxKind = "sales_tax"
	TaxCustomsDuty TaxKind = "customs_duty"
	TaxProperty    TaxKind = "property_tax"
)

// taxKinds lists every TaxKind with its label.
var taxKinds = enum.Labelled([]enum.Entry[TaxKind]{
	{Value: TaxIncome, Label: "Income tax (incl. turnover, withholding, capital gains and dividend taxes)"},
	{Value: TaxSales, Label: "Sales tax"},
	{Value: TaxCustomsDuty, Label: "Customs duty on capital goods"},
	{Value: TaxProperty, Label: "Property tax"},
})

// Label returns the tax kind's display label ("" for an unknown kind).
func (k TaxKind) Label() string { return taxKinds.Label(k) }

// beneficiaries lists the licence kinds a scheme may name, from the tenants contract.
var beneficiaries = enum.Of(tenants.Kinds()...)

// tiers lists the size tiers a scheme may name, from the tenants contract.
var tiers = enum.Of(tenants.SizeTiers()...)

// TermStart is what a scheme's term is counted from.
type TermStart string

// Term starts.
const (
	// FromLicence: the licence's valid_from (s.21, zone enterprises).
	FromLicence TermStart = "licence"
	// FromDevelopmentAgreement: the development agreement (s.20, developers). The tenants
	// contract carries no agreement date yet, so Licence.AgreementDate is optional and the
	// licence's valid_from stands in for it.
	FromDevelopmentAgreement TermStart = "development_agreement"
)

// termStarts lists every TermStart.
var termStarts = enum.Of(FromLicence, FromDevelopmentAgreement)

// Term is how long a scheme lasts for one licence.
type Term struct {
	Years int       `json:"years"`
	From  TermStart `json:"from"`
}

// CapKind is how a cap is set.
type CapKind string

// Cap kinds.
const (
	// CapNone: no cap; claims are tracked (for the tax expenditure report) without a limit.
	CapNone CapKind = "none"
	// CapFixedPerTier: a fixed amount by the licensee's size tier.
	CapFixedPerTier CapKind = "fixed_per_tier"
	// CapShareOfInvestment: a share of the licence's committed investment, in its currency.
	CapShareOfInvestment CapKind = "share_of_committed_investment"
)

// capKinds lists every CapKind.
var capKinds = enum.Of(CapNone, CapFixedPerTier, CapShareOfInvestment)

// CapRule sets a cap. PerTier is set for CapFixedPerTier (an amount for every tier the scheme
// lists), Share for CapShareOfInvestment.
type CapRule struct {
	Kind    CapKind                          `json:"kind"`
	PerTier map[tenants.SizeTier]money.Money `json:"per_tier,omitempty"`
	Share   Share                            `json:"share,omitzero"`
}

// ClawbackKind is how much is recovered when a licence ends before its term.
type ClawbackKind string

// Clawback kinds.
const (
	// ClawbackNone: nothing is recovered.
	ClawbackNone ClawbackKind = "none"
	// ClawbackFull: everything utilised is recovered.
	ClawbackFull ClawbackKind = "full"
	// ClawbackProRata: utilised × unexpired days of the window / days of the window.
	ClawbackProRata ClawbackKind = "pro_rata"
	// ClawbackDepreciated: for each claim, its exempted amount × the share of its straight-line
	// schedule of Years years not yet run at the end date.
	ClawbackDepreciated ClawbackKind = "depreciated"
)

// clawbackKinds lists every ClawbackKind.
var clawbackKinds = enum.Of(ClawbackNone, ClawbackFull, ClawbackProRata, ClawbackDepreciated)

// ClawbackRule is what is recovered on early end. Years is set for ClawbackDepreciated only.
type ClawbackRule struct {
	Kind  ClawbackKind `json:"kind"`
	Years int          `json:"years,omitempty"`
}

// Version is one version of a scheme: what a licence granted while it is in force gets.
type Version struct {
	Code          string             `json:"code"`
	Version       int                `json:"version"`
	Name          string             `json:"name"`
	LegalBasis    string             `json:"legal_basis"`
	Beneficiaries []tenants.Kind     `json:"beneficiaries"`
	Tiers         []tenants.SizeTier `json:"tiers"`
	TaxKind       TaxKind            `json:"tax_kind"`
	Term          Term               `json:"term"`
	Cap           CapRule            `json:"cap"`
	TaxYearCap    *CapRule           `json:"tax_year_cap,omitempty"`
	Clawback      ClawbackRule       `json:"clawback"`
	EffectiveFrom civil.Date         `json:"effective_from"`
	Sunset        civil.Date         `json:"sunset,omitzero"` // zero: no sunset
}

// InForceOn reports whether a licence granted on d gets this version: effective_from <= d and,
// when there is a sunset, d <= sunset (no entitlement opens after the sunset).
func (v Version) InForceOn(d civil.Date) bool {
	return !d.Before(v.EffectiveFrom) && (v.Sunset.IsZero() || !d.After(v.Sunset))
}

// Covers reports whether the version is for a licence of kind k and tier t.
func (v Version) Covers(k tenants.Kind, t tenants.SizeTier) bool {
	return slices.Contains(v.Beneficiaries, k) && slices.Contains(v.Tiers, t)
}

// Policy is a validated set of scheme versions; build it with Load or Default.
type Policy struct {
	versions []Version // sorted by code, then version
}

// Versions returns every version, sorted by code then version; the slice is the caller's.
func (p Policy) Versions() []Version { return slices.Clone(p.versions) }

// Codes returns the scheme codes, sorted.
func (p Policy) Codes() []string {
	var out []string
	for _, v := range p.versions {
		if len(out) == 0 || out[len(out)-1] != v.Code {
			out = append(out, v.Code)
		}
	}
	return out
}

// Get returns one version of a scheme.
func (p Policy) Get(code string, version int) (Version, bool) {
	for _, v := range p.versions {
		if v.Code == code && v.Version == version {
			return v, true
		}
	}
	return Version{}, false
}

// InForce returns the version of scheme code in force on d (a licence's grant date), and false
// when the scheme is unknown or none of its versions is in force then.
func (p Policy) InForce(code string, d civil.Date) (Version, bool) {
	for _, v := range p.versions {
		if v.Code == code && v.InForceOn(d) {
			return v, true // versions of a code never overlap (Load refuses it)
		}
	}
	return Version{}, false
}

// Licence is what the rules need to know about a licence, taken from licence.granted.
type Licence struct {
	Kind      tenants.Kind
	Tier      tenants.SizeTier
	GrantedOn civil.Date // the grant date in zone time: picks the versions
	// ValidFrom and ValidUntil are the licence's validity, both inclusive.
	ValidFrom  civil.Date
	ValidUntil civil.Date
	// AgreementDate is the development agreement's date, when known (developers only).
	AgreementDate civil.Date
	// Investment is the committed investment, the base of share caps.
	Investment money.Money
}

// Applicable returns the versions a licence gets, one per scheme at most, sorted by code: those
// in force on its grant date (effective_from <= granted <= sunset) that cover its kind and tier.
func (p Policy) Applicable(l Licence) []Version {
	var out []Version
	for _, code := range p.Codes() {
		if v, ok := p.InForce(code, l.GrantedOn); ok && v.Covers(l.Kind, l.Tier) {
			out = append(out, v)
		}
	}
	return out
}
