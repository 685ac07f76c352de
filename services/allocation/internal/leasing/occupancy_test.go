package leasing

import (
	"math"
	"testing"
)

func sp(kind SpaceKind, id, plot string, area float64, live bool) Space {
	return Space{Ref: SpaceRef{Kind: kind, ID: id}, ZoneID: zone, PlotID: plot, AreaM2: area, LandUse: LandUseIndustrial, Live: live}
}

func TestOccupancyCountsLandAreaOnceAndUnitsByShare(t *testing.T) {
	var (
		plotA = sp(KindPlot, "A", "A", 10_000, true) // leased as land, idle
		plotB = sp(KindPlot, "B", "B", 2_000, true)  // a building of 4,000 m² of units
		u1    = sp(KindUnit, "U1", "B", 1_000, true) // leased
		u2    = sp(KindUnit, "U2", "B", 1_000, true) // free
		u3    = sp(KindUnit, "U3", "B", 2_000, true) // under notice: still leased
		u5    = sp(KindUnit, "U5", "B", 300, false)  // not live: not counted
		plotC = sp(KindPlot, "C", "C", 5_000, true)  // bare; its last lease ended
		plotD = sp(KindPlot, "D", "D", 3_000, false) // not live: not counted, nor its units
		u6    = sp(KindUnit, "U6", "D", 400, true)
		plotE = sp(KindPlot, "E", "E", 1_000, true) // leased as land, with a unit on it
		u4    = sp(KindUnit, "U4", "E", 500, true)  // held by the land lease, so not free
		plotX = Space{Ref: SpaceRef{Kind: KindPlot, ID: "X"}, ZoneID: "zone-lhr", PlotID: "X", AreaM2: 9_999, LandUse: LandUseIndustrial, Live: true}
	)
	idleA := held("lA", plotA, "2026-01-01", "2030-12-31", LeaseActive)
	idleA.Idle = true
	endedIdle := held("lC", plotC, "2020-01-01", "2025-12-31", LeaseEnded)
	endedIdle.Idle = true
	leases := []Lease{
		idleA,
		held("lU1", u1, "2026-01-01", "2030-12-31", LeaseActive),
		held("lU3", u3, "2026-01-01", "2026-12-31", LeaseTerminating),
		endedIdle,
		held("lE", plotE, "2027-01-01", "2030-12-31", LeaseActive), // starts later: committed already
		held("lX", plotX, "2026-01-01", "2030-12-31", LeaseActive),
	}
	spaces := []Space{plotA, plotB, u1, u2, u3, u5, plotC, plotD, u6, plotE, u4, plotX}

	got := ComputeOccupancy(zone, spaces, leases, 4)
	want := Occupancy{
		ZoneID:            zone,
		TotalAreaM2:       18_000, // A + B + C + E
		LeasedAreaM2:      12_500, // A + 3/4 of B + E
		AvailableAreaM2:   5_500,  // 1/4 of B + C
		OccupancyRatio:    12_500.0 / 18_000.0,
		FloorAreaM2:       4_500, // U1 + U2 + U3 + U4
		LeasedFloorAreaM2: 3_500, // U1 + U3 + U4
		UnitsLeased:       3,     // U1, U3, U4
		UnitsFree:         1,     // U2
		RequestsWaiting:   4,
		IdleSpaces:        1, // A
	}
	assertOccupancy(t, got, want)
}

func TestOccupancyNeverExceedsTheLandOfAMultiStoreyPlot(t *testing.T) {
	plot := sp(KindPlot, "B", "B", 1_000, true)
	var spaces []Space
	var leases []Lease
	spaces = append(spaces, plot)
	for _, id := range []string{"F1", "F2", "F3", "F4"} { // four storeys of 1,000 m², all let
		u := sp(KindUnit, id, "B", 1_000, true)
		spaces = append(spaces, u)
		leases = append(leases, held("l"+id, u, "2026-01-01", "2030-12-31", LeaseActive))
	}
	got := ComputeOccupancy(zone, spaces, leases, 0)
	assertOccupancy(t, got, Occupancy{
		ZoneID: zone, TotalAreaM2: 1_000, LeasedAreaM2: 1_000, OccupancyRatio: 1,
		FloorAreaM2: 4_000, LeasedFloorAreaM2: 4_000, UnitsLeased: 4,
	})
}

func TestOccupancyOfAnEmptyZone(t *testing.T) {
	got := ComputeOccupancy(zone, nil, nil, -3)
	assertOccupancy(t, got, Occupancy{ZoneID: zone})
	if math.IsNaN(got.OccupancyRatio) {
		t.Fatalf("ratio is NaN")
	}
}

func TestOccupancyCountsAnIdleSpaceOnce(t *testing.T) {
	plot := sp(KindPlot, "A", "A", 1_000, true)
	a := held("l1", plot, "2026-01-01", "2026-12-31", LeaseTerminating)
	b := held("l2", plot, "2027-01-01", "2030-12-31", LeaseActive)
	a.Idle, b.Idle = true, true
	got := ComputeOccupancy(zone, []Space{plot}, []Lease{a, b}, 0)
	assertOccupancy(t, got, Occupancy{ZoneID: zone, TotalAreaM2: 1_000, LeasedAreaM2: 1_000, OccupancyRatio: 1, IdleSpaces: 1})
}

func assertOccupancy(t *testing.T, got, want Occupancy) {
	t.Helper()
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if got.ZoneID != want.ZoneID || !near(got.TotalAreaM2, want.TotalAreaM2) || !near(got.LeasedAreaM2, want.LeasedAreaM2) ||
		!near(got.AvailableAreaM2, want.AvailableAreaM2) || !near(got.OccupancyRatio, want.OccupancyRatio) ||
		!near(got.FloorAreaM2, want.FloorAreaM2) || !near(got.LeasedFloorAreaM2, want.LeasedFloorAreaM2) ||
		got.UnitsLeased != want.UnitsLeased || got.UnitsFree != want.UnitsFree ||
		got.RequestsWaiting != want.RequestsWaiting || got.IdleSpaces != want.IdleSpaces {
		t.Fatalf("occupancy\n%+v\nwant\n%+v", got, want)
	}
}
