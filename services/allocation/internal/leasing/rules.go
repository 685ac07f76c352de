package leasing

import (
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Period is a run of days, both ends included: a lease from 1 April to 31 March holds its
// space on both of those days. It maps onto a PostgreSQL daterange '[from,to]'.
type Period struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// NewPeriod checks that both ends are set and from is not after to.
func NewPeriod(from, to Date) (Period, error) {
	var f fault.Fields
	if from.IsZero() {
		f.Add("from", "required")
	}
	if to.IsZero() {
		f.Add("to", "required")
	}
	if f.Empty() && to.Before(from) {
		f.Add("to", "must not be before from")
	}
	if err := f.Err(); err != nil {
		return Period{}, err
	}
	return Period{From: from, To: to}, nil
}

// Overlaps reports whether p and o share at least one day. Back-to-back periods, one ending
// the day before the other starts, do not overlap; a period ending on the day another starts
// does.
func (p Period) Overlaps(o Period) bool { return !p.To.Before(o.From) && !o.To.Before(p.From) }

// Contains reports whether d is one of p's days.
func (p Period) Contains(d Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// String renders the period as "2026-04-01..2027-03-31".
func (p Period) String() string { return p.From.String() + ".." + p.To.String() }

// CheckNoOverlap reports ErrOverlap when a lease that still holds space (active or
// terminating) holds the same space on any day of period. Leases of other spaces and ended
// leases are ignored, so the store may pass every lease it read for the plot.
func CheckNoOverlap(space SpaceRef, period Period, existing []Lease) error {
	for i := range existing {
		l := &existing[i]
		if l.Space != space || !l.Status.Holds() {
			continue
		}
		if p := l.Period(); p.Overlaps(period) {
			return fmt.Errorf("%s is held by lease %s over %s, wanted over %s: %w", space, l.ID, p, period, ErrOverlap)
		}
	}
	return nil
}

// CheckExclusive enforces that land and built space on one plot are not let at once: a unit
// cannot be leased while its plot is leased as land, and a plot cannot be leased as land while
// any of its units is leased, in both cases over any shared day. plotLeases are the leases
// whose PlotID is space.PlotID: the plot's own and its units', which the store reads with one
// query (plot_id = $1 and status in active, terminating) inside the write transaction. Leases
// on other plots, ended leases and leases of the same space (CheckNoOverlap's business) are
// ignored.
func CheckExclusive(space Space, period Period, plotLeases []Lease) error {
	for i := range plotLeases {
		l := &plotLeases[i]
		if l.PlotID != space.PlotID || l.Space == space.Ref || !l.Status.Holds() || !l.Period().Overlaps(period) {
			continue
		}
		switch {
		case space.Ref.Kind == KindUnit && l.LandLease:
			return fmt.Errorf("%s: plot %s is leased as land under %s over %s: %w", space.Ref, space.PlotID, l.ID, l.Period(), ErrPlotLeasedAsLand)
		case space.Ref.Kind == KindPlot && !l.LandLease:
			return fmt.Errorf("%s: %s is leased under %s over %s: %w", space.Ref, l.Space, l.ID, l.Period(), ErrPlotHasUnitLeases)
		}
	}
	return nil
}

// CheckAvailable runs both checks for leasing space over period, given the leases of its plot
// (see CheckExclusive). The store runs it when an offer is made and again when it is accepted,
// in the transaction that inserts the lease.
func CheckAvailable(space Space, period Period, plotLeases []Lease) error {
	if err := CheckNoOverlap(space.Ref, period, plotLeases); err != nil {
		return err
	}
	return CheckExclusive(space, period, plotLeases)
}
