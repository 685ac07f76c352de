package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Coordinates are kept as whole micro-degrees (about 10 cm), so that the plan's shared road
// edges and the tests' geometry are exact; they become decimal degrees only in JSON.
type point struct{ lon, lat int64 }

// ring is a closed polygon ring (its last point repeats the first), counter-clockwise for an
// outer ring as RFC 7946 asks.
type ring []point

// coordinates returns the ring as a GeoJSON Polygon's coordinates.
func (r ring) coordinates() [][][2]float64 {
	out := make([][2]float64, len(r))
	for i, p := range r {
		out[i] = [2]float64{float64(p.lon) / 1e6, float64(p.lat) / 1e6}
	}
	return [][][2]float64{out}
}

// polygon is a GeoJSON Polygon geometry.
type polygon struct {
	Type        string         `json:"type"`
	Coordinates [][][2]float64 `json:"coordinates"`
}

func (r ring) geometry() polygon { return polygon{Type: "Polygon", Coordinates: r.coordinates()} }

// rect is the counter-clockwise ring of a lon/lat box.
func rect(west, south, east, north int64) ring {
	return ring{{west, south}, {east, south}, {east, north}, {west, north}, {west, south}}
}

// isbBoundary is the Islamabad zone's boundary: a hexagon about 4 km across, centred near
// 73.0°E 33.7°N. It is convex, so a plot whose corners lie inside it lies inside it.
var isbBoundary = ring{
	{72_982_000, 33_688_000}, {73_012_000, 33_684_000}, {73_021_000, 33_700_000},
	{73_013_000, 33_716_000}, {72_986_000, 33_714_000}, {72_978_000, 33_701_000},
	{72_982_000, 33_688_000},
}

// The ISB plan: 4 columns by 3 rows of plots of 0.0015° × 0.0012° (about 139 m × 133 m,
// 1.85 ha), with roads 0.0003° (about 30 m) wide between them.
const (
	planWest  = 72_996_500
	planSouth = 33_697_900
	plotW     = 1_500
	plotH     = 1_200
	roadW     = 300
	planCols  = 4
	planRows  = 3
)

// planUses is the land use of each plot, row by row from the south-west corner: IT park
// along the main road, commercial plots in the middle, green space to the north-east.
var planUses = [planRows][planCols]string{
	{"it_park", "it_park", "it_park", "it_park"},
	{"it_park", "it_park", "commercial", "commercial"},
	{"it_park", "commercial", "green", "green"},
}

// planPlot is one drawn plot of the ISB plan.
type planPlot struct {
	Code    string
	LandUse string
	Ring    ring
	AreaM2  float64 // what the boundary measures, rounded to hundredths
}

// isbPlan returns the ISB plan's plots; codes are numbered per land use (IT-01, C-01, G-01)
// in the order the grid is read.
func isbPlan() []planPlot {
	prefix := map[string]string{"it_park": "IT", "commercial": "C", "green": "G"}
	seq := map[string]int{}
	var out []planPlot
	for row := range planRows {
		for col := range planCols {
			use := planUses[row][col]
			seq[use]++
			west := int64(planWest + col*(plotW+roadW))
			south := int64(planSouth + row*(plotH+roadW))
			r := rect(west, south, west+plotW, south+plotH)
			out = append(out, planPlot{
				Code: fmt.Sprintf("%s-%02d", prefix[use], seq[use]), LandUse: use, Ring: r,
				AreaM2: math.Round(areaM2(r)*100) / 100,
			})
		}
	}
	return out
}

// feature is a GeoJSON Feature of a plot plan; its properties are what the allocation
// service's import reads (code, area_m2, land_use).
type feature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   polygon        `json:"geometry"`
}

// planGeoJSON encodes plots as the FeatureCollection POST /v1/zones/{id}/plots/import takes.
func planGeoJSON(plots []planPlot) ([]byte, error) {
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	for _, p := range plots {
		fc.Features = append(fc.Features, feature{
			Type: "Feature",
			Properties: map[string]any{
				"code": p.Code, "land_use": p.LandUse,
				"area_m2": json.Number(strconv.FormatFloat(p.AreaM2, 'f', 2, 64)),
			},
			Geometry: p.Ring.geometry(),
		})
	}
	return json.Marshal(fc)
}

// WGS84 and its authalic sphere: the same equal-area measure the allocation service applies to
// a boundary (Lambert cylindrical equal-area on the authalic sphere), so that declared areas
// agree with measured ones to far better than its 2% tolerance.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
	e2     = wgs84F * (2 - wgs84F)
	rq     = 6371007.1809184747
	degree = math.Pi / 180
)

func authalicQ(sinPhi float64) float64 {
	e := math.Sqrt(e2)
	es := e * sinPhi
	return (1 - e2) * (sinPhi/(1-es*es) - 1/(2*e)*math.Log((1-es)/(1+es)))
}

// areaM2 is the area of a closed ring on the WGS84 ellipsoid in square metres.
func areaM2(r ring) float64 {
	if len(r) < 4 {
		return 0
	}
	lon0, lat0 := float64(r[0].lon)/1e6, float64(r[0].lat)/1e6
	q0 := authalicQ(math.Sin(lat0 * degree))
	xy := func(p point) (float64, float64) {
		lon, lat := float64(p.lon)/1e6, float64(p.lat)/1e6
		return rq * degree * (lon - lon0), wgs84A * wgs84A / 2 / rq * (authalicQ(math.Sin(lat*degree)) - q0)
	}
	var sum float64
	for i := 0; i+1 < len(r); i++ {
		x1, y1 := xy(r[i])
		x2, y2 := xy(r[i+1])
		sum += x1*y2 - x2*y1
	}
	return math.Abs(sum) / 2
}
