package allocation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
)

// TestRacingAcceptancesLetAUnitOnce gives 50 licensed tenants each an offer of the same unit
// over overlapping dates and has them all accept at the same moment through HTTP: exactly one
// acceptance makes a lease (201), every other is a 409 conflict naming the unit, and the
// database holds one lease of the unit.
func TestRacingAcceptancesLetAUnitOnce(t *testing.T) {
	const tenants = 50
	forEachDialect(t, func(t *testing.T, e *env) {
		s := e.site(t)
		u := e.unit(t, s.building)
		ref := spaceRef{Kind: "unit", ID: u.ID}

		callers := make([]auth.Principal, tenants)
		for i := range callers {
			id := fmt.Sprintf("0195b3c0-0000-7000-8000-%012x", 0x100+i)
			callers[i] = auth.Principal{Subject: "tenant-" + id[len(id)-3:], Role: auth.Tenant, TenantID: id}
			e.grant(t, id, "ISB")
		}
		apitest.Eventually(t, fmt.Sprintf("%d active licences", tenants), func() bool {
			var n int
			if err := e.DB.QueryRowxContext(context.Background(), `SELECT count(*) FROM licences WHERE status = 'active'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n == tenants
		})

		// Each tenant is offered the unit for a year from a day in the coming week: every
		// two of those periods overlap.
		requests := make([]string, tenants)
		for i, p := range callers {
			requests[i] = e.offered(t, p, s.zone.ID, ref, terms(i%7, 12, 0)).ID
		}

		var wg sync.WaitGroup
		gate := make(chan struct{})
		statuses := make([]int, tenants)
		details := make([]string, tenants)
		for i := range callers {
			wg.Go(func() {
				<-gate
				resp, err := e.Try(t, request{Method: "POST", Path: "/v1/requests/" + requests[i] + "/accept", As: &callers[i]})
				if err != nil {
					t.Error(err)
					return
				}
				statuses[i] = resp.Status
				if resp.Status == http.StatusConflict {
					var p problem
					if err := json.Unmarshal(resp.Body, &p); err != nil {
						t.Error(err)
					}
					details[i] = p.Type + " " + p.Detail
				}
			})
		}
		close(gate)
		wg.Wait()

		won, lost := 0, 0
		for i, st := range statuses {
			switch st {
			case http.StatusCreated:
				won++
			case http.StatusConflict:
				lost++
				if !strings.HasPrefix(details[i], apitest.ProblemTypes+"conflict ") || !strings.Contains(details[i], u.ID) {
					t.Errorf("tenant %d lost with %q, want a conflict naming unit %s", i, details[i], u.ID)
				}
			default:
				t.Errorf("tenant %d's acceptance answered %d", i, st)
			}
		}
		if won != 1 || lost != tenants-1 {
			t.Errorf("%d acceptances won and %d lost, want 1 and %d", won, lost, tenants-1)
		}
		var leases int
		if err := e.DB.QueryRowxContext(context.Background(), e.DB.Rebind(`SELECT count(*) FROM leases WHERE space_id = ?`), u.ID).Scan(&leases); err != nil {
			t.Fatal(err)
		}
		if leases != 1 {
			t.Errorf("%d leases of the unit, want exactly 1", leases)
		}
		occ := decode[occupancy](t, e.Must(t, request{Method: "GET", Path: "/v1/zones/" + s.zone.ID + "/occupancy", As: &operator}, 200))
		if occ.UnitsLeased != 1 || occ.Waiting != tenants-1 {
			t.Errorf("occupancy %+v, want the unit leased and %d offers still waiting", occ, tenants-1)
		}
	})
}
