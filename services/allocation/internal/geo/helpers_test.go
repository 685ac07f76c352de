package geo

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

// Islamabad: the reference point of the tests, 33.7°N 73.0°E.
const (
	isbLon = 73.0
	isbLat = 33.7
)

// frame converts local metres east/north of an origin to longitude/latitude, with the scale of
// the origin's latitude: good to a few millimetres over the few hundred metres tests use.
type frame struct{ lon0, lat0, mx, my float64 }

func frameAt(lon, lat float64) frame {
	return frame{lon0: lon, lat0: lat, mx: metresPerDegreeLon(lat), my: metresPerDegreeLat(lat)}
}

func (f frame) pt(x, y float64) [2]float64 { return [2]float64{f.lon0 + x/f.mx, f.lat0 + y/f.my} }

// rect is the rectangle [x0, x1] × [y0, y1] in metres of frame f.
func (f frame) rect(t testing.TB, x0, y0, x1, y1 float64) Polygon {
	t.Helper()
	return mk(t)(FromLonLat([][2]float64{f.pt(x0, y0), f.pt(x1, y0), f.pt(x1, y1), f.pt(x0, y1)}))
}

// ring builds a polygon from metre coordinates of frame f.
func (f frame) ring(t testing.TB, xy ...[2]float64) Polygon {
	t.Helper()
	pts := make([][2]float64, len(xy))
	for i, p := range xy {
		pts[i] = f.pt(p[0], p[1])
	}
	return mk(t)(FromLonLat(pts))
}

var isb = frameAt(isbLon, isbLat)

// mk(t)(FromLonLat(...)) fails the test when the polygon is refused.
func mk(t testing.TB) func(Polygon, error) Polygon {
	return func(p Polygon, err error) Polygon {
		t.Helper()
		if err != nil {
			t.Fatalf("polygon refused: %v", err)
		}
		return p
	}
}

func parse(t testing.TB, s string) Polygon {
	t.Helper()
	p, err := ParsePolygon([]byte(s))
	return mk(t)(p, err)
}

// geojson renders a polygon ring of [lon, lat] pairs as a GeoJSON Polygon.
func geojson(rings ...[][2]float64) string {
	var b strings.Builder
	b.WriteString(`{"type":"Polygon","coordinates":[`)
	for i, r := range rings {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for j, c := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "[%v,%v]", c[0], c[1])
		}
		b.WriteByte(']')
	}
	b.WriteString(`]}`)
	return b.String()
}

// closed returns the [lon, lat] ring of metre coordinates in frame f, closed.
func (f frame) closed(xy ...[2]float64) [][2]float64 {
	out := make([][2]float64, 0, len(xy)+1)
	for _, p := range xy {
		out = append(out, f.pt(p[0], p[1]))
	}
	return append(out, out[0])
}

func within(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

// reasonOf returns the reasons given for field, joined.
var reasonOf = faulttest.ReasonOf

// grid returns n×n adjacent square plots of side metres in frame f, rotated by angle (radians)
// about the frame's origin. Shared vertices are computed from the same expression, so adjacent
// plots share edges exactly.
func grid(t testing.TB, f frame, n int, side, angle float64) []Entry {
	t.Helper()
	sin, cos := math.Sincos(angle)
	corner := func(i, j int) [2]float64 {
		x, y := float64(i)*side, float64(j)*side
		return f.pt(x*cos-y*sin, x*sin+y*cos)
	}
	out := make([]Entry, 0, n*n)
	for i := range n {
		for j := range n {
			p, err := FromLonLat([][2]float64{corner(i, j), corner(i+1, j), corner(i+1, j+1), corner(i, j+1)})
			out = append(out, Entry{ID: fmt.Sprintf("P-%d-%d", i, j), Polygon: mk(t)(p, err)})
		}
	}
	return out
}

// metresPerDegreeLon returns the east-west length of one degree of longitude at latitude lat.
func metresPerDegreeLon(lat float64) float64 {
	s := math.Sin(lat * degree)
	return wgs84A / math.Sqrt(1-e2*s*s) * math.Cos(lat*degree) * degree
}

// metresPerDegreeLat returns the north-south length of one degree of latitude at lat.
func metresPerDegreeLat(lat float64) float64 {
	s := math.Sin(lat * degree)
	return wgs84A * oneE2 / math.Pow(1-e2*s*s, 1.5) * degree
}
