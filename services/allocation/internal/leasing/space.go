package leasing

import (
	"math"
	"strconv"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/enum"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// SpaceKind says whether a space is land or built space.
type SpaceKind string

// Kinds of space.
const (
	// KindPlot is a plot of land; leasing it is a land lease.
	KindPlot SpaceKind = "plot"
	// KindUnit is built space (an office, a lab, a shed) in a building on a plot.
	KindUnit SpaceKind = "unit"
)

// SpaceKinds returns every kind of space.
func SpaceKinds() []SpaceKind { return []SpaceKind{KindPlot, KindUnit} }

// ParseSpaceKind checks a kind of space.
func ParseSpaceKind(s string) (SpaceKind, error) {
	switch SpaceKind(s) {
	case KindPlot, KindUnit:
		return SpaceKind(s), nil
	case "":
		return "", fault.Reasonf("required")
	}
	return "", fault.Reasonf("must be plot or unit")
}

// SpaceRef names one space: a plot or a unit, by id.
type SpaceRef struct {
	Kind SpaceKind `json:"kind"`
	ID   string    `json:"id"`
}

// String renders the reference as "plot/<id>" or "unit/<id>".
func (r SpaceRef) String() string { return string(r.Kind) + "/" + r.ID }

// SpaceRefInput is a space reference as a client sends it.
type SpaceRefInput struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// ParseSpaceRef checks both parts, under the field names "kind" and "id".
func ParseSpaceRef(in SpaceRefInput) (SpaceRef, error) {
	var f fault.Fields
	kind, err := ParseSpaceKind(in.Kind)
	f.Merge("kind", err)
	id := required(&f, "id", in.ID)
	if err := f.Err(); err != nil {
		return SpaceRef{}, err
	}
	return SpaceRef{Kind: kind, ID: id}, nil
}

// Bounds of an area in square metres: at most 100 km² (more than any zone), with at most
// AreaDecimals decimal places (what the allocation events accept).
const (
	MaxAreaM2    = 1e8
	AreaDecimals = 2
)

// checkArea records why a is not a usable area, if it is not.
func checkArea(f *fault.Fields, field string, a float64) {
	switch {
	case math.IsNaN(a) || math.IsInf(a, 0):
		f.Add(field, "must be a finite number of square metres")
	case a <= 0:
		f.Add(field, "must be more than zero square metres")
	case a > MaxAreaM2:
		f.Addf(field, "must be at most %.0f square metres", float64(MaxAreaM2))
	default:
		txt := strconv.FormatFloat(a, 'f', -1, 64)
		if i := strings.IndexByte(txt, '.'); i >= 0 && len(txt)-i-1 > AreaDecimals {
			f.Addf(field, "must have at most %d decimal places", AreaDecimals)
		}
	}
}

// LandUse is what a plot, or a unit, may be used for. Plots and units share one
// classification because requests ask for space by land use. The list is the one the
// allocation events carry (libs/events/allocation.LandUses); the two must change together.
type LandUse string

// Land uses.
const (
	LandUseITPark      LandUse = "it_park"
	LandUseIndustrial  LandUse = "industrial"
	LandUseCommercial  LandUse = "commercial"
	LandUseResidential LandUse = "residential"
	LandUseUtilities   LandUse = "utilities"
	LandUseGreen       LandUse = "green"
)

var landUses = enum.Of(LandUseITPark, LandUseIndustrial, LandUseCommercial, LandUseResidential, LandUseUtilities, LandUseGreen)

// LandUses returns every land use.
func LandUses() []LandUse { return landUses.Values() }

// ParseLandUse checks a land use against the list.
func ParseLandUse(s string) (LandUse, error) { return landUses.Parse(s) }

// Space is what leasing needs to know about a plot or a unit; the store supplies it from the
// allocation service's own records of zones, plots, buildings and units.
type Space struct {
	Ref    SpaceRef `json:"ref"`
	ZoneID string   `json:"zone_id"`
	// PlotID is the plot itself for a plot, and the plot the unit's building stands on for a
	// unit: the key under which land and unit leases exclude each other.
	PlotID string `json:"plot_id"`
	// AreaM2 is land area for a plot and floor area for a unit.
	AreaM2 float64 `json:"area_m2"`
	// LandUse is what the space may be used for; requirements match it.
	LandUse LandUse `json:"land_use"`
	// Live says the space is open for allocation (built, surveyed, not withdrawn).
	Live bool `json:"live"`
}

// Validate reports every inconsistent field of a space record.
func (s Space) Validate() error {
	var f fault.Fields
	if _, err := ParseSpaceRef(SpaceRefInput{Kind: string(s.Ref.Kind), ID: s.Ref.ID}); err != nil {
		f.Merge("ref", err)
	}
	required(&f, "zone_id", s.ZoneID)
	switch {
	case strings.TrimSpace(s.PlotID) == "":
		f.Add("plot_id", "required")
	case s.Ref.Kind == KindPlot && s.PlotID != s.Ref.ID:
		f.Add("plot_id", "a plot's plot_id is its own id")
	}
	checkArea(&f, "area_m2", s.AreaM2)
	_, err := ParseLandUse(string(s.LandUse))
	f.Merge("land_use", err)
	return f.Err()
}
