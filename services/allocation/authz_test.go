package allocation_test

import (
	"slices"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/services/allocation/internal/transport"
)

// TestEveryRouteAnswersEveryRoleAsThePolicySays calls every route as every role on records of
// zone ISB (tenant-a's, for requests and leases) and checks the status: the role's answer
// when it may act; 403 when it may see the record but not do this (a zone plan is public, so a
// zone developer of LHR touching ISB's plan is forbidden); 404 when it may not even know the
// record exists (another tenant's request or lease, or another zone's for a zone developer).
//
// A refused call changes nothing: no table, event, outbox or idempotency row (apitest.Matrix),
// so the callers share one fixture per route until one of them succeeds; the next caller then
// gets a fresh one, in the state the route needs.
//
// Three more columns call every route with no token, an expired token and a token of another
// key: 401 problem+json, nothing changed. The rows must be exactly the route table's routes
// and the document's /v1 operations, so a route cannot hide from the table.
func TestEveryRouteAnswersEveryRoleAsThePolicySays(t *testing.T) {
	// A row of roles is the status of operator, developer, outsider, owner, stranger, auditor
	// and viewer, in that order.
	type roles = apitest.Statuses
	readAll, private := apitest.Everyone(200), apitest.Insiders(200)
	planWrite := func(ok int) roles { return roles{ok, ok, 403, 403, 403, 403, 403} }
	authority := func(ok int) roles { return roles{ok, 403, 403, 403, 403, 403, 403} }
	byDeveloper := func(ok int) roles { return roles{ok, ok, 404, 403, 404, 403, 403} }
	byTenant := func(ok int) roles { return roles{ok, 403, 404, ok, 404, 403, 403} }

	forEachDialect(t, func(t *testing.T, e *env) {
		s := e.site(t)
		isb := s.zone.ID
		e.licensed(t, tenantA, "ISB")
		e.licensed(t, tenantB, "ISB")
		u := e.unit(t, s.building)
		r := e.submitted(t, owner, isb, spaceRef{Kind: "unit", ID: u.ID})
		l := e.leased(t, owner, isb, spaceRef{Kind: "unit", ID: e.unit(t, s.building).ID}, terms(0, 12, 0))

		type target = apitest.Target
		var (
			at      = func(id string) func(*testing.T) target { return func(*testing.T) target { return target{ID: id} } }
			freeU   = func(t *testing.T) spaceRef { return spaceRef{Kind: "unit", ID: e.unit(t, s.building).ID} }
			newZone = func(t *testing.T) target {
				return target{Body: zoneBody(e.name("Z"), nil)}
			}
			planned  = func(t *testing.T) target { return target{ID: e.plannedZone(t, e.name("Z"), nil).ID} }
			notified = func(t *testing.T) target {
				return target{ID: e.notifiedZone(t, e.name("Z"), nil).ID, Body: map[string]any{"reason": "merged into ISB"}}
			}
			newPlot = func(t *testing.T) target {
				return target{ID: isb, Body: plotBody(t, e.name("P-"), "it_park", e.cells(t, 1)[0])}
			}
			newPlan = func(t *testing.T) target {
				return target{ID: isb, Body: plan(feature(t, e.name("F-"), "it_park", e.cells(t, 1)[0])), Header: geoJSON}
			}
			twoPlots = func(t *testing.T) target {
				a, b := e.undrawnPlot(t, isb, 1000), e.undrawnPlot(t, isb, 1000)
				return target{ID: isb, Body: map[string]any{"plot_ids": []string{a.ID, b.ID}, "code": e.name("M-"), "land_use": "industrial"}}
			}
			halves = func(t *testing.T) target {
				return target{ID: e.undrawnPlot(t, isb, 2000).ID, Body: map[string]any{"parts": []any{
					map[string]any{"code": e.name("H-"), "area_m2": 1000, "land_use": "industrial"},
					map[string]any{"code": e.name("H-"), "area_m2": 1000, "land_use": "industrial"},
				}}}
			}
			withdrawable = func(t *testing.T) target {
				return target{ID: e.undrawnPlot(t, isb, 1000).ID, Body: map[string]any{"reason": "road realigned"}}
			}
			buildable = func(t *testing.T) target {
				return target{ID: s.plot.ID, Body: map[string]any{"name": e.name("Block "), "floors": 3}}
			}
			unitBody = func(t *testing.T) target {
				return target{ID: s.building.ID, Body: map[string]any{"label": e.name("2-"), "floor": 2, "area_m2": 100, "use": "lab"}}
			}
			ask = func(t *testing.T) target {
				return target{Body: map[string]any{"zone_id": isb, "space": freeU(t)}}
			}
			submitted = func(t *testing.T) target {
				space := freeU(t)
				return target{ID: e.submitted(t, owner, isb, space).ID, Body: map[string]any{"space": space, "terms": terms(0, 12, 0)}}
			}
			waiting = func(t *testing.T) target {
				return target{ID: e.submitted(t, owner, isb, freeU(t)).ID, Body: map[string]any{"reason": "found space elsewhere"}}
			}
			offered = func(t *testing.T) target { return target{ID: e.offered(t, owner, isb, freeU(t), terms(0, 12, 0)).ID} }
			active  = func(t *testing.T) target {
				return target{ID: e.leased(t, owner, isb, freeU(t), terms(0, 12, 0)).ID, Body: map[string]any{"reason": "the tenant asked to leave"}}
			}
			land = func(t *testing.T) target {
				p := e.drawnPlot(t, isb, e.name("LL-"), "industrial")
				return target{ID: e.leased(t, owner, isb, spaceRef{Kind: "plot", ID: p.ID}, terms(0, 120, 0)).ID,
					Body: map[string]any{"milestone": "construction_started", "on": date(0)}}
			}
		)
		apitest.Matrix[state]{
			Routes: transport.Routes(nil, nil, nil), Client: e.Client, Cast: cast, Secret: secret, State: e.state,
			Rows: []apitest.Row{
				{Route: "POST /v1/zones", Fixture: newZone, Want: authority(201)},
				{Route: "GET /v1/zones", Fixture: at(""), Want: readAll},
				{Route: "GET /v1/zones/{id}", Fixture: at(isb), Want: readAll},
				{Route: "POST /v1/zones/{id}/notify", Fixture: planned, Want: authority(200)},
				{Route: "POST /v1/zones/{id}/denotify", Fixture: notified, Want: authority(200)},
				{Route: "GET /v1/zones/{id}/occupancy", Fixture: at(isb), Want: readAll},
				{Route: "POST /v1/zones/{id}/plots", Fixture: newPlot, Want: planWrite(201)},
				{Route: "POST /v1/zones/{id}/plots/import", Fixture: newPlan, Want: planWrite(201)},
				{Route: "POST /v1/zones/{id}/plots/merge", Fixture: twoPlots, Want: planWrite(201)},
				{Route: "GET /v1/zones/{id}/plots", Fixture: at(isb), Want: readAll},
				{Route: "GET /v1/zones/{id}/plots.geojson", Fixture: at(isb), Want: readAll},
				{Route: "GET /v1/zones/{id}/units", Fixture: at(isb), Want: readAll},
				{Route: "GET /v1/plots/{id}", Fixture: at(s.plot.ID), Want: readAll},
				{Route: "POST /v1/plots/{id}/subdivide", Fixture: halves, Want: planWrite(201)},
				{Route: "POST /v1/plots/{id}/withdraw", Fixture: withdrawable, Want: planWrite(200)},
				{Route: "POST /v1/plots/{id}/buildings", Fixture: buildable, Want: planWrite(201)},
				{Route: "GET /v1/buildings/{id}", Fixture: at(s.building.ID), Want: readAll},
				{Route: "POST /v1/buildings/{id}/units", Fixture: unitBody, Want: planWrite(201)},
				{Route: "GET /v1/units/{id}", Fixture: at(u.ID), Want: readAll},
				// A request for space is the tenant's own act: nobody submits in its name.
				{Route: "POST /v1/requests", Fixture: ask, Want: roles{403, 403, 403, 201, 201, 403, 403}},
				{Route: "GET /v1/requests", Fixture: at(""), Want: readAll},
				{Route: "GET /v1/requests/{id}", Fixture: at(r.ID), Want: private},
				{Route: "POST /v1/requests/{id}/offer", Fixture: submitted, Want: byDeveloper(200)},
				{Route: "POST /v1/requests/{id}/accept", Fixture: offered, Want: byTenant(201)},
				{Route: "POST /v1/requests/{id}/decline", Fixture: offered, Want: byTenant(200)},
				{Route: "POST /v1/requests/{id}/withdraw", Fixture: waiting, Want: byTenant(200)},
				{Route: "GET /v1/leases", Fixture: at(""), Want: readAll},
				{Route: "GET /v1/leases/{id}", Fixture: at(l.ID), Want: private},
				{Route: "POST /v1/leases/{id}/terminate", Fixture: active, Want: byDeveloper(200)},
				{Route: "POST /v1/leases/{id}/milestones", Fixture: land, Want: byDeveloper(200)},
			},
		}.Run(t)

		// Lists are scoped, not merely filtered.
		for _, tt := range []struct {
			name string
			as   auth.Principal
			path string
			want int
		}{
			{"the developer of LHR sees no ISB request", outsider, "/v1/requests", 0},
			{"the developer of LHR sees no ISB lease", outsider, "/v1/leases", 0},
			{"the other tenant sees none of tenant-a's leases", stranger, "/v1/leases?tenant_id=" + tenantA, 0},
			{"the developer of ISB sees ISB's leases", developer, "/v1/leases", -1},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got := decode[page[struct {
					ID string `json:"id"`
				}]](t, e.Must(t, request{Method: "GET", Path: tt.path, As: &tt.as}, 200))
				if tt.want >= 0 && len(got.Items) != tt.want {
					t.Errorf("listed %d, want %d", len(got.Items), tt.want)
				}
				if tt.want < 0 && !slices.ContainsFunc(got.Items, func(x struct {
					ID string `json:"id"`
				}) bool {
					return x.ID == l.ID
				}) {
					t.Errorf("listed %d leases without %s", len(got.Items), l.ID)
				}
			})
		}
	})
}
