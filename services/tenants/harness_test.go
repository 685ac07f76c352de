package tenants_test

// The harness (apitest.StartService) runs the whole tenants service as a process would: a
// real database (SQLite, and PostgreSQL when ZONEOPS_TEST_POSTGRES_DSN is set), a real embedded
// JetStream server on which the service logs in as itself, the service's routes behind
// app.Handler on an httptest server, and Service.Run relaying events in the background. The
// clock is fixed and moved by the tests, so deadlines need no sleeping.
//
// Every response a test receives through env.Do is validated against api/openapi.yaml, and
// the operations it reached are recorded so that TestMain can fail the suite when an operation
// of the spec was never exercised.

import (
	"context"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/tenants"
)

// Tenant ids are UUIDs, as every id in zoneops.
const (
	tenantA = "0195b3c0-0000-7000-8000-00000000000a"
	tenantB = "0195b3c0-0000-7000-8000-00000000000b"
)

// cast is the callers of the tests and of the role tables. Records are created by owner in
// zone ISB unless a test says otherwise.
var cast = apitest.NewCast("ISB", "LHR", tenantA, tenantB)

var operator, developer, outsider, owner, stranger, auditor, viewer = cast.Operator, cast.Developer, cast.Outsider, cast.Owner, cast.Stranger, cast.Auditor, cast.Viewer

// registered is the registration number of each tenant's company.
var registered = map[string]string{tenantA: "0012345-A", tenantB: "0067890-B"}

// start is 10:00 in Islamabad on Monday 2 March 2026.
var start = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// date is the calendar date in Islamabad d days after start.
func date(d int) string { return start.Add(time.Duration(d) * day).In(pkt).Format(time.DateOnly) }

var pkt = time.FixedZone("PKT", 5*60*60)

// request is one HTTP call and response its answer, read in full; env.Do sends one as the
// caller it names, checks the answer against api/openapi.yaml and that it is not a 5xx.
type (
	request  = apitest.Request
	response = apitest.Response
)

// decode reads a JSON answer into a T.
func decode[T any](t *testing.T, r *response) T { return apitest.Decode[T](t, r) }

// env is one running tenants service (see apitest.Env); clock is its Env.Clock, under the
// name the tests use.
type env struct {
	*apitest.Env
	clock *apitest.Clock
}

// forEachDialect runs fn against a fresh service per database backend.
func forEachDialect(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	apitest.ForEachDialect(t, startService, fn)
}

// config is the configuration the tests run with: the documented defaults.
var config = tenants.Config{DecisionDays: 30, LicenceTermYears: 10, TimeZone: "Asia/Karachi", ExpiryInterval: time.Hour, StreamReplicas: 1}

// secret signs the test tokens.
var secret = []byte("tenants-wiring-tests-0123456789abcdef")

// startService wires the service from its dependencies exactly as cmd/tenants does, and stops
// it when the test ends.
func startService(t *testing.T, dialect db.Dialect) *env {
	t.Helper()
	return startServiceWith(t, dialect, config, start)
}

// startServiceWith starts the service with cfg and the clock at now. The service logs in to
// NATS as itself, with the permissions its process has on the embedded server.
func startServiceWith(t *testing.T, dialect db.Dialect, cfg tenants.Config, now time.Time) *env {
	t.Helper()
	perms := tenants.Definition().NATSPermissions().Merge(tenants.Definition().NATSStreamPermissions())
	e := apitest.StartService(t, dialect, apitest.ServiceSpec{
		Name: tenants.Name, Stream: envelope.StreamTenants, Spec: spec, Secret: secret, Start: now, Permissions: &perms,
		New: func(ctx context.Context, d app.Deps, ticks <-chan time.Time) (apitest.Service, error) {
			return tenants.New(ctx, cfg, d, tenants.WithTicks(ticks))
		},
	})
	return &env{Env: e, clock: e.Clock}
}

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

// types lists the events' types without the service's prefix.
func types(evs []apitest.Event) []string { return apitest.Types(evs, "zoneops.tenants.") }

// state is a fingerprint of everything a request can write: a rejected request must leave it
// as it was.
type state struct {
	Applications, ApplicationVersions, Licences, LicenceVersions, Applicants, Sequences int64
	// Written is the outbox, as events committed, and the idempotency keys.
	apitest.Written
}

func (e *env) state(t *testing.T) state {
	t.Helper()
	s := state{Written: e.Written(t)}
	apitest.Fingerprint(t, e.DB, apitest.Versioned("applications", &s.Applications, &s.ApplicationVersions),
		apitest.Versioned("licences", &s.Licences, &s.LicenceVersions), apitest.Rows("applicants", &s.Applicants),
		apitest.Count{Into: []any{&s.Sequences}, Query: `SELECT COALESCE(sum(last), 0) FROM licence_sequences`})
	return s
}
