// Package values holds the vocabulary every zoneops event contract shares: money, actors and
// their roles, calendar dates, and the field-by-field validation errors every payload's
// Validate returns. It belongs to no service, so the tenants and allocation contracts (and the
// ones to come) spell these values identically without importing each other, and a consumer
// can pass one service's value to another's payload.
package values

import "slices"

// Role is the role under which an actor made a change. The list is wider than today's use on
// purpose: adding a value to an enum later breaks consumers that validate strictly, so it
// holds every role of the HTTP API plus "applicant" (a company before it holds a licence) and
// "system" (changes a service makes on its own clock, such as an expiry or an offer lapsing).
type Role string

// Roles.
const (
	RoleOperator      Role = "operator"
	RoleZoneDeveloper Role = "zone_developer"
	RoleTenant        Role = "tenant"
	RoleApplicant     Role = "applicant"
	RoleAuditor       Role = "auditor"
	RoleViewer        Role = "viewer"
	RoleSystem        Role = "system"
)

// Roles returns every valid Role; a new slice each call.
func Roles() []Role {
	return []Role{RoleOperator, RoleZoneDeveloper, RoleTenant, RoleApplicant, RoleAuditor, RoleViewer, RoleSystem}
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Money is an amount in minor units of a currency (paisa for PKR); never a float.
type Money struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"` // ISO 4217, e.g. "PKR"
}

// Validate checks the currency code.
func (m Money) Validate() error { return Validate(m.Check) }

// Check adds m's field errors to c.
func (m Money) Check(c Checker) {
	c.Pattern("currency", m.Currency, currencyPattern)
}

// Actor is who made a change: the token subject and the role it acted in.
type Actor struct {
	Subject string `json:"subject"`
	Role    Role   `json:"role"`
}

// Validate checks that both fields are set and the role is known.
func (a Actor) Validate() error { return Validate(a.Check) }

// Check adds a's field errors to c.
func (a Actor) Check(c Checker) {
	c.Text("subject", a.Subject)
	Enum(c, "role", a.Role, Roles())
}
