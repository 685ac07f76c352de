package geo

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/peterstace/simplefeatures/geom"
	"github.com/peterstace/simplefeatures/rtree"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// OverlapEpsilonM2 is the area, in square metres, that two polygons may share and still count
// as neighbours rather than overlapping, and that a part may stick out of its container. Shared
// edges and corners share no area at all; the tolerance absorbs the slivers that coordinates
// rounded to 6 decimals (about 10 cm) leave along an edge tens of metres long. A real overlap
// between plots is always far larger.
const OverlapEpsilonM2 = 1.0

// ErrNotContiguous: polygons that do not form one piece cannot be merged into one polygon.
var ErrNotContiguous = fmt.Errorf("the polygons do not form one piece: %w", fault.ErrRule)

// ErrGeometryEngine: the geometry library could not compute an overlay for numerically
// degenerate input (nearly coincident edges at the limit of floating point). The input was
// valid, so it is reported as a business-rule refusal that tells the user to clean the
// geometry, never as an internal error.
var ErrGeometryEngine = fmt.Errorf("the geometry is too close to degenerate to compare reliably; snap shared vertices and try again: %w", fault.ErrRule)

// overlay runs a simplefeatures set operation; when the library reports numerical degeneracy it
// retries once with both inputs snapped to a 1e-9° grid (0.1 mm), which removes near-coincident
// vertices without changing any area that matters.
func overlay(op func(a, b geom.Geometry) (geom.Geometry, error), a, b geom.Geometry) (geom.Geometry, error) {
	g, err := op(a, b)
	if err == nil {
		return g, nil
	}
	g, err2 := op(a.SnapToGrid(9), b.SnapToGrid(9))
	if err2 == nil {
		return g, nil
	}
	return geom.Geometry{}, fmt.Errorf("%w (%v)", ErrGeometryEngine, err)
}

func intersectBoxes(a, b rtree.Box) (rtree.Box, bool) {
	r := rtree.Box{
		MinX: math.Max(a.MinX, b.MinX), MinY: math.Max(a.MinY, b.MinY),
		MaxX: math.Min(a.MaxX, b.MaxX), MaxY: math.Min(a.MaxY, b.MaxY),
	}
	return r, r.MinX <= r.MaxX && r.MinY <= r.MaxY
}

// OverlapAreaM2 returns the area a and b share in square metres. Polygons that only touch
// share none. An error (ErrGeometryEngine) means the overlay could not be computed.
func OverlapAreaM2(a, b Polygon) (float64, error) {
	if a.IsZero() || b.IsZero() {
		return 0, nil
	}
	ib, ok := intersectBoxes(a.box, b.box)
	if !ok || boxAreaBoundM2(ib) == 0 {
		return 0, nil
	}
	ag, bg := a.g.AsGeometry(), b.g.AsGeometry()
	if !geom.Intersects(ag, bg) {
		return 0, nil
	}
	g, err := overlay(geom.Intersection, ag, bg)
	if err != nil {
		return 0, err
	}
	return geometryAreaM2(g), nil
}

// overlapBeyond reports whether a and b share more than eps square metres, and how much. The
// cheap tests come first: boxes that cannot share eps, then polygons that do not meet at all;
// only then the exact overlay. When the overlay fails the answer is "overlapping" with an
// infinite area: an unverifiable plot is never let through.
func overlapBeyond(a, b Polygon, eps float64) (bool, float64) {
	ib, ok := intersectBoxes(a.box, b.box)
	if !ok || boxAreaBoundM2(ib) <= eps {
		return false, 0
	}
	area, err := OverlapAreaM2(a, b)
	if err != nil {
		return true, math.Inf(1)
	}
	return area > eps, area
}

// Overlaps reports whether a and b share more than OverlapEpsilonM2 of area. Shared edges and
// touching corners are not overlaps. Zero polygons overlap nothing.
func Overlaps(a, b Polygon) bool {
	if a.IsZero() || b.IsZero() {
		return false
	}
	over, _ := overlapBeyond(a, b, OverlapEpsilonM2)
	return over
}

// OutsideAreaM2 returns the area of inner that lies outside outer, in square metres.
func OutsideAreaM2(inner, outer Polygon) (float64, error) {
	if inner.IsZero() {
		return 0, nil
	}
	if outer.IsZero() {
		return inner.area, nil
	}
	ib, ig, og := inner.box, inner.g.AsGeometry(), outer.g.AsGeometry()
	if _, ok := intersectBoxes(ib, outer.box); !ok {
		return inner.area, nil
	}
	// Fast path: when the boundaries do not meet, one vertex of each polygon settles the common
	// cases: inner's shell inside outer (and around none of its holes) lies wholly inside it,
	// and when neither has a vertex inside the other they are apart. Anything else (one around
	// the other, or around a hole) is left to the exact overlay.
	if !geom.Intersects(inner.g.Boundary().AsGeometry(), outer.g.Boundary().AsGeometry()) {
		innerIn := geom.Intersects(inner.g.ExteriorRing().StartPoint().AsGeometry(), og)
		switch {
		case innerIn && !surroundsAHole(ig, outer.g):
			return 0, nil
		case !innerIn && !geom.Intersects(outer.g.ExteriorRing().StartPoint().AsGeometry(), ig):
			return inner.area, nil
		}
	}
	g, err := overlay(geom.Difference, ig, og)
	if err != nil {
		return 0, err
	}
	return geometryAreaM2(g), nil
}

// surroundsAHole reports whether a hole of outer lies inside inner (with the boundaries known
// not to meet, one vertex of the hole tells).
func surroundsAHole(inner geom.Geometry, outer geom.Polygon) bool {
	for i := range outer.NumInteriorRings() {
		if geom.Intersects(outer.InteriorRingN(i).StartPoint().AsGeometry(), inner) {
			return true
		}
	}
	return false
}

// Within reports whether inner is covered by outer, allowing inner to stick out by at most
// OverlapEpsilonM2 (so a plot drawn along the zone's boundary is inside it). Zero polygons are
// within nothing; when the overlay cannot be computed the answer is false.
func Within(inner, outer Polygon) bool {
	if inner.IsZero() || outer.IsZero() {
		return false
	}
	out, err := OutsideAreaM2(inner, outer)
	return err == nil && out <= OverlapEpsilonM2
}

// CoversExactly checks that parts tile parent: no two parts overlap (by more than
// OverlapEpsilonM2), every part lies within the parent, and together they leave no more than
// OverlapEpsilonM2 per part of the parent uncovered. Every problem is reported at once in a
// *fault.ValidationError whose fields name the parts by index ("parts[2].boundary"), the
// overlapping part, and for a gap where it is.
func CoversExactly(parent Polygon, parts []Polygon) error {
	var f fault.Fields
	if parent.IsZero() {
		f.Add("parent", "required: a polygon to subdivide")
	}
	if len(parts) == 0 {
		f.Add("parts", "required: at least one part")
	}
	if !f.Empty() {
		return f.Err()
	}
	idx := NewIndex()
	anyMissing := false
	for i, p := range parts {
		name := fmt.Sprintf("parts[%d].boundary", i)
		if p.IsZero() {
			f.Add(name, "required: every part of a drawn plot must be drawn")
			anyMissing = true
			continue
		}
		for _, c := range idx.ConflictsDetail(p) {
			f.Addf(name, "overlaps part %s by %s", c.ID, formatM2(c.AreaM2))
		}
		idx.Insert(fmt.Sprint(i), p)
		out, err := OutsideAreaM2(p, parent)
		switch {
		case err != nil:
			f.Add(name, err.Error())
		case out > OverlapEpsilonM2:
			f.Addf(name, "extends %s outside the parent", formatM2(out))
		}
	}
	if !f.Empty() || anyMissing {
		return f.Err()
	}
	union, err := unionGeometry(parts)
	if err != nil {
		f.Add("parts", err.Error())
		return f.Err()
	}
	gap, err := overlay(geom.Difference, parent.g.AsGeometry(), union)
	if err != nil {
		f.Add("parts", err.Error())
		return f.Err()
	}
	if a := geometryAreaM2(gap); a > OverlapEpsilonM2*float64(len(parts)) {
		where := ""
		if pt, ok := gap.PointOnSurface().XY(); ok {
			where = fmt.Sprintf(" (near %.6f, %.6f)", pt.X, pt.Y)
		}
		f.Addf("parts", "leave %s of the parent uncovered%s", formatM2(a), where)
	}
	return f.Err()
}

func unionGeometry(ps []Polygon) (geom.Geometry, error) {
	gs := make([]geom.Geometry, len(ps))
	for i, p := range ps {
		gs[i] = p.g.AsGeometry()
	}
	g, err := geom.UnionMany(gs)
	if err != nil {
		// Retry snapped, as overlay does.
		for i := range gs {
			gs[i] = gs[i].SnapToGrid(9)
		}
		if g2, err2 := geom.UnionMany(gs); err2 == nil {
			return g2, nil
		}
		return geom.Geometry{}, fmt.Errorf("%w (%v)", ErrGeometryEngine, err)
	}
	return g, nil
}

// NotContiguousError says which of the polygons given to Union form which separate piece.
// It matches ErrNotContiguous and therefore fault.ErrRule.
type NotContiguousError struct {
	// Pieces lists, for each separate piece of the union, the indexes of the input polygons in
	// it.
	Pieces [][]int
}

// Error implements error.
func (e *NotContiguousError) Error() string {
	parts := make([]string, len(e.Pieces))
	for i, p := range e.Pieces {
		idx := make([]string, len(p))
		for j, k := range p {
			idx[j] = fmt.Sprint(k)
		}
		parts[i] = "[" + strings.Join(idx, ", ") + "]"
	}
	return fmt.Sprintf("%s (separate pieces: %s)", ErrNotContiguous.Error(), strings.Join(parts, " "))
}

// Is makes a NotContiguousError match ErrNotContiguous and fault.ErrRule.
func (e *NotContiguousError) Is(target error) bool {
	return target == ErrNotContiguous || target == fault.ErrRule
}

// Union merges polygons that together form one piece (adjacent plots) into one polygon.
// Polygons that do not meet along an edge (apart, or touching only at a corner) do not form one
// piece: the error is a *NotContiguousError naming which inputs fall in which piece. Inputs that
// overlap are unioned like any others; whether they may overlap is the caller's rule.
func Union(ps []Polygon) (Polygon, error) {
	if len(ps) == 0 {
		return Polygon{}, fault.Reasonf("required: at least one polygon")
	}
	for i, p := range ps {
		if p.IsZero() {
			return Polygon{}, fault.Reasonf("polygon %d is missing", i)
		}
	}
	if len(ps) == 1 {
		return ps[0], nil
	}
	g, err := unionGeometry(ps)
	if err != nil {
		return Polygon{}, err
	}
	if poly, ok := g.AsPolygon(); ok {
		out, err := NewPolygon(poly)
		if err != nil {
			return Polygon{}, fmt.Errorf("the union is not a valid polygon: %v: %w", err, ErrGeometryEngine)
		}
		return out, nil
	}
	mp, ok := g.AsMultiPolygon()
	if !ok {
		return Polygon{}, fmt.Errorf("the union is a %s: %w", g.Type(), ErrGeometryEngine)
	}
	return Polygon{}, &NotContiguousError{Pieces: pieces(mp, ps)}
}

// pieces assigns each input polygon to the piece of the union that contains a point inside it.
func pieces(mp geom.MultiPolygon, ps []Polygon) [][]int {
	out := make([][]int, mp.NumPolygons())
	for i, p := range ps {
		pt := p.g.PointOnSurface().AsGeometry()
		for k := range out {
			if geom.Intersects(pt, mp.PolygonN(k).AsGeometry()) {
				out[k] = append(out[k], i)
				break
			}
		}
	}
	return slices.DeleteFunc(out, func(s []int) bool { return len(s) == 0 })
}

// formatM2 renders an area for messages: two decimals, "m²".
func formatM2(a float64) string {
	if math.IsInf(a, 1) {
		return "an area that could not be computed"
	}
	return fmt.Sprintf("%.2f m²", a)
}
