package service_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events"
	ev "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/work/worktest"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
)

// day is a calendar day in zone time (Pakistan keeps no daylight saving).
const day = 24 * time.Hour

var (
	// t0 is 10:00 in Islamabad on 2 March 2026.
	t0       = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)
	pkt      = time.FixedZone("PKT", 5*60*60)
	operator = licensing.Principal{Subject: "olivia", Role: audit.RoleOperator}
	owner    = licensing.Principal{Subject: "alice", Role: audit.RoleTenant, TenantID: "0195b3c0-0000-7000-8000-00000000000a"}
)

// decisions records what the service tells its Observer.
type decisions struct {
	mu   sync.Mutex
	seen []string
}

func (d *decisions) Decided(outcome string, submittedAt, decidedAt time.Time, late bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := outcome + " after " + decidedAt.Sub(submittedAt).String()
	if late {
		s += ", late"
	}
	d.seen = append(d.seen, s)
}

type fixture struct {
	svc   service.Service
	clock *apitest.Clock
	obs   *decisions
	db    *db.DB
}

// newFixture is the service on d with its clock at t0 and an Observer that records.
func newFixture(d *db.DB) fixture {
	c, obs := apitest.NewClock(t0), &decisions{}
	return fixture{svc: service.New(store.New(d, nil), licensing.DefaultPolicy(), c.Now, obs), clock: c, obs: obs, db: d}
}

func forEachDialect(t *testing.T, fn func(t *testing.T, f fixture)) {
	worktest.ForEachDialect(t, newFixture, func(t *testing.T, f fixture, _ *db.DB) { fn(t, f) }, store.Migrations)
}

func input() licensing.ApplicationInput {
	return licensing.ApplicationInput{
		Applicant: licensing.ApplicantInput{
			LegalName: "Margalla Robotics (Pvt) Ltd", RegistrationNumber: "0012345", TaxNumber: "1234567-8", Country: "PK",
			Contact: licensing.ContactInput{Name: "Ayesha Khan", Email: "ayesha@margalla.example.pk", Phone: "+92 51 1234567"},
		},
		Kind: "zone_enterprise", Zone: "ISB", Sector: "ai",
		Commitments: licensing.CommitmentsInput{
			Headcount:  12,
			Investment: licensing.MoneyInput{AmountMinor: 1_000_000_00, Currency: "PKR"},
			Exports:    licensing.MoneyInput{Currency: "PKR"},
			RnDSpend:   licensing.MoneyInput{Currency: "PKR"},
		},
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// submitted creates and submits an application at the clock's time.
func (f fixture) submitted(t *testing.T) *licensing.Application {
	t.Helper()
	ctx := context.Background()
	a := must[*licensing.Application](t)(f.svc.CreateApplication(ctx, owner, input()))
	return must[*licensing.Application](t)(f.svc.SubmitApplication(ctx, owner, a.ID))
}

// TestExpireDueEndsLicencesInForceOnlyAfterTheirLastDay runs the expiry sweep around the end of
// a ten-year term: nothing on the last valid day, every licence still in force (active or
// suspended) the day after, as the system, with an event; final licences are left alone, and
// a second sweep finds nothing.
func TestExpireDueEndsLicencesInForceOnlyAfterTheirLastDay(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		licence := func() *licensing.Licence {
			return must[*licensing.Licence](t)(f.svc.ApproveApplication(ctx, operator, f.submitted(t).ID))
		}
		active, suspended, surrendered := licence(), licence(), licence()
		must[*licensing.Licence](t)(f.svc.SuspendLicence(ctx, operator, suspended.ID, "late report"))
		must[*licensing.Licence](t)(f.svc.SurrenderLicence(ctx, owner, surrendered.ID, ""))
		if active.ValidUntil.String() != "2036-03-01" {
			t.Fatalf("valid until %s, want 2036-03-01", active.ValidUntil)
		}

		for _, tt := range []struct {
			name string
			at   time.Time
			want int
		}{
			{"last valid day, late evening", time.Date(2036, 3, 1, 23, 59, 0, 0, pkt), 0},
			{"the day after, just past midnight", time.Date(2036, 3, 2, 0, 1, 0, 0, pkt), 2},
			{"a second sweep", time.Date(2036, 3, 3, 0, 0, 0, 0, pkt), 0},
		} {
			f.clock.Set(tt.at)
			if n, err := f.svc.ExpireDue(ctx); err != nil || n != tt.want {
				t.Errorf("%s: expired %d, %v; want %d", tt.name, n, err, tt.want)
			}
		}
		for id, want := range map[string]licensing.LicenceStatus{
			active.ID: licensing.LicenceExpired, suspended.ID: licensing.LicenceExpired, surrendered.ID: licensing.LicenceSurrendered,
		} {
			l := must[*licensing.Licence](t)(f.svc.GetLicence(ctx, operator, id))
			if l.Status != want {
				t.Errorf("licence %s is %s, want %s", l.Number, l.Status, want)
			}
			if want == licensing.LicenceExpired {
				if last := l.History[len(l.History)-1]; last.Action != licensing.ActionExpire || last.Actor.Role != licensing.Role(values.RoleSystem) {
					t.Errorf("licence %s: last history entry %+v, want an expiry by the system", l.Number, last)
				}
			}
		}

		var payloads []string
		if err := f.db.SelectContext(ctx, &payloads, `SELECT payload FROM outbox WHERE subject = 'zoneops.tenants.licence.expired' ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		var expired []string
		for _, p := range payloads {
			_, payload, err := events.Decode([]byte(p))
			if err != nil {
				t.Fatalf("expiry event does not decode: %v", err)
			}
			e := payload.(ev.LicenceExpired)
			if e.ValidUntil.String() != "2036-03-01" || e.Actor == nil || e.Actor.Role != values.RoleSystem {
				t.Errorf("expiry event %+v", e)
			}
			expired = append(expired, e.LicenceID)
		}
		slices.Sort(expired)
		want := []string{active.ID, suspended.ID}
		slices.Sort(want)
		if !slices.Equal(expired, want) {
			t.Errorf("expiry events for %v, want %v", expired, want)
		}
	})
}

// TestDecisionsAreObservedWithTheirLateness: the decision-time histogram hears every approval
// and rejection, with the time since first submission and whether the legal date had passed.
func TestDecisionsAreObservedWithTheirLateness(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		onTime, late := f.submitted(t), f.submitted(t)
		f.clock.Set(t0.Add(10 * day))
		must[*licensing.Licence](t)(f.svc.ApproveApplication(ctx, operator, onTime.ID))
		f.clock.Set(t0.Add(31 * day)) // due on day 30
		must[*licensing.Application](t)(f.svc.RejectApplication(ctx, operator, late.ID, "not a technology business"))
		want := []string{"approved after 240h0m0s", "rejected after 744h0m0s, late"}
		if !slices.Equal(f.obs.seen, want) {
			t.Errorf("observed %q, want %q", f.obs.seen, want)
		}
	})
}

// TestOverdueListHoldsOnlyApplicationsWithTheAuthorityPastTheirDate: a deficient application's
// clock is paused, so it is not overdue however old; a submitted one is once its date passed.
func TestOverdueListHoldsOnlyApplicationsWithTheAuthorityPastTheirDate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		old, paused := f.submitted(t), f.submitted(t)
		must[*licensing.Application](t)(f.svc.NoteDeficiency(ctx, operator, paused.ID, "missing accounts", nil))
		f.clock.Set(t0.Add(20 * day))
		recent := f.submitted(t)
		for _, tt := range []struct {
			name string
			at   time.Time
			want []string
		}{
			{"on the decision date nothing is overdue", t0.Add(30 * day), nil},
			{"the day after, the oldest is", t0.Add(31 * day), []string{old.ID}},
			{"after the recent one's date, both are", t0.Add(51 * day), []string{old.ID, recent.ID}},
		} {
			f.clock.Set(tt.at)
			p := must[service.Page[*licensing.Application]](t)(f.svc.ListApplications(ctx, operator, service.ApplicationQuery{Overdue: true}))
			var got []string
			for _, a := range p.Items {
				got = append(got, a.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: overdue %v, want %v", tt.name, got, tt.want)
			}
		}
	})
}

// TestADraftCanNameOnlyItsOwnTenantsCompany: editing a draft to a registration number another
// tenant applied under is a conflict and changes nothing; a number nobody holds is claimed.
func TestADraftCanNameOnlyItsOwnTenantsCompany(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		other := licensing.Principal{Subject: "bob", Role: audit.RoleTenant, TenantID: "0195b3c0-0000-7000-8000-00000000000b"}
		theirs := input()
		theirs.Applicant.RegistrationNumber = "0099999"
		must[*licensing.Application](t)(f.svc.CreateApplication(ctx, other, theirs))
		a := must[*licensing.Application](t)(f.svc.CreateApplication(ctx, owner, input()))

		if _, err := f.svc.UpdateApplication(ctx, owner, a.ID, theirs); !errors.Is(err, store.ErrRegistrationTaken) {
			t.Errorf("naming the other tenant's company: err %v, want ErrRegistrationTaken", err)
		}
		if got := must[*licensing.Application](t)(f.svc.GetApplication(ctx, owner, a.ID)); got.Applicant.RegistrationNumber != "0012345" || got.Version != 1 {
			t.Errorf("the refused edit was written: %s version %d", got.Applicant.RegistrationNumber, got.Version)
		}
		fresh := input()
		fresh.Applicant.RegistrationNumber = "0055555"
		if got, err := f.svc.UpdateApplication(ctx, owner, a.ID, fresh); err != nil || got.Applicant.RegistrationNumber != "0055555" {
			t.Errorf("naming a new company: %v, %v", got, err)
		}
		if _, err := f.svc.UpdateApplication(ctx, other, must[*licensing.Application](t)(f.svc.CreateApplication(ctx, other, theirs)).ID, fresh); !errors.Is(err, store.ErrRegistrationTaken) {
			t.Errorf("the number the edit claimed is the owner's now: err %v, want ErrRegistrationTaken", err)
		}
	})
}
