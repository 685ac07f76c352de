package tenants_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
)

// TestCreateWithIdempotencyKeyRunsOnce retries a create with the same Idempotency-Key: the
// retry gets the first answer and only one application exists. The key is the caller's: the
// same key from another tenant is another request, and the same key with another body is a
// client bug (422).
func TestCreateWithIdempotencyKeyRunsOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		key := http.Header{"Idempotency-Key": {"2f1c7e52-create-1"}}
		create := request{Method: "POST", Path: "/v1/applications", As: &owner, Body: applicationBody(tenantA, "ISB"), Header: key}
		first := e.Must(t, create, 201)
		retry := e.Must(t, create, 201)
		a, b := decode[application](t, first), decode[application](t, retry)
		if a.ID != b.ID {
			t.Errorf("retry created %s, first %s: want the same application", b.ID, a.ID)
		}
		if first.Header.Get("Idempotent-Replayed") != "" || retry.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed: first %q, retry %q; want none and true",
				first.Header.Get("Idempotent-Replayed"), retry.Header.Get("Idempotent-Replayed"))
		}
		if s := e.state(t); s.Applications != 1 {
			t.Errorf("%d applications after a retried create, want 1", s.Applications)
		}

		other := applicationBody(tenantA, "ISB")
		other["sector"] = "fintech"
		e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &owner, Body: other, Header: key}, 422)

		theirs := decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &stranger, Body: applicationBody(tenantB, "ISB"), Header: key}, 201))
		if theirs.ID == a.ID {
			t.Error("another tenant's request with the same key was answered with tenant-a's application")
		}
		if s := e.state(t); s.Applications != 2 {
			t.Errorf("%d applications, want 2", s.Applications)
		}
		list := decode[page[application]](t, e.Must(t, request{Method: "GET", Path: "/v1/applications", As: &owner}, 200))
		if len(list.Items) != 1 || list.Items[0].ID != a.ID {
			t.Errorf("tenant-a's applications %+v, want only %s", list.Items, a.ID)
		}
	})
}

// TestEventsWaitOutANATSOutage stops NATS while the service keeps taking requests: they
// succeed, readiness reports the outage, and once NATS is back every event arrives once, in
// order per aggregate.
func TestEventsWaitOutANATSOutage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		a := e.submitted(t, owner)
		e.Events(t, 1)

		e.NATS.Shutdown()
		l := decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/approve", As: &operator}, 201))
		e.licenceAction(t, l, "suspend", map[string]any{"reason": "quarterly report overdue"})
		e.licenceAction(t, l, "reinstate", map[string]any{"reason": "report filed"})
		b := e.submitted(t, stranger)
		if r := e.Do(t, request{Method: "GET", Path: "/readyz"}); r.Status != http.StatusServiceUnavailable {
			t.Errorf("/readyz with NATS down: %d, want 503: %s", r.Status, r.Body)
		}
		if err := e.NATS.Restart(); err != nil {
			t.Fatal(err)
		}

		agg := apitest.ByAggregate(t, e.Events(t, 6))
		for id, want := range map[string][]string{
			a.ID: {"application.submitted.v1", "application.approved.v1"},
			l.ID: {"licence.granted.v1", "licence.suspended.v1", "licence.reinstated.v1"},
			b.ID: {"application.submitted.v1"},
		} {
			if got := types(agg[id]); !slices.Equal(got, want) {
				t.Errorf("events of %s: %v, want %v", id, got, want)
			}
		}
		// A later event lands right after them: nothing from the outage was published twice.
		e.Must(t, request{Method: "POST", Path: "/v1/applications/" + b.ID + "/withdraw", As: &stranger}, 200)
		evs := e.Events(t, 7)
		if last := evs[6]; last.Env.AggregateID != b.ID || types(evs[6:])[0] != "application.withdrawn.v1" {
			t.Errorf("7th event is %s of %s, want the withdrawal of %s", last.Env.Type, last.Env.AggregateID, b.ID)
		}
		apitest.ByAggregate(t, evs)
	})
}
