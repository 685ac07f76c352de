package zoning

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fsm"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

// PlotStatus is where a plot stands.
type PlotStatus string

// Plot statuses. Withdrawn and retired are final.
const (
	// PlotLive is land in the zone's plan, available to build on and lease.
	PlotLive PlotStatus = "live"
	// PlotWithdrawn was taken out of the plan (a road realigned, land returned).
	PlotWithdrawn PlotStatus = "withdrawn"
	// PlotRetired was replaced by the plots of a subdivision or a merger (Children).
	PlotRetired PlotStatus = "retired"
)

// PlotStatuses returns every plot status.
func PlotStatuses() []PlotStatus { return []PlotStatus{PlotLive, PlotWithdrawn, PlotRetired} }

var plotMoves = map[Action]fsm.Move[PlotStatus]{
	ActionWithdraw:  {From: []PlotStatus{PlotLive}, To: PlotWithdrawn},
	ActionSubdivide: {From: []PlotStatus{PlotLive}, To: PlotRetired},
	ActionMerge:     {From: []PlotStatus{PlotLive}, To: PlotRetired},
}

// Allows reports whether the state machine permits act from s. Rules checked by the function
// itself (not leased, adjacent) may still refuse.
func (s PlotStatus) Allows(act Action) bool {
	_, err := fsm.Next(plotMoves, "plot", act, s)
	return err == nil
}

// Plot is a piece of land in a zone's plan.
type Plot struct {
	ID      string   `json:"id"`
	ZoneID  string   `json:"zone_id"`
	Code    PlotCode `json:"code"`
	AreaM2  Area     `json:"area_m2"`
	LandUse LandUse  `json:"land_use"`
	// Boundary is the surveyed polygon, when drawn; a plot may be planned by area alone.
	Boundary *geo.Polygon `json:"boundary,omitempty"`
	Status   PlotStatus   `json:"status"`
	// Parents are the plots this one was cut from (subdivision) or joined from (merger).
	Parents []string `json:"parents,omitempty"`
	// Children are the plots that replaced this one when it was retired.
	Children  []string       `json:"children,omitempty"`
	Version   int64          `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	History   []HistoryEntry `json:"history"`
}

// PlotInput is a plot as a request carries it, before parsing. AreaM2 is a json.Number so that
// "at most two decimals" is judged on the digits the client sent.
type PlotInput struct {
	Code     string          `json:"code"`
	AreaM2   json.Number     `json:"area_m2"`
	LandUse  string          `json:"land_use"`
	Boundary json.RawMessage `json:"boundary,omitempty"`
}

// PlotSpec is a parsed, valid plot description.
type PlotSpec struct {
	Code     PlotCode
	AreaM2   Area
	LandUse  LandUse
	Boundary *geo.Polygon
}

// ParsePlot validates every field and reports all problems at once, including a declared area
// that disagrees with the boundary's by more than the policy's tolerance.
func ParsePlot(in PlotInput, p Policy) (PlotSpec, error) {
	var f fault.Fields
	var s PlotSpec
	var err error
	s.Code, err = ParsePlotCode(in.Code)
	f.Merge("code", err)
	s.AreaM2, err = ParseArea(string(in.AreaM2))
	f.Merge("area_m2", err)
	s.LandUse, err = ParseLandUse(in.LandUse)
	f.Merge("land_use", err)
	s.Boundary, err = optionalPolygon(in.Boundary)
	f.Merge("boundary", err)
	if f.Empty() {
		s.check(&f, "", p)
	}
	if err := f.Err(); err != nil {
		return PlotSpec{}, err
	}
	return s, nil
}

// check validates a spec (which may have been built without ParsePlot) under field names
// prefixed with prefix ("parts[2].").
func (s PlotSpec) check(f *fault.Fields, prefix string, p Policy) {
	if _, err := ParsePlotCode(string(s.Code)); err != nil || strings.TrimSpace(string(s.Code)) != string(s.Code) {
		f.Add(prefix+"code", "must be 1 to 32 upper-case letters, digits or '-', e.g. A-12")
	}
	if s.AreaM2 <= 0 || s.AreaM2 > maxArea {
		f.Addf(prefix+"area_m2", "must be greater than 0 and at most %d m²", MaxAreaM2)
	}
	if _, err := ParseLandUse(string(s.LandUse)); err != nil {
		f.Merge(prefix+"land_use", err)
	}
	if s.Boundary != nil {
		if s.Boundary.IsZero() {
			f.Add(prefix+"boundary", "must be a polygon or absent")
		} else if measured := geo.AreaM2(*s.Boundary); s.AreaM2 > 0 && !p.areasAgree(s.AreaM2, measured) {
			f.Addf(prefix+"area_m2", "declared %s but the boundary measures %s: more than %s apart",
				s.AreaM2, formatM2(measured), percent(p.resolved().AreaTolerance))
		}
	}
}

func percent(x float64) string { return fmt.Sprintf("%g%%", x*100) }

// ZonePlots is what the store knows of a zone's plots when a rule needs them: the boundaries
// of its live plots in a spatial index keyed by plot id, and every code in use.
type ZonePlots struct {
	// Index holds the boundaries of the zone's live plots, keyed by plot id. Nil means none.
	Index *geo.Index
	// Codes maps every plot code in the zone, whatever the plot's status, to its plot id. Nil
	// skips the check here (the store's unique constraint still holds).
	Codes map[PlotCode]string
}

// codesByID inverts Codes, to name conflicting plots by code.
func (zp ZonePlots) codesByID() map[string]PlotCode {
	out := make(map[string]PlotCode, len(zp.Codes))
	for c, id := range zp.Codes {
		out[id] = c
	}
	return out
}

// codeTaken reports the plot that already uses code.
func (zp ZonePlots) codeTaken(code PlotCode) (string, bool) {
	id, ok := zp.Codes[code]
	return id, ok
}

// LeaseCheck reports whether a plot is under an active lease; the lease records belong to the
// service, so the rules ask. Nil means no plot is leased.
type LeaseCheck func(plotID string) bool

func (l LeaseCheck) leased(id string) bool { return l != nil && l(id) }

// NewPlot adds a live plot to zone. It checks the zone accepts plan changes, that the code is
// not used in the zone (when existing.Codes is given), and for a drawn plot that it lies inside
// the zone's boundary (when the zone has one) and overlaps no live plot, naming each plot it
// overlaps and by how much. Nothing is created when any rule fails.
func NewPlot(id string, zone *Zone, spec PlotSpec, existing ZonePlots, at time.Time, actor Actor, p Policy) (*Plot, error) {
	var f fault.Fields
	checkID(&f, "id", id)
	audit.Check(&f, at, actor)
	if zone == nil {
		f.Add("zone", "required")
	}
	spec.check(&f, "", p)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := zone.checkOpen("add plots to"); err != nil {
		return nil, err
	}
	if owner, taken := existing.codeTaken(spec.Code); taken {
		return nil, fmt.Errorf("plot code %s is used by plot %s in zone %s: %w", spec.Code, owner, zone.Code, ErrCodeTaken)
	}
	if spec.Boundary != nil {
		if err := insideZone(zone, spec.Code, *spec.Boundary); err != nil {
			return nil, err
		}
		if existing.Index != nil {
			if cs := existing.Index.ConflictsDetail(*spec.Boundary); len(cs) > 0 {
				return nil, overlapError(spec.Code, cs, existing.codesByID())
			}
		}
	}
	return newPlot(id, zone.ID, spec, nil, ActionCreate, at.UTC(), actor), nil
}

// insideZone checks that boundary lies within the zone's boundary, if the zone has one.
func insideZone(zone *Zone, code PlotCode, boundary geo.Polygon) error {
	if zone.Boundary == nil {
		return nil
	}
	out, err := geo.OutsideAreaM2(boundary, *zone.Boundary)
	if err != nil {
		return fmt.Errorf("plot %s: %w", code, err)
	}
	if out > geo.OverlapEpsilonM2 {
		return fmt.Errorf("plot %s extends %s outside zone %s: %w", code, formatM2(out), zone.Code, ErrOutsideZone)
	}
	return nil
}

func overlapError(code PlotCode, cs []geo.Conflict, codes map[string]PlotCode) error {
	e := &OverlapError{Plot: string(code)}
	for _, c := range cs {
		e.Conflicts = append(e.Conflicts, PlotConflict{PlotID: c.ID, Code: string(codes[c.ID]), AreaM2: c.AreaM2})
	}
	return e
}

func newPlot(id, zoneID string, s PlotSpec, parents []string, act Action, at time.Time, actor Actor) *Plot {
	pl := &Plot{
		ID: id, ZoneID: zoneID, Code: s.Code, AreaM2: s.AreaM2, LandUse: s.LandUse, Boundary: s.Boundary,
		Parents: parents, CreatedAt: at,
	}
	pl.record(act, PlotLive, at, actor, "", parents)
	return pl
}

func (pl *Plot) record(act Action, to PlotStatus, at time.Time, actor Actor, why string, related []string) {
	pl.History = append(pl.History, HistoryEntry{
		At: at, Actor: actor, Action: act, From: string(pl.Status), To: string(to), Reason: why, Related: slices.Clone(related),
	})
	pl.Status, pl.Version, pl.UpdatedAt = to, pl.Version+1, at
}

// Withdraw takes a live plot out of the plan. A reason is required, and land under a lease
// cannot be withdrawn (ErrLeased): end the lease first.
func (pl *Plot) Withdraw(at time.Time, actor Actor, why string, leased LeaseCheck) error {
	to, err := fsm.Next(plotMoves, "plot", ActionWithdraw, pl.Status)
	if err != nil {
		return err
	}
	var f fault.Fields
	audit.Check(&f, at, actor)
	why = reason(&f, why, true)
	if err := f.Err(); err != nil {
		return err
	}
	if leased.leased(pl.ID) {
		return fmt.Errorf("plot %s cannot be withdrawn: %w", pl.Code, ErrLeased)
	}
	pl.record(ActionWithdraw, to, at.UTC(), actor, why, nil)
	return nil
}

// Part is one plot of a subdivision: its id and what it is.
type Part struct {
	ID   string
	Spec PlotSpec
}

// Subdivide cuts a live, unleased plot into two or more parts. Drawn parents need drawn parts
// that cover the parent exactly (no overlaps, nothing outside, no gap); undrawn parents need
// undrawn parts. Either way the parts' declared areas must add up to the parent's within the
// policy's tolerance, and their codes must be new to the zone. On success the parent is retired
// with the parts as its children, and the parts are returned live; on failure nothing changes.
// The caller replaces the parent's polygon in its index with the parts'.
func Subdivide(zone *Zone, parent *Plot, parts []Part, existing ZonePlots, leased LeaseCheck, at time.Time, actor Actor, p Policy) ([]*Plot, error) {
	var f fault.Fields
	audit.Check(&f, at, actor)
	if zone == nil {
		f.Add("zone", "required")
	}
	if parent == nil {
		f.Add("parent", "required")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if parent.ZoneID != zone.ID {
		return nil, fmt.Errorf("plot %s is not in zone %s: %w", parent.Code, zone.Code, ErrOtherZone)
	}
	if err := zone.checkOpen("subdivide plots in"); err != nil {
		return nil, err
	}
	to, err := fsm.Next(plotMoves, "plot", ActionSubdivide, parent.Status)
	if err != nil {
		return nil, err
	}
	if leased.leased(parent.ID) {
		return nil, fmt.Errorf("plot %s cannot be subdivided: %w", parent.Code, ErrLeased)
	}

	if len(parts) < 2 {
		f.Add("parts", "a subdivision needs at least two parts")
	}
	ids, codes := map[string]int{}, map[PlotCode]int{}
	var total Area
	for i, part := range parts {
		prefix := fmt.Sprintf("parts[%d].", i)
		checkID(&f, prefix+"id", part.ID)
		if j, dup := ids[part.ID]; dup && part.ID != "" {
			f.Addf(prefix+"id", "repeats the id of parts[%d]", j)
		}
		ids[part.ID] = i
		part.Spec.check(&f, prefix, p)
		if j, dup := codes[part.Spec.Code]; dup {
			f.Addf(prefix+"code", "repeats the code of parts[%d]", j)
		}
		codes[part.Spec.Code] = i
		if parent.Boundary == nil && part.Spec.Boundary != nil {
			f.Add(prefix+"boundary", "must be absent: the parent plot has no boundary to divide (draw the parent first)")
		}
		total += part.Spec.AreaM2
	}
	if len(parts) >= 2 && !p.areasAgree(total, parent.AreaM2.M2()) {
		f.Addf("parts", "declared areas add up to %s but the parent's is %s: more than %s apart", total, parent.AreaM2, percent(p.resolved().AreaTolerance))
	}
	if parent.Boundary != nil && len(parts) >= 2 {
		polys := make([]geo.Polygon, len(parts))
		for i, part := range parts {
			if part.Spec.Boundary != nil {
				polys[i] = *part.Spec.Boundary
			}
		}
		f.Merge("", geo.CoversExactly(*parent.Boundary, polys))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	for _, part := range parts {
		if owner, taken := existing.codeTaken(part.Spec.Code); taken {
			return nil, fmt.Errorf("plot code %s is used by plot %s in zone %s: %w", part.Spec.Code, owner, zone.Code, ErrCodeTaken)
		}
	}

	at = at.UTC()
	partIDs := make([]string, len(parts))
	out := make([]*Plot, len(parts))
	for i, part := range parts {
		partIDs[i] = part.ID
		out[i] = newPlot(part.ID, zone.ID, part.Spec, []string{parent.ID}, ActionSubdivide, at, actor)
	}
	parent.Children = partIDs
	parent.record(ActionSubdivide, to, at, actor, "", partIDs)
	return out, nil
}

// MergeSpec is what the plot made by a merger is: its new code and land use. Its area is the
// sum of the merged plots' declared areas and its boundary their union.
type MergeSpec struct {
	Code    PlotCode
	LandUse LandUse
}

// Merge joins two or more live, unleased plots of one zone into a new live plot. Drawn plots
// must together form one piece of land (sharing edges, not just corners); plots merge only
// when all or none of them are drawn. The new plot's code must be new to the zone. On success
// the merged plots are retired with the new plot as their child; on failure nothing changes.
// The caller replaces their polygons in its index with the new plot's.
func Merge(zone *Zone, plots []*Plot, id string, spec MergeSpec, existing ZonePlots, leased LeaseCheck, at time.Time, actor Actor, p Policy) (*Plot, error) {
	var f fault.Fields
	checkID(&f, "id", id)
	audit.Check(&f, at, actor)
	if zone == nil {
		f.Add("zone", "required")
	}
	if len(plots) < 2 {
		f.Add("plots", "a merger needs at least two plots")
	}
	seen := map[string]int{}
	for i, pl := range plots {
		if pl == nil {
			f.Addf(fmt.Sprintf("plots[%d]", i), "required")
			continue
		}
		if j, dup := seen[pl.ID]; dup {
			f.Addf(fmt.Sprintf("plots[%d]", i), "repeats plots[%d]", j)
		}
		seen[pl.ID] = i
	}
	code, err := ParsePlotCode(string(spec.Code))
	f.Merge("code", err)
	landUse, err := ParseLandUse(string(spec.LandUse))
	f.Merge("land_use", err)
	if err := f.Err(); err != nil {
		return nil, err
	}
	for _, pl := range plots {
		if pl.ZoneID != zone.ID {
			return nil, fmt.Errorf("plot %s is not in zone %s: %w", pl.Code, zone.Code, ErrOtherZone)
		}
	}
	if err := zone.checkOpen("merge plots in"); err != nil {
		return nil, err
	}
	var leasedCodes, undrawn []string
	var total Area
	parents := make([]string, len(plots))
	polys := make([]geo.Polygon, 0, len(plots))
	for i, pl := range plots {
		if _, err := fsm.Next(plotMoves, "plot", ActionMerge, pl.Status); err != nil {
			return nil, fmt.Errorf("plot %s: %w", pl.Code, err)
		}
		if leased.leased(pl.ID) {
			leasedCodes = append(leasedCodes, string(pl.Code))
		}
		if pl.Boundary == nil {
			undrawn = append(undrawn, string(pl.Code))
		} else {
			polys = append(polys, *pl.Boundary)
		}
		parents[i] = pl.ID
		total += pl.AreaM2
	}
	if len(leasedCodes) > 0 {
		return nil, fmt.Errorf("plots %s cannot be merged: %w", strings.Join(leasedCodes, ", "), ErrLeased)
	}
	if len(undrawn) > 0 && len(undrawn) < len(plots) {
		return nil, fmt.Errorf("plots %s have no boundary: %w", strings.Join(undrawn, ", "), ErrMixedBoundaries)
	}
	if total > maxArea {
		return nil, fmt.Errorf("merged area %s exceeds %d m²: %w", total, MaxAreaM2, fault.ErrRule)
	}
	var boundary *geo.Polygon
	if len(polys) > 0 {
		u, err := geo.Union(polys)
		var nc *geo.NotContiguousError
		switch {
		case errors.As(err, &nc):
			return nil, fmt.Errorf("%s: %w", describePieces(plots, nc.Pieces), ErrNotAdjacent)
		case err != nil:
			return nil, err
		}
		boundary = &u
	}
	if owner, taken := existing.codeTaken(code); taken {
		return nil, fmt.Errorf("plot code %s is used by plot %s in zone %s: %w", code, owner, zone.Code, ErrCodeTaken)
	}

	at = at.UTC()
	merged := newPlot(id, zone.ID, PlotSpec{Code: code, AreaM2: total, LandUse: landUse, Boundary: boundary}, parents, ActionMerge, at, actor)
	for _, pl := range plots {
		pl.Children = []string{id}
		pl.record(ActionMerge, PlotRetired, at, actor, "", []string{id})
	}
	return merged, nil
}

// describePieces names the separate pieces of a failed merger by plot code: "A-1 + A-2 | A-7".
func describePieces(plots []*Plot, pieces [][]int) string {
	groups := make([]string, len(pieces))
	for i, piece := range pieces {
		codes := make([]string, len(piece))
		for j, k := range piece {
			codes[j] = string(plots[k].Code)
		}
		groups[i] = strings.Join(codes, " + ")
	}
	return "separate pieces " + strings.Join(groups, " | ")
}
