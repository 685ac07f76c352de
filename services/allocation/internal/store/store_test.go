package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/outbox"
	"github.com/zoneops/zoneops/libs/platform/work/worktest"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// TestWriteCommitsStateAndEventsTogether: a write that fails leaves neither its rows nor its
// events, and the relay is woken only after a commit that queued events.
func TestWriteCommitsStateAndEventsTogether(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var woken atomic.Int32
		st := store.New(d, func() { woken.Add(1) })
		z := notifiedZone(t, st, "ISB")
		if woken.Load() != 0 {
			t.Fatalf("a write without events woke the relay")
		}

		boom := errors.New("boom")
		err := st.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.LockZone(ctx, z.ID); err != nil {
				return err
			}
			p := must[*zoning.Plot](t)(zoning.NewPlot(newID(), z, undrawn("A-1", 1000), zoning.ZonePlots{}, t0, operator, zpolicy))
			if err := tx.InsertPlots(ctx, p); err != nil {
				return err
			}
			if err := tx.Emit(ctx, someEvent(t)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("failed write: %v, want boom", err)
		}
		if n := count(t, d, `SELECT count(*) FROM plots`); n != 0 {
			t.Errorf("a failed write left %d plots", n)
		}
		if n := count(t, d, `SELECT count(*) FROM outbox`); n != 0 {
			t.Errorf("a failed write left %d events", n)
		}
		if woken.Load() != 0 {
			t.Errorf("a failed write woke the relay")
		}

		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			return tx.Emit(ctx, someEvent(t), someEvent(t))
		})
		if n := count(t, d, `SELECT count(*) FROM outbox`); n != 2 || woken.Load() != 1 {
			t.Errorf("after a write with 2 events: outbox %d, woken %d times; want 2 and 1", n, woken.Load())
		}
	}, outbox.Migrations, store.Migrations)
}

// TestZonesAndPlotsKeepTheirCodesUnique: zone codes are unique, plot codes unique within a
// zone, unknown or unstorable ids are not found, and a write that does not move the version
// is refused rather than lost.
func TestZonesAndPlotsKeepTheirCodesUnique(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		ctx := context.Background()
		isb := notifiedZone(t, st, "ISB")
		lhr := notifiedZone(t, st, "LHR")
		dup := must[*zoning.Zone](t)(zoning.NewZone(newID(), zoning.ZoneSpec{Code: "ISB", Name: "Again", Province: "punjab", DeveloperTenantID: tenantB}, t0, operator))
		err := st.Write(ctx, func(tx *store.Tx) error { return tx.InsertZone(ctx, dup) })
		if !errors.Is(err, store.ErrZoneCodeTaken) || !errors.Is(err, fault.ErrConflict) {
			t.Errorf("second ISB: %v, want ErrZoneCodeTaken (a conflict)", err)
		}

		a1 := addPlot(t, st, isb, undrawn("A-1", 1000))
		addPlot(t, st, lhr, undrawn("A-1", 1000)) // another zone may use the code
		again := must[*zoning.Plot](t)(zoning.NewPlot(newID(), isb, undrawn("A-1", 500), zoning.ZonePlots{}, t0, operator, zpolicy))
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.InsertPlots(ctx, again) })
		if !errors.Is(err, zoning.ErrCodeTaken) {
			t.Errorf("A-1 again in ISB: %v, want ErrCodeTaken", err)
		}
		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			taken, err := tx.PlotCodes(ctx, isb.ID, "A-1", "A-2")
			if err != nil {
				return err
			}
			if len(taken) != 1 || taken["A-1"] != a1.ID {
				t.Errorf("PlotCodes = %v, want only A-1 → %s", taken, a1.ID)
			}
			return nil
		})

		for _, id := range []string{newID(), "", "a\x00b", "\xff"} {
			if _, err := st.GetZone(ctx, id); !errors.Is(err, fault.ErrNotFound) {
				t.Errorf("GetZone(%q): %v, want not found", id, err)
			}
			if _, err := st.GetPlot(ctx, id); !errors.Is(err, fault.ErrNotFound) {
				t.Errorf("GetPlot(%q): %v, want not found", id, err)
			}
			err := st.Write(ctx, func(tx *store.Tx) error { _, _, err := tx.LockLease(ctx, id); return err })
			if !errors.Is(err, fault.ErrNotFound) {
				t.Errorf("LockLease(%q): %v, want not found", id, err)
			}
		}

		err = st.Write(ctx, func(tx *store.Tx) error { return tx.UpdatePlot(ctx, a1) })
		if !errors.Is(err, fault.ErrConflict) {
			t.Errorf("update without a new version: %v, want a conflict", err)
		}
		got := must[*zoning.Plot](t)(st.GetPlot(ctx, a1.ID))
		if got.Code != "A-1" || got.AreaM2 != a1.AreaM2 || got.Version != 1 || got.Status != zoning.PlotLive {
			t.Errorf("read back %+v", got)
		}
	})
}

// TestLivePlotIndexReadsOnlyNearbyLivePlots: a single plot's overlap search reads the live
// drawn plots whose boxes meet it; withdrawn and undrawn plots are never in the index.
func TestLivePlotIndexReadsOnlyNearbyLivePlots(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		z := notifiedZone(t, st, "ISB")
		const side = 0.001
		near := addPlot(t, st, z, square(t, "N-1", 73.000, 33.600, side))
		far := addPlot(t, st, z, square(t, "F-1", 73.050, 33.650, side))
		gone := addPlot(t, st, z, square(t, "W-1", 73.001, 33.600, side))
		addPlot(t, st, z, undrawn("U-1", 5000))
		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			p := must[*zoning.Plot](t)(tx.Plot(ctx, gone.ID))
			if err := p.Withdraw(t0, operator, "road", nil); err != nil {
				return err
			}
			return tx.UpdatePlot(ctx, p)
		})
		candidate := square(t, "C-1", 73.0005, 33.6005, side)
		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			b := candidate.Boundary.Bounds()
			ix, codes, err := tx.LivePlotIndex(ctx, z.ID, &b)
			if err != nil {
				return err
			}
			if ix.Len() != 1 || codes["N-1"] != near.ID {
				t.Errorf("near the candidate: %d plots, codes %v; want only N-1", ix.Len(), codes)
			}
			if got := ix.Conflicts(*candidate.Boundary); !slices.Equal(got, []string{near.ID}) {
				t.Errorf("conflicts %v, want N-1", got)
			}
			ix, codes, err = tx.LivePlotIndex(ctx, z.ID, nil)
			if err != nil {
				return err
			}
			if ix.Len() != 2 || codes["F-1"] != far.ID || codes["N-1"] != near.ID {
				t.Errorf("whole zone: %d plots, codes %v; want N-1 and F-1", ix.Len(), codes)
			}
			return nil
		})
	})
}

// TestLicenceProjectionPrefersTheActiveLicence: a tenant's licence for a zone is found by the
// zone's code; of two it is the active one.
func TestLicenceProjectionPrefersTheActiveLicence(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		ctx := context.Background()
		old := store.LicenceRecord{Licence: leasing.Licence{ID: newID(), TenantID: tenantA, Status: leasing.LicenceExpired, Version: 4}, ZoneCode: "ISB"}
		write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.UpsertLicence(ctx, old) })
		current := grant(t, st, tenantA, "ISB")
		newer := store.LicenceRecord{Licence: leasing.Licence{ID: newID(), TenantID: tenantA, Status: leasing.LicenceRevoked, Version: 5}, ZoneCode: "ISB"}
		write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.UpsertLicence(ctx, newer) })
		grant(t, st, tenantA, "LHR")
		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			got, ok, err := tx.Licence(ctx, tenantA, "ISB")
			if err != nil || !ok || got.ID != current.ID {
				t.Errorf("licence in ISB: %+v %v %v, want the active %s", got, ok, err, current.ID)
			}
			if _, ok, _ := tx.Licence(ctx, tenantB, "ISB"); ok {
				t.Error("tenant B has a licence it was never granted")
			}
			if _, ok, _ := tx.Licence(ctx, tenantA, "KHI"); ok {
				t.Error("tenant A has a licence for KHI")
			}
			return nil
		})
		got := must[store.LicenceRecord](t)(st.GetLicence(ctx, old.ID))
		if got != old {
			t.Errorf("read back %+v, want %+v", got, old)
		}
		if _, err := st.GetLicence(ctx, newID()); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("unknown licence: %v", err)
		}
	})
}

// raceAccept has n goroutines accept n offers of one space over overlapping dates, spread
// over the stores, and returns how many succeeded and the errors of the others.
func raceAccept(t *testing.T, stores []*store.Store, ids []string, mode acceptMode) (int, []error) {
	t.Helper()
	var mu sync.Mutex
	var wins int
	var errs []error
	worktest.Race(len(ids), func(i int) {
		_, err := accept(context.Background(), stores[i%len(stores)], ids[i], mode)
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			wins++
		} else {
			errs = append(errs, err)
		}
	})
	return wins, errs
}

// offersOfOneUnit stores n requests with outstanding offers of one unit, over overlapping
// periods (each starts a day later, all run a year).
func offersOfOneUnit(t *testing.T, st *store.Store, n int) (*zoning.Zone, *zoning.Unit, []string) {
	t.Helper()
	z := notifiedZone(t, st, "ISB")
	u := addUnit(t, st, z, addPlot(t, st, z, undrawn("A-1", 2000)))
	lic := grant(t, st, tenantA, "ISB")
	ids := make([]string, n)
	start := must[leasing.Date](t)(leasing.ParseDate("2026-04-01"))
	for i := range ids {
		ids[i] = offered(t, st, lic, unitSpace(z, u), terms(t, start.AddDays(i%20).String(), 12)).ID
	}
	return z, u, ids
}

// checkOneLease asserts the race left one holding lease of the unit and every loser refused
// with a conflict that names the unit.
func checkOneLease(t *testing.T, d *db.DB, u *zoning.Unit, wins int, errs []error) {
	t.Helper()
	if wins != 1 {
		t.Errorf("%d acceptances succeeded, want exactly 1", wins)
	}
	for _, err := range errs {
		if !errors.Is(err, leasing.ErrOverlap) || !errors.Is(err, fault.ErrConflict) {
			t.Errorf("a losing acceptance: %v, want leasing.ErrOverlap (a conflict)", err)
			break
		}
	}
	if n := count(t, d, `SELECT count(*) FROM leases WHERE space_id = ? AND status <> 'ended'`, u.ID); n != 1 {
		t.Errorf("%d leases of the unit, want 1", n)
	}
	if n := count(t, d, `SELECT count(*) FROM requests WHERE status = 'accepted'`); n != 1 {
		t.Errorf("%d accepted requests, want 1", n)
	}
}

// TestFiftyAcceptancesOfOneUnitMakeOneLease is the race the issue asks for: 50 goroutines each
// accept an offer of the same unit over overlapping dates; exactly one lease results. The
// service's way (zone lock and check) and the database's rules alone (no lock, no check: the
// exclusion constraint on PostgreSQL, the triggers on SQLite) each hold on both backends.
func TestFiftyAcceptancesOfOneUnitMakeOneLease(t *testing.T) {
	for _, mode := range []struct {
		name string
		mode acceptMode
	}{{"checked", checked}, {"database only", bare}} {
		t.Run(mode.name, func(t *testing.T) {
			forEachDialect(t, func(t *testing.T, st *store.Store, d *db.DB) {
				_, u, ids := offersOfOneUnit(t, st, 50)
				wins, errs := raceAccept(t, []*store.Store{st}, ids, mode.mode)
				checkOneLease(t, d, u, wins, errs)
			})
		})
	}
}

// TestAcceptancesThroughTwoStoresMakeOneLease races the acceptances through two store
// instances (two connection pools, as two replicas of the service have) on one PostgreSQL
// schema: the zone lock and the constraint are the database's, so they hold across processes.
func TestAcceptancesThroughTwoStoresMakeOneLease(t *testing.T) {
	dsn := dbtest.PostgresDSN(t)
	ctx := context.Background()
	var stores []*store.Store
	var first *db.DB
	for range 2 {
		d, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: 10})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if err := d.Migrate(ctx, outbox.Migrations, store.Migrations); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = d
		}
		stores = append(stores, store.New(d, nil))
	}
	for _, mode := range []acceptMode{checked, bare} {
		_, u, ids := offersOfOneUnit(t, stores[0], 50)
		wins, errs := raceAccept(t, stores, ids, mode)
		checkOneLease(t, first, u, wins, errs)
		if _, err := first.ExecContext(ctx, `TRUNCATE leases, requests, licences, units, buildings, plots, zones`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDatabaseRefusesWhatTheChecksRefuse inserts leases straight through the store, skipping
// the service's checks: the database itself refuses a second lease of a space over any shared
// day, and land against units on one plot, reporting the same conflicts as leasing's checks.
// Back-to-back leases, other units of the plot and ended leases are allowed.
func TestDatabaseRefusesWhatTheChecksRefuse(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, d *db.DB) {
		ctx := context.Background()
		z := notifiedZone(t, st, "ISB")
		lic := grant(t, st, tenantA, "ISB")
		plot := addPlot(t, st, z, undrawn("A-1", 2000))
		u1, u2 := addUnit(t, st, z, plot), addUnit(t, st, z, plot)
		land := addPlot(t, st, z, undrawn("B-1", 4000))
		landUnit := addUnit(t, st, z, land)
		lease := func(space leasing.Space, start string, months int) error {
			r := offered(t, st, lic, space, terms(t, start, months))
			_, err := accept(ctx, st, r.ID, bare)
			return err
		}
		tests := []struct {
			name  string
			space leasing.Space
			start string
			want  error
		}{
			{"a unit for a year", unitSpace(z, u1), "2026-04-01", nil},
			{"the same unit from its last day", unitSpace(z, u1), "2027-03-31", leasing.ErrOverlap},
			{"the same unit from the day after", unitSpace(z, u1), "2027-04-01", nil},
			{"another unit of the plot at the same time", unitSpace(z, u2), "2026-04-01", nil},
			{"the plot as land while its units are let", plotSpace(z, plot), "2026-06-01", leasing.ErrPlotHasUnitLeases},
			{"a plot as land", plotSpace(z, land), "2026-04-01", nil},
			{"a unit of land let as land", unitSpace(z, landUnit), "2026-12-01", leasing.ErrPlotLeasedAsLand},
		}
		for _, tt := range tests {
			err := lease(tt.space, tt.start, 12)
			if tt.want == nil && err != nil || tt.want != nil && (!errors.Is(err, tt.want) || !errors.Is(err, fault.ErrConflict)) {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			}
		}

		// An ended lease holds nothing: end the land lease and let the unit.
		var id string
		if err := d.GetContext(ctx, &id, d.Rebind(`SELECT id FROM leases WHERE space_id = ?`), land.ID); err != nil {
			t.Fatal(err)
		}
		write(t, st, func(ctx context.Context, tx *store.Tx) error {
			_, l, err := tx.LockLease(ctx, id)
			if err != nil {
				return err
			}
			if err := l.Terminate(must[leasing.Date](t)(leasing.ParseDate("2026-03-02")), "tenant left", t0, developer, lpolicy); err != nil {
				return err
			}
			if _, err := l.EndIfDue(t0.AddDate(0, 4, 0), leasing.Actor{Subject: "sys", Role: audit.RoleSystem}, lpolicy); err != nil {
				return err
			}
			return tx.UpdateLease(ctx, l)
		})
		if err := lease(unitSpace(z, landUnit), "2026-12-01", 12); err != nil {
			t.Errorf("a unit of land whose lease ended: %v", err)
		}

		if d.Dialect == db.Postgres {
			// The constraint itself, without the store's translation.
			_, err := d.ExecContext(ctx, `INSERT INTO leases (id, request_id, zone_id, plot_id, space_kind, space_id, tenant_id, licence_id,
				status, start_date, last_day, version, created_at, doc)
				SELECT $1, (SELECT r.id FROM requests r WHERE NOT EXISTS (SELECT 1 FROM leases x WHERE x.request_id = r.id) LIMIT 1), zone_id, plot_id, space_kind, space_id, tenant_id, licence_id, 'active', '2026-05-01', '2026-05-31', 1, created_at, doc
				FROM leases WHERE space_id = $2 AND status = 'active' LIMIT 1`, newID(), u1.ID)
			var ce *db.ConstraintError
			if !errors.As(db.Classify(err), &ce) || !errors.Is(ce, db.ErrExclusion) || ce.Constraint != "leases_no_overlap" {
				t.Errorf("raw overlapping insert: %v, want the leases_no_overlap exclusion violation", err)
			}
		}
	})
}

// TestListsPageThroughEveryMatchingRowOnce pages through zones, plots and requests with small
// limits and filters: the pages hold each matching row exactly once, in order.
func TestListsPageThroughEveryMatchingRowOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		ctx := context.Background()
		isb, lhr := notifiedZone(t, st, "ISB"), notifiedZone(t, st, "LHR")
		var plots []string
		for _, c := range []string{"C-3", "A-1", "B-2", "A-10", "D-4"} {
			plots = append(plots, addPlot(t, st, isb, undrawn(c, 1000)).ID)
		}
		addPlot(t, st, lhr, undrawn("A-1", 1000))
		lic := grant(t, st, tenantA, "ISB")
		var reqs []string
		for i := range 7 {
			p := must[*zoning.Plot](t)(st.GetPlot(ctx, plots[i%len(plots)]))
			reqs = append(reqs, offered(t, st, lic, plotSpace(isb, p), terms(t, "2026-04-01", 12)).ID)
		}

		pageAll := func(next func(cursor string) ([]string, string, error)) []string {
			t.Helper()
			var got []string
			cursor := ""
			for range 20 {
				ids, c, err := next(cursor)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids...)
				if c == "" {
					return got
				}
				cursor = c
			}
			t.Fatal("the cursor never ends")
			return nil
		}
		for _, limit := range []int{1, 2, 500} {
			codes := pageAll(func(c string) ([]string, string, error) {
				items, next, err := st.ListPlots(ctx, store.PlotFilter{ZoneID: isb.ID, Statuses: []zoning.PlotStatus{zoning.PlotLive}, Cursor: c, Limit: limit})
				var out []string
				for _, p := range items {
					out = append(out, string(p.Code))
				}
				return out, next, err
			})
			if want := []string{"A-1", "A-10", "B-2", "C-3", "D-4"}; !slices.Equal(codes, want) {
				t.Errorf("limit %d: plots %v, want %v", limit, codes, want)
			}
			got := pageAll(func(c string) ([]string, string, error) {
				items, next, err := st.ListRequests(ctx, store.RequestFilter{ZoneIDs: []string{isb.ID, lhr.ID}, TenantID: tenantA,
					Statuses: []leasing.RequestStatus{leasing.RequestOffered}, Cursor: c, Limit: limit})
				var out []string
				for _, r := range items {
					out = append(out, r.ID)
				}
				return out, next, err
			})
			if !slices.Equal(got, reqs) {
				t.Errorf("limit %d: requests %v, want %v", limit, got, reqs)
			}
		}
		zones, _, err := st.ListZones(ctx, store.ZoneFilter{Statuses: []zoning.ZoneStatus{zoning.ZoneNotified}, Province: "punjab"})
		if err != nil || len(zones) != 2 || zones[0].Code != "ISB" || zones[1].Code != "LHR" {
			t.Errorf("zones %v, %v", zones, err)
		}
		if items, _, err := st.ListRequests(ctx, store.RequestFilter{TenantID: tenantB}); err != nil || len(items) != 0 {
			t.Errorf("tenant B's requests: %d, %v", len(items), err)
		}
		// Filter values no record can hold match nothing rather than failing the query.
		if items, _, err := st.ListRequests(ctx, store.RequestFilter{ZoneIDs: []string{"a\x00b"}, TenantID: "\xff"}); err != nil || len(items) != 0 {
			t.Errorf("unstorable filters: %d, %v", len(items), err)
		}
		if items, _, err := st.ListUnits(ctx, store.UnitFilter{ZoneID: isb.ID, BuildingID: "a\x00b"}); err != nil || len(items) != 0 {
			t.Errorf("unstorable building: %d, %v", len(items), err)
		}
		for _, c := range []string{"!!!", "bm9waXBl", "fA"} {
			if _, _, err := st.ListLeases(ctx, store.LeaseFilter{Cursor: c}); !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("cursor %q: %v, want invalid input", c, err)
			}
		}
	})
}

// TestSweepCandidatesAndOccupancyInputs: the sweep finds offers past their validity, leases
// past their last day and land leases past a construction deadline, by keyset; occupancy reads
// the zone's live spaces, holding leases and waiting requests.
func TestSweepCandidatesAndOccupancyInputs(t *testing.T) {
	forEachDialect(t, func(t *testing.T, st *store.Store, _ *db.DB) {
		ctx := context.Background()
		z := notifiedZone(t, st, "ISB")
		lic := grant(t, st, tenantA, "ISB")
		land := addPlot(t, st, z, undrawn("A-1", 4000))
		built := addPlot(t, st, z, undrawn("B-1", 2000))
		u := addUnit(t, st, z, built)
		open := offered(t, st, lic, unitSpace(z, u), terms(t, "2026-04-01", 12)) // valid until 20 March
		landReq := offered(t, st, lic, plotSpace(z, land), terms(t, "2026-04-01", 24))
		l := must[*leasing.Lease](t)(accept(ctx, st, landReq.ID, checked))

		date := func(s string) leasing.Date { return must[leasing.Date](t)(leasing.ParseDate(s)) }
		ids := func(ds []store.Due, err error) []string {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range ds {
				if d.ZoneID != z.ID {
					t.Errorf("due %s in zone %s, want %s", d.ID, d.ZoneID, z.ID)
				}
				out = append(out, d.ID)
			}
			return out
		}
		if got := ids(st.OffersDue(ctx, date("2026-03-20"), "", 10)); len(got) != 0 {
			t.Errorf("offers due before their last day: %v", got)
		}
		if got := ids(st.OffersDue(ctx, date("2026-03-21"), "", 10)); !slices.Equal(got, []string{open.ID}) {
			t.Errorf("offers due the day after: %v, want %s", got, open.ID)
		}
		if got := ids(st.OffersDue(ctx, date("2026-03-21"), open.ID, 10)); len(got) != 0 {
			t.Errorf("offers due after the last candidate: %v", got)
		}
		if got := ids(st.LeaseEndsDue(ctx, date("2028-03-31"), "", 10)); len(got) != 0 {
			t.Errorf("lease ends due on its last day: %v", got)
		}
		if got := ids(st.LeaseEndsDue(ctx, date("2028-04-01"), "", 10)); !slices.Equal(got, []string{l.ID}) {
			t.Errorf("lease ends due the day after: %v, want %s", got, l.ID)
		}
		// Construction must start by 31 March 2027 (12 months).
		if got := ids(st.MilestonesDue(ctx, date("2027-03-31"), "", 10)); len(got) != 0 {
			t.Errorf("milestones due on the deadline: %v", got)
		}
		if got := ids(st.MilestonesDue(ctx, date("2027-04-01"), "", 10)); !slices.Equal(got, []string{l.ID}) {
			t.Errorf("milestones due the day after: %v, want %s", got, l.ID)
		}

		spaces, leases, waiting, err := st.OccupancyInputs(ctx, z.ID)
		if err != nil {
			t.Fatal(err)
		}
		o := leasing.ComputeOccupancy(z.ID, spaces, leases, waiting)
		if o.TotalAreaM2 != 6000 || o.LeasedAreaM2 != 4000 || o.FloorAreaM2 != 250 || o.UnitsFree != 1 || o.RequestsWaiting != 1 {
			t.Errorf("occupancy %+v", o)
		}
	})
}
