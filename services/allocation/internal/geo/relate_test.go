package geo

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

func TestOverlapsOnlyWhenTheSharedAreaExceedsTheTolerance(t *testing.T) {
	a := isb.rect(t, 0, 0, 100, 100)
	tests := []struct {
		name string
		b    Polygon
		want bool
		area float64 // expected shared area, m²
	}{
		{"the same plot", isb.rect(t, 0, 0, 100, 100), true, 10_000},
		{"a neighbour sharing an edge", isb.rect(t, 100, 0, 200, 100), false, 0},
		{"a neighbour sharing part of an edge", isb.rect(t, 100, 50, 200, 150), false, 0},
		{"a corner touching", isb.rect(t, 100, 100, 200, 200), false, 0},
		{"apart", isb.rect(t, 150, 0, 250, 100), false, 0},
		{"inside", isb.rect(t, 10, 10, 20, 20), true, 100},
		{"around", isb.rect(t, -10, -10, 110, 110), true, 10_000},
		{"a 5 m strip across the edge", isb.rect(t, 95, 0, 195, 100), true, 500},
		{"a sliver from rounding (1 cm × 50 m)", isb.rect(t, 99.99, 0, 199.99, 50), false, 0.5},
		{"a diagonal plot across a corner", isb.ring(t, [2]float64{80, 100}, [2]float64{100, 80}, [2]float64{200, 180}, [2]float64{180, 200}), true, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Overlaps(a, tt.b); got != tt.want {
				t.Errorf("Overlaps(a, b) = %v, want %v", got, tt.want)
			}
			if got := Overlaps(tt.b, a); got != tt.want {
				t.Errorf("Overlaps(b, a) = %v, want %v", got, tt.want)
			}
			area, err := OverlapAreaM2(a, tt.b)
			must(t, err)
			if math.Abs(area-tt.area) > 0.01*tt.area+0.001 {
				t.Errorf("shared area %.3f m², want %.3f", area, tt.area)
			}
		})
	}
}

func TestOverlapsRespectsHoles(t *testing.T) {
	courtyard := mk(t)(FromLonLat(
		isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100}),
		isb.closed([2]float64{30, 30}, [2]float64{30, 70}, [2]float64{70, 70}, [2]float64{70, 30}),
	))
	if Overlaps(courtyard, isb.rect(t, 30, 30, 70, 70)) {
		t.Errorf("a plot filling the hole overlaps the courtyard")
	}
	if !Overlaps(courtyard, isb.rect(t, 20, 20, 80, 80)) {
		t.Errorf("a plot covering the hole's rim does not overlap")
	}
	if Overlaps(courtyard, Polygon{}) || Overlaps(Polygon{}, courtyard) {
		t.Errorf("a zero polygon overlaps")
	}
}

func TestWithinAllowsSharedBoundaryButNotProtrusion(t *testing.T) {
	zone := isb.rect(t, 0, 0, 1000, 1000)
	holed := mk(t)(FromLonLat(
		isb.closed([2]float64{0, 0}, [2]float64{1000, 0}, [2]float64{1000, 1000}, [2]float64{0, 1000}),
		isb.closed([2]float64{400, 400}, [2]float64{400, 600}, [2]float64{600, 600}, [2]float64{600, 400}),
	))
	tests := []struct {
		name         string
		inner, outer Polygon
		want         bool
		outside      float64 // m², -1: not checked
	}{
		{"well inside", isb.rect(t, 100, 100, 200, 200), zone, true, 0},
		{"along the boundary", isb.rect(t, 0, 0, 100, 100), zone, true, 0},
		{"the whole zone", isb.rect(t, 0, 0, 1000, 1000), zone, true, 0},
		{"1 cm over the boundary", isb.rect(t, -0.01, 0, 50, 50), zone, true, 0.5},
		{"10 m over the boundary", isb.rect(t, -10, 0, 50, 50), zone, false, 500},
		{"outside", isb.rect(t, 2000, 0, 2100, 100), zone, false, 10000},
		{"around the zone", isb.rect(t, -10, -10, 1010, 1010), zone, false, 40400},
		{"in the zone's hole", isb.rect(t, 450, 450, 550, 550), holed, false, 10000},
		{"around the zone's hole", isb.rect(t, 300, 300, 700, 700), holed, false, 40000},
		{"beside the zone's hole", isb.rect(t, 300, 400, 400, 600), holed, true, 0},
		{"zero inner", Polygon{}, zone, false, -1},
		{"zero outer", zone, Polygon{}, false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Within(tt.inner, tt.outer); got != tt.want {
				out, _ := OutsideAreaM2(tt.inner, tt.outer)
				t.Fatalf("Within = %v, want %v (outside %.3f m²)", got, tt.want, out)
			}
			if tt.outside >= 0 {
				out, err := OutsideAreaM2(tt.inner, tt.outer)
				must(t, err)
				if math.Abs(out-tt.outside) > 0.001*tt.outside+0.01 {
					t.Errorf("outside area %.3f m², want %.3f", out, tt.outside)
				}
			}
		})
	}
}

func TestCoversExactly(t *testing.T) {
	parent := isb.rect(t, 0, 0, 100, 100)
	tests := []struct {
		name   string
		parts  []Polygon
		fields []string
		reason map[string]string
	}{
		{"halves", []Polygon{isb.rect(t, 0, 0, 50, 100), isb.rect(t, 50, 0, 100, 100)}, nil, nil},
		{"an L and a square", []Polygon{
			isb.ring(t, [2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 40}, [2]float64{40, 40}, [2]float64{40, 100}, [2]float64{0, 100}),
			isb.rect(t, 40, 40, 100, 100),
		}, nil, nil},
		{"the parent itself", []Polygon{parent}, nil, nil},
		{"overlapping halves", []Polygon{isb.rect(t, 0, 0, 60, 100), isb.rect(t, 50, 0, 100, 100)},
			[]string{"parts[1].boundary"}, map[string]string{"parts[1].boundary": "overlaps part 0 by 99"}},
		{"a part sticking out", []Polygon{isb.rect(t, 0, 0, 50, 100), isb.rect(t, 50, 0, 120, 100)},
			[]string{"parts[1].boundary"}, map[string]string{"parts[1].boundary": "m² outside the parent"}},
		{"a gap", []Polygon{isb.rect(t, 0, 0, 50, 100), isb.rect(t, 60, 0, 100, 100)},
			[]string{"parts"}, map[string]string{"parts": "m² of the parent uncovered (near 73.0005"}},
		{"every bad part at once", []Polygon{isb.rect(t, 0, 0, 60, 100), isb.rect(t, 50, 0, 100, 100), isb.rect(t, 100, 0, 150, 100), {}},
			[]string{"parts[1].boundary", "parts[2].boundary", "parts[3].boundary"}, nil},
		{"no parts", nil, []string{"parts"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CoversExactly(parent, tt.parts)
			if tt.fields == nil {
				must(t, err)
				return
			}
			v := faulttest.WantFields(t, err, tt.fields...)
			for field, want := range tt.reason {
				if got := reasonOf(v, field); !strings.Contains(got, want) {
					t.Errorf("%s: %q does not mention %q", field, got, want)
				}
			}
		})
	}
	faulttest.WantFields(t, CoversExactly(Polygon{}, []Polygon{parent}), "parent")
}

func TestUnionMergesAdjacentPolygonsOnly(t *testing.T) {
	t.Run("two halves make the whole", func(t *testing.T) {
		u, err := Union([]Polygon{isb.rect(t, 0, 0, 50, 100), isb.rect(t, 50, 0, 100, 100)})
		must(t, err)
		if !within(AreaM2(u), 10_000, 1e-4) || u.Geom().NumInteriorRings() != 0 {
			t.Fatalf("union %s of %.2f m²", u, AreaM2(u))
		}
	})
	t.Run("a ring of plots keeps its courtyard as a hole", func(t *testing.T) {
		var ring []Polygon
		for i := range 3 {
			for j := range 3 {
				if i != 1 || j != 1 {
					ring = append(ring, isb.rect(t, float64(i)*10, float64(j)*10, float64(i+1)*10, float64(j+1)*10))
				}
			}
		}
		u, err := Union(ring)
		must(t, err)
		if u.Geom().NumInteriorRings() != 1 || !within(AreaM2(u), 800, 1e-4) {
			t.Fatalf("union %s of %.2f m²", u, AreaM2(u))
		}
	})
	t.Run("one polygon is itself", func(t *testing.T) {
		p := isb.rect(t, 0, 0, 10, 10)
		u, err := Union([]Polygon{p})
		must(t, err)
		if !u.Equal(p) {
			t.Fatalf("union of one changed it")
		}
	})
	tests := []struct {
		name   string
		ps     []Polygon
		pieces [][]int
	}{
		{"apart", []Polygon{isb.rect(t, 0, 0, 10, 10), isb.rect(t, 20, 0, 30, 10)}, [][]int{{0}, {1}}},
		{"touching at a corner", []Polygon{isb.rect(t, 0, 0, 10, 10), isb.rect(t, 10, 10, 20, 20)}, [][]int{{0}, {1}}},
		{"two pairs", []Polygon{isb.rect(t, 0, 0, 10, 10), isb.rect(t, 50, 0, 60, 10), isb.rect(t, 10, 0, 20, 10), isb.rect(t, 60, 0, 70, 10)}, [][]int{{0, 2}, {1, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Union(tt.ps)
			var nc *NotContiguousError
			if !errors.As(err, &nc) {
				t.Fatalf("want NotContiguousError, got %v", err)
			}
			if !errors.Is(err, ErrNotContiguous) || !errors.Is(err, fault.ErrRule) {
				t.Errorf("error %v does not match ErrNotContiguous and fault.ErrRule", err)
			}
			got := slices.Clone(nc.Pieces)
			slices.SortFunc(got, func(a, b []int) int { return a[0] - b[0] })
			if !slices.EqualFunc(got, tt.pieces, slices.Equal) {
				t.Fatalf("pieces %v, want %v", got, tt.pieces)
			}
		})
	}
	if _, err := Union(nil); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("union of nothing: %v", err)
	}
	if _, err := Union([]Polygon{isb.rect(t, 0, 0, 2, 2), {}}); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("union with a zero polygon: %v", err)
	}
}
