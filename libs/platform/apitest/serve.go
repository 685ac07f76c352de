package apitest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/health"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// Service is a zoneops service as its process runs it: routes, and a loop that runs until its
// context ends.
type Service interface {
	Register(mux *http.ServeMux)
	Run(ctx context.Context) error
}

// Deps are what Serve puts in front of a service: readiness checks the database and NATS, and
// the registry is served on /metrics.
type Deps struct {
	DB       *db.DB
	NC       *nats.Conn
	Registry *prometheus.Registry
	Logger   *slog.Logger
}

// Serve serves svc's routes behind app.Handler on an httptest server, as the service's process
// does, and runs svc.Run(ctx) in the background. When t ends it calls cancel, fails t if Run
// returned an error, and closes the server. It returns the server's URL.
func Serve(ctx context.Context, cancel context.CancelFunc, t testing.TB, svc Service, d Deps) string {
	t.Helper()
	mux := http.NewServeMux()
	svc.Register(mux)
	ready := health.NewChecker(d.Logger, 2*time.Second,
		health.Check{Name: "database", Func: d.DB.Ping},
		health.Check{Name: "nats", Func: natsx.Ping(d.NC)})
	srv := httptest.NewServer(app.Handler(mux, d.Registry, ready, d.Logger))
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Service.Run: %v", err)
		}
		srv.Close()
	})
	return srv.URL
}

// Logger discards everything, unless ZONEOPS_TEST_LOG is set: then it writes debug text to
// stderr.
func Logger() *slog.Logger {
	if os.Getenv("ZONEOPS_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// Clock is a fixed time that tests move. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock d forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sample returns the value of the series written exactly as series ("name{a=\"b\"}") in a
// /metrics scrape, failing t when it is absent.
func Sample(t testing.TB, scrape, series string) string {
	t.Helper()
	for _, line := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	t.Fatalf("/metrics has no series %s", series)
	return ""
}

// ForEachDialect runs fn as a subtest per database backend of dbtest.Dialects, each against a
// fresh service that start brings up on that backend.
func ForEachDialect[E any](t *testing.T, start func(*testing.T, db.Dialect) E, fn func(*testing.T, E)) {
	t.Helper()
	for _, d := range dbtest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, start(t, d)) })
	}
}
