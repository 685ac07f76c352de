package tenants_test

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
)

func (e *env) licence(t *testing.T, id string) licence {
	t.Helper()
	return decode[licence](t, e.Must(t, request{Method: "GET", Path: "/v1/licences/" + id, As: &operator}, 200))
}

// TestLicencesExpireByThemselvesWhenTheirValidityEnds runs the expiry loop as the process does
// (Service.Run), driven by ticks on the test clock: a licence is still valid on the last day of
// its validity, and the first beat after it expires the active and the suspended licence alike,
// publishes licence.expired for each and moves the licence gauges.
func TestLicencesExpireByThemselvesWhenTheirValidityEnds(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		active := e.active(t, owner)
		suspended := e.suspended(t, stranger)
		if active.ValidUntil != suspended.ValidUntil || active.ValidUntil == "" {
			t.Fatalf("valid until %q and %q, want one date", active.ValidUntil, suspended.ValidUntil)
		}
		before := len(e.Events(t, 7)) // 3 for the active licence, 4 for the suspended one

		e.clock.MoveToNoon(t, active.ValidUntil, pkt)
		e.Beat(t)
		for _, l := range []licence{active, suspended} {
			if got := e.licence(t, l.ID); got.Status == "expired" {
				t.Fatalf("licence %s expired on its last valid day %s", l.Number, l.ValidUntil)
			}
		}
		if got := apitest.Sample(t, e.Scrape(t), `zoneops_tenants_licences{status="expired"}`); got != "0" {
			t.Errorf("expired licences on the last valid day = %s, want 0", got)
		}

		e.clock.Advance(day)
		e.Beat(t)
		for _, l := range []licence{active, suspended} {
			if got := e.licence(t, l.ID); got.Status != "expired" {
				t.Errorf("licence %s (was %s) is %s the day after its validity, want expired", l.Number, l.Status, got.Status)
			}
		}
		evs := e.Events(t, before+2)
		expired := map[string]bool{}
		for _, ev := range evs[before:] {
			if ev.Env.Type != "zoneops.tenants.licence.expired.v1" {
				t.Errorf("event %s after the beat, want licence.expired.v1", ev.Env.Type)
			}
			expired[ev.Env.AggregateID] = true
		}
		if !expired[active.ID] || !expired[suspended.ID] {
			t.Errorf("licence.expired for %v, want both licences", expired)
		}
		m := e.Scrape(t)
		for series, want := range map[string]string{
			`zoneops_tenants_licences{status="expired"}`:   "2",
			`zoneops_tenants_licences{status="active"}`:    "0",
			`zoneops_tenants_licences{status="suspended"}`: "0",
		} {
			if got := apitest.Sample(t, m, series); got != want {
				t.Errorf("after the beat %s = %s, want %s", series, got, want)
			}
		}

		// Another beat finds nothing more to do.
		e.Beat(t)
		e.Events(t, before+2)
	})
}
