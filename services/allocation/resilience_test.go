package allocation_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
)

// TestEventsAndLicencesWaitOutANATSOutage stops NATS while the service keeps taking requests:
// they succeed, readiness reports the outage, and once NATS is back every event committed
// meanwhile arrives once, in order, and the licence consumer picks up where it was (a licence
// granted after the restart lets its tenant ask for space).
func TestEventsAndLicencesWaitOutANATSOutage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		s := e.site(t)
		e.licensed(t, tenantA, "ISB")
		before := e.Settled(t)

		e.NATS.Shutdown()
		p := e.drawnPlot(t, s.zone.ID, "DARK-1", "it_park")
		u := e.unit(t, s.building)
		r := e.submitted(t, owner, s.zone.ID, spaceRef{Kind: "unit", ID: u.ID})
		if resp := e.Do(t, request{Method: "GET", Path: "/readyz"}); resp.Status != http.StatusServiceUnavailable {
			t.Errorf("/readyz with NATS down: %d, want 503: %s", resp.Status, resp.Body)
		}
		if err := e.NATS.Restart(); err != nil {
			t.Fatal(err)
		}

		// The test's own client reconnects too; the grant is published once it has.
		apitest.Eventually(t, "the test client to reconnect", e.NC.IsConnected)
		licence := e.grant(t, tenantB, "ISB")
		e.waitLicence(t, licence, "active", 1)
		e.submitted(t, stranger, s.zone.ID, spaceRef{Kind: "unit", ID: u.ID})

		evs := e.Events(t, before+4)
		agg := apitest.ByAggregate(t, evs)
		for id, want := range map[string][]string{
			p.ID: {"plot.created.v1"},
			u.ID: {"unit.registered.v1"},
			r.ID: {"request.submitted.v1"},
		} {
			if got := types(agg[id]); !slices.Equal(got, want) {
				t.Errorf("events of %s: %v, want %v", id, got, want)
			}
		}
		if got := types(evs[before:]); !slices.Equal(got, []string{"plot.created.v1", "unit.registered.v1", "request.submitted.v1", "request.submitted.v1"}) {
			t.Errorf("events since the outage began: %v, want the plot's, the unit's and both requests'", got)
		}
	})
}
