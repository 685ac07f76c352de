package allocation_test

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
)

// published waits until the relay has published every event written so far (the outbox is
// empty) and returns them all, so that a later call shows exactly what came after.
func (e *env) published(t *testing.T) []apitest.Event {
	t.Helper()
	return e.Events(t, e.Settled(t))
}

// TestTheCalendarRunsByItself runs the sweep loop as the process does (Service.Run), driven by
// ticks on the test clock: an offer lapses the day after its last valid day, a lease ends the
// day after its last day, and a land lease whose construction has not started by its due date
// idles the plot; each once, with its event, and nothing changes on the last good day.
func TestTheCalendarRunsByItself(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		s := e.site(t)
		e.licensed(t, tenantA, "ISB")
		e.licensed(t, tenantB, "ISB")
		unitLease := e.leased(t, owner, s.zone.ID, spaceRef{Kind: "unit", ID: e.unit(t, s.building).ID}, terms(0, 12, 0))
		plot := e.drawnPlot(t, s.zone.ID, e.name("P-"), "it_park")
		landLease := e.leased(t, stranger, s.zone.ID, spaceRef{Kind: "plot", ID: plot.ID}, terms(0, 120, 0))
		offer := e.offered(t, owner, s.zone.ID, spaceRef{Kind: "unit", ID: e.unit(t, s.building).ID}, terms(30, 12, 5))
		if unitLease.End != landLease.ConstructionStartDue {
			t.Fatalf("unit lease ends %s, construction due %s: the test wants one day for both", unitLease.End, landLease.ConstructionStartDue)
		}
		requestNow := func() allocRequest {
			return decode[allocRequest](t, e.Must(t, request{Method: "GET", Path: "/v1/requests/" + offer.ID, As: &owner}, 200))
		}
		leaseOf := func(id string) lease {
			return decode[lease](t, e.Must(t, request{Method: "GET", Path: "/v1/leases/" + id, As: &operator}, 200))
		}
		idle := `zoneops_allocation_zone_idle_spaces{zone="ISB"}`

		// The offer's last valid day: still open.
		e.clock.MoveToNoon(t, date(5), pkt)
		e.Beat(t)
		if got := requestNow().Status; got != "offered" {
			t.Fatalf("on the offer's last valid day the request is %s, want offered", got)
		}
		before := len(e.published(t))

		// The day after: lapsed, once.
		e.clock.Advance(day)
		e.Beat(t)
		e.Beat(t) // a second sweep must find nothing more to do
		if got := requestNow().Status; got != "expired" {
			t.Errorf("the day after the offer's last valid day the request is %s, want expired", got)
		}
		evs := e.published(t)[before:]
		if got := types(evs); len(got) != 1 || got[0] != "request.expired.v1" || evs[0].Env.AggregateID != offer.ID {
			t.Errorf("events of the lapse: %v, want one request.expired.v1 of %s", got, offer.ID)
		}
		before += len(evs)

		// The lease's last day and the construction due date: nothing yet.
		e.clock.MoveToNoon(t, unitLease.End, pkt)
		e.Beat(t)
		if got := leaseOf(unitLease.ID).Status; got != "active" {
			t.Errorf("on its last day the unit lease is %s, want active", got)
		}
		if got := apitest.Sample(t, e.Scrape(t), idle); got != "0" {
			t.Errorf("on the construction due date %s = %s, want 0", idle, got)
		}

		// The day after: the unit lease has ended and the plot is idle.
		e.clock.Advance(day)
		e.Beat(t)
		e.Beat(t) // a second sweep must find nothing more to do
		if got := leaseOf(unitLease.ID).Status; got != "ended" {
			t.Errorf("the day after its last day the unit lease is %s, want ended", got)
		}
		if got := apitest.Sample(t, e.Scrape(t), idle); got != "1" {
			t.Errorf("the day after the construction due date %s = %s, want 1", idle, got)
		}
		evs = e.published(t)[before:]
		byType := map[string]string{}
		for _, ev := range evs {
			byType[ev.Env.Type] = ev.Env.AggregateID
		}
		if len(evs) != 2 || byType["zoneops.allocation.lease.ended.v1"] != unitLease.ID || byType["zoneops.allocation.lease.space_idle.v1"] != landLease.ID {
			t.Errorf("events of the sweep: %v, want lease.ended of %s and lease.space_idle of %s", types(evs), unitLease.ID, landLease.ID)
		}
	})
}
