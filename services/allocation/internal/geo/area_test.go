package geo

import (
	"math"
	"testing"
)

func TestAreaOfA100MetreSquareNearIslamabadIs10000SquareMetres(t *testing.T) {
	// The side lengths come from the ellipsoid's radii of curvature at 33.7°N, independently
	// of the projection AreaM2 uses.
	p := isb.rect(t, 0, 0, 100, 100)
	if got := AreaM2(p); !within(got, 10_000, 0.005) {
		t.Fatalf("area %.3f m², want 10000 within 0.5%%", got)
	}
	if got := AreaM2(p); !within(got, 10_000, 0.0001) {
		t.Errorf("area %.3f m², want 10000 within 0.01%% (the documented bound)", got)
	}
}

func TestAreaMatchesTheEllipsoidIntegral(t *testing.T) {
	// The area of a lon/lat cell on the WGS84 ellipsoid is Δλ·∫M(φ)N(φ)cos φ dφ; integrate it
	// numerically (Simpson) and compare with the projection's exact formula.
	tests := []struct {
		name                   string
		lon0, lat0, dlon, dlat float64
	}{
		{"a one-degree cell at the equator", 10, 0, 1, 1},
		{"a one-degree cell over Islamabad", 73, 33, 1, 1},
		{"a small cell at Gilgit", 74.3, 35.9, 0.01, 0.01},
		{"a cell in the southern hemisphere", 150, -34, 0.5, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mk(t)(FromLonLat([][2]float64{
				{tt.lon0, tt.lat0}, {tt.lon0 + tt.dlon, tt.lat0}, {tt.lon0 + tt.dlon, tt.lat0 + tt.dlat}, {tt.lon0, tt.lat0 + tt.dlat},
			}))
			want := tt.dlon * degree * simpson(func(phi float64) float64 {
				s := math.Sin(phi)
				w := 1 - e2*s*s
				return wgs84A * wgs84A * oneE2 / (w * w) * math.Cos(phi)
			}, tt.lat0*degree, (tt.lat0+tt.dlat)*degree, 1000)
			if got := AreaM2(p); !within(got, want, 1e-9) {
				t.Fatalf("area %.3f m², integral %.3f m²", got, want)
			}
		})
	}
	// A familiar figure as a sanity check: a 1°×1° cell at the equator is about 12,309 km².
	p := mk(t)(FromLonLat([][2]float64{{10, 0}, {11, 0}, {11, 1}, {10, 1}}))
	if km2 := AreaM2(p) / 1e6; math.Abs(km2-12_309) > 1 {
		t.Errorf("equatorial cell %.1f km²", km2)
	}
}

func simpson(f func(float64) float64, a, b float64, n int) float64 {
	h := (b - a) / float64(n)
	sum := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(a+float64(i)*h)
	}
	return sum * h / 3
}

func TestAreaErrorOfSlantedEdgesIsWithinTheDocumentedBound(t *testing.T) {
	// Edges that change latitude are straight in lon/lat but bend in the projection. Densifying
	// them (vertices every few metres along the lon/lat-straight edge) measures the bend; the
	// difference is the approximation's error.
	tests := []struct {
		name  string
		f     frame
		size  float64 // metres
		bound float64
	}{
		{"1 km plot at Islamabad", isb, 1000, 3e-5},
		{"1 km plot at 45°N", frameAt(10, 45), 1000, 3e-5},
		{"the largest polygon accepted, at Gilgit", frameAt(74.3, 36), 70_000, 2e-3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.size
			for _, p := range []Polygon{
				// A kite whose every edge changes latitude: the errors of opposite edges cancel.
				tt.f.ring(t, [2]float64{0, 0}, [2]float64{s, 0.4 * s}, [2]float64{0.7 * s, s}, [2]float64{-0.2 * s, 0.6 * s}),
				// A triangle with one slanted edge: nothing cancels, the worst case.
				tt.f.ring(t, [2]float64{0, 0}, [2]float64{s, 0}, [2]float64{0, s}),
			} {
				dense := mk(t)(NewPolygon(p.Geom().Densify((p.Bounds().MaxLat - p.Bounds().MinLat) / 2000)))
				rel := math.Abs(AreaM2(p)-AreaM2(dense)) / AreaM2(dense)
				t.Logf("relative error %.2e", rel)
				if rel > tt.bound {
					t.Fatalf("relative error %.2e, bound %.0e", rel, tt.bound)
				}
			}
		})
	}
}

func TestAreaSubtractsHolesAndIgnoresWinding(t *testing.T) {
	outer := isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100})
	hole := isb.closed([2]float64{10, 10}, [2]float64{10, 30}, [2]float64{30, 30}, [2]float64{30, 10})
	withHole := mk(t)(FromLonLat(outer, hole))
	reversed := make([][2]float64, len(outer))
	for i, c := range outer {
		reversed[len(outer)-1-i] = c
	}
	cw := mk(t)(FromLonLat(reversed))
	if got := AreaM2(withHole); !within(got, 9600, 1e-4) {
		t.Errorf("with hole %.3f m², want 9600", got)
	}
	if got := AreaM2(cw); !within(got, 10_000, 1e-4) {
		t.Errorf("clockwise %.3f m², want 10000", got)
	}
	if AreaM2(Polygon{}) != 0 {
		t.Errorf("zero polygon has area")
	}
}
