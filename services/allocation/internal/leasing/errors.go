package leasing

import (
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Sentinel errors. Each wraps the fault kind that a transport maps to a status, so a caller can
// test for the specific rule (errors.Is(err, ErrOverlap)) or for the kind
// (errors.Is(err, fault.ErrConflict)) without a second mapping table.
var (
	// ErrLicenceNotActive: only a tenant whose licence is active may request, be offered or
	// accept space.
	ErrLicenceNotActive = fmt.Errorf("the tenant's licence is not active: %w", fault.ErrRule)
	// ErrLicenceMismatch: the licence given is not the tenant's, or not the request's.
	ErrLicenceMismatch = fmt.Errorf("the licence does not belong to this tenant or request: %w", fault.ErrRule)
	// ErrSpaceMismatch: the offered space is not the one asked for or does not meet the
	// requirements.
	ErrSpaceMismatch = fmt.Errorf("the space does not match the request: %w", fault.ErrRule)
	// ErrSpaceNotLive: the space is not open for allocation.
	ErrSpaceNotLive = fmt.Errorf("the space is not open for allocation: %w", fault.ErrRule)
	// ErrOfferLapsed: the offer's validity ended before it was accepted.
	ErrOfferLapsed = fmt.Errorf("the offer is no longer valid: %w", fault.ErrRule)
	// ErrOfferStillValid: an offer lapses only once its last valid day has passed.
	ErrOfferStillValid = fmt.Errorf("the offer is still valid: %w", fault.ErrRule)
	// ErrLeaseOver: the lease's end date passed before the notice; it ends on its own.
	ErrLeaseOver = fmt.Errorf("the lease's term is over: %w", fault.ErrRule)
	// ErrNotLandLease: construction milestones belong to land leases only.
	ErrNotLandLease = fmt.Errorf("construction milestones apply to land leases only: %w", fault.ErrRule)
	// ErrMilestoneOrder: construction completes only after it started.
	ErrMilestoneOrder = fmt.Errorf("construction must start before it completes: %w", fault.ErrRule)
	// ErrMilestoneRecorded: a milestone is recorded once.
	ErrMilestoneRecorded = fmt.Errorf("milestone already recorded: %w", fault.ErrConflict)
	// ErrOverlap: another lease holds the same space over part of the period.
	ErrOverlap = fmt.Errorf("the space is leased over part of this period: %w", fault.ErrConflict)
	// ErrPlotLeasedAsLand: the unit's plot is leased as land over part of the period.
	ErrPlotLeasedAsLand = fmt.Errorf("the plot is leased as land over part of this period: %w", fault.ErrConflict)
	// ErrPlotHasUnitLeases: units of the plot are leased over part of the period, so the
	// plot cannot be leased as land.
	ErrPlotHasUnitLeases = fmt.Errorf("units of the plot are leased over part of this period: %w", fault.ErrConflict)
	// ErrNotYours: the record exists (or may) but the caller may not see it; reported as not
	// found so that callers cannot probe for other companies' requests and leases.
	ErrNotYours = authz.ErrNotYours
	// ErrRoleNotAllowed: the caller's role or scope does not permit the action.
	ErrRoleNotAllowed = authz.ErrRoleNotAllowed
)
