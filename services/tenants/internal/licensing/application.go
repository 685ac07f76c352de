package licensing

import (
	"fmt"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fsm"
)

// ApplicationStatus is where an application stands.
type ApplicationStatus string

// Application statuses.
const (
	// ApplicationDraft is being written by the applicant; the authority's clock has not started.
	ApplicationDraft ApplicationStatus = "draft"
	// ApplicationSubmitted is with the authority; the decision clock runs.
	ApplicationSubmitted ApplicationStatus = "submitted"
	// ApplicationDeficient waits for the applicant to fix what the authority found missing;
	// the decision clock is paused.
	ApplicationDeficient ApplicationStatus = "deficient"
	// ApplicationResubmitted is back with the authority after a deficiency; the clock runs again.
	ApplicationResubmitted ApplicationStatus = "resubmitted"
	// ApplicationApproved was granted a licence (final).
	ApplicationApproved ApplicationStatus = "approved"
	// ApplicationRejected was refused (final).
	ApplicationRejected ApplicationStatus = "rejected"
	// ApplicationWithdrawn was withdrawn by the applicant (final).
	ApplicationWithdrawn ApplicationStatus = "withdrawn"
)

// ApplicationStatuses returns every application status.
func ApplicationStatuses() []ApplicationStatus {
	return []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationDeficient,
		ApplicationResubmitted, ApplicationApproved, ApplicationRejected, ApplicationWithdrawn}
}

// applicationMoves is the application state machine. Rejection is also allowed from deficient
// so that an application whose applicant stopped answering can be closed; Reject adds the rule
// that the reply must be overdue first.
var applicationMoves = map[Action]fsm.Move[ApplicationStatus]{
	ActionUpdate:         {From: []ApplicationStatus{ApplicationDraft}},
	ActionSubmit:         {From: []ApplicationStatus{ApplicationDraft}, To: ApplicationSubmitted},
	ActionNoteDeficiency: {From: []ApplicationStatus{ApplicationSubmitted, ApplicationResubmitted}, To: ApplicationDeficient},
	ActionResubmit:       {From: []ApplicationStatus{ApplicationDeficient}, To: ApplicationResubmitted},
	ActionApprove:        {From: []ApplicationStatus{ApplicationSubmitted, ApplicationResubmitted}, To: ApplicationApproved},
	ActionReject:         {From: []ApplicationStatus{ApplicationSubmitted, ApplicationResubmitted, ApplicationDeficient}, To: ApplicationRejected},
	ActionWithdraw: {From: []ApplicationStatus{ApplicationDraft, ApplicationSubmitted, ApplicationDeficient, ApplicationResubmitted},
		To: ApplicationWithdrawn},
}

// Allows reports whether the state machine permits act from s; a UI uses it to offer only the
// buttons that can work. Business rules checked by the method itself may still refuse.
func (s ApplicationStatus) Allows(act Action) bool {
	_, err := fsm.Next(applicationMoves, "application", act, s)
	return err == nil
}

// Open reports whether the application can still change (not approved, rejected or withdrawn).
func (s ApplicationStatus) Open() bool { return s.Allows(ActionWithdraw) }

// clockRunning reports whether the authority's decision clock runs in s.
func (s ApplicationStatus) clockRunning() bool {
	return s == ApplicationSubmitted || s == ApplicationResubmitted
}

// Application is a company's request for a licence, owned by the applicant's tenant.
type Application struct {
	ID          string            `json:"id"`
	TenantID    string            `json:"tenant_id"`
	Applicant   Applicant         `json:"applicant"`
	Kind        Kind              `json:"kind"`
	Zone        ZoneCode          `json:"zone"`
	Sector      Sector            `json:"sector"`
	Commitments Commitments       `json:"commitments"`
	Status      ApplicationStatus `json:"status"`
	// Version is 1 at creation and grows by one with every change, so stores can detect lost
	// updates and event consumers can ignore stale events.
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// SubmittedAt is the first submission; resubmissions do not restart the clock.
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	// DecisionDue is the last day (zone time) on which a decision is on time. It moves later by
	// the days the application spent deficient.
	DecisionDue *Date `json:"decision_due,omitempty"`
	// ReplyDue is the date by which the applicant should answer the current deficiency, if
	// the authority set one.
	ReplyDue *Date `json:"reply_due,omitempty"`
	// PausedAt is when the current deficiency was noted; set only while deficient.
	PausedAt *time.Time `json:"paused_at,omitempty"`
	// PausedDays is the total of whole days the decision clock has been paused.
	PausedDays int        `json:"paused_days"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	// LicenceID is the licence granted on approval.
	LicenceID string         `json:"licence_id,omitempty"`
	History   []HistoryEntry `json:"history"`
}

// NewApplication creates a draft owned by tenantID. Ids come from the caller (UUIDv7 in the
// service) so that this package needs no randomness.
func NewApplication(id, tenantID string, d Draft, at time.Time, actor Actor) (*Application, error) {
	var f fault.Fields
	if strings.TrimSpace(id) == "" {
		f.Add("id", "required")
	}
	if strings.TrimSpace(tenantID) == "" {
		f.Add("tenant_id", "required")
	}
	audit.Check(&f, at, actor)
	if err := f.Err(); err != nil {
		return nil, err
	}
	at = at.UTC()
	a := &Application{ID: id, TenantID: tenantID, CreatedAt: at}
	a.setDraft(d)
	a.record(ActionCreate, ApplicationDraft, at, actor, "")
	return a, nil
}

// Draft returns the editable content of the application.
func (a *Application) Draft() Draft {
	return Draft{Applicant: a.Applicant, Kind: a.Kind, Zone: a.Zone, Sector: a.Sector, Commitments: a.Commitments}
}

func (a *Application) setDraft(d Draft) {
	a.Applicant, a.Kind, a.Zone, a.Sector, a.Commitments = d.Applicant, d.Kind, d.Zone, d.Sector, d.Commitments
}

// record applies a transition: history first (it needs the old status), then status and
// version.
func (a *Application) record(act Action, to ApplicationStatus, at time.Time, actor Actor, why string) {
	a.History = audit.Append(a.History, at, actor, act, a.Status, to, why)
	a.Status, a.Version, a.UpdatedAt = to, a.Version+1, at
}

// begin checks the state machine first (a conflict is more telling than a missing reason),
// then the common arguments and the reason.
func (a *Application) begin(act Action, at time.Time, actor Actor, why string, reasonRequired bool, f *fault.Fields) (ApplicationStatus, string, error) {
	to, err := fsm.Next(applicationMoves, "application", act, a.Status)
	if err != nil {
		return "", "", err
	}
	audit.Check(f, at, actor)
	why = reason(f, why, reasonRequired)
	return to, why, nil
}

// Update replaces the draft's content; only a draft may be edited, because what was submitted
// is what the authority decides on.
func (a *Application) Update(at time.Time, actor Actor, d Draft) error {
	var f fault.Fields
	to, _, err := a.begin(ActionUpdate, at, actor, "", false, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	a.setDraft(d)
	a.record(ActionUpdate, to, at.UTC(), actor, "")
	return nil
}

// Submit hands the draft to the authority and starts the decision clock: the decision is due
// p.DecisionDays calendar days after the submission date in the zone's time zone.
func (a *Application) Submit(at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, _, err := a.begin(ActionSubmit, at, actor, "", false, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	p = p.resolved()
	at = at.UTC()
	a.SubmittedAt = ptr(at)
	a.DecisionDue = ptr(DateOf(at, p.Location).AddDays(p.DecisionDays))
	a.record(ActionSubmit, to, at, actor, "")
	return nil
}

// NoteDeficiency sends the application back to the applicant with what is missing and pauses
// the decision clock until the applicant resubmits. replyDue, when given, must be after today.
func (a *Application) NoteDeficiency(at time.Time, actor Actor, why string, replyDue *Date, p Policy) error {
	var f fault.Fields
	to, why, err := a.begin(ActionNoteDeficiency, at, actor, why, true, &f)
	if err != nil {
		return err
	}
	p = p.resolved()
	if replyDue != nil {
		if today := DateOf(at, p.Location); !replyDue.After(today) {
			f.Addf("reply_due", "must be after today (%s)", today)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	at = at.UTC()
	a.PausedAt = ptr(at)
	a.ReplyDue = nil
	if replyDue != nil {
		a.ReplyDue = ptr(*replyDue)
	}
	a.record(ActionNoteDeficiency, to, at, actor, why)
	return nil
}

// Resubmit returns the corrected application to the authority. The clock resumes, and the
// decision date moves later by the whole calendar days (zone time) the application spent
// deficient: the authority does not lose time it spent waiting for the applicant.
func (a *Application) Resubmit(at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, _, err := a.begin(ActionResubmit, at, actor, "", false, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	p = p.resolved()
	at = at.UTC()
	if a.PausedAt != nil {
		// A clock that went backwards must not pull the deadline earlier.
		paused := max(0, DateOf(at, p.Location).Sub(DateOf(*a.PausedAt, p.Location)))
		a.PausedDays += paused
		if a.DecisionDue != nil {
			a.DecisionDue = ptr(a.DecisionDue.AddDays(paused))
		}
	}
	a.PausedAt, a.ReplyDue = nil, nil
	a.record(ActionResubmit, to, at, actor, "")
	return nil
}

// Reject refuses the application with a reason. From deficient it is allowed only once the
// applicant's reply date has passed, so an applicant is never refused while still in time to
// answer.
func (a *Application) Reject(at time.Time, actor Actor, why string, p Policy) error {
	var f fault.Fields
	to, why, err := a.begin(ActionReject, at, actor, why, true, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	p = p.resolved()
	if a.Status == ApplicationDeficient {
		today := DateOf(at, p.Location)
		if a.ReplyDue == nil {
			return fmt.Errorf("application %s: no reply date was set: %w", a.ID, ErrReplyPending)
		}
		if !today.After(*a.ReplyDue) {
			return fmt.Errorf("application %s: reply is due by %s: %w", a.ID, a.ReplyDue, ErrReplyPending)
		}
	}
	at = at.UTC()
	a.PausedAt = nil
	a.DecidedAt = ptr(at)
	a.record(ActionReject, to, at, actor, why)
	return nil
}

// Withdraw ends an open application at the applicant's wish; a reason is optional.
func (a *Application) Withdraw(at time.Time, actor Actor, why string) error {
	var f fault.Fields
	to, why, err := a.begin(ActionWithdraw, at, actor, why, false, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	at = at.UTC()
	a.PausedAt = nil
	a.record(ActionWithdraw, to, at, actor, why)
	return nil
}

// approve marks the application approved. It is unexported because approval and the licence
// it grants are one act: Grant is the only way in.
func (a *Application) approve(to ApplicationStatus, at time.Time, actor Actor, licenceID string) {
	a.DecidedAt = ptr(at)
	a.LicenceID = licenceID
	a.record(ActionApprove, to, at, actor, "")
}

// Overdue reports whether the authority has missed its decision date: the application is with
// the authority (submitted or resubmitted; not deficient, whose clock is paused) and today in
// loc (nil: default zone time) is after DecisionDue.
func (a *Application) Overdue(now time.Time, loc *time.Location) bool {
	return a.Status.clockRunning() && a.DecisionDue != nil && DateOf(now, loc).After(*a.DecisionDue)
}

// DaysToDecision returns the calendar days left until DecisionDue: 0 on the due date itself,
// negative once overdue. While deficient the count is frozen at its value when the clock
// paused, which is what the authority will have when the applicant resubmits. ok is false
// when no decision is pending (draft or decided).
func (a *Application) DaysToDecision(now time.Time, loc *time.Location) (days int, ok bool) {
	if a.DecisionDue == nil {
		return 0, false
	}
	switch {
	case a.Status.clockRunning():
		return a.DecisionDue.Sub(DateOf(now, loc)), true
	case a.Status == ApplicationDeficient && a.PausedAt != nil:
		return a.DecisionDue.Sub(DateOf(*a.PausedAt, loc)), true
	}
	return 0, false
}

func ptr[T any](v T) *T { return &v }
