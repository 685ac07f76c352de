package tenants

import "time"

// validate runs check against a fresh checker and returns the collected errors.
func validate(check func(checker)) error {
	c := newChecker()
	check(c)
	return c.err()
}

// ApplicationSubmitted: an applicant submitted an application; the authority must decide by
// DecisionDue.
type ApplicationSubmitted struct {
	ApplicationID string      `json:"application_id"`
	Applicant     Applicant   `json:"applicant"`
	Kind          Kind        `json:"kind"`
	Zone          string      `json:"zone"` // zone code, e.g. "ISB"
	Sector        string      `json:"sector"`
	Commitments   Commitments `json:"commitments"`
	SubmittedAt   time.Time   `json:"submitted_at"`
	DecisionDue   Date        `json:"decision_due"`
	Actor         Actor       `json:"actor"`
}

// EventType returns TypeApplicationSubmitted.
func (ApplicationSubmitted) EventType() string { return TypeApplicationSubmitted }

// AggregateID returns the application id.
func (p ApplicationSubmitted) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationSubmitted) Validate() error {
	return validate(func(c checker) {
		c.id("application_id", p.ApplicationID)
		p.Applicant.check(c.at("applicant"))
		enum(c, "kind", p.Kind, Kinds())
		c.pattern("zone", p.Zone, zonePattern)
		c.text("sector", p.Sector)
		p.Commitments.check(c.at("commitments"))
		c.instant("submitted_at", p.SubmittedAt)
		c.date("decision_due", p.DecisionDue)
		p.Actor.check(c.at("actor"))
	})
}

// ApplicationDeficiencyNoted: the authority found the application incomplete and asked the
// applicant to fix it, optionally by ReplyDue. The decision clock stops until resubmission.
type ApplicationDeficiencyNoted struct {
	ApplicationID string `json:"application_id"`
	Reason        string `json:"reason"`
	ReplyDue      *Date  `json:"reply_due,omitempty"`
	Actor         Actor  `json:"actor"`
}

// EventType returns TypeApplicationDeficiencyNoted.
func (ApplicationDeficiencyNoted) EventType() string { return TypeApplicationDeficiencyNoted }

// AggregateID returns the application id.
func (p ApplicationDeficiencyNoted) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationDeficiencyNoted) Validate() error {
	return validate(func(c checker) {
		c.id("application_id", p.ApplicationID)
		c.text("reason", p.Reason)
		c.optionalDate("reply_due", p.ReplyDue)
		p.Actor.check(c.at("actor"))
	})
}

// ApplicationResubmitted: the applicant answered a deficiency; the decision clock restarts
// with a new DecisionDue.
type ApplicationResubmitted struct {
	ApplicationID string `json:"application_id"`
	DecisionDue   Date   `json:"decision_due"`
	Actor         Actor  `json:"actor"`
}

// EventType returns TypeApplicationResubmitted.
func (ApplicationResubmitted) EventType() string { return TypeApplicationResubmitted }

// AggregateID returns the application id.
func (p ApplicationResubmitted) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationResubmitted) Validate() error {
	return validate(func(c checker) {
		c.id("application_id", p.ApplicationID)
		c.date("decision_due", p.DecisionDue)
		p.Actor.check(c.at("actor"))
	})
}

// ApplicationRejected: the authority refused the application, with its reason.
type ApplicationRejected struct {
	ApplicationID string `json:"application_id"`
	Reason        string `json:"reason"`
	Actor         Actor  `json:"actor"`
}

// EventType returns TypeApplicationRejected.
func (ApplicationRejected) EventType() string { return TypeApplicationRejected }

// AggregateID returns the application id.
func (p ApplicationRejected) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationRejected) Validate() error {
	return validate(func(c checker) {
		c.id("application_id", p.ApplicationID)
		c.text("reason", p.Reason)
		p.Actor.check(c.at("actor"))
	})
}

// ApplicationWithdrawn: the applicant withdrew the application.
type ApplicationWithdrawn struct {
	ApplicationID string `json:"application_id"`
	Reason        string `json:"reason,omitempty"`
	Actor         Actor  `json:"actor"`
}

// EventType returns TypeApplicationWithdrawn.
func (ApplicationWithdrawn) EventType() string { return TypeApplicationWithdrawn }

// AggregateID returns the application id.
func (p ApplicationWithdrawn) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationWithdrawn) Validate() error {
	return validate(func(c checker) {
		c.id("application_id", p.ApplicationID)
		c.optionalText("reason", p.Reason)
		p.Actor.check(c.at("actor"))
	})
}

// ApplicationApproved: the authority approved the application. It is recorded on the
// application; the licence it creates is announced by LicenceGranted.
type ApplicationApproved struct {
	ApplicationID string `json:"application_id"`
	LicenceID     string `json:"licence_id"`
	Actor         Actor  `json:"actor"`
}

// EventType returns TypeApplicationApproved.
func (ApplicationApproved) EventType() string { return TypeApplicationApproved }

// AggregateID returns the application id.
func (p ApplicationApproved) AggregateID() string { return p.ApplicationID }

// Validate reports every missing or malformed field.
func (p ApplicationApproved) Validate() error {
	return validate(func(c checker) {
		c.id("application_id", p.ApplicationID)
		c.id("licence_id", p.LicenceID)
		p.Actor.check(c.at("actor"))
	})
}

// LicenceGranted: a licence exists and is valid from ValidFrom to ValidUntil, both inclusive.
// It carries everything other services need to start work for the licensee (allocation,
// incentive entitlements, reporting obligations) without asking the tenants service.
type LicenceGranted struct {
	LicenceID     string      `json:"licence_id"`
	LicenceNumber string      `json:"licence_number"`
	ApplicationID string      `json:"application_id"`
	TenantID      string      `json:"tenant_id"` // the licensee's id
	Kind          Kind        `json:"kind"`
	Zone          string      `json:"zone"`
	Sector        string      `json:"sector"`
	SizeTier      SizeTier    `json:"size_tier"`
	Commitments   Commitments `json:"commitments"`
	ValidFrom     Date        `json:"valid_from"`
	ValidUntil    Date        `json:"valid_until"`
	Actor         Actor       `json:"actor"`
}

// EventType returns TypeLicenceGranted.
func (LicenceGranted) EventType() string { return TypeLicenceGranted }

// AggregateID returns the licence id.
func (p LicenceGranted) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field, and a validity period that ends before
// it starts.
func (p LicenceGranted) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.text("licence_number", p.LicenceNumber)
		c.id("application_id", p.ApplicationID)
		c.id("tenant_id", p.TenantID)
		enum(c, "kind", p.Kind, Kinds())
		c.pattern("zone", p.Zone, zonePattern)
		c.text("sector", p.Sector)
		enum(c, "size_tier", p.SizeTier, SizeTiers())
		p.Commitments.check(c.at("commitments"))
		c.date("valid_from", p.ValidFrom)
		c.date("valid_until", p.ValidUntil)
		if !p.ValidFrom.IsZero() && p.ValidUntil.Before(p.ValidFrom) {
			c.add("valid_until", "must not be before valid_from")
		}
		p.Actor.check(c.at("actor"))
	})
}

// LicenceSuspended: the licence (and the benefits that hang on it) is suspended.
type LicenceSuspended struct {
	LicenceID string `json:"licence_id"`
	Reason    string `json:"reason"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeLicenceSuspended.
func (LicenceSuspended) EventType() string { return TypeLicenceSuspended }

// AggregateID returns the licence id.
func (p LicenceSuspended) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceSuspended) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.text("reason", p.Reason)
		p.Actor.check(c.at("actor"))
	})
}

// LicenceReinstated: a suspended licence is active again.
type LicenceReinstated struct {
	LicenceID string `json:"licence_id"`
	Reason    string `json:"reason,omitempty"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeLicenceReinstated.
func (LicenceReinstated) EventType() string { return TypeLicenceReinstated }

// AggregateID returns the licence id.
func (p LicenceReinstated) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceReinstated) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.optionalText("reason", p.Reason)
		p.Actor.check(c.at("actor"))
	})
}

// LicenceShowCauseIssued: the licensee must show cause, by ReplyDue, why the licence should not
// be revoked.
type LicenceShowCauseIssued struct {
	LicenceID string `json:"licence_id"`
	Reason    string `json:"reason"`
	ReplyDue  Date   `json:"reply_due"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeLicenceShowCauseIssued.
func (LicenceShowCauseIssued) EventType() string { return TypeLicenceShowCauseIssued }

// AggregateID returns the licence id.
func (p LicenceShowCauseIssued) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceShowCauseIssued) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.text("reason", p.Reason)
		c.date("reply_due", p.ReplyDue)
		p.Actor.check(c.at("actor"))
	})
}

// LicenceShowCauseReplied: the licensee answered the show-cause notice due by ReplyDue; the
// authority may now decide (revoke, or let the licence stand).
type LicenceShowCauseReplied struct {
	LicenceID string `json:"licence_id"`
	Reply     string `json:"reply"`
	ReplyDue  Date   `json:"reply_due"` // the reply date of the notice answered
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeLicenceShowCauseReplied.
func (LicenceShowCauseReplied) EventType() string { return TypeLicenceShowCauseReplied }

// AggregateID returns the licence id.
func (p LicenceShowCauseReplied) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceShowCauseReplied) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.text("reply", p.Reply)
		c.date("reply_due", p.ReplyDue)
		p.Actor.check(c.at("actor"))
	})
}

// LicenceRevoked: the licence is revoked for good.
type LicenceRevoked struct {
	LicenceID string `json:"licence_id"`
	Reason    string `json:"reason"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeLicenceRevoked.
func (LicenceRevoked) EventType() string { return TypeLicenceRevoked }

// AggregateID returns the licence id.
func (p LicenceRevoked) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceRevoked) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.text("reason", p.Reason)
		p.Actor.check(c.at("actor"))
	})
}

// LicenceSurrendered: the licensee gave the licence up.
type LicenceSurrendered struct {
	LicenceID string `json:"licence_id"`
	Reason    string `json:"reason,omitempty"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeLicenceSurrendered.
func (LicenceSurrendered) EventType() string { return TypeLicenceSurrendered }

// AggregateID returns the licence id.
func (p LicenceSurrendered) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceSurrendered) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.optionalText("reason", p.Reason)
		p.Actor.check(c.at("actor"))
	})
}

// LicenceExpired: the licence reached the end of ValidUntil. The service expires licences on
// its own clock, so Actor is usually absent.
type LicenceExpired struct {
	LicenceID  string `json:"licence_id"`
	ValidUntil Date   `json:"valid_until"`
	Actor      *Actor `json:"actor,omitempty"`
}

// EventType returns TypeLicenceExpired.
func (LicenceExpired) EventType() string { return TypeLicenceExpired }

// AggregateID returns the licence id.
func (p LicenceExpired) AggregateID() string { return p.LicenceID }

// Validate reports every missing or malformed field.
func (p LicenceExpired) Validate() error {
	return validate(func(c checker) {
		c.id("licence_id", p.LicenceID)
		c.date("valid_until", p.ValidUntil)
		if p.Actor != nil {
			p.Actor.check(c.at("actor"))
		}
	})
}
