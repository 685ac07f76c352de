package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/peterstace/simplefeatures/geom"
	"github.com/peterstace/simplefeatures/rtree"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Limits on one polygon. They keep validation and overlay cheap enough to run inside a request
// and catch coordinates that are not longitude/latitude at all.
const (
	// MaxVertices bounds the vertices of all rings of one polygon together. A surveyed plot has
	// tens; a detailed zone boundary a few thousand.
	MaxVertices = 20_000
	// MaxRings bounds the rings (shell and holes) of one polygon.
	MaxRings = 100
	// MaxSpanDegrees bounds a polygon's extent in longitude and in latitude, about 110 km: no zone
	// is that large, and anything larger is almost always projected metres or swapped axes.
	MaxSpanDegrees = 1.0
	// MinAreaM2 is the smallest polygon accepted, in square metres; anything smaller is a
	// digitising slip (a collapsed or sliver ring), not land.
	MinAreaM2 = 1.0
)

// Bounds is an axis-aligned box in longitude/latitude degrees.
type Bounds struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

func (b Bounds) box() rtree.Box {
	return rtree.Box{MinX: b.MinLon, MinY: b.MinLat, MaxX: b.MaxLon, MaxY: b.MaxLat}
}

func boundsOf(b rtree.Box) Bounds {
	return Bounds{MinLon: b.MinX, MinLat: b.MinY, MaxLon: b.MaxX, MaxLat: b.MaxY}
}

// Polygon is a valid WGS84 polygon (see the package comment for what valid means). The zero
// value is "no polygon" (IsZero), which encodes as JSON null; every other value was validated
// on construction and is immutable.
type Polygon struct {
	g    geom.Polygon
	box  rtree.Box
	area float64 // square metres, computed once on construction
}

// IsZero reports whether p is the zero value (no polygon).
func (p Polygon) IsZero() bool { return p.g.IsEmpty() }

// Geom returns the simplefeatures polygon, for callers that need operations this package does
// not wrap.
func (p Polygon) Geom() geom.Polygon { return p.g }

// Bounds returns the bounding box of p in degrees; the zero Bounds for the zero Polygon.
func (p Polygon) Bounds() Bounds { return boundsOf(p.box) }

// NumVertices returns the number of vertices of all rings, closing vertices included.
func (p Polygon) NumVertices() int {
	n := 0
	for _, r := range p.g.DumpRings() {
		n += r.Coordinates().Length()
	}
	return n
}

// String returns p as WKT, for logs and messages.
func (p Polygon) String() string {
	if p.IsZero() {
		return "POLYGON EMPTY"
	}
	return p.g.AsText()
}

// Equal reports whether p and q have exactly the same rings, vertex for vertex (orientation
// and starting vertex included).
func (p Polygon) Equal(q Polygon) bool {
	return geom.ExactEquals(p.g.AsGeometry(), q.g.AsGeometry())
}

// ParsePolygon reads a GeoJSON geometry object of type Polygon and validates it. A
// MultiPolygon, a Feature or any other type is refused with a reason that says so. Errors
// match fault.ErrInvalid and their text is the reason only, so callers file them under their
// own field name with fault.Fields.Merge.
func ParsePolygon(raw json.RawMessage) (Polygon, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return Polygon{}, fault.Reasonf("required: a GeoJSON Polygon geometry")
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(trimmed, &head); err != nil {
		return Polygon{}, fault.Reasonf("must be a GeoJSON geometry object: %s", jsonReason(err))
	}
	switch head.Type {
	case "Polygon":
	case "MultiPolygon":
		return Polygon{}, fault.Reasonf("must be a single Polygon: a MultiPolygon has separate parts, and one plot is one piece of land; send each part as its own feature")
	case "":
		return Polygon{}, fault.Reasonf(`must be a GeoJSON geometry with "type": "Polygon"`)
	case "Feature", "FeatureCollection":
		return Polygon{}, fault.Reasonf("must be a GeoJSON Polygon geometry, not a %s (send the feature's geometry member)", head.Type)
	default:
		return Polygon{}, fault.Reasonf("must be a GeoJSON Polygon, not a %s", head.Type)
	}
	g, err := geom.UnmarshalGeoJSON(trimmed, geom.NoValidate{})
	if err != nil {
		return Polygon{}, fault.Reasonf("malformed Polygon: %s", err)
	}
	poly, ok := g.AsPolygon()
	if !ok {
		// Unreachable: the type was checked above; kept so that a library change fails safe.
		return Polygon{}, fault.Reasonf("must be a GeoJSON Polygon")
	}
	return NewPolygon(poly)
}

// NewPolygon validates a simplefeatures polygon (any Z or M values are dropped) and wraps it.
func NewPolygon(g geom.Polygon) (Polygon, error) {
	g = g.Force2D()
	if g.IsEmpty() {
		return Polygon{}, fault.Reasonf("must not be empty")
	}
	if n := g.NumRings(); n > MaxRings {
		return Polygon{}, fault.Reasonf("has %d rings; at most %d are allowed", n, MaxRings)
	}
	box, err := checkCoordinates(g)
	if err != nil {
		return Polygon{}, err
	}
	if err := g.Validate(); err != nil {
		return Polygon{}, fault.Reasonf("not a valid polygon: %s", describeInvalid(err))
	}
	p := Polygon{g: g, box: box}
	p.area = areaM2(g, box)
	if p.area < MinAreaM2 {
		return Polygon{}, fault.Reasonf("encloses %.3f m², less than the minimum of %g m²: the ring has collapsed", p.area, MinAreaM2)
	}
	return p, nil
}

// FromLonLat builds a polygon from a shell and optional holes given as [longitude, latitude]
// pairs; rings are closed automatically when the last vertex differs from the first.
func FromLonLat(shell [][2]float64, holes ...[][2]float64) (Polygon, error) {
	rings := make([]geom.LineString, 0, 1+len(holes))
	for _, r := range append([][][2]float64{shell}, holes...) {
		flat := make([]float64, 0, 2*len(r)+2)
		for _, c := range r {
			flat = append(flat, c[0], c[1])
		}
		if len(r) > 0 && r[0] != r[len(r)-1] {
			flat = append(flat, r[0][0], r[0][1])
		}
		rings = append(rings, geom.NewLineString(geom.NewSequence(flat, geom.DimXY)))
	}
	return NewPolygon(geom.NewPolygon(rings))
}

// checkCoordinates counts vertices, checks every coordinate is a finite longitude/latitude and
// returns the bounding box after checking its span.
func checkCoordinates(g geom.Polygon) (rtree.Box, error) {
	box := rtree.Box{MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
	total := 0
	for _, ring := range g.DumpRings() {
		seq := ring.Coordinates()
		n := seq.Length()
		total += n
		if total > MaxVertices {
			return rtree.Box{}, fault.Reasonf("has more than %d vertices", MaxVertices)
		}
		for i := range n {
			xy := seq.GetXY(i)
			switch {
			case math.IsNaN(xy.X) || math.IsNaN(xy.Y) || math.IsInf(xy.X, 0) || math.IsInf(xy.Y, 0):
				return rtree.Box{}, fault.Reasonf("coordinates must be finite numbers")
			case xy.X < -180 || xy.X > 180:
				return rtree.Box{}, fault.Reasonf("longitude %v is outside [-180, 180]; coordinates are [longitude, latitude] in WGS84 degrees", xy.X)
			case xy.Y < -90 || xy.Y > 90:
				return rtree.Box{}, fault.Reasonf("latitude %v is outside [-90, 90]; coordinates are [longitude, latitude] in WGS84 degrees", xy.Y)
			}
			box.MinX, box.MaxX = math.Min(box.MinX, xy.X), math.Max(box.MaxX, xy.X)
			box.MinY, box.MaxY = math.Min(box.MinY, xy.Y), math.Max(box.MaxY, xy.Y)
		}
	}
	if w, h := box.MaxX-box.MinX, box.MaxY-box.MinY; w > MaxSpanDegrees || h > MaxSpanDegrees {
		return rtree.Box{}, fault.Reasonf("spans %.4g° of longitude and %.4g° of latitude; at most %g° is allowed (are these projected metres, or latitude and longitude swapped?)", w, h, MaxSpanDegrees)
	}
	return box, nil
}

// describeInvalid words a simplefeatures validation error for a person with a GIS tool open:
// which ring, what is wrong, and where.
func describeInvalid(err error) string {
	s := err.Error()
	s = strings.Replace(s, "validating ring at index 0: ", "outer ring: ", 1)
	if strings.HasPrefix(s, "validating ring at index ") {
		s = "hole " + strings.TrimPrefix(s, "validating ring at index ")
	}
	s = strings.Replace(s, "polygon ring not simple", "ring crosses or touches itself", 1)
	s = strings.Replace(s, "polygon ring not closed", "ring is not closed (its last position must repeat the first)", 1)
	return s
}

// MarshalJSON encodes p as a GeoJSON Polygon geometry with RFC 7946 winding (shell
// counter-clockwise, holes clockwise), or null for the zero Polygon.
func (p Polygon) MarshalJSON() ([]byte, error) {
	if p.IsZero() {
		return []byte("null"), nil
	}
	return p.g.ForceCCW().MarshalJSON()
}

// UnmarshalJSON decodes and validates a GeoJSON Polygon geometry; null leaves p zero.
func (p *Polygon) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*p = Polygon{}
		return nil
	}
	q, err := ParsePolygon(data)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// jsonReason shortens encoding/json's messages, which name Go types the client never sees.
func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("%s must not be a JSON %s", typ.Field, typ.Value)
		}
		return fmt.Sprintf("must be an object, not a JSON %s", typ.Value)
	}
	return err.Error()
}
