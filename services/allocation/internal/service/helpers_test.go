package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/work/worktest"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

var (
	// t0 is 10:00 in Islamabad on Monday 2 March 2026.
	t0       = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)
	operator = service.Principal{Subject: "olivia", Role: "operator"}
	tenantA  = "0195b3c0-0000-7000-8000-00000000000a"
	tenantB  = "0195b3c0-0000-7000-8000-00000000000b"
	devID    = "0195b3c0-0000-7000-8000-0000000000de"
	alice    = service.Principal{Subject: "alice", Role: "tenant", TenantID: tenantA}
	bob      = service.Principal{Subject: "bob", Role: "tenant", TenantID: tenantB}
	viewer   = service.Principal{Subject: "vera", Role: "viewer"}
)

type fixture struct {
	svc   service.Service
	st    *store.Store
	db    *db.DB
	clock *apitest.Clock
}

// newFixture is the service on d with its clock at t0.
func newFixture(d *db.DB) fixture {
	c := apitest.NewClock(t0)
	st := store.New(d, nil)
	return fixture{svc: service.New(st, service.DefaultPolicy(), c.Now, nil), st: st, db: d, clock: c}
}

func forEachDialect(t *testing.T, fn func(t *testing.T, f fixture)) {
	worktest.ForEachDialect(t, newFixture, func(t *testing.T, f fixture, _ *db.DB) { fn(t, f) }, store.Migrations)
}

// sqliteOnly runs fn on SQLite alone, for tests whose subject is not the database.
func sqliteOnly(t *testing.T, fn func(t *testing.T, f fixture)) {
	fn(t, newFixture(worktest.Open(t, db.SQLite, store.Migrations)))
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

func developer(zoneIDs ...string) service.Principal {
	return service.Principal{Subject: "dev", Role: "zone_developer", Zones: zoneIDs}
}

// zone registers and notifies a zone with code.
func (f fixture) zone(t *testing.T, code string) *zoning.Zone {
	t.Helper()
	ctx := context.Background()
	z := must[*zoning.Zone](t)(f.svc.RegisterZone(ctx, operator, zoning.ZoneInput{Code: code, Name: "Zone " + code, Province: "islamabad_capital_territory", DeveloperTenantID: devID}))
	return must[*zoning.Zone](t)(f.svc.NotifyZone(ctx, operator, z.ID))
}

// squareInput is a drawn plot: a square of side degrees with its south-west corner at
// (lon, lat) and its measured area declared.
func squareInput(t *testing.T, code string, lon, lat, side float64) zoning.PlotInput {
	t.Helper()
	raw := squareJSON(lon, lat, side)
	poly := must[geo.Polygon](t)(geo.ParsePolygon(raw))
	return zoning.PlotInput{Code: code, AreaM2: json.Number(fmt.Sprintf("%.0f", math.Round(geo.AreaM2(poly)))), LandUse: "it_park", Boundary: raw}
}

func squareJSON(lon, lat, side float64) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]}`,
		lon, lat, lon+side, lat+side))
}

func undrawnInput(code string, m2 int) zoning.PlotInput {
	return zoning.PlotInput{Code: code, AreaM2: json.Number(fmt.Sprint(m2)), LandUse: "it_park"}
}

// grant puts an active licence of tenant for zone code into the projection, as the licence
// consumer would.
func (f fixture) grant(t *testing.T, tenant, code string) string {
	t.Helper()
	id := service.NewID()
	ch := service.LicenceChange{LicenceID: id, Version: 1, Status: leasing.LicenceActive, TenantID: tenant, ZoneCode: code, At: f.clock.Now()}
	f.applyLicence(t, ch)
	return id
}

func (f fixture) applyLicence(t *testing.T, ch service.LicenceChange) service.LicenceOutcome {
	t.Helper()
	var out service.LicenceOutcome
	err := f.st.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = service.ApplyLicence(context.Background(), tx, ch, service.DefaultPolicy(), f.clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// space names a plot or a unit as requests and offers do.
func plotRef(id string) *leasing.SpaceRefInput { return &leasing.SpaceRefInput{Kind: "plot", ID: id} }
func unitRef(id string) *leasing.SpaceRefInput { return &leasing.SpaceRefInput{Kind: "unit", ID: id} }

// offerTerms is a lease from start for months, three months' notice, offered until 20 March
// 2026 (or the day before start when that is earlier).
func offerTerms(start string, months int) leasing.TermsInput {
	valid := "2026-03-20"
	if start <= valid {
		d, _ := leasing.ParseDate(start)
		valid = d.AddDays(-1).String()
	}
	return leasing.TermsInput{StartDate: start, TermMonths: months, NoticeMonths: min(3, months), OfferValidUntil: valid,
		RentPerM2Month: leasing.MoneyInput{AmountMinor: 150_00, Currency: "PKR"}, Deposit: leasing.MoneyInput{AmountMinor: 0, Currency: "PKR"}}
}

// lease takes space from request to lease: alice asks, the developer offers on terms, alice
// accepts.
func (f fixture) lease(t *testing.T, dev service.Principal, zoneID string, ref *leasing.SpaceRefInput, tm leasing.TermsInput) *leasing.Lease {
	t.Helper()
	ctx := context.Background()
	r := must[*leasing.Request](t)(f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: zoneID, Space: ref}))
	must[*leasing.Request](t)(f.svc.OfferSpace(ctx, dev, r.ID, service.OfferInput{Space: *ref, Terms: tm}))
	return must[*leasing.Lease](t)(f.svc.AcceptOffer(ctx, alice, r.ID))
}

// published is one event in the outbox.
type published struct {
	Type      string
	Aggregate string
	Version   int64
	Payload   any
}

// events returns the events queued since the given outbox row count, decoded and validated
// by the registry as a consumer would.
func (f fixture) events(t *testing.T, since int) []published {
	t.Helper()
	var rows []string
	if err := f.db.SelectContext(context.Background(), &rows, `SELECT payload FROM outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	var out []published
	for _, r := range rows[min(since, len(rows)):] {
		env, payload, err := events.Decode([]byte(r))
		if err != nil {
			t.Fatalf("outbox holds an event consumers cannot decode: %v", err)
		}
		out = append(out, published{Type: strings.TrimPrefix(strings.TrimSuffix(env.Type, ".v1"), "zoneops.allocation."),
			Aggregate: env.AggregateID, Version: env.AggregateVersion, Payload: payload})
	}
	return out
}

func (f fixture) outboxLen(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.db.GetContext(context.Background(), &n, `SELECT count(*) FROM outbox`); err != nil {
		t.Fatal(err)
	}
	return n
}

// types lists the short types of evs ("lease.signed").
func types(evs []published) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

// wantFields checks that err is a validation error naming exactly the fields given.
func wantFields(t *testing.T, what string, err error, fields ...string) {
	t.Helper()
	var v *fault.ValidationError
	if !errors.As(err, &v) {
		t.Errorf("%s: %v, want a validation error naming %v", what, err, fields)
		return
	}
	got := map[string]bool{}
	for _, fe := range v.Fields {
		got[fe.Field] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("%s: %v does not name %s", what, err, f)
		}
	}
	if len(got) != len(fields) {
		t.Errorf("%s: %v names %d fields, want %v", what, err, len(got), fields)
	}
}

// wantKind checks that err matches kind (a fault kind or a sentinel) and mentions every text.
func wantKind(t *testing.T, what string, err error, kind error, texts ...string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: %v, want %v", what, err, kind)
		return
	}
	for _, s := range texts {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%s: %q does not mention %q", what, err, s)
		}
	}
}
