package licensing

import (
	"fmt"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fsm"
)

// LicenceStatus is where a licence stands.
type LicenceStatus string

// Licence statuses. Revoked, surrendered and expired are final.
const (
	// LicenceActive confers its incentives.
	LicenceActive LicenceStatus = "active"
	// LicenceSuspended is in force but its benefits are withheld until reinstated.
	LicenceSuspended LicenceStatus = "suspended"
	// LicenceRevoked was cancelled by the authority for breach.
	LicenceRevoked LicenceStatus = "revoked"
	// LicenceSurrendered was given up by its holder.
	LicenceSurrendered LicenceStatus = "surrendered"
	// LicenceExpired reached the end of its term.
	LicenceExpired LicenceStatus = "expired"
)

// LicenceStatuses returns every licence status.
func LicenceStatuses() []LicenceStatus {
	return []LicenceStatus{LicenceActive, LicenceSuspended, LicenceRevoked, LicenceSurrendered, LicenceExpired}
}

var inForce = []LicenceStatus{LicenceActive, LicenceSuspended}

// licenceMoves is the licence state machine.
var licenceMoves = map[Action]fsm.Move[LicenceStatus]{
	ActionSuspend:        {From: []LicenceStatus{LicenceActive}, To: LicenceSuspended},
	ActionReinstate:      {From: []LicenceStatus{LicenceSuspended}, To: LicenceActive},
	ActionIssueShowCause: {From: inForce},
	ActionReplyShowCause: {From: inForce},
	ActionRevoke:         {From: inForce, To: LicenceRevoked},
	ActionSurrender:      {From: inForce, To: LicenceSurrendered},
	ActionExpire:         {From: inForce, To: LicenceExpired},
}

// Allows reports whether the state machine permits act from s. Business rules checked by the
// method itself (a show-cause notice before revocation, the end of validity before expiry)
// may still refuse.
func (s LicenceStatus) Allows(act Action) bool {
	_, err := fsm.Next(licenceMoves, "licence", act, s)
	return err == nil
}

// Final reports whether no further transition is possible.
func (s LicenceStatus) Final() bool { return !s.Allows(ActionExpire) }

// ShowCause is a notice asking the licensee to show why the licence should not be revoked; it
// is the licensee's right to be heard before revocation.
type ShowCause struct {
	Reason   string    `json:"reason"`
	IssuedAt time.Time `json:"issued_at"`
	ReplyDue Date      `json:"reply_due"`
	// Reply is the licensee's answer, given at RepliedAt; both are absent until it replies.
	Reply     string     `json:"reply,omitempty"`
	RepliedAt *time.Time `json:"replied_at,omitempty"`
}

// Open reports whether the notice still waits for the licensee: not answered, and its reply
// date not passed in loc (nil: default zone time). While a notice is open the licensee is
// being heard, so the authority may neither revoke nor issue another notice.
func (sc *ShowCause) Open(now time.Time, loc *time.Location) bool {
	return sc != nil && sc.RepliedAt == nil && !DateOf(now, loc).After(sc.ReplyDue)
}

// openError is the conflict of acting while the notice is open; it names the reply date.
func (sc *ShowCause) openError(l *Licence, act Action, loc *time.Location, sentinel error) error {
	return &fault.StateError{Entity: "licence", Action: string(act), Current: string(l.Status),
		Because: fmt.Errorf("the show-cause notice issued on %s awaits the licensee's reply until %s: %w",
			DateOf(sc.IssuedAt, loc), sc.ReplyDue, sentinel)}
}

// Licence is the authority's permission for a company to develop or operate in a zone, with
// the commitments it was granted on.
type Licence struct {
	ID            string        `json:"id"`
	Number        LicenceNumber `json:"number"`
	ApplicationID string        `json:"application_id"`
	TenantID      string        `json:"tenant_id"`
	// HolderName is the applicant's legal name at grant, as printed on the licence.
	HolderName  string        `json:"holder_name"`
	Kind        Kind          `json:"kind"`
	Zone        ZoneCode      `json:"zone"`
	Sector      Sector        `json:"sector"`
	SizeTier    SizeTier      `json:"size_tier"`
	Commitments Commitments   `json:"commitments"`
	Status      LicenceStatus `json:"status"`
	GrantedAt   time.Time     `json:"granted_at"`
	// ValidFrom and ValidUntil are inclusive legal dates in zone time.
	ValidFrom  Date `json:"valid_from"`
	ValidUntil Date `json:"valid_until"`
	// ShowCause is the pending show-cause notice, if any.
	ShowCause *ShowCause     `json:"show_cause,omitempty"`
	Version   int64          `json:"version"`
	UpdatedAt time.Time      `json:"updated_at"`
	History   []HistoryEntry `json:"history"`
}

// Grant approves a submitted or resubmitted application and returns the active licence it
// grants, valid from the approval date (zone time) for p.LicenceTermYears years: until the
// day before the anniversary. The application is marked approved in the same call, so there
// is no approved application without a licence. number must name the application's zone and
// the approval year in zone time.
func Grant(app *Application, id string, number LicenceNumber, at time.Time, actor Actor, p Policy) (*Licence, error) {
	if app == nil {
		return nil, fault.Invalid("application", "required")
	}
	to, err := fsm.Next(applicationMoves, "application", ActionApprove, app.Status)
	if err != nil {
		return nil, err
	}
	var f fault.Fields
	audit.Check(&f, at, actor)
	if strings.TrimSpace(id) == "" {
		f.Add("id", "required")
	}
	number, err = ParseLicenceNumber(string(number))
	f.Merge("number", err)
	if err := f.Err(); err != nil {
		return nil, err
	}
	p = p.resolved()
	from := DateOf(at, p.Location)
	if zone, year, _, _ := number.Parts(); zone != app.Zone || year != from.Year {
		return nil, fmt.Errorf("licence number %s for application %s in zone %s granted in %d: %w",
			number, app.ID, app.Zone, from.Year, ErrLicenceNumberMismatch)
	}
	at = at.UTC()
	app.approve(to, at, actor, id)
	l := &Licence{
		ID: id, Number: number, ApplicationID: app.ID, TenantID: app.TenantID,
		HolderName: app.Applicant.LegalName, Kind: app.Kind, Zone: app.Zone, Sector: app.Sector,
		SizeTier: app.Commitments.SizeTier(), Commitments: app.Commitments,
		GrantedAt: at, ValidFrom: from, ValidUntil: from.AddYears(p.LicenceTermYears).AddDays(-1),
	}
	l.record(ActionGrant, LicenceActive, at, actor, "")
	return l, nil
}

func (l *Licence) record(act Action, to LicenceStatus, at time.Time, actor Actor, why string) {
	l.History = audit.Append(l.History, at, actor, act, l.Status, to, why)
	l.Status, l.Version, l.UpdatedAt = to, l.Version+1, at
}

// begin checks the state machine first, then the common arguments and the reason.
func (l *Licence) begin(act Action, at time.Time, actor Actor, why string, reasonRequired bool, f *fault.Fields) (LicenceStatus, string, error) {
	to, err := fsm.Next(licenceMoves, "licence", act, l.Status)
	if err != nil {
		return "", "", err
	}
	audit.Check(f, at, actor)
	why = reason(f, why, reasonRequired)
	return to, why, nil
}

// simple runs a transition that has no rule beyond the state machine and the reason.
func (l *Licence) simple(act Action, at time.Time, actor Actor, why string, reasonRequired bool) error {
	var f fault.Fields
	to, why, err := l.begin(act, at, actor, why, reasonRequired, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	l.record(act, to, at.UTC(), actor, why)
	return nil
}

// Suspend withholds the licence's benefits for a breach; a reason is required.
func (l *Licence) Suspend(at time.Time, actor Actor, why string) error {
	return l.simple(ActionSuspend, at, actor, why, true)
}

// Reinstate restores a suspended licence; a reason is optional. Reinstatement closes the
// matter, so a pending show-cause notice is discharged (it stays in history): revoking later
// needs a fresh notice.
func (l *Licence) Reinstate(at time.Time, actor Actor, why string) error {
	if err := l.simple(ActionReinstate, at, actor, why, false); err != nil {
		return err
	}
	l.ShowCause = nil
	return nil
}

// IssueShowCause records a show-cause notice without changing the status. One notice is open
// at a time: while the current one awaits its reply (see ShowCause.Open) another is a conflict
// (ErrShowCauseOpen). Once it is answered or its reply date has passed, a new notice replaces it
// (both stay in history) and revocation waits on the new one. replyDue must be after today in
// zone time.
func (l *Licence) IssueShowCause(at time.Time, actor Actor, why string, replyDue Date, p Policy) error {
	var f fault.Fields
	to, why, err := l.begin(ActionIssueShowCause, at, actor, why, true, &f)
	if err != nil {
		return err
	}
	loc := p.resolved().Location
	if l.ShowCause.Open(at, loc) {
		return l.ShowCause.openError(l, ActionIssueShowCause, loc, ErrShowCauseOpen)
	}
	if today := DateOf(at, loc); !replyDue.After(today) {
		f.Addf("reply_due", "must be after today (%s)", today)
	}
	if err := f.Err(); err != nil {
		return err
	}
	at = at.UTC()
	l.ShowCause = &ShowCause{Reason: why, IssuedAt: at, ReplyDue: replyDue}
	l.record(ActionIssueShowCause, to, at, actor, why)
	return nil
}

// ReplyShowCause records the licensee's answer to the pending show-cause notice, without
// changing the status; the reply is required and goes into history as the entry's reason. A
// notice is answered once (ErrShowCauseAnswered); with no notice pending there is nothing to
// answer (ErrNoShowCause). A late reply is still recorded: the authority may weigh it, and the
// record should show what the licensee said.
func (l *Licence) ReplyShowCause(at time.Time, actor Actor, reply string) error {
	to, err := fsm.Next(licenceMoves, "licence", ActionReplyShowCause, l.Status)
	if err != nil {
		return err
	}
	conflict := func(why error) error {
		return &fault.StateError{Entity: "licence", Action: string(ActionReplyShowCause), Current: string(l.Status), Because: why}
	}
	switch sc := l.ShowCause; {
	case sc == nil:
		return conflict(ErrNoShowCause)
	case sc.RepliedAt != nil:
		return conflict(fmt.Errorf("the notice was answered on %s: %w", sc.RepliedAt.Format(time.RFC3339), ErrShowCauseAnswered))
	}
	var f fault.Fields
	audit.Check(&f, at, actor)
	reply = audit.Text(&f, "reply", reply, true, "required: say why the licence should not be revoked")
	if err := f.Err(); err != nil {
		return err
	}
	at = at.UTC()
	sc := *l.ShowCause
	sc.Reply, sc.RepliedAt = reply, &at
	l.ShowCause = &sc
	l.record(ActionReplyShowCause, to, at, actor, reply)
	return nil
}

// Revoke cancels the licence for breach. It needs a reason and a show-cause notice on record
// (ErrShowCauseRequired), and the licensee's chance to answer it must be over: it replied, or
// the reply date has passed in zone time. Before that, revocation is a conflict naming the
// reply date (ErrShowCauseReplyPending).
func (l *Licence) Revoke(at time.Time, actor Actor, why string, p Policy) error {
	var f fault.Fields
	to, why, err := l.begin(ActionRevoke, at, actor, why, true, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	if l.ShowCause == nil {
		return fmt.Errorf("licence %s: %w", l.Number, ErrShowCauseRequired)
	}
	if loc := p.resolved().Location; l.ShowCause.Open(at, loc) {
		return l.ShowCause.openError(l, ActionRevoke, loc, ErrShowCauseReplyPending)
	}
	l.record(ActionRevoke, to, at.UTC(), actor, why)
	return nil
}

// Surrender ends the licence at its holder's wish; a reason is optional.
func (l *Licence) Surrender(at time.Time, actor Actor, why string) error {
	return l.simple(ActionSurrender, at, actor, why, false)
}

// Expire ends a licence whose last valid day has passed in zone time; before that it refuses
// with ErrNotYetExpired, so a sweep that runs early or twice does no harm.
func (l *Licence) Expire(at time.Time, actor Actor, p Policy) error {
	var f fault.Fields
	to, _, err := l.begin(ActionExpire, at, actor, "", false, &f)
	if err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	if !l.ExpiryDue(at, p.resolved().Location) {
		return fmt.Errorf("licence %s is valid until %s: %w", l.Number, l.ValidUntil, ErrNotYetExpired)
	}
	l.record(ActionExpire, to, at.UTC(), actor, "")
	return nil
}

// ExpiryDue reports whether the licence is still in force (active or suspended) although its
// last valid day has passed in loc (nil: default zone time): what an expiry sweep looks for.
func (l *Licence) ExpiryDue(now time.Time, loc *time.Location) bool {
	return !l.Status.Final() && DateOf(now, loc).After(l.ValidUntil)
}

// Valid reports whether the licence confers its benefits on now's date: active and within its
// validity period.
func (l *Licence) Valid(now time.Time, loc *time.Location) bool {
	today := DateOf(now, loc)
	return l.Status == LicenceActive && !today.Before(l.ValidFrom) && !today.After(l.ValidUntil)
}
