package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// Canned allocation answers, shaped as the service's JSON (zoning and leasing types).
const (
	zoneJSON = `{"id":"z1","code":"HRP","name":"Haripur Special Technology Zone","province":"khyber_pakhtunkhwa",
"time_zone":"Asia/Karachi","developer_tenant_id":"dev-1","status":"notified","notified_at":"2026-03-02T09:00:00Z",
"version":2,"created_at":"2026-03-01T09:00:00Z","updated_at":"2026-03-02T09:00:00Z","history":[]}`
	plotJSON = `{"id":"p1","zone_id":"z1","zone_code":"HRP","let":false,"units_let":2,"code":"A-12","area_m2":10249.26,"land_use":"it_park",
"boundary":{"type":"Polygon","coordinates":[[[72.905,33.985],[72.906,33.985],[72.906,33.986],[72.905,33.986],[72.905,33.985]]]},
"status":"live","version":1,"created_at":"2026-03-01T09:00:00Z","updated_at":"2026-03-01T09:00:00Z","history":[]}`
	buildingJSON = `{"id":"b1","zone_id":"z1","zone_code":"HRP","plot_id":"p1","plot_code":"A-12","name":"Tower B","floors":12,"basements":1,"version":1,
"created_at":"2026-03-01T09:00:00Z","updated_at":"2026-03-01T09:00:00Z","history":[]}`
	unitJSON = `{"id":"u1","zone_id":"z1","zone_code":"HRP","plot_id":"p1","plot_code":"A-12","building_id":"b1","building_name":"Tower B","label":"3-A","floor":3,"area_m2":1250.5,
"use":"office","version":1,"created_at":"2026-03-01T09:00:00Z","updated_at":"2026-03-01T09:00:00Z","history":[]}`
	requestJSON = `{"id":"r1","tenant_id":"t1","licence_id":"lic-1","zone_id":"z1","zone_code":"HRP","offer_space_code":"A-12",
"requirements":{"land_use":"industrial","min_area_m2":2000,"max_area_m2":5000.5},"status":"offered",
"offer":{"space":{"ref":{"kind":"plot","id":"p1"},"zone_id":"z1","plot_id":"p1","area_m2":10249.26,"land_use":"industrial","live":true},
"terms":{"start_date":"2026-05-01","term_months":120,"rent_per_m2_month":{"amount_minor":150050,"currency":"PKR"},
"deposit":{"amount_minor":30000000,"currency":"PKR"},"notice_months":6,"offer_valid_until":"2026-04-15"},
"offered_at":"2026-03-03T09:00:00Z","offered_by":{"subject":"dev","role":"zone_developer"}},
"version":2,"created_at":"2026-03-01T09:00:00Z","updated_at":"2026-03-03T09:00:00Z","history":[]}`
	leaseJSON = `{"id":"l1","request_id":"r1","tenant_id":"t1","licence_id":"lic-1","zone_id":"z1","zone_code":"HRP",
"space":{"kind":"plot","id":"p1"},"space_code":"A-12","plot_id":"p1","plot_code":"A-12","area_m2":10249.26,"land_use":"industrial","land_lease":true,
"start":"2026-05-01","end":"2036-04-30","rent_per_m2_month":{"amount_minor":150050,"currency":"PKR"},
"deposit":{"amount_minor":30000000,"currency":"PKR"},"notice_months":6,"status":"active",
"construction_start_due":"2027-04-30","construction_complete_due":"2029-04-30","idle":true,
"idle_reason":"construction_start missed","version":1,"created_at":"2026-03-04T09:00:00Z","updated_at":"2026-03-04T09:00:00Z","history":[]}`
	occupancyJSON = `{"zone_id":"z1","zone_code":"HRP","total_area_m2":1234567.5,"leased_area_m2":771604.69,"available_area_m2":462962.81,
"occupancy_ratio":0.625,"floor_area_m2":8000,"leased_floor_area_m2":2000.333,"units_leased":12,"units_free":4,
"requests_waiting":3,"idle_spaces":1}`
	planJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A-1","area_m2":5124.63,"land_use":"it_park"},"geometry":{"type":"Polygon","coordinates":[[[72.905,33.985],[72.9055,33.985],[72.9055,33.986],[72.905,33.986],[72.905,33.985]]]}},
{"type":"Feature","properties":{"code":"A-2","area_m2":5124.63,"land_use":"it_park"},"geometry":{"type":"Polygon","coordinates":[[[72.9055,33.985],[72.906,33.985],[72.906,33.986],[72.9055,33.986],[72.9055,33.985]]]}}]}`
)

func items(bodies ...string) string {
	return `{"items":[` + strings.Join(bodies, ",") + `]}`
}

// newAllocationAPI fakes every allocation route with a canned answer of the right shape.
func newAllocationAPI(t *testing.T) *fakeAPI {
	api := newFakeAPI(t)
	const jsonType = "application/json"
	for _, r := range []struct {
		pattern string
		status  int
		body    string
	}{
		{"POST /v1/zones", http.StatusCreated, zoneJSON},
		{"GET /v1/zones", http.StatusOK, items(zoneJSON)},
		{"GET /v1/zones/{id}", http.StatusOK, zoneJSON},
		{"POST /v1/zones/{id}/notify", http.StatusOK, zoneJSON},
		{"POST /v1/zones/{id}/denotify", http.StatusOK, zoneJSON},
		{"GET /v1/zones/{id}/occupancy", http.StatusOK, occupancyJSON},
		{"POST /v1/zones/{id}/plots", http.StatusCreated, plotJSON},
		{"POST /v1/zones/{id}/plots/import", http.StatusCreated, items(plotJSON, plotJSON)},
		{"POST /v1/zones/{id}/plots/merge", http.StatusCreated, plotJSON},
		{"GET /v1/zones/{id}/plots", http.StatusOK, items(plotJSON)},
		{"GET /v1/zones/{id}/units", http.StatusOK, items(unitJSON)},
		{"GET /v1/plots/{id}", http.StatusOK, plotJSON},
		{"POST /v1/plots/{id}/subdivide", http.StatusCreated, items(plotJSON, plotJSON)},
		{"POST /v1/plots/{id}/withdraw", http.StatusOK, plotJSON},
		{"POST /v1/plots/{id}/buildings", http.StatusCreated, buildingJSON},
		{"GET /v1/buildings/{id}", http.StatusOK, buildingJSON},
		{"POST /v1/buildings/{id}/units", http.StatusCreated, unitJSON},
		{"GET /v1/units/{id}", http.StatusOK, unitJSON},
		{"POST /v1/requests", http.StatusCreated, requestJSON},
		{"GET /v1/requests", http.StatusOK, items(requestJSON)},
		{"GET /v1/requests/{id}", http.StatusOK, requestJSON},
		{"POST /v1/requests/{id}/offer", http.StatusOK, requestJSON},
		{"POST /v1/requests/{id}/accept", http.StatusCreated, leaseJSON},
		{"POST /v1/requests/{id}/decline", http.StatusOK, requestJSON},
		{"POST /v1/requests/{id}/withdraw", http.StatusOK, requestJSON},
		{"GET /v1/leases", http.StatusOK, items(leaseJSON)},
		{"GET /v1/leases/{id}", http.StatusOK, leaseJSON},
		{"POST /v1/leases/{id}/terminate", http.StatusOK, leaseJSON},
		{"POST /v1/leases/{id}/milestones", http.StatusOK, leaseJSON},
	} {
		api.reply(r.pattern, r.status, jsonType, r.body)
	}
	api.reply("GET /v1/zones/{id}/plots.geojson", http.StatusOK, geoJSONContentType, planJSON)
	return api
}

// alloc prefixes args with the flags that point zonectl at api.
func alloc(api *fakeAPI, args ...string) []string {
	return append([]string{"--allocation-url", api.srv.URL, "--token", "t"}, args...)
}

func writeNamed(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAllocationCommandsSendTheRightRequests(t *testing.T) {
	zoneFile := writeNamed(t, "zone.json", exampleZone)
	plotFile := writeNamed(t, "plot.json", examplePlot)
	partsFile := writeNamed(t, "parts.json", exampleParts)
	const partsArray = `[{"code":"A-12-1","area_m2":5124.63,"land_use":"it_park"},{"code":"A-12-2","area_m2":5124.63,"land_use":"it_park"}]`

	tests := []struct {
		name       string
		args       []string
		stdin      string
		method     string
		path       string
		query      string // raw, as url.Values.Encode writes it
		body       string // JSON; "" means no body
		bodyHas    string // a literal the raw body must contain (digits sent as typed)
		idempotent bool   // an Idempotency-Key is sent (and only then)
		want       string // in the output
	}{
		// zones
		{name: "zones register", args: []string{"zones", "register", "-f", zoneFile},
			method: "POST", path: "/v1/zones", body: exampleZone, idempotent: true, want: "Haripur Special Technology Zone"},
		{name: "zones list", args: []string{"zones", "list", "--status", "planned,notified", "--province", "punjab", "--limit", "50"},
			method: "GET", path: "/v1/zones", query: "limit=50&province=punjab&status=planned%2Cnotified", want: "HRP"},
		{name: "zones get", args: []string{"zones", "get", "z1"}, method: "GET", path: "/v1/zones/z1", want: "khyber_pakhtunkhwa"},
		{name: "zones get escapes the id", args: []string{"zones", "get", "a/b"}, method: "GET", path: "/v1/zones/a%2Fb", want: "HRP"},
		{name: "zones notify", args: []string{"zones", "notify", "z1"}, method: "POST", path: "/v1/zones/z1/notify", want: "notified"},
		{name: "zones denotify", args: []string{"zones", "denotify", "z1", "--reason", "merged into ISB"},
			method: "POST", path: "/v1/zones/z1/denotify", body: `{"reason":"merged into ISB"}`, want: "HRP"},
		{name: "zones occupancy", args: []string{"zones", "occupancy", "z1"}, method: "GET", path: "/v1/zones/z1/occupancy", want: "62.5 %"},

		// plots
		{name: "plots create", args: []string{"plots", "create", "z1", "-f", plotFile},
			method: "POST", path: "/v1/zones/z1/plots", body: examplePlot, idempotent: true, want: "A-12"},
		{name: "plots create from stdin", args: []string{"plots", "create", "z1", "-f", "-"}, stdin: examplePlot,
			method: "POST", path: "/v1/zones/z1/plots", body: examplePlot, idempotent: true, want: "10,249.26 m²"},
		{name: "plots list", args: []string{"plots", "list", "z1", "--status", "live,retired", "--land-use", "it_park"},
			method: "GET", path: "/v1/zones/z1/plots", query: "land_use=it_park&status=live%2Cretired", want: "A-12"},
		{name: "plots get", args: []string{"plots", "get", "p1"}, method: "GET", path: "/v1/plots/p1", want: "drawn"},
		{name: "plots geojson", args: []string{"plots", "geojson", "z1"},
			method: "GET", path: "/v1/zones/z1/plots.geojson", want: `"FeatureCollection"`},
		{name: "plots subdivide", args: []string{"plots", "subdivide", "p1", "-f", partsFile},
			method: "POST", path: "/v1/plots/p1/subdivide", body: exampleParts, want: "A-12"},
		{name: "plots subdivide wraps a bare array", args: []string{"plots", "subdivide", "p1", "-f", "-"}, stdin: partsArray,
			method: "POST", path: "/v1/plots/p1/subdivide", body: `{"parts":` + partsArray + `}`, want: "A-12"},
		{name: "plots merge", args: []string{"plots", "merge", "z1", "--plot", "pa", "--plot", "pb", "--code", "M-1", "--land-use", "industrial"},
			method: "POST", path: "/v1/zones/z1/plots/merge", body: `{"plot_ids":["pa","pb"],"code":"M-1","land_use":"industrial"}`,
			idempotent: true, want: "A-12"},
		{name: "plots merge without land use", args: []string{"plots", "merge", "z1", "--plot", "pa,pb,pc", "--code", "M-1"},
			method: "POST", path: "/v1/zones/z1/plots/merge", body: `{"plot_ids":["pa","pb","pc"],"code":"M-1"}`, idempotent: true},
		{name: "plots withdraw", args: []string{"plots", "withdraw", "p1", "--reason", "road realigned"},
			method: "POST", path: "/v1/plots/p1/withdraw", body: `{"reason":"road realigned"}`, want: "A-12"},

		// buildings and units
		{name: "buildings register", args: []string{"buildings", "register", "p1", "--name", "Tower B", "--floors", "12", "--basements", "1"},
			method: "POST", path: "/v1/plots/p1/buildings", body: `{"name":"Tower B","floors":12,"basements":1}`,
			idempotent: true, want: "Tower B"},
		{name: "buildings get", args: []string{"buildings", "get", "b1"}, method: "GET", path: "/v1/buildings/b1", want: "Tower B"},
		{name: "units register", args: []string{"units", "register", "b1", "--floor", "3", "--area", "1250.50", "--use", "office", "--label", "3-A"},
			method: "POST", path: "/v1/buildings/b1/units", body: `{"label":"3-A","floor":3,"area_m2":1250.50,"use":"office"}`,
			bodyHas: `"area_m2":1250.50`, idempotent: true, want: "1,250.50 m²"},
		{name: "units register in a basement", args: []string{"units", "register", "b1", "--floor", "-1", "--area", "300", "--use", "warehouse"},
			method: "POST", path: "/v1/buildings/b1/units", body: `{"floor":-1,"area_m2":300,"use":"warehouse"}`, idempotent: true},
		{name: "units get", args: []string{"units", "get", "u1"}, method: "GET", path: "/v1/units/u1", want: "3-A"},
		{name: "units list", args: []string{"units", "list", "z1", "--building", "b1", "--use", "office"},
			method: "GET", path: "/v1/zones/z1/units", query: "building_id=b1&use=office", want: "u1"},

		// requests
		{name: "requests submit a plot", args: []string{"requests", "submit", "--zone", "z1", "--plot", "p1"},
			method: "POST", path: "/v1/requests", body: `{"zone_id":"z1","space":{"kind":"plot","id":"p1"}}`, idempotent: true, want: "r1"},
		{name: "requests submit a unit", args: []string{"requests", "submit", "--zone", "z1", "--unit", "u1"},
			method: "POST", path: "/v1/requests", body: `{"zone_id":"z1","space":{"kind":"unit","id":"u1"}}`, idempotent: true},
		{name: "requests submit requirements", args: []string{"requests", "submit", "--zone", "z1", "--land-use", "industrial", "--min-area", "2000", "--max-area", "5000.5"},
			method: "POST", path: "/v1/requests",
			body:    `{"zone_id":"z1","requirements":{"land_use":"industrial","min_area_m2":2000,"max_area_m2":5000.5}}`,
			bodyHas: `"max_area_m2":5000.5`, idempotent: true},
		{name: "requests submit without a maximum", args: []string{"requests", "submit", "--zone", "z1", "--land-use", "industrial", "--min-area", "2000"},
			method: "POST", path: "/v1/requests", body: `{"zone_id":"z1","requirements":{"land_use":"industrial","min_area_m2":2000}}`, idempotent: true},
		{name: "requests list", args: []string{"requests", "list", "--zone", "HRP", "--status", "submitted", "--status", "offered"},
			method: "GET", path: "/v1/requests", query: "status=submitted%2Coffered&zone=HRP", want: "industrial, 2,000 m² to 5,000.50 m²"},
		{name: "requests get", args: []string{"requests", "get", "r1"}, method: "GET", path: "/v1/requests/r1", want: "PKR 1500.50 per m² a month"},
		{name: "requests offer", args: []string{"requests", "offer", "r1", "--plot", "p1", "--start", "2026-05-01", "--months", "120",
			"--rent", "1500.5", "--currency", "PKR", "--deposit", "300000", "--notice-months", "6", "--valid-until", "2026-04-15"},
			method: "POST", path: "/v1/requests/r1/offer", body: `{"space":{"kind":"plot","id":"p1"},"terms":{"start_date":"2026-05-01",
			"term_months":120,"rent_per_m2_month":{"amount_minor":150050,"currency":"PKR"},"deposit":{"amount_minor":30000000,"currency":"PKR"},
			"notice_months":6,"offer_valid_until":"2026-04-15"}}`, want: "offered"},
		{name: "requests offer a unit, no deposit", args: []string{"requests", "offer", "r1", "--unit", "u1", "--start", "2026-05-01", "--months", "12",
			"--rent", "12", "--currency", "USD", "--valid-until", "2026-04-15"},
			method: "POST", path: "/v1/requests/r1/offer", body: `{"space":{"kind":"unit","id":"u1"},"terms":{"start_date":"2026-05-01",
			"term_months":12,"rent_per_m2_month":{"amount_minor":1200,"currency":"USD"},"deposit":{"amount_minor":0,"currency":"USD"},
			"notice_months":0,"offer_valid_until":"2026-04-15"}}`},
		{name: "requests accept prints the lease", args: []string{"requests", "accept", "r1"},
			method: "POST", path: "/v1/requests/r1/accept", want: "2036-04-30"},
		{name: "requests decline", args: []string{"requests", "decline", "r1"}, method: "POST", path: "/v1/requests/r1/decline", want: "r1"},
		{name: "requests decline with reason", args: []string{"requests", "decline", "r1", "--reason", "too dear"},
			method: "POST", path: "/v1/requests/r1/decline", body: `{"reason":"too dear"}`},
		{name: "requests withdraw", args: []string{"requests", "withdraw", "r1", "--reason", "found space"},
			method: "POST", path: "/v1/requests/r1/withdraw", body: `{"reason":"found space"}`},

		// leases
		{name: "leases list", args: []string{"leases", "list", "--zone", "HRP", "--tenant", "t1", "--status", "active", "--idle"},
			method: "GET", path: "/v1/leases", query: "idle=true&status=active&tenant_id=t1&zone=HRP", want: "idle"},
		{name: "leases list, no filters", args: []string{"leases", "list"}, method: "GET", path: "/v1/leases", want: "plot A-12"},
		{name: "plots list by zone code", args: []string{"plots", "list", "HRP"}, method: "GET", path: "/v1/zones/HRP/plots", want: "A-12"},
		{name: "requests submit by zone code", args: []string{"requests", "submit", "--zone", "HRP", "--plot", "p1"},
			method: "POST", path: "/v1/requests", body: `{"zone_id":"HRP","space":{"kind":"plot","id":"p1"}}`, idempotent: true, want: "HRP"},
		{name: "leases get", args: []string{"leases", "get", "l1"}, method: "GET", path: "/v1/leases/l1", want: "construction_start missed"},
		{name: "leases terminate", args: []string{"leases", "terminate", "l1", "--reason", "moving out", "--notice-given-on", "2026-03-01"},
			method: "POST", path: "/v1/leases/l1/terminate", body: `{"reason":"moving out","notice_given_on":"2026-03-01"}`},
		{name: "leases terminate today", args: []string{"leases", "terminate", "l1", "--reason", "moving out"},
			method: "POST", path: "/v1/leases/l1/terminate", body: `{"reason":"moving out"}`},
		{name: "leases milestone", args: []string{"leases", "milestone", "l1", "--milestone", "construction_started", "--on", "2026-03-10"},
			method: "POST", path: "/v1/leases/l1/milestones", body: `{"milestone":"construction_started","on":"2026-03-10"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAllocationAPI(t)
			res := runCLI(t, nil, tt.stdin, alloc(api, tt.args...)...)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			req := api.only()
			if req.method != tt.method || req.path != tt.path {
				t.Errorf("sent %s %s, want %s %s", req.method, req.path, tt.method, tt.path)
			}
			if req.query != tt.query {
				t.Errorf("query %q, want %q", req.query, tt.query)
			}
			if got := req.header.Get("Authorization"); got != "Bearer t" {
				t.Errorf("Authorization = %q", got)
			}
			switch {
			case tt.body == "" && req.body != "":
				t.Errorf("body %q, want none", req.body)
			case tt.body != "" && !jsonEqual(t, req.body, tt.body):
				t.Errorf("body %s\nwant %s", req.body, tt.body)
			}
			if tt.body != "" && req.header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type = %q", req.header.Get("Content-Type"))
			}
			if !strings.Contains(req.body, tt.bodyHas) {
				t.Errorf("body %s lacks %s", req.body, tt.bodyHas)
			}
			key := req.header.Get("Idempotency-Key")
			if tt.idempotent {
				if u, err := uuid.Parse(key); err != nil || u.Version() != 7 {
					t.Errorf("Idempotency-Key = %q, want a UUIDv7", key)
				}
			} else if key != "" {
				t.Errorf("Idempotency-Key %q sent on a route that does not take one", key)
			}
			if !strings.Contains(res.stdout, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, res.stdout)
			}
		})
	}
}

func TestAllocationCreateKeepsAGivenIdempotencyKey(t *testing.T) {
	api := newAllocationAPI(t)
	res := runCLI(t, nil, "", alloc(api, "buildings", "register", "p1", "--name", "A", "--floors", "1", "--idempotency-key", "retry-7")...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if got := api.only().header.Get("Idempotency-Key"); got != "retry-7" {
		t.Errorf("Idempotency-Key = %q, want retry-7", got)
	}
}

func TestAllocationJSONOutputIsTheServersBytes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"zones", "get", "z1"}, zoneJSON},
		{[]string{"zones", "occupancy", "z1"}, occupancyJSON},
		{[]string{"requests", "accept", "r1"}, leaseJSON},
		{[]string{"plots", "import", "z1", "-f", "-"}, items(plotJSON, plotJSON)},
	} {
		api := newAllocationAPI(t)
		res := runCLI(t, nil, planJSON, alloc(api, append([]string{"-o", "json"}, tt.args...)...)...)
		if res.code != 0 || !jsonEqual(t, res.stdout, tt.want) {
			t.Errorf("%v: exit %d, printed %s", tt.args, res.code, res.stdout)
		}
	}
}

func TestPlanImportSendsTheFileAsGeoJSON(t *testing.T) {
	// Odd spacing on purpose: the bytes go as they are, not re-encoded.
	plan := strings.ReplaceAll(planJSON, `"features":`, "\"features\" :\n  ")
	file := writeNamed(t, "plan.geojson", plan)
	for _, tt := range []struct {
		name, stdin string
		args        []string
	}{
		{"file", "", []string{"plots", "import", "z1", "-f", file}},
		{"stdin", plan, []string{"plots", "import", "z1", "-f", "-"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			api := newAllocationAPI(t)
			res := runCLI(t, nil, tt.stdin, alloc(api, tt.args...)...)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			req := api.only()
			if req.method != http.MethodPost || req.path != "/v1/zones/z1/plots/import" {
				t.Errorf("sent %s %s", req.method, req.path)
			}
			if req.body != plan {
				t.Errorf("body differs from the file:\n%s", req.body)
			}
			if ct := req.header.Get("Content-Type"); ct != "application/geo+json" {
				t.Errorf("Content-Type = %q, want application/geo+json", ct)
			}
			if res.stdout != "Created 2 plots in zone z1.\n" {
				t.Errorf("output %q", res.stdout)
			}
		})
	}
}

func TestPlanImportPrintsEveryProblem(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("POST /v1/zones/{id}/plots/import", http.StatusBadRequest, "application/problem+json", `{
		"type":"https://zoneops.dev/problems/validation","title":"Invalid input","status":400,"detail":"3 fields are invalid",
		"errors":[{"field":"features[0].properties.area_m2","reason":"feature A-1: declared 5000 m² but the geometry measures 5124.63 m²: more than 2% apart"},
		          {"field":"features[1].geometry","reason":"feature A-2: overlaps plot B-7"},
		          {"field":"features[4].properties.code","reason":"required"}]}`)
	res := runCLI(t, nil, planJSON, alloc(api, "plots", "import", "z1", "-f", "-")...)
	res.mustFail(t,
		"Invalid input (HTTP 400)", "3 fields are invalid",
		"features[0].properties.area_m2: feature A-1: declared 5000 m²",
		"features[1].geometry: feature A-2: overlaps plot B-7",
		"features[4].properties.code: required",
	)
}

func TestAllocationProblemsPrintEveryFieldErrorAndFail(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("POST /v1/requests/{id}/offer", http.StatusUnprocessableEntity, "application/problem+json", `{
		"type":"https://zoneops.dev/problems/business-rule","title":"Against a business rule","status":422,
		"errors":[{"field":"terms.rent_per_m2_month.amount_minor","reason":"must be more than zero"},
		          {"field":"terms.offer_valid_until","reason":"must not be after the start date, 2026-05-01"}]}`)
	api.reply("POST /v1/leases/{id}/milestones", http.StatusConflict, "application/problem+json", `{
		"type":"https://zoneops.dev/problems/invalid-transition","title":"Illegal transition","status":409,
		"detail":"lease cannot record_milestone when ended","current_state":"ended"}`)
	api.reply("POST /v1/zones", http.StatusBadRequest, "application/problem+json", `{
		"type":"https://zoneops.dev/problems/validation","title":"Invalid input","status":400,
		"errors":[{"field":"code","reason":"must be 2 to 10 upper-case letters or digits starting with a letter, e.g. ISB"},
		          {"field":"province","reason":"must be one of islamabad_capital_territory, punjab"},
		          {"field":"developer_tenant_id","reason":"required: the licensed zone developer that runs the zone"}]}`)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"offer", []string{"requests", "offer", "r1", "--plot", "p1", "--start", "2026-05-01", "--months", "1",
			"--rent", "0", "--currency", "PKR", "--valid-until", "2026-06-01"}, []string{
			"HTTP 422", "terms.rent_per_m2_month.amount_minor: must be more than zero",
			"terms.offer_valid_until: must not be after the start date, 2026-05-01"}},
		{"milestone", []string{"leases", "milestone", "l1", "--milestone", "construction_completed", "--on", "2026-03-01"},
			[]string{"Illegal transition", "HTTP 409", "current state: ended"}},
		{"register", []string{"zones", "register", "-f", writeNamed(t, "zone.json", `{}`)}, []string{
			"code: must be 2 to 10", "province: must be one of", "developer_tenant_id: required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runCLI(t, nil, "", alloc(api, tt.args...)...).mustFail(t, tt.want...)
		})
	}
}

func TestAllocationCreateWithoutAnswerNamesTheKey(t *testing.T) {
	// Nothing listens on port 1: the request may or may not have arrived, so retrying with the
	// same key is the safe move, and zonectl says which key.
	res := runCLI(t, nil, "", "--allocation-url", "http://127.0.0.1:1", "--token", "t",
		"requests", "submit", "--zone", "z1", "--plot", "p1", "--idempotency-key", "k-42")
	if res.code != 1 || !strings.Contains(res.stderr, "--idempotency-key k-42") {
		t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
	}
}

func TestAllocationListAllFollowsNextCursor(t *testing.T) {
	api := newFakeAPI(t)
	pages := map[string]string{"": "c1", "c1": "c2", "c2": ""}
	api.mux.HandleFunc("GET /v1/zones/{id}/plots", func(w http.ResponseWriter, r *http.Request) {
		cur := r.URL.Query().Get("cursor")
		next, ok := pages[cur]
		if !ok {
			http.Error(w, "unknown cursor", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[{"id":"plot-%s-a","code":"A-%s","area_m2":1500,"land_use":"it_park","status":"live"}],"next_cursor":%q}`,
			cur, cur, next)
	})
	base := alloc(api, "plots", "list", "z1", "--land-use", "it_park", "--limit", "1")
	res := runCLI(t, nil, "", append(base, "--all")...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, id := range []string{"plot--a", "plot-c1-a", "plot-c2-a"} {
		if !strings.Contains(res.stdout, id) {
			t.Errorf("output lacks %s:\n%s", id, res.stdout)
		}
	}
	reqs := api.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, want := range []string{"", "c1", "c2"} {
		if reqs[i].path != "/v1/zones/z1/plots" {
			t.Errorf("request %d path %s", i, reqs[i].path)
		}
		if got := queryValue(t, reqs[i].query, "cursor"); got != want {
			t.Errorf("request %d cursor = %q, want %q", i, got, want)
		}
		if !strings.Contains(reqs[i].query, "land_use=it_park") || !strings.Contains(reqs[i].query, "limit=1") {
			t.Errorf("request %d query %q lost the filters", i, reqs[i].query)
		}
	}

	res = runCLI(t, nil, "", append(base, "--all", "-o", "json")...)
	var all page
	if err := json.Unmarshal([]byte(res.stdout), &all); err != nil || len(all.Items) != 3 || all.NextCursor != "" {
		t.Fatalf("-o json --all = %s (err %v), want 3 items and no cursor", res.stdout, err)
	}

	res = runCLI(t, nil, "", base...)
	if res.code != 0 || strings.Contains(res.stdout, "plot-c1-a") || !strings.Contains(res.stderr, "more plots: --cursor c1") {
		t.Fatalf("one page: exit %d\nstdout %s\nstderr %s", res.code, res.stdout, res.stderr)
	}
}

func TestPlanGeoJSONWritesTheFile(t *testing.T) {
	api := newAllocationAPI(t)
	out := filepath.Join(t.TempDir(), "out.geojson")
	res := runCLI(t, nil, "", alloc(api, "plots", "geojson", "z1", "-f", out)...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || string(data) != planJSON {
		t.Fatalf("file = %q (%v), want the server's plan", data, err)
	}
	if res.stdout != "Wrote 2 plots to "+out+".\n" {
		t.Errorf("output %q", res.stdout)
	}
	if accept := api.only().header.Get("Accept"); !strings.HasPrefix(accept, "application/geo+json") {
		t.Errorf("Accept = %q", accept)
	}
}

func TestExamplesNeedNoServer(t *testing.T) {
	for _, args := range [][]string{
		{"zones", "register", "--example"},
		{"plots", "create", "--example"},
		{"plots", "subdivide", "--example"},
	} {
		res := runCLI(t, nil, "", args...)
		if res.code != 0 || !json.Valid([]byte(res.stdout)) {
			t.Errorf("%v: exit %d, output %q, stderr %s", args, res.code, res.stdout, res.stderr)
		}
	}
}

func TestAllocationFlagsAreCheckedBeforeAnyRequest(t *testing.T) {
	api := newAllocationAPI(t)
	offer := []string{"requests", "offer", "r1", "--plot", "p1", "--start", "2026-05-01", "--months", "12",
		"--currency", "PKR", "--valid-until", "2026-04-15"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"denotify needs a reason", []string{"zones", "denotify", "z1"}, `"reason" not set`},
		{"create needs the zone", []string{"plots", "create", "-f", "x.json"}, "accepts 1 arg"},
		{"create needs a file", []string{"plots", "create", "z1"}, "-f is required"},
		{"import needs a file", []string{"plots", "import", "z1"}, "-f is required"},
		{"import refuses non-JSON", []string{"plots", "import", "z1", "-f", writeNamed(t, "bad.geojson", "not json")}, "not valid JSON"},
		{"merge needs two plots", []string{"plots", "merge", "z1", "--plot", "pa", "--code", "M-1"}, "at least two plots"},
		{"merge needs a code", []string{"plots", "merge", "z1", "--plot", "pa,pb"}, `"code" not set`},
		{"building needs floors", []string{"buildings", "register", "p1", "--name", "A"}, `"floors" not set`},
		{"unit area must be a number", []string{"units", "register", "b1", "--floor", "0", "--area", "big", "--use", "office"}, `--area "big"`},
		{"unit area is not negative", []string{"units", "register", "b1", "--floor", "0", "--area", "-5", "--use", "office"}, `--area "-5"`},
		{"submit needs a space or requirements", []string{"requests", "submit", "--zone", "z1"}, "at least one of the flags in the group [plot unit land-use]"},
		{"submit names one space", []string{"requests", "submit", "--zone", "z1", "--plot", "p1", "--unit", "u1"}, "none of the others can be"},
		{"submit: requirements or a space", []string{"requests", "submit", "--zone", "z1", "--plot", "p1", "--land-use", "industrial", "--min-area", "5"}, "none of the others can be"},
		{"submit: land use needs a minimum", []string{"requests", "submit", "--zone", "z1", "--land-use", "industrial"}, "missing [min-area]"},
		{"submit: maximum only with requirements", []string{"requests", "submit", "--zone", "z1", "--plot", "p1", "--max-area", "9"}, "none of the others can be"},
		{"submit: area shape", []string{"requests", "submit", "--zone", "z1", "--land-use", "industrial", "--min-area", "1e3"}, `--min-area "1e3"`},
		{"submit needs the zone", []string{"requests", "submit", "--plot", "p1"}, `"zone" not set`},
		{"offer needs a space", []string{"requests", "offer", "r1", "--start", "2026-05-01", "--months", "12", "--rent", "1",
			"--currency", "PKR", "--valid-until", "2026-04-15"}, "at least one of the flags in the group [plot unit]"},
		{"offer rent decimals", append(offer, "--rent", "1.234"), `--rent "1.234": PKR amounts have at most 2 decimals`},
		{"offer rent sign", append(offer, "--rent", "-1"), `--rent "-1"`},
		{"offer deposit shape", append(offer, "--rent", "1", "--deposit", "abc"), `--deposit "abc"`},
		{"offer currency shape", []string{"requests", "offer", "r1", "--plot", "p1", "--start", "2026-05-01", "--months", "12",
			"--rent", "1", "--currency", "rupees", "--valid-until", "2026-04-15"}, `currency "rupees"`},
		{"offer start date", []string{"requests", "offer", "r1", "--plot", "p1", "--start", "1 May", "--months", "12",
			"--rent", "1", "--currency", "PKR", "--valid-until", "2026-04-15"}, `--start "1 May": must be a date`},
		{"offer needs a rent", offer, `"rent" not set`},
		{"terminate date", []string{"leases", "terminate", "l1", "--reason", "x", "--notice-given-on", "2026-02-30"}, "must be a date"},
		{"milestone kind", []string{"leases", "milestone", "l1", "--milestone", "started", "--on", "2026-03-01"},
			"must be one of construction_started, construction_completed"},
		{"milestone date required", []string{"leases", "milestone", "l1", "--milestone", "construction_started"}, `"on" not set`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, "", alloc(api, tt.args...)...)
			if res.code != 1 || !strings.Contains(res.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q, want %q", res.code, res.stderr, tt.want)
			}
		})
	}
	if n := len(api.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestAllocationURLComesFromFlagThenEnvThenRuntimeFile(t *testing.T) {
	fromFile, fromEnv, fromFlag, tenants := newAllocationAPI(t), newAllocationAPI(t), newAllocationAPI(t), newAllocationAPI(t)
	dir := t.TempDir()
	if err := WriteRuntimeInfo(dir, RuntimeInfo{Services: map[string]string{
		"tenants": tenants.srv.URL, "allocation": fromFile.srv.URL,
	}}); err != nil {
		t.Fatal(err)
	}
	get := []string{"--data-dir", dir, "--token", "t", "zones", "get", "z1"}
	env := map[string]string{EnvAllocationURL: fromEnv.srv.URL, EnvTenantsURL: tenants.srv.URL}

	for _, run := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, get},
		{env, get},
		{env, append([]string{"--allocation-url", fromFlag.srv.URL, "--tenants-url", tenants.srv.URL}, get...)},
	} {
		if res := runCLI(t, run.env, "", run.args...); res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
	}
	for name, api := range map[string]*fakeAPI{"file": fromFile, "env": fromEnv, "flag": fromFlag} {
		if n := len(api.requests()); n != 1 {
			t.Errorf("server named by %s got %d requests, want 1", name, n)
		}
	}
	if n := len(tenants.requests()); n != 0 {
		t.Errorf("the tenants URL got %d allocation requests", n)
	}

	// Without any allocation URL, the tenants one is not a fallback, and the message says what to do.
	noAlloc := t.TempDir()
	if err := WriteRuntimeInfo(noAlloc, RuntimeInfo{Services: map[string]string{"tenants": tenants.srv.URL}}); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, map[string]string{EnvTenantsURL: tenants.srv.URL}, "", "--data-dir", noAlloc, "--token", "t", "zones", "get", "z1")
	if res.code != 1 || !strings.Contains(res.stderr, "no allocation URL") || !strings.Contains(res.stderr, "--allocation-url") ||
		!strings.Contains(res.stderr, "make run") {
		t.Fatalf("no URL: exit %d, stderr %s", res.code, res.stderr)
	}
	res = runCLI(t, nil, "", "--allocation-url", "localhost:8082", "--token", "t", "zones", "get", "z1")
	if res.code != 1 || !strings.Contains(res.stderr, "allocation URL") {
		t.Fatalf("bad URL: exit %d, stderr %s", res.code, res.stderr)
	}
}

func TestRootHelpMentionsAllocation(t *testing.T) {
	res := runCLI(t, nil, "", "--help")
	for _, want := range []string{"allocation", EnvAllocationURL, "zones", "plots", "buildings", "units", "requests", "leases", "--allocation-url"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, res.stdout)
		}
	}
}
