package zoning

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

// planFeature renders one plan feature for a rectangle in local metres, declaring its area.
func planFeature(code string, x0, y0, x1, y1 float64) string {
	return planFeatureWith(code, fmt.Sprint((x1-x0)*(y1-y0)), "it_park", rectJSON(x0, y0, x1, y1))
}

func planFeatureWith(code, area, use, geometry string) string {
	return `{"type":"Feature","properties":{"code":"` + code + `","area_m2":` + area + `,"land_use":"` + use + `"},"geometry":` + geometry + `}`
}

func planJSON(features ...string) []byte {
	return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)
}

func ids() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("plot-%05d", n) }
}

func decode(t *testing.T, data []byte) []geo.Feature {
	t.Helper()
	fs, err := DecodePlan(data, Policy{})
	must(t, err)
	return fs
}

func TestDecodePlanReportsBadGeometryAndPropertiesTogether(t *testing.T) {
	data := planJSON(
		planFeature("A-1", 0, 0, 100, 100),
		planFeatureWith("A-2", "10000", "farm", rectJSON(100, 0, 200, 100)),
		planFeatureWith("a 3", "1.234", "it_park", `{"type":"MultiPolygon","coordinates":[]}`),
		planFeatureWith("A-4", "20000", "it_park", rectJSON(300, 0, 400, 100)),
		`{"type":"Feature","properties":{"code":7,"land_use":true},"geometry":`+rectJSON(400, 0, 500, 100)+`}`,
	)
	_, err := DecodePlan(data, Policy{})
	v := faulttest.WantFields(t, err,
		"features[1].properties.land_use",
		"features[2].properties.code", "features[2].properties.area_m2", "features[2].geometry",
		"features[3].properties.area_m2",
		"features[4].properties.code", "features[4].properties.area_m2", "features[4].properties.land_use",
	)
	if r := reasonOf(v, "features[3].properties.area_m2"); !strings.HasPrefix(r, "feature A-4: declared 20000 m² but the geometry measures") {
		t.Errorf("area reason %q", r)
	}
	if r := reasonOf(v, "features[1].properties.land_use"); !strings.HasPrefix(r, "feature A-2: ") {
		t.Errorf("land use reason %q should name the feature", r)
	}
	if _, err := DecodePlan(planJSON(planFeature("A-1", 0, 0, 10, 10), planFeature("A-2", 10, 0, 20, 10)), Policy{MaxPlanFeatures: 1}); err == nil {
		t.Errorf("a plan over the policy's limit was decoded")
	}
}

func TestImportPlanCreatesEveryPlot(t *testing.T) {
	w := newWorld(t, spec(t, "E-1", 0, 0, 100, 100))
	fs := decode(t, planJSON(planFeature("A-1", 100, 0, 200, 100), planFeature("A-2", 200, 0, 300, 100), planFeature("A-3", 0, 100, 300, 200)))
	plots, err := ImportPlan(w.zone, w.plans, fs, ids(), day(5), developer, Policy{})
	must(t, err)
	if len(plots) != 3 {
		t.Fatalf("%d plots", len(plots))
	}
	for i, p := range plots {
		if p.ID != fmt.Sprintf("plot-%05d", i+1) || p.Status != PlotLive || p.ZoneID != w.zone.ID || p.Boundary == nil || p.History[0].Action != ActionImport {
			t.Fatalf("plot %d: %+v", i, p)
		}
	}
	if plots[2].Code != "A-3" || plots[2].AreaM2 != area(t, 30_000) || plots[2].LandUse != "it_park" {
		t.Errorf("plot A-3 %+v", plots[2])
	}
	if w.plans.Index.Len() != 1 {
		t.Errorf("ImportPlan changed the caller's index")
	}
}

func TestImportPlanRejectsTheWholePlanNamingEveryBadFeature(t *testing.T) {
	w := newWorld(t, spec(t, "E-1", 0, 0, 100, 100))
	tests := []struct {
		name     string
		features []string
		targets  []error
		fields   []string // for a validation error
		problems map[string]string
	}{
		{"overlapping an existing plot", []string{planFeature("A-1", 100, 0, 200, 100), planFeature("A-2", 50, 100, 150, 200), planFeature("A-3", 90, 90, 110, 110)},
			[]error{ErrPlanRejected, fault.ErrConflict}, nil, map[string]string{
				"features[2].geometry": "feature A-3: overlaps existing plot E-1 (id plot-E-1) by ",
			}},
		{"overlapping each other", []string{planFeature("A-1", 100, 0, 200, 100), planFeature("A-2", 150, 0, 250, 100)},
			[]error{ErrPlanRejected, fault.ErrConflict}, nil, map[string]string{
				"features[1].geometry": "feature A-2: overlaps features[0] (A-1) by 4999.9",
			}},
		{"outside the zone", []string{planFeature("A-1", 100, 0, 200, 100), planFeature("A-2", 950, 0, 1050, 100)},
			[]error{ErrPlanRejected, fault.ErrRule}, nil, map[string]string{
				"features[1].geometry": "feature A-2: extends 4999.9",
			}},
		{"a code already used in the zone", []string{planFeature("E-1", 100, 0, 200, 100)},
			[]error{ErrPlanRejected, fault.ErrConflict}, nil, map[string]string{
				"features[0].properties.code": "code E-1 is already used in zone ISB by plot plot-E-1",
			}},
		{"a code repeated in the plan", []string{planFeature("A-1", 100, 0, 200, 100), planFeature("A-1", 200, 0, 300, 100)},
			nil, []string{"features[1].properties.code"}, map[string]string{
				"features[1].properties.code": "repeats the code of features[0]",
			}},
		{"malformed and conflicting together", []string{planFeature("A-1", 100, 0, 200, 100), planFeatureWith("A-2", "5", "it_park", rectJSON(200, 0, 300, 100)), planFeature("A-3", 50, 50, 150, 150)},
			nil, []string{"features[1].properties.area_m2", "features[2].geometry", "features[2].geometry"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			features, err := geo.ParseFeatureCollection(planJSON(tt.features...), 0)
			must(t, err)
			plots, err := ImportPlan(w.zone, w.plans, features, ids(), day(5), developer, Policy{})
			if plots != nil {
				t.Fatalf("a rejected plan returned plots")
			}
			var got []fault.FieldError
			if tt.fields != nil {
				got = faulttest.WantFields(t, err, tt.fields...).Fields
			} else {
				wantErr(t, err, tt.targets)
				var pe *PlanError
				if !errors.As(err, &pe) {
					t.Fatalf("want PlanError, got %T %v", err, err)
				}
				got = pe.Problems
			}
			for field, want := range tt.problems {
				found := false
				for _, p := range got {
					found = found || (p.Field == field && strings.Contains(p.Reason, want))
				}
				if !found {
					t.Errorf("no problem %s: %q in %v", field, want, got)
				}
			}
		})
	}
}

func TestImportPlanRefusesBadCalls(t *testing.T) {
	fs := decode(t, planJSON(planFeature("A-1", 100, 0, 200, 100)))
	_, err := ImportPlan(nil, ZonePlots{}, nil, nil, time.Time{}, Actor{}, Policy{})
	faulttest.WantFields(t, err, "zone", "new_id", "features", "at", "actor.subject")
	_, err = ImportPlan(zoneIn(t, ZoneDenotified), ZonePlots{}, fs, ids(), day(5), developer, Policy{})
	wantState(t, err, "import plots into", "denotified")
	_, err = ImportPlan(zoneIn(t, ZoneNotified), ZonePlots{}, []geo.Feature{{Properties: map[string]any{"code": "A-1", "area_m2": 10.0, "land_use": "green"}}}, ids(), day(5), developer, Policy{})
	faulttest.WantFields(t, err, "features[0].geometry")
}

func TestAnExportedPlanImportsAgain(t *testing.T) {
	w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100), undrawn(t, "U-1", 1234.5))
	data, err := EncodePlan([]*Plot{w.plots["A-1"], w.plots["U-1"]})
	must(t, err)
	for _, want := range []string{`"type":"FeatureCollection"`, `"code":"A-1"`, `"area_m2":10000`, `"area_m2":1234.5`, `"geometry":null`, `"status":"live"`, `"id":"plot-A-1"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %s: %s", want, data)
		}
	}
	drawn, err := EncodePlan([]*Plot{w.plots["A-1"]})
	must(t, err)
	fs := decode(t, drawn)
	other := newWorld(t)
	plots, err := ImportPlan(other.zone, other.plans, fs, ids(), day(5), developer, Policy{})
	must(t, err)
	if plots[0].Code != "A-1" || plots[0].AreaM2 != w.plots["A-1"].AreaM2 || !plots[0].Boundary.Equal(*w.plots["A-1"].Boundary) && geo.AreaM2(*plots[0].Boundary) != geo.AreaM2(*w.plots["A-1"].Boundary) {
		t.Fatalf("re-imported %+v", plots[0])
	}
}

// gridPlan is an n×n plan of adjacent square plots of side metres inside the 1 km zone.
func gridPlan(n int, side float64) []byte {
	fs := make([]string, 0, n*n)
	for i := range n {
		for j := range n {
			x, y := float64(i)*side, float64(j)*side
			fs = append(fs, planFeature(fmt.Sprintf("P-%d-%d", i, j), x, y, x+side, y+side))
		}
	}
	return planJSON(fs...)
}

// rotatedGridPlan is gridPlan turned by angle radians about the zone's centre, so neighbours'
// bounding boxes overlap and every neighbour pair needs the exact overlap test.
func rotatedGridPlan(n int, side, angle float64) []byte {
	sin, cos := math.Sincos(angle)
	half := float64(n) * side / 2
	corner := func(i, j int) [2]float64 {
		x, y := float64(i)*side-half, float64(j)*side-half
		return pt(500+x*cos-y*sin, 500+x*sin+y*cos)
	}
	fs := make([]string, 0, n*n)
	for i := range n {
		for j := range n {
			c := [][2]float64{corner(i, j), corner(i+1, j), corner(i+1, j+1), corner(i, j+1), corner(i, j)}
			parts := make([]string, len(c))
			for k, p := range c {
				parts[k] = fmt.Sprintf("[%v,%v]", p[0], p[1])
			}
			geometry := `{"type":"Polygon","coordinates":[[` + strings.Join(parts, ",") + `]]}`
			fs = append(fs, planFeatureWith(fmt.Sprintf("R-%d-%d", i, j), fmt.Sprint(side*side), "industrial", geometry))
		}
	}
	return planJSON(fs...)
}

func TestImportPlanOfAGrid(t *testing.T) {
	fs := decode(t, gridPlan(20, 50))
	plots, err := ImportPlan(zoneIn(t, ZoneNotified), ZonePlots{Index: geo.NewIndex(), Codes: map[PlotCode]string{}}, fs, ids(), day(5), developer, Policy{})
	must(t, err)
	if len(plots) != 400 {
		t.Fatalf("%d plots", len(plots))
	}
	fs = decode(t, rotatedGridPlan(20, 30, 0.3))
	plots, err = ImportPlan(zoneIn(t, ZoneNotified), ZonePlots{}, fs, ids(), day(5), developer, Policy{})
	must(t, err)
	if len(plots) != 400 {
		t.Fatalf("%d rotated plots", len(plots))
	}
}

// BenchmarkImportPlan10k imports a 100×100 grid of adjacent 10 m plots (the whole 1 km zone)
// and reports plots per second: the rule checks alone, the same for a grid turned 0.3 rad (the
// exact overlap test runs for every neighbour pair), and decoding plus checks.
func BenchmarkImportPlan10k(b *testing.B) {
	data := gridPlan(100, 10)
	p := Policy{}
	fs, err := DecodePlan(data, p)
	if err != nil {
		b.Fatal(err)
	}
	z := zoneIn(b, ZoneNotified)
	b.Run("rules", func(b *testing.B) {
		for range b.N {
			plots, err := ImportPlan(z, ZonePlots{Index: geo.NewIndex(), Codes: map[PlotCode]string{}}, fs, ids(), day(5), developer, p)
			if err != nil || len(plots) != 10_000 {
				b.Fatalf("%d plots, %v", len(plots), err)
			}
		}
		b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "plots/s")
	})
	rotated, err := DecodePlan(rotatedGridPlan(100, 6, 0.3), p)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rules, rotated grid", func(b *testing.B) {
		for range b.N {
			plots, err := ImportPlan(z, ZonePlots{Index: geo.NewIndex(), Codes: map[PlotCode]string{}}, rotated, ids(), day(5), developer, p)
			if err != nil || len(plots) != 10_000 {
				b.Fatalf("%d plots, %v", len(plots), err)
			}
		}
		b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "plots/s")
	})
	b.Run("decode+rules", func(b *testing.B) {
		for range b.N {
			fs, err := DecodePlan(data, p)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ImportPlan(z, ZonePlots{Index: geo.NewIndex(), Codes: map[PlotCode]string{}}, fs, ids(), day(5), developer, p); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "plots/s")
	})
}
