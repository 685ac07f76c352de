package service_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// site is a notified zone with a 4,000 m² plot carrying a building with one 250 m² unit, and
// a bare 2,000 m² plot.
type site struct {
	zone       *zoning.Zone
	dev        service.Principal
	plot, bare *zoning.Plot
	unit       *zoning.Unit
}

func (f fixture) site(t *testing.T, code string) site {
	t.Helper()
	ctx := context.Background()
	z := f.zone(t, code)
	dev := developer(z.ID)
	p := must[*zoning.Plot](t)(f.svc.CreatePlot(ctx, dev, z.ID, undrawnInput("A-1", 4000)))
	bare := must[*zoning.Plot](t)(f.svc.CreatePlot(ctx, dev, z.ID, undrawnInput("B-1", 2000)))
	b := must[*zoning.Building](t)(f.svc.RegisterBuilding(ctx, dev, p.ID, zoning.BuildingInput{Name: "Tower", Floors: 4}))
	u := must[*zoning.Unit](t)(f.svc.RegisterUnit(ctx, dev, b.ID, zoning.UnitInput{Floor: 1, AreaM2: "250", Use: "office"}))
	return site{zone: z, dev: dev, plot: p, bare: bare, unit: u}
}

// TestARequestBecomesALease follows a tenant's request from submission to lease: the licence
// projection decides who may ask, an offer is checked against the space's leases, two offers
// of one space may be out at once and the first acceptance wins, and every step publishes its
// event at the aggregate's new version.
func TestARequestBecomesALease(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		s := f.site(t, "ISB")
		unit := unitRef(s.unit.ID)

		_, err := f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: unit})
		wantKind(t, "a tenant without a licence", err, leasing.ErrLicenceNotActive, "ISB")
		f.grant(t, tenantA, "LHR") // a licence for another zone does not count
		_, err = f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: unit})
		wantKind(t, "a tenant licensed elsewhere", err, leasing.ErrLicenceNotActive)
		licence := f.grant(t, tenantA, "ISB")

		_, err = f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{})
		wantFields(t, "an empty request", err, "zone_id", "space")
		_, err = f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: unitRef(service.NewID())})
		wantFields(t, "an unknown unit", err, "space.id")
		_, err = f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: service.NewID(), Space: unit})
		wantFields(t, "an unknown zone", err, "zone_id")
		_, err = f.svc.SubmitRequest(ctx, s.dev, leasing.RequestInput{ZoneID: s.zone.ID, Space: unit})
		wantKind(t, "a developer asking for space", err, fault.ErrForbidden)

		since := f.outboxLen(t)
		r1 := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: unit}))
		r2 := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID,
			Requirements: &leasing.RequirementsInput{LandUse: "it_park", MinAreaM2: 200, MaxAreaM2: ptr(300.0)}}))
		if r1.LicenceID != licence || r1.Status != leasing.RequestSubmitted {
			t.Errorf("request %+v", r1)
		}

		_, err = f.svc.OfferSpace(ctx, developer("elsewhere"), r1.ID, service.OfferInput{Space: *unit, Terms: offerTerms("2026-04-01", 12)})
		wantKind(t, "a developer of another zone offering", err, fault.ErrNotFound)
		_, err = f.svc.OfferSpace(ctx, s.dev, r1.ID, service.OfferInput{Space: leasing.SpaceRefInput{Kind: "shed"},
			Terms: leasing.TermsInput{TermMonths: 12, NoticeMonths: 24}})
		wantKind(t, "a bad offer", err, fault.ErrInvalid)
		var v *fault.ValidationError
		if errors.As(err, &v) && len(v.Fields) < 5 {
			t.Errorf("a bad offer names only %v", v.Fields)
		}
		_, err = f.svc.OfferSpace(ctx, s.dev, r2.ID, service.OfferInput{Space: *plotRef(s.bare.ID), Terms: offerTerms("2026-04-01", 12)})
		wantKind(t, "offering less than asked for", err, leasing.ErrSpaceMismatch)

		terms := offerTerms("2026-04-01", 12)
		must[*leasing.Request](t)(f.svc.OfferSpace(ctx, s.dev, r1.ID, service.OfferInput{Space: *unit, Terms: terms}))
		must[*leasing.Request](t)(f.svc.OfferSpace(ctx, s.dev, r2.ID, service.OfferInput{Space: *unit, Terms: offerTerms("2026-06-01", 12)}))
		l := must[*leasing.Lease](t)(f.svc.AcceptOffer(ctx, alice, r1.ID))
		if l.Status != leasing.LeaseActive || l.Space.ID != s.unit.ID || l.PlotID != s.plot.ID || l.End.String() != "2027-03-31" || l.LandLease {
			t.Errorf("lease %+v", l)
		}
		evs := f.events(t, since)
		want := []string{"request.submitted", "request.submitted", "request.offered", "request.offered", "request.accepted", "lease.signed"}
		if !slices.Equal(types(evs), want) {
			t.Fatalf("events %v, want %v", types(evs), want)
		}
		if evs[4].Aggregate != r1.ID || evs[4].Version != 3 || evs[5].Aggregate != l.ID || evs[5].Version != 1 {
			t.Errorf("acceptance events %+v", evs[4:])
		}
		if signed := evs[5].Payload.(allocation.LeaseSigned); signed.AreaM2 != 250 || signed.LandUse != "it_park" || signed.TenantID != tenantA {
			t.Errorf("lease.signed %+v", signed)
		}

		// The second offer is outstanding, but its space is taken now.
		since = f.outboxLen(t)
		_, err = f.svc.AcceptOffer(ctx, alice, r2.ID)
		wantKind(t, "accepting an offer of a space leased meanwhile", err, leasing.ErrOverlap, l.ID)
		if got := must[*leasing.Request](t)(f.svc.GetRequest(ctx, alice, r2.ID)); got.Status != leasing.RequestOffered {
			t.Errorf("the refused acceptance left the request %s", got.Status)
		}
		if n := f.outboxLen(t); n != since {
			t.Errorf("a refused acceptance published %d events", n-since)
		}
		// An offer of the space, or of its plot as land, over a leased period is refused.
		r3 := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: plotRef(s.plot.ID)}))
		_, err = f.svc.OfferSpace(ctx, s.dev, r3.ID, service.OfferInput{Space: *plotRef(s.plot.ID), Terms: offerTerms("2026-09-01", 24)})
		wantKind(t, "offering the plot of a leased unit as land", err, leasing.ErrPlotHasUnitLeases, l.ID)
		_, err = f.svc.WithdrawPlot(ctx, s.dev, s.plot.ID, "road")
		wantKind(t, "withdrawing land under leased space", err, zoning.ErrLeased)

		since = f.outboxLen(t)
		must[*leasing.Request](t)(f.svc.DeclineOffer(ctx, alice, r2.ID, "found another"))
		must[*leasing.Request](t)(f.svc.WithdrawRequest(ctx, alice, r3.ID, ""))
		evs = f.events(t, since)
		if !slices.Equal(types(evs), []string{"request.declined", "request.withdrawn"}) || evs[0].Version != 3 || evs[1].Version != 2 {
			t.Errorf("decline and withdrawal events %+v", evs)
		}
		if d := evs[0].Payload.(allocation.RequestDeclined); d.Reason != "found another" {
			t.Errorf("request.declined %+v", d)
		}
		_, err = f.svc.AcceptOffer(ctx, alice, r2.ID)
		wantKind(t, "accepting a declined offer", err, fault.ErrConflict, "declined")
		_, err = f.svc.GetRequest(ctx, bob, r1.ID)
		wantKind(t, "another tenant's request", err, fault.ErrNotFound)
		if got := must[*leasing.Lease](t)(f.svc.GetLease(ctx, s.dev, l.ID)); got.ID != l.ID {
			t.Errorf("developer reads %+v", got)
		}

		occ := must[leasing.Occupancy](t)(f.svc.Occupancy(ctx, viewer, s.zone.ID))
		if occ.TotalAreaM2 != 6000 || occ.LeasedAreaM2 != 4000 || occ.UnitsLeased != 1 || occ.RequestsWaiting != 0 {
			t.Errorf("occupancy %+v", occ)
		}

		// A suspended licence stops new requests.
		f.applyLicence(t, service.LicenceChange{LicenceID: licence, Version: 2, Status: leasing.LicenceSuspended, At: t0})
		_, err = f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: plotRef(s.bare.ID)})
		wantKind(t, "a tenant whose licence is suspended", err, leasing.ErrLicenceNotActive, "suspended")
	})
}

// TestConcurrentAcceptancesThroughTheService: twenty offers of one unit over overlapping
// periods, accepted at once: one lease, nineteen conflicts naming it.
func TestConcurrentAcceptancesThroughTheService(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		s := f.site(t, "ISB")
		f.grant(t, tenantA, "ISB")
		var ids []string
		for i := range 20 {
			r := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: unitRef(s.unit.ID)}))
			start := time.Date(2026, 4, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			must[*leasing.Request](t)(f.svc.OfferSpace(ctx, s.dev, r.ID, service.OfferInput{Space: *unitRef(s.unit.ID), Terms: offerTerms(start, 6)}))
			ids = append(ids, r.ID)
		}
		var wg sync.WaitGroup
		results := make([]error, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = f.svc.AcceptOffer(ctx, alice, id)
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range results {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, leasing.ErrOverlap):
				t.Errorf("a losing acceptance: %v, want an overlap", err)
			}
		}
		page := must[service.Page[*leasing.Lease]](t)(f.svc.ListLeases(ctx, operator, service.LeaseQuery{Zone: s.zone.ID}))
		if wins != 1 || len(page.Items) != 1 {
			t.Errorf("%d acceptances won, %d leases; want 1 and 1", wins, len(page.Items))
		}
	})
}

// TestLeasesEndOnNoticeAndRecordMilestones: notice needs a reason and a real date and ends the
// lease after its notice period; construction milestones belong to land leases.
func TestLeasesEndOnNoticeAndRecordMilestones(t *testing.T) {
	sqliteOnly(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		s := f.site(t, "ISB")
		f.grant(t, tenantA, "ISB")
		land := f.lease(t, s.dev, s.zone.ID, plotRef(s.bare.ID), offerTerms("2026-04-01", 60))
		unit := f.lease(t, s.dev, s.zone.ID, unitRef(s.unit.ID), offerTerms("2026-04-01", 12))
		if !land.LandLease || land.ConstructionStartDue.String() != "2027-03-31" {
			t.Fatalf("land lease %+v", land)
		}

		f.clock.Set(time.Date(2026, 5, 1, 5, 0, 0, 0, time.UTC))
		_, err := f.svc.RecordMilestone(ctx, s.dev, unit.ID, service.MilestoneInput{Milestone: "construction_started", On: "2026-04-15"})
		wantKind(t, "a milestone of a unit lease", err, leasing.ErrNotLandLease)
		_, err = f.svc.RecordMilestone(ctx, s.dev, land.ID, service.MilestoneInput{Milestone: "groundbreaking", On: "15/04/2026"})
		wantFields(t, "a bad milestone", err, "milestone", "on")
		_, err = f.svc.RecordMilestone(ctx, alice, land.ID, service.MilestoneInput{Milestone: "construction_started", On: "2026-04-15"})
		wantKind(t, "a tenant recording a milestone", err, fault.ErrForbidden)
		since := f.outboxLen(t)
		got := must[*leasing.Lease](t)(f.svc.RecordMilestone(ctx, s.dev, land.ID, service.MilestoneInput{Milestone: "construction_started", On: "2026-04-15"}))
		if got.ConstructionStarted.String() != "2026-04-15" {
			t.Errorf("milestone %+v", got.ConstructionStarted)
		}

		_, err = f.svc.TerminateLease(ctx, s.dev, unit.ID, service.TerminateInput{Reason: " ", NoticeGivenOn: "2026-02-30"})
		wantFields(t, "a bad notice", err, "notice_given_on")
		_, err = f.svc.TerminateLease(ctx, s.dev, unit.ID, service.TerminateInput{})
		wantFields(t, "notice without a reason", err, "reason")
		_, err = f.svc.TerminateLease(ctx, s.dev, unit.ID, service.TerminateInput{Reason: "tenant moves out", NoticeGivenOn: "2026-06-01"})
		wantFields(t, "notice dated tomorrow and later", err, "notice_given_on")
		ended := must[*leasing.Lease](t)(f.svc.TerminateLease(ctx, s.dev, unit.ID, service.TerminateInput{Reason: "tenant moves out"}))
		if ended.Status != leasing.LeaseTerminating || ended.EndsOn.String() != "2026-08-01" {
			t.Errorf("under notice %s until %v", ended.Status, ended.EndsOn)
		}
		evs := f.events(t, since)
		if !slices.Equal(types(evs), []string{"lease.milestone_recorded", "lease.terminating"}) {
			t.Fatalf("events %v", types(evs))
		}
		if term := evs[1].Payload.(allocation.LeaseTerminating); term.Cause != "notice" || term.NoticeGivenOn.String() != "2026-05-01" ||
			term.EndsOn.String() != "2026-08-01" || term.Reason != "tenant moves out" || term.Actor == nil || evs[1].Version != 2 {
			t.Errorf("lease.terminating %+v (version %d)", term, evs[1].Version)
		}
		_, err = f.svc.TerminateLease(ctx, s.dev, unit.ID, service.TerminateInput{Reason: "again"})
		wantKind(t, "notice twice", err, fault.ErrConflict, "terminating")
	})
}

// TestSweepExpiresOffersEndsLeasesAndReportsIdleLand runs the calendar: nothing before the
// days pass, then each due record changes once, with its event, as the system.
func TestSweepExpiresOffersEndsLeasesAndReportsIdleLand(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		s := f.site(t, "ISB")
		f.grant(t, tenantA, "ISB")
		land := f.lease(t, s.dev, s.zone.ID, plotRef(s.bare.ID), offerTerms("2026-04-01", 24))
		unit := f.lease(t, s.dev, s.zone.ID, unitRef(s.unit.ID), offerTerms("2026-04-01", 12))
		r := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: plotRef(s.plot.ID)}))
		must[*leasing.Request](t)(f.svc.OfferSpace(ctx, s.dev, r.ID, service.OfferInput{Space: *plotRef(s.plot.ID), Terms: offerTerms("2027-04-01", 12)}))

		pk := func(s string) time.Time {
			t.Helper()
			return must[time.Time](t)(time.ParseInLocation("2006-01-02 15:04", s, civil.PakistanStandardTime()))
		}
		sweep := func(at string, want service.SweepReport) []published {
			t.Helper()
			f.clock.Set(pk(at))
			since := f.outboxLen(t)
			got := must[service.SweepReport](t)(f.svc.Sweep(ctx))
			if got != want {
				t.Errorf("sweep at %s: %+v, want %+v", at, got, want)
			}
			return f.events(t, since)
		}
		sweep("2026-03-20 23:59", service.SweepReport{})
		evs := sweep("2026-03-21 00:00", service.SweepReport{OffersExpired: 1})
		if len(evs) != 1 || evs[0].Type != "request.expired" || evs[0].Aggregate != r.ID {
			t.Fatalf("expiry events %+v", evs)
		}
		if exp := evs[0].Payload.(allocation.RequestExpired); exp.Actor == nil || exp.Actor.Role != values.RoleSystem || exp.OfferValidUntil.String() != "2026-03-20" {
			t.Errorf("request.expired %+v", exp)
		}
		sweep("2027-03-31 23:00", service.SweepReport{})
		evs = sweep("2027-04-01 09:00", service.SweepReport{LeasesEnded: 1, SpacesIdled: 1})
		if !slices.Equal(types(evs), []string{"lease.ended", "lease.space_idle"}) {
			t.Fatalf("events %v", types(evs))
		}
		if end := evs[0].Payload.(allocation.LeaseEnded); end.LeaseID != unit.ID || end.Cause != "term_end" || end.EndedOn.String() != "2027-03-31" {
			t.Errorf("lease.ended %+v", end)
		}
		if idle := evs[1].Payload.(allocation.LeaseSpaceIdle); idle.LeaseID != land.ID || idle.MissedMilestone != "construction_start" ||
			idle.Due.String() != "2027-03-31" || idle.LicenceID != land.LicenceID {
			t.Errorf("lease.space_idle %+v", idle)
		}
		sweep("2027-04-02 09:00", service.SweepReport{})

		idle := must[service.Page[*leasing.Lease]](t)(f.svc.ListLeases(ctx, s.dev, service.LeaseQuery{Idle: true}))
		if len(idle.Items) != 1 || idle.Items[0].ID != land.ID || !idle.Items[0].Idle {
			t.Errorf("idle leases %v", idle.Items)
		}
		occ := must[leasing.Occupancy](t)(f.svc.Occupancy(ctx, viewer, s.zone.ID))
		if occ.IdleSpaces != 1 || occ.LeasedAreaM2 != 2000 || occ.UnitsFree != 1 {
			t.Errorf("occupancy %+v", occ)
		}
	})
}

// TestListsShowEachCallerItsOwn: tenants list their own requests and leases, developers those
// of their zones, the authority's readers everything.
func TestListsShowEachCallerItsOwn(t *testing.T) {
	sqliteOnly(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		isb, lhr := f.site(t, "ISB"), f.site(t, "LHR")
		f.grant(t, tenantA, "ISB")
		f.grant(t, tenantB, "LHR")
		ra := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: isb.zone.ID, Space: plotRef(isb.bare.ID)}))
		rb := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, bob, leasing.RequestInput{ZoneID: lhr.zone.ID, Space: plotRef(lhr.bare.ID)}))
		ids := func(p service.Page[*leasing.Request], err error) []string {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range p.Items {
				out = append(out, r.ID)
			}
			return out
		}
		for _, tt := range []struct {
			name string
			p    service.Principal
			q    service.RequestQuery
			want []string
		}{
			{"alice", alice, service.RequestQuery{}, []string{ra.ID}},
			{"bob in ISB", bob, service.RequestQuery{Zone: isb.zone.ID}, nil},
			{"the ISB developer", isb.dev, service.RequestQuery{}, []string{ra.ID}},
			{"a developer of both", developer(isb.zone.ID, lhr.zone.ID), service.RequestQuery{}, []string{ra.ID, rb.ID}},
			{"a viewer", viewer, service.RequestQuery{Statuses: []leasing.RequestStatus{leasing.RequestSubmitted}}, []string{ra.ID, rb.ID}},
			{"the operator in LHR", operator, service.RequestQuery{Zone: lhr.zone.ID}, []string{rb.ID}},
		} {
			if got := ids(f.svc.ListRequests(ctx, tt.p, tt.q)); !slices.Equal(got, tt.want) {
				t.Errorf("%s sees %v, want %v", tt.name, got, tt.want)
			}
		}
		_, err := f.svc.ListRequests(ctx, isb.dev, service.RequestQuery{Zone: lhr.zone.ID})
		wantKind(t, "a developer listing another zone", err, fault.ErrForbidden)
		_, err = f.svc.ListRequests(ctx, viewer, service.RequestQuery{Statuses: []leasing.RequestStatus{"pending"}})
		wantFields(t, "a bad status", err, "statuses[0]")
		leases := must[service.Page[*leasing.Lease]](t)(f.svc.ListLeases(ctx, alice, service.LeaseQuery{TenantID: tenantB}))
		if len(leases.Items) != 0 {
			t.Errorf("alice lists bob's leases: %v", leases.Items)
		}
	})
}

func ptr[T any](v T) *T { return &v }
