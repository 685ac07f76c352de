package allocation_test

import (
	"testing"
)

// TestRecordsShowTheCodesOfWhatTheyReferTo: beside the ids they carry, records answer with
// the codes a person reads (the zone's, the plot's, the space's as A-12 or A-12/3-01, the
// building's name), and a plot says whether a lease holds it or how many of its units.
func TestRecordsShowTheCodesOfWhatTheyReferTo(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		s := e.site(t)
		e.licensed(t, tenantA, "ISB")
		u := e.unit(t, s.building)
		land := e.drawnPlot(t, s.zone.ID, e.name("L-"), "industrial")
		free := e.drawnPlot(t, s.zone.ID, e.name("F-"), "industrial")
		unitLease := e.leased(t, owner, s.zone.ID, spaceRef{Kind: "unit", ID: u.ID}, terms(7, 12, 5))
		landLease := e.leased(t, owner, s.zone.ID, spaceRef{Kind: "plot", ID: land.ID}, terms(7, 12, 5))
		asked := e.submitted(t, owner, s.zone.ID, spaceRef{Kind: "plot", ID: free.ID})
		offered := e.Must(t, request{Method: "POST", Path: "/v1/requests/" + asked.ID + "/offer", As: &developer,
			Body: map[string]any{"space": spaceRef{Kind: "plot", ID: free.ID}, "terms": terms(7, 12, 5)}}, 200)

		type letting struct {
			Code     string `json:"code"`
			ZoneCode string `json:"zone_code"`
			Let      bool   `json:"let"`
			UnitsLet int    `json:"units_let"`
		}
		plots := map[string]letting{}
		for _, p := range decode[page[letting]](t, e.Must(t, request{Method: "GET", Path: "/v1/zones/ISB/plots", As: &viewer}, 200)).Items {
			plots[p.Code] = p
		}
		for _, tt := range []struct {
			name string
			plot plot
			want letting
		}{
			{"a plot with a let unit", s.plot, letting{Code: s.plot.Code, ZoneCode: "ISB", UnitsLet: 1}},
			{"a plot let as land", land, letting{Code: land.Code, ZoneCode: "ISB", Let: true}},
			{"a plot only offered", free, letting{Code: free.Code, ZoneCode: "ISB"}},
		} {
			if got := plots[tt.plot.Code]; got != tt.want {
				t.Errorf("%s in the list: %+v, want %+v", tt.name, got, tt.want)
			}
			if got := decode[letting](t, e.Must(t, request{Method: "GET", Path: "/v1/plots/" + tt.plot.ID, As: &viewer}, 200)); got != tt.want {
				t.Errorf("%s alone: %+v, want %+v", tt.name, got, tt.want)
			}
		}

		type names struct {
			ZoneCode       string `json:"zone_code"`
			PlotCode       string `json:"plot_code"`
			SpaceCode      string `json:"space_code"`
			OfferSpaceCode string `json:"offer_space_code"`
			BuildingName   string `json:"building_name"`
		}
		unitCode := s.plot.Code + "/" + decode[struct {
			Label string `json:"label"`
		}](t, e.Must(t, request{Method: "GET", Path: "/v1/units/" + u.ID, As: &viewer}, 200)).Label
		for _, tt := range []struct {
			name string
			resp *response
			want names
		}{
			{"a building", e.Must(t, request{Method: "GET", Path: "/v1/buildings/" + s.building.ID, As: &viewer}, 200),
				names{ZoneCode: "ISB", PlotCode: s.plot.Code}},
			{"a unit", e.Must(t, request{Method: "GET", Path: "/v1/units/" + u.ID, As: &viewer}, 200),
				names{ZoneCode: "ISB", PlotCode: s.plot.Code, BuildingName: "Tower 1"}},
			{"a unit lease", e.Must(t, request{Method: "GET", Path: "/v1/leases/" + unitLease.ID, As: &owner}, 200),
				names{ZoneCode: "ISB", PlotCode: s.plot.Code, SpaceCode: unitCode}},
			{"a land lease", e.Must(t, request{Method: "GET", Path: "/v1/leases/" + landLease.ID, As: &owner}, 200),
				names{ZoneCode: "ISB", PlotCode: land.Code, SpaceCode: land.Code}},
			{"a request for a plot, offered", offered, names{ZoneCode: "ISB", SpaceCode: free.Code, OfferSpaceCode: free.Code}},
			{"the occupancy of a zone", e.Must(t, request{Method: "GET", Path: "/v1/zones/" + s.zone.ID + "/occupancy", As: &viewer}, 200),
				names{ZoneCode: "ISB"}},
		} {
			if got := decode[names](t, tt.resp); got != tt.want {
				t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
			}
		}
		leases := decode[page[names]](t, e.Must(t, request{Method: "GET", Path: "/v1/leases?zone=ISB", As: &developer}, 200)).Items
		if len(leases) != 2 || leases[0].SpaceCode != unitCode || leases[1].SpaceCode != land.Code {
			t.Errorf("leases of ISB: %+v, want the unit lease (%s) and the land lease (%s)", leases, unitCode, land.Code)
		}
	})
}
