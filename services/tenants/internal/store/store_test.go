package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/envelope"
	ev "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/work/worktest"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
)

// day is a calendar day in zone time (Pakistan keeps no daylight saving).
const day = 24 * time.Hour

var (
	// t0 is 10:00 in Islamabad on 2 March 2026.
	t0       = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)
	policy   = licensing.DefaultPolicy()
	operator = licensing.Actor{Subject: "olivia", Role: audit.RoleOperator}
	tenantA  = "0195b3c0-0000-7000-8000-00000000000a"
	tenantB  = "0195b3c0-0000-7000-8000-00000000000b"
)

// forEachDialect runs fn with a fresh, migrated store per backend.
func forEachDialect(t *testing.T, fn func(t *testing.T, st *store.Store, d *db.DB)) {
	worktest.ForEachDialect(t, func(d *db.DB) *store.Store { return store.New(d, nil) }, fn, store.Migrations)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// draft is a valid application of tenant in zone under registration number reg, created at.
func draft(t *testing.T, tenant, reg, zone string, kind licensing.Kind, at time.Time) *licensing.Application {
	t.Helper()
	d, err := licensing.ParseApplication(licensing.ApplicationInput{
		Applicant: licensing.ApplicantInput{
			LegalName: "Margalla Robotics (Pvt) Ltd", RegistrationNumber: reg, TaxNumber: "1234567-8", Country: "PK",
			Contact: licensing.ContactInput{Name: "Ayesha Khan", Email: "ayesha@margalla.example.pk", Phone: "+92 51 1234567"},
		},
		Kind: string(kind), Zone: zone, Sector: "ai",
		Commitments: licensing.CommitmentsInput{
			Headcount:  40,
			Investment: licensing.MoneyInput{AmountMinor: 1_000_000_00, Currency: "PKR"},
			Exports:    licensing.MoneyInput{AmountMinor: 0, Currency: "PKR"},
			RnDSpend:   licensing.MoneyInput{AmountMinor: 10_000_00, Currency: "PKR"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := licensing.NewApplication(newID(), tenant, d, at, licensing.Actor{Subject: "alice", Role: audit.RoleTenant})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func regOf(tenant string) string { return "REG-" + strings.ToUpper(tenant[len(tenant)-1:]) }

// create stores a draft of tenant in zone created at.
func create(t *testing.T, st *store.Store, tenant, zone string, at time.Time) *licensing.Application {
	t.Helper()
	a := draft(t, tenant, regOf(tenant), zone, licensing.KindZoneEnterprise, at)
	if err := st.CreateApplication(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// submit submits a stored application at the given time, with an event: the store does not
// read events, so any valid one stands in for the service's.
func submit(t *testing.T, st *store.Store, id string, at time.Time) *licensing.Application {
	t.Helper()
	a, err := update(context.Background(), st, id, func(a *licensing.Application) ([]envelope.Envelope, error) {
		if err := a.Submit(at, licensing.Actor{Subject: "alice", Role: audit.RoleTenant}, policy); err != nil {
			return nil, err
		}
		return one(t, ev.ApplicationWithdrawn{ApplicationID: a.ID, Actor: values.Actor{Subject: "alice", Role: values.RoleTenant}}, a.Version, at), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func one(t *testing.T, p events.Payload, version int64, at time.Time) []envelope.Envelope {
	t.Helper()
	e, err := events.New(p, version, at)
	if err != nil {
		t.Fatal(err)
	}
	return []envelope.Envelope{e}
}

// update changes an application in one unit of work: lock it, change it, save it and queue
// the change's events.
func update(ctx context.Context, st *store.Store, id string, change func(a *licensing.Application) ([]envelope.Envelope, error)) (*licensing.Application, error) {
	var out *licensing.Application
	err := st.Write(ctx, func(tx *store.Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		evs, err := change(a)
		if err != nil {
			return err
		}
		if err := tx.SaveApplication(ctx, a); err != nil {
			return err
		}
		out = a
		return tx.Emit(ctx, evs...)
	})
	return out, err
}

// updateLicence is update for licences.
func updateLicence(ctx context.Context, st *store.Store, id string, change func(l *licensing.Licence) ([]envelope.Envelope, error)) (*licensing.Licence, error) {
	var out *licensing.Licence
	err := st.Write(ctx, func(tx *store.Tx) error {
		l, err := tx.Licence(ctx, id)
		if err != nil {
			return err
		}
		evs, err := change(l)
		if err != nil {
			return err
		}
		if err := tx.SaveLicence(ctx, l); err != nil {
			return err
		}
		out = l
		return tx.Emit(ctx, evs...)
	})
	return out, err
}

// approve is what the service's approval does at a given time: lock the application, take
// the zone's next number for the year of at, grant the licence and store both, with an
// approved event.
func approve(ctx context.Context, st *store.Store, id string, at time.Time) (*licensing.Licence, error) {
	var l *licensing.Licence
	err := st.Write(ctx, func(tx *store.Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		year := policy.Today(at).Year
		seq, err := tx.NextLicenceNumber(ctx, a.Zone, year)
		if err != nil {
			return err
		}
		number, err := licensing.FormatLicenceNumber(a.Zone, year, seq)
		if err != nil {
			return err
		}
		if l, err = licensing.Grant(a, newID(), number, at, operator, policy); err != nil {
			return err
		}
		if err := tx.SaveApplication(ctx, a); err != nil {
			return err
		}
		if err := tx.InsertLicence(ctx, l); err != nil {
			return err
		}
		e, err := events.New(ev.ApplicationApproved{ApplicationID: a.ID, LicenceID: l.ID, Actor: values.Actor{Subject: operator.Subject, Role: values.RoleOperator}}, a.Version, at)
		if err != nil {
			return err
		}
		return tx.Emit(ctx, e)
	})
	return l, err
}

func outboxLen(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.GetContext(context.Background(), &n, `SELECT count(*) FROM outbox`); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApplicationRoundTripWritesStateAndEventsTogether(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, d *db.DB) {
		ctx := context.Background()
		a := create(t, st, tenantA, "ISB", t0)
		got, err := st.GetApplication(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Status != licensing.ApplicationDraft || got.Version != 1 || got.Applicant != a.Applicant || len(got.History) != 1 {
			t.Fatalf("read back %+v, want the draft as stored", got)
		}
		if n := outboxLen(t, d); n != 0 {
			t.Fatalf("a draft wrote %d events", n)
		}

		submitted := submit(t, st, a.ID, t0.Add(time.Hour))
		got, err = st.GetApplication(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != licensing.ApplicationSubmitted || got.Version != 2 || got.DecisionDue == nil || *got.DecisionDue != *submitted.DecisionDue {
			t.Fatalf("after submit read %+v", got)
		}
		if n := outboxLen(t, d); n != 1 {
			t.Fatalf("submit wrote %d events, want 1", n)
		}

		// A change that fails writes nothing, neither state nor events.
		boom := errors.New("boom")
		_, err = update(ctx, st, a.ID, func(a *licensing.Application) ([]envelope.Envelope, error) {
			a.Status = licensing.ApplicationRejected
			a.Version++
			return one(t, ev.ApplicationWithdrawn{ApplicationID: a.ID, Actor: values.Actor{Subject: "x", Role: values.RoleTenant}}, a.Version, t0), boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("failed change: err %v, want boom", err)
		}
		if got, _ := st.GetApplication(ctx, a.ID); got.Status != licensing.ApplicationSubmitted || got.Version != 2 {
			t.Errorf("a failed change was written: %s version %d", got.Status, got.Version)
		}
		if n := outboxLen(t, d); n != 1 {
			t.Errorf("a failed change left %d events, want 1", n)
		}

		// A change that does not move the version is refused rather than silently lost.
		_, err = update(ctx, st, a.ID, func(*licensing.Application) ([]envelope.Envelope, error) { return nil, nil })
		if !errors.Is(err, fault.ErrConflict) {
			t.Errorf("change without a new version: err %v, want a conflict", err)
		}

		for _, id := range []string{newID(), "", "a\x00b", "\xff"} {
			if _, err := st.GetApplication(ctx, id); !errors.Is(err, fault.ErrNotFound) {
				t.Errorf("GetApplication(%q): err %v, want not found", id, err)
			}
			if _, err := update(ctx, st, id, func(*licensing.Application) ([]envelope.Envelope, error) { return nil, nil }); !errors.Is(err, fault.ErrNotFound) {
				t.Errorf("UpdateApplication(%q): err %v, want not found", id, err)
			}
			if _, err := st.GetLicence(ctx, id); !errors.Is(err, fault.ErrNotFound) {
				t.Errorf("GetLicence(%q): err %v, want not found", id, err)
			}
		}
	})
}

func TestApproveStoresTheLicenceWithTheApprovedApplication(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, d *db.DB) {
		ctx := context.Background()
		a := create(t, st, tenantA, "ISB", t0)
		submit(t, st, a.ID, t0)
		l, err := approve(ctx, st, a.ID, t0.Add(day))
		if err != nil {
			t.Fatal(err)
		}
		if l.Number != "STZ-ISB-2026-0001" || l.ApplicationID != a.ID || l.TenantID != tenantA || l.Status != licensing.LicenceActive {
			t.Errorf("granted %+v", l)
		}
		got, err := st.GetLicence(ctx, l.ID)
		if err != nil || got.Number != l.Number || got.ValidUntil != l.ValidUntil || got.Version != 1 {
			t.Errorf("read back %+v, %v; want %+v", got, err, l)
		}
		app, err := st.GetApplication(ctx, a.ID)
		if err != nil || app.Status != licensing.ApplicationApproved || app.LicenceID != l.ID {
			t.Errorf("application after approval %+v, %v", app, err)
		}
		if n := outboxLen(t, d); n != 2 {
			t.Errorf("outbox holds %d events, want submit and approve", n)
		}

		// Approving again is refused by the rules and writes nothing, not even a number.
		if _, err := approve(ctx, st, a.ID, t0.Add(day)); !errors.Is(err, fault.ErrConflict) {
			t.Errorf("second approval: err %v, want a conflict", err)
		}
		b := create(t, st, tenantA, "ISB", t0)
		submit(t, st, b.ID, t0)
		if l2, err := approve(ctx, st, b.ID, t0.Add(day)); err != nil || l2.Number != "STZ-ISB-2026-0002" {
			t.Errorf("next approval: %v, %v; want STZ-ISB-2026-0002", l2, err)
		}

		// Licences change in place, with their events.
		changed, err := updateLicence(ctx, st, l.ID, func(l *licensing.Licence) ([]envelope.Envelope, error) {
			if err := l.Suspend(t0.Add(2*day), operator, "late report"); err != nil {
				return nil, err
			}
			return one(t, ev.LicenceSuspended{LicenceID: l.ID, Reason: "late report", Actor: values.Actor{Subject: operator.Subject, Role: values.RoleOperator}}, l.Version, t0), nil
		})
		if err != nil || changed.Status != licensing.LicenceSuspended || changed.Version != 2 {
			t.Fatalf("suspend: %+v, %v", changed, err)
		}
		if got, _ := st.GetLicence(ctx, l.ID); got.Status != licensing.LicenceSuspended {
			t.Errorf("stored licence is %s, want suspended", got.Status)
		}
	})
}

// TestLicenceNumbersRunWithoutGapsUnderConcurrentApprovals races 20 approvals in one zone: the
// numbers are 0001 to 0020, each once. Another zone and another year start their own sequence.
func TestLicenceNumbersRunWithoutGapsUnderConcurrentApprovals(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		ctx := context.Background()
		const n = 20
		ids := make([]string, n)
		for i := range ids {
			ids[i] = create(t, st, tenantA, "ISB", t0).ID
			submit(t, st, ids[i], t0)
		}
		numbers := make([]string, n)
		worktest.Race(n, func(i int) {
			l, err := approve(ctx, st, ids[i], t0.Add(day))
			if err != nil {
				t.Errorf("approve %s: %v", ids[i], err)
				return
			}
			numbers[i] = string(l.Number)
		})
		sort.Strings(numbers)
		for i, got := range numbers {
			if want := fmt.Sprintf("STZ-ISB-2026-%04d", i+1); got != want {
				t.Errorf("numbers %v: position %d is %q, want %q", numbers, i, got, want)
				break
			}
		}

		for _, tt := range []struct {
			name string
			zone string
			at   time.Time
			want string
		}{
			{"another zone starts at one", "LHR", t0.Add(day), "STZ-LHR-2026-0001"},
			{"the same zone next year starts at one", "ISB", time.Date(2027, 1, 1, 0, 0, 0, 0, pkt), "STZ-ISB-2027-0001"},
			{"this year's sequence carries on", "ISB", t0.Add(2 * day), "STZ-ISB-2026-0021"},
			{"the zone's year is counted in zone time", "ISB", time.Date(2026, 12, 31, 19, 30, 0, 0, time.UTC), "STZ-ISB-2027-0002"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				a := create(t, st, tenantA, tt.zone, t0)
				submit(t, st, a.ID, t0)
				l, err := approve(ctx, st, a.ID, tt.at)
				if err != nil || string(l.Number) != tt.want {
					t.Errorf("number %v, %v; want %s", l, err, tt.want)
				}
			})
		}
	})
}

var pkt = time.FixedZone("PKT", 5*60*60)

// TestRegistrationNumberBelongsToOneTenant: the first tenant to apply under a company's
// registration number owns it; another tenant using it, on create or by editing a draft, is a
// conflict and writes nothing.
func TestRegistrationNumberBelongsToOneTenant(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, d *db.DB) {
		ctx := context.Background()
		create(t, st, tenantA, "ISB", t0) // claims REG-a
		withEvent := func(a *licensing.Application) []envelope.Envelope {
			return one(t, ev.ApplicationWithdrawn{ApplicationID: a.ID, Actor: values.Actor{Subject: "alice", Role: values.RoleTenant}}, a.Version, t0)
		}
		again := draft(t, tenantA, regOf(tenantA), "LHR", licensing.KindCoDeveloper, t0)
		if err := st.CreateApplication(ctx, again, withEvent(again)...); err != nil {
			t.Errorf("the owner applying again: %v", err)
		}
		taken := draft(t, tenantB, regOf(tenantA), "ISB", licensing.KindZoneEnterprise, t0)
		if err := st.CreateApplication(ctx, taken, withEvent(taken)...); !errors.Is(err, store.ErrRegistrationTaken) || !errors.Is(err, fault.ErrConflict) {
			t.Errorf("another tenant using it: err %v, want ErrRegistrationTaken (a conflict)", err)
		}
		if n := outboxLen(t, d); n != 1 {
			t.Errorf("%d events queued, want 1: the refused create queues none", n)
		}
		theirs := create(t, st, tenantB, "ISB", t0) // claims REG-b
		err := st.Write(ctx, func(tx *store.Tx) error {
			a, err := tx.Application(ctx, theirs.ID)
			if err != nil {
				return err
			}
			next := a.Draft()
			next.Applicant.RegistrationNumber = regOf(tenantA)
			if err := a.Update(t0.Add(time.Hour), licensing.Actor{Subject: "bob", Role: audit.RoleTenant}, next); err != nil {
				return err
			}
			if err := tx.ClaimRegistration(ctx, a); err != nil {
				return err
			}
			return tx.SaveApplication(ctx, a)
		})
		if !errors.Is(err, store.ErrRegistrationTaken) {
			t.Errorf("another tenant editing its draft to use it: err %v, want ErrRegistrationTaken", err)
		}
		if got, _ := st.GetApplication(ctx, theirs.ID); got.Applicant.RegistrationNumber != regOf(tenantB) || got.Version != 1 {
			t.Errorf("the refused edit was written: %+v", got.Applicant)
		}
		var apps, owners int
		if err := d.GetContext(ctx, &apps, `SELECT count(*) FROM applications`); err != nil {
			t.Fatal(err)
		}
		if err := d.GetContext(ctx, &owners, `SELECT count(*) FROM applicants`); err != nil {
			t.Fatal(err)
		}
		if apps != 3 || owners != 2 {
			t.Errorf("%d applications and %d applicants, want 3 and 2", apps, owners)
		}
	})
}

// TestANewRegistrationNumberRacedForGoesToOneTenant: tenants creating their first application
// under the same new number at once get it claimed for exactly one of them; the others are
// refused as a conflict and write nothing.
func TestANewRegistrationNumberRacedForGoesToOneTenant(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, d *db.DB) {
		ctx := context.Background()
		tenants := []string{tenantA, tenantB, "0195b3c0-0000-7000-8000-00000000000c", "0195b3c0-0000-7000-8000-00000000000d"}
		for round := range 5 {
			reg := fmt.Sprintf("RACE-%d", round)
			errs := make(chan error, len(tenants))
			worktest.Race(len(tenants), func(i int) {
				errs <- st.CreateApplication(ctx, draft(t, tenants[i], reg, "ISB", licensing.KindZoneEnterprise, t0))
			})
			close(errs)
			won := 0
			for err := range errs {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, store.ErrRegistrationTaken):
					t.Errorf("%s: %v, want success or ErrRegistrationTaken", reg, err)
				}
			}
			var apps int
			if err := d.GetContext(ctx, &apps, d.Rebind(`SELECT count(*) FROM applications WHERE registration_number = ?`), reg); err != nil {
				t.Fatal(err)
			}
			if won != 1 || apps != 1 {
				t.Errorf("%s: %d creates succeeded and %d applications stored, want 1 and 1", reg, won, apps)
			}
		}
	})
}

// TestListsPageThroughEveryMatchingRowOnce pages through every filter with a small limit: the
// pages together hold each matching row exactly once, in queue order.
func TestListsPageThroughEveryMatchingRowOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		ctx := context.Background()
		var all []*licensing.Application
		for i := range 23 {
			tenant, zone := tenantA, "ISB"
			if i%3 == 0 {
				tenant = tenantB
			}
			if i%2 == 0 {
				zone = "LHR"
			}
			// Several share a creation time, so the id breaks ties.
			a := create(t, st, tenant, zone, t0.Add(time.Duration(i/4)*time.Minute))
			if i%4 == 0 {
				a = submit(t, st, a.ID, t0.Add(time.Duration(i)*time.Hour))
			}
			all = append(all, a)
		}
		// The queue order: first submission, or creation for drafts; then id.
		queued := func(a *licensing.Application) time.Time {
			if a.SubmittedAt != nil {
				return *a.SubmittedAt
			}
			return a.CreatedAt
		}
		slices.SortFunc(all, func(a, b *licensing.Application) int {
			if c := queued(a).Compare(queued(b)); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		tests := []struct {
			name   string
			filter store.ApplicationFilter
			keep   func(a *licensing.Application) bool
		}{
			{"everything", store.ApplicationFilter{}, func(*licensing.Application) bool { return true }},
			{"one tenant", store.ApplicationFilter{TenantID: tenantB}, func(a *licensing.Application) bool { return a.TenantID == tenantB }},
			{"one status", store.ApplicationFilter{Statuses: []licensing.ApplicationStatus{licensing.ApplicationSubmitted}},
				func(a *licensing.Application) bool { return a.Status == licensing.ApplicationSubmitted }},
			{"several statuses", store.ApplicationFilter{Statuses: []licensing.ApplicationStatus{licensing.ApplicationSubmitted, licensing.ApplicationDraft}},
				func(*licensing.Application) bool { return true }},
			{"one zone", store.ApplicationFilter{Zone: "ISB"}, func(a *licensing.Application) bool { return a.Zone == "ISB" }},
			{"tenant and zone", store.ApplicationFilter{TenantID: tenantA, Zone: "LHR"}, func(a *licensing.Application) bool { return a.TenantID == tenantA && a.Zone == "LHR" }},
			{"a kind nobody applied for", store.ApplicationFilter{Kind: string(licensing.KindZoneDeveloper)}, func(*licensing.Application) bool { return false }},
			{"overdue on a day after some decision dates", store.ApplicationFilter{OverdueOn: t0.Add(31 * day).In(pkt).Format(time.DateOnly)},
				func(a *licensing.Application) bool {
					return a.DecisionDue != nil && a.DecisionDue.String() < t0.Add(31*day).In(pkt).Format(time.DateOnly)
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var want []string
				for _, a := range all {
					if tt.keep(a) {
						want = append(want, a.ID)
					}
				}
				for _, limit := range []int{1, 4, 500} {
					var got []string
					f := tt.filter
					f.Limit = limit
					for pages := 0; ; pages++ {
						items, next, err := st.ListApplications(ctx, f)
						if err != nil {
							t.Fatal(err)
						}
						if len(items) > limit {
							t.Fatalf("limit %d: a page of %d", limit, len(items))
						}
						for _, a := range items {
							got = append(got, a.ID)
						}
						if next == "" {
							break
						}
						if pages > 30 {
							t.Fatal("the cursor never ends")
						}
						f.Cursor = next
					}
					if !slices.Equal(got, want) {
						t.Errorf("limit %d: listed %d rows %v\nwant %d rows %v", limit, len(got), got, len(want), want)
					}
				}
			})
		}

		for _, c := range []string{"!!!", "bm9waXBl", "fA", "_w"} {
			if _, _, err := st.ListApplications(ctx, store.ApplicationFilter{Cursor: c}); !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("cursor %q: err %v, want invalid input", c, err)
			}
			if _, _, err := st.ListLicences(ctx, store.LicenceFilter{Cursor: c}); !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("licence cursor %q: err %v, want invalid input", c, err)
			}
		}
	})
}

// TestLicenceListAndCountsFollowStatus lists licences by status and counts every status for
// the gauges, including applications past their decision date.
func TestLicenceListAndCountsFollowStatus(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		ctx := context.Background()
		var licences []*licensing.Licence
		for i := range 5 {
			a := create(t, st, tenantA, "ISB", t0)
			submit(t, st, a.ID, t0)
			l, err := approve(ctx, st, a.ID, t0.Add(time.Duration(i)*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			licences = append(licences, l)
		}
		suspended := licences[1]
		if _, err := updateLicence(ctx, st, suspended.ID, func(l *licensing.Licence) ([]envelope.Envelope, error) {
			return nil, l.Suspend(t0.Add(day), operator, "late report")
		}); err != nil {
			t.Fatal(err)
		}
		create(t, st, tenantB, "LHR", t0) // a draft
		late := create(t, st, tenantB, "LHR", t0)
		submit(t, st, late.ID, t0) // due on day 30
		onTime := create(t, st, tenantB, "LHR", t0)
		submit(t, st, onTime.ID, t0.Add(20*day)) // due on day 50
		today := t0.Add(40 * day).In(pkt).Format(time.DateOnly)

		items, next, err := st.ListLicences(ctx, store.LicenceFilter{Statuses: []licensing.LicenceStatus{licensing.LicenceSuspended}})
		if err != nil || next != "" || len(items) != 1 || items[0].ID != suspended.ID {
			t.Errorf("suspended licences %v, %q, %v; want only %s", items, next, err, suspended.ID)
		}
		items, _, err = st.ListLicences(ctx, store.LicenceFilter{TenantID: tenantA, Zone: "ISB", Kind: string(licensing.KindZoneEnterprise), Limit: 3})
		if err != nil || len(items) != 3 || items[0].ID != licences[0].ID {
			t.Errorf("first page of tenant-a's licences: %d items, %v", len(items), err)
		}

		c, err := st.Count(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		wantApps := map[string]int{"approved": 5, "draft": 1, "submitted": 2}
		wantLics := map[string]int{"active": 4, "suspended": 1}
		if !maps.Equal(c.Applications, wantApps) || !maps.Equal(c.Licences, wantLics) || c.Overdue != 1 {
			t.Errorf("Count = %+v, want applications %v, licences %v, overdue 1", c, wantApps, wantLics)
		}
	})
}
