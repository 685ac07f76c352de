package geo

import (
	"math"

	"github.com/peterstace/simplefeatures/geom"
	"github.com/peterstace/simplefeatures/rtree"
)

// WGS84 ellipsoid and its authalic (equal-area) sphere.
const (
	wgs84A = 6378137.0                // semi-major axis, metres
	wgs84F = 1 / 298.257223563        // flattening
	degree = math.Pi / 180            // radians per degree
	maxRad = 6399593.6257584933       // polar radius of curvature a/sqrt(1-e²), the largest M or N
	e2     = wgs84F * (2 - wgs84F)    // first eccentricity squared
	oneE2  = 1 - e2                   // 1 - e²
	rq     = 6371007.1809184747       // authalic radius a·sqrt(q_p/2), q_p = q(90°) = 1.99553108750283
	kx     = rq * degree              // metres per degree of longitude in the projection
	ky     = wgs84A * wgs84A / 2 / rq // scale of q differences in the projection
)

var ecc = math.Sqrt(e2)

// authalicQ is Snyder's q(φ) (Map Projections: A Working Manual, eq. 3-12) for sin φ. On the
// authalic sphere sin β = q(φ)/q_p, and the area element of the ellipsoid, M·N·cos φ dφ dλ, is
// exactly (a²/2)·dq·dλ.
func authalicQ(sinPhi float64) float64 {
	es := ecc * sinPhi
	return oneE2 * (sinPhi/(1-es*es) - 1/(2*ecc)*math.Log((1-es)/(1+es)))
}

// projection returns the Lambert cylindrical equal-area projection of the authalic sphere,
// centred on box: x = R_q·(λ-λ0), y = (a²/2R_q)·(q(φ)-q(φ0)). It preserves area on the WGS84
// ellipsoid exactly; centring it keeps coordinates small so the shoelace sum loses no precision.
func projection(box rtree.Box) func(geom.XY) geom.XY {
	lon0 := (box.MinX + box.MaxX) / 2
	q0 := authalicQ(math.Sin((box.MinY + box.MaxY) / 2 * degree))
	return func(p geom.XY) geom.XY {
		return geom.XY{X: kx * (p.X - lon0), Y: ky * (authalicQ(math.Sin(p.Y*degree)) - q0)}
	}
}

// AreaM2 returns the area of p on the WGS84 ellipsoid in square metres (0 for the zero Polygon).
//
// simplefeatures' Area is planar in coordinate units, so the polygon is first projected with the
// Lambert cylindrical equal-area projection of the authalic sphere, which maps ellipsoid area to
// plane area exactly. The one approximation is the edges: GeoJSON edges are straight in
// longitude/latitude, and the projection bends edges that change latitude (y is not linear in
// latitude) while the shoelace formula takes them straight. The relative error is at most
// about |tan φ|·Δφ/6, Δφ being the polygon's latitude span in radians (reached by a triangle
// with one slanted edge; opposite slanted edges largely cancel). At Pakistan's latitudes
// (24°-37°N) that is under 0.003% for a plot 1 km across, under 0.0003% for one 100 m across,
// and about 0.2% for the largest polygon accepted (MaxSpanDegrees); the tests check these
// against densified polygons and the ellipsoid integral.
func AreaM2(p Polygon) float64 { return p.area }

// areaM2 computes the area of a polygon whose bounding box is box.
func areaM2(g geom.Polygon, box rtree.Box) float64 {
	return g.Area(geom.WithTransform(projection(box)))
}

// geometryAreaM2 returns the area of any geometry (lines and points have none).
func geometryAreaM2(g geom.Geometry) float64 {
	b, ok := g.Envelope().AsBox()
	if !ok {
		return 0
	}
	return g.Area(geom.WithTransform(projection(b)))
}

// boxAreaBoundM2 returns an upper bound of the area of a lon/lat box in square metres, cheaply:
// every degree of latitude is at most maxRad·π/180 metres long and every degree of longitude at
// most maxRad·cos φ·π/180 at the latitude φ nearest the equator. It lets the overlap test skip
// the exact overlay when even the boxes cannot share more than the tolerance.
func boxAreaBoundM2(b rtree.Box) float64 {
	w, h := b.MaxX-b.MinX, b.MaxY-b.MinY
	if w <= 0 || h <= 0 {
		return 0
	}
	minAbsLat := 0.0
	if b.MinY > 0 {
		minAbsLat = b.MinY
	} else if b.MaxY < 0 {
		minAbsLat = -b.MaxY
	}
	m := maxRad * degree
	return w * h * m * m * math.Cos(minAbsLat*degree)
}
