package store_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/work/worktest"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

var (
	// t0 is 10:00 in Islamabad on Monday 2 March 2026.
	t0        = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)
	operator  = zoning.Actor{Subject: "olivia", Role: audit.RoleOperator}
	developer = leasing.Actor{Subject: "dev", Role: audit.RoleZoneDeveloper}
	tenantA   = "0195b3c0-0000-7000-8000-00000000000a"
	tenantB   = "0195b3c0-0000-7000-8000-00000000000b"
	lpolicy   = leasing.DefaultPolicy()
	zpolicy   = zoning.DefaultPolicy()
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// forEachDialect runs fn with a fresh, migrated store per backend.
func forEachDialect(t *testing.T, fn func(t *testing.T, st *store.Store, d *db.DB)) {
	worktest.ForEachDialect(t, func(d *db.DB) *store.Store { return store.New(d, nil) }, fn, store.Migrations)
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func write(t testing.TB, st *store.Store, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := st.Write(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// square is a drawn plot spec: a square of side degrees whose south-west corner is at
// (lon, lat), with its measured area declared.
func square(t testing.TB, code string, lon, lat, side float64) zoning.PlotSpec {
	t.Helper()
	poly := must[geo.Polygon](t)(geo.FromLonLat([][2]float64{{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}}))
	area := must[zoning.Area](t)(zoning.AreaFromM2(math.Round(geo.AreaM2(poly))))
	return zoning.PlotSpec{Code: zoning.PlotCode(code), AreaM2: area, LandUse: "it_park", Boundary: &poly}
}

// undrawn is a plot spec by area alone.
func undrawn(code string, m2 int64) zoning.PlotSpec {
	return zoning.PlotSpec{Code: zoning.PlotCode(code), AreaM2: zoning.Area(m2 * 100), LandUse: "it_park"}
}

// notifiedZone stores a notified zone with code.
func notifiedZone(t testing.TB, st *store.Store, code string) *zoning.Zone {
	t.Helper()
	z := must[*zoning.Zone](t)(zoning.NewZone(newID(), zoning.ZoneSpec{Code: zoning.ZoneCode(code), Name: "Zone " + code,
		Province: "punjab", DeveloperTenantID: tenantB}, t0, operator))
	if err := z.Notify(t0, operator); err != nil {
		t.Fatal(err)
	}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.InsertZone(ctx, z) })
	return z
}

// addPlot stores a live plot of spec in z.
func addPlot(t testing.TB, st *store.Store, z *zoning.Zone, spec zoning.PlotSpec) *zoning.Plot {
	t.Helper()
	p := must[*zoning.Plot](t)(zoning.NewPlot(newID(), z, spec, zoning.ZonePlots{}, t0, operator, zpolicy))
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.InsertPlots(ctx, p) })
	return p
}

// addUnit stores a building on p and a 250 m² office unit in it.
func addUnit(t testing.TB, st *store.Store, z *zoning.Zone, p *zoning.Plot) *zoning.Unit {
	t.Helper()
	b := must[*zoning.Building](t)(zoning.NewBuilding(newID(), z, p, zoning.BuildingInput{Name: "Tower", Floors: 4}, t0, operator))
	u := must[*zoning.Unit](t)(zoning.NewUnit(newID(), z, p, b, zoning.UnitInput{Floor: 1, AreaM2: "250", Use: "office"}, t0, operator))
	write(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.InsertBuilding(ctx, b); err != nil {
			return err
		}
		return tx.InsertUnit(ctx, u)
	})
	return u
}

// grant stores an active licence of tenant for zone code.
func grant(t testing.TB, st *store.Store, tenant, code string) leasing.Licence {
	t.Helper()
	r := store.LicenceRecord{Licence: leasing.Licence{ID: newID(), TenantID: tenant, Status: leasing.LicenceActive, Version: 1}, ZoneCode: code}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.UpsertLicence(ctx, r) })
	return r.Licence
}

func plotSpace(z *zoning.Zone, p *zoning.Plot) leasing.Space {
	return leasing.Space{Ref: leasing.SpaceRef{Kind: leasing.KindPlot, ID: p.ID}, ZoneID: z.ID, PlotID: p.ID, AreaM2: p.AreaM2.M2(),
		LandUse: leasing.LandUse(p.LandUse), Live: true}
}

func unitSpace(z *zoning.Zone, u *zoning.Unit) leasing.Space {
	return leasing.Space{Ref: leasing.SpaceRef{Kind: leasing.KindUnit, ID: u.ID}, ZoneID: z.ID, PlotID: u.PlotID, AreaM2: u.AreaM2.M2(),
		LandUse: "it_park", Live: true}
}

// terms is a lease from start for months, offered until the day before it starts (or 20 March
// 2026 at the latest, so that offers made on t0 are open).
func terms(t testing.TB, start string, months int) leasing.Terms {
	t.Helper()
	s := must[leasing.Date](t)(leasing.ParseDate(start))
	valid := s.AddDays(-1)
	if cap := must[leasing.Date](t)(leasing.ParseDate("2026-03-20")); valid.After(cap) {
		valid = cap
	}
	return must[leasing.Terms](t)(leasing.ParseTerms(leasing.TermsInput{
		StartDate: start, TermMonths: months, NoticeMonths: min(3, months), OfferValidUntil: valid.String(),
		RentPerM2Month: leasing.MoneyInput{AmountMinor: 150_00, Currency: "PKR"}, Deposit: leasing.MoneyInput{Currency: "PKR"},
	}))
}

// offered stores a request of the licence's tenant for space, offered on tm.
func offered(t testing.TB, st *store.Store, lic leasing.Licence, space leasing.Space, tm leasing.Terms) *leasing.Request {
	t.Helper()
	in := leasing.RequestInput{ZoneID: space.ZoneID, Space: &leasing.SpaceRefInput{Kind: string(space.Ref.Kind), ID: space.Ref.ID}}
	r := must[*leasing.Request](t)(leasing.NewRequest(newID(), lic.TenantID, in, lic, t0, leasing.Actor{Subject: "ten", Role: audit.RoleTenant}))
	if err := r.MakeOffer(space, tm, lic, t0, developer, lpolicy); err != nil {
		t.Fatal(err)
	}
	write(t, st, func(ctx context.Context, tx *store.Tx) error { return tx.InsertRequest(ctx, r) })
	return r
}

// acceptMode says how much of the service's protection an acceptance uses.
type acceptMode int

const (
	// checked is the service's way: lock the zone, check availability, insert.
	checked acceptMode = iota
	// bare skips the zone lock and the check: only the database's own rules stand.
	bare
)

// accept accepts the offer of request id at t0 and stores the lease.
func accept(ctx context.Context, st *store.Store, id string, mode acceptMode) (*leasing.Lease, error) {
	var out *leasing.Lease
	err := st.Write(ctx, func(tx *store.Tx) error {
		var r *leasing.Request
		var err error
		if mode == checked {
			_, r, err = tx.LockRequest(ctx, id)
		} else {
			r, err = tx.Request(ctx, id)
		}
		if err != nil {
			return err
		}
		lic, _, err := tx.LicenceByID(ctx, r.LicenceID, mode == checked)
		if err != nil {
			return err
		}
		l, err := r.Accept(newID(), lic.Licence, t0, leasing.Actor{Subject: "ten", Role: audit.RoleTenant}, lpolicy)
		if err != nil {
			return err
		}
		if mode == checked {
			held, err := tx.LeasesOfPlot(ctx, l.PlotID)
			if err != nil {
				return err
			}
			if err := leasing.CheckAvailable(r.Offer.Space, l.Period(), held); err != nil {
				return err
			}
		}
		if err := tx.InsertLease(ctx, l); err != nil {
			return err
		}
		if err := tx.UpdateRequest(ctx, r); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, err
}

// someEvent is a valid event for tests that only count outbox rows.
func someEvent(t testing.TB) envelope.Envelope {
	t.Helper()
	return must[envelope.Envelope](t)(events.New(allocation.RequestWithdrawn{RequestID: newID(),
		Actor: values.Actor{Subject: "x", Role: values.RoleTenant}}, 2, t0))
}

func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.GetContext(context.Background(), &n, d.Rebind(query), args...); err != nil {
		t.Fatal(fmt.Errorf("%s: %w", query, err))
	}
	return n
}
