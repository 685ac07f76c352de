package zoning

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

// Plot plans travel as GeoJSON FeatureCollections whose features carry these properties. The
// same names are written by EncodePlan, so an exported plan can be edited in a GIS tool and
// imported again.
const (
	PropCode    = "code"
	PropAreaM2  = "area_m2"
	PropLandUse = "land_use"
)

// DecodePlan decodes a GeoJSON plot plan and reports every malformed feature at once, bad
// geometry and bad properties alike, as a *fault.ValidationError with fields such as
// "features[12].geometry" and "features[12].properties.area_m2". It checks what each feature
// says about itself; ImportPlan checks the features against each other and the zone.
func DecodePlan(data []byte, p Policy) ([]geo.Feature, error) {
	p = p.resolved()
	return geo.ParseFeatureCollection(data, p.MaxPlanFeatures, func(f geo.Feature) error {
		_, err := planSpec(f, p)
		return err
	})
}

// planSpec reads a feature's properties as a plot: code, area_m2 and land_use, with the
// feature's geometry as the boundary. It returns what parsed even when something did not, so
// that the code can still be checked for duplicates. A missing geometry is not reported here
// (the decoder reports it).
func planSpec(f geo.Feature, p Policy) (PlotSpec, error) {
	var fs fault.Fields
	var s PlotSpec
	code, ok := f.Properties[PropCode].(string)
	if !ok && f.Properties[PropCode] != nil {
		fs.Add("properties.code", "must be a string")
	} else {
		c, err := ParsePlotCode(code)
		fs.Merge("properties.code", err)
		s.Code = c
	}
	a, err := areaProperty(f.Properties[PropAreaM2])
	fs.Merge("properties.area_m2", err)
	s.AreaM2 = a
	use, ok := f.Properties[PropLandUse].(string)
	if !ok && f.Properties[PropLandUse] != nil {
		fs.Add("properties.land_use", "must be a string")
	} else {
		u, err := ParseLandUse(use)
		fs.Merge("properties.land_use", err)
		s.LandUse = u
	}
	if !f.Geometry.IsZero() {
		g := f.Geometry
		s.Boundary = &g
		if s.AreaM2 > 0 && !p.areasAgree(s.AreaM2, geo.AreaM2(g)) {
			fs.Addf("properties.area_m2", "declared %s but the geometry measures %s: more than %s apart",
				s.AreaM2, formatM2(geo.AreaM2(g)), percent(p.resolved().AreaTolerance))
		}
	}
	return s, fs.Err()
}

// areaProperty reads area_m2 as decoded JSON (json.Number) or as a Go number.
func areaProperty(v any) (Area, error) {
	switch x := v.(type) {
	case nil:
		return 0, fault.Reasonf("required")
	case json.Number:
		return ParseArea(x.String())
	case float64:
		return AreaFromM2(x)
	case int:
		return AreaFromM2(float64(x))
	case int64:
		return AreaFromM2(float64(x))
	}
	return 0, fault.Reasonf("must be a number of square metres")
}

// problems collects an import's findings in feature order, remembering their kinds.
type problems struct {
	list                 []fault.FieldError
	malformed, conflicts int
	features             []geo.Feature
}

func (ps *problems) add(kind error, i int, field, format string, args ...any) {
	name := fmt.Sprintf("features[%d]", i)
	if field != "" {
		name += "." + field
	}
	reason := fmt.Sprintf(format, args...)
	if code := ps.features[i].Code(); code != "" {
		reason = "feature " + code + ": " + reason
	}
	ps.list = append(ps.list, fault.FieldError{Field: name, Reason: reason})
	switch kind {
	case fault.ErrInvalid:
		ps.malformed++
	case fault.ErrConflict:
		ps.conflicts++
	}
}

// ImportPlan validates a whole plot plan for zone and returns its plots, live, with ids from
// newID. Every feature must be a well-formed plot (code, area_m2, land_use, a Polygon whose
// area agrees with area_m2); codes must be unique within the plan and new to the zone; every
// boundary must lie inside the zone's boundary (when it has one) and overlap neither an
// existing live plot (existing.Index) nor another plot of the plan.
//
// The import is all or nothing: if anything is wrong no plot is returned, and the error names
// each bad feature by index and code, and for an overlap the plot it overlaps. When any feature
// is malformed the error is a *fault.ValidationError listing every problem; otherwise it is a
// *PlanError (a conflict when any feature clashes with existing plots or another feature, else
// a rule). At most geo.MaxReportedProblems problems are listed. existing.Index is only read:
// the caller adds the new plots to it after storing them.
//
// Overlaps are found incrementally with spatial indexes (the existing one and one of the plan
// so far), so a 10,000-plot plan takes well under a second.
func ImportPlan(zone *Zone, existing ZonePlots, features []geo.Feature, newID func() string, at time.Time, actor Actor, p Policy) ([]*Plot, error) {
	p = p.resolved()
	var f fault.Fields
	audit.Check(&f, at, actor)
	if zone == nil {
		f.Add("zone", "required")
	}
	if newID == nil {
		f.Add("new_id", "required")
	}
	switch {
	case len(features) == 0:
		f.Add("features", "a plan needs at least one feature")
	case len(features) > p.MaxPlanFeatures:
		f.Addf("features", "has %d features; at most %d are allowed in one plan", len(features), p.MaxPlanFeatures)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := zone.checkOpen("import plots into"); err != nil {
		return nil, err
	}

	ps := &problems{features: features}
	specs := make([]PlotSpec, len(features))
	byID := existing.codesByID()
	planCodes := make(map[PlotCode]int, len(features))
	local := geo.NewIndex()
	for i, feat := range features {
		spec, err := planSpec(feat, p)
		good := err == nil
		if err != nil {
			for _, fe := range validationFields(err) {
				ps.add(fault.ErrInvalid, i, fe.Field, "%s", fe.Reason)
			}
		}
		if feat.Geometry.IsZero() {
			ps.add(fault.ErrInvalid, i, "geometry", "required: a plan feature is a Polygon")
			good = false
		}
		if spec.Code != "" {
			if j, dup := planCodes[spec.Code]; dup {
				ps.add(fault.ErrInvalid, i, "properties.code", "repeats the code of features[%d]", j)
			} else {
				planCodes[spec.Code] = i
			}
			if owner, taken := existing.codeTaken(spec.Code); taken {
				ps.add(fault.ErrConflict, i, "properties.code", "code %s is already used in zone %s by plot %s", spec.Code, zone.Code, owner)
			}
		}
		if !good {
			continue
		}
		specs[i] = spec
		poly := *spec.Boundary
		if zone.Boundary != nil {
			out, err := geo.OutsideAreaM2(poly, *zone.Boundary)
			switch {
			case err != nil:
				ps.add(fault.ErrRule, i, "geometry", "%v", err)
			case out > geo.OverlapEpsilonM2:
				ps.add(fault.ErrRule, i, "geometry", "extends %s outside zone %s's boundary", formatM2(out), zone.Code)
			}
		}
		if existing.Index != nil {
			for _, c := range existing.Index.ConflictsDetail(poly) {
				ps.add(fault.ErrConflict, i, "geometry", "overlaps existing %s", describeConflict(PlotConflict{PlotID: c.ID, Code: string(byID[c.ID]), AreaM2: c.AreaM2}))
			}
		}
		for _, c := range local.ConflictsDetail(poly) {
			k, _ := strconv.Atoi(c.ID)
			other := fmt.Sprintf("features[%d]", k)
			if code := features[k].Code(); code != "" {
				other += " (" + code + ")"
			}
			ps.add(fault.ErrConflict, i, "geometry", "overlaps %s by %s", other, formatM2(c.AreaM2))
		}
		local.Insert(strconv.Itoa(i), poly)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}

	at = at.UTC()
	out := make([]*Plot, len(features))
	for i, spec := range specs {
		out[i] = newPlot(newID(), zone.ID, spec, nil, ActionImport, at, actor)
	}
	return out, nil
}

// err turns the findings into the import's error: a ValidationError when anything is
// malformed, else a PlanError; nil when there are none.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := ps.list
	if len(list) > geo.MaxReportedProblems {
		list = append(list[:geo.MaxReportedProblems:geo.MaxReportedProblems], fault.FieldError{
			Field:  "features",
			Reason: fmt.Sprintf("%d problems in all; %d more are not listed here", len(ps.list), len(ps.list)-geo.MaxReportedProblems),
		})
	}
	if ps.malformed > 0 {
		return &fault.ValidationError{Fields: list}
	}
	return &PlanError{Problems: list, conflict: ps.conflicts > 0}
}

func validationFields(err error) []fault.FieldError {
	var v *fault.ValidationError
	if errors.As(err, &v) {
		return v.Fields
	}
	return []fault.FieldError{{Reason: err.Error()}}
}

// PlanFeatures describes plots as plan features: id, the import properties (code, area_m2,
// land_use) plus status and zone_id, and the boundary (null when undrawn).
func PlanFeatures(plots []*Plot) []geo.Feature {
	out := make([]geo.Feature, len(plots))
	for i, pl := range plots {
		f := geo.Feature{
			ID: pl.ID,
			Properties: map[string]any{
				PropCode: string(pl.Code), PropAreaM2: json.Number(pl.AreaM2.decimal()), PropLandUse: string(pl.LandUse),
				"status": string(pl.Status), "zone_id": pl.ZoneID,
			},
		}
		if pl.Boundary != nil {
			f.Geometry = *pl.Boundary
		}
		out[i] = f
	}
	return out
}

// EncodePlan writes plots as the GeoJSON FeatureCollection that GET …/plots.geojson returns
// and GIS tools open directly.
func EncodePlan(plots []*Plot) ([]byte, error) {
	return geo.EncodeFeatureCollection(PlanFeatures(plots))
}
