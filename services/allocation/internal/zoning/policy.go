package zoning

import (
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
)

// DefaultAreaTolerance is how far, as a fraction, a declared area may differ from the area its
// boundary measures (and the parts of a subdivision from their parent): 2% absorbs survey
// rounding and the difference between a surveyor's projection and the ellipsoid, and still
// catches a plot declared in the wrong unit or a boundary drawn around the wrong land.
const DefaultAreaTolerance = 0.02

// Policy holds the allocation rules' configurable terms. The zero value is usable: every zero
// field means its default.
type Policy struct {
	// AreaTolerance is the fraction by which declared and measured areas may differ.
	AreaTolerance float64
	// MaxPlanFeatures bounds the features of one plot plan import.
	MaxPlanFeatures int
	// LoadLocation, when set, proves that a zone's time zone name exists (the service passes
	// time.LoadLocation). Nil checks the name's shape only, since the tz database is file I/O.
	LoadLocation func(name string) (*time.Location, error)
}

// DefaultPolicy returns the defaults: 2% area tolerance, 10,000 features per plan, shape-only
// time zone checks.
func DefaultPolicy() Policy {
	return Policy{AreaTolerance: DefaultAreaTolerance, MaxPlanFeatures: geo.DefaultMaxFeatures}
}

// Validate reports configuration values outside sensible bounds, so a typo in the environment
// fails at start-up.
func (p Policy) Validate() error {
	var f fault.Fields
	if p.AreaTolerance < 0 || p.AreaTolerance > 0.25 {
		f.Add("area_tolerance", "must be a fraction between 0 and 0.25 (0 means the default 0.02)")
	}
	if p.MaxPlanFeatures < 0 || p.MaxPlanFeatures > 100_000 {
		f.Add("max_plan_features", "must be between 1 and 100000 (0 means the default 10000)")
	}
	return f.Err()
}

// resolved fills in defaults for zero (or nonsensical) fields.
func (p Policy) resolved() Policy {
	if p.AreaTolerance <= 0 || p.AreaTolerance > 0.25 {
		p.AreaTolerance = DefaultAreaTolerance
	}
	if p.MaxPlanFeatures <= 0 {
		p.MaxPlanFeatures = geo.DefaultMaxFeatures
	}
	return p
}

// areasAgree reports whether declared and measured (m²) agree within the tolerance, measured
// against the measured area.
func (p Policy) areasAgree(declared Area, measured float64) bool {
	d := declared.M2() - measured
	if d < 0 {
		d = -d
	}
	return d <= p.resolved().AreaTolerance*measured
}
