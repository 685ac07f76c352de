package incentives

import "github.com/zoneops/zoneops/libs/events/values"

// EntitlementOpened: a licence is entitled to a scheme's exemption for Window, up to Cap over
// the whole window and TaxYearCap in each tax year. A scheme tracked without a cap has no Cap;
// a scheme without a yearly cap has no TaxYearCap. Every amount of the entitlement is in
// Currency (the licence's committed investment's). The service opens it on its own clock, on
// licence.granted, so Actor is optional (role system).
type EntitlementOpened struct {
	EntitlementID string        `json:"entitlement_id"`
	LicenceID     string        `json:"licence_id"`
	LicenceNumber string        `json:"licence_number"`
	TenantID      string        `json:"tenant_id"`
	Zone          string        `json:"zone"` // zone code, e.g. "ISB"
	SchemeCode    string        `json:"scheme_code"`
	SchemeVersion int           `json:"scheme_version"`
	TaxKind       TaxKind       `json:"tax_kind"`
	Window        Window        `json:"window"`
	Cap           *values.Money `json:"cap,omitempty"`
	TaxYearCap    *values.Money `json:"tax_year_cap,omitempty"`
	Currency      string        `json:"currency"`
	Actor         *values.Actor `json:"actor,omitempty"`
}

// EventType returns TypeEntitlementOpened.
func (EntitlementOpened) EventType() string { return TypeEntitlementOpened }

// AggregateID returns the entitlement id.
func (p EntitlementOpened) AggregateID() string { return p.EntitlementID }

// Validate reports every missing or malformed field, a window that ends before it starts, and
// caps that are not positive or not in the entitlement's currency.
func (p EntitlementOpened) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("licence_id", p.LicenceID)
		c.Text("licence_number", p.LicenceNumber)
		c.ID("tenant_id", p.TenantID)
		c.Code("zone", p.Zone)
		c.Pattern("scheme_code", p.SchemeCode, schemeCodePattern)
		if p.SchemeVersion < 1 {
			c.Add("scheme_version", "must be at least 1")
		}
		values.Enum(c, "tax_kind", p.TaxKind, TaxKinds())
		p.Window.check(c.At("window"))
		c.Pattern("currency", p.Currency, currencyPattern)
		optionalPositive(c, "cap", p.Cap)
		optionalPositive(c, "tax_year_cap", p.TaxYearCap)
		if p.Cap != nil {
			sameCurrency(c, "cap", *p.Cap, p.Currency)
		}
		if p.TaxYearCap != nil {
			sameCurrency(c, "tax_year_cap", *p.TaxYearCap, p.Currency)
		}
		c.OptionalActor("actor", p.Actor)
	})
}

// EntitlementSuspended: Source holds the entitlement suspended, for Reason; no claim is accepted
// until every source that holds it has let go (entitlement.reinstated). A suspension that
// follows the licence's own carries the actor of licence.suspended.
type EntitlementSuspended struct {
	EntitlementID string           `json:"entitlement_id"`
	TenantID      string           `json:"tenant_id"`
	Source        SuspensionSource `json:"source"`
	Reason        string           `json:"reason"`
	Actor         values.Actor     `json:"actor"`
}

// EventType returns TypeEntitlementSuspended.
func (EntitlementSuspended) EventType() string { return TypeEntitlementSuspended }

// AggregateID returns the entitlement id.
func (p EntitlementSuspended) AggregateID() string { return p.EntitlementID }

// Validate reports every missing or malformed field.
func (p EntitlementSuspended) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("tenant_id", p.TenantID)
		values.Enum(c, "source", p.Source, SuspensionSources())
		c.Text("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// EntitlementReinstated: Source let go of its suspension and no other source holds one, so the
// entitlement accepts claims again. A source letting go while another still holds the
// entitlement publishes nothing: the entitlement is still suspended.
type EntitlementReinstated struct {
	EntitlementID string           `json:"entitlement_id"`
	TenantID      string           `json:"tenant_id"`
	Source        SuspensionSource `json:"source"`
	Reason        string           `json:"reason,omitempty"`
	Actor         values.Actor     `json:"actor"`
}

// EventType returns TypeEntitlementReinstated.
func (EntitlementReinstated) EventType() string { return TypeEntitlementReinstated }

// AggregateID returns the entitlement id.
func (p EntitlementReinstated) AggregateID() string { return p.EntitlementID }

// Validate reports every missing or malformed field.
func (p EntitlementReinstated) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("tenant_id", p.TenantID)
		values.Enum(c, "source", p.Source, SuspensionSources())
		c.OptionalText("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// EntitlementClosed: the entitlement is over for good since ClosedOn, for Cause; no claim is
// accepted after it. When the licence was revoked or surrendered before the end of the window,
// clawback.assessed follows for a scheme with a clawback rule.
type EntitlementClosed struct {
	EntitlementID string        `json:"entitlement_id"`
	TenantID      string        `json:"tenant_id"`
	Cause         CloseCause    `json:"cause"`
	ClosedOn      values.Date   `json:"closed_on"`
	Actor         *values.Actor `json:"actor,omitempty"`
}

// EventType returns TypeEntitlementClosed.
func (EntitlementClosed) EventType() string { return TypeEntitlementClosed }

// AggregateID returns the entitlement id.
func (p EntitlementClosed) AggregateID() string { return p.EntitlementID }

// Validate reports every missing or malformed field.
func (p EntitlementClosed) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("tenant_id", p.TenantID)
		values.Enum(c, "cause", p.Cause, CloseCauses())
		c.Date("closed_on", p.ClosedOn)
		c.OptionalActor("actor", p.Actor)
	})
}

// EntitlementExhausted: claim ClaimID used the last of a cap (CapReached: the whole term's, or
// that of tax year TaxYear, the tax year of the claim); the cap was Cap. A term cap exhausts
// the entitlement until a reversal frees some of it; a tax-year cap until the next tax year.
type EntitlementExhausted struct {
	EntitlementID string        `json:"entitlement_id"`
	TenantID      string        `json:"tenant_id"`
	CapReached    CapScope      `json:"cap_reached"`
	Cap           values.Money  `json:"cap"`
	TaxYear       int           `json:"tax_year"`
	ClaimID       string        `json:"claim_id"`
	Actor         *values.Actor `json:"actor,omitempty"`
}

// EventType returns TypeEntitlementExhausted.
func (EntitlementExhausted) EventType() string { return TypeEntitlementExhausted }

// AggregateID returns the entitlement id.
func (p EntitlementExhausted) AggregateID() string { return p.EntitlementID }

// Validate reports every missing or malformed field.
func (p EntitlementExhausted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("entitlement_id", p.EntitlementID)
		c.ID("tenant_id", p.TenantID)
		values.Enum(c, "cap_reached", p.CapReached, CapScopes())
		positive(c, "cap", p.Cap)
		taxYear(c, "tax_year", p.TaxYear)
		c.ID("claim_id", p.ClaimID)
		c.OptionalActor("actor", p.Actor)
	})
}
