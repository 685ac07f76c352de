package allocation_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
)

// target is what one call of a route acts on: the id that replaces {id} and the body.
type target struct {
	id   string
	body any
}

// TestEveryRouteAnswersEveryRoleAsThePolicySays calls every route as every role on records of
// zone ISB (tenant-a's, for requests and leases) and checks the status: the role's answer
// when it may act; 403 when it may see the record but not do this (a zone plan is public, so a
// zone developer of LHR touching ISB's plan is forbidden); 404 when it may not even know the
// record exists (another tenant's request or lease, or another zone's for a zone developer).
//
// A refused call changes nothing (checked), so the callers share one fixture per route until
// one of them succeeds; the next caller then gets a fresh one, in the state the route needs.
//
// Three more columns call every route with no token, an expired token and a token of another
// key: 401 problem+json, nothing changed. The table must list exactly the document's /v1
// operations, and TestSpecDocumentsEveryRoute ties those to what is mounted, so a route
// mounted without authentication cannot hide from the table.
func TestEveryRouteAnswersEveryRoleAsThePolicySays(t *testing.T) {
	// A row of roles is the status of operator, developer, outsider, owner, stranger, auditor
	// and viewer, in that order.
	type roles = apitest.Statuses
	callers := cast.Callers()
	readAll := roles{200, 200, 200, 200, 200, 200, 200}
	private := roles{200, 200, 404, 200, 404, 200, 200}
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

		var (
			at      = func(id string) func(*testing.T) target { return func(*testing.T) target { return target{id: id} } }
			freeU   = func(t *testing.T) spaceRef { return spaceRef{Kind: "unit", ID: e.unit(t, s.building).ID} }
			newZone = func(t *testing.T) target {
				return target{body: zoneBody(e.name("Z"), nil)}
			}
			planned  = func(t *testing.T) target { return target{id: e.plannedZone(t, e.name("Z"), nil).ID} }
			notified = func(t *testing.T) target {
				return target{id: e.notifiedZone(t, e.name("Z"), nil).ID, body: map[string]any{"reason": "merged into ISB"}}
			}
			newPlot = func(t *testing.T) target {
				return target{id: isb, body: plotBody(t, e.name("P-"), "it_park", e.cells(t, 1)[0])}
			}
			newPlan = func(t *testing.T) target {
				return target{id: isb, body: plan(feature(t, e.name("F-"), "it_park", e.cells(t, 1)[0]))}
			}
			twoPlots = func(t *testing.T) target {
				a, b := e.undrawnPlot(t, isb, 1000), e.undrawnPlot(t, isb, 1000)
				return target{id: isb, body: map[string]any{"plot_ids": []string{a.ID, b.ID}, "code": e.name("M-"), "land_use": "industrial"}}
			}
			halves = func(t *testing.T) target {
				return target{id: e.undrawnPlot(t, isb, 2000).ID, body: map[string]any{"parts": []any{
					map[string]any{"code": e.name("H-"), "area_m2": 1000, "land_use": "industrial"},
					map[string]any{"code": e.name("H-"), "area_m2": 1000, "land_use": "industrial"},
				}}}
			}
			withdrawable = func(t *testing.T) target {
				return target{id: e.undrawnPlot(t, isb, 1000).ID, body: map[string]any{"reason": "road realigned"}}
			}
			buildable = func(t *testing.T) target {
				return target{id: s.plot.ID, body: map[string]any{"name": e.name("Block "), "floors": 3}}
			}
			unitBody = func(t *testing.T) target {
				return target{id: s.building.ID, body: map[string]any{"label": e.name("2-"), "floor": 2, "area_m2": 100, "use": "lab"}}
			}
			ask = func(t *testing.T) target {
				return target{body: map[string]any{"zone_id": isb, "space": freeU(t)}}
			}
			submitted = func(t *testing.T) target {
				space := freeU(t)
				return target{id: e.submitted(t, owner, isb, space).ID, body: map[string]any{"space": space, "terms": terms(0, 12, 0)}}
			}
			waiting = func(t *testing.T) target {
				return target{id: e.submitted(t, owner, isb, freeU(t)).ID, body: map[string]any{"reason": "found space elsewhere"}}
			}
			offered = func(t *testing.T) target { return target{id: e.offered(t, owner, isb, freeU(t), terms(0, 12, 0)).ID} }
			active  = func(t *testing.T) target {
				return target{id: e.leased(t, owner, isb, freeU(t), terms(0, 12, 0)).ID, body: map[string]any{"reason": "the tenant asked to leave"}}
			}
			land = func(t *testing.T) target {
				p := e.drawnPlot(t, isb, e.name("LL-"), "industrial")
				return target{id: e.leased(t, owner, isb, spaceRef{Kind: "plot", ID: p.ID}, terms(0, 120, 0)).ID,
					body: map[string]any{"milestone": "construction_started", "on": date(0)}}
			}
		)
		routes := []struct {
			route   string // method and pattern; {id} is replaced by the target's id
			fixture func(*testing.T) target
			want    roles
		}{
			{"POST /v1/zones", newZone, authority(201)},
			{"GET /v1/zones", at(""), readAll},
			{"GET /v1/zones/{id}", at(isb), readAll},
			{"POST /v1/zones/{id}/notify", planned, authority(200)},
			{"POST /v1/zones/{id}/denotify", notified, authority(200)},
			{"GET /v1/zones/{id}/occupancy", at(isb), readAll},
			{"POST /v1/zones/{id}/plots", newPlot, planWrite(201)},
			{"POST /v1/zones/{id}/plots/import", newPlan, planWrite(201)},
			{"POST /v1/zones/{id}/plots/merge", twoPlots, planWrite(201)},
			{"GET /v1/zones/{id}/plots", at(isb), readAll},
			{"GET /v1/zones/{id}/plots.geojson", at(isb), readAll},
			{"GET /v1/zones/{id}/units", at(isb), readAll},
			{"GET /v1/plots/{id}", at(s.plot.ID), readAll},
			{"POST /v1/plots/{id}/subdivide", halves, planWrite(201)},
			{"POST /v1/plots/{id}/withdraw", withdrawable, planWrite(200)},
			{"POST /v1/plots/{id}/buildings", buildable, planWrite(201)},
			{"GET /v1/buildings/{id}", at(s.building.ID), readAll},
			{"POST /v1/buildings/{id}/units", unitBody, planWrite(201)},
			{"GET /v1/units/{id}", at(u.ID), readAll},
			// A request for space is the tenant's own act: nobody submits in its name.
			{"POST /v1/requests", ask, roles{403, 403, 403, 201, 201, 403, 403}},
			{"GET /v1/requests", at(""), readAll},
			{"GET /v1/requests/{id}", at(r.ID), private},
			{"POST /v1/requests/{id}/offer", submitted, byDeveloper(200)},
			{"POST /v1/requests/{id}/accept", offered, byTenant(201)},
			{"POST /v1/requests/{id}/decline", offered, byTenant(200)},
			{"POST /v1/requests/{id}/withdraw", waiting, byTenant(200)},
			{"GET /v1/leases", at(""), readAll},
			{"GET /v1/leases/{id}", at(l.ID), private},
			{"POST /v1/leases/{id}/terminate", active, byDeveloper(200)},
			{"POST /v1/leases/{id}/milestones", land, byDeveloper(200)},
		}
		var listed []string
		for _, rt := range routes {
			listed = append(listed, rt.route)
		}
		spec.CheckCovers(t, listed)
		for _, rt := range routes {
			var fx *target
			for _, bad := range apitest.BadTokens(t, secret, operator, e.clock.Now()) {
				t.Run(fmt.Sprintf("%s with %s", rt.route, bad.Name), func(t *testing.T) {
					if fx == nil {
						x := rt.fixture(t)
						fx = &x
					}
					method, pattern, _ := strings.Cut(rt.route, " ")
					header := http.Header{}
					maps.Copy(header, bad.Header)
					if strings.HasSuffix(pattern, "/import") {
						maps.Copy(header, geoJSON)
					}
					before := e.state(t)
					resp := e.Do(t, request{Method: method, Path: strings.Replace(pattern, "{id}", fx.id, 1), Body: fx.body, Header: header})
					apitest.CheckUnauthorized(t, resp.Status, resp.Header, resp.Body)
					if after := e.state(t); after != before {
						t.Errorf("an unauthenticated call changed the database:\nbefore %+v\nafter  %+v", before, after)
					}
				})
			}
			for _, c := range callers {
				want := rt.want.For(c)
				t.Run(fmt.Sprintf("%s by %s", rt.route, c.Name), func(t *testing.T) {
					if fx == nil {
						x := rt.fixture(t)
						fx = &x
					}
					method, pattern, _ := strings.Cut(rt.route, " ")
					req := request{Method: method, Path: strings.Replace(pattern, "{id}", fx.id, 1), As: &c.P, Body: fx.body}
					if strings.HasSuffix(pattern, "/import") {
						req.Header = geoJSON
					}
					before := e.state(t)
					resp := e.Do(t, req)
					if resp.Status < 300 && method == "POST" {
						fx = nil // used up
					}
					if resp.Status != want {
						t.Fatalf("status %d, want %d: %s", resp.Status, want, resp.Body)
					}
					if want >= 400 {
						if after := e.state(t); after != before {
							t.Errorf("a refused call changed the database:\nbefore %+v\nafter  %+v", before, after)
						}
					}
				})
			}
		}

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
