package zoning

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

var (
	operator  = Actor{Subject: "op-1", Role: audit.RoleOperator}
	developer = Actor{Subject: "dev-1", Role: audit.RoleZoneDeveloper}
	// t0 is 2026-03-02 09:00 in Karachi.
	t0 = time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// Local metres east/north of 73.0°E 33.7°N (Islamabad), converted with the ellipsoid's radii of
// curvature there: exact enough for plots a few hundred metres across.
const (
	lon0 = 73.0
	lat0 = 33.7
)

var mPerDegLon, mPerDegLat = func() (float64, float64) {
	const a, f = 6378137.0, 1 / 298.257223563
	e2 := f * (2 - f)
	s := math.Sin(lat0 * math.Pi / 180)
	w := 1 - e2*s*s
	n := a / math.Sqrt(w)
	m := a * (1 - e2) / (w * math.Sqrt(w))
	return n * math.Cos(lat0*math.Pi/180) * math.Pi / 180, m * math.Pi / 180
}()

func pt(x, y float64) [2]float64 { return [2]float64{lon0 + x/mPerDegLon, lat0 + y/mPerDegLat} }

// rect is the rectangle [x0, x1] × [y0, y1] in local metres.
func rect(t testing.TB, x0, y0, x1, y1 float64) *geo.Polygon {
	t.Helper()
	p, err := geo.FromLonLat([][2]float64{pt(x0, y0), pt(x1, y0), pt(x1, y1), pt(x0, y1)})
	if err != nil {
		t.Fatalf("rect: %v", err)
	}
	return &p
}

// rectJSON is rect as a GeoJSON geometry.
func rectJSON(x0, y0, x1, y1 float64) string {
	c := [][2]float64{pt(x0, y0), pt(x1, y0), pt(x1, y1), pt(x0, y1), pt(x0, y0)}
	parts := make([]string, len(c))
	for i, p := range c {
		parts[i] = fmt.Sprintf("[%v,%v]", p[0], p[1])
	}
	return `{"type":"Polygon","coordinates":[[` + strings.Join(parts, ",") + `]]}`
}

// area converts square metres for fixtures.
func area(t testing.TB, m2 float64) Area {
	t.Helper()
	a, err := AreaFromM2(m2)
	must(t, err)
	return a
}

// spec is a plot drawn as rect with its true area declared.
func spec(t testing.TB, code string, x0, y0, x1, y1 float64) PlotSpec {
	t.Helper()
	return PlotSpec{Code: PlotCode(code), AreaM2: area(t, (x1-x0)*(y1-y0)), LandUse: "it_park", Boundary: rect(t, x0, y0, x1, y1)}
}

// undrawn is a plot planned by area alone.
func undrawn(t testing.TB, code string, m2 float64) PlotSpec {
	t.Helper()
	return PlotSpec{Code: PlotCode(code), AreaM2: area(t, m2), LandUse: "industrial"}
}

func zoneSpec(t testing.TB) ZoneSpec {
	t.Helper()
	return ZoneSpec{
		Code: "ISB", Name: "Islamabad Technology Zone", Province: "islamabad_capital_territory", TimeZone: "Asia/Karachi",
		Boundary: rect(t, 0, 0, 1000, 1000), DeveloperTenantID: "tenant-dev-1",
	}
}

// zoneIn builds the ISB zone (a 1 km square) in status s by running the real transitions.
func zoneIn(t testing.TB, s ZoneStatus) *Zone {
	t.Helper()
	z, err := NewZone("zone-isb", zoneSpec(t), t0, operator)
	must(t, err)
	switch s {
	case ZonePlanned:
	case ZoneNotified:
		must(t, z.Notify(day(1), operator))
	case ZoneDenotified:
		must(t, z.Notify(day(1), operator))
		must(t, z.Denotify(day(2), operator, "merged into a larger zone"))
	default:
		t.Fatalf("no fixture for %q", s)
	}
	return z
}

// world is a notified zone with some live plots and the index and codes a store would supply.
type world struct {
	zone   *Zone
	plots  map[string]*Plot // by code
	plans  ZonePlots
	leased map[string]bool // plot ids
}

func newWorld(t testing.TB, specs ...PlotSpec) *world {
	t.Helper()
	w := &world{zone: zoneIn(t, ZoneNotified), plots: map[string]*Plot{}, leased: map[string]bool{}}
	w.plans = ZonePlots{Index: geo.NewIndex(), Codes: map[PlotCode]string{}}
	for _, s := range specs {
		w.add(t, s)
	}
	return w
}

func (w *world) add(t testing.TB, s PlotSpec) *Plot {
	t.Helper()
	id := "plot-" + string(s.Code)
	p, err := NewPlot(id, w.zone, s, w.plans, day(3), developer, Policy{})
	must(t, err)
	w.store(p)
	return p
}

// store records p as a store would: code reserved, boundary indexed while live.
func (w *world) store(p *Plot) {
	w.plots[string(p.Code)] = p
	w.plans.Codes[p.Code] = p.ID
	if p.Status == PlotLive && p.Boundary != nil {
		w.plans.Index.Insert(p.ID, *p.Boundary)
	} else {
		w.plans.Index.Delete(p.ID)
	}
}

func (w *world) isLeased(id string) bool { return w.leased[id] }

var must = faulttest.Must

// reasonOf returns the reasons given for field, joined.
var reasonOf = faulttest.ReasonOf

// wantState asserts err is a *fault.StateError with the given action and current state.
func wantState(t *testing.T, err error, action, current string) {
	t.Helper()
	faulttest.WantState(t, err, "", action, current)
}

// wantErr asserts err matches every target and mentions every text.
func wantErr(t *testing.T, err error, targets []error, texts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %v, got nil", targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Errorf("error %q does not match %v", err, target)
		}
	}
	for _, s := range texts {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}
