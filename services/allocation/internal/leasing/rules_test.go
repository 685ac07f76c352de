package leasing

import (
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

// held is a lease of s from start to end in status s (terminating leases end on end).
func held(id string, s Space, start, end string, status LeaseStatus) Lease {
	l := Lease{ID: id, ZoneID: s.ZoneID, Space: s.Ref, PlotID: s.PlotID, AreaM2: s.AreaM2, LandLease: s.Ref.Kind == KindPlot,
		Start: date(start), End: date(end), Status: status}
	if status == LeaseTerminating {
		l.End = date(end).AddMonths(12)
		l.EndsOn = datePtr(end)
	}
	return l
}

func period(from, to string) Period { return Period{From: date(from), To: date(to)} }

func TestPeriodsTouchingOnADayOverlap(t *testing.T) {
	existing := period("2026-04-01", "2027-03-31")
	tests := []struct {
		name string
		p    Period
		want bool
	}{
		{"ends the day before the other starts", period("2025-04-01", "2026-03-31"), false},
		{"starts the day after the other ends", period("2027-04-01", "2028-03-31"), false},
		{"ends on the day the other starts", period("2025-04-01", "2026-04-01"), true},
		{"starts on the day the other ends", period("2027-03-31", "2028-03-31"), true},
		{"inside", period("2026-06-01", "2026-06-30"), true},
		{"around", period("2020-01-01", "2030-12-31"), true},
		{"the same", existing, true},
		{"one day, the first", period("2026-04-01", "2026-04-01"), true},
		{"one day, the day before", period("2026-03-31", "2026-03-31"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.p.Overlaps(existing) != tt.want || existing.Overlaps(tt.p) != tt.want {
				t.Fatalf("%s overlaps %s: %v, want %v", tt.p, existing, !tt.want, tt.want)
			}
		})
	}
	if !existing.Contains(date("2026-04-01")) || !existing.Contains(date("2027-03-31")) || existing.Contains(date("2027-04-01")) {
		t.Errorf("Contains is not inclusive of both ends only")
	}
}

func TestNewPeriodChecksItsEnds(t *testing.T) {
	faulttest.WantFields(t, func() error { _, err := NewPeriod(Date{}, Date{}); return err }(), "from", "to")
	faulttest.WantFields(t, func() error { _, err := NewPeriod(date("2026-04-02"), date("2026-04-01")); return err }(), "to")
	p, err := NewPeriod(date("2026-04-01"), date("2026-04-01"))
	must(t, err)
	if p.String() != "2026-04-01..2026-04-01" {
		t.Errorf("period %s", p)
	}
}

func TestNoTwoLeasesOfOneSpaceOverlap(t *testing.T) {
	other := plot1
	other.Ref.ID, other.PlotID = "plot-9", "plot-9"
	existing := []Lease{
		held("l-old", plot1, "2021-04-01", "2026-03-31", LeaseActive),
		held("l-ended", plot1, "2026-04-01", "2027-03-31", LeaseEnded),
		held("l-other", other, "2026-01-01", "2040-12-31", LeaseActive),
		held("l-notice", plot1, "2028-01-01", "2028-06-30", LeaseTerminating),
	}
	tests := []struct {
		name string
		p    Period
		want string // id of the lease in the way, "" for none
	}{
		{"back to back after a lease", period("2026-04-01", "2027-12-31"), ""},
		{"starting on an existing lease's last day", period("2026-03-31", "2027-12-31"), "l-old"},
		{"an ended lease holds nothing", period("2026-06-01", "2026-06-30"), ""},
		{"another space's lease is not in the way", period("2026-04-01", "2027-12-31"), ""},
		{"a terminating lease holds until its notice runs out", period("2027-06-01", "2028-06-30"), "l-notice"},
		{"back to back after the notice runs out", period("2028-07-01", "2030-06-30"), ""},
		{"ending on the first day of a terminating lease", period("2027-06-01", "2028-01-01"), "l-notice"},
		{"ending the day before it", period("2027-06-01", "2027-12-31"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNoOverlap(plot1.Ref, tt.p, existing)
			if tt.want == "" {
				must(t, err)
				return
			}
			wantErr(t, err, ErrOverlap, fault.ErrConflict)
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%v does not name %s", err, tt.want)
			}
		})
	}
}

func TestLandAndUnitLeasesOfOnePlotExcludeEachOther(t *testing.T) {
	plot2 := Space{Ref: SpaceRef{Kind: KindPlot, ID: "plot-2"}, ZoneID: zone, PlotID: "plot-2", AreaM2: 2000, LandUse: LandUseITPark, Live: true}
	unit2 := Space{Ref: SpaceRef{Kind: KindUnit, ID: "unit-2"}, ZoneID: zone, PlotID: "plot-2", AreaM2: 300, LandUse: LandUseITPark, Live: true}
	unitElsewhere := Space{Ref: SpaceRef{Kind: KindUnit, ID: "unit-7"}, ZoneID: zone, PlotID: "plot-7", AreaM2: 300, LandUse: LandUseITPark, Live: true}
	jan26, dec27 := "2026-01-01", "2027-12-31"
	tests := []struct {
		name   string
		space  Space
		p      Period
		leases []Lease
		want   error
	}{
		{"a unit of a plot leased as land", unit1, period("2026-04-01", "2027-03-31"),
			[]Lease{held("land", plot2, jan26, dec27, LeaseActive)}, ErrPlotLeasedAsLand},
		{"a unit of a plot under notice as land", unit1, period("2026-04-01", "2027-03-31"),
			[]Lease{held("land", plot2, jan26, dec27, LeaseTerminating)}, ErrPlotLeasedAsLand},
		{"a unit after its plot's land lease ends", unit1, period("2028-01-01", "2028-12-31"),
			[]Lease{held("land", plot2, jan26, dec27, LeaseActive)}, nil},
		{"a unit of a plot whose land lease ended", unit1, period("2026-04-01", "2027-03-31"),
			[]Lease{held("land", plot2, jan26, dec27, LeaseEnded)}, nil},
		{"a unit next to other leased units", unit1, period("2026-04-01", "2027-03-31"),
			[]Lease{held("u2", unit2, jan26, dec27, LeaseActive)}, nil},
		{"a plot with a leased unit", plot2, period("2026-04-01", "2027-03-31"),
			[]Lease{held("u2", unit2, jan26, dec27, LeaseActive)}, ErrPlotHasUnitLeases},
		{"a plot from the day after its unit leases end", plot2, period("2028-01-01", "2030-12-31"),
			[]Lease{held("u2", unit2, jan26, dec27, LeaseActive), held("u1", unit1, "2025-01-01", "2026-12-31", LeaseActive)}, nil},
		{"a plot whose unit lease ends on the plot lease's first day", plot2, period("2027-12-31", "2030-12-31"),
			[]Lease{held("u2", unit2, jan26, dec27, LeaseActive)}, ErrPlotHasUnitLeases},
		{"a plot whose units' leases ended", plot2, period("2026-04-01", "2027-03-31"),
			[]Lease{held("u2", unit2, jan26, dec27, LeaseEnded)}, nil},
		{"a plot with units leased on another plot", plot2, period("2026-04-01", "2027-03-31"),
			[]Lease{held("u7", unitElsewhere, jan26, dec27, LeaseActive)}, nil},
		{"a plot's own lease is the overlap check's business", plot2, period("2026-04-01", "2027-03-31"),
			[]Lease{held("land", plot2, jan26, dec27, LeaseActive)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckExclusive(tt.space, tt.p, tt.leases)
			if tt.want == nil {
				must(t, err)
				return
			}
			wantErr(t, err, tt.want, fault.ErrConflict)
		})
	}
}

func TestCheckAvailableRunsBothChecks(t *testing.T) {
	plot2 := Space{Ref: SpaceRef{Kind: KindPlot, ID: "plot-2"}, ZoneID: zone, PlotID: "plot-2", AreaM2: 2000, LandUse: LandUseITPark, Live: true}
	leases := []Lease{
		held("u1", unit1, "2026-01-01", "2026-12-31", LeaseActive),
		held("land", plot2, "2027-01-01", "2027-12-31", LeaseActive),
	}
	wantErr(t, CheckAvailable(plot2, period("2026-06-01", "2026-12-31"), leases), ErrPlotHasUnitLeases, fault.ErrConflict)
	wantErr(t, CheckAvailable(plot2, period("2027-06-01", "2027-12-31"), leases), ErrOverlap, fault.ErrConflict)
	wantErr(t, CheckAvailable(unit1, period("2026-12-31", "2027-01-31"), leases), ErrOverlap, fault.ErrConflict)
	wantErr(t, CheckAvailable(unit1, period("2027-01-01", "2027-01-31"), leases), ErrPlotLeasedAsLand, fault.ErrConflict)
	must(t, CheckAvailable(plot2, period("2028-01-01", "2030-12-31"), leases))
	must(t, CheckAvailable(unit1, period("2028-01-01", "2030-12-31"), leases))
}

func TestAnAcceptedLeaseIsCheckedByItsTermsPeriod(t *testing.T) {
	l := leaseOf(t, plot1, validTerms(), DefaultPolicy())
	next := validTerms()
	next.StartDate = "2031-04-01"
	if err := CheckNoOverlap(plot1.Ref, terms(t, next).Period(), []Lease{*l}); err != nil {
		t.Fatalf("back-to-back renewal refused: %v", err)
	}
	next.StartDate = "2031-03-31"
	wantErr(t, CheckNoOverlap(plot1.Ref, terms(t, next).Period(), []Lease{*l}), ErrOverlap, fault.ErrConflict)
}
