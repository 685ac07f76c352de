package leasing

import (
	"errors"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/civil/civiltest"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

const zone = "zone-isb"

// must and wantState are the shared assertions: a fixture step that has to work, and a refusal
// by the state machine naming the entity, the action and the current state.
var must, wantState = faulttest.Must, faulttest.WantState

var (
	tenant    = Actor{Subject: "ayesha@indus", Role: audit.RoleTenant}
	developer = Actor{Subject: "dev@zone", Role: audit.RoleZoneDeveloper}
	operator  = Actor{Subject: "op@authority", Role: audit.RoleOperator}
	system    = Actor{Subject: "allocation", Role: audit.RoleSystem}

	// t0 is Monday 2 March 2026, 09:00 in Karachi.
	t0 = pk("2026-03-02 09:00")

	activeLicence = Licence{ID: "lic-1", TenantID: "tenant-1", Status: LicenceActive, Version: 3}

	plot1 = Space{Ref: SpaceRef{Kind: KindPlot, ID: "plot-1"}, ZoneID: zone, PlotID: "plot-1", AreaM2: 4000, LandUse: LandUseIndustrial, Live: true}
	unit1 = Space{Ref: SpaceRef{Kind: KindUnit, ID: "unit-1"}, ZoneID: zone, PlotID: "plot-2", AreaM2: 250, LandUse: LandUseITPark, Live: true}
)

// pk returns the instant of a wall-clock time in Karachi.
func pk(s string) time.Time { return civiltest.In(civil.PakistanStandardTime(), s) }

var utc = civiltest.UTC

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

func date(s string) Date { return civil.MustParseDate(s) }

func datePtr(s string) *Date { d := date(s); return &d }

func licence(s LicenceStatus) Licence { l := activeLicence; l.Status = s; return l }

// validTerms: a five-year lease from 1 April 2026, three months' notice, offer open until
// 20 March.
func validTerms() TermsInput {
	return TermsInput{
		StartDate:       "2026-04-01",
		TermMonths:      60,
		RentPerM2Month:  MoneyInput{AmountMinor: 150_00, Currency: "PKR"},
		Deposit:         MoneyInput{AmountMinor: 1_000_000_00, Currency: "PKR"},
		NoticeMonths:    3,
		OfferValidUntil: "2026-03-20",
	}
}

func terms(t *testing.T, in TermsInput) Terms {
	t.Helper()
	tm, err := ParseTerms(in)
	must(t, err)
	return tm
}

// named is a request for space s.
func named(s Space) RequestInput {
	return RequestInput{ZoneID: s.ZoneID, Space: &SpaceRefInput{Kind: string(s.Ref.Kind), ID: s.Ref.ID}}
}

func newRequest(t *testing.T, in RequestInput) *Request {
	t.Helper()
	r, err := NewRequest("req-1", "tenant-1", in, activeLicence, t0, tenant)
	must(t, err)
	return r
}

// requestIn builds a request for plot1 in status s by running the real transitions, so
// fixtures cannot reach states the rules would not allow.
func requestIn(t *testing.T, s RequestStatus) *Request {
	t.Helper()
	p := DefaultPolicy()
	r := newRequest(t, named(plot1))
	offer := func() { must(t, r.MakeOffer(plot1, terms(t, validTerms()), activeLicence, day(1), developer, p)) }
	switch s {
	case RequestSubmitted:
	case RequestOffered:
		offer()
	case RequestAccepted:
		offer()
		_, err := r.Accept("lease-1", activeLicence, day(2), tenant, p)
		must(t, err)
	case RequestDeclined:
		offer()
		must(t, r.Decline("too far from the motorway", day(2), tenant))
	case RequestExpired:
		offer()
		must(t, r.Expire(pk("2026-03-21 00:00"), system, p))
	case RequestWithdrawn:
		must(t, r.Withdraw("", day(1), tenant))
	default:
		t.Fatalf("no fixture for %q", s)
	}
	if r.Status != s {
		t.Fatalf("fixture: status %q, want %q", r.Status, s)
	}
	return r
}

// leaseOf runs a request for s through offer and acceptance on terms in and returns the
// lease, accepted on 3 March 2026.
func leaseOf(t *testing.T, s Space, in TermsInput, p Policy) *Lease {
	t.Helper()
	r := newRequest(t, named(s))
	must(t, r.MakeOffer(s, terms(t, in), activeLicence, day(0), developer, p))
	l, err := r.Accept("lease-1", activeLicence, day(1), tenant, p)
	must(t, err)
	return l
}

// leaseIn builds a land lease of plot1 (1 April 2026 to 31 March 2031) in status s.
func leaseIn(t *testing.T, s LeaseStatus) *Lease {
	t.Helper()
	p := DefaultPolicy()
	l := leaseOf(t, plot1, validTerms(), p)
	switch s {
	case LeaseActive:
	case LeaseTerminating:
		must(t, l.Terminate(date("2026-06-10"), "the tenant gave notice", pk("2026-06-10 10:00"), developer, p))
	case LeaseEnded:
		must(t, l.Terminate(date("2026-06-10"), "the tenant gave notice", pk("2026-06-10 10:00"), developer, p))
		ended, err := l.EndIfDue(pk("2026-09-11 00:00"), system, p)
		must(t, err)
		if !ended {
			t.Fatalf("fixture: lease did not end")
		}
	default:
		t.Fatalf("no fixture for %q", s)
	}
	if l.Status != s {
		t.Fatalf("fixture: status %q, want %q", l.Status, s)
	}
	return l
}

// wantErr asserts err is target and of kind.
func wantErr(t *testing.T, err, target, kind error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err %v, want %v", err, target)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("err %v does not match kind %v", err, kind)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// ds prints an optional date, "" for none.
func ds(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func f64(v float64) *float64 { return &v }
