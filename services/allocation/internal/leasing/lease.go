package leasing

import (
	"fmt"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fsm"
)

// LeaseStatus is where a lease stands.
type LeaseStatus string

// Lease statuses. Ended is final.
const (
	// LeaseActive holds its space until its end date (from acceptance, even before its start).
	LeaseActive LeaseStatus = "active"
	// LeaseTerminating is under notice and holds its space until EndsOn.
	LeaseTerminating LeaseStatus = "terminating"
	// LeaseEnded holds nothing any more.
	LeaseEnded LeaseStatus = "ended"
)

// LeaseStatuses returns every lease status.
func LeaseStatuses() []LeaseStatus { return []LeaseStatus{LeaseActive, LeaseTerminating, LeaseEnded} }

// Holds reports whether a lease in s holds its space (active or terminating).
func (s LeaseStatus) Holds() bool { return s == LeaseActive || s == LeaseTerminating }

var holding = []LeaseStatus{LeaseActive, LeaseTerminating}

// leaseMoves is the lease state machine. A terminating lease keeps the end its notice gave it:
// a second notice, or a licence revocation after notice, does not move it.
var leaseMoves = map[Action]fsm.Move[LeaseStatus]{
	ActionTerminate:           {From: []LeaseStatus{LeaseActive}, To: LeaseTerminating},
	ActionTerminateForLicence: {From: []LeaseStatus{LeaseActive}, To: LeaseTerminating},
	ActionEnd:                 {From: holding, To: LeaseEnded},
	ActionRecordMilestone:     {From: holding},
	ActionCheckMilestones:     {From: holding},
}

// Allows reports whether the state machine permits act from s. Business rules checked by the
// method itself may still refuse.
func (s LeaseStatus) Allows(act Action) bool {
	_, err := fsm.Next(leaseMoves, "lease", act, s)
	return err == nil
}

// EndCause says why a lease ended or is ending, in the words of the allocation events
// (lease.terminating carries the last three, lease.ended all four).
type EndCause string

// Causes.
const (
	// CauseTermEnd: the lease ran its full term.
	CauseTermEnd EndCause = "term_end"
	// CauseNotice: the tenant or the zone developer gave notice; the reason says which and why.
	CauseNotice EndCause = "notice"
	// CauseLicenceRevoked: the authority revoked the tenant's licence.
	CauseLicenceRevoked EndCause = "licence_revoked"
	// CauseLicenceSurrendered: the tenant surrendered its licence.
	CauseLicenceSurrendered EndCause = "licence_surrendered"
)

// MilestoneKind names a construction milestone of a land lease.
type MilestoneKind string

// Milestones, in the order they must happen.
const (
	MilestoneConstructionStarted   MilestoneKind = "construction_started"
	MilestoneConstructionCompleted MilestoneKind = "construction_completed"
)

// ParseMilestoneKind checks a milestone kind.
func ParseMilestoneKind(s string) (MilestoneKind, error) {
	switch MilestoneKind(s) {
	case MilestoneConstructionStarted, MilestoneConstructionCompleted:
		return MilestoneKind(s), nil
	case "":
		return "", fault.Reasonf("required")
	}
	return "", fault.Reasonf("must be construction_started or construction_completed")
}

// Milestone is a construction milestone and its deadline (the last day it is on time).
type Milestone struct {
	Kind MilestoneKind `json:"kind"`
	Due  Date          `json:"due"`
}

// MissedName is how the lease.space_idle event names the milestone when it is missed:
// construction_start or construction_completion.
func (m Milestone) MissedName() string {
	if m.Kind == MilestoneConstructionStarted {
		return "construction_start"
	}
	return "construction_completion"
}

// Lease is a tenant's right to a space for a period, made by accepting an offer.
type Lease struct {
	ID        string   `json:"id"`
	RequestID string   `json:"request_id"`
	TenantID  string   `json:"tenant_id"`
	LicenceID string   `json:"licence_id"`
	ZoneID    string   `json:"zone_id"`
	Space     SpaceRef `json:"space"`
	// PlotID is the plot leased, or the plot the leased unit stands on.
	PlotID  string  `json:"plot_id"`
	AreaM2  float64 `json:"area_m2"`
	LandUse LandUse `json:"land_use"`
	// LandLease is true when the space is a plot.
	LandLease bool `json:"land_lease"`
	// Start and End are the first and last day of the term (zone time).
	Start        Date        `json:"start"`
	End          Date        `json:"end"`
	Rent         Money       `json:"rent_per_m2_month"`
	Deposit      Money       `json:"deposit"`
	NoticeMonths int         `json:"notice_months"`
	Status       LeaseStatus `json:"status"`
	// NoticeGivenOn is when notice was given (or the licence went); set while terminating.
	NoticeGivenOn *Date `json:"notice_given_on,omitempty"`
	// EndsOn is the last day of a terminating lease.
	EndsOn *Date `json:"ends_on,omitempty"`
	// Cause is why the lease is ending or ended.
	Cause EndCause `json:"cause,omitempty"`
	// EndedOn is the last day the ended lease held its space.
	EndedOn *Date `json:"ended_on,omitempty"`
	// Construction deadlines and milestones; land leases only. A deadline is the last day of
	// its period from Start, but never after End.
	ConstructionStartDue    *Date `json:"construction_start_due,omitempty"`
	ConstructionCompleteDue *Date `json:"construction_complete_due,omitempty"`
	ConstructionStarted     *Date `json:"construction_started,omitempty"`
	ConstructionCompleted   *Date `json:"construction_completed,omitempty"`
	// Missed lists the milestones whose deadline passed unrecorded, each reported once.
	Missed []Milestone `json:"missed,omitempty"`
	// Idle is set while a missed milestone is still unrecorded.
	Idle       bool           `json:"idle"`
	IdleReason string         `json:"idle_reason,omitempty"`
	Version    int64          `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	History    []HistoryEntry `json:"history"`
}

// newLease makes the lease of an accepted offer; Accept has checked everything.
func newLease(r *Request, id string, at time.Time, actor Actor, p Policy) *Lease {
	o := r.Offer
	l := &Lease{
		ID: id, RequestID: r.ID, TenantID: r.TenantID, LicenceID: r.LicenceID, ZoneID: r.ZoneID,
		Space: o.Space.Ref, PlotID: o.Space.PlotID, AreaM2: o.Space.AreaM2, LandUse: o.Space.LandUse,
		LandLease: o.Space.Ref.Kind == KindPlot,
		Start:     o.Terms.StartDate, End: o.Terms.End(), Rent: o.Terms.RentPerM2Month, Deposit: o.Terms.Deposit,
		NoticeMonths: o.Terms.NoticeMonths, CreatedAt: at,
	}
	if l.LandLease {
		due := func(months int) *Date { return ptr(minDate(l.End, l.Start.AddMonths(months).AddDays(-1))) }
		l.ConstructionStartDue = due(p.ConstructionStartMonths)
		l.ConstructionCompleteDue = due(p.ConstructionCompleteMonths)
	}
	l.record(ActionStart, LeaseActive, at, actor, "")
	return l
}

func (l *Lease) record(act Action, to LeaseStatus, at time.Time, actor Actor, why string) {
	l.History = audit.Append(l.History, at, actor, act, l.Status, to, why)
	l.Status, l.Version, l.UpdatedAt = to, l.Version+1, at
}

func (l *Lease) begin(act Action, at time.Time, actor Actor, f *fault.Fields) (LeaseStatus, error) {
	to, err := fsm.Next(leaseMoves, "lease", act, l.Status)
	if err != nil {
		return "", err
	}
	audit.Check(f, at, actor)
	return to, nil
}

// LastDay is the last day the lease holds (or held) its space: EndsOn when under notice or
// ended early, End otherwise.
func (l *Lease) LastDay() Date {
	if l.EndsOn != nil {
		return *l.EndsOn
	}
	return l.End
}

// Period is the days the lease holds its space, both ends included.
func (l *Lease) Period() Period { return Period{From: l.Start, To: l.LastDay()} }

// noticeEnd is the last day of a lease under notice given on: on + NoticeMonths, never after
// the lease's end nor before its start.
func (l *Lease) noticeEnd(on Date) Date {
	return minDate(l.End, maxDate(l.Start, on.AddMonths(l.NoticeMonths)))
}

// checkOn records why on is not a usable past-or-present legal date.
func checkOn(f *fault.Fields, field string, on, today Date) {
	switch {
	case on.IsZero():
		f.Add(field, "required")
	case on.After(today):
		f.Addf(field, "must not be after today (%s)", today)
	}
}

// Terminate puts an active lease under notice given on givenOn, by the tenant or the zone
// developer (the reason, which is required, says who and why). The lease then ends on givenOn +
// NoticeMonths, but not after its end date. givenOn may be neither in the future nor before
// the lease was made; notice given after the end date is refused with ErrLeaseOver, because
// such a lease simply ends (EndIfDue).
func (l *Lease) Terminate(givenOn Date, why string, at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, err := l.begin(ActionTerminate, at, actor, &f)
	if err != nil {
		return err
	}
	why = reason(&f, why, true)
	loc := p.resolved().Location
	checkOn(&f, "given_on", givenOn, DateOf(at, loc))
	if made := DateOf(l.CreatedAt, loc); !givenOn.IsZero() && givenOn.Before(made) {
		f.Addf("given_on", "must not be before the lease was made (%s)", made)
	}
	if err := f.Err(); err != nil {
		return err
	}
	if givenOn.After(l.End) {
		return fmt.Errorf("lease %s ended on %s: %w", l.ID, l.End, ErrLeaseOver)
	}
	l.terminate(to, ActionTerminate, givenOn, CauseNotice, why, at.UTC(), actor)
	return nil
}

// TerminateForLicence puts an active lease under notice because the tenant's licence was
// revoked or surrendered on the given date: the lease ends when its notice period runs out
// from then (not after its end date). The licence consumer calls it for every active lease of
// the tenant; leases already under notice keep their earlier end, and a lease whose end date
// has passed by then is refused with ErrLeaseOver (end it with EndIfDue instead).
func (l *Lease) TerminateForLicence(status LicenceStatus, on Date, at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, err := l.begin(ActionTerminateForLicence, at, actor, &f)
	if err != nil {
		return err
	}
	var cause EndCause
	switch status {
	case LicenceRevoked:
		cause = CauseLicenceRevoked
	case LicenceSurrendered:
		cause = CauseLicenceSurrendered
	default:
		f.Add("cause", "must be revoked or surrendered")
	}
	checkOn(&f, "on", on, DateOf(at, p.resolved().Location))
	if err := f.Err(); err != nil {
		return err
	}
	if on.After(l.End) {
		return fmt.Errorf("lease %s ended on %s: %w", l.ID, l.End, ErrLeaseOver)
	}
	l.terminate(to, ActionTerminateForLicence, on, cause, fmt.Sprintf("licence %s %s on %s", l.LicenceID, status, on), at.UTC(), actor)
	return nil
}

func (l *Lease) terminate(to LeaseStatus, act Action, on Date, cause EndCause, why string, at time.Time, actor Actor) {
	l.NoticeGivenOn = ptr(on)
	l.EndsOn = ptr(l.noticeEnd(on))
	l.Cause = cause
	l.record(act, to, at, actor, why)
}

// EndDue reports whether the lease still holds its space although its last day has passed in
// loc (nil: default zone time): what an end-of-lease sweep looks for.
func (l *Lease) EndDue(now time.Time, loc *time.Location) bool {
	return l.Status.Holds() && DateOf(now, loc).After(l.LastDay())
}

// EndIfDue ends the lease once its last day has passed in zone time (EndsOn under notice, End
// otherwise) and reports whether it did. A lease not yet due is left alone (false, nil), so a
// sweep may run early or twice; an ended lease is a conflict.
func (l *Lease) EndIfDue(at time.Time, actor Actor, p Policy) (bool, error) {
	var f fault.Fields
	to, err := l.begin(ActionEnd, at, actor, &f)
	if err != nil {
		return false, err
	}
	if err := f.Err(); err != nil {
		return false, err
	}
	if !l.EndDue(at, p.resolved().Location) {
		return false, nil
	}
	if l.Cause == "" {
		l.Cause = CauseTermEnd
	}
	l.EndedOn = ptr(l.LastDay())
	l.Idle, l.IdleReason = false, ""
	l.record(ActionEnd, to, at.UTC(), actor, string(l.Cause))
	return true, nil
}

// milestone returns the deadline and the recorded date of a milestone.
func (l *Lease) milestone(kind MilestoneKind) (due, done *Date) {
	if kind == MilestoneConstructionStarted {
		return l.ConstructionStartDue, l.ConstructionStarted
	}
	return l.ConstructionCompleteDue, l.ConstructionCompleted
}

// RecordMilestone records that construction started or completed on a date. Only land leases
// have milestones; each is recorded once; completion needs a recorded start no later than it;
// the date may be neither in the future nor before the lease starts. Recording a milestone
// that had been missed clears the idle mark it caused.
func (l *Lease) RecordMilestone(kind MilestoneKind, on Date, at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, err := l.begin(ActionRecordMilestone, at, actor, &f)
	if err != nil {
		return err
	}
	kind, err = ParseMilestoneKind(string(kind))
	f.Merge("kind", err)
	checkOn(&f, "on", on, DateOf(at, p.resolved().Location))
	if !on.IsZero() && on.Before(l.Start) {
		f.Addf("on", "must not be before the lease starts (%s)", l.Start)
	}
	if err := f.Err(); err != nil {
		return err
	}
	if !l.LandLease {
		return fmt.Errorf("lease %s of %s: %w", l.ID, l.Space, ErrNotLandLease)
	}
	if _, done := l.milestone(kind); done != nil {
		return fmt.Errorf("lease %s: %s on %s: %w", l.ID, kind, done, ErrMilestoneRecorded)
	}
	if kind == MilestoneConstructionCompleted {
		switch {
		case l.ConstructionStarted == nil:
			return fmt.Errorf("lease %s: no construction start recorded: %w", l.ID, ErrMilestoneOrder)
		case on.Before(*l.ConstructionStarted):
			return fmt.Errorf("lease %s: construction started on %s, after %s: %w", l.ID, l.ConstructionStarted, on, ErrMilestoneOrder)
		}
		l.ConstructionCompleted = ptr(on)
	} else {
		l.ConstructionStarted = ptr(on)
	}
	l.refreshIdle()
	l.record(ActionRecordMilestone, to, at.UTC(), actor, fmt.Sprintf("%s on %s", kind, on))
	return nil
}

// CheckMilestones looks for a construction deadline that passed (in zone time) without its
// milestone and was not reported before, marks the lease idle and returns it; nil when there
// is none, leaving the lease unchanged. It reports one miss per call, each its own version of
// the lease, so that every space_idle event carries a version of its own; when both deadlines
// passed, callers call again until nil. Leases other than land leases never miss anything.
func (l *Lease) CheckMilestones(at time.Time, actor Actor, p Policy) (*Milestone, error) {
	var f fault.Fields
	to, err := l.begin(ActionCheckMilestones, at, actor, &f)
	if err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !l.LandLease {
		return nil, nil
	}
	today := DateOf(at, p.resolved().Location)
	for _, kind := range []MilestoneKind{MilestoneConstructionStarted, MilestoneConstructionCompleted} {
		due, done := l.milestone(kind)
		if due == nil || done != nil || !today.After(*due) || l.reported(kind) {
			continue
		}
		missed := Milestone{Kind: kind, Due: *due}
		l.Missed = append(l.Missed, missed)
		l.refreshIdle()
		l.record(ActionCheckMilestones, to, at.UTC(), actor, l.IdleReason)
		return &missed, nil
	}
	return nil, nil
}

func (l *Lease) reported(kind MilestoneKind) bool {
	for _, m := range l.Missed {
		if m.Kind == kind {
			return true
		}
	}
	return false
}

// refreshIdle sets Idle while a missed milestone is still unrecorded, naming the first.
func (l *Lease) refreshIdle() {
	l.Idle, l.IdleReason = false, ""
	for _, m := range l.Missed {
		if _, done := l.milestone(m.Kind); done == nil {
			l.Idle = true
			l.IdleReason = fmt.Sprintf("%s was due by %s and is not recorded", m.Kind, m.Due)
			return
		}
	}
}
