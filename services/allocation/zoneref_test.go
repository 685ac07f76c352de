package allocation_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
)

// TestAZoneIsNamedByItsCodeAsWellAsItsID: every path under /v1/zones/{id}, the zone filter of
// the request and lease lists and the zone_id of a new request take the zone's code (in any
// case) as well as its id, with the same answer; an unknown zone in a path is 404, and in a
// filter or a body it is 400 naming the field and the value, never an empty list.
func TestAZoneIsNamedByItsCodeAsWellAsItsID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		s := e.site(t)
		isb := s.zone
		e.licensed(t, tenantA, "ISB")
		u := e.unit(t, s.building)
		// The request names its zone by code (lower case, even); the lease is ISB's.
		l := e.leased(t, owner, "isb", spaceRef{Kind: "unit", ID: u.ID}, terms(7, 12, 5))
		e.submitted(t, owner, "ISB", spaceRef{Kind: "plot", ID: e.drawnPlot(t, isb.ID, e.name("P-"), "it_park").ID})

		// Paths: the code answers exactly what the id answers.
		for _, path := range []string{"", "/occupancy", "/plots", "/plots.geojson", "/units", "/plots?status=live&land_use=it_park"} {
			sub, query, _ := strings.Cut(path, "?")
			if query != "" {
				query = "?" + query
			}
			byID := e.Must(t, request{Method: "GET", Path: "/v1/zones/" + isb.ID + sub + query, As: &viewer}, 200)
			for _, ref := range []string{"ISB", "isb"} {
				byCode := e.Must(t, request{Method: "GET", Path: "/v1/zones/" + ref + sub + query, As: &viewer}, 200)
				if string(byCode.Body) != string(byID.Body) {
					t.Errorf("GET /v1/zones/%s%s%s answered\n%s\nwant what the id answers:\n%s", ref, sub, query, byCode.Body, byID.Body)
				}
			}
		}
		// Writes under a zone path take the code too, and the developer's scope holds.
		pl := decode[plot](t, e.Must(t, request{Method: "POST", Path: "/v1/zones/ISB/plots", As: &developer,
			Body: plotBody(t, e.name("C-"), "industrial", e.cells(t, 1)[0])}, 201))
		if pl.ZoneID != isb.ID {
			t.Errorf("plot created under /v1/zones/ISB is in zone %s, want %s", pl.ZoneID, isb.ID)
		}
		e.Must(t, request{Method: "POST", Path: "/v1/zones/LHR/plots", As: &developer, Body: map[string]any{"code": "X-1", "area_m2": 100, "land_use": "industrial"}}, 403)
		hrp := e.plannedZone(t, "HRP", nil)
		if z := decode[zone](t, e.Must(t, request{Method: "POST", Path: "/v1/zones/HRP/notify", As: &operator}, 200)); z.ID != hrp.ID || z.Status != "notified" {
			t.Errorf("notified by code: %+v, want HRP notified", z)
		}

		// An unknown zone in a path is not found, by code or by id.
		for _, r := range []request{
			{Method: "GET", Path: "/v1/zones/NOPE", As: &viewer},
			{Method: "GET", Path: "/v1/zones/NOPE/occupancy", As: &viewer},
			{Method: "GET", Path: "/v1/zones/" + service.NewID() + "/plots", As: &viewer},
			{Method: "GET", Path: "/v1/zones/NOPE/units", As: &viewer},
			{Method: "POST", Path: "/v1/zones/NOPE/notify", As: &operator},
			{Method: "POST", Path: "/v1/zones/NOPE/plots", As: &developer, Body: map[string]any{"code": "X-1", "area_m2": 100, "land_use": "industrial"}},
		} {
			e.Must(t, r, 404)
		}

		// Filters: the code, the id and the older zone_id parameter find the same records.
		for _, list := range []struct {
			path string
			want int
		}{{"/v1/leases", 1}, {"/v1/requests", 2}} {
			for _, caller := range []struct {
				name string
				as   *auth.Principal
			}{{"tenant", &owner}, {"zone developer", &developer}, {"auditor", &auditor}} {
				var seen []string
				for _, q := range []string{"zone=ISB", "zone=isb", "zone=" + isb.ID, "zone_id=ISB", "zone_id=" + isb.ID} {
					pg := decode[page[struct {
						ID       string `json:"id"`
						ZoneID   string `json:"zone_id"`
						ZoneCode string `json:"zone_code"`
					}]](t, e.Must(t, request{Method: "GET", Path: list.path + "?" + q, As: caller.as}, 200))
					ids := []string{}
					for _, it := range pg.Items {
						ids = append(ids, it.ID)
						if it.ZoneID != isb.ID || it.ZoneCode != "ISB" {
							t.Errorf("%s?%s as %s: %+v, want ISB's", list.path, q, caller.name, it)
						}
					}
					if len(ids) != list.want {
						t.Errorf("%s?%s as %s: %d records, want %d", list.path, q, caller.name, len(ids), list.want)
					}
					if seen != nil && !slices.Equal(ids, seen) {
						t.Errorf("%s?%s as %s: %v, want %v as with the other names", list.path, q, caller.name, ids, seen)
					}
					seen = ids
				}
			}
			// LHR exists and has nothing: an empty page is the true answer there.
			if pg := decode[page[lease]](t, e.Must(t, request{Method: "GET", Path: list.path + "?zone=LHR", As: &auditor}, 200)); len(pg.Items) != 0 {
				t.Errorf("%s?zone=LHR: %d records, want none", list.path, len(pg.Items))
			}
			// A zone that does not exist is bad input naming the parameter and the value.
			for _, tt := range []struct{ query, field, value string }{
				{"zone=NOPE", "zone", "NOPE"},
				{"zone_id=NOPE", "zone_id", "NOPE"},
				{"zone=" + url.QueryEscape(l.ID), "zone", l.ID},
				{"zone=ISB&zone_id=ISB", "zone_id", "give one"},
			} {
				p := decode[problem](t, e.Must(t, request{Method: "GET", Path: list.path + "?" + tt.query, As: &auditor}, 400))
				if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || !strings.Contains(p.Errors[0].Reason, tt.value) {
					t.Errorf("%s?%s: %+v, want one error on %s naming %q", list.path, tt.query, p.Errors, tt.field, tt.value)
				}
			}
		}

		// A new request naming an unknown zone is bad input on zone_id, naming the value.
		p := decode[problem](t, e.Must(t, request{Method: "POST", Path: "/v1/requests", As: &owner,
			Body: map[string]any{"zone_id": "NOPE", "requirements": map[string]any{"land_use": "industrial", "min_area_m2": 100}}}, 400))
		if len(p.Errors) != 1 || p.Errors[0].Field != "zone_id" || !strings.Contains(p.Errors[0].Reason, `"NOPE"`) {
			t.Errorf("request in zone NOPE: %+v, want one error on zone_id naming NOPE", p.Errors)
		}
	})
}
