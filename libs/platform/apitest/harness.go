package apitest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // services count legal dates in named zones, whatever the host has installed

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/metrics"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

// ServiceSpec says how StartService brings one service up for a test.
type ServiceSpec struct {
	// Name is the service's name: its metrics namespace and, with Permissions, its NATS user.
	Name string
	// Stream is the stream the service publishes to, which Events, Written and Settled read.
	Stream string
	// Decode reads a message of Stream strictly; nil means events.Decode.
	Decode Decoder
	// Spec checks every answer the Env's Client receives; it may be nil for a test that calls
	// the service by other means (Env.URL).
	Spec *Spec
	// Secret signs the Client's tokens and is the service's HS256 key.
	Secret []byte
	// Start is where the test's clock stands when the service starts.
	Start time.Time
	// Permissions, when set, are the service's own on NATS: it logs in as a user called Name
	// limited to them, as its process does on the embedded server, while the test logs in as
	// an unrestricted user. When nil both log in as anyone.
	Permissions *natsx.Permissions
	// Streams are declared before the service starts, as the services whose events it consumes
	// would declare them.
	Streams []natsx.StreamSpec
	// New builds the service from its dependencies, as its process does; ticks drive its
	// housekeeping loop (see Env.Beat).
	New func(ctx context.Context, d app.Deps, ticks <-chan time.Time) (Service, error)
}

// Env is one service running for a test as its process would run it: a real database, an
// embedded JetStream server, its routes behind app.Handler on an httptest server and its
// background work running, on a clock the test moves. Its Client calls it as any principal.
type Env struct {
	// Client calls the service as any caller, with tokens minted at the clock's time.
	*Client
	Clock *Clock
	DB    *db.DB
	NATS  *natsx.Embedded
	// NC and JS are the test's own NATS client, which may publish anywhere.
	NC *nats.Conn
	JS jetstream.JetStream
	// ServiceJS is the service's own JetStream client (under its own user with Permissions).
	ServiceJS jetstream.JetStream
	Registry  *prometheus.Registry
	// Ticks is the service's housekeeping beat; see Beat.
	Ticks chan time.Time

	stream string
	decode Decoder
}

// StartService brings up the service s describes on a fresh database of dialect and a fresh
// embedded NATS server, and stops it when t ends, failing t if its background work returned an
// error.
func StartService(t testing.TB, dialect db.Dialect, s ServiceSpec) *Env {
	t.Helper()
	e := &Env{Clock: NewClock(s.Start), Ticks: make(chan time.Time), stream: s.Stream, decode: s.Decode}
	if e.decode == nil {
		e.decode = events.Decode
	}
	svcNC, svcJS := e.connect(t, s)
	e.ServiceJS = svcJS
	e.DB = dbtest.Open(t, dialect)
	e.Registry = metrics.NewRegistry(s.Name, "test")
	logger := Logger()
	v, err := auth.NewHS256(s.Secret, auth.WithClock(e.Clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	for _, st := range s.Streams {
		if _, err := natsx.EnsureStream(ctx, e.JS, st); err != nil {
			cancel()
			t.Fatalf("stream %s: %v", st.Name, err)
		}
	}
	svc, err := s.New(ctx, app.Deps{DB: e.DB, JS: svcJS, Verifier: v, Logger: logger, Registry: e.Registry, Now: e.Clock.Now}, e.Ticks)
	if err != nil {
		cancel()
		t.Fatalf("%s: %v", s.Name, err)
	}
	url := Serve(ctx, cancel, t, svc, Deps{DB: e.DB, NC: svcNC, Registry: e.Registry, Logger: logger})
	e.Client = &Client{Spec: s.Spec, URL: url, Secret: s.Secret, Now: e.Clock.Now}
	return e
}

// connect starts the NATS server and opens the test's client and the service's, which are the
// same one unless the service has its own permissions.
func (e *Env) connect(t testing.TB, s ServiceSpec) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	if s.Permissions == nil {
		e.NATS = natsxtest.Start(t)
		e.NC, e.JS = natsxtest.Connect(t, e.NATS)
		return e.NC, e.JS
	}
	svcUser := natsx.User{Name: s.Name, Password: s.Name + "-pw", Permissions: s.Permissions}
	testUser := natsx.User{Name: "test", Password: "test-pw"}
	e.NATS = natsxtest.Start(t, svcUser, testUser)
	e.NC, e.JS = natsxtest.ConnectAs(t, e.NATS, testUser.Auth())
	return natsxtest.ConnectAs(t, e.NATS, svcUser.Auth())
}

// Beat makes the service's housekeeping loop run now and returns once the run is over (see
// the package function Beat).
func (e *Env) Beat(t testing.TB) {
	t.Helper()
	Beat(t, e.Ticks)
}

// StreamLen is the number of messages in the service's stream.
func (e *Env) StreamLen() (uint64, error) { return StreamLen(e.JS, e.stream) }

// Events waits until the service's stream holds n messages and returns them decoded (see the
// package function Events).
func (e *Env) Events(t testing.TB, n int) []Event {
	t.Helper()
	return Events(t, e.JS, e.stream, n, e.decode)
}

// Written is the shared part of the service's "nothing changed" fingerprint (see TakeWritten).
func (e *Env) Written(t testing.TB) Written {
	t.Helper()
	return TakeWritten(t, e.DB, e.JS, e.stream)
}

// Settled waits until the relay has emptied the outbox, so that every event committed so far is
// on the stream, and returns the stream's length.
func (e *Env) Settled(t testing.TB) int {
	t.Helper()
	return int(e.Written(t).Events)
}

// Publish puts ev on its subject with its id as Nats-Msg-Id, as a producing service's relay
// does. Right after a NATS restart JetStream may refuse for a moment, so it retries until the
// stream takes it; a retry with the same Nats-Msg-Id cannot store the event twice.
func (e *Env) Publish(t testing.TB, ev envelope.Envelope) {
	t.Helper()
	data, err := envelope.Encode(ev)
	if err != nil {
		t.Fatal(err)
	}
	Eventually(t, "the stream to take "+ev.Type, func() bool {
		msg := nats.NewMsg(envelope.Subject(ev.Type))
		msg.Data = data
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := e.JS.PublishMsg(ctx, msg, jetstream.WithMsgID(ev.ID))
		return err == nil
	})
}

// EventuallyRow waits until query (with ? placeholders, rebound for the dialect) returns a row
// whose columns equal want, in order; no row counts as not yet. It is how a test waits for
// a consumer to apply what it published.
func (e *Env) EventuallyRow(t testing.TB, what, query string, args []any, want ...any) {
	t.Helper()
	got := make([]any, len(want))
	for i, w := range want {
		got[i] = reflect.New(reflect.TypeOf(w)).Interface()
	}
	Eventually(t, what, func() bool {
		err := e.DB.QueryRowxContext(context.Background(), e.DB.Rebind(query), args...).Scan(got...)
		if errors.Is(err, sql.ErrNoRows) {
			return false
		}
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		for i, w := range want {
			if reflect.ValueOf(got[i]).Elem().Interface() != w {
				return false
			}
		}
		return true
	})
}

// Scrape returns the /metrics text.
func (e *Env) Scrape(t testing.TB) string {
	t.Helper()
	return string(e.Must(t, Request{Method: http.MethodGet, Path: "/metrics"}, http.StatusOK).Body)
}

// CheckScrape fails t unless every series of want ("name{a=\"b\"}") has its value in scrape,
// and unless the exposition is lint-clean; when names the moment, for the failure's text.
func CheckScrape(t testing.TB, scrape, when string, want map[string]string) {
	t.Helper()
	for series, v := range want {
		if got := Sample(t, scrape, series); got != v {
			t.Errorf("%s %s = %s, want %s", when, series, got, v)
		}
	}
	problems, err := promlint.New(bytes.NewReader([]byte(scrape))).Lint()
	if err != nil {
		t.Fatalf("promlint: %v", err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}

// CheckProbes fails t unless /healthz and /readyz answer 200 without a token and readiness
// reports NATS.
func (e *Env) CheckProbes(t testing.TB) {
	t.Helper()
	e.Must(t, Request{Method: http.MethodGet, Path: "/healthz"}, http.StatusOK)
	if r := e.Must(t, Request{Method: http.MethodGet, Path: "/readyz"}, http.StatusOK); !strings.Contains(string(r.Body), `"nats"`) {
		t.Errorf("/readyz does not report NATS: %s", r.Body)
	}
}

// NewCast returns the seven callers of the role tables with the subjects every service's tests
// use: operator olivia, developers dev-<zone> of zone and of otherZone, tenants alice (of
// tenant, the records' owner) and bob (of otherTenant), auditor audrey and viewer vic.
func NewCast(zone, otherZone, tenant, otherTenant string) Cast {
	dev := func(z string) auth.Principal {
		return auth.Principal{Subject: "dev-" + strings.ToLower(z), Role: auth.ZoneDeveloper, ZoneCodes: []string{z}}
	}
	return Cast{
		Operator:  auth.Principal{Subject: "olivia", Role: auth.Operator},
		Developer: dev(zone),
		Outsider:  dev(otherZone),
		Owner:     auth.Principal{Subject: "alice", Role: auth.Tenant, TenantID: tenant},
		Stranger:  auth.Principal{Subject: "bob", Role: auth.Tenant, TenantID: otherTenant},
		Auditor:   auth.Principal{Subject: "audrey", Role: auth.Auditor},
		Viewer:    auth.Principal{Subject: "vic", Role: auth.Viewer},
	}
}
