package licensing

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/libs/platform/fsm/fsmtest"
)

// Allocation keeps a projection of licences in the contract's words; the statuses named here
// must be those.
func TestLicenceStatusesAreTheContracts(t *testing.T) {
	var want []LicenceStatus
	for _, s := range tenants.LicenceStatuses() {
		want = append(want, LicenceStatus(s))
	}
	if got := LicenceStatuses(); !slices.Equal(got, want) {
		t.Fatalf("licensing names the licence statuses %v, the contract %v", got, want)
	}
}

func TestGrantApprovesTheApplicationAndIssuesAnActiveLicence(t *testing.T) {
	p := DefaultPolicy()
	for _, from := range []ApplicationStatus{ApplicationSubmitted, ApplicationResubmitted} {
		t.Run(string(from), func(t *testing.T) {
			a := appIn(t, from)
			version := a.Version
			l, err := Grant(a, "lic-1", "stz-isb-2026-0001", pk("2026-03-05 15:00"), operator, p)
			must(t, err)
			if a.Status != ApplicationApproved || a.Version != version+1 || a.LicenceID != "lic-1" {
				t.Errorf("application %s v%d licence %q", a.Status, a.Version, a.LicenceID)
			}
			if h := a.History[len(a.History)-1]; h.Action != ActionApprove || h.From != string(from) || h.To != "approved" {
				t.Errorf("application history %+v", h)
			}
			want := Licence{
				ID: "lic-1", Number: "STZ-ISB-2026-0001", ApplicationID: a.ID, TenantID: a.TenantID,
				HolderName: "Indus Silicon (Pvt) Ltd", Kind: KindZoneEnterprise, Zone: "ISB", Sector: "semiconductors",
				SizeTier: TierSME, Commitments: a.Commitments, Status: LicenceActive, GrantedAt: pk("2026-03-05 15:00").UTC(),
				ValidFrom: date("2026-03-05"), ValidUntil: date("2036-03-04"), Version: 1, UpdatedAt: pk("2026-03-05 15:00").UTC(),
			}
			got := *l
			got.History = nil
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("licence\n%+v\nwant\n%+v", got, want)
			}
			if len(l.History) != 1 || l.History[0] != (HistoryEntry{At: want.GrantedAt, Actor: operator, Action: ActionGrant, To: "active"}) {
				t.Fatalf("licence history %+v", l.History)
			}
		})
	}
}

func TestLicenceIsValidForItsTermFromTheApprovalDateInZoneTime(t *testing.T) {
	tests := []struct {
		name      string
		at        time.Time
		number    LicenceNumber
		policy    Policy
		from, end string
	}{
		{"ten years less a day", pk("2026-03-05 15:00"), "STZ-ISB-2026-0001", DefaultPolicy(), "2026-03-05", "2036-03-04"},
		{"granted on a leap day", pk("2028-02-29 10:00"), "STZ-ISB-2028-0001", DefaultPolicy(), "2028-02-29", "2038-02-28"},
		{"20:00 UTC on new year's eve is new year's day in Karachi", utc("2026-12-31T20:00:00Z"), "STZ-ISB-2027-0001", DefaultPolicy(), "2027-01-01", "2036-12-31"},
		{"configured term", pk("2026-03-05 15:00"), "STZ-ISB-2026-0001", Policy{LicenceTermYears: 5}, "2026-03-05", "2031-03-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appIn(t, ApplicationDraft)
			must(t, a.Submit(tt.at.AddDate(0, 0, -3), tenant, tt.policy))
			l, err := Grant(a, "lic-1", tt.number, tt.at, operator, tt.policy)
			must(t, err)
			if l.ValidFrom.String() != tt.from || l.ValidUntil.String() != tt.end {
				t.Fatalf("valid %s..%s, want %s..%s", l.ValidFrom, l.ValidUntil, tt.from, tt.end)
			}
		})
	}
}

func TestGrantRefusesBadInputAllAtOnce(t *testing.T) {
	a := appIn(t, ApplicationSubmitted)
	_, err := Grant(a, " ", "ISB-1", time.Time{}, Actor{}, DefaultPolicy())
	faulttest.WantFields(t, err, "id", "number", "at", "actor.subject")
	if a.Status != ApplicationSubmitted || a.Version != 2 {
		t.Fatalf("refused grant changed the application")
	}
	_, err = Grant(nil, "lic-1", "STZ-ISB-2026-0001", t0, operator, DefaultPolicy())
	faulttest.WantFields(t, err, "application")
}

func TestGrantNeedsANumberForTheApplicationsZoneAndYear(t *testing.T) {
	for _, n := range []LicenceNumber{"STZ-LHR-2026-0001", "STZ-ISB-2025-0001"} {
		t.Run(string(n), func(t *testing.T) {
			a := appIn(t, ApplicationSubmitted)
			_, err := Grant(a, "lic-1", n, day(3), operator, DefaultPolicy())
			if !errors.Is(err, ErrLicenceNumberMismatch) || !errors.Is(err, fault.ErrRule) {
				t.Fatalf("err %v", err)
			}
			if a.Status != ApplicationSubmitted {
				t.Fatalf("refused grant changed the application")
			}
		})
	}
}

// doLicence performs act with valid arguments long after the licence's term, so that only the
// state machine can refuse. A revocation is given a show-cause notice on record first.
func doLicence(t *testing.T, l *Licence, act Action) error {
	t.Helper()
	p := DefaultPolicy()
	at := day(3).AddDate(11, 0, 0)
	switch act {
	case ActionSuspend:
		return l.Suspend(at, operator, "report overdue")
	case ActionReinstate:
		return l.Reinstate(at, operator, "")
	case ActionIssueShowCause:
		return l.IssueShowCause(at, operator, "no operations", DateOf(at, nil).AddDays(14), p)
	case ActionRevoke:
		if l.ShowCause == nil {
			l.ShowCause = &ShowCause{Reason: "no operations", IssuedAt: at.AddDate(0, 0, -20), ReplyDue: DateOf(at, nil).AddDays(-1)}
		}
		return l.Revoke(at, operator, "no reply", p)
	case ActionReplyShowCause:
		if l.ShowCause == nil {
			l.ShowCause = &ShowCause{Reason: "no operations", IssuedAt: at.AddDate(0, 0, -1), ReplyDue: DateOf(at, nil).AddDays(13)}
		}
		return l.ReplyShowCause(at, tenant, "we resumed operations in March")
	case ActionSurrender:
		return l.Surrender(at, tenant, "")
	case ActionExpire:
		return l.Expire(at, operator, p)
	}
	t.Fatalf("no executor for %q", act)
	return nil
}

func TestLicenceTransitionsFollowTheStateMachine(t *testing.T) {
	const (
		active      = LicenceActive
		suspended   = LicenceSuspended
		revoked     = LicenceRevoked
		surrendered = LicenceSurrendered
		expired     = LicenceExpired
	)
	actions := []Action{ActionSuspend, ActionReinstate, ActionIssueShowCause, ActionReplyShowCause, ActionRevoke, ActionSurrender, ActionExpire}
	allowed := map[LicenceStatus]map[Action]LicenceStatus{
		active: {ActionSuspend: suspended, ActionIssueShowCause: active, ActionReplyShowCause: active, ActionRevoke: revoked,
			ActionSurrender: surrendered, ActionExpire: expired},
		suspended: {ActionReinstate: active, ActionIssueShowCause: suspended, ActionReplyShowCause: suspended, ActionRevoke: revoked,
			ActionSurrender: surrendered, ActionExpire: expired},
		revoked:     {},
		surrendered: {},
		expired:     {},
	}
	for _, from := range LicenceStatuses() {
		if from.Final() != (len(allowed[from]) == 0) {
			t.Errorf("%s.Final() = %v", from, from.Final())
		}
	}
	fsmtest.Walk[LicenceStatus, Action, *Licence]{
		Entity: "licence", Statuses: LicenceStatuses(), Actions: actions, Allowed: allowed,
		Allows: LicenceStatus.Allows,
		In:     licenceIn,
		Do:     doLicence,
		State:  func(l *Licence) (LicenceStatus, int64, []HistoryEntry) { return l.Status, l.Version, l.History },
	}.Run(t)
}

func TestLicenceRequiresReasonForSuspensionShowCauseAndRevocation(t *testing.T) {
	p := DefaultPolicy()
	reply := date("2026-05-01")
	tests := []struct {
		name     string
		from     LicenceStatus
		run      func(t *testing.T, l *Licence) error
		required bool
	}{
		{"suspension", LicenceActive, func(t *testing.T, l *Licence) error { return l.Suspend(day(20), operator, "") }, true},
		{"show-cause notice", LicenceActive, func(t *testing.T, l *Licence) error { return l.IssueShowCause(day(20), operator, " ", reply, p) }, true},
		{"revocation", LicenceActive, func(t *testing.T, l *Licence) error {
			must(t, l.IssueShowCause(day(20), operator, "breach", reply, p))
			return l.Revoke(day(60), operator, "", p)
		}, true},
		{"reinstatement", LicenceSuspended, func(t *testing.T, l *Licence) error { return l.Reinstate(day(20), operator, "") }, false},
		{"surrender", LicenceActive, func(t *testing.T, l *Licence) error { return l.Surrender(day(20), tenant, "") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := licenceIn(t, tt.from)
			err := tt.run(t, l)
			if !tt.required {
				must(t, err)
				return
			}
			faulttest.WantFields(t, err, "reason")
		})
	}
}

func TestRevocationNeedsAShowCauseNoticeOnRecord(t *testing.T) {
	p := DefaultPolicy()
	l := licenceIn(t, LicenceSuspended)
	err := l.Revoke(day(20), operator, "persistent breach", p)
	if !errors.Is(err, ErrShowCauseRequired) || !errors.Is(err, fault.ErrRule) {
		t.Fatalf("err %v, want ErrShowCauseRequired", err)
	}
	if l.Status != LicenceSuspended || l.Version != 2 {
		t.Fatalf("refused revocation changed the licence")
	}

	must(t, l.IssueShowCause(day(20), operator, "persistent breach", date("2026-04-05"), p))
	if l.Status != LicenceSuspended || l.Version != 3 {
		t.Fatalf("show-cause notice: %s v%d", l.Status, l.Version)
	}
	want := ShowCause{Reason: "persistent breach", IssuedAt: day(20), ReplyDue: date("2026-04-05")}
	if l.ShowCause == nil || *l.ShowCause != want {
		t.Fatalf("show cause %+v", l.ShowCause)
	}
	if h := l.History[2]; h.Action != ActionIssueShowCause || h.From != "suspended" || h.To != "suspended" || h.Reason != "persistent breach" {
		t.Fatalf("history %+v", h)
	}
	must(t, l.Revoke(day(40), operator, "no satisfactory reply", p))
	if l.Status != LicenceRevoked || l.Version != 4 {
		t.Fatalf("revocation: %s v%d", l.Status, l.Version)
	}
}

func TestReinstatementDischargesThePendingShowCauseNotice(t *testing.T) {
	p := DefaultPolicy()
	l := licenceIn(t, LicenceSuspended)
	must(t, l.IssueShowCause(day(20), operator, "breach", date("2026-04-05"), p))
	must(t, l.Reinstate(day(30), operator, "breach remedied"))
	if l.ShowCause != nil {
		t.Fatalf("show cause still pending after reinstatement")
	}
	if !errors.Is(l.Revoke(day(40), operator, "new breach", p), ErrShowCauseRequired) {
		t.Fatalf("revoked on a discharged notice")
	}
}

func TestShowCauseReplyDateMustBeInTheFuture(t *testing.T) {
	l := licenceIn(t, LicenceActive)
	// day(20) is 2026-03-22 in Karachi.
	faulttest.WantFields(t, l.IssueShowCause(day(20), operator, "breach", date("2026-03-22"), DefaultPolicy()), "reply_due")
	faulttest.WantFields(t, l.IssueShowCause(day(20), operator, "", Date{}, DefaultPolicy()), "reason", "reply_due")
	must(t, l.IssueShowCause(day(20), operator, "breach", date("2026-03-23"), DefaultPolicy()))
}

func TestLicenceExpiresOnlyAfterItsLastValidDay(t *testing.T) {
	// licenceIn grants on day(3): valid 2026-03-05 .. 2036-03-04.
	tests := []struct {
		name  string
		at    time.Time
		ok    bool
		valid bool
	}{
		{"on the last valid day", pk("2036-03-04 23:59"), false, true},
		{"18:59 UTC on the last valid day", utc("2036-03-04T18:59:00Z"), false, true},
		{"19:00 UTC on the last valid day is the next day in Karachi", utc("2036-03-04T19:00:00Z"), true, false},
		{"a year later", pk("2037-03-05 09:00"), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := licenceIn(t, LicenceActive)
			if l.ExpiryDue(tt.at, nil) != tt.ok {
				t.Errorf("ExpiryDue = %v", !tt.ok)
			}
			if l.Valid(tt.at, nil) != tt.valid {
				t.Errorf("Valid = %v", !tt.valid)
			}
			err := l.Expire(tt.at, operator, DefaultPolicy())
			if tt.ok {
				must(t, err)
				if l.Status != LicenceExpired || l.Version != 2 {
					t.Fatalf("expire: %s v%d", l.Status, l.Version)
				}
				return
			}
			if !errors.Is(err, ErrNotYetExpired) || !errors.Is(err, fault.ErrRule) {
				t.Fatalf("err %v, want ErrNotYetExpired", err)
			}
			if l.Status != LicenceActive || l.Version != 1 {
				t.Fatalf("refused expiry changed the licence")
			}
		})
	}
}

func TestSuspendedLicenceIsNotValid(t *testing.T) {
	l := licenceIn(t, LicenceSuspended)
	if l.Valid(day(20), nil) {
		t.Fatalf("a suspended licence confers no benefits")
	}
	if l.ExpiryDue(day(20), nil) {
		t.Fatalf("expiry due during the term")
	}
}
