package tenants

import (
	"time"

	"github.com/zoneops/zoneops/libs/events/values"
)

// ApplicationSubmitted: an applicant submitted an application; the authority must decide by
// DecisionDue.
type ApplicationSubmitted struct {
	ApplicationID string       `json:"application_id"`
	Applicant     Applicant    `json:"applicant"`
	Kind          Kind         `json:"kind"`
	Zone          string       `json:"zone"` // zone code, e.g. "ISB"
	Sector        string       `json:"sector"`
	Commitments   Commitments  `json:"commitments"`
	SubmittedAt   time.Time    `json:"submitted_at"`
	DecisionDue   values.Date  `json:"decision_due"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeApplicationSubmitted.
func (ApplicationSubmitted) EventType() string { return TypeApplicationSubmitted }

// AggregateID returns the application id.
func (p ApplicationSubmitted) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationSubmitted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("application_id", p.ApplicationID)
		p.Applicant.check(c.At("applicant"))
		values.Enum(c, "kind", p.Kind, Kinds())
		c.Code("zone", p.Zone)
		c.Text("sector", p.Sector)
		p.Commitments.check(c.At("commitments"))
		c.Instant("submitted_at", p.SubmittedAt)
		c.Date("decision_due", p.DecisionDue)
		c.Actor("actor", p.Actor)
	})
}

// ApplicationDeficiencyNoted: the authority found the application incomplete and asked the
// applicant to fix it, optionally by ReplyDue. The decision clock stops until resubmission.
type ApplicationDeficiencyNoted struct {
	ApplicationID string       `json:"application_id"`
	Reason        string       `json:"reason"`
	ReplyDue      *values.Date `json:"reply_due,omitempty"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeApplicationDeficiencyNoted.
func (ApplicationDeficiencyNoted) EventType() string { return TypeApplicationDeficiencyNoted }

// AggregateID returns the application id.
func (p ApplicationDeficiencyNoted) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationDeficiencyNoted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("application_id", p.ApplicationID)
		c.Text("reason", p.Reason)
		c.OptionalDate("reply_due", p.ReplyDue)
		c.Actor("actor", p.Actor)
	})
}

// ApplicationResubmitted: the applicant answered a deficiency; the decision clock restarts
// with a new DecisionDue.
type ApplicationResubmitted struct {
	ApplicationID string       `json:"application_id"`
	DecisionDue   values.Date  `json:"decision_due"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeApplicationResubmitted.
func (ApplicationResubmitted) EventType() string { return TypeApplicationResubmitted }

// AggregateID returns the application id.
func (p ApplicationResubmitted) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationResubmitted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("application_id", p.ApplicationID)
		c.Date("decision_due", p.DecisionDue)
		c.Actor("actor", p.Actor)
	})
}

// ApplicationRejected: the authority refused the application, with its reason.
type ApplicationRejected struct {
	ApplicationID string       `json:"application_id"`
	Reason        string       `json:"reason"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeApplicationRejected.
func (ApplicationRejected) EventType() string { return TypeApplicationRejected }

// AggregateID returns the application id.
func (p ApplicationRejected) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationRejected) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("application_id", p.ApplicationID)
		c.Text("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// ApplicationWithdrawn: the applicant withdrew the application.
type ApplicationWithdrawn struct {
	ApplicationID string       `json:"application_id"`
	Reason        string       `json:"reason,omitempty"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeApplicationWithdrawn.
func (ApplicationWithdrawn) EventType() string { return TypeApplicationWithdrawn }

// AggregateID returns the application id.
func (p ApplicationWithdrawn) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationWithdrawn) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("application_id", p.ApplicationID)
		c.OptionalText("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// ApplicationApproved: the authority approved the application. It is recorded on the
// application; the licence it creates is announced by LicenceGranted.
type ApplicationApproved struct {
	ApplicationID string       `json:"application_id"`
	LicenceID     string       `json:"licence_id"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeApplicationApproved.
func (ApplicationApproved) EventType() string { return TypeApplicationApproved }

// AggregateID returns the application id.
func (p ApplicationApproved) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationApproved) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("application_id", p.ApplicationID)
		c.ID("licence_id", p.LicenceID)
		c.Actor("actor", p.Actor)
	})
}

// LicenceGranted: a licence exists and is valid from ValidFrom to ValidUntil, both inclusive.
// It carries everything other services need to start work for the licensee (allocation,
// incentive entitlements, reporting obligations) without asking the tenants service.
type LicenceGranted struct {
	LicenceID     string       `json:"licence_id"`
	LicenceNumber string       `json:"licence_number"`
	ApplicationID string       `json:"application_id"`
	TenantID      string       `json:"tenant_id"` // the licensee's id
	Kind          Kind         `json:"kind"`
	Zone          string       `json:"zone"`
	Sector        string       `json:"sector"`
	SizeTier      SizeTier     `json:"size_tier"`
	Commitments   Commitments  `json:"commitments"`
	ValidFrom     values.Date  `json:"valid_from"`
	ValidUntil    values.Date  `json:"valid_until"`
	Actor         values.Actor `json:"actor"`
}

// EventType returns TypeLicenceGranted.
func (LicenceGranted) EventType() string { return TypeLicenceGranted }

// AggregateID returns the licence id.
func (p LicenceGranted) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field, and a validity period that ends before
// it starts.
func (p LicenceGranted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.Text("licence_number", p.LicenceNumber)
		c.ID("application_id", p.ApplicationID)
		c.ID("tenant_id", p.TenantID)
		values.Enum(c, "kind", p.Kind, Kinds())
		c.Code("zone", p.Zone)
		c.Text("sector", p.Sector)
		values.Enum(c, "size_tier", p.SizeTier, SizeTiers())
		p.Commitments.check(c.At("commitments"))
		c.Date("valid_from", p.ValidFrom)
		c.Date("valid_until", p.ValidUntil)
		if !p.ValidFrom.IsZero() && p.ValidUntil.Before(p.ValidFrom) {
			c.Add("valid_until", "must not be before valid_from")
		}
		c.Actor("actor", p.Actor)
	})
}

// LicenceSuspended: the licence (and the benefits that hang on it) is suspended.
type LicenceSuspended struct {
	LicenceID string       `json:"licence_id"`
	Reason    string       `json:"reason"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeLicenceSuspended.
func (LicenceSuspended) EventType() string { return TypeLicenceSuspended }

// AggregateID returns the licence id.
func (p LicenceSuspended) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceSuspended) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.Text("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// LicenceReinstated: a suspended licence is active again.
type LicenceReinstated struct {
	LicenceID string       `json:"licence_id"`
	Reason    string       `json:"reason,omitempty"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeLicenceReinstated.
func (LicenceReinstated) EventType() string { return TypeLicenceReinstated }

// AggregateID returns the licence id.
func (p LicenceReinstated) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceReinstated) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.OptionalText("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// LicenceShowCauseIssued: the licensee must show cause, by ReplyDue, why the licence should not
// be revoked.
type LicenceShowCauseIssued struct {
	LicenceID string       `json:"licence_id"`
	Reason    string       `json:"reason"`
	ReplyDue  values.Date  `json:"reply_due"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeLicenceShowCauseIssued.
func (LicenceShowCauseIssued) EventType() string { return TypeLicenceShowCauseIssued }

// AggregateID returns the licence id.
func (p LicenceShowCauseIssued) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceShowCauseIssued) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.Text("reason", p.Reason)
		c.Date("reply_due", p.ReplyDue)
		c.Actor("actor", p.Actor)
	})
}

// LicenceShowCauseReplied: the licensee answered the show-cause notice due by ReplyDue; the
// authority may now decide (revoke, or let the licence stand).
type LicenceShowCauseReplied struct {
	LicenceID string       `json:"licence_id"`
	Reply     string       `json:"reply"`
	ReplyDue  values.Date  `json:"reply_due"` // the reply date of the notice answered
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeLicenceShowCauseReplied.
func (LicenceShowCauseReplied) EventType() string { return TypeLicenceShowCauseReplied }

// AggregateID returns the licence id.
func (p LicenceShowCauseReplied) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceShowCauseReplied) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.Text("reply", p.Reply)
		c.Date("reply_due", p.ReplyDue)
		c.Actor("actor", p.Actor)
	})
}

// LicenceRevoked: the licence is revoked for good.
type LicenceRevoked struct {
	LicenceID string       `json:"licence_id"`
	Reason    string       `json:"reason"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeLicenceRevoked.
func (LicenceRevoked) EventType() string { return TypeLicenceRevoked }

// AggregateID returns the licence id.
func (p LicenceRevoked) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceRevoked) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.Text("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// LicenceSurrendered: the licensee gave the licence up.
type LicenceSurrendered struct {
	LicenceID string       `json:"licence_id"`
	Reason    string       `json:"reason,omitempty"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeLicenceSurrendered.
func (LicenceSurrendered) EventType() string { return TypeLicenceSurrendered }

// AggregateID returns the licence id.
func (p LicenceSurrendered) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceSurrendered) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.OptionalText("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// LicenceExpired: the licence reached the end of ValidUntil. The service expires licences on
// its own clock, so Actor is usually absent.
type LicenceExpired struct {
	LicenceID  string        `json:"licence_id"`
	ValidUntil values.Date   `json:"valid_until"`
	Actor      *values.Actor `json:"actor,omitempty"`
}

// EventType returns TypeLicenceExpired.
func (LicenceExpired) EventType() string { return TypeLicenceExpired }

// AggregateID returns the licence id.
func (p LicenceExpired) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceExpired) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("licence_id", p.LicenceID)
		c.Date("valid_until", p.ValidUntil)
		c.OptionalActor("actor", p.Actor)
	})
}
