package tenants_test

// The harness runs the whole tenants service as a process would: a real database (SQLite, and
// PostgreSQL when ZONEOPS_TEST_POSTGRES_DSN is set), a real embedded JetStream server, the
// service's routes behind app.Handler on an httptest server, and Service.Run relaying events in
// the background. The clock is fixed and moved by the tests, so deadlines need no sleeping.
//
// Every response a test receives through env.Do is validated against api/openapi.yaml, and
// the operations it reached are recorded so that TestMain can fail the suite when an operation
// of the spec was never exercised.

import (
	"context"
	"testing"
	"time"
	_ "time/tzdata" // the service counts legal dates in Asia/Karachi

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/metrics"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
	"github.com/zoneops/zoneops/services/tenants"
)

// secret signs the test tokens.
var secret = []byte("tenants-wiring-tests-0123456789abcdef")

// start is 10:00 in Islamabad on Monday 2 March 2026.
var start = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// The callers of the tests. Records are created by owner in zone ISB unless a test says
// otherwise.
var (
	operator   = auth.Principal{Subject: "olivia", Role: auth.Operator}
	developer  = auth.Principal{Subject: "dev-isb", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB"}}
	outsider   = auth.Principal{Subject: "dev-lhr", Role: auth.ZoneDeveloper, ZoneCodes: []string{"LHR"}}
	owner      = auth.Principal{Subject: "alice", Role: auth.Tenant, TenantID: tenantA}
	stranger   = auth.Principal{Subject: "bob", Role: auth.Tenant, TenantID: tenantB}
	auditor    = auth.Principal{Subject: "audrey", Role: auth.Auditor}
	viewer     = auth.Principal{Subject: "vic", Role: auth.Viewer}
	registered = map[string]string{tenantA: "0012345-A", tenantB: "0067890-B"}
)

// cast is the callers of the role tables.
var cast = apitest.Cast{Operator: operator, Developer: developer, Outsider: outsider, Owner: owner, Stranger: stranger, Auditor: auditor, Viewer: viewer}

// Tenant ids are UUIDs, as every id in zoneops.
const (
	tenantA = "0195b3c0-0000-7000-8000-00000000000a"
	tenantB = "0195b3c0-0000-7000-8000-00000000000b"
)

// clock is a fixed time that tests move.
type clock = apitest.Clock

// date is the calendar date in Islamabad d days after start.
func date(d int) string { return start.Add(time.Duration(d) * day).In(pkt).Format(time.DateOnly) }

var pkt = time.FixedZone("PKT", 5*60*60)

// env is one running tenants service.
type env struct {
	clock *clock
	db    *db.DB
	nats  *natsx.Embedded
	nc    *nats.Conn
	js    jetstream.JetStream
	reg   *prometheus.Registry
	// Client calls the service as any caller, with tokens minted at the clock's time.
	*apitest.Client
	ticks chan time.Time // the housekeeping beat; see beat
}

// forEachDialect runs fn against a fresh service per database backend.
func forEachDialect(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	apitest.ForEachDialect(t, startService, fn)
}

// config is the configuration the tests run with: the documented defaults.
var config = tenants.Config{DecisionDays: 30, LicenceTermYears: 10, TimeZone: "Asia/Karachi", ExpiryInterval: time.Hour, StreamReplicas: 1}

// startService wires the service from its dependencies exactly as cmd/tenants does, and stops
// it when the test ends.
func startService(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	return startServiceWith(t, dialect, config, start)
}

// startServiceWith starts the service with cfg and the clock at now.
func startServiceWith(t *testing.T, dialect db.Dialect, cfg tenants.Config, now time.Time) *env {
	t.Helper()
	e := &env{ticks: make(chan time.Time), clock: apitest.NewClock(now)}
	e.nats = natsxtest.Start(t)
	e.nc, e.js = natsxtest.Connect(t, e.nats)
	e.db = dbtest.Open(t, dialect)
	e.reg = metrics.NewRegistry(tenants.Name, "test")
	logger := apitest.Logger()
	v, err := auth.NewHS256(secret, auth.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := tenants.New(ctx, cfg, tenants.Deps{DB: e.db, JS: e.js, Verifier: v, Logger: logger, Registry: e.reg, Now: e.clock.Now}, tenants.WithTicks(e.ticks))
	if err != nil {
		cancel()
		t.Fatalf("tenants.New: %v", err)
	}
	url := apitest.Serve(ctx, cancel, t, svc, apitest.Deps{DB: e.db, NC: e.nc, Registry: e.reg, Logger: logger})
	e.Client = &apitest.Client{Spec: spec, URL: url, Secret: secret, Now: e.clock.Now}
	return e
}

// request is one HTTP call and response its answer, read in full; env.Do sends one as the
// caller it names, checks the answer against api/openapi.yaml and that it is not a 5xx.
type (
	request  = apitest.Request
	response = apitest.Response
)

// decode reads a JSON answer into a T.
func decode[T any](t *testing.T, r *response) T { return apitest.Decode[T](t, r) }

// The wire shapes the tests read (the spec test checks them in full).
type (
	application struct {
		ID          string         `json:"id"`
		TenantID    string         `json:"tenant_id"`
		Zone        string         `json:"zone"`
		Status      string         `json:"status"`
		Version     int64          `json:"version"`
		DecisionDue string         `json:"decision_due"`
		ReplyDue    string         `json:"reply_due"`
		PausedDays  int            `json:"paused_days"`
		LicenceID   string         `json:"licence_id"`
		Commitments map[string]any `json:"commitments"`
		History     []entry        `json:"history"`
	}
	licence struct {
		ID            string `json:"id"`
		Number        string `json:"number"`
		ApplicationID string `json:"application_id"`
		TenantID      string `json:"tenant_id"`
		Status        string `json:"status"`
		ValidFrom     string `json:"valid_from"`
		ValidUntil    string `json:"valid_until"`
		Version       int64  `json:"version"`
		ShowCause     *struct {
			Reason    string `json:"reason"`
			ReplyDue  string `json:"reply_due"`
			Reply     string `json:"reply"`
			RepliedAt string `json:"replied_at"`
		} `json:"show_cause"`
		History []entry `json:"history"`
	}
	entry       = apitest.HistoryEntry
	page[T any] = apitest.Page[T]
	problem     = apitest.Problem
)

func actions(h []entry) []string { return apitest.Actions(h) }

func money(amount int64, currency string) map[string]any {
	return map[string]any{"amount_minor": amount, "currency": currency}
}

// applicationBody is a complete, valid application of the tenant in zone.
func applicationBody(tenantID, zone string) map[string]any {
	return map[string]any{
		"applicant": map[string]any{
			"legal_name":          "Margalla Robotics (Pvt) Ltd",
			"registration_number": registered[tenantID],
			"tax_number":          "1234567-8",
			"country":             "PK",
			"contact": map[string]any{
				"name": "Ayesha Khan", "email": "ayesha@margalla.example.pk", "phone": "+92 51 1234567",
			},
		},
		"kind":   "zone_enterprise",
		"zone":   zone,
		"sector": "ai",
		"commitments": map[string]any{
			"headcount":  120,
			"investment": money(250_000_000_00, "PKR"),
			"exports":    money(40_000_000_00, "PKR"),
			"rnd_spend":  money(15_000_000_00, "PKR"),
		},
	}
}

// Fixtures built through the API, each a step further along; p owns them.

func (e *env) draft(t *testing.T, p auth.Principal) application {
	t.Helper()
	return decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &p, Body: applicationBody(p.TenantID, "ISB")}, 201))
}

func (e *env) submitted(t *testing.T, p auth.Principal) application {
	t.Helper()
	a := e.draft(t, p)
	return decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/submit", As: &p}, 200))
}

func (e *env) deficient(t *testing.T, p auth.Principal) application {
	t.Helper()
	a := e.submitted(t, p)
	return decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/deficiencies", As: &operator,
		Body: map[string]any{"reason": "audited accounts are missing", "reply_due": date(14)}}, 200))
}

func (e *env) rejected(t *testing.T, p auth.Principal) application {
	t.Helper()
	a := e.submitted(t, p)
	return decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/reject", As: &operator,
		Body: map[string]any{"reason": "not a technology business"}}, 200))
}

func (e *env) active(t *testing.T, p auth.Principal) licence {
	t.Helper()
	a := e.submitted(t, p)
	return decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/approve", As: &operator}, 201))
}

func (e *env) licenceAction(t *testing.T, l licence, action string, body any) licence {
	t.Helper()
	return decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/licences/" + l.ID + "/" + action, As: &operator, Body: body}, 200))
}

func (e *env) suspended(t *testing.T, p auth.Principal) licence {
	t.Helper()
	return e.licenceAction(t, e.active(t, p), "suspend", map[string]any{"reason": "quarterly report overdue"})
}

func (e *env) showCaused(t *testing.T, p auth.Principal) licence {
	t.Helper()
	return e.licenceAction(t, e.active(t, p), "show-cause", map[string]any{"reason": "no exports in two years", "reply_due": date(14)})
}

// replied is a licence under a show-cause notice that its holder p has answered.
func (e *env) replied(t *testing.T, p auth.Principal) licence {
	t.Helper()
	l := e.showCaused(t, p)
	return decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/licences/" + l.ID + "/show-cause/reply", As: &p,
		Body: map[string]any{"reply": "exports start next quarter"}}, 200))
}

// revoked is a licence revoked after its holder answered the show-cause notice (revocation
// waits for the reply or the reply date).
func (e *env) revoked(t *testing.T, p auth.Principal) licence {
	t.Helper()
	return e.licenceAction(t, e.replied(t, p), "revoke", map[string]any{"reason": "the answer does not remedy the breach"})
}

// event is one message of the TENANTS stream, decoded strictly.
type event = apitest.Event

// events waits until the TENANTS stream holds n messages and returns them decoded, failing if
// it holds more or never gets there.
func (e *env) events(t *testing.T, n int) []event {
	t.Helper()
	return apitest.Events(t, e.js, envelope.StreamTenants, n, events.Decode)
}

// byAggregate groups events by aggregate id in stream order, checking that no event id repeats
// and that each aggregate's versions rise by one from one event to the next.
func byAggregate(t *testing.T, evs []event) map[string][]event {
	t.Helper()
	return apitest.ByAggregate(t, evs)
}

func types(evs []event) []string { return apitest.Types(evs, "zoneops.tenants.") }

// state is a fingerprint of everything a request can write: a rejected request must leave it
// as it was.
type state struct {
	Applications, ApplicationVersions, Licences, LicenceVersions, Applicants, Sequences int64
	// Written is the outbox, as events committed, and the idempotency keys.
	apitest.Written
}

func (e *env) state(t *testing.T) state {
	t.Helper()
	s := state{Written: apitest.TakeWritten(t, e.db, e.js, envelope.StreamTenants)}
	apitest.Fingerprint(t, e.db,
		apitest.Count{Into: []any{&s.Applications, &s.ApplicationVersions}, Query: `SELECT count(*), COALESCE(sum(version), 0) FROM applications`},
		apitest.Count{Into: []any{&s.Licences, &s.LicenceVersions}, Query: `SELECT count(*), COALESCE(sum(version), 0) FROM licences`},
		apitest.Count{Into: []any{&s.Applicants}, Query: `SELECT count(*) FROM applicants`},
		apitest.Count{Into: []any{&s.Sequences}, Query: `SELECT COALESCE(sum(last), 0) FROM licence_sequences`},
	)
	return s
}

// scrape returns the /metrics text.
func (e *env) scrape(t *testing.T) string {
	t.Helper()
	return string(e.Must(t, request{Method: "GET", Path: "/metrics"}, 200).Body)
}

// sample returns the value of the series written exactly as series ("name{a=\"b\"}") in a
// scrape, failing when it is absent.
func sample(t *testing.T, scrape, series string) string {
	t.Helper()
	return apitest.Sample(t, scrape, series)
}
