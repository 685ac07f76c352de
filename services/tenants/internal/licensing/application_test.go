package licensing

import (
	"errors"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/libs/platform/fsm/fsmtest"
)

// doApp performs act with valid arguments at day 10, which is after the fixture's reply date,
// so that only the state machine can refuse.
func doApp(t *testing.T, a *Application, act Action) error {
	t.Helper()
	p := DefaultPolicy()
	at := day(10)
	switch act {
	case ActionUpdate:
		return a.Update(at, tenant, validDraft(t))
	case ActionSubmit:
		return a.Submit(at, tenant, p)
	case ActionNoteDeficiency:
		return a.NoteDeficiency(at, operator, "site plan missing", nil, p)
	case ActionResubmit:
		return a.Resubmit(at, tenant, p)
	case ActionApprove:
		_, err := Grant(a, "lic-9", "STZ-ISB-2026-0009", at, operator, p)
		return err
	case ActionReject:
		return a.Reject(at, operator, "outside the zone's sectors", p)
	case ActionWithdraw:
		return a.Withdraw(at, tenant, "")
	}
	t.Fatalf("no executor for %q", act)
	return nil
}

func TestApplicationTransitionsFollowTheStateMachine(t *testing.T) {
	const (
		draft       = ApplicationDraft
		submitted   = ApplicationSubmitted
		deficient   = ApplicationDeficient
		resubmitted = ApplicationResubmitted
		approved    = ApplicationApproved
		rejected    = ApplicationRejected
		withdrawn   = ApplicationWithdrawn
	)
	actions := []Action{ActionUpdate, ActionSubmit, ActionNoteDeficiency, ActionResubmit, ActionApprove, ActionReject, ActionWithdraw}
	// allowed[from][action] = to; anything missing must be a conflict naming from.
	allowed := map[ApplicationStatus]map[Action]ApplicationStatus{
		draft: {ActionUpdate: draft, ActionSubmit: submitted, ActionWithdraw: withdrawn},
		submitted: {ActionNoteDeficiency: deficient, ActionApprove: approved, ActionReject: rejected,
			ActionWithdraw: withdrawn},
		deficient: {ActionResubmit: resubmitted, ActionReject: rejected, ActionWithdraw: withdrawn},
		resubmitted: {ActionNoteDeficiency: deficient, ActionApprove: approved, ActionReject: rejected,
			ActionWithdraw: withdrawn},
		approved:  {},
		rejected:  {},
		withdrawn: {},
	}
	fsmtest.Walk[ApplicationStatus, Action, *Application]{
		Entity: "application", Statuses: ApplicationStatuses(), Actions: actions, Allowed: allowed,
		Allows: ApplicationStatus.Allows,
		In:     appIn,
		Do:     doApp,
		State:  func(a *Application) (ApplicationStatus, int64, []HistoryEntry) { return a.Status, a.Version, a.History },
		At:     day(10),
	}.Run(t)
}

func TestApplicationOpenStatesAreThoseThatCanBeWithdrawn(t *testing.T) {
	open := map[ApplicationStatus]bool{ApplicationDraft: true, ApplicationSubmitted: true, ApplicationDeficient: true, ApplicationResubmitted: true}
	for _, s := range ApplicationStatuses() {
		if s.Open() != open[s] {
			t.Errorf("%s.Open() = %v", s, s.Open())
		}
	}
}

func TestApplicationRequiresReasonForDeficiencyAndRejection(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name   string
		reason string
		run    func(a *Application, reason string) error
		want   bool // reason required
	}{
		{"deficiency", "", func(a *Application, r string) error { return a.NoteDeficiency(day(1), operator, r, nil, p) }, true},
		{"deficiency blank", "  \n ", func(a *Application, r string) error { return a.NoteDeficiency(day(1), operator, r, nil, p) }, true},
		{"rejection", "", func(a *Application, r string) error { return a.Reject(day(1), operator, r, p) }, true},
		{"withdrawal", "", func(a *Application, r string) error { return a.Withdraw(day(1), tenant, r) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appIn(t, ApplicationSubmitted)
			err := tt.run(a, tt.reason)
			if !tt.want {
				must(t, err)
				return
			}
			faulttest.WantFields(t, err, "reason")
			if a.Status != ApplicationSubmitted || a.Version != 2 {
				t.Fatalf("refused transition changed the application: %s v%d", a.Status, a.Version)
			}
		})
	}
}

func TestApplicationReasonIsTrimmedAndBounded(t *testing.T) {
	a := appIn(t, ApplicationSubmitted)
	long := make([]rune, audit.MaxReasonLength+1)
	for i := range long {
		long[i] = 'x'
	}
	faulttest.WantFields(t, a.Reject(day(1), operator, string(long), DefaultPolicy()), "reason")
	must(t, a.Reject(day(1), operator, "  incomplete  ", DefaultPolicy()))
	if got := a.History[len(a.History)-1].Reason; got != "incomplete" {
		t.Fatalf("reason %q", got)
	}
}

func TestApplicationRefusesAnonymousActorAndZeroTime(t *testing.T) {
	a := appIn(t, ApplicationSubmitted)
	faulttest.WantFields(t, a.NoteDeficiency(time.Time{}, Actor{Role: audit.RoleOperator}, "", nil, DefaultPolicy()),
		"at", "actor.subject", "reason")
	_, err := NewApplication("", " ", Draft{}, time.Time{}, Actor{})
	faulttest.WantFields(t, err, "id", "tenant_id", "at", "actor.subject")
}

func TestDeficientApplicationIsRejectedOnlyAfterItsReplyDate(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name     string
		replyDue *Date
		at       time.Time
		wantErr  error
	}{
		{"no reply date set", nil, day(30), ErrReplyPending},
		{"on the reply date", datePtr("2026-03-08"), day(6), ErrReplyPending},
		{"the day after the reply date", datePtr("2026-03-08"), day(7), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appIn(t, ApplicationSubmitted)
			must(t, a.NoteDeficiency(day(1), operator, "missing NOC", tt.replyDue, p))
			err := a.Reject(tt.at, operator, "no reply", p)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil && !errors.Is(err, fault.ErrRule) {
				t.Fatalf("rule error does not match fault.ErrRule: %v", err)
			}
		})
	}
}

func TestDeficiencyReplyDateMustBeInTheFuture(t *testing.T) {
	p := DefaultPolicy()
	for _, tt := range []struct {
		reply string
		ok    bool
	}{{"2026-03-02", false}, {"2026-03-01", false}, {"2026-03-03", true}} {
		t.Run(tt.reply, func(t *testing.T) {
			a := appIn(t, ApplicationSubmitted)
			err := a.NoteDeficiency(day(0), operator, "missing NOC", datePtr(tt.reply), p)
			if tt.ok {
				must(t, err)
				if *a.ReplyDue != date(tt.reply) {
					t.Fatalf("reply due %s", a.ReplyDue)
				}
				return
			}
			faulttest.WantFields(t, err, "reply_due")
		})
	}
}

func TestUpdateReplacesTheDraftContent(t *testing.T) {
	a := appIn(t, ApplicationDraft)
	in := validInput()
	in.Zone = "LHR"
	d, err := ParseApplication(in)
	must(t, err)
	must(t, a.Update(day(1), tenant, d))
	if a.Zone != "LHR" || a.Draft() != d {
		t.Fatalf("draft not replaced: %+v", a.Draft())
	}
}

func TestApplicationVersionAndHistoryRecordEveryStep(t *testing.T) {
	p := DefaultPolicy()
	a, err := NewApplication("app-1", "tenant-1", validDraft(t), t0.In(civil.PakistanStandardTime()), tenant)
	must(t, err)
	must(t, a.Update(day(0), tenant, validDraft(t)))
	must(t, a.Submit(day(1), tenant, p))
	must(t, a.NoteDeficiency(day(2), operator, "missing NOC", nil, p))
	must(t, a.Resubmit(day(3), tenant, p))
	_, err = Grant(a, "lic-1", "STZ-ISB-2026-0001", day(4), operator, p)
	must(t, err)

	want := []HistoryEntry{
		{At: t0, Actor: tenant, Action: ActionCreate, From: "", To: "draft"},
		{At: day(0), Actor: tenant, Action: ActionUpdate, From: "draft", To: "draft"},
		{At: day(1), Actor: tenant, Action: ActionSubmit, From: "draft", To: "submitted"},
		{At: day(2), Actor: operator, Action: ActionNoteDeficiency, From: "submitted", To: "deficient", Reason: "missing NOC"},
		{At: day(3), Actor: tenant, Action: ActionResubmit, From: "deficient", To: "resubmitted"},
		{At: day(4), Actor: operator, Action: ActionApprove, From: "resubmitted", To: "approved"},
	}
	if a.Version != int64(len(want)) {
		t.Errorf("version %d, want %d", a.Version, len(want))
	}
	if len(a.History) != len(want) {
		t.Fatalf("history %+v", a.History)
	}
	for i, w := range want {
		if a.History[i] != w {
			t.Errorf("entry %d = %+v, want %+v", i, a.History[i], w)
		}
		if a.History[i].At.Location() != time.UTC {
			t.Errorf("entry %d not in UTC", i)
		}
	}
	if !a.CreatedAt.Equal(t0) || !a.UpdatedAt.Equal(day(4)) || !a.DecidedAt.Equal(day(4)) || !a.SubmittedAt.Equal(day(1)) {
		t.Errorf("timestamps created %v updated %v decided %v submitted %v", a.CreatedAt, a.UpdatedAt, a.DecidedAt, a.SubmittedAt)
	}
	if a.LicenceID != "lic-1" {
		t.Errorf("licence id %q", a.LicenceID)
	}
}
