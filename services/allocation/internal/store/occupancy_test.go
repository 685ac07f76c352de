package store_test

import (
	"context"
	"math"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
)

// TestOccupancyInTheDatabaseMatchesTheDomain: the occupancy the database sums gives, at every
// step of a zone's life, the figures leasing.ComputeOccupancy works out from the same rows
// (land leases counted whole, built plots by their leased share of floor area, notice still
// holding, ended leases and retired plots not counting, idle spaces once, other zones ignored).
func TestOccupancyInTheDatabaseMatchesTheDomain(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, d *db.DB) {
		ctx := context.Background()
		z := notifiedZone(t, st, "ISB")
		other := notifiedZone(t, st, "LHR")
		lic := grant(t, st, tenantA, "ISB")
		otherLic := grant(t, st, tenantA, "LHR")
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.ExecContext(ctx, d.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		check := func(step string) leasing.Occupancy {
			t.Helper()
			spaces, leases, waiting, err := st.OccupancyInputs(ctx, z.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := leasing.ComputeOccupancy(z.ID, spaces, leases, waiting)
			got, err := st.Occupancy(ctx, z.ID)
			if err != nil {
				t.Fatal(err)
			}
			near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }
			if got.ZoneID != want.ZoneID || !near(got.TotalAreaM2, want.TotalAreaM2) || !near(got.LeasedAreaM2, want.LeasedAreaM2) ||
				!near(got.AvailableAreaM2, want.AvailableAreaM2) || !near(got.OccupancyRatio, want.OccupancyRatio) ||
				!near(got.FloorAreaM2, want.FloorAreaM2) || !near(got.LeasedFloorAreaM2, want.LeasedFloorAreaM2) ||
				got.UnitsLeased != want.UnitsLeased || got.UnitsFree != want.UnitsFree ||
				got.RequestsWaiting != want.RequestsWaiting || got.IdleSpaces != want.IdleSpaces {
				t.Fatalf("%s: database occupancy\n%+v\ndomain\n%+v", step, got, want)
			}
			return got
		}

		check("empty zone")

		land := addPlot(t, st, z, undrawn("A-1", 4000))
		built := addPlot(t, st, z, undrawn("B-1", 2000))
		var units []leasing.Space
		for range 3 {
			units = append(units, unitSpace(z, addUnit(t, st, z, built)))
		}
		landWithUnit := addPlot(t, st, z, undrawn("C-1", 1000))
		addUnit(t, st, z, landWithUnit) // held by the land lease of C-1
		retired := addPlot(t, st, z, undrawn("D-1", 3000))
		retiredUnit := unitSpace(z, addUnit(t, st, z, retired))
		foreign := addPlot(t, st, other, undrawn("A-1", 9000))
		check("planned")

		l1 := must[*leasing.Lease](t)(accept(ctx, st, offered(t, st, lic, units[0], terms(t, "2026-04-01", 12)).ID, checked))
		l2 := must[*leasing.Lease](t)(accept(ctx, st, offered(t, st, lic, units[1], terms(t, "2026-04-01", 12)).ID, checked))
		lland := must[*leasing.Lease](t)(accept(ctx, st, offered(t, st, lic, plotSpace(z, land), terms(t, "2026-04-01", 24)).ID, checked))
		must[*leasing.Lease](t)(accept(ctx, st, offered(t, st, lic, plotSpace(z, landWithUnit), terms(t, "2026-04-01", 24)).ID, checked))
		must[*leasing.Lease](t)(accept(ctx, st, offered(t, st, lic, retiredUnit, terms(t, "2026-04-01", 12)).ID, checked))
		must[*leasing.Lease](t)(accept(ctx, st, offered(t, st, otherLic, plotSpace(other, foreign), terms(t, "2026-04-01", 12)).ID, checked))
		offered(t, st, lic, units[2], terms(t, "2026-04-01", 12)) // waiting
		o := check("leased")
		if o.UnitsLeased != 4 || o.UnitsFree != 1 || o.RequestsWaiting != 1 {
			t.Errorf("leased: %+v; want 4 units leased (two let, one on leased land, one on D-1), 1 free, 1 waiting", o)
		}

		exec(`UPDATE leases SET status = 'terminating' WHERE id = ?`, l1.ID)
		exec(`UPDATE leases SET idle = ? WHERE id = ?`, true, lland.ID)
		check("under notice, idle land")

		exec(`UPDATE leases SET status = 'ended' WHERE id = ?`, l2.ID)
		exec(`UPDATE plots SET status = 'retired' WHERE id = ?`, retired.ID)
		o = check("ended, retired")
		if o.IdleSpaces != 1 || o.TotalAreaM2 != 7000 {
			t.Errorf("ended, retired: %+v; want 1 idle space and 7,000 m² of live plots", o)
		}
	})
}
