package allocation

import "github.com/zoneops/zoneops/libs/events/values"

// RequestSubmitted: a licensed tenant asked for space in a zone, either a particular space
// (Space) or any space meeting Requirements; exactly one of the two is present.
type RequestSubmitted struct {
	RequestID    string        `json:"request_id"`
	TenantID     string        `json:"tenant_id"`
	LicenceID    string        `json:"licence_id"`
	ZoneID       string        `json:"zone_id"`
	Space        *Space        `json:"space,omitempty"`
	Requirements *Requirements `json:"requirements,omitempty"`
	Actor        values.Actor  `json:"actor"`
}

// EventType returns TypeRequestSubmitted.
func (RequestSubmitted) EventType() string { return TypeRequestSubmitted }

// AggregateID returns the request id.
func (p RequestSubmitted) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field, and a request that names both a space and
// requirements, or neither.
func (p RequestSubmitted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("request_id", p.RequestID)
		c.ID("tenant_id", p.TenantID)
		c.ID("licence_id", p.LicenceID)
		c.ID("zone_id", p.ZoneID)
		switch {
		case p.Space == nil && p.Requirements == nil:
			c.Add("space", "either space or requirements is required")
		case p.Space != nil && p.Requirements != nil:
			c.Add("requirements", "must be absent when space is given")
		}
		if p.Space != nil {
			space(c, "space", *p.Space)
		}
		if p.Requirements != nil {
			p.Requirements.check(c.At("requirements"))
		}
		c.Actor("actor", p.Actor)
	})
}

// RequestOffered: the authority offered the tenant a space on Terms; the offer lapses after
// Terms.OfferValidUntil (request.expired).
type RequestOffered struct {
	RequestID string       `json:"request_id"`
	TenantID  string       `json:"tenant_id"`
	Space     Space        `json:"space"`
	Terms     Terms        `json:"terms"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeRequestOffered.
func (RequestOffered) EventType() string { return TypeRequestOffered }

// AggregateID returns the request id.
func (p RequestOffered) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestOffered) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("request_id", p.RequestID)
		c.ID("tenant_id", p.TenantID)
		space(c, "space", p.Space)
		p.Terms.check(c.At("terms"))
		c.Actor("actor", p.Actor)
	})
}

// RequestAccepted: the tenant accepted the offer; lease.signed announces the lease LeaseID.
type RequestAccepted struct {
	RequestID string       `json:"request_id"`
	TenantID  string       `json:"tenant_id"`
	LeaseID   string       `json:"lease_id"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeRequestAccepted.
func (RequestAccepted) EventType() string { return TypeRequestAccepted }

// AggregateID returns the request id.
func (p RequestAccepted) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestAccepted) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("request_id", p.RequestID)
		c.ID("tenant_id", p.TenantID)
		c.ID("lease_id", p.LeaseID)
		c.Actor("actor", p.Actor)
	})
}

// RequestDeclined: the tenant declined the offer.
type RequestDeclined struct {
	RequestID string       `json:"request_id"`
	Reason    string       `json:"reason,omitempty"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeRequestDeclined.
func (RequestDeclined) EventType() string { return TypeRequestDeclined }

// AggregateID returns the request id.
func (p RequestDeclined) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestDeclined) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("request_id", p.RequestID)
		c.OptionalText("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// RequestExpired: the offer lapsed unanswered after OfferValidUntil. The service expires
// offers on its own clock, so Actor is absent or has the system role.
type RequestExpired struct {
	RequestID       string        `json:"request_id"`
	OfferValidUntil values.Date   `json:"offer_valid_until"`
	Actor           *values.Actor `json:"actor,omitempty"`
}

// EventType returns TypeRequestExpired.
func (RequestExpired) EventType() string { return TypeRequestExpired }

// AggregateID returns the request id.
func (p RequestExpired) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestExpired) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("request_id", p.RequestID)
		c.Date("offer_valid_until", p.OfferValidUntil)
		c.OptionalActor("actor", p.Actor)
	})
}

// RequestWithdrawn: the tenant (or the authority on its behalf) withdrew the request.
type RequestWithdrawn struct {
	RequestID string       `json:"request_id"`
	Reason    string       `json:"reason,omitempty"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeRequestWithdrawn.
func (RequestWithdrawn) EventType() string { return TypeRequestWithdrawn }

// AggregateID returns the request id.
func (p RequestWithdrawn) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestWithdrawn) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("request_id", p.RequestID)
		c.OptionalText("reason", p.Reason)
		c.Actor("actor", p.Actor)
	})
}

// LeaseSigned: a lease of a space to a licensed tenant, from StartDate to EndDate inclusive.
// It carries everything other services need (incentives, compliance, billing): who, under which
// licence, where, how much space of which land use, the money and, for a land lease, the
// construction deadlines whose miss makes the space idle (lease.space_idle).
type LeaseSigned struct {
	LeaseID                 string       `json:"lease_id"`
	RequestID               string       `json:"request_id"`
	TenantID                string       `json:"tenant_id"`
	LicenceID               string       `json:"licence_id"`
	ZoneID                  string       `json:"zone_id"`
	Space                   Space        `json:"space"`
	AreaM2                  float64      `json:"area_m2"`
	LandUse                 LandUse      `json:"land_use"`
	LandLease               bool         `json:"land_lease"` // a lease of bare land (a plot) to build on
	StartDate               values.Date  `json:"start_date"`
	EndDate                 values.Date  `json:"end_date"`
	RentPerM2Month          values.Money `json:"rent_per_m2_month"`
	Deposit                 values.Money `json:"deposit"`
	NoticeMonths            int          `json:"notice_months"`
	ConstructionStartDue    *values.Date `json:"construction_start_due,omitempty"`
	ConstructionCompleteDue *values.Date `json:"construction_complete_due,omitempty"`
	Actor                   values.Actor `json:"actor"`
}

// EventType returns TypeLeaseSigned.
func (LeaseSigned) EventType() string { return TypeLeaseSigned }

// AggregateID returns the lease id.
func (p LeaseSigned) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field, a lease that ends before it starts, a
// land lease of anything but a plot, construction deadlines on a lease that is not a land
// lease, and deadlines outside the lease or completion due before the start.
func (p LeaseSigned) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("lease_id", p.LeaseID)
		c.ID("request_id", p.RequestID)
		c.ID("tenant_id", p.TenantID)
		c.ID("licence_id", p.LicenceID)
		c.ID("zone_id", p.ZoneID)
		space(c, "space", p.Space)
		area(c, "area_m2", p.AreaM2)
		values.Enum(c, "land_use", p.LandUse, LandUses())
		if p.LandLease && p.Space.Kind != "" && p.Space.Kind != SpaceKindPlot {
			c.Add("land_lease", "only a plot can be leased as land")
		}
		c.Date("start_date", p.StartDate)
		c.Date("end_date", p.EndDate)
		if !p.StartDate.IsZero() && p.EndDate.Before(p.StartDate) {
			c.Add("end_date", "must not be before start_date")
		}
		c.Amount("rent_per_m2_month", p.RentPerM2Month)
		c.Amount("deposit", p.Deposit)
		noticeMonths(c, "notice_months", p.NoticeMonths, 0)
		for _, due := range []struct {
			field string
			d     *values.Date
		}{{"construction_start_due", p.ConstructionStartDue}, {"construction_complete_due", p.ConstructionCompleteDue}} {
			if due.d == nil {
				continue
			}
			c.Date(due.field, *due.d)
			switch {
			case !due.d.Valid():
				// reported by c.date
			case !p.LandLease:
				c.Add(due.field, "only a land lease has construction deadlines")
			case due.d.Before(p.StartDate) || (!p.EndDate.IsZero() && due.d.After(p.EndDate)):
				c.Add(due.field, "must fall within the lease")
			}
		}
		if s, e := p.ConstructionStartDue, p.ConstructionCompleteDue; s != nil && e != nil && s.Valid() && e.Valid() && e.Before(*s) {
			c.Add("construction_complete_due", "must not be before construction_start_due")
		}
		c.Actor("actor", p.Actor)
	})
}

// LeaseTerminating: the lease will end early, on EndsOn, because notice was given on
// NoticeGivenOn or because the tenant's licence was revoked or surrendered. Actor is absent (or
// has the system role) when the service acts on a licence event by itself.
type LeaseTerminating struct {
	LeaseID       string           `json:"lease_id"`
	TenantID      string           `json:"tenant_id"`
	Reason        string           `json:"reason"`
	NoticeGivenOn values.Date      `json:"notice_given_on"`
	EndsOn        values.Date      `json:"ends_on"`
	Cause         TerminationCause `json:"cause"`
	Actor         *values.Actor    `json:"actor,omitempty"`
}

// EventType returns TypeLeaseTerminating.
func (LeaseTerminating) EventType() string { return TypeLeaseTerminating }

// AggregateID returns the lease id.
func (p LeaseTerminating) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field, and an end before the notice.
func (p LeaseTerminating) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("lease_id", p.LeaseID)
		c.ID("tenant_id", p.TenantID)
		c.Text("reason", p.Reason)
		c.Date("notice_given_on", p.NoticeGivenOn)
		c.Date("ends_on", p.EndsOn)
		if !p.NoticeGivenOn.IsZero() && p.EndsOn.Before(p.NoticeGivenOn) {
			c.Add("ends_on", "must not be before notice_given_on")
		}
		values.Enum(c, "cause", p.Cause, TerminationCauses())
		c.OptionalActor("actor", p.Actor)
	})
}

// LeaseEnded: the lease is over and its space is free from the day after EndedOn. The service
// ends leases on its own clock, so Actor is absent or has the system role.
type LeaseEnded struct {
	LeaseID  string        `json:"lease_id"`
	TenantID string        `json:"tenant_id"`
	EndedOn  values.Date   `json:"ended_on"` // the last day of the lease
	Cause    EndCause      `json:"cause"`
	Actor    *values.Actor `json:"actor,omitempty"`
}

// EventType returns TypeLeaseEnded.
func (LeaseEnded) EventType() string { return TypeLeaseEnded }

// AggregateID returns the lease id.
func (p LeaseEnded) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field.
func (p LeaseEnded) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("lease_id", p.LeaseID)
		c.ID("tenant_id", p.TenantID)
		c.Date("ended_on", p.EndedOn)
		values.Enum(c, "cause", p.Cause, EndCauses())
		c.OptionalActor("actor", p.Actor)
	})
}

// LeaseMilestoneRecorded: construction on a land lease started or was completed On a date.
type LeaseMilestoneRecorded struct {
	LeaseID   string       `json:"lease_id"`
	Milestone Milestone    `json:"milestone"`
	On        values.Date  `json:"on"`
	Actor     values.Actor `json:"actor"`
}

// EventType returns TypeLeaseMilestoneRecorded.
func (LeaseMilestoneRecorded) EventType() string { return TypeLeaseMilestoneRecorded }

// AggregateID returns the lease id.
func (p LeaseMilestoneRecorded) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field.
func (p LeaseMilestoneRecorded) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("lease_id", p.LeaseID)
		values.Enum(c, "milestone", p.Milestone, Milestones())
		c.Date("on", p.On)
		c.Actor("actor", p.Actor)
	})
}

// LeaseSpaceIdle: a construction milestone of a land lease was due on Due and is not recorded,
// so the space lies idle; compliance acts on it against the tenant's licence. The service
// raises it on its own clock, so Actor is absent or has the system role.
type LeaseSpaceIdle struct {
	LeaseID         string          `json:"lease_id"`
	TenantID        string          `json:"tenant_id"`
	LicenceID       string          `json:"licence_id"`
	ZoneID          string          `json:"zone_id"`
	Space           Space           `json:"space"`
	MissedMilestone MissedMilestone `json:"missed_milestone"`
	Due             values.Date     `json:"due"`
	Actor           *values.Actor   `json:"actor,omitempty"`
}

// EventType returns TypeLeaseSpaceIdle.
func (LeaseSpaceIdle) EventType() string { return TypeLeaseSpaceIdle }

// AggregateID returns the lease id.
func (p LeaseSpaceIdle) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field.
func (p LeaseSpaceIdle) Validate() error {
	return values.Validate(func(c values.Checker) {
		c.ID("lease_id", p.LeaseID)
		c.ID("tenant_id", p.TenantID)
		c.ID("licence_id", p.LicenceID)
		c.ID("zone_id", p.ZoneID)
		space(c, "space", p.Space)
		values.Enum(c, "missed_milestone", p.MissedMilestone, MissedMilestones())
		c.Date("due", p.Due)
		c.OptionalActor("actor", p.Actor)
	})
}
