package allocation_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"

	ev "github.com/zoneops/zoneops/libs/events/allocation"
	evtenants "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/apitest"
)

// TestZoneToLeaseToRevocationThroughTheWholeService walks a zone from registration to a
// revoked tenant through HTTP and the TENANTS stream: the authority registers and notifies
// ISB; its developer lays out plots (drawn, undrawn, imported from GeoJSON, subdivided and
// merged), a building and two units; a tenant licensed by a licence.granted event asks for the
// first unit and for land, is offered both and signs two leases; a construction milestone is
// recorded; and licence.revoked puts both leases under notice. It checks the answers, the
// plan as GeoJSON, the occupancy figures and gauge, and the events on the ALLOCATION stream.
func TestZoneToLeaseToRevocationThroughTheWholeService(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		// The authority registers ISB with its boundary and notifies it.
		z := decode[zone](t, e.Must(t, request{Method: "POST", Path: "/v1/zones", As: &operator, Body: zoneBody("ISB", isbBoundary)}, 201))
		if z.Status != "planned" || z.Version != 1 || z.Code != "ISB" {
			t.Fatalf("registered %+v, want a planned ISB at version 1", z)
		}
		z = decode[zone](t, e.Must(t, request{Method: "POST", Path: "/v1/zones/" + z.ID + "/notify", As: &operator}, 200))
		if z.Status != "notified" || !slices.Equal(actions(z.History), []string{"register", "notify"}) {
			t.Fatalf("notified %+v, want notified after register and notify", z)
		}
		plots := "/v1/zones/" + z.ID + "/plots"

		// The developer (whose token names ISB by code) draws a plot and plans another by
		// area alone; a retried create with the same Idempotency-Key gets the first answer.
		c := e.cells(t, 5)
		p1 := decode[plot](t, e.Must(t, request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, "P-1", "it_park", c[0])}, 201))
		if p1.Status != "live" || p1.ZoneID != z.ID || len(p1.Boundary) == 0 {
			t.Fatalf("created %+v, want a live drawn plot of ISB", p1)
		}
		key := http.Header{"Idempotency-Key": {"walk-p2"}}
		undrawn := request{Method: "POST", Path: plots, As: &developer, Body: map[string]any{"code": "P-2", "area_m2": 5000.5, "land_use": "industrial"}, Header: key}
		first := e.Must(t, undrawn, 201)
		retry := e.Must(t, undrawn, 201)
		p2 := decode[plot](t, first)
		if again := decode[plot](t, retry); again.ID != p2.ID || retry.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retried create answered %s (replayed %q), want %s replayed", again.ID, retry.Header.Get("Idempotent-Replayed"), p2.ID)
		}

		// A plan of three adjacent plots is imported from GeoJSON.
		imported := decode[page[plot]](t, e.Must(t, request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
			Body: plan(feature(t, "A-1", "industrial", c[1]), feature(t, "A-2", "industrial", c[2]), feature(t, "A-3", "commercial", c[3]))}, 201))
		if len(imported.Items) != 3 || imported.Items[0].Code != "A-1" || imported.Items[2].Code != "A-3" {
			t.Fatalf("imported %+v, want A-1, A-2, A-3", imported.Items)
		}
		a1, a2, a3 := imported.Items[0], imported.Items[1], imported.Items[2]

		// A-3 is cut in two halves; are joined.
		lon0, lat0 := zoneLon+float64(3)*cellSize, zoneLat
		north, south := box(lon0, lat0+cellSize/2, lon0+cellSize, lat0+cellSize), box(lon0, lat0, lon0+cellSize, lat0+cellSize/2)
		parts := decode[page[plot]](t, e.Must(t, request{Method: "POST", Path: "/v1/plots/" + a3.ID + "/subdivide", As: &developer,
			Body: map[string]any{"parts": []any{plotBody(t, "A-3-N", "commercial", north), plotBody(t, "A-3-S", "commercial", south)}}}, 201))
		if len(parts.Items) != 2 || !slices.Equal(parts.Items[0].Parents, []string{a3.ID}) {
			t.Fatalf("subdivided into %+v, want two parts of %s", parts.Items, a3.ID)
		}
		if got := decode[plot](t, e.Must(t, request{Method: "GET", Path: "/v1/plots/" + a3.ID, As: &viewer}, 200)); got.Status != "retired" || len(got.Children) != 2 {
			t.Errorf("A-3 after the subdivision: %+v, want retired with two children", got)
		}
		a12 := decode[plot](t, e.Must(t, request{Method: "POST", Path: plots + "/merge", As: &developer,
			Body: map[string]any{"plot_ids": []string{a1.ID, a2.ID}, "code": "A-12", "land_use": "industrial"}}, 201))
		if !near(a12.AreaM2, a1.AreaM2+a2.AreaM2) || !slices.Equal(a12.Parents, []string{a1.ID, a2.ID}) || len(a12.Boundary) == 0 {
			t.Errorf("merged %+v, want %.2f m² drawn, from A-1 and A-2", a12, a1.AreaM2+a2.AreaM2)
		}
		live := decode[page[plot]](t, e.Must(t, request{Method: "GET", Path: plots, As: &owner}, 200))
		var codes []string
		for _, p := range live.Items {
			codes = append(codes, p.Code)
		}
		if want := []string{"A-12", "A-3-N", "A-3-S", "P-1", "P-2"}; !slices.Equal(codes, want) {
			t.Errorf("live plots %v, want %v", codes, want)
		}
		var paged []string
		for cursor := ""; ; {
			pg := decode[page[plot]](t, e.Must(t, request{Method: "GET", Path: plots + "?limit=2&cursor=" + cursor, As: &viewer}, 200))
			for _, p := range pg.Items {
				paged = append(paged, p.Code)
			}
			if cursor = pg.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(paged, codes) {
			t.Errorf("plots two at a time %v, want %v", paged, codes)
		}
		retired := decode[page[plot]](t, e.Must(t, request{Method: "GET", Path: plots + "?status=retired", As: &auditor}, 200))
		if len(retired.Items) != 3 {
			t.Errorf("%d retired plots, want A-1, A-2 and A-3", len(retired.Items))
		}

		// A building on P-1 with two units, one in the basement.
		b := decode[building](t, e.Must(t, request{Method: "POST", Path: "/v1/plots/" + p1.ID + "/buildings", As: &developer,
			Body: map[string]any{"name": "Margalla Tower", "floors": 12, "basements": 2}}, 201))
		u := decode[unit](t, e.Must(t, request{Method: "POST", Path: "/v1/buildings/" + b.ID + "/units", As: &developer,
			Body: map[string]any{"label": "3-01", "floor": 3, "area_m2": 420.25, "use": "office"}}, 201))
		u2 := decode[unit](t, e.Must(t, request{Method: "POST", Path: "/v1/buildings/" + b.ID + "/units", As: &developer,
			Body: map[string]any{"label": "B1-01", "floor": -1, "area_m2": 179.75, "use": "warehouse"}}, 201))
		if got := decode[building](t, e.Must(t, request{Method: "GET", Path: "/v1/buildings/" + b.ID, As: &stranger}, 200)); got.PlotID != p1.ID {
			t.Errorf("building %+v, want it on P-1", got)
		}
		if got := decode[unit](t, e.Must(t, request{Method: "GET", Path: "/v1/units/" + u.ID, As: &viewer}, 200)); got.BuildingID != b.ID || got.PlotID != p1.ID {
			t.Errorf("unit %+v, want it in %s on P-1", got, b.ID)
		}
		units := decode[page[unit]](t, e.Must(t, request{Method: "GET", Path: "/v1/zones/" + z.ID + "/units?building_id=" + b.ID, As: &owner}, 200))
		if len(units.Items) != 2 || units.Items[0].ID != u.ID || units.Items[1].ID != u2.ID {
			t.Errorf("units of the building %+v, want %s and %s", units.Items, u.ID, u2.ID)
		}

		// The plan as GeoJSON, as a GIS tool would fetch it.
		resp := e.Must(t, request{Method: "GET", Path: plots + ".geojson", As: &owner}, 200)
		if ct := resp.Header.Get("Content-Type"); ct != "application/geo+json" {
			t.Errorf("plots.geojson Content-Type %q, want application/geo+json", ct)
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Geometry   json.RawMessage `json:"geometry"`
				Properties struct {
					Code   string  `json:"code"`
					AreaM2 float64 `json:"area_m2"`
					Status string  `json:"status"`
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(resp.Body, &fc); err != nil {
			t.Fatalf("plots.geojson does not parse: %v\n%s", err, resp.Body)
		}
		drawn := map[string]bool{}
		for _, f := range fc.Features {
			drawn[f.Properties.Code] = string(f.Geometry) != "null"
			if f.Type != "Feature" || f.Properties.Status != "live" || f.ID == "" {
				t.Errorf("feature %+v, want a live plot feature with its id", f)
			}
		}
		if fc.Type != "FeatureCollection" || len(fc.Features) != 5 || drawn["P-2"] || !drawn["P-1"] || !drawn["A-12"] || !drawn["A-3-S"] {
			t.Errorf("plan %s, want the five live plots, all drawn but P-2", resp.Body)
		}

		// The tenants service grants tenant-a a licence in ISB; the projection picks it up.
		licence := e.licensed(t, tenantA, "ISB")

		// Tenant-a asks for the unit; the developer offers it from day 7 for two years; the
		// tenant accepts on day 2.
		unitRef := spaceRef{Kind: "unit", ID: u.ID}
		r1 := e.submitted(t, owner, z.ID, unitRef)
		if r1.Status != "submitted" || r1.LicenceID != licence || r1.TenantID != tenantA {
			t.Fatalf("submitted %+v, want a submitted request under licence %s", r1, licence)
		}
		r1 = decode[allocRequest](t, e.Must(t, request{Method: "POST", Path: "/v1/requests/" + r1.ID + "/offer", As: &developer,
			Body: map[string]any{"space": unitRef, "terms": terms(7, 24, 5)}}, 200))
		if r1.Status != "offered" {
			t.Fatalf("offered request is %s", r1.Status)
		}
		e.clock.Advance(2 * day)
		l1 := decode[lease](t, e.Must(t, request{Method: "POST", Path: "/v1/requests/" + r1.ID + "/accept", As: &owner}, 201))
		if l1.Status != "active" || l1.Space != unitRef || l1.PlotID != p1.ID || l1.Start != date(7) || l1.End != "2028-03-08" || l1.LandLease {
			t.Fatalf("lease %+v, want an active unit lease of P-1 from %s to 2028-03-08", l1, date(7))
		}
		if got := decode[allocRequest](t, e.Must(t, request{Method: "GET", Path: "/v1/requests/" + r1.ID, As: &owner}, 200)); got.Status != "accepted" || got.LeaseID != l1.ID {
			t.Errorf("request after acceptance %+v, want accepted with lease %s", got, l1.ID)
		}

		// Occupancy: P-1 is let through one of its two units, so the share of its land that
		// the unit holds of their floor area (420.25 of 600 m²) counts as leased.
		total := p1.AreaM2 + p2.AreaM2 + a12.AreaM2 + parts.Items[0].AreaM2 + parts.Items[1].AreaM2
		unitShare := p1.AreaM2 * 420.25 / 600
		occ := decode[occupancy](t, e.Must(t, request{Method: "GET", Path: "/v1/zones/" + z.ID + "/occupancy", As: &developer}, 200))
		if !near(occ.TotalAreaM2, total) || !near(occ.LeasedAreaM2, unitShare) || !near(occ.OccupancyRatio, unitShare/total) ||
			occ.UnitsLeased != 1 || occ.UnitsFree != 1 || !near(occ.FloorAreaM2, 600) {
			t.Errorf("occupancy %+v, want %.2f of %.2f m² leased (ratio %g) and one of two units leased", occ, unitShare, total, unitShare/total)
		}

		// Tenant-a asks for industrial land of at least 15,000 m²; the developer offers A-12
		// from today, and the lease starts at once.
		r2 := decode[allocRequest](t, e.Must(t, request{Method: "POST", Path: "/v1/requests", As: &owner,
			Body: map[string]any{"zone_id": z.ID, "requirements": map[string]any{"land_use": "industrial", "min_area_m2": 15000}}}, 201))
		landRef := spaceRef{Kind: "plot", ID: a12.ID}
		e.Must(t, request{Method: "POST", Path: "/v1/requests/" + r2.ID + "/offer", As: &developer, Body: map[string]any{"space": landRef, "terms": terms(2, 120, 2)}}, 200)
		l2 := decode[lease](t, e.Must(t, request{Method: "POST", Path: "/v1/requests/" + r2.ID + "/accept", As: &owner}, 201))
		if !l2.LandLease || l2.ConstructionStartDue != "2027-03-03" {
			t.Fatalf("land lease %+v, want construction due to start by 2027-03-03", l2)
		}
		e.clock.Advance(3 * day)
		l2 = decode[lease](t, e.Must(t, request{Method: "POST", Path: "/v1/leases/" + l2.ID + "/milestones", As: &developer,
			Body: map[string]any{"milestone": "construction_started", "on": date(4)}}, 200))
		if l2.ConstructionStarted != date(4) || !slices.Equal(actions(l2.History), []string{"start", "record_milestone"}) {
			t.Errorf("after the milestone %+v, want construction started on %s", l2, date(4))
		}
		occ = decode[occupancy](t, e.Must(t, request{Method: "GET", Path: "/v1/zones/" + z.ID + "/occupancy", As: &viewer}, 200))
		ratio := (unitShare + a12.AreaM2) / total
		if !near(occ.OccupancyRatio, ratio) || occ.Waiting != 0 {
			t.Errorf("occupancy %+v, want ratio %g and nothing waiting", occ, ratio)
		}
		m := e.Scrape(t)
		if got, err := strconv.ParseFloat(apitest.Sample(t, m, `zoneops_allocation_zone_occupancy_ratio{zone="ISB"}`), 64); err != nil || !near(got, ratio) {
			t.Errorf(`zoneops_allocation_zone_occupancy_ratio{zone="ISB"} = %v (%v), want %g`, got, err, ratio)
		}
		if got := apitest.Sample(t, m, `zoneops_allocation_zone_units_leased{zone="ISB"}`); got != "1" {
			t.Errorf(`zoneops_allocation_zone_units_leased{zone="ISB"} = %s, want 1`, got)
		}
		mine := decode[page[lease]](t, e.Must(t, request{Method: "GET", Path: "/v1/leases", As: &owner}, 200))
		if len(mine.Items) != 2 {
			t.Errorf("tenant-a has %d leases, want 2", len(mine.Items))
		}

		// The tenants service revokes the licence: both leases go under notice from today (day
		// 5), ending when their notice runs out (the unit lease, which starts on day 7, three
		// months on; the land lease likewise).
		e.publish(t, evtenants.LicenceRevoked{LicenceID: licence, Reason: "obligations breached", Actor: official}, 2)
		e.waitLicence(t, licence, "revoked", 2)
		evs := e.Events(t, 23)
		for _, l := range []lease{l1, l2} {
			got := decode[lease](t, e.Must(t, request{Method: "GET", Path: "/v1/leases/" + l.ID, As: &auditor}, 200))
			if got.Status != "terminating" || got.Cause != "licence_revoked" || got.NoticeGivenOn != date(5) || got.EndsOn != "2026-06-07" {
				t.Errorf("lease %s after the revocation: %+v, want terminating for licence_revoked, notice %s, ending 2026-06-07", l.ID, got, date(5))
			}
		}
		if r := e.Do(t, request{Method: "POST", Path: "/v1/requests", As: &owner, Body: map[string]any{"zone_id": z.ID, "requirements": map[string]any{"land_use": "commercial", "min_area_m2": 100}}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("request after the revocation: %d, want 422: %s", r.Status, r.Body)
		}

		// The stream holds every event once, in order per aggregate.
		agg := apitest.ByAggregate(t, evs)
		for id, want := range map[string][]string{
			z.ID:   {"zone.registered.v1", "zone.status_changed.v1"},
			p1.ID:  {"plot.created.v1"},
			p2.ID:  {"plot.created.v1"},
			a1.ID:  {"plot.created.v1"},
			a3.ID:  {"plot.created.v1", "plot.subdivided.v1"},
			a12.ID: {"plot.merged.v1"},
			b.ID:   {"building.registered.v1"},
			u.ID:   {"unit.registered.v1"},
			u2.ID:  {"unit.registered.v1"},
			r1.ID:  {"request.submitted.v1", "request.offered.v1", "request.accepted.v1"},
			r2.ID:  {"request.submitted.v1", "request.offered.v1", "request.accepted.v1"},
			l1.ID:  {"lease.signed.v1", "lease.terminating.v1"},
			l2.ID:  {"lease.signed.v1", "lease.milestone_recorded.v1", "lease.terminating.v1"},
		} {
			if got := types(agg[id]); !slices.Equal(got, want) {
				t.Errorf("events of %s: %v, want %v", id, got, want)
			}
		}
		if s, ok := agg[l1.ID][0].Payload.(ev.LeaseSigned); !ok || s.TenantID != tenantA || s.LicenceID != licence || s.Space.ID != u.ID {
			t.Errorf("lease.signed payload %+v, want tenant-a's lease of %s under %s", agg[l1.ID][0].Payload, u.ID, licence)
		}
		if term, ok := agg[l2.ID][2].Payload.(ev.LeaseTerminating); !ok || term.Cause != "licence_revoked" || term.EndsOn.String() != "2026-06-07" {
			t.Errorf("lease.terminating payload %+v, want licence_revoked ending 2026-06-07", agg[l2.ID][2].Payload)
		}
		if m, ok := agg[a12.ID][0].Payload.(ev.PlotMerged); !ok || !slices.Equal(m.SourcePlotIDs, []string{a1.ID, a2.ID}) {
			t.Errorf("plot.merged payload %+v, want A-1 and A-2 merged", agg[a12.ID][0].Payload)
		}

		// The dashboard's figures, the RED metrics of a route, and a lint-clean exposition.
		m = e.Scrape(t)
		apitest.CheckScrape(t, m, "after the walk", map[string]string{
			`zoneops_http_requests_total{code="201",method="POST",route="/v1/requests/{id}/accept"}`: "2",
			`zoneops_http_requests_total{code="201",method="POST",route="/v1/zones/{id}/plots"}`:     "3",
			`zoneops_allocation_zone_requests_waiting{zone="ISB"}`:                                   "0",
		})

		// The probes answer without a token.
		e.CheckProbes(t)
	})
}
