package allocation_test

// The harness (apitest.StartService) runs the whole allocation service as a process would: a
// real database (SQLite, and PostgreSQL when ZONEOPS_TEST_POSTGRES_DSN is set), a real embedded
// JetStream server with the TENANTS stream the tenants service would declare, the service's
// routes behind app.Handler on an httptest server, and Service.Run relaying events, consuming
// licence events and sweeping in the background. The clock is fixed and moved by the tests.
//
// Licences reach the service the only way they can: licence events built with libs/events and
// published on the TENANTS stream, as the tenants service publishes them.
//
// Every response a test receives through env.Do is validated against api/openapi.yaml, and
// the operations it reached are recorded so that TestMain can fail the suite when an operation
// of the spec was never exercised.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/envelope"
	evtenants "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
)

// secret signs the test tokens.
var secret = []byte("allocation-wiring-tests-0123456789abcdef")

// start is 10:00 in Islamabad on Monday 2 March 2026.
var start = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// cast is the callers of the tests and of the role tables. Zone developers' tokens name zones
// by code, as every service's tokens do.
var cast = apitest.NewCast("ISB", "LHR", tenantA, tenantB)

var operator, developer, outsider, owner, stranger, auditor, viewer = cast.Operator, cast.Developer, cast.Outsider, cast.Owner, cast.Stranger, cast.Auditor, cast.Viewer

// Tenant ids are UUIDs, as every id in zoneops.
const (
	tenantA     = "0195b3c0-0000-7000-8000-00000000000a"
	tenantB     = "0195b3c0-0000-7000-8000-00000000000b"
	developerID = "0195b3c0-0000-7000-8000-0000000000de"
)

var pkt = time.FixedZone("PKT", 5*60*60)

// date is the calendar date in Islamabad d days after the env's start.
func date(d int) string { return start.Add(time.Duration(d) * day).In(pkt).Format(time.DateOnly) }

// env is one running allocation service (see apitest.Env); clock is its Env.Clock, under the
// name the tests use.
type env struct {
	*apitest.Env
	clock *apitest.Clock

	mu       sync.Mutex
	nextCell int // grid cells handed out by cells()
	seq      int // names handed out by name()
}

// forEachDialect runs fn against a fresh service per database backend.
func forEachDialect(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	apitest.ForEachDialect(t, startService, fn)
}

// config is the configuration the tests run with: the documented defaults.
var config = allocation.Config{
	TimeZone: "Asia/Karachi", AreaTolerance: 0.02, ConstructionStartMonths: 12, ConstructionCompleteMonths: 36,
	SweepInterval: 15 * time.Minute, StreamReplicas: 1,
}

// startService wires the service from its dependencies exactly as cmd/allocation does, with
// the TENANTS stream declared as the tenants service declares it, and stops it when the test
// ends. The service logs in to NATS as itself with the permissions it has on the embedded
// server of cmd/allocation; the test, which also plays the tenants service, as an operator.
func startService(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	perms := allocation.Definition().NATSPermissions().Merge(allocation.Definition().NATSStreamPermissions())
	e := apitest.StartService(t, dialect, apitest.ServiceSpec{
		Name: allocation.Name, Stream: envelope.StreamAllocation, Spec: spec, Secret: secret, Start: start, Permissions: &perms,
		Streams: []natsx.StreamSpec{{Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}}},
		New: func(ctx context.Context, d app.Deps, ticks <-chan time.Time) (apitest.Service, error) {
			return allocation.New(ctx, config, d, allocation.WithTicks(ticks))
		},
	})
	return &env{Env: e, clock: e.Clock}
}

// request is one HTTP call and response its answer, read in full; env.Do sends one as the
// caller it names, checks the answer against api/openapi.yaml and that it is not a 5xx, and
// env.Try does so reporting only through t.Errorf, so goroutines may call it.
type (
	request  = apitest.Request
	response = apitest.Response
)

// decode reads a JSON answer into a T.
func decode[T any](t *testing.T, r *response) T { return apitest.Decode[T](t, r) }

// The wire shapes the tests read (the spec check holds them in full).
type (
	zone struct {
		ID      string         `json:"id"`
		Code    string         `json:"code"`
		Status  string         `json:"status"`
		Version int64          `json:"version"`
		History []historyEntry `json:"history"`
	}
	plot struct {
		ID       string          `json:"id"`
		ZoneID   string          `json:"zone_id"`
		Code     string          `json:"code"`
		AreaM2   float64         `json:"area_m2"`
		Boundary json.RawMessage `json:"boundary"`
		Status   string          `json:"status"`
		Parents  []string        `json:"parents"`
		Children []string        `json:"children"`
		Version  int64           `json:"version"`
	}
	building struct {
		ID     string `json:"id"`
		PlotID string `json:"plot_id"`
		Floors int    `json:"floors"`
	}
	unit struct {
		ID         string  `json:"id"`
		PlotID     string  `json:"plot_id"`
		BuildingID string  `json:"building_id"`
		AreaM2     float64 `json:"area_m2"`
	}
	spaceRef struct {
		Kind string `json:"kind"`
		ID   string `json:"id"`
	}
	allocRequest struct {
		ID        string    `json:"id"`
		TenantID  string    `json:"tenant_id"`
		LicenceID string    `json:"licence_id"`
		ZoneID    string    `json:"zone_id"`
		Space     *spaceRef `json:"space"`
		Status    string    `json:"status"`
		LeaseID   string    `json:"lease_id"`
		Version   int64     `json:"version"`
	}
	lease struct {
		ID                   string         `json:"id"`
		RequestID            string         `json:"request_id"`
		TenantID             string         `json:"tenant_id"`
		LicenceID            string         `json:"licence_id"`
		Space                spaceRef       `json:"space"`
		PlotID               string         `json:"plot_id"`
		LandLease            bool           `json:"land_lease"`
		Start                string         `json:"start"`
		End                  string         `json:"end"`
		Status               string         `json:"status"`
		NoticeGivenOn        string         `json:"notice_given_on"`
		EndsOn               string         `json:"ends_on"`
		Cause                string         `json:"cause"`
		ConstructionStartDue string         `json:"construction_start_due"`
		ConstructionStarted  string         `json:"construction_started"`
		Version              int64          `json:"version"`
		History              []historyEntry `json:"history"`
	}
	occupancy struct {
		TotalAreaM2    float64 `json:"total_area_m2"`
		LeasedAreaM2   float64 `json:"leased_area_m2"`
		OccupancyRatio float64 `json:"occupancy_ratio"`
		FloorAreaM2    float64 `json:"floor_area_m2"`
		UnitsLeased    int     `json:"units_leased"`
		UnitsFree      int     `json:"units_free"`
		Waiting        int     `json:"requests_waiting"`
	}
	historyEntry = apitest.HistoryEntry
	page[T any]  = apitest.Page[T]
	problem      = apitest.Problem
)

func actions(h []historyEntry) []string { return apitest.Actions(h) }

// Geometry. ISB's boundary is the 0.02° square from 73.00E 33.70N; plots are cells of a
// 0.001° grid inside it (about 93 m by 111 m), handed out by cells so that no two tests' plots
// overlap.

const (
	zoneLon, zoneLat = 73.0, 33.7
	zoneSpan         = 0.02
	cellSize         = 0.001
	gridSide         = int(zoneSpan / cellSize)
)

// box is the polygon of the lon/lat rectangle, shell counter-clockwise.
func box(lon0, lat0, lon1, lat1 float64) map[string]any {
	return map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{
		{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0},
	}}}
}

// cell is the polygon of grid cell (col, row) of ISB.
func cell(col, row int) map[string]any {
	lon, lat := zoneLon+float64(col)*cellSize, zoneLat+float64(row)*cellSize
	return box(lon, lat, lon+cellSize, lat+cellSize)
}

// cells hands out n adjacent cells of one grid row that no other call got.
func (e *env) cells(t *testing.T, n int) []map[string]any {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if col := e.nextCell % gridSide; col+n > gridSide {
		e.nextCell += gridSide - col
	}
	if e.nextCell+n > gridSide*gridSide {
		t.Fatal("ISB has no free cells left")
	}
	out := make([]map[string]any, n)
	for i := range out {
		k := e.nextCell + i
		out[i] = cell(k%gridSide, k/gridSide)
	}
	e.nextCell += n
	return out
}

// name returns prefix followed by a number no other call got, e.g. "P-7".
func (e *env) name(prefix string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seq++
	return fmt.Sprintf("%s%d", prefix, e.seq)
}

// areaOf is what the service measures for a polygon, as the JSON number a client declares
// (two decimals).
func areaOf(t *testing.T, poly map[string]any) json.Number {
	t.Helper()
	raw, err := json.Marshal(poly)
	if err != nil {
		t.Fatal(err)
	}
	p, err := geo.ParsePolygon(raw)
	if err != nil {
		t.Fatalf("test polygon %s: %v", raw, err)
	}
	return json.Number(fmt.Sprintf("%.2f", geo.AreaM2(p)))
}

func num(t *testing.T, n json.Number) float64 {
	t.Helper()
	f, err := n.Float64()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// plotBody is a drawn plot of code on poly, its area as measured.
func plotBody(t *testing.T, code, landUse string, poly map[string]any) map[string]any {
	t.Helper()
	return map[string]any{"code": code, "area_m2": areaOf(t, poly), "land_use": landUse, "boundary": poly}
}

// feature is a plan feature of a drawn plot.
func feature(t *testing.T, code, landUse string, poly map[string]any) map[string]any {
	t.Helper()
	return map[string]any{"type": "Feature", "geometry": poly,
		"properties": map[string]any{"code": code, "area_m2": areaOf(t, poly), "land_use": landUse}}
}

func plan(features ...map[string]any) map[string]any {
	return map[string]any{"type": "FeatureCollection", "features": features}
}

// geoJSON is the Content-Type of a plot plan upload.
var geoJSON = http.Header{"Content-Type": {"application/geo+json"}}

func money(amount int64) map[string]any {
	return map[string]any{"amount_minor": amount, "currency": "PKR"}
}

// terms offers a lease from day from for months months, the offer open until day validUntil.
func terms(from, months, validUntil int) map[string]any {
	return map[string]any{
		"start_date": date(from), "term_months": months, "rent_per_m2_month": money(150_000),
		"deposit": money(5_000_000_00), "notice_months": 3, "offer_valid_until": date(validUntil),
	}
}

// Fixtures built through the API.

// site is a notified zone and the records most tests lease from.
type site struct {
	zone     zone // ISB
	lhr      zone
	plot     plot // a drawn plot of ISB with the building
	building building
}

// notifiedZone registers a zone of code with boundary (nil for none) and notifies it.
func (e *env) notifiedZone(t *testing.T, code string, boundary map[string]any) zone {
	t.Helper()
	z := e.plannedZone(t, code, boundary)
	return decode[zone](t, e.Must(t, request{Method: "POST", Path: "/v1/zones/" + z.ID + "/notify", As: &operator}, 200))
}

func zoneBody(code string, boundary map[string]any) map[string]any {
	body := map[string]any{"code": code, "name": "Special Technology Zone " + code, "province": "islamabad_capital_territory",
		"time_zone": "Asia/Karachi", "developer_tenant_id": developerID}
	if boundary != nil {
		body["boundary"] = boundary
	}
	return body
}

func (e *env) plannedZone(t *testing.T, code string, boundary map[string]any) zone {
	t.Helper()
	return decode[zone](t, e.Must(t, request{Method: "POST", Path: "/v1/zones", As: &operator, Body: zoneBody(code, boundary)}, 201))
}

// isbBoundary is ISB's notified boundary.
var isbBoundary = box(zoneLon, zoneLat, zoneLon+zoneSpan, zoneLat+zoneSpan)

// site registers and notifies ISB and LHR and puts a building on a drawn plot of ISB.
func (e *env) site(t *testing.T) site {
	t.Helper()
	var s site
	s.zone = e.notifiedZone(t, "ISB", isbBoundary)
	s.lhr = e.notifiedZone(t, "LHR", nil)
	s.plot = e.drawnPlot(t, s.zone.ID, e.name("P-"), "it_park")
	s.building = decode[building](t, e.Must(t, request{Method: "POST", Path: "/v1/plots/" + s.plot.ID + "/buildings", As: &developer,
		Body: map[string]any{"name": "Tower 1", "floors": 10, "basements": 1}}, 201))
	return s
}

// drawnPlot creates a plot on a free cell of ISB.
func (e *env) drawnPlot(t *testing.T, zoneID, code, landUse string) plot {
	t.Helper()
	return decode[plot](t, e.Must(t, request{Method: "POST", Path: "/v1/zones/" + zoneID + "/plots", As: &developer,
		Body: plotBody(t, code, landUse, e.cells(t, 1)[0])}, 201))
}

// undrawnPlot creates a plot planned by area alone.
func (e *env) undrawnPlot(t *testing.T, zoneID string, area int) plot {
	t.Helper()
	return decode[plot](t, e.Must(t, request{Method: "POST", Path: "/v1/zones/" + zoneID + "/plots", As: &developer,
		Body: map[string]any{"code": e.name("U-"), "area_m2": area, "land_use": "industrial"}}, 201))
}

// unit registers a 250 m² office on the first floor of b.
func (e *env) unit(t *testing.T, b building) unit {
	t.Helper()
	return decode[unit](t, e.Must(t, request{Method: "POST", Path: "/v1/buildings/" + b.ID + "/units", As: &developer,
		Body: map[string]any{"label": e.name("1-"), "floor": 1, "area_m2": 250, "use": "office"}}, 201))
}

// submitted is p's request for the space in zone.
func (e *env) submitted(t *testing.T, p auth.Principal, zoneID string, space spaceRef) allocRequest {
	t.Helper()
	return decode[allocRequest](t, e.Must(t, request{Method: "POST", Path: "/v1/requests", As: &p,
		Body: map[string]any{"zone_id": zoneID, "space": space}}, 201))
}

// offered is p's request for the space, offered by the developer on terms.
func (e *env) offered(t *testing.T, p auth.Principal, zoneID string, space spaceRef, terms map[string]any) allocRequest {
	t.Helper()
	r := e.submitted(t, p, zoneID, space)
	return decode[allocRequest](t, e.Must(t, request{Method: "POST", Path: "/v1/requests/" + r.ID + "/offer", As: &developer,
		Body: map[string]any{"space": space, "terms": terms}}, 200))
}

// leased is p's lease of the space on terms.
func (e *env) leased(t *testing.T, p auth.Principal, zoneID string, space spaceRef, terms map[string]any) lease {
	t.Helper()
	r := e.offered(t, p, zoneID, space, terms)
	return decode[lease](t, e.Must(t, request{Method: "POST", Path: "/v1/requests/" + r.ID + "/accept", As: &p}, 201))
}

// Licences, as the tenants service publishes them.

// publish sends a tenants event at version v to the TENANTS stream and returns it.
func (e *env) publish(t *testing.T, p events.Payload, v int64) envelope.Envelope {
	t.Helper()
	env, err := events.New(p, v, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.Publish(t, env)
	return env
}

var official = values.Actor{Subject: "olivia", Role: values.RoleOperator}

// grant publishes licence.granted for tenantID in the zone with code and returns the licence
// id, without waiting for the service to apply it.
func (e *env) grant(t *testing.T, tenantID, code string) string {
	t.Helper()
	id := service.NewID()
	from := values.DateOf(e.clock.Now().In(pkt))
	e.publish(t, evtenants.LicenceGranted{
		LicenceID: id, LicenceNumber: "STZ-" + code + "-2026-" + id[len(id)-4:], ApplicationID: service.NewID(), TenantID: tenantID,
		Kind: evtenants.KindZoneEnterprise, Zone: code, Sector: "ai", SizeTier: evtenants.SizeTiers()[0],
		Commitments: evtenants.Commitments{Headcount: 25, Investment: values.Money{AmountMinor: 100_000_000_00, Currency: "PKR"},
			Exports: values.Money{Currency: "PKR"}, RnDSpend: values.Money{Currency: "PKR"}},
		ValidFrom: from, ValidUntil: from.AddDate(10, 0, -1), Actor: official,
	}, 1)
	return id
}

// licensed grants tenantID a licence in the zone with code and waits until the service knows
// it is active.
func (e *env) licensed(t *testing.T, tenantID, code string) string {
	t.Helper()
	id := e.grant(t, tenantID, code)
	e.waitLicence(t, id, "active", 1)
	return id
}

// waitLicence waits until the licence projection holds the licence at status and version.
func (e *env) waitLicence(t *testing.T, id, status string, version int64) {
	t.Helper()
	e.EventuallyRow(t, fmt.Sprintf("licence %s %s at version %d", id, status, version),
		`SELECT status, version FROM licences WHERE id = ?`, []any{id}, status, version)
}

// types lists the events' types without the service's prefix.
func types(evs []apitest.Event) []string { return apitest.Types(evs, "zoneops.allocation.") }

// state is a fingerprint of everything a request can write: a refused request must leave it
// as it was.
type state struct {
	Zones, ZoneVersions, Plots, PlotVersions, Buildings, Units, Requests, RequestVersions, Leases, LeaseVersions, Licences int64
	// Written is the outbox, as events committed, and the idempotency keys.
	apitest.Written
}

func (e *env) state(t *testing.T) state {
	t.Helper()
	s := state{Written: e.Written(t)}
	apitest.Fingerprint(t, e.DB,
		apitest.Versioned("zones", &s.Zones, &s.ZoneVersions), apitest.Versioned("plots", &s.Plots, &s.PlotVersions),
		apitest.Rows("buildings", &s.Buildings), apitest.Rows("units", &s.Units),
		apitest.Versioned("requests", &s.Requests, &s.RequestVersions), apitest.Versioned("leases", &s.Leases, &s.LeaseVersions),
		apitest.Rows("licences", &s.Licences))
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
