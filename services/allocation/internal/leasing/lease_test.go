package leasing

import (
	"reflect"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/libs/platform/fsm/fsmtest"
)

// doLease performs act with arguments valid for that act, so only the state machine can
// refuse: the end comes long after any end date, milestones are recorded in the past.
func doLease(t *testing.T, l *Lease, act Action) error {
	t.Helper()
	p := DefaultPolicy()
	switch act {
	case ActionTerminate:
		return l.Terminate(date("2026-07-01"), "rent unpaid for six months", pk("2026-07-01 10:00"), developer, p)
	case ActionTerminateForLicence:
		return l.TerminateForLicence(LicenceRevoked, date("2026-07-01"), pk("2026-07-01 10:00"), system, p)
	case ActionEnd:
		_, err := l.EndIfDue(pk("2040-01-01 00:00"), system, p)
		return err
	case ActionRecordMilestone:
		return l.RecordMilestone(MilestoneConstructionStarted, date("2026-05-01"), pk("2026-07-01 10:00"), developer, p)
	case ActionCheckMilestones:
		_, err := l.CheckMilestones(pk("2026-07-01 10:00"), system, p)
		return err
	}
	t.Fatalf("no executor for %q", act)
	return nil
}

func TestLeaseTransitionsFollowTheStateMachine(t *testing.T) {
	const (
		active      = LeaseActive
		terminating = LeaseTerminating
		ended       = LeaseEnded
	)
	actions := []Action{ActionTerminate, ActionTerminateForLicence, ActionEnd, ActionRecordMilestone, ActionCheckMilestones}
	// allowed[from][action] = to; anything missing must be a conflict naming from. Checking
	// milestones before any deadline changes nothing, so it bumps no version.
	allowed := map[LeaseStatus]map[Action]LeaseStatus{
		active: {ActionTerminate: terminating, ActionTerminateForLicence: terminating, ActionEnd: ended,
			ActionRecordMilestone: active, ActionCheckMilestones: active},
		terminating: {ActionEnd: ended, ActionRecordMilestone: terminating, ActionCheckMilestones: terminating},
		ended:       {},
	}
	fsmtest.Walk[LeaseStatus, Action, *Lease]{
		Entity: "lease", Statuses: LeaseStatuses(), Actions: actions, Allowed: allowed,
		Allows: LeaseStatus.Allows,
		In:     leaseIn,
		Do:     doLease,
		State:  func(l *Lease) (LeaseStatus, int64, []HistoryEntry) { return l.Status, l.Version, l.History },
		Quiet:  func(act Action) bool { return act == ActionCheckMilestones },
	}.Run(t)
}

func TestLeaseStatusesThatHoldTheSpace(t *testing.T) {
	for _, s := range LeaseStatuses() {
		if want := s != LeaseEnded; s.Holds() != want {
			t.Errorf("%s.Holds() = %v", s, s.Holds())
		}
	}
}

func TestNoticeEndsTheLeaseAfterTheNoticePeriodButNotAfterItsEnd(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name    string
		notice  int
		start   string
		months  int
		givenOn string
		want    string
	}{
		{"three months' notice", 3, "2026-04-01", 60, "2026-05-15", "2026-08-15"},
		{"notice running past the month's end clamps", 3, "2026-04-01", 60, "2026-11-30", "2027-02-28"},
		{"notice into a leap February", 1, "2026-04-01", 60, "2028-01-31", "2028-02-29"},
		{"no notice period ends on the day notice is given", 0, "2026-04-01", 60, "2026-05-15", "2026-05-15"},
		{"notice running past the end date ends on the end date", 6, "2026-04-01", 12, "2026-12-01", "2027-03-31"},
		{"notice before the start ends no earlier than the start", 0, "2026-04-01", 12, "2026-03-10", "2026-04-01"},
		{"notice before the start running into the term", 1, "2026-04-01", 12, "2026-03-10", "2026-04-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validTerms()
			in.NoticeMonths, in.StartDate, in.TermMonths = tt.notice, tt.start, tt.months
			l := leaseOf(t, plot1, in, p)
			given := date(tt.givenOn)
			must(t, l.Terminate(given, "the tenant gave notice", given.Start(nil).Add(10*time.Hour), developer, p))
			if l.Status != LeaseTerminating || l.EndsOn == nil || l.EndsOn.String() != tt.want {
				t.Fatalf("status %s ends on %v, want %s", l.Status, l.EndsOn, tt.want)
			}
			if *l.NoticeGivenOn != given || l.Cause != CauseNotice || l.LastDay() != date(tt.want) {
				t.Fatalf("notice %v cause %s last day %s", l.NoticeGivenOn, l.Cause, l.LastDay())
			}
			if l.Period() != (Period{From: date(tt.start), To: date(tt.want)}) {
				t.Fatalf("period %s", l.Period())
			}
		})
	}
}

func TestTerminateReportsEveryBadArgumentAtOnce(t *testing.T) {
	p := DefaultPolicy()
	l := leaseIn(t, LeaseActive)
	faulttest.WantFields(t, l.Terminate(Date{}, "", time.Time{}, Actor{}, p), "given_on", "reason", "at", "actor.subject")
	faulttest.WantFields(t, l.Terminate(date("2026-07-02"), " ", pk("2026-07-01 23:00"), developer, p), "given_on", "reason")
	faulttest.WantFields(t, l.Terminate(date("2026-03-02"), "the tenant gave notice", pk("2026-07-01 23:00"), developer, p), "given_on")
	if l.Status != LeaseActive || l.Version != 1 {
		t.Fatalf("refused termination changed the lease")
	}
	// The tenant's own notice is recorded for it by the developer or an operator, and may be
	// dated back to the day the lease was made.
	must(t, l.Terminate(date("2026-03-03"), "the tenant gave notice", pk("2026-07-01 23:00"), operator, p))
	if h := l.History[len(l.History)-1]; h.Actor != operator || *l.EndsOn != date("2026-06-03") || l.Cause != CauseNotice {
		t.Fatalf("history %+v ends on %v cause %s", h, l.EndsOn, l.Cause)
	}
}

func TestNoticeAfterTheEndDateIsRefused(t *testing.T) {
	p := DefaultPolicy()
	l := leaseIn(t, LeaseActive) // ends 2031-03-31, not yet swept
	wantErr(t, l.Terminate(date("2031-04-01"), "too late", pk("2031-04-02 10:00"), developer, p), ErrLeaseOver, fault.ErrRule)
	wantErr(t, l.TerminateForLicence(LicenceRevoked, date("2031-04-01"), pk("2031-04-02 10:00"), system, p), ErrLeaseOver, fault.ErrRule)
	if l.Status != LeaseActive || l.Version != 1 {
		t.Fatalf("refused termination changed the lease")
	}
	// On the end date itself the notice ends the lease that day.
	must(t, l.TerminateForLicence(LicenceSurrendered, date("2031-03-31"), pk("2031-04-02 10:00"), system, p))
	if *l.EndsOn != date("2031-03-31") || l.EndsOn.Compare(*l.NoticeGivenOn) != 0 {
		t.Fatalf("ends on %v", l.EndsOn)
	}
}

func TestLicenceRevocationOrSurrenderPutsTheLeaseUnderItsNotice(t *testing.T) {
	p := DefaultPolicy()
	for _, tt := range []struct {
		status LicenceStatus
		cause  EndCause
	}{
		{LicenceRevoked, CauseLicenceRevoked},
		{LicenceSurrendered, CauseLicenceSurrendered},
	} {
		t.Run(string(tt.status), func(t *testing.T) {
			l := leaseIn(t, LeaseActive)
			must(t, l.TerminateForLicence(tt.status, date("2026-06-30"), pk("2026-07-02 10:00"), system, p))
			if l.Status != LeaseTerminating || l.Cause != tt.cause || *l.EndsOn != date("2026-09-30") || *l.NoticeGivenOn != date("2026-06-30") {
				t.Fatalf("status %s cause %s ends %v", l.Status, l.Cause, l.EndsOn)
			}
			if h := l.History[len(l.History)-1]; h.Action != ActionTerminateForLicence || h.Reason != "licence lic-1 "+string(tt.status)+" on 2026-06-30" {
				t.Fatalf("history %+v", h)
			}
		})
	}
	for _, s := range []LicenceStatus{LicenceActive, LicenceSuspended, LicenceExpired, ""} {
		l := leaseIn(t, LeaseActive)
		faulttest.WantFields(t, l.TerminateForLicence(s, date("2026-06-30"), pk("2026-07-02 10:00"), system, p), "cause")
	}
	l := leaseIn(t, LeaseActive)
	faulttest.WantFields(t, l.TerminateForLicence(LicenceRevoked, date("2026-07-03"), pk("2026-07-02 10:00"), system, p), "on")
	// A lease already under notice keeps its earlier end.
	l = leaseIn(t, LeaseTerminating)
	wantState(t, l.TerminateForLicence(LicenceRevoked, date("2026-07-01"), pk("2026-07-02 10:00"), system, p),
		"lease", "terminate_for_licence", "terminating")
	if *l.EndsOn != date("2026-09-10") || l.Cause != CauseNotice {
		t.Fatalf("ends %v cause %s", l.EndsOn, l.Cause)
	}
}

func TestEndIfDueEndsTheLeaseTheDayAfterItsLastDay(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name      string
		status    LeaseStatus
		at        time.Time
		ended     bool
		cause     EndCause
		endedOn   string
		versionUp bool
	}{
		{"active, on its end date", LeaseActive, pk("2031-03-31 23:59"), false, "", "", false},
		{"active, the day after its end date", LeaseActive, pk("2031-04-01 00:00"), true, CauseTermEnd, "2031-03-31", true},
		{"active, the day after in Karachi but not in UTC", LeaseActive, utc("2031-03-31T19:00:00Z"), true, CauseTermEnd, "2031-03-31", true},
		{"active, long before its end date", LeaseActive, pk("2026-09-11 00:00"), false, "", "", false},
		{"terminating, on the last day of notice", LeaseTerminating, pk("2026-09-10 23:59"), false, CauseNotice, "", false},
		{"terminating, the day after the notice ran out", LeaseTerminating, pk("2026-09-11 00:00"), true, CauseNotice, "2026-09-10", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := leaseIn(t, tt.status)
			version := l.Version
			if l.EndDue(tt.at, nil) != tt.ended {
				t.Errorf("EndDue = %v", !tt.ended)
			}
			ended, err := l.EndIfDue(tt.at, system, p)
			must(t, err)
			if ended != tt.ended || l.Cause != tt.cause {
				t.Fatalf("ended %v cause %q", ended, l.Cause)
			}
			if !tt.ended {
				if l.Status != tt.status || l.Version != version || l.EndedOn != nil {
					t.Fatalf("a lease not due was changed")
				}
				return
			}
			if l.Status != LeaseEnded || l.EndedOn.String() != tt.endedOn || l.Version != version+1 {
				t.Fatalf("status %s ended on %v v%d", l.Status, l.EndedOn, l.Version)
			}
			if l.EndDue(tt.at, nil) {
				t.Fatalf("an ended lease is still due to end")
			}
		})
	}
	l := leaseIn(t, LeaseActive)
	_, err := l.EndIfDue(time.Time{}, Actor{}, p)
	faulttest.WantFields(t, err, "at", "actor.subject")
}

func TestLeaseVersionAndHistoryRecordEveryStep(t *testing.T) {
	p := DefaultPolicy()
	l := leaseOf(t, plot1, validTerms(), p)
	must(t, l.RecordMilestone(MilestoneConstructionStarted, date("2026-05-02"), pk("2026-05-03 09:00"), developer, p))
	must(t, l.Terminate(date("2026-06-10"), "breach of use", pk("2026-06-10 09:00"), developer, p))
	_, err := l.EndIfDue(pk("2026-09-11 01:00"), system, p)
	must(t, err)
	want := []HistoryEntry{
		{At: day(1).UTC(), Actor: tenant, Action: ActionStart, To: "active"},
		{At: pk("2026-05-03 09:00").UTC(), Actor: developer, Action: ActionRecordMilestone, From: "active", To: "active", Reason: "construction_started on 2026-05-02"},
		{At: pk("2026-06-10 09:00").UTC(), Actor: developer, Action: ActionTerminate, From: "active", To: "terminating", Reason: "breach of use"},
		{At: pk("2026-09-11 01:00").UTC(), Actor: system, Action: ActionEnd, From: "terminating", To: "ended", Reason: "notice"},
	}
	if !reflect.DeepEqual(l.History, want) || l.Version != 4 {
		t.Fatalf("v%d history %+v", l.Version, l.History)
	}
	if !l.UpdatedAt.Equal(pk("2026-09-11 01:00")) {
		t.Fatalf("updated %v", l.UpdatedAt)
	}
}

func TestMilestoneKindsParse(t *testing.T) {
	for _, s := range []string{"construction_started", "construction_completed"} {
		if k, err := ParseMilestoneKind(s); err != nil || string(k) != s {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "started"} {
		if _, err := ParseMilestoneKind(s); err == nil {
			t.Errorf("accepted %q", s)
		}
	}
	if _, err := ParseSpaceKind("building"); err == nil {
		t.Errorf("accepted a building as a space kind")
	}
	if _, err := ParseLicenceStatus("lapsed"); err == nil {
		t.Errorf("accepted an unknown licence status")
	}
}
