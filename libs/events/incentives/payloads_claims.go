package incentives

import "github.com/zoneops/zoneops/libs/events/values"

// ClaimAccepted: the claim was posted against the entitlement: ExemptedAmount (the tax foregone)
// of a transaction of AssessedValue on TransactionDate, declared under DeclarationReference
// (unique per scheme). TaxYear is the tax year of TransactionDate. Remaining and
// TaxYearRemaining are what is left of the term cap and of TaxYear's cap after this claim; each
// is absent when the entitlement has no such cap. Every amount is in one currency, the
// entitlement's.
type ClaimAccepted struct {
	ClaimID              string        `json:"claim_id"`
	EntitlementID        string        `json:"entitlement_id"`
	LicenceID            string        `json:"licence_id"`
	TenantID             string        `json:"tenant_id"`
	Zone                 string        `json:"zone"`
	SchemeCode           string        `json:"scheme_code"`
	TaxKind              TaxKind       `json:"tax_kind"`
	DeclarationReference string        `json:"declaration_reference"`
	TransactionDate      values.Date   `json:"transaction_date"`
	AssessedValue        values.Money  `json:"assessed_value"`
	ExemptedAmount       values.Money  `json:"exempted_amount"`
	TaxYear              int           `json:"tax_year"`
	Remaining            *values.Money `json:"remaining,omitempty"`
	TaxYearRemaining     *values.Money `json:"tax_year_remaining,omitempty"`
	Lines                []Line        `json:"lines,omitempty"`
	Actor                values.Actor  `json:"actor"`
}

// EventType returns TypeClaimAccepted.
func (ClaimAccepted) EventType() string { return TypeClaimAccepted }

// AggregateID returns the claim id.
func (p ClaimAccepted) AggregateID() string { return p.ClaimID }

// Validate reports every missing or malformed field, amounts that are not positive (remaining
// amounts may be zero), amounts in different currencies, and a tax year that is not the
// transaction date's.
func (p ClaimAccepted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("claim_id", p.ClaimID)
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("licence_id", p.LicenceID)
		c.ID("tenant_id", p.TenantID)
		c.Code("zone", p.Zone)
		c.Pattern("scheme_code", p.SchemeCode, schemeCodePattern)
		values.Enum(c, "tax_kind", p.TaxKind, TaxKinds())
		c.Text("declaration_reference", p.DeclarationReference)
		c.Date("transaction_date", p.TransactionDate)
		currency := p.ExemptedAmount.Currency
		positive(c, "assessed_value", p.AssessedValue)
		sameCurrency(c, "assessed_value", p.AssessedValue, currency)
		positive(c, "exempted_amount", p.ExemptedAmount)
		claimTaxYear(c, p.TaxYear, p.TransactionDate)
		remainder(c, "remaining", p.Remaining, currency)
		remainder(c, "tax_year_remaining", p.TaxYearRemaining, currency)
		if p.Lines != nil && len(p.Lines) == 0 {
			c.Add("lines", "must list at least one line when present")
		}
		for i, l := range p.Lines {
			l.check(c.At(values.Index("lines", i)), currency)
		}
		c.Actor("actor", p.Actor)
	})
}

// remainder accepts an absent remainder (no such cap) and requires a present one to be zero or
// more, in the claim's currency.
func remainder(c values.Checker, field string, m *values.Money, currency string) {
	if m != nil {
		c.Amount(field, *m)
		sameCurrency(c, field, *m, currency)
	}
}

// claimTaxYear requires a tax year, and the one the transaction date falls in.
func claimTaxYear(c values.Checker, y int, transaction values.Date) {
	taxYear(c, "tax_year", y)
	if transaction.Valid() && y >= MinTaxYear && y <= MaxTaxYear && y != TaxYearOf(transaction) {
		c.Add("tax_year", "must be the tax year of transaction_date")
	}
}

// ClaimRejected: the claim failed Rule against the entitlement, explained in Detail; nothing was
// posted. The claim keeps its id, so that the same reference sent again with the same content
// gets the same answer. ExemptedAmount is the amount that was claimed.
type ClaimRejected struct {
	ClaimID              string        `json:"claim_id"`
	EntitlementID        string        `json:"entitlement_id"`
	TenantID             string        `json:"tenant_id"`
	SchemeCode           string        `json:"scheme_code"`
	DeclarationReference string        `json:"declaration_reference"`
	TransactionDate      values.Date   `json:"transaction_date"`
	ExemptedAmount       values.Money  `json:"exempted_amount"`
	Rule                 RejectionRule `json:"rule"`
	Detail               string        `json:"detail"`
	Actor                values.Actor  `json:"actor"`
}

// EventType returns TypeClaimRejected.
func (ClaimRejected) EventType() string { return TypeClaimRejected }

// AggregateID returns the claim id.
func (p ClaimRejected) AggregateID() string { return p.ClaimID }

// Validate reports every missing or malformed field and an amount that is not positive.
func (p ClaimRejected) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("claim_id", p.ClaimID)
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("tenant_id", p.TenantID)
		c.Pattern("scheme_code", p.SchemeCode, schemeCodePattern)
		c.Text("declaration_reference", p.DeclarationReference)
		c.Date("transaction_date", p.TransactionDate)
		positive(c, "exempted_amount", p.ExemptedAmount)
		values.Enum(c, "rule", p.Rule, RejectionRules())
		c.Text("detail", p.Detail)
		c.Actor("actor", p.Actor)
	})
}

// ClaimReversed: an operator reversed an accepted claim, for Reason: mirror entries give Amount
// (the claim's whole exempted amount) back to the entitlement's caps, the term's and that of
// TaxYear, the claim's tax year. The accepted claim itself is never edited.
type ClaimReversed struct {
	ClaimID       string       `json:"claim_id"`
	EntitlementID string       `json:"entitlement_id"`
	TenantID      string       `json:"tenant_id"`
	SchemeCode    string       `json:"scheme_code"`
	Amount        values.Money `json:"amount"`
	TaxYear       int          `json:"tax_year"`
	Reason        string       `json:"reason"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeClaimReversed.
func (ClaimReversed) EventType() string { return TypeClaimReversed }

// AggregateID returns the claim id.
func (p ClaimReversed) AggregateID() string { return p.ClaimID }

// Validate reports every missing or malformed field and an amount that is not positive.
func (p ClaimReversed) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("claim_id", p.ClaimID)
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("tenant_id", p.TenantID)
		c.Pattern("scheme_code", p.SchemeCode, schemeCodePattern)
		positive(c, "amount", p.Amount)
		taxYear(c, "tax_year", p.TaxYear)
		c.Text("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}
