package leasing

import (
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Defaults of Policy.
const (
	// DefaultConstructionStartMonths is how long a land lessee has to start building.
	DefaultConstructionStartMonths = 12
	// DefaultConstructionCompleteMonths is how long a land lessee has to finish building.
	DefaultConstructionCompleteMonths = 36
)

// Policy holds the allocation desk's configurable terms. The zero value is usable: every zero
// field means its default, so callers only set what differs.
type Policy struct {
	// ConstructionStartMonths is the period from a land lease's start within which
	// construction must start.
	ConstructionStartMonths int
	// ConstructionCompleteMonths is the period from a land lease's start within which
	// construction must complete.
	ConstructionCompleteMonths int
	// Location is the time zone in which legal dates are counted.
	Location *time.Location
}

// DefaultPolicy returns 12 and 36 months and Pakistan Standard Time.
func DefaultPolicy() Policy {
	return Policy{
		ConstructionStartMonths:    DefaultConstructionStartMonths,
		ConstructionCompleteMonths: DefaultConstructionCompleteMonths,
		Location:                   civil.PakistanStandardTime(),
	}
}

// Validate reports configuration values outside sensible bounds, so a typo in the environment
// fails at start-up instead of giving a lessee a century to build.
func (p Policy) Validate() error {
	var f fault.Fields
	if p.ConstructionStartMonths < 0 || p.ConstructionStartMonths > 120 {
		f.Add("construction_start_months", "must be between 1 and 120 (0 means the default)")
	}
	if p.ConstructionCompleteMonths < 0 || p.ConstructionCompleteMonths > 240 {
		f.Add("construction_complete_months", "must be between 1 and 240 (0 means the default)")
	}
	if r := p.resolved(); f.Empty() && r.ConstructionCompleteMonths < r.ConstructionStartMonths {
		f.Add("construction_complete_months", "must not be shorter than construction_start_months")
	}
	return f.Err()
}

// resolved fills in defaults for zero (or nonsensical) fields.
func (p Policy) resolved() Policy {
	if p.ConstructionStartMonths <= 0 {
		p.ConstructionStartMonths = DefaultConstructionStartMonths
	}
	if p.ConstructionCompleteMonths <= 0 {
		p.ConstructionCompleteMonths = DefaultConstructionCompleteMonths
	}
	p.Location = civil.ZoneTime(p.Location)
	return p
}

// Today returns the legal date of now in the policy's zone.
func (p Policy) Today(now time.Time) Date { return DateOf(now, p.Location) }
