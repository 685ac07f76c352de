package tenants_test

// The harness runs the whole tenants service as a process would: a real database (SQLite, and
// PostgreSQL when ZONEOPS_TEST_POSTGRES_DSN is set), a real embedded JetStream server, the
// service's routes behind app.Handler on an httptest server, and Service.Run relaying events in
// the background. The clock is fixed and moved by the tests, so deadlines need no sleeping.
//
// Every response a test receives through env.do is validated against api/openapi.yaml, and
// the operations it reached are recorded so that TestMain can fail the suite when an operation
// of the spec was never exercised.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the service counts legal dates in Asia/Karachi

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/health"
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
	developer  = auth.Principal{Subject: "dev-isb", Role: auth.ZoneDeveloper, ZoneIDs: []string{"ISB"}}
	outsider   = auth.Principal{Subject: "dev-lhr", Role: auth.ZoneDeveloper, ZoneIDs: []string{"LHR"}}
	owner      = auth.Principal{Subject: "alice", Role: auth.Tenant, TenantID: tenantA}
	stranger   = auth.Principal{Subject: "bob", Role: auth.Tenant, TenantID: tenantB}
	auditor    = auth.Principal{Subject: "audrey", Role: auth.Auditor}
	viewer     = auth.Principal{Subject: "vic", Role: auth.Viewer}
	registered = map[string]string{tenantA: "0012345-A", tenantB: "0067890-B"}
)

// Tenant ids are UUIDs, as every id in zoneops.
const (
	tenantA = "0195b3c0-0000-7000-8000-00000000000a"
	tenantB = "0195b3c0-0000-7000-8000-00000000000b"
)

// clock is a fixed time that tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

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
	url   string
}

// forEachDialect runs fn against a fresh service per database backend.
func forEachDialect(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, d := range dbtest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, startService(t, d)) })
	}
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
	e := &env{clock: &clock{now: now}}
	e.nats = natsxtest.Start(t)
	e.nc, e.js = natsxtest.Connect(t, e.nats)
	e.db = dbtest.Open(t, dialect)
	e.reg = metrics.NewRegistry(tenants.Name, "test")
	logger := slog.New(slog.DiscardHandler)
	if os.Getenv("ZONEOPS_TEST_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	v, err := auth.NewHS256(secret, auth.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := tenants.New(ctx, cfg, tenants.Deps{DB: e.db, JS: e.js, Verifier: v, Logger: logger, Registry: e.reg, Now: e.clock.Now})
	if err != nil {
		cancel()
		t.Fatalf("tenants.New: %v", err)
	}
	mux := http.NewServeMux()
	svc.Register(mux)
	ready := health.NewChecker(logger, 2*time.Second,
		health.Check{Name: "database", Func: e.db.Ping},
		health.Check{Name: "nats", Func: natsx.Ping(e.nc)})
	srv := httptest.NewServer(app.Handler(mux, e.reg, ready, logger))
	e.url = srv.URL
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Service.Run: %v", err)
		}
		srv.Close()
	})
	return e
}

// request is one HTTP call.
type request struct {
	method, path string
	// as is the caller, whose token is minted at the current test time; nil sends none.
	as *auth.Principal
	// body is sent as is when it is a string or []byte and as JSON otherwise; nil sends none.
	body any
	// header is added to the request (an Authorization here replaces the minted one).
	header http.Header
}

// response is an answer read in full.
type response struct {
	req    request
	status int
	header http.Header
	body   []byte
}

// token mints a one-hour token for p at the current test time.
func (e *env) token(t *testing.T, p auth.Principal) string {
	t.Helper()
	tok, err := auth.Mint(secret, p, time.Hour, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// do sends r, checks the answer against api/openapi.yaml and that it is not a 5xx.
func (e *env) do(t *testing.T, r request) *response {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(js)
	}
	req, err := http.NewRequest(r.method, e.url+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.as != nil {
		req.Header.Set("Authorization", "Bearer "+e.token(t, *r.as))
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := &response{req: r, status: resp.StatusCode, header: resp.Header, body: b}
	// Only readiness may answer 503 (while a dependency is down); nothing may answer 500.
	if out.status >= 500 && (out.status != http.StatusServiceUnavailable || r.path != "/readyz") {
		t.Errorf("%s %s answered %d: %s", r.method, r.path, out.status, b)
	}
	checkAgainstSpec(t, req, out)
	return out
}

// must sends r and fails the test unless the status is want.
func (e *env) must(t *testing.T, r request, want int) *response {
	t.Helper()
	resp := e.do(t, r)
	if resp.status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", r.method, r.path, resp.status, want, resp.body)
	}
	return resp
}

// decode reads a JSON answer into a T.
func decode[T any](t *testing.T, r *response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%s %s: decoding %s: %v", r.req.method, r.req.path, r.body, err)
	}
	return v
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
			Reason   string `json:"reason"`
			ReplyDue string `json:"reply_due"`
		} `json:"show_cause"`
		History []entry `json:"history"`
	}
	entry struct {
		Action string `json:"action"`
		From   string `json:"from"`
		To     string `json:"to"`
		Reason string `json:"reason"`
		Actor  struct {
			Subject string `json:"subject"`
			Role    string `json:"role"`
		} `json:"actor"`
	}
	page[T any] struct {
		Items      []T    `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	problem struct {
		Type         string `json:"type"`
		Status       int    `json:"status"`
		Detail       string `json:"detail"`
		Instance     string `json:"instance"`
		CurrentState string `json:"current_state"`
		Errors       []struct {
			Field  string `json:"field"`
			Reason string `json:"reason"`
		} `json:"errors"`
	}
)

func (p problem) fields() []string {
	out := make([]string, len(p.Errors))
	for i, f := range p.Errors {
		out[i] = f.Field
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func actions(h []entry) []string {
	out := make([]string, len(h))
	for i, x := range h {
		out[i] = x.Action
	}
	return out
}

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
	return decode[application](t, e.must(t, request{method: "POST", path: "/v1/applications", as: &p, body: applicationBody(p.TenantID, "ISB")}, 201))
}

func (e *env) submitted(t *testing.T, p auth.Principal) application {
	t.Helper()
	a := e.draft(t, p)
	return decode[application](t, e.must(t, request{method: "POST", path: "/v1/applications/" + a.ID + "/submit", as: &p}, 200))
}

func (e *env) deficient(t *testing.T, p auth.Principal) application {
	t.Helper()
	a := e.submitted(t, p)
	return decode[application](t, e.must(t, request{method: "POST", path: "/v1/applications/" + a.ID + "/deficiencies", as: &operator,
		body: map[string]any{"reason": "audited accounts are missing", "reply_due": date(14)}}, 200))
}

func (e *env) rejected(t *testing.T, p auth.Principal) application {
	t.Helper()
	a := e.submitted(t, p)
	return decode[application](t, e.must(t, request{method: "POST", path: "/v1/applications/" + a.ID + "/reject", as: &operator,
		body: map[string]any{"reason": "not a technology business"}}, 200))
}

func (e *env) active(t *testing.T, p auth.Principal) licence {
	t.Helper()
	a := e.submitted(t, p)
	return decode[licence](t, e.must(t, request{method: "POST", path: "/v1/applications/" + a.ID + "/approve", as: &operator}, 201))
}

func (e *env) licenceAction(t *testing.T, l licence, action string, body any) licence {
	t.Helper()
	return decode[licence](t, e.must(t, request{method: "POST", path: "/v1/licences/" + l.ID + "/" + action, as: &operator, body: body}, 200))
}

func (e *env) suspended(t *testing.T, p auth.Principal) licence {
	t.Helper()
	return e.licenceAction(t, e.active(t, p), "suspend", map[string]any{"reason": "quarterly report overdue"})
}

func (e *env) showCaused(t *testing.T, p auth.Principal) licence {
	t.Helper()
	return e.licenceAction(t, e.active(t, p), "show-cause", map[string]any{"reason": "no exports in two years", "reply_due": date(14)})
}

func (e *env) revoked(t *testing.T, p auth.Principal) licence {
	t.Helper()
	return e.licenceAction(t, e.showCaused(t, p), "revoke", map[string]any{"reason": "no answer to the show-cause notice"})
}

// event is one message of the TENANTS stream, decoded strictly.
type event struct {
	env     envelope.Envelope
	payload any
}

// streamLen is the number of messages in the TENANTS stream.
func (e *env) streamLen() (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := e.js.Stream(ctx, envelope.StreamTenants)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// events waits until the TENANTS stream holds n messages and returns them decoded, failing if
// it holds more or never gets there. The test's own NATS client may be reconnecting after a
// restart, so errors are retried until the deadline.
func (e *env) events(t *testing.T, n int) []event {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := e.streamLen()
		if err == nil && got == uint64(n) {
			break
		}
		if got > uint64(n) {
			t.Fatalf("TENANTS stream has %d events, want %d", got, n)
		}
		if time.Now().After(deadline) {
			t.Fatalf("TENANTS stream has %d events after 20s, want %d (last error: %v)", got, n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := e.js.Stream(ctx, envelope.StreamTenants)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]event, 0, n)
	for seq := uint64(1); seq <= uint64(n); seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("message %d: %v", seq, err)
		}
		env, p, err := events.Decode(m.Data)
		if err != nil {
			t.Fatalf("message %d does not decode: %v\n%s", seq, err, m.Data)
		}
		if id := m.Header.Get(jetstream.MsgIDHeader); id != env.ID {
			t.Errorf("message %d: Nats-Msg-Id %q, want the event id %q", seq, id, env.ID)
		}
		if want := envelope.Subject(env.Type); m.Subject != want {
			t.Errorf("message %d (%s) on subject %q, want %q", seq, env.Type, m.Subject, want)
		}
		out = append(out, event{env: env, payload: p})
	}
	return out
}

// byAggregate groups events by aggregate id in stream order, checking that no event id repeats
// and that each aggregate's versions rise by one from one event to the next.
func byAggregate(t *testing.T, evs []event) map[string][]event {
	t.Helper()
	out := map[string][]event{}
	seen := map[string]bool{}
	for _, ev := range evs {
		if seen[ev.env.ID] {
			t.Errorf("event %s (%s) is on the stream twice", ev.env.ID, ev.env.Type)
		}
		seen[ev.env.ID] = true
		prev := out[ev.env.AggregateID]
		if len(prev) > 0 {
			if last := prev[len(prev)-1].env.AggregateVersion; ev.env.AggregateVersion != last+1 {
				t.Errorf("aggregate %s: %s has version %d after version %d", ev.env.AggregateID, ev.env.Type, ev.env.AggregateVersion, last)
			}
		}
		out[ev.env.AggregateID] = append(prev, ev)
	}
	return out
}

func types(evs []event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = strings.TrimPrefix(ev.env.Type, "zoneops.tenants.")
	}
	return out
}

// state is a fingerprint of everything a request can write: a rejected request must leave it
// as it was.
type state struct {
	Applications, ApplicationVersions, Licences, LicenceVersions, Applicants, Sequences int64
}

func (e *env) state(t *testing.T) state {
	t.Helper()
	var s state
	ctx := context.Background()
	for _, q := range []struct {
		dst   []any
		query string
	}{
		{[]any{&s.Applications, &s.ApplicationVersions}, `SELECT count(*), COALESCE(sum(version), 0) FROM applications`},
		{[]any{&s.Licences, &s.LicenceVersions}, `SELECT count(*), COALESCE(sum(version), 0) FROM licences`},
		{[]any{&s.Applicants}, `SELECT count(*) FROM applicants`},
		{[]any{&s.Sequences}, `SELECT COALESCE(sum(last), 0) FROM licence_sequences`},
	} {
		if err := e.db.QueryRowxContext(ctx, q.query).Scan(q.dst...); err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
	}
	return s
}

// scrape returns the /metrics text.
func (e *env) scrape(t *testing.T) string {
	t.Helper()
	return string(e.must(t, request{method: "GET", path: "/metrics"}, 200).body)
}

// sample returns the value of the series written exactly as series ("name{a=\"b\"}") in a
// scrape, failing when it is absent.
func sample(t *testing.T, scrape, series string) string {
	t.Helper()
	for _, line := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	t.Fatalf("/metrics has no series %s", series)
	return ""
}
