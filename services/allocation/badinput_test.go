package allocation_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/services/allocation/internal/transport"
)

const problems = "https://zoneops.dev/problems/"

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
		fixtureEvents := e.settled(t)

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

		tests := []struct {
			name   string
			req    request
			status int
			typ    string   // problem type, after problems
			fields []string // the bad fields the problem must list, exactly
			state  string   // current_state of a refused transition
			detail []string // what the detail must name
		}{
			// Bodies that are not a plot.
			{name: "malformed JSON", req: request{Method: "POST", Path: plots, As: &developer, Body: `{"code": "X-1", `}, status: 400, typ: "validation", fields: []string{"body"}},
			{name: "unknown field", req: request{Method: "POST", Path: plots, As: &developer, Body: `{"code": "X-1", "area_m2": 100, "land_use": "it_park", "colour": "red"}`}, status: 400, typ: "validation", fields: []string{"colour"}},
			{name: "every field of a plot bad at once", req: request{Method: "POST", Path: plots, As: &developer, Body: map[string]any{"code": "a b", "area_m2": -1, "land_use": "farm"}}, status: 400, typ: "validation", fields: []string{"area_m2", "code", "land_use"}},
			{name: "self-intersecting boundary", req: request{Method: "POST", Path: plots, As: &developer, Body: map[string]any{"code": "BOW-1", "area_m2": 100, "land_use": "it_park", "boundary": bowtie}}, status: 400, typ: "validation", fields: []string{"boundary"}},
			{name: "declared area twice what the boundary measures", req: request{Method: "POST", Path: plots, As: &developer, Body: mismatch}, status: 400, typ: "validation", fields: []string{"area_m2"}},
			{name: "body over 256 KiB", req: request{Method: "POST", Path: plots, As: &developer, Body: `{"code": "` + strings.Repeat("A", 300<<10) + `"}`}, status: 413, typ: "too-large"},

			// Plots against the plan.
			{name: "plot overlapping another", req: request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, "OVER-1", "it_park", overlapping)}, status: 409, typ: "conflict", detail: []string{"OVER-1", s.plot.Code}},
			{name: "plot outside the zone", req: request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, "OUT-1", "it_park", outside)}, status: 422, typ: "business-rule", detail: []string{"OUT-1", "outside zone ISB"}},
			{name: "plot code already used", req: request{Method: "POST", Path: plots, As: &developer, Body: map[string]any{"code": s.plot.Code, "area_m2": 100, "land_use": "it_park"}}, status: 409, typ: "conflict", detail: []string{s.plot.Code}},
			{name: "plot in a denotified zone", req: request{Method: "POST", Path: "/v1/zones/" + closed.ID + "/plots", As: &operator, Body: map[string]any{"code": "KHI-1", "area_m2": 100, "land_use": "it_park"}}, status: 409, typ: "invalid-transition", state: "denotified"},
			{name: "withdrawing land under a leased unit", req: request{Method: "POST", Path: "/v1/plots/" + s.plot.ID + "/withdraw", As: &developer, Body: map[string]any{"reason": "road realigned"}}, status: 422, typ: "business-rule", detail: []string{s.plot.Code}},
			{name: "denotifying a planned zone", req: request{Method: "POST", Path: "/v1/zones/" + hrp.ID + "/denotify", As: &operator, Body: map[string]any{"reason": "never built"}}, status: 409, typ: "invalid-transition", state: "planned"},
			{name: "plot in an unknown zone", req: request{Method: "POST", Path: "/v1/zones/0195b3c0-0000-7000-8000-000000000999/plots", As: &operator, Body: map[string]any{"code": "NZ-1", "area_m2": 100, "land_use": "it_park"}}, status: 404, typ: "not-found"},
			{name: "unknown zone", req: request{Method: "GET", Path: "/v1/zones/0195b3c0-0000-7000-8000-000000000999", As: &developer}, status: 404, typ: "not-found"},
			{name: "unknown zone's occupancy", req: request{Method: "GET", Path: "/v1/zones/0195b3c0-0000-7000-8000-000000000999/occupancy", As: &viewer}, status: 404, typ: "not-found"},
			{name: "zone id with a NUL", req: request{Method: "GET", Path: "/v1/zones/a%00b/plots.geojson", As: &viewer}, status: 404, typ: "not-found"},
			{name: "zone developer of LHR adding a plot to ISB", req: request{Method: "POST", Path: plots, As: &outsider, Body: map[string]any{"code": "LHR-1", "area_m2": 100, "land_use": "it_park"}}, status: 403, typ: "forbidden"},
			{name: "zone code already registered", req: request{Method: "POST", Path: "/v1/zones", As: &operator, Body: zoneBody("ISB", nil)}, status: 409, typ: "conflict", detail: []string{"ISB"}},
			{name: "no token", req: request{Method: "POST", Path: plots, Body: map[string]any{"code": "NT-1", "area_m2": 100, "land_use": "it_park"}}, status: 401, typ: "unauthenticated"},

			// Plot plans, accepted whole or not at all.
			{name: "plan with one plot overlapping an existing one", req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: plan(feature(t, "IMP-OK", "it_park", fresh), feature(t, "IMP-OVER", "it_park", overlapping))}, status: 409, typ: "conflict", detail: []string{"IMP-OVER", s.plot.Code}},
			{name: "plan with one plot outside the zone", req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: plan(feature(t, "IMP-OK", "it_park", fresh), feature(t, "IMP-OUT", "it_park", outside))}, status: 422, typ: "business-rule", detail: []string{"IMP-OUT"}},
			{name: "plan with a malformed feature", req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: plan(feature(t, "IMP-OK", "it_park", fresh), badFeature)}, status: 400, typ: "validation", fields: []string{"features[1].properties.area_m2"}},
			{name: "plan that is not a FeatureCollection", req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON, Body: `[]`}, status: 400, typ: "validation", fields: []string{"body"}},
			{name: "plan over 64 MiB", req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON, Body: oversized}, status: 413, typ: "too-large"},

			// Subdivisions and mergers.
			{name: "parts that do not add up to the plot", req: request{Method: "POST", Path: "/v1/plots/" + undrawn.ID + "/subdivide", As: &developer,
				Body: map[string]any{"parts": []any{map[string]any{"code": "SUB-1", "area_m2": 500, "land_use": "industrial"}, map[string]any{"code": "SUB-2", "area_m2": 500, "land_use": "industrial"}}}},
				status: 400, typ: "validation", fields: []string{"parts"}},
			{name: "merging plots that do not touch", req: request{Method: "POST", Path: plots + "/merge", As: &developer,
				Body: map[string]any{"plot_ids": []string{left.ID, right.ID}, "code": "LR-1", "land_use": "industrial"}}, status: 422, typ: "business-rule", detail: []string{left.Code, right.Code}},

			// Requests.
			{name: "tenant without a licence", req: request{Method: "POST", Path: "/v1/requests", As: &stranger, Body: map[string]any{"zone_id": isb, "space": unitRef}}, status: 422, typ: "business-rule"},
			{name: "request naming a space and requirements", req: request{Method: "POST", Path: "/v1/requests", As: &owner,
				Body: map[string]any{"zone_id": isb, "space": unitRef, "requirements": map[string]any{"land_use": "it_park", "min_area_m2": 100}}}, status: 400, typ: "validation", fields: []string{"requirements"}},
			{name: "request in a zone not yet notified", req: request{Method: "POST", Path: "/v1/requests", As: &owner, Body: map[string]any{"zone_id": hrp.ID, "requirements": map[string]any{"land_use": "it_park", "min_area_m2": 100}}}, status: 409, typ: "invalid-transition", state: "planned"},
			{name: "request for a unit of another zone", req: request{Method: "POST", Path: "/v1/requests", As: &owner, Body: map[string]any{"zone_id": s.lhr.ID, "space": unitRef}}, status: 400, typ: "validation", fields: []string{"space.id"}},

			// Offers, acceptances and leases.
			{name: "offer of a space already leased over those dates", req: request{Method: "POST", Path: "/v1/requests/" + again.ID + "/offer", As: &developer,
				Body: map[string]any{"space": unitRef, "terms": terms(30, 12, 20)}}, status: 409, typ: "conflict", detail: []string{held.ID}},
			{name: "offer with every term bad", req: request{Method: "POST", Path: "/v1/requests/" + again.ID + "/offer", As: &developer,
				Body: map[string]any{"space": unitRef, "terms": map[string]any{"start_date": "2026-02-30", "term_months": 0, "rent_per_m2_month": map[string]any{"amount_minor": 100, "currency": "XXX"},
					"deposit": map[string]any{"amount_minor": -1, "currency": "PKR"}, "notice_months": 0, "offer_valid_until": date(3)}}},
				status: 400, typ: "validation", fields: []string{"terms.deposit.amount_minor", "terms.rent_per_m2_month.currency", "terms.start_date", "terms.term_months"}},
			{name: "offer on an accepted request", req: request{Method: "POST", Path: "/v1/requests/" + accepted + "/offer", As: &developer,
				Body: map[string]any{"space": unitRef, "terms": terms(30, 12, 20)}}, status: 409, typ: "invalid-transition", state: "accepted"},
			{name: "accept another tenant's offer", req: request{Method: "POST", Path: "/v1/requests/" + accepted + "/accept", As: &stranger}, status: 404, typ: "not-found"},
			{name: "milestone of a unit lease", req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/milestones", As: &developer,
				Body: map[string]any{"milestone": "construction_started", "on": date(0)}}, status: 422, typ: "business-rule"},
			{name: "milestone in the future", req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/milestones", As: &developer,
				Body: map[string]any{"milestone": "construction_started", "on": date(40)}}, status: 400, typ: "validation", fields: []string{"on"}},
			{name: "notice whose reason is not UTF-8", req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/terminate", As: &developer, Body: "{\"reason\": \"\xff\xfe\"}"}, status: 400, typ: "validation", fields: []string{"reason"}},
			{name: "plan with a feature code that is not UTF-8", req: request{Method: "POST", Path: plots + "/import", As: &developer, Header: geoJSON,
				Body: badTextPlan},
				status: 400, typ: "validation", fields: []string{"features[1].properties.code"}},
			{name: "notice without a reason", req: request{Method: "POST", Path: "/v1/leases/" + held.ID + "/terminate", As: &developer, Body: map[string]any{}}, status: 400, typ: "validation", fields: []string{"reason"}},
			{name: "unknown lease status", req: request{Method: "GET", Path: "/v1/leases?status=active,bogus", As: &operator}, status: 400, typ: "validation", fields: []string{"status"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				was := e.state(t)
				resp := e.Do(t, tt.req)
				apitest.CheckProblem(t, resp.Answer(),
					apitest.WantProblem{Status: tt.status, Type: problems + tt.typ, Fields: tt.fields, State: tt.state, Detail: tt.detail})
				if now := e.state(t); now != was {
					t.Errorf("the refused request changed the database:\nbefore %+v\nafter  %+v", was, now)
				}
			})
		}

		// Nothing refused reached the stream: the next event after the fixtures' is the one
		// of this plot, which the relay publishes after anything committed before it.
		p := decode[plot](t, e.Must(t, request{Method: "POST", Path: plots, As: &developer, Body: plotBody(t, "AFTER-1", "it_park", fresh)}, 201))
		evs := e.events(t, fixtureEvents+1)
		if last := evs[fixtureEvents]; last.Env.AggregateID != p.ID || !strings.HasSuffix(last.Env.Type, "plot.created.v1") {
			t.Errorf("the event after the fixtures is %s of %s, want the creation of %s", last.Env.Type, last.Env.AggregateID, p.ID)
		}
	})
}

// settled waits until the outbox is empty (every event committed so far is on the stream) and
// returns the number of events on the ALLOCATION stream.
func (e *env) settled(t *testing.T) int {
	t.Helper()
	apitest.Eventually(t, "an empty outbox", func() bool {
		var n int
		if err := e.db.QueryRowxContext(context.Background(), `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	})
	n, err := e.streamLen()
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
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
