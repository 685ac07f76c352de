package allocation_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/services/allocation/internal/transport"
)

// blanks is an endless stream of spaces.
type blanks struct{}

func (blanks) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestBadInputIsRefusedWithAProblemAndWritesNothing sends malformed, invalid, conflicting
// and forbidden requests. Each is answered with the documented problem (never a 500), and none
// changes the database or puts an event on the stream.
func TestBadInputIsRefusedWithAProblemAndWritesNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		s := e.site(t)
		isb := s.zone.ID
		plots := "/v1/zones/" + isb + "/plots"
		hrp := e.plannedZone(t, "HRP", nil)
		e.licensed(t, tenantA, "ISB")
		leasedUnit := e.unit(t, s.building)
		unitRef := spaceRef{Kind: "unit", ID: leasedUnit.ID}
		held := e.leased(t, owner, isb, unitRef, terms(0, 12, 0))
		again := e.submitted(t, owner, isb, unitRef)
		accepted := held.RequestID
		undrawn := e.undrawnPlot(t, isb, 2000)
		apart := e.cells(t, 3)
		left := decode[plot](t, e.Must(t, request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, e.name("L-"), "industrial", apart[0])}, 201))
		right := decode[plot](t, e.Must(t, request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, e.name("R-"), "industrial", apart[2])}, 201))
		closed := e.notifiedZone(t, "KHI", nil)
		e.Must(t, request{Method: "POST", Path: "/v1/zones/" + closed.ID + "/denotify", As: &operator, Body: map[string]any{"reason": "merged into ISB"}}, 200)
		fixtureEvents := e.Settled(t)

		overlapping := cellOf(t, s.plot)
		outside := cell(gridSide+5, 0)
		bowtie := map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{
			{73.010, 33.710}, {73.011, 33.711}, {73.011, 33.710}, {73.010, 33.711}, {73.010, 33.710},
		}}}
		fresh := e.cells(t, 1)[0]
		mismatch := plotBody(t, "MIS-1", "it_park", fresh)
		mismatch["area_m2"] = num(t, areaOf(t, fresh)) * 2
		badFeature := feature(t, "IMP-BAD", "it_park", fresh)
		badFeature["properties"].(map[string]any)["area_m2"] = "lots"
		oversized := io.LimitReader(blanks{}, transport.MaxPlanBytes+1)
		goodPlan, err := json.Marshal(plan(feature(t, "IMP-OK", "it_park", fresh), feature(t, "IMP-UTF", "it_park", e.cells(t, 1)[0])))
		if err != nil {
			t.Fatal(err)
		}
		badTextPlan := strings.Replace(string(goodPlan), "IMP-UTF", "IMP-\xff", 1)

		apitest.CheckRefusals(t, e.Client, e.state, []apitest.Refusal{
			// Bodies that are not a plot.
			{Name: "malformed JSON", Req: request{Method: "POST", Path: plots, As: &developer, Body: `{"code": "X-1", `}, Status: 400, Type: "validation", Fields: []string{"body"}},
			{Name: "unknown field", Req: request{Method: "POST", Path: plots, As: &developer, Body: `{"code": "X-1", "area_m2": 100, "land_use": "it_park", "colour": "red"}`}, Status: 400, Type: "validation", Fields: []string{"colour"}},
			{Name: "every field of a plot bad at once", Req: request{Method: "POST", Path: plots, As: &developer, Body: map[string]any{"code": "a b", "area_m2": -1, "land_use": "farm"}}, Status: 400, Type: "validation", Fields: []string{"area_m2", "code", "land_use"}},
			{Name: "self-intersecting boundary", Req: request{Method: "POST", Path: plots, As: &developer, Body: map[string]any{"code": "BOW-1", "area_m2": 100, "land_use": "it_park", "boundary": bowtie}}, Status: 400, Type: "validation", Fields: []string{"boundary"}},
			{Name: "declared area twice what the boundary measures", Req: request{Method: "POST", Path: plots, As: &developer, Body: mismatch}, Status: 400, Type: "validation", Fields: []string{"area_m2"}},
			{Name: "body over 256 KiB", Req: request{Method: "POST", Path: plots, As: &developer, Body: `{"code": "` + strings.Repeat("A", 300<<10) + `"}`}, Status: 413, Type: "too-large"},

			// Plots against the plan.
			{Name: "plot overlapping another", Req: request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, "OVER-1", "it_park", overlapping)}, Status: 409, Type: "conflict", Detail: []string{"OVER-1", s.plot.Code}},
			{Name: "plot outside the zone", Req: request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, "OUT-1", "it_park", outside)}, Status: 422, Type: "business-rule", Detail: []string{"OUT-1", "outside zone ISB"}},
			{Name: "plot code already used", Req: request{Method: "POST", Path: plots, As: &developer, Body: map[string]any{"code": s.plot.Code, "area_m2": 100, "land_use": "it_park"}}, Status: 409, Type: "conflict", Detail: []string{s.plot.Code}},
			{Name: "plot in a denotified zone", Req: request{Method: "POST", Path: "/v1/zones/" + closed.ID + "/plots", As: &operator, Body: map[string]any{"code": "KHI-1", "area_m2": 100, "land_use": "it_park"}}, Status: 409, Type: "invalid-transition", State: "denotified"},
			{Name: "withdrawing land under a leased unit", Req: request{Method: "POST", Path: "/v1/plots/" + s.plot.ID + "/withdraw", As: &developer, Body: map[string]any{"reason": "road realigned"}}, Status: 422, Type: "business-rule", Detail: []string{s.plot.Code}},
			{Name: "denotifying a planned zone", Req: request{Method: "POST", Path: "/v1/zones/" + hrp.ID + "/denotify", As: &operator, Body: map[string]any{"reason": "never built"}}, Status: 409, Type: "invalid-transition", State: "planned"},
			{Name: "plot in an unknown zone", Req: request{Method: "POST", Path: "/v1/zones/0195b3c0-0000-7000-8000-000000000999/plots", As: &operator, Body: map[string]any{"code": "NZ-1", "area_m2": 100, "land_use": "it_park"}}, Status: 404, Type: "not-found"},
			{Name: "unknown zone", Req: request{Method: "GET", Path: "/v1/zones/0195b3c0-0000-7000-8000-000000000999", As: &developer}, Status: 404, Type: "not-found"},
			{Name: "unknown zone's occupancy", Req: request{Method: "GET", Path: "/v1/zones/0195b3c0-0000-7000-8000-000000000999/occupancy", As: &viewer}, Status: 404, Type: "not-found"},
			{Name: "zone id with a NUL", Req: request{Method: "GET", Path: "/v1/zones/a%00b/plots.geojson", As: &viewer}, Status: 404, Type: "not-found"},
			{Name: "zone developer of LHR adding a plot to ISB", Req: request{Method: "POST", Path: plots, As: &outsider, Body: map[string]any{"code": "LHR-1", "area_m2": 100, "land_use": "it_park"}}, Status: 403, Type: "forbidden"},
			{Name: "zone code already registered", Req: request{Method: "POST", Path: "/v1/zones", As: &operator, Body: zoneBody("ISB", nil)}, Status: 409, Type: "conflict", Detail: []string{"ISB"}},
			{Name: "no token", Req: request{Method: "POST", Path: plots, Body: map[string]any{"code": "NT-1", "area_m2": 100, "land_use": "it_park"}}, Status: 401, Type: "unauthenticated"},

			// Plot plans, accepted whole or not at all.
			{Name: "plan with one plot overlapping an existing one", Req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: plan(feature(t, "IMP-OK", "it_park", fresh), feature(t, "IMP-OVER", "it_park", overlapping))}, Status: 409, Type: "conflict", Detail: []string{"IMP-OVER", s.plot.Code}},
			{Name: "plan with one plot outside the zone", Req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: plan(feature(t, "IMP-OK", "it_park", fresh), feature(t, "IMP-OUT", "it_park", outside))}, Status: 422, Type: "business-rule", Detail: []string{"IMP-OUT"}},
			{Name: "plan with a malformed feature", Req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: plan(feature(t, "IMP-OK", "it_park", fresh), badFeature)}, Status: 400, Type: "validation", Fields: []string{"features[1].properties.area_m2"}},
			{Name: "plan that is not a FeatureCollection", Req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON, Body: `[]`}, Status: 400, Type: "validation", Fields: []string{"body"}},
			{Name: "plan over 64 MiB", Req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON, Body: oversized}, Status: 413, Type: "too-large"},

			// Subdivisions and mergers.
			{Name: "parts that do not add up to the plot", Req: request{Method: "POST", Path: "/v1/plots/" + undrawn.ID + "/subdivide", As: &developer,
				Body: map[string]any{"parts": []any{map[string]any{"code": "SUB-1", "area_m2": 500, "land_use": "industrial"}, map[string]any{"code": "SUB-2", "area_m2": 500, "land_use": "industrial"}}}},
				Status: 400, Type: "validation", Fields: []string{"parts"}},
			{Name: "merging plots that do not touch", Req: request{Method: "POST", Path: plots + "/merge", As: &developer,
				Body: map[string]any{"plot_ids": []string{left.ID, right.ID}, "code": "LR-1", "land_use": "industrial"}}, Status: 422, Type: "business-rule", Detail: []string{left.Code, right.Code}},

			// Requests.
			{Name: "tenant without a licence", Req: request{Method: "POST", Path: "/v1/requests", As: &stranger, Body: map[string]any{"zone_id": isb, "space": unitRef}}, Status: 422, Type: "business-rule"},
			{Name: "request naming a space and requirements", Req: request{Method: "POST", Path: "/v1/requests", As: &owner,
				Body: map[string]any{"zone_id": isb, "space": unitRef, "requirements": map[string]any{"land_use": "it_park", "min_area_m2": 100}}}, Status: 400, Type: "validation", Fields: []string{"requirements"}},
			{Name: "request in a zone not yet notified", Req: request{Method: "POST", Path: "/v1/requests", As: &owner, Body: map[string]any{"zone_id": hrp.ID, "requirements": map[string]any{"land_use": "it_park", "min_area_m2": 100}}}, Status: 409, Type: "invalid-transition", State: "planned"},
			{Name: "request for a unit of another zone", Req: request{Method: "POST", Path: "/v1/requests", As: &owner, Body: map[string]any{"zone_id": s.lhr.ID, "space": unitRef}}, Status: 400, Type: "validation", Fields: []string{"space.id"}},

			// Offers, acceptances and leases.
			{Name: "offer of a space already leased over those dates", Req: request{Method: "POST", Path: "/v1/requests/" + again.ID + "/offer", As: &developer,
				Body: map[string]any{"space": unitRef, "terms": terms(30, 12, 20)}}, Status: 409, Type: "conflict", Detail: []string{held.ID}},
			{Name: "offer with every term bad", Req: request{Method: "POST", Path: "/v1/requests/" + again.ID + "/offer", As: &developer,
				Body: map[string]any{"space": unitRef, "terms": map[string]any{"start_date": "2026-02-30", "term_months": 0, "rent_per_m2_month": map[string]any{"amount_minor": 100, "currency": "XXX"},
					"deposit": map[string]any{"amount_minor": -1, "currency": "PKR"}, "notice_months": 0, "offer_valid_until": date(3)}}},
				Status: 400, Type: "validation", Fields: []string{"terms.deposit.amount_minor", "terms.rent_per_m2_month.currency", "terms.start_date", "terms.term_months"}},
			{Name: "offer on an accepted request", Req: request{Method: "POST", Path: "/v1/requests/" + accepted + "/offer", As: &developer,
				Body: map[string]any{"space": unitRef, "terms": terms(30, 12, 20)}}, Status: 409, Type: "invalid-transition", State: "accepted"},
			{Name: "accept another tenant's offer", Req: request{Method: "POST", Path: "/v1/requests/" + accepted + "/accept", As: &stranger}, Status: 404, Type: "not-found"},
			{Name: "milestone of a unit lease", Req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/milestones", As: &developer,
				Body: map[string]any{"milestone": "construction_started", "on": date(0)}}, Status: 422, Type: "business-rule"},
			{Name: "milestone in the future", Req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/milestones", As: &developer,
				Body: map[string]any{"milestone": "construction_started", "on": date(40)}}, Status: 400, Type: "validation", Fields: []string{"on"}},
			{Name: "notice whose reason is not UTF-8", Req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/terminate", As: &developer, Body: "{\"reason\": \"\xff\xfe\"}"}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "plan with a feature code that is not UTF-8", Req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: badTextPlan},
				Status: 400, Type: "validation", Fields: []string{"features[1].properties.code"}},
			{Name: "notice without a reason", Req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/terminate", As: &developer, Body: map[string]any{}}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "unknown lease status", Req: request{Method: "GET", Path: "/v1/leases?status=active,bogus", As: &operator}, Status: 400, Type: "validation", Fields: []string{"status"}},
		})

		// Nothing refused reached the stream: the next event after the fixtures' is the one
		// of this plot, which the relay publishes after anything committed before it.
		p := decode[plot](t, e.Must(t, request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, "AFTER-1", "it_park", fresh)}, 201))
		evs := e.Events(t, fixtureEvents+1)
		if last := evs[fixtureEvents]; last.Env.AggregateID != p.ID || !strings.HasSuffix(last.Env.Type, "plot.created.v1") {
			t.Errorf("the event after the fixtures is %s of %s, want the creation of %s", last.Env.Type, last.Env.AggregateID, p.ID)
		}
	})
}

// cellOf is the grid cell of a drawn plot, as a polygon (the plot's own boundary).
func cellOf(t *testing.T, p plot) map[string]any {
	t.Helper()
	if len(p.Boundary) == 0 {
		t.Fatalf("plot %s has no boundary", p.Code)
	}
	var poly map[string]any
	if err := json.Unmarshal(p.Boundary, &poly); err != nil {
		t.Fatal(err)
	}
	return poly
}
