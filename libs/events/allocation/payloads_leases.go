package allocation

// RequestSubmitted: a licensed tenant asked for space in a zone, either a particular space
// (Space) or any space meeting Requirements; exactly one of the two is present.
type RequestSubmitted struct {
	RequestID    string        `json:"request_id"`
	TenantID     string        `json:"tenant_id"`
	LicenceID    string        `json:"licence_id"`
	ZoneID       string        `json:"zone_id"`
	Space        *Space        `json:"space,omitempty"`
	Requirements *Requirements `json:"requirements,omitempty"`
	Actor        Actor         `json:"actor"`
}

// EventType returns TypeRequestSubmitted.
func (RequestSubmitted) EventType() string { return TypeRequestSubmitted }

// AggregateID returns the request id.
func (p RequestSubmitted) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field, and a request that names both a space and
// requirements, or neither.
func (p RequestSubmitted) Validate() error {
	return validate(func(c checker) {
		c.id("request_id", p.RequestID)
		c.id("tenant_id", p.TenantID)
		c.id("licence_id", p.LicenceID)
		c.id("zone_id", p.ZoneID)
		switch {
		case p.Space == nil && p.Requirements == nil:
			c.add("space", "either space or requirements is required")
		case p.Space != nil && p.Requirements != nil:
			c.add("requirements", "must be absent when space is given")
		}
		if p.Space != nil {
			c.space("space", *p.Space)
		}
		if p.Requirements != nil {
			p.Requirements.check(c.at("requirements"))
		}
		c.actor("actor", p.Actor)
	})
}

// RequestOffered: the authority offered the tenant a space on Terms; the offer lapses after
// Terms.OfferValidUntil (request.expired).
type RequestOffered struct {
	RequestID string `json:"request_id"`
	TenantID  string `json:"tenant_id"`
	Space     Space  `json:"space"`
	Terms     Terms  `json:"terms"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeRequestOffered.
func (RequestOffered) EventType() string { return TypeRequestOffered }

// AggregateID returns the request id.
func (p RequestOffered) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestOffered) Validate() error {
	return validate(func(c checker) {
		c.id("request_id", p.RequestID)
		c.id("tenant_id", p.TenantID)
		c.space("space", p.Space)
		p.Terms.check(c.at("terms"))
		c.actor("actor", p.Actor)
	})
}

// RequestAccepted: the tenant accepted the offer; lease.signed announces the lease LeaseID.
type RequestAccepted struct {
	RequestID string `json:"request_id"`
	TenantID  string `json:"tenant_id"`
	LeaseID   string `json:"lease_id"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeRequestAccepted.
func (RequestAccepted) EventType() string { return TypeRequestAccepted }

// AggregateID returns the request id.
func (p RequestAccepted) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestAccepted) Validate() error {
	return validate(func(c checker) {
		c.id("request_id", p.RequestID)
		c.id("tenant_id", p.TenantID)
		c.id("lease_id", p.LeaseID)
		c.actor("actor", p.Actor)
	})
}

// RequestDeclined: the tenant declined the offer.
type RequestDeclined struct {
	RequestID string `json:"request_id"`
	Reason    string `json:"reason,omitempty"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeRequestDeclined.
func (RequestDeclined) EventType() string { return TypeRequestDeclined }

// AggregateID returns the request id.
func (p RequestDeclined) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestDeclined) Validate() error {
	return validate(func(c checker) {
		c.id("request_id", p.RequestID)
		c.optionalText("reason", p.Reason)
		c.actor("actor", p.Actor)
	})
}

// RequestExpired: the offer lapsed unanswered after OfferValidUntil. The service expires
// offers on its own clock, so Actor is absent or has the system role.
type RequestExpired struct {
	RequestID       string `json:"request_id"`
	OfferValidUntil Date   `json:"offer_valid_until"`
	Actor           *Actor `json:"actor,omitempty"`
}

// EventType returns TypeRequestExpired.
func (RequestExpired) EventType() string { return TypeRequestExpired }

// AggregateID returns the request id.
func (p RequestExpired) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestExpired) Validate() error {
	return validate(func(c checker) {
		c.id("request_id", p.RequestID)
		c.date("offer_valid_until", p.OfferValidUntil)
		c.optionalActor("actor", p.Actor)
	})
}

// RequestWithdrawn: the tenant (or the authority on its behalf) withdrew the request.
type RequestWithdrawn struct {
	RequestID string `json:"request_id"`
	Reason    string `json:"reason,omitempty"`
	Actor     Actor  `json:"actor"`
}

// EventType returns TypeRequestWithdrawn.
func (RequestWithdrawn) EventType() string { return TypeRequestWithdrawn }

// AggregateID returns the request id.
func (p RequestWithdrawn) AggregateID() string { return p.RequestID }

// Validate reports every missing or malformed field.
func (p RequestWithdrawn) Validate() error {
	return validate(func(c checker) {
		c.id("request_id", p.RequestID)
		c.optionalText("reason", p.Reason)
		c.actor("actor", p.Actor)
	})
}

// LeaseSigned: a lease of a space to a licensed tenant, from StartDate to EndDate inclusive.
// It carries everything other services need (incentives, compliance, billing): who, under which
// licence, where, how much space of which land use, the money and, for a land lease, the
// construction deadlines whose miss makes the space idle (lease.space_idle).
type LeaseSigned struct {
	LeaseID                 string  `json:"lease_id"`
	RequestID               string  `json:"request_id"`
	TenantID                string  `json:"tenant_id"`
	LicenceID               string  `json:"licence_id"`
	ZoneID                  string  `json:"zone_id"`
	Space                   Space   `json:"space"`
	AreaM2                  float64 `json:"area_m2"`
	LandUse                 LandUse `json:"land_use"`
	LandLease               bool    `json:"land_lease"` // a lease of bare land (a plot) to build on
	StartDate               Date    `json:"start_date"`
	EndDate                 Date    `json:"end_date"`
	RentPerM2Month          Money   `json:"rent_per_m2_month"`
	Deposit                 Money   `json:"deposit"`
	NoticeMonths            int     `json:"notice_months"`
	ConstructionStartDue    *Date   `json:"construction_start_due,omitempty"`
	ConstructionCompleteDue *Date   `json:"construction_complete_due,omitempty"`
	Actor                   Actor   `json:"actor"`
}

// EventType returns TypeLeaseSigned.
func (LeaseSigned) EventType() string { return TypeLeaseSigned }

// AggregateID returns the lease id.
func (p LeaseSigned) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field, a lease that ends before it starts, a
// land lease of anything but a plot, construction deadlines on a lease that is not a land
// lease, and deadlines outside the lease or completion due before the start.
func (p LeaseSigned) Validate() error {
	return validate(func(c checker) {
		c.id("lease_id", p.LeaseID)
		c.id("request_id", p.RequestID)
		c.id("tenant_id", p.TenantID)
		c.id("licence_id", p.LicenceID)
		c.id("zone_id", p.ZoneID)
		c.space("space", p.Space)
		c.area("area_m2", p.AreaM2)
		enum(c, "land_use", p.LandUse, LandUses())
		if p.LandLease && p.Space.Kind != "" && p.Space.Kind != SpaceKindPlot {
			c.add("land_lease", "only a plot can be leased as land")
		}
		c.date("start_date", p.StartDate)
		c.date("end_date", p.EndDate)
		if !p.StartDate.IsZero() && p.EndDate.Before(p.StartDate) {
			c.add("end_date", "must not be before start_date")
		}
		c.money("rent_per_m2_month", p.RentPerM2Month)
		c.money("deposit", p.Deposit)
		c.noticeMonths("notice_months", p.NoticeMonths, 0)
		for _, due := range []struct {
			field string
			d     *Date
		}{{"construction_start_due", p.ConstructionStartDue}, {"construction_complete_due", p.ConstructionCompleteDue}} {
			if due.d == nil {
				continue
			}
			c.date(due.field, *due.d)
			switch {
			case !validDate(*due.d):
				// reported by c.date
			case !p.LandLease:
				c.add(due.field, "only a land lease has construction deadlines")
			case due.d.Before(p.StartDate) || (!p.EndDate.IsZero() && due.d.After(p.EndDate)):
				c.add(due.field, "must fall within the lease")
			}
		}
		if s, e := p.ConstructionStartDue, p.ConstructionCompleteDue; s != nil && e != nil && validDate(*s) && validDate(*e) && e.Before(*s) {
			c.add("construction_complete_due", "must not be before construction_start_due")
		}
		c.actor("actor", p.Actor)
	})
}

// LeaseTerminating: the lease will end early, on EndsOn, because notice was given on
// NoticeGivenOn or because the tenant's licence was revoked or surrendered. Actor is absent (or
// has the system role) when the service acts on a licence event by itself.
type LeaseTerminating struct {
	LeaseID       string           `json:"lease_id"`
	TenantID      string           `json:"tenant_id"`
	Reason        string           `json:"reason"`
	NoticeGivenOn Date             `json:"notice_given_on"`
	EndsOn        Date             `json:"ends_on"`
	Cause         TerminationCause `json:"cause"`
	Actor         *Actor           `json:"actor,omitempty"`
}

// EventType returns TypeLeaseTerminating.
func (LeaseTerminating) EventType() string { return TypeLeaseTerminating }

// AggregateID returns the lease id.
func (p LeaseTerminating) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field, and an end before the notice.
func (p LeaseTerminating) Validate() error {
	return validate(func(c checker) {
		c.id("lease_id", p.LeaseID)
		c.id("tenant_id", p.TenantID)
		c.text("reason", p.Reason)
		c.date("notice_given_on", p.NoticeGivenOn)
		c.date("ends_on", p.EndsOn)
		if !p.NoticeGivenOn.IsZero() && p.EndsOn.Before(p.NoticeGivenOn) {
			c.add("ends_on", "must not be before notice_given_on")
		}
		enum(c, "cause", p.Cause, TerminationCauses())
		c.optionalActor("actor", p.Actor)
	})
}

// LeaseEnded: the lease is over and its space is free from the day after EndedOn. The service
// ends leases on its own clock, so Actor is absent or has the system role.
type LeaseEnded struct {
	LeaseID  string   `json:"lease_id"`
	TenantID string   `json:"tenant_id"`
	EndedOn  Date     `json:"ended_on"` // the last day of the lease
	Cause    EndCause `json:"cause"`
	Actor    *Actor   `json:"actor,omitempty"`
}

// EventType returns TypeLeaseEnded.
func (LeaseEnded) EventType() string { return TypeLeaseEnded }

// AggregateID returns the lease id.
func (p LeaseEnded) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field.
func (p LeaseEnded) Validate() error {
	return validate(func(c checker) {
		c.id("lease_id", p.LeaseID)
		c.id("tenant_id", p.TenantID)
		c.date("ended_on", p.EndedOn)
		enum(c, "cause", p.Cause, EndCauses())
		c.optionalActor("actor", p.Actor)
	})
}

// LeaseMilestoneRecorded: construction on a land lease started or was completed On a date.
type LeaseMilestoneRecorded struct {
	LeaseID   string    `json:"lease_id"`
	Milestone Milestone `json:"milestone"`
	On        Date      `json:"on"`
	Actor     Actor     `json:"actor"`
}

// EventType returns TypeLeaseMilestoneRecorded.
func (LeaseMilestoneRecorded) EventType() string { return TypeLeaseMilestoneRecorded }

// AggregateID returns the lease id.
func (p LeaseMilestoneRecorded) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field.
func (p LeaseMilestoneRecorded) Validate() error {
	return validate(func(c checker) {
		c.id("lease_id", p.LeaseID)
		enum(c, "milestone", p.Milestone, Milestones())
		c.date("on", p.On)
		c.actor("actor", p.Actor)
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
	Due             Date            `json:"due"`
	Actor           *Actor          `json:"actor,omitempty"`
}

// EventType returns TypeLeaseSpaceIdle.
func (LeaseSpaceIdle) EventType() string { return TypeLeaseSpaceIdle }

// AggregateID returns the lease id.
func (p LeaseSpaceIdle) AggregateID() string { return p.LeaseID }

// Validate reports every missing or malformed field.
func (p LeaseSpaceIdle) Validate() error {
	return validate(func(c checker) {
		c.id("lease_id", p.LeaseID)
		c.id("tenant_id", p.TenantID)
		c.id("licence_id", p.LicenceID)
		c.id("zone_id", p.ZoneID)
		c.space("space", p.Space)
		enum(c, "missed_milestone", p.MissedMilestone, MissedMilestones())
		c.date("due", p.Due)
		c.optionalActor("actor", p.Actor)
	})
}
