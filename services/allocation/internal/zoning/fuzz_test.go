package zoning

import (
	"errors"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

// FuzzImportPlan feeds arbitrary documents through DecodePlan and ImportPlan against a zone
// with one plot: they must never panic, and every refusal must be one of the fault kinds a
// transport maps to a 4xx.
func FuzzImportPlan(f *testing.F) {
	for _, seed := range [][]byte{
		planJSON(planFeature("A-1", 100, 0, 200, 100)),
		planJSON(planFeature("A-1", 100, 0, 200, 100), planFeature("A-2", 150, 0, 250, 100)),
		planJSON(planFeature("E-1", 300, 300, 400, 400)),
		planJSON(planFeature("A-1", 50, 50, 150, 150)),
		planJSON(planFeature("A-1", 950, 0, 1050, 100)),
		planJSON(planFeatureWith("A-1", "1.234", "farm", `{"type":"MultiPolygon","coordinates":[]}`)),
		planJSON(`{"type":"Feature","properties":{"code":["x"],"area_m2":"12","land_use":null},"geometry":null}`),
		[]byte(`{"type":"FeatureCollection","features":[]}`),
		[]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area_m2":1e999}}]}`),
		[]byte(`not json`),
	} {
		f.Add(seed)
	}
	zone := zoneIn(f, ZoneNotified)
	existing := rect(f, 0, 0, 100, 100)
	f.Fuzz(func(t *testing.T, data []byte) {
		features, err := DecodePlan(data, Policy{MaxPlanFeatures: 50})
		if err != nil {
			if !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("decode error %v is not fault.ErrInvalid", err)
			}
			return
		}
		plans := ZonePlots{Index: geo.NewIndex(geo.Entry{ID: "plot-E-1", Polygon: *existing}), Codes: map[PlotCode]string{"E-1": "plot-E-1"}}
		plots, err := ImportPlan(zone, plans, features, ids(), day(5), developer, Policy{})
		if err != nil {
			if !errors.Is(err, fault.ErrInvalid) && !errors.Is(err, fault.ErrConflict) && !errors.Is(err, fault.ErrRule) {
				t.Fatalf("import error %v is not a client error", err)
			}
			if plots != nil {
				t.Fatalf("a rejected import returned plots")
			}
			return
		}
		if len(plots) != len(features) {
			t.Fatalf("%d plots for %d features", len(plots), len(features))
		}
	})
}
