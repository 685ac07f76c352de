package consumer

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

const (
	testStream  = "TEST"
	testSource  = "/zoneops/test"
	typeChanged = "zoneops.test.thing.changed.v1"
)

// testMigrations hold the tables the test handlers write: effects counts how often a
// consumer's handler applied an event (it must be once), things is state keyed by aggregate.
var testMigrations = db.Migrations{Name: "consumer_test", FS: fstest.MapFS{
	"sqlite/001_test.sql": {Data: []byte(`
		CREATE TABLE effects (consumer TEXT NOT NULL, event_id TEXT NOT NULL, n INTEGER NOT NULL,
			PRIMARY KEY (consumer, event_id));
		CREATE TABLE things (aggregate_id TEXT PRIMARY KEY, version INTEGER NOT NULL, value TEXT NOT NULL);`)},
	"postgres/001_test.sql": {Data: []byte(`
		CREATE TABLE effects (consumer TEXT NOT NULL, event_id TEXT NOT NULL, n INTEGER NOT NULL,
			PRIMARY KEY (consumer, event_id));
		CREATE TABLE things (aggregate_id TEXT PRIMARY KEY, version BIGINT NOT NULL, value TEXT NOT NULL);`)},
}}

type thing struct {
	Value string `json:"value"`
}

// harness is one test's world: a fresh database, a fresh embedded NATS with the TEST stream,
// and a registry for the runners' metrics.
type harness struct {
	t   *testing.T
	d   *db.DB
	srv *natsx.Embedded
	js  jetstream.JetStream
	reg *prometheus.Registry
}

func newHarness(t *testing.T, d *db.DB) *harness {
	t.Helper()
	srv := natsxtest.Start(t)
	_, js := natsxtest.Connect(t, srv)
	ctx := context.Background()
	if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: testStream, Subjects: []string{"zoneops.test.>"}}); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, d: d, srv: srv, js: js, reg: prometheus.NewRegistry()}
}

// start runs a runner with test defaults (fast backoff) until the test ends or stop is called.
func (h *harness) start(cfg Config) (*Runner, func()) {
	h.t.Helper()
	return h.startCtx(context.Background(), cfg)
}

// startCtx is start with Run's context derived from parent, for tests that cancel it
// themselves and need to know the moment it is cancelled.
func (h *harness) startCtx(parent context.Context, cfg Config) (*Runner, func()) {
	h.t.Helper()
	if cfg.Stream == "" {
		cfg.Stream = testStream
	}
	if cfg.Backoff == nil {
		cfg.Backoff = func(int) time.Duration { return 10 * time.Millisecond }
	}
	if cfg.Registerer == nil {
		cfg.Registerer = h.reg
	}
	if cfg.Logger == nil && os.Getenv("CONSUMER_TEST_LOG") != "" {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	r, err := New(h.d, h.js, cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(parent)
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				h.t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			h.t.Error("Run did not return after cancel")
		}
	}
	h.t.Cleanup(stop)
	return r, stop
}

func (h *harness) event(aggregateID string, version int64, value string) envelope.Envelope {
	h.t.Helper()
	e, err := envelope.New(testSource, typeChanged, aggregateID, version, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), thing{Value: value})
	if err != nil {
		h.t.Fatal(err)
	}
	return e
}

// publish sends e with msgID as Nats-Msg-Id (the event id when empty) and returns its stream
// sequence.
func (h *harness) publish(e envelope.Envelope, msgID string) uint64 {
	h.t.Helper()
	data, err := envelope.Encode(e)
	if err != nil {
		h.t.Fatal(err)
	}
	if msgID == "" {
		msgID = e.ID
	}
	return h.publishRaw(envelope.Subject(e.Type), data, msgID)
}

func (h *harness) publishRaw(subject string, data []byte, msgID string) uint64 {
	h.t.Helper()
	msg := nats.NewMsg(subject)
	msg.Data = data
	msg.Header.Set("X-Trace", "trace-1")
	// Retried because a test may publish while the server restarts.
	var lastErr error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		ack, err := h.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID))
		cancel()
		if err == nil {
			return ack.Sequence
		}
		lastErr = err
	}
	h.t.Fatalf("publish %s: %v", subject, lastErr)
	return 0
}

// recordEffect is the body of most test handlers: it counts applications per consumer and
// event, in the runner's transaction.
func recordEffect(ctx context.Context, tx *sqlx.Tx, ev Event) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO effects (consumer, event_id, n) VALUES (?, ?, 1)
		ON CONFLICT (consumer, event_id) DO UPDATE SET n = effects.n + 1`), ev.consumer, ev.Envelope.ID)
	return err
}

func (h *harness) effects(consumer, eventID string) int {
	h.t.Helper()
	var n int
	err := h.d.Get(&n, h.d.Rebind(`SELECT COALESCE(SUM(n), 0) FROM effects WHERE consumer = ? AND event_id = ?`), consumer, eventID)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) processedRows(consumer string) int {
	h.t.Helper()
	var n int
	if err := h.d.Get(&n, h.d.Rebind(`SELECT count(*) FROM processed_events WHERE consumer = ?`), consumer); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func handled(r *Runner, typ, outcome string) float64 {
	return testutil.ToFloat64(r.m.handled.WithLabelValues(r.cfg.Name, typ, outcome))
}

func deadLetters(r *Runner, reason string) float64 {
	return testutil.ToFloat64(r.m.deadLetters.WithLabelValues(r.cfg.Name, reason))
}

// eventually polls cond until it holds, failing the test after a generous deadline. Tests wait
// for outcomes, never for a fixed time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func redeliveries(r *Runner) float64 {
	return testutil.ToFloat64(r.m.redeliveries.WithLabelValues(r.cfg.Name))
}

func pendingGauge(r *Runner) float64 {
	return testutil.ToFloat64(r.m.pending.WithLabelValues(r.cfg.Name))
}

// fakeJS satisfies jetstream.JetStream for tests that never reach NATS.
type fakeJS struct{ jetstream.JetStream }
