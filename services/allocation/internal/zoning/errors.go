package zoning

import (
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Sentinel errors. Each wraps the fault kind that a transport maps to a status, so a caller can
// test for the specific rule (errors.Is(err, ErrOverlap)) or for the kind
// (errors.Is(err, fault.ErrConflict)) without a second mapping table.
var (
	// ErrOverlap: a plot's boundary overlaps a live plot's area (a conflict with existing data).
	ErrOverlap = fmt.Errorf("the boundary overlaps another plot: %w", fault.ErrConflict)
	// ErrCodeTaken: plot codes are unique within a zone, whatever the plot's status, so that a
	// code on an old lease or survey always means one piece of land.
	ErrCodeTaken = fmt.Errorf("the plot code is already used in this zone: %w", fault.ErrConflict)
	// ErrOutsideZone: a plot must lie inside its zone's notified boundary.
	ErrOutsideZone = fmt.Errorf("the boundary extends outside the zone: %w", fault.ErrRule)
	// ErrLeased: land under a lease cannot be withdrawn, subdivided or merged; the lease names it.
	ErrLeased = fmt.Errorf("the plot is leased: %w", fault.ErrRule)
	// ErrNotAdjacent: plots merge only into one piece of land.
	ErrNotAdjacent = fmt.Errorf("the plots do not form one piece of land: %w", fault.ErrRule)
	// ErrMixedBoundaries: plots merge only when all or none of them are drawn.
	ErrMixedBoundaries = fmt.Errorf("some of the plots have boundaries and some do not: %w", fault.ErrRule)
	// ErrOtherZone: a plot, building or unit belongs to another zone than the one given.
	ErrOtherZone = fmt.Errorf("the records belong to different zones: %w", fault.ErrRule)
	// ErrOtherPlot: a unit's building stands on another plot than the one given.
	ErrOtherPlot = fmt.Errorf("the building stands on another plot: %w", fault.ErrRule)
	// ErrPlanRejected: a plot plan import was refused; the *PlanError lists why.
	ErrPlanRejected = fmt.Errorf("the plot plan was rejected: %w", fault.ErrRule)
	// ErrNotYours: the zone is not one of the zone developer's (403: the record is visible to
	// every role, so there is nothing to hide behind a 404).
	ErrNotYours = fmt.Errorf("the zone is not one of yours: %w", fault.ErrForbidden)
	// ErrRoleNotAllowed: the caller's role does not permit the action at all.
	ErrRoleNotAllowed = authz.ErrRoleNotAllowed
)

// PlotConflict is a live plot that a new boundary overlaps.
type PlotConflict struct {
	PlotID string  `json:"plot_id"`
	Code   string  `json:"code,omitempty"`
	AreaM2 float64 `json:"area_m2"`
}

// OverlapError says which live plots a boundary overlaps and by how much. It matches
// ErrOverlap and so fault.ErrConflict.
type OverlapError struct {
	// Plot is the code of the plot whose boundary was refused.
	Plot      string
	Conflicts []PlotConflict
}

// Error implements error.
func (e *OverlapError) Error() string {
	parts := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		parts[i] = describeConflict(c)
	}
	return fmt.Sprintf("plot %s: the boundary overlaps %s", e.Plot, strings.Join(parts, ", "))
}

// Is makes an OverlapError match ErrOverlap and fault.ErrConflict.
func (e *OverlapError) Is(target error) bool {
	return target == ErrOverlap || target == fault.ErrConflict
}

func describeConflict(c PlotConflict) string {
	name := "plot " + c.PlotID
	if c.Code != "" {
		name = fmt.Sprintf("plot %s (id %s)", c.Code, c.PlotID)
	}
	return name + " by " + formatM2(c.AreaM2)
}

// PlanError lists every problem of a plan whose features are well-formed but break the rules:
// overlaps, codes already used, plots outside the zone. It matches ErrPlanRejected, and
// fault.ErrConflict when any problem is a conflict with existing plots (else fault.ErrRule).
// A plan with malformed features is refused with a *fault.ValidationError instead, which lists
// the rule problems too.
type PlanError struct {
	Problems []fault.FieldError
	conflict bool
}

// maxProblemsInText bounds the problems quoted in Error(); Problems has them all.
const maxProblemsInText = 20

// Error implements error.
func (e *PlanError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plot plan rejected (%d problems): ", len(e.Problems))
	for i, p := range e.Problems {
		if i == maxProblemsInText {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field + ": " + p.Reason)
	}
	return b.String()
}

// Is makes a PlanError match ErrPlanRejected and its fault kind.
func (e *PlanError) Is(target error) bool {
	switch target {
	case ErrPlanRejected:
		return true
	case fault.ErrConflict:
		return e.conflict
	case fault.ErrRule:
		return !e.conflict
	}
	return false
}
