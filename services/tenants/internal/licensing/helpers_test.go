package licensing

import (
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

// must and wantState are the shared assertions: a fixture step that has to work, and a refusal
// by the state machine naming the entity, the action and the current state.
var must, wantState = faulttest.Must, faulttest.WantState

var (
	operator = Actor{Subject: "op-1", Role: audit.RoleOperator}
	tenant   = Actor{Subject: "user-7", Role: audit.RoleTenant}
	// t0 is 2026-03-02 09:00 in Karachi.
	t0 = time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

func date(s string) Date { return civil.MustParseDate(s) }

func datePtr(s string) *Date { d := date(s); return &d }

func validInput() ApplicationInput {
	return ApplicationInput{
		Applicant: ApplicantInput{
			LegalName:          "Indus Silicon (Pvt) Ltd",
			RegistrationNumber: "0123456/2021",
			TaxNumber:          "1234567-8",
			Country:            "PK",
			Contact:            ContactInput{Name: "Ayesha Khan", Email: "ayesha@indus.example.pk", Phone: "+92 300 1234567"},
		},
		Kind:   "zone_enterprise",
		Zone:   "ISB",
		Sector: "semiconductors",
		Commitments: CommitmentsInput{
			Headcount:  120,
			Investment: MoneyInput{AmountMinor: 50_000_000_00, Currency: "PKR"},
			Exports:    MoneyInput{AmountMinor: 10_000_000_00, Currency: "PKR"},
			RnDSpend:   MoneyInput{AmountMinor: 2_000_000_00, Currency: "PKR"},
		},
	}
}

func validDraft(t *testing.T) Draft {
	t.Helper()
	d, err := ParseApplication(validInput())
	if err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
	return d
}

// appIn builds an application in status s by running the real transitions, so fixtures cannot
// reach states the rules would not allow. Deficient applications have a reply due on day 5.
func appIn(t *testing.T, s ApplicationStatus) *Application {
	t.Helper()
	p := DefaultPolicy()
	a, err := NewApplication("app-1", "tenant-1", validDraft(t), t0, tenant)
	must(t, err)
	step := func(err error) { t.Helper(); must(t, err) }
	switch s {
	case ApplicationDraft:
	case ApplicationSubmitted:
		step(a.Submit(day(0), tenant, p))
	case ApplicationDeficient:
		step(a.Submit(day(0), tenant, p))
		step(a.NoteDeficiency(day(1), operator, "missing audited accounts", datePtr("2026-03-08"), p))
	case ApplicationResubmitted:
		step(a.Submit(day(0), tenant, p))
		step(a.NoteDeficiency(day(1), operator, "missing audited accounts", nil, p))
		step(a.Resubmit(day(2), tenant, p))
	case ApplicationApproved:
		step(a.Submit(day(0), tenant, p))
		_, err := Grant(a, "lic-1", "STZ-ISB-2026-0001", day(3), operator, p)
		step(err)
	case ApplicationRejected:
		step(a.Submit(day(0), tenant, p))
		step(a.Reject(day(3), operator, "not a technology business", p))
	case ApplicationWithdrawn:
		step(a.Withdraw(day(0), tenant, ""))
	default:
		t.Fatalf("no fixture for %q", s)
	}
	if a.Status != s {
		t.Fatalf("fixture: status %q, want %q", a.Status, s)
	}
	return a
}

// licenceIn builds a licence in status s through real transitions.
func licenceIn(t *testing.T, s LicenceStatus) *Licence {
	t.Helper()
	p := DefaultPolicy()
	a := appIn(t, ApplicationSubmitted)
	l, err := Grant(a, "lic-1", "STZ-ISB-2026-0001", day(3), operator, p)
	must(t, err)
	switch s {
	case LicenceActive:
	case LicenceSuspended:
		must(t, l.Suspend(day(10), operator, "annual report not filed"))
	case LicenceRevoked:
		must(t, l.IssueShowCause(day(10), operator, "no operations for a year", date("2026-04-01"), p))
		must(t, l.Revoke(day(40), operator, "no reply to show-cause notice", p))
	case LicenceSurrendered:
		must(t, l.Surrender(day(10), tenant, ""))
	case LicenceExpired:
		must(t, l.Expire(day(3).AddDate(11, 0, 0), operator, p))
	default:
		t.Fatalf("no fixture for %q", s)
	}
	if l.Status != s {
		t.Fatalf("fixture: status %q, want %q", l.Status, s)
	}
	return l
}
