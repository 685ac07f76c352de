// Package geo is the geometry of plot plans: polygons in WGS84 longitude/latitude as GeoJSON
// carries them, their area in square metres, the overlap and containment tests the allocation
// rules need, a spatial index of live plots, and GeoJSON FeatureCollection decoding and encoding.
//
// The package is pure: no I/O, no clock, no randomness. The geometry itself (validation, set
// operations, point-in-polygon, segment intersection) is github.com/peterstace/simplefeatures;
// this package only decides what the rules mean in metres and square metres.
//
// Choices made here:
//   - Coordinates are RFC 7946 GeoJSON: longitude then latitude in degrees (WGS84), edges straight
//     in longitude/latitude. A third coordinate (height) is accepted and dropped.
//   - A Polygon is valid when simplefeatures validates it (closed, simple rings; holes inside the
//     shell; connected interior), it is not empty, every coordinate is a longitude in [-180, 180]
//     and a latitude in [-90, 90], it spans at most MaxSpanDegrees either way (a plot or a zone
//     wider than about 100 km is a unit mistake, usually projected metres or swapped axes), it has
//     at most MaxVertices vertices and MaxRings rings, and its area is at least MinAreaM2.
//     Ring orientation is not checked on input (RFC 7946 says parsers must not reject it);
//     encoding writes the shell counter-clockwise and holes clockwise, as RFC 7946 asks.
//   - Areas are measured on the WGS84 ellipsoid through the Lambert cylindrical equal-area
//     projection of the authalic sphere (see AreaM2), which is exactly area-preserving; the only
//     error is that edges straight in longitude/latitude bend slightly in that plane.
//   - Two polygons conflict only when the area they share exceeds OverlapEpsilonM2: plots that
//     share an edge or touch at a corner are neighbours, not overlaps, and the tolerance absorbs
//     the slivers that survey coordinates rounded to 6 or 7 decimals leave along shared edges.
//   - Containment (Within) and exact cover (CoversExactly) use the same tolerance: a part may
//     stick out of its parent, and a cover may leave a gap, by at most OverlapEpsilonM2 per part.
//
// Errors follow libs/platform/fault: malformed geometry is a fault.ErrInvalid whose text is the
// reason only (so fault.Fields.Merge files it under the caller's field name), and whole-document
// decoders return a *fault.ValidationError naming every bad feature at once.
package geo
