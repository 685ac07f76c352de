package consumer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/dlq"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

func TestRedeliveredEventChangesNothing(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var commits atomic.Int32
		r, _ := h.start(Config{Name: "counter", Handler: recordEffect, AfterCommit: func() { commits.Add(1) }})
		e := h.event("thing-1", 1, "one")
		// Two publishes with different message ids get past JetStream's duplicate window,
		// as a redelivery after a lost ack would.
		h.publish(e, "first")
		h.publish(e, "second")

		eventually(t, "one processed and one duplicate", func() bool {
			return handled(r, typeChanged, outcomeProcessed) == 1 && handled(r, typeChanged, outcomeDuplicate) == 1
		})
		if n := h.effects("counter", e.ID); n != 1 {
			t.Fatalf("handler applied the event %d times, want 1", n)
		}
		if n := h.processedRows("counter"); n != 1 {
			t.Fatalf("processed_events rows = %d, want 1", n)
		}
		if n := commits.Load(); n != 1 {
			t.Fatalf("AfterCommit ran %d times, want once: only for the event that had effects", n)
		}
	}, Migrations, testMigrations)
}

func TestEventCommittedBeforeACrashIsOnlyAcknowledged(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		e := h.event("thing-1", 1, "one")
		// What a runner that crashed after commit and before ack leaves behind: the effects
		// and the processed row, with the message still unacknowledged in the stream.
		ctx := context.Background()
		if err := d.InTx(ctx, func(tx *sqlx.Tx) error {
			if _, err := markProcessed(ctx, tx, "counter", e.ID, time.Now()); err != nil {
				return err
			}
			return recordEffect(ctx, tx, Event{Envelope: e, consumer: "counter"})
		}); err != nil {
			t.Fatal(err)
		}
		h.publish(e, "")
		r, _ := h.start(Config{Name: "counter", Handler: recordEffect})

		eventually(t, "the redelivery counted as a duplicate", func() bool {
			return handled(r, typeChanged, outcomeDuplicate) == 1
		})
		if n := h.effects("counter", e.ID); n != 1 {
			t.Fatalf("handler applied the event %d times, want 1", n)
		}
		if got := handled(r, typeChanged, outcomeProcessed); got != 0 {
			t.Fatalf("processed = %v, want 0", got)
		}
	}, Migrations, testMigrations)
}

func TestTransientFailureIsRetriedUntilItSucceeds(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var attempts, lastDelivered atomic.Int64
		r, _ := h.start(Config{Name: "flaky", Handler: func(ctx context.Context, tx *sqlx.Tx, ev Event) error {
			n := attempts.Add(1)
			lastDelivered.Store(int64(ev.Delivered))
			// The effect is written before failing, so the retry shows that it rolled back.
			if err := recordEffect(ctx, tx, ev); err != nil {
				return err
			}
			if n <= 2 {
				return fmt.Errorf("attempt %d: %w", n, fault.ErrUnavailable)
			}
			return nil
		}})
		e := h.event("thing-1", 1, "one")
		h.publish(e, "")

		eventually(t, "the event processed", func() bool { return handled(r, typeChanged, outcomeProcessed) == 1 })
		if got := attempts.Load(); got != 3 {
			t.Fatalf("attempts = %d, want 3", got)
		}
		if got := lastDelivered.Load(); got != 3 {
			t.Fatalf("Delivered on the last attempt = %d, want 3", got)
		}
		if n := h.effects("flaky", e.ID); n != 1 {
			t.Fatalf("effects = %d, want 1 (failed attempts must roll back)", n)
		}
		if got := handled(r, typeChanged, outcomeRetried); got != 2 {
			t.Fatalf("retried = %v, want 2", got)
		}
		if got := redeliveries(r); got != 2 {
			t.Fatalf("redeliveries = %v, want 2", got)
		}
		if got := deadLetters(r, ReasonMaxDeliver); got != 0 {
			t.Fatalf("dead letters = %v, want 0", got)
		}
	}, Migrations, testMigrations)
}

func TestPoisonIsDeadLetteredAndLaterMessagesFlow(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		r, _ := h.start(Config{Name: "picky", Handler: func(ctx context.Context, tx *sqlx.Tx, ev Event) error {
			if err := recordEffect(ctx, tx, ev); err != nil {
				return err
			}
			switch ev.Envelope.AggregateID {
			case "poison":
				return fmt.Errorf("thing cannot exist: %w", ErrPoison)
			case "invalid":
				return fault.Invalid("value", "must not be empty")
			}
			return nil
		}})
		garbage := []byte("\x00 not an event")
		stranger := []byte(`{"id":"not-a-uuid","hello":"world"}`)
		poison, invalid, good := h.event("poison", 1, "x"), h.event("invalid", 1, ""), h.event("good", 1, "ok")
		seqGarbage := h.publishRaw("zoneops.test.thing.changed", garbage, "garbage")
		seqStranger := h.publishRaw("zoneops.test.thing.changed", stranger, "stranger")
		seqPoison := h.publish(poison, "")
		seqInvalid := h.publish(invalid, "")
		h.publish(good, "")

		eventually(t, "the good event processed", func() bool { return handled(r, typeChanged, outcomeProcessed) == 1 })
		eventually(t, "four dead letters counted", func() bool {
			return deadLetters(r, ReasonDecode) == 2 && deadLetters(r, ReasonPoison) == 1 && deadLetters(r, ReasonInvalid) == 1
		})
		if got := handled(r, unknownType, outcomeDeadLettered); got != 2 {
			t.Fatalf("handled{type=unknown,outcome=dead_lettered} = %v, want 2", got)
		}
		if got := handled(r, typeChanged, outcomeDeadLettered); got != 2 {
			t.Fatalf("handled{type=%s,outcome=dead_lettered} = %v, want 2", typeChanged, got)
		}
		for _, id := range []string{poison.ID, invalid.ID} {
			if n := h.effects("picky", id); n != 0 {
				t.Fatalf("a dead-lettered event left %d effects", n)
			}
		}
		if n := h.processedRows("picky"); n != 1 {
			t.Fatalf("processed_events rows = %d, want 1 (only the good event)", n)
		}

		entries := must[[]dlq.Entry](t)(dlq.List(context.Background(), h.js, dlq.Filter{Consumer: "picky"}))
		want := []struct {
			reason, eventID string
			seq             uint64
			data            []byte
		}{
			{ReasonDecode + ": malformed event", "", seqGarbage, garbage},
			{ReasonDecode + ": missing attribute", "not-a-uuid", seqStranger, stranger},
			{ReasonPoison + ": thing cannot exist", poison.ID, seqPoison, nil},
			{ReasonInvalid + ": invalid input: value", invalid.ID, seqInvalid, nil},
		}
		if len(entries) != len(want) {
			t.Fatalf("dead letters = %d, want %d: %+v", len(entries), len(want), entries)
		}
		for i, w := range want {
			got := entries[i]
			if !strings.HasPrefix(got.Reason, w.reason) {
				t.Errorf("entry %d reason = %q, want prefix %q", i, got.Reason, w.reason)
			}
			if got.EventID != w.eventID || got.OriginalSeq != w.seq || got.OriginalStream != testStream ||
				got.OriginalSubject != "zoneops.test.thing.changed" || got.Consumer != "picky" {
				t.Errorf("entry %d = %+v", i, got)
			}
			if w.data != nil && string(got.Data) != string(w.data) {
				t.Errorf("entry %d data = %q, want the original %q", i, got.Data, w.data)
			}
			if got.Header.Get("X-Trace") != "trace-1" {
				t.Errorf("entry %d lost the original headers: %v", i, got.Header)
			}
		}
		// Terminated, not left pending: nothing comes back.
		eventually(t, "nothing pending ack", func() bool {
			c, err := h.js.Consumer(context.Background(), testStream, "picky")
			return err == nil && c.CachedInfo().NumAckPending == 0 && c.CachedInfo().NumPending == 0
		})
	}, Migrations, testMigrations)
}

func TestMaxDeliverDeadLettersWithTheLastError(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var attempts atomic.Int64
		r, _ := h.start(Config{Name: "doomed", MaxDeliver: 3, Handler: func(context.Context, *sqlx.Tx, Event) error {
			return fmt.Errorf("attempt %d: registry down", attempts.Add(1))
		}})
		e := h.event("thing-1", 1, "one")
		h.publish(e, "")

		eventually(t, "a max_deliver dead letter", func() bool { return deadLetters(r, ReasonMaxDeliver) == 1 })
		if got := attempts.Load(); got != 3 {
			t.Fatalf("attempts = %d, want 3", got)
		}
		if got := handled(r, typeChanged, outcomeRetried); got != 2 {
			t.Fatalf("retried = %v, want 2", got)
		}
		entries := must[[]dlq.Entry](t)(dlq.List(context.Background(), h.js, dlq.Filter{Consumer: "doomed"}))
		if len(entries) != 1 {
			t.Fatalf("dead letters = %d, want 1", len(entries))
		}
		if want := "max_deliver: attempt 3: registry down"; entries[0].Reason != want {
			t.Fatalf("reason = %q, want %q", entries[0].Reason, want)
		}
		if entries[0].EventID != e.ID {
			t.Fatalf("event id = %q, want %q", entries[0].EventID, e.ID)
		}
	}, Migrations, testMigrations)
}

func TestOlderEventArrivingLateIsSkipped(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		r, _ := h.start(Config{Name: "view", Handler: func(ctx context.Context, tx *sqlx.Tx, ev Event) error {
			forward, err := ev.Advance(ctx, tx)
			if err != nil || !forward {
				return err
			}
			var p thing
			if err := json.Unmarshal(ev.Envelope.Data, &p); err != nil {
				return fmt.Errorf("%w: %v", ErrPoison, err)
			}
			_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO things (aggregate_id, version, value) VALUES (?, ?, ?)
				ON CONFLICT (aggregate_id) DO UPDATE SET version = excluded.version, value = excluded.value`),
				ev.Envelope.AggregateID, ev.Envelope.AggregateVersion, p.Value)
			return err
		}})
		h.publish(h.event("thing-1", 3, "three"), "")
		h.publish(h.event("thing-1", 2, "two"), "")

		eventually(t, "one processed and one stale", func() bool {
			return handled(r, typeChanged, outcomeProcessed) == 1 && handled(r, typeChanged, outcomeStale) == 1
		})
		var got struct {
			Version int64  `db:"version"`
			Value   string `db:"value"`
		}
		if err := d.Get(&got, d.Rebind(`SELECT version, value FROM things WHERE aggregate_id = ?`), "thing-1"); err != nil {
			t.Fatal(err)
		}
		if got.Version != 3 || got.Value != "three" {
			t.Fatalf("state = %+v, want version 3 \"three\"", got)
		}
		if n := h.processedRows("view"); n != 2 {
			t.Fatalf("processed_events rows = %d, want 2 (a stale event is still processed)", n)
		}
	}, Migrations, testMigrations)
}

func TestAdvanceMovesOnlyForward(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		steps := []struct {
			consumer string
			version  int64
			want     bool
		}{
			{"a", 5, true},  // first sight
			{"a", 5, false}, // same version again
			{"a", 4, false}, // older
			{"a", 7, true},  // newer, gaps allowed
			{"b", 1, true},  // another consumer keeps its own view
		}
		for _, s := range steps {
			var got bool
			if err := d.InTx(ctx, func(tx *sqlx.Tx) error {
				var err error
				got, err = Advance(ctx, tx, s.consumer, "agg-1", s.version)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if got != s.want {
				t.Fatalf("Advance(%s, v%d) = %v, want %v", s.consumer, s.version, got, s.want)
			}
		}
	}, Migrations)
}

func TestRunnerResumesAfterNATSRestart(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		r, _ := h.start(Config{Name: "survivor", Handler: recordEffect})
		first := h.event("thing-1", 1, "one")
		h.publish(first, "")
		eventually(t, "the first event processed", func() bool { return handled(r, typeChanged, outcomeProcessed) == 1 })

		if err := h.srv.Restart(); err != nil {
			t.Fatal(err)
		}
		second := h.event("thing-1", 2, "two")
		h.publish(second, "") // retries until the client has reconnected

		eventually(t, "the second event processed after the restart", func() bool {
			return handled(r, typeChanged, outcomeProcessed) == 2
		})
		for _, e := range []string{first.ID, second.ID} {
			if n := h.effects("survivor", e); n != 1 {
				t.Fatalf("effects of %s = %d, want 1", e, n)
			}
		}
	}, Migrations, testMigrations)
}

func TestReplayedDeadLetterIsProcessedOnceByTheFixedConsumer(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var fixed atomic.Bool
		fragile, _ := h.start(Config{Name: "fragile", Handler: func(ctx context.Context, tx *sqlx.Tx, ev Event) error {
			if !fixed.Load() {
				return fmt.Errorf("bug in handler: %w", ErrPoison)
			}
			return recordEffect(ctx, tx, ev)
		}})
		steady, _ := h.start(Config{Name: "steady", Handler: recordEffect})
		e := h.event("thing-1", 1, "one")
		h.publish(e, "")

		eventually(t, "fragile dead-letters and steady processes", func() bool {
			return deadLetters(fragile, ReasonPoison) == 1 && handled(steady, typeChanged, outcomeProcessed) == 1
		})
		ctx := context.Background()
		entries := must[[]dlq.Entry](t)(dlq.List(ctx, h.js, dlq.Filter{}))
		if len(entries) != 1 || entries[0].Consumer != "fragile" || entries[0].EventID != e.ID {
			t.Fatalf("dead letters = %+v, want one of fragile for %s", entries, e.ID)
		}

		fixed.Store(true)
		if err := dlq.Replay(ctx, h.js, entries[0].Seq); err != nil {
			t.Fatal(err)
		}
		eventually(t, "fragile processes the replay and steady ignores it", func() bool {
			return handled(fragile, typeChanged, outcomeProcessed) == 1 && handled(steady, typeChanged, outcomeDuplicate) == 1
		})
		if n := h.effects("fragile", e.ID); n != 1 {
			t.Fatalf("fragile effects = %d, want 1", n)
		}
		if n := h.effects("steady", e.ID); n != 1 {
			t.Fatalf("steady effects = %d, want 1", n)
		}
		if left := must[[]dlq.Entry](t)(dlq.List(ctx, h.js, dlq.Filter{})); len(left) != 0 {
			t.Fatalf("dead letters after replay = %+v, want none", left)
		}
		if err := dlq.Replay(ctx, h.js, entries[0].Seq); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("second replay: err = %v, want not found", err)
		}
	}, Migrations, testMigrations)
}

func TestShutdownFinishesTheMessageInHand(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		runCtx, cancelRun := context.WithCancel(context.Background())
		defer cancelRun()
		started, release := make(chan struct{}), make(chan struct{})
		var handlerDone atomic.Bool
		var handlerCtxErr error
		r, stop := h.startCtx(runCtx, Config{Name: "slow", Handler: func(ctx context.Context, tx *sqlx.Tx, ev Event) error {
			close(started)
			<-release
			// Released only once Run's context is cancelled: the handler's must outlive it.
			handlerCtxErr = ctx.Err()
			if err := recordEffect(ctx, tx, ev); err != nil {
				return err
			}
			// Run calls the handler on its own goroutine, so Run cannot have returned before
			// this frame returns; checking the stack proves it without waiting to see whether
			// Run returns early.
			if stack := string(debug.Stack()); !strings.Contains(stack, ".(*Runner).Run(") {
				return fmt.Errorf("handler not called from Run's goroutine, so Run can return without it:\n%s", stack)
			}
			handlerDone.Store(true)
			return nil
		}})
		e := h.event("thing-1", 1, "one")
		h.publish(e, "")
		<-started

		cancelRun()
		close(release)
		// Whenever Run returns, the message in hand must be finished by then.
		var returnedEarly bool
		stopped := make(chan struct{})
		go func() { stop(); returnedEarly = !handlerDone.Load(); close(stopped) }()
		<-stopped
		if handlerCtxErr != nil {
			t.Fatalf("the handler's context ended with Run's: %v", handlerCtxErr)
		}
		if returnedEarly {
			t.Fatal("Run returned before the message in hand was finished")
		}

		if got := handled(r, typeChanged, outcomeProcessed); got != 1 {
			t.Fatalf("processed = %v, want 1", got)
		}
		if n := h.effects("slow", e.ID); n != 1 {
			t.Fatalf("effects = %d, want 1", n)
		}
		c := must[jetstream.Consumer](t)(h.js.Consumer(context.Background(), testStream, "slow"))
		if info := c.CachedInfo(); info.NumAckPending != 0 || info.NumPending != 0 {
			t.Fatalf("after shutdown: ack pending %d, pending %d; want the message acknowledged", info.NumAckPending, info.NumPending)
		}
	}, Migrations, testMigrations)
}

func TestPendingGaugeReportsLag(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		release := make(chan struct{})
		var once sync.Once
		unblock := func() { once.Do(func() { close(release) }) }
		// The message in hand waits after its commit, not inside its transaction: on SQLite a
		// transaction holds the one connection, and the runner's prune would wait for it (the
		// gauge no longer shares the prune's loop, but the test should not lean on that).
		r, _ := h.start(Config{Name: "laggard", Batch: 1, LagInterval: 20 * time.Millisecond,
			Handler:     func(context.Context, *sqlx.Tx, Event) error { return nil },
			AfterCommit: func() { <-release }})
		// Runs before stop (cleanups run last first), so a failing test does not hang in Run.
		t.Cleanup(unblock)
		for i := 1; i <= 3; i++ {
			h.publish(h.event("thing-1", int64(i), "v"), "")
		}
		pending := func() float64 { return pendingGauge(r) }
		// One message is in hand (committed, not yet acked); the other two wait.
		eventually(t, "two messages pending", func() bool { return pending() == 2 })
		unblock()
		// Pending counts undelivered messages, so it reaches 0 while the last is still in hand.
		eventually(t, "nothing pending", func() bool { return pending() == 0 })
		eventually(t, "all three processed", func() bool { return handled(r, typeChanged, outcomeProcessed) == 3 })
	}, Migrations, testMigrations)
}

func TestRunnersShareMetricFamiliesInOneRegistry(t *testing.T) {
	d := dbtest.Open(t, db.SQLite, Migrations)
	reg := prometheus.NewRegistry()
	var runners []*Runner
	for _, name := range []string{"one", "two"} {
		r, err := New(d, fakeJS{}, Config{Name: name, Stream: testStream, Handler: recordEffect, Registerer: reg})
		if err != nil {
			t.Fatalf("New(%s): %v", name, err)
		}
		runners = append(runners, r)
	}
	runners[0].m.deadLetters.WithLabelValues("one", ReasonPoison).Inc()
	runners[1].m.deadLetters.WithLabelValues("two", ReasonPoison).Inc()
	// Every consumer has a series per reason from the start (see metrics.init).
	if n := testutil.CollectAndCount(reg, "zoneops_consumer_dead_letters_total"); n != 2*len(reasons) {
		t.Fatalf("dead-letter series = %d, want one per consumer and reason in one family", n)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	ok := Config{Name: "c", Stream: testStream, Handler: recordEffect}
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"empty name", func(c *Config) { c.Name = "" }},
		{"name with a dot", func(c *Config) { c.Name = "a.b" }},
		{"no stream", func(c *Config) { c.Stream = "" }},
		{"no handler", func(c *Config) { c.Handler = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			if _, err := New(d, fakeJS{}, cfg); err == nil {
				t.Fatal("New accepted a bad config")
			}
		})
	}
}
