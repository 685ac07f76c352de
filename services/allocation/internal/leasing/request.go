package leasing

import (
	"fmt"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fsm"
)

// RequestStatus is where an allocation request stands.
type RequestStatus string

// Request statuses. Accepted, declined, expired and withdrawn are final.
const (
	// RequestSubmitted waits for the zone developer to offer a space.
	RequestSubmitted RequestStatus = "submitted"
	// RequestOffered waits for the tenant to accept or decline the offer.
	RequestOffered RequestStatus = "offered"
	// RequestAccepted became a lease.
	RequestAccepted RequestStatus = "accepted"
	// RequestDeclined: the tenant turned the offer down.
	RequestDeclined RequestStatus = "declined"
	// RequestExpired: the offer lapsed unaccepted.
	RequestExpired RequestStatus = "expired"
	// RequestWithdrawn: the tenant no longer wants space.
	RequestWithdrawn RequestStatus = "withdrawn"
)

// RequestStatuses returns every request status.
func RequestStatuses() []RequestStatus {
	return []RequestStatus{RequestSubmitted, RequestOffered, RequestAccepted, RequestDeclined, RequestExpired, RequestWithdrawn}
}

// requestMoves is the request state machine.
var requestMoves = map[Action]fsm.Move[RequestStatus]{
	ActionOffer:    {From: []RequestStatus{RequestSubmitted}, To: RequestOffered},
	ActionAccept:   {From: []RequestStatus{RequestOffered}, To: RequestAccepted},
	ActionDecline:  {From: []RequestStatus{RequestOffered}, To: RequestDeclined},
	ActionWithdraw: {From: []RequestStatus{RequestSubmitted, RequestOffered}, To: RequestWithdrawn},
	ActionExpire:   {From: []RequestStatus{RequestOffered}, To: RequestExpired},
}

// Allows reports whether the state machine permits act from s. Business rules checked by the
// method itself (licence, validity, matching space) may still refuse.
func (s RequestStatus) Allows(act Action) bool {
	_, err := fsm.Next(requestMoves, "request", act, s)
	return err == nil
}

// Waiting reports whether the request still waits for someone (submitted or offered): what
// occupancy counts as requests waiting.
func (s RequestStatus) Waiting() bool { return s.Allows(ActionWithdraw) }

// Requirements describe the space a tenant wants when it names none: a land use and an area
// range in square metres. A nil MaxAreaM2 means no upper bound.
type Requirements struct {
	LandUse   LandUse  `json:"land_use"`
	MinAreaM2 float64  `json:"min_area_m2"`
	MaxAreaM2 *float64 `json:"max_area_m2,omitempty"`
}

// RequirementsInput is requirements as a client sends them.
type RequirementsInput struct {
	LandUse   string   `json:"land_use"`
	MinAreaM2 float64  `json:"min_area_m2"`
	MaxAreaM2 *float64 `json:"max_area_m2,omitempty"`
}

// ParseRequirements validates every field: a land use, and 0 < min ≤ max ≤ MaxAreaM2 (max
// optional).
func ParseRequirements(in RequirementsInput) (Requirements, error) {
	var f fault.Fields
	use, err := ParseLandUse(in.LandUse)
	f.Merge("land_use", err)
	checkArea(&f, "min_area_m2", in.MinAreaM2)
	var maxArea *float64
	if in.MaxAreaM2 != nil {
		checkArea(&f, "max_area_m2", *in.MaxAreaM2)
		if f.Empty() && *in.MaxAreaM2 < in.MinAreaM2 {
			f.Add("max_area_m2", "must not be less than min_area_m2")
		}
		maxArea = ptr(*in.MaxAreaM2)
	}
	if err := f.Err(); err != nil {
		return Requirements{}, err
	}
	return Requirements{LandUse: use, MinAreaM2: in.MinAreaM2, MaxAreaM2: maxArea}, nil
}

// RequestInput is what a tenant sends to ask for space: a zone, and either a named space or
// requirements.
type RequestInput struct {
	ZoneID       string             `json:"zone_id"`
	Space        *SpaceRefInput     `json:"space,omitempty"`
	Requirements *RequirementsInput `json:"requirements,omitempty"`
}

// Offer is the space and terms a zone developer offers for a request. The space is kept as it
// was offered, so the lease is made of what the tenant accepted.
type Offer struct {
	Space     Space     `json:"space"`
	Terms     Terms     `json:"terms"`
	OfferedAt time.Time `json:"offered_at"`
	OfferedBy Actor     `json:"offered_by"`
}

// Request is a licensed tenant's request for space in a zone, owned by the tenant.
type Request struct {
	ID        string `json:"id"`
	TenantID  string `json:"tenant_id"`
	LicenceID string `json:"licence_id"`
	ZoneID    string `json:"zone_id"`
	// Exactly one of Space and Requirements is set.
	Space        *SpaceRef     `json:"space,omitempty"`
	Requirements *Requirements `json:"requirements,omitempty"`
	Status       RequestStatus `json:"status"`
	// Offer is the developer's offer, once made.
	Offer *Offer `json:"offer,omitempty"`
	// LeaseID is the lease the accepted offer became.
	LeaseID string `json:"lease_id,omitempty"`
	// Version is 1 at creation and grows by one with every change, so stores can detect lost
	// updates and event consumers can ignore stale events.
	Version   int64          `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	History   []HistoryEntry `json:"history"`
}

// NewRequest submits tenantID's request for space. The input must name a zone and exactly one
// of a space or requirements; every bad field is reported at once. Then the licence (the
// local projection of the tenant's licence) must be the tenant's and active.
func NewRequest(id, tenantID string, in RequestInput, licence Licence, at time.Time, actor Actor) (*Request, error) {
	var f fault.Fields
	id = required(&f, "id", id)
	tenantID = required(&f, "tenant_id", tenantID)
	zoneID := required(&f, "zone_id", in.ZoneID)
	audit.Check(&f, at, actor)
	r := &Request{ID: id, TenantID: tenantID, ZoneID: zoneID}
	switch {
	case in.Space == nil && in.Requirements == nil:
		f.Add("space", "required: name a space or give requirements")
	case in.Space != nil && in.Requirements != nil:
		f.Add("requirements", "give either a space or requirements, not both")
	case in.Space != nil:
		ref, err := ParseSpaceRef(*in.Space)
		f.Merge("space", err)
		r.Space = &ref
	default:
		req, err := ParseRequirements(*in.Requirements)
		f.Merge("requirements", err)
		r.Requirements = &req
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !licence.matches(tenantID, "") {
		return nil, fmt.Errorf("licence %s is held by %q, not tenant %s: %w", licence.ID, licence.TenantID, tenantID, ErrLicenceMismatch)
	}
	if !licence.CanRequest() {
		return nil, fmt.Errorf("licence %s is %s: %w", licence.ID, licence.Status, ErrLicenceNotActive)
	}
	at = at.UTC()
	r.LicenceID, r.CreatedAt = licence.ID, at
	r.record(ActionSubmit, RequestSubmitted, at, actor, "")
	return r, nil
}

func (r *Request) record(act Action, to RequestStatus, at time.Time, actor Actor, why string) {
	r.History = audit.Append(r.History, at, actor, act, r.Status, to, why)
	r.Status, r.Version, r.UpdatedAt = to, r.Version+1, at
}

// begin checks the state machine first (a conflict is more telling than a missing reason),
// then the common arguments and the reason.
func (r *Request) begin(act Action, at time.Time, actor Actor, why string, f *fault.Fields) (RequestStatus, string, error) {
	to, err := fsm.Next(requestMoves, "request", act, r.Status)
	if err != nil {
		return "", "", err
	}
	audit.Check(f, at, actor)
	why = reason(f, why, false)
	return to, why, nil
}

// checkLicence checks that licence is the request's and active.
func (r *Request) checkLicence(licence Licence) error {
	if !licence.matches(r.TenantID, r.LicenceID) {
		return fmt.Errorf("request %s was made under licence %s of tenant %s, given %s of %q: %w",
			r.ID, r.LicenceID, r.TenantID, licence.ID, licence.TenantID, ErrLicenceMismatch)
	}
	if !licence.CanBeOffered() {
		return fmt.Errorf("licence %s is %s: %w", licence.ID, licence.Status, ErrLicenceNotActive)
	}
	return nil
}

// Mismatches lists why space does not answer the request: another zone, another space than
// the one named, or (for requirements) another land use or an area outside the range. An empty list means the space matches.
func (r *Request) Mismatches(s Space) []string {
	var why []string
	if s.ZoneID != r.ZoneID {
		why = append(why, fmt.Sprintf("the space is in zone %s, the request is for zone %s", s.ZoneID, r.ZoneID))
	}
	if r.Space != nil {
		if s.Ref != *r.Space {
			why = append(why, fmt.Sprintf("the request names %s, not %s", r.Space, s.Ref))
		}
		return why
	}
	if q := r.Requirements; q != nil {
		if s.LandUse != q.LandUse {
			why = append(why, fmt.Sprintf("the request is for %s use, %s is for %s", q.LandUse, s.Ref, s.LandUse))
		}
		switch {
		case s.AreaM2 < q.MinAreaM2 && q.MaxAreaM2 == nil:
			why = append(why, fmt.Sprintf("%s has %g m², the request asks for at least %g m²", s.Ref, s.AreaM2, q.MinAreaM2))
		case s.AreaM2 < q.MinAreaM2 || (q.MaxAreaM2 != nil && s.AreaM2 > *q.MaxAreaM2):
			why = append(why, fmt.Sprintf("%s has %g m², the request asks for %g to %g m²", s.Ref, s.AreaM2, q.MinAreaM2, *q.MaxAreaM2))
		}
	}
	return why
}

// MakeOffer offers space on terms. The space must be valid and live and answer the request;
// the offer must still be valid on the day it is made (zone time), which with ParseTerms'
// rule means the lease starts no earlier than today; and the tenant's licence must still be
// active. Whether the space is free over the lease's period is the store's check
// (CheckAvailable), run in the same transaction.
func (r *Request) MakeOffer(space Space, terms Terms, licence Licence, at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, _, err := r.begin(ActionOffer, at, actor, "", &f)
	if err != nil {
		return err
	}
	f.Merge("space", space.Validate())
	if err := terms.validate(); err != nil {
		f.Merge("terms", err)
	} else if today := DateOf(at, p.resolved().Location); terms.OfferValidUntil.Before(today) {
		f.Addf("terms.offer_valid_until", "must not be before today (%s)", today)
	}
	if err := f.Err(); err != nil {
		return err
	}
	if err := r.checkLicence(licence); err != nil {
		return err
	}
	if !space.Live {
		return fmt.Errorf("%s: %w", space.Ref, ErrSpaceNotLive)
	}
	if why := r.Mismatches(space); len(why) > 0 {
		return fmt.Errorf("%s: %w", strings.Join(why, "; "), ErrSpaceMismatch)
	}
	at = at.UTC()
	r.Offer = &Offer{Space: space, Terms: terms, OfferedAt: at, OfferedBy: actor}
	r.record(ActionOffer, to, at, actor, "")
	return nil
}

// Accept takes up the offer and returns the lease it makes, with id leaseID. It is allowed up
// to and including the offer's last valid day in zone time, and only while the tenant's
// licence is active. The store inserts the lease under its overlap and exclusivity checks in
// the same transaction as the request.
func (r *Request) Accept(leaseID string, licence Licence, at time.Time, actor Actor, p Policy) (*Lease, error) {
	var f fault.Fields
	to, _, err := r.begin(ActionAccept, at, actor, "", &f)
	if err != nil {
		return nil, err
	}
	leaseID = required(&f, "lease_id", leaseID)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := r.checkLicence(licence); err != nil {
		return nil, err
	}
	p = p.resolved()
	if today := DateOf(at, p.Location); today.After(r.Offer.Terms.OfferValidUntil) {
		return nil, fmt.Errorf("request %s: the offer was valid until %s: %w", r.ID, r.Offer.Terms.OfferValidUntil, ErrOfferLapsed)
	}
	at = at.UTC()
	l := newLease(r, leaseID, at, actor, p)
	r.LeaseID = leaseID
	r.record(ActionAccept, to, at, actor, "")
	return l, nil
}

// Decline turns the offer down; a reason is optional.
func (r *Request) Decline(why string, at time.Time, actor Actor) error {
	return r.simple(ActionDecline, why, at, actor)
}

// Withdraw ends a waiting request at the tenant's wish; a reason is optional.
func (r *Request) Withdraw(why string, at time.Time, actor Actor) error {
	return r.simple(ActionWithdraw, why, at, actor)
}

func (r *Request) simple(act Action, why string, at time.Time, actor Actor) error {
	var f fault.Fields
	to, why, err := r.begin(act, at, actor, why, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	r.record(act, to, at.UTC(), actor, why)
	return nil
}

// Expire lapses an offer whose last valid day has passed in zone time; before that it refuses
// with ErrOfferStillValid, so a sweep that runs early or twice does no harm.
func (r *Request) Expire(at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, _, err := r.begin(ActionExpire, at, actor, "", &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	if !r.ExpiryDue(at, p.resolved().Location) {
		return fmt.Errorf("request %s: the offer is valid until %s: %w", r.ID, r.Offer.Terms.OfferValidUntil, ErrOfferStillValid)
	}
	r.record(ActionExpire, to, at.UTC(), actor, "")
	return nil
}

// ExpiryDue reports whether the request holds an offer whose last valid day has passed in loc
// (nil: default zone time): what an expiry sweep looks for.
func (r *Request) ExpiryDue(now time.Time, loc *time.Location) bool {
	return r.Status == RequestOffered && r.Offer != nil && DateOf(now, loc).After(r.Offer.Terms.OfferValidUntil)
}
