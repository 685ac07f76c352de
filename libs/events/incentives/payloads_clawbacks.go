package incentives

import "github.com/zoneops/zoneops/libs/events/values"

// ClawbackAssessed: the licence ended before the entitlement's window did (revoked or
// surrendered), so Amount is receivable from the licensee, computed by Rule from Basis. A
// scheme whose rule recovers nothing, or an entitlement that used nothing, assesses no clawback.
type ClawbackAssessed struct {
	ClawbackID    string        `json:"clawback_id"`
	EntitlementID string        `json:"entitlement_id"`
	LicenceID     string        `json:"licence_id"`
	TenantID      string        `json:"tenant_id"`
	SchemeCode    string        `json:"scheme_code"`
	Rule          ClawbackRule  `json:"rule"`
	Basis         ClawbackBasis `json:"basis"`
	Amount        values.Money  `json:"amount"`
	AssessedOn    values.Date   `json:"assessed_on"`
	Actor         *values.Actor `json:"actor,omitempty"`
}

// EventType returns TypeClawbackAssessed.
func (ClawbackAssessed) EventType() string { return TypeClawbackAssessed }

// AggregateID returns the clawback id.
func (p ClawbackAssessed) AggregateID() string { return p.ClawbackID }

// Validate reports every missing or malformed field, a receivable that is not positive or
// exceeds what was utilised, amounts in different currencies, and a depreciation schedule
// given to a rule without one (or missing from the depreciated rule).
func (p ClawbackAssessed) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("clawback_id", p.ClawbackID)
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("licence_id", p.LicenceID)
		c.ID("tenant_id", p.TenantID)
		c.Pattern("scheme_code", p.SchemeCode, schemeCodePattern)
		values.Enum(c, "rule", p.Rule, ClawbackRules())
		p.Basis.check(c.At("basis"), p.Rule)
		positive(c, "amount", p.Amount)
		sameCurrency(c, "amount", p.Amount, p.Basis.Utilised.Currency)
		if p.Amount.Currency == p.Basis.Utilised.Currency && p.Amount.AmountMinor > p.Basis.Utilised.AmountMinor {
			c.At("amount").Add("amount_minor", "must not exceed basis.utilised")
		}
		c.Date("assessed_on", p.AssessedOn)
		c.OptionalActor("actor", p.Actor)
	})
}

// ClawbackSettled: the recoveries an operator recorded add up to the amount assessed; Recovered
// is their total and SettledOn the date of the last. The receivable is closed.
type ClawbackSettled struct {
	ClawbackID    string       `json:"clawback_id"`
	EntitlementID string       `json:"entitlement_id"`
	TenantID      string       `json:"tenant_id"`
	Recovered     values.Money `json:"recovered"`
	SettledOn     values.Date  `json:"settled_on"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeClawbackSettled.
func (ClawbackSettled) EventType() string { return TypeClawbackSettled }

// AggregateID returns the clawback id.
func (p ClawbackSettled) AggregateID() string { return p.ClawbackID }

// Validate reports every missing or malformed field and a total that is not positive.
func (p ClawbackSettled) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("clawback_id", p.ClawbackID)
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("tenant_id", p.TenantID)
		positive(c, "recovered", p.Recovered)
		c.Date("settled_on", p.SettledOn)
		c.Actor("actor", p.Actor)
	})
}
