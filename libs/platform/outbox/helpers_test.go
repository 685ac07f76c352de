package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/synadia-io/orbit.go/jetstreamext"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

const (
	testStream   = "TENANTS"
	testSubjects = "zoneops.tenants.>"
	testType     = "zoneops.tenants.licence.granted.v1"
	// waitLimit bounds every wait for the relay; it is a failure deadline, not a measurement.
	waitLimit = 20 * time.Second
)

// logger writes the relay's logs to the test's output, shown with -v or on failure.
func logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// startNATS runs an embedded server with the TENANTS stream (atomic publish allowed).
func startNATS(t testing.TB) (*natsx.Embedded, jetstream.JetStream) {
	t.Helper()
	e := natsxtest.Start(t)
	_, js := natsxtest.Connect(t, e)
	if _, err := natsx.EnsureStream(context.Background(), js, natsx.StreamSpec{Name: testStream, Subjects: []string{testSubjects}}); err != nil {
		t.Fatal(err)
	}
	return e, js
}

// event builds a valid envelope for aggregate agg at version v.
func event(t testing.TB, typ, agg string, v int64) envelope.Envelope {
	t.Helper()
	e, err := envelope.New("/zoneops/tenants", typ, agg, v, time.Now(), map[string]any{"n": v})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// events builds versions from..to of one aggregate.
func events(t testing.TB, agg string, from, to int64) []envelope.Envelope {
	t.Helper()
	var out []envelope.Envelope
	for v := from; v <= to; v++ {
		out = append(out, event(t, testType, agg, v))
	}
	return out
}

// add commits envs in one transaction.
func add(t testing.TB, d *db.DB, envs ...envelope.Envelope) {
	t.Helper()
	if err := d.InTx(context.Background(), func(tx *sqlx.Tx) error {
		return outbox.Add(context.Background(), tx, envs...)
	}); err != nil {
		t.Fatal(err)
	}
}

// run starts r and returns a function that stops it and waits for Run to return; the test's
// cleanup calls it too.
func run(t testing.TB, r *outbox.Relay) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds, failing the test after waitLimit.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pending counts the rows still in the outbox.
func pending(t testing.TB, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.Get(&n, `SELECT count(*) FROM outbox`); err != nil {
		t.Fatal(err)
	}
	return n
}

// streamCount returns how many messages the stream holds.
func streamCount(t testing.TB, js jetstream.JetStream, stream string) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// streamEvents returns every event in the stream in stream order, checking that each message
// carries its event id as Nats-Msg-Id.
func streamEvents(t *testing.T, js jetstream.JetStream, stream string) []envelope.Envelope {
	t.Helper()
	ctx := context.Background()
	total := streamCount(t, js, stream)
	var out []envelope.Envelope
	for seq := uint64(1); uint64(len(out)) < total; {
		msgs, err := jetstreamext.GetBatch(ctx, js, stream, 500, jetstreamext.GetBatchSeq(seq))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m, err := range msgs {
			if errors.Is(err, jetstreamext.ErrNoMessages) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			e, err := envelope.Parse(m.Data)
			if err != nil {
				t.Fatalf("stream message %d: %v", m.Sequence, err)
			}
			if id := m.Header.Get(jetstream.MsgIDHeader); id != e.ID {
				t.Fatalf("stream message %d: Nats-Msg-Id %q, want the event id %q", m.Sequence, id, e.ID)
			}
			out = append(out, e)
			seq = m.Sequence + 1
			got++
		}
		if got == 0 {
			t.Fatalf("stream %s: read %d of %d messages", stream, len(out), total)
		}
	}
	return out
}

// checkOnceInOrder fails unless evs holds every id once and each aggregate's versions appear
// as 1, 2, 3, ... in stream order; it returns the number of events per aggregate.
func checkOnceInOrder(t *testing.T, evs []envelope.Envelope) map[string]int64 {
	t.Helper()
	seen := map[string]bool{}
	last := map[string]int64{}
	for i, e := range evs {
		if seen[e.ID] {
			t.Fatalf("event %s appears twice in the stream (second at position %d)", e.ID, i)
		}
		seen[e.ID] = true
		if want := last[e.AggregateID] + 1; e.AggregateVersion != want {
			t.Fatalf("aggregate %s: version %d at stream position %d, want %d", e.AggregateID, e.AggregateVersion, i, want)
		}
		last[e.AggregateID] = e.AggregateVersion
	}
	return last
}

// metric returns the value of the gauge or counter name whose labels include want (summing
// the series that match), or 0 when there is none.
func metric(t testing.TB, reg *prometheus.Registry, name string, want map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if !labelsMatch(m, want) {
				continue
			}
			switch {
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Histogram != nil:
				sum += float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return sum
}

func labelsMatch(m *dto.Metric, want map[string]string) bool {
	for k, v := range want {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == k && l.GetValue() == v {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// published returns the relay's published counter for one mode ("batch", "single") or all.
func published(t testing.TB, reg *prometheus.Registry, mode string) float64 {
	t.Helper()
	labels := map[string]string{}
	if mode != "" {
		labels["mode"] = mode
	}
	return metric(t, reg, "zoneops_outbox_published_total", labels)
}

func describe(evs []envelope.Envelope) string {
	s := ""
	for _, e := range evs {
		s += fmt.Sprintf("%s@%d ", e.AggregateID, e.AggregateVersion)
	}
	return s
}
