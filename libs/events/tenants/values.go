package tenants

import "slices"

// Kind is the kind of licence applied for and granted.
type Kind string

// Licence kinds.
const (
	KindZoneDeveloper  Kind = "zone_developer"
	KindCoDeveloper    Kind = "co_developer"
	KindZoneEnterprise Kind = "zone_enterprise"
)

// Kinds returns every valid Kind; a new slice each call.
func Kinds() []Kind { return []Kind{KindZoneDeveloper, KindCoDeveloper, KindZoneEnterprise} }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds(), k) }

// SizeTier classifies a licensee by size; incentives and reporting duties depend on it.
type SizeTier string

// Size tiers.
const (
	SizeTierStartup SizeTier = "startup"
	SizeTierSME     SizeTier = "sme"
	SizeTierLarge   SizeTier = "large"
	SizeTierAnchor  SizeTier = "anchor"
)

// SizeTiers returns every valid SizeTier; a new slice each call.
func SizeTiers() []SizeTier {
	return []SizeTier{SizeTierStartup, SizeTierSME, SizeTierLarge, SizeTierAnchor}
}

// Valid reports whether s is one of SizeTiers.
func (s SizeTier) Valid() bool { return slices.Contains(SizeTiers(), s) }

// Role is the role under which an actor made a change. The list is wider than today's use on
// purpose: adding a value to an enum later breaks consumers that validate strictly, so it
// holds every role of the HTTP API plus "applicant" (a company before it holds a licence) and
// "system" (changes the service makes on its own clock, such as expiry).
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
func (m Money) Validate() error {
	c := newChecker()
	m.check(c)
	return c.err()
}

func (m Money) check(c checker) {
	c.pattern("currency", m.Currency, currencyPattern)
}

// Actor is who made a change: the token subject and the role it acted in.
type Actor struct {
	Subject string `json:"subject"`
	Role    Role   `json:"role"`
}

// Validate checks that both fields are set and the role is known.
func (a Actor) Validate() error {
	c := newChecker()
	a.check(c)
	return c.err()
}

func (a Actor) check(c checker) {
	c.text("subject", a.Subject)
	enum(c, "role", a.Role, Roles())
}

// Contact is the person the authority writes to about an application.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Validate checks that every field is set and the e-mail address is well-formed.
func (ct Contact) Validate() error {
	c := newChecker()
	ct.check(c)
	return c.err()
}

func (ct Contact) check(c checker) {
	c.text("name", ct.Name)
	c.email("email", ct.Email)
	c.text("phone", ct.Phone)
}

// Applicant is the company that applies for a licence.
type Applicant struct {
	LegalName          string  `json:"legal_name"`
	RegistrationNumber string  `json:"registration_number"`
	TaxNumber          string  `json:"tax_number"`
	Country            string  `json:"country"` // ISO 3166-1 alpha-2, e.g. "PK"
	Contact            Contact `json:"contact"`
}

// Validate checks every field, the contact included.
func (a Applicant) Validate() error {
	c := newChecker()
	a.check(c)
	return c.err()
}

func (a Applicant) check(c checker) {
	c.text("legal_name", a.LegalName)
	c.text("registration_number", a.RegistrationNumber)
	c.text("tax_number", a.TaxNumber)
	c.pattern("country", a.Country, countryPattern)
	a.Contact.check(c.at("contact"))
}

// Commitments are what an applicant promises and a licensee must report on.
type Commitments struct {
	Headcount  int   `json:"headcount"`
	Investment Money `json:"investment"`
	Exports    Money `json:"exports"`
	RnDSpend   Money `json:"rnd_spend"`
}

// Validate checks that no figure is negative and every currency is well-formed.
func (cm Commitments) Validate() error {
	c := newChecker()
	cm.check(c)
	return c.err()
}

func (cm Commitments) check(c checker) {
	if cm.Headcount < 0 {
		c.add("headcount", "must not be negative")
	}
	checkAmount(c.at("investment"), cm.Investment)
	checkAmount(c.at("exports"), cm.Exports)
	checkAmount(c.at("rnd_spend"), cm.RnDSpend)
}

// checkAmount adds the rule that a committed amount cannot be negative; Money itself may be
// negative elsewhere (a clawback, a correction).
func checkAmount(c checker, m Money) {
	m.check(c)
	if m.AmountMinor < 0 {
		c.add("amount_minor", "must not be negative")
	}
}
