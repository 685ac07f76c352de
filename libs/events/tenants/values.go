package tenants

import (
	"slices"

	"github.com/zoneops/zoneops/libs/events/values"
)

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

// LicenceStatus is where a licence stands after its events so far: LicenceGranted and
// LicenceReinstated leave it active, LicenceSuspended suspended, LicenceRevoked revoked,
// LicenceSurrendered surrendered and LicenceExpired expired. No payload carries it; a consumer
// that keeps a projection of licences names their statuses with it, so the services cannot
// drift apart.
type LicenceStatus string

// Licence statuses.
const (
	LicenceStatusActive      LicenceStatus = "active"
	LicenceStatusSuspended   LicenceStatus = "suspended"
	LicenceStatusRevoked     LicenceStatus = "revoked"
	LicenceStatusSurrendered LicenceStatus = "surrendered"
	LicenceStatusExpired     LicenceStatus = "expired"
)

// LicenceStatuses returns every valid LicenceStatus; a new slice each call.
func LicenceStatuses() []LicenceStatus {
	return []LicenceStatus{LicenceStatusActive, LicenceStatusSuspended, LicenceStatusRevoked, LicenceStatusSurrendered, LicenceStatusExpired}
}

// Valid reports whether s is one of LicenceStatuses.
func (s LicenceStatus) Valid() bool { return slices.Contains(LicenceStatuses(), s) }

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

// Contact is the person the authority writes to about an application.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Validate checks that every field is set and the e-mail address is well-formed.
func (ct Contact) Validate() error {
	return values.Validate(ct.check)
}

func (ct Contact) check(c values.Checker) {
	c.Text("name", ct.Name)
	c.Email("email", ct.Email)
	c.Text("phone", ct.Phone)
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
	return values.Validate(a.check)
}

func (a Applicant) check(c values.Checker) {
	c.Text("legal_name", a.LegalName)
	c.Text("registration_number", a.RegistrationNumber)
	c.Text("tax_number", a.TaxNumber)
	c.Pattern("country", a.Country, countryPattern)
	a.Contact.check(c.At("contact"))
}

// Commitments are what an applicant promises and a licensee must report on.
type Commitments struct {
	Headcount  int          `json:"headcount"`
	Investment values.Money `json:"investment"`
	Exports    values.Money `json:"exports"`
	RnDSpend   values.Money `json:"rnd_spend"`
}

// Validate checks that no figure is negative and every currency is well-formed.
func (cm Commitments) Validate() error {
	return values.Validate(cm.check)
}

func (cm Commitments) check(c values.Checker) {
	if cm.Headcount < 0 {
		c.Add("headcount", "must not be negative")
	}
	c.Amount("investment", cm.Investment)
	c.Amount("exports", cm.Exports)
	c.Amount("rnd_spend", cm.RnDSpend)
}
