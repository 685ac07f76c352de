package licensing

import (
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Defaults of Policy.
const (
	// DefaultDecisionDays is the statutory time the authority has to decide an application.
	DefaultDecisionDays = 30
	// DefaultLicenceTermYears is the licence term under the STZA Act 2021.
	DefaultLicenceTermYears = 10
)

// Policy holds the authority's configurable terms. The zero value is usable: every zero field
// means its default, so callers only set what differs.
type Policy struct {
	// DecisionDays is how many calendar days after submission a decision is due.
	DecisionDays int
	// Location is the time zone in which legal dates are counted.
	Location *time.Location
	// LicenceTermYears is how long a granted licence is valid.
	LicenceTermYears int
}

// DefaultPolicy returns 30 decision days, Pakistan Standard Time and a 10-year term.
func DefaultPolicy() Policy {
	return Policy{DecisionDays: DefaultDecisionDays, Location: civil.PakistanStandardTime(), LicenceTermYears: DefaultLicenceTermYears}
}

// Validate reports configuration values outside sensible bounds, so a typo in the environment
// fails at start-up instead of granting a 100-year licence.
func (p Policy) Validate() error {
	var f fault.Fields
	if p.DecisionDays < 0 || p.DecisionDays > 366 {
		f.Add("decision_days", "must be between 1 and 366 (0 means the default)")
	}
	if p.LicenceTermYears < 0 || p.LicenceTermYears > 50 {
		f.Add("licence_term_years", "must be between 1 and 50 (0 means the default)")
	}
	return f.Err()
}

// resolved fills in defaults for zero (or nonsensical) fields.
func (p Policy) resolved() Policy {
	if p.DecisionDays <= 0 {
		p.DecisionDays = DefaultDecisionDays
	}
	p.Location = civil.ZoneTime(p.Location)
	if p.LicenceTermYears <= 0 {
		p.LicenceTermYears = DefaultLicenceTermYears
	}
	return p
}

// Today returns the legal date of now in the policy's zone.
func (p Policy) Today(now time.Time) Date { return DateOf(now, p.Location) }
