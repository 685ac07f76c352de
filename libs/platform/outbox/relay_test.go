package outbox_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

// Writers keep committing while NATS is down; after it returns every event is in the stream
// exactly once and each aggregate's events are in version order.
func TestRelayPublishesEveryEventOnceAndInOrderAcrossANATSRestart(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e, js := startNATS(t)
		const writers, aggregates = 4, 5
		// The aggregates' own rows: writers of one aggregate serialise on its row, as a
		// service's read-modify-write does, which is what keeps its outbox ids in commit order.
		if _, err := d.Exec(`CREATE TABLE test_aggregates (id TEXT PRIMARY KEY, version BIGINT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		for a := range aggregates {
			if _, err := d.Exec(d.Rebind(`INSERT INTO test_aggregates (id, version) VALUES (?, 0)`), fmt.Sprintf("agg-%d", a)); err != nil {
				t.Fatal(err)
			}
		}
		reg := prometheus.NewRegistry()
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Registerer: reg, BatchSize: 100})
		run(t, r)

		// burst commits n events from several writers at once, each event a change of one of
		// the aggregates (several writers per aggregate).
		burst := func(n int) {
			var wg sync.WaitGroup
			errs := make(chan error, writers)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range n / writers {
						agg := fmt.Sprintf("agg-%d", (w+i)%aggregates)
						err := d.InTx(ctx, func(tx *sqlx.Tx) error {
							var v int64
							if err := tx.GetContext(ctx, &v, tx.Rebind(`UPDATE test_aggregates SET version = version + 1 WHERE id = ? RETURNING version`), agg); err != nil {
								return err
							}
							return outbox.Add(ctx, tx, event(t, testType, agg, v))
						})
						if err != nil {
							errs <- err
							return
						}
						r.Notify()
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
		}

		burst(300) // NATS up
		e.Shutdown()
		burst(400) // NATS down: the events wait in the outbox
		if err := e.Restart(); err != nil {
			t.Fatal(err)
		}
		burst(300) // NATS back
		// The relay counts rows after deleting them, so once all 1,000 are counted the outbox
		// is empty and the stream holds them.
		waitFor(t, "the outbox to drain into the stream", func() bool { return published(t, reg, "") == 1000 })

		evs := streamEvents(t, js, testStream)
		if len(evs) != 1000 {
			t.Fatalf("stream holds %d events, want 1000", len(evs))
		}
		perAggregate := checkOnceInOrder(t, evs)
		for a := range aggregates {
			if got := perAggregate[fmt.Sprintf("agg-%d", a)]; got != 200 {
				t.Fatalf("agg-%d: %d events in the stream, want 200", a, got)
			}
		}
		if metric(t, reg, "zoneops_outbox_publish_failures_total", nil) == 0 {
			t.Fatal("publish_failures_total = 0: the relay never saw NATS down, so the test proved nothing")
		}
	}, outbox.Migrations)
}

// A transaction that takes an id first and commits last must still be published: the relay
// keeps no high-water mark that a later id could push past it.
func TestRelayPublishesARowCommittedAfterALaterID(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_, js := startNATS(t)
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t)})
		run(t, r)
		first, second := event(t, testType, "agg-a", 1), event(t, testType, "agg-b", 1)

		switch d.Dialect {
		case db.Postgres:
			// For real: tx A inserts first and commits last, tx B inserts second and commits
			// first, and the relay publishes B while A is still open.
			txA, err := d.BeginTxx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer txA.Rollback()
			if err := outbox.Add(ctx, txA, first); err != nil {
				t.Fatal(err)
			}
			txB, err := d.BeginTxx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := outbox.Add(ctx, txB, second); err != nil {
				t.Fatal(err)
			}
			var idA, idB int64
			if err := txA.Get(&idA, `SELECT id FROM outbox WHERE event_id = $1`, first.ID); err != nil {
				t.Fatal(err)
			}
			if err := txB.Get(&idB, `SELECT id FROM outbox WHERE event_id = $1`, second.ID); err != nil {
				t.Fatal(err)
			}
			if idA >= idB {
				t.Fatalf("ids A=%d B=%d: the test needs A's id below B's", idA, idB)
			}
			if err := txB.Commit(); err != nil {
				t.Fatal(err)
			}
			r.Notify()
			waitFor(t, "B to be published while A is open", func() bool { return streamCount(t, js, testStream) == 1 })
			if err := txA.Commit(); err != nil {
				t.Fatal(err)
			}
		default:
			// SQLite has one writer, so a lower id cannot commit after a higher one. The
			// equivalent: a row with a lower id than one already published appears later,
			// which a relay polling "id > last seen" would never read.
			insert := func(id int64, e envelope.Envelope) {
				payload, err := envelope.Encode(e)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := d.Exec(`INSERT INTO outbox (id, event_id, subject, aggregate_id, payload) VALUES (?, ?, ?, ?, ?)`,
					id, e.ID, envelope.Subject(e.Type), e.AggregateID, string(payload)); err != nil {
					t.Fatal(err)
				}
			}
			insert(10, second)
			r.Notify()
			waitFor(t, "the row with id 10 to be published", func() bool { return streamCount(t, js, testStream) == 1 })
			insert(5, first)
		}
		r.Notify()
		waitFor(t, "the late row to be published", func() bool { return streamCount(t, js, testStream) == 2 })
		evs := streamEvents(t, js, testStream)
		if evs[0].ID != second.ID || evs[1].ID != first.ID {
			t.Fatalf("stream = %s, want B then A", describe(evs))
		}
		waitFor(t, "the outbox to be empty", func() bool { return pending(t, d) == 0 })
	}, outbox.Migrations)
}

// After a crash between the ack and the delete, the rows' events are already in the stream.
// The atomic batch holding them is refused whole; the relay publishes those rows one by one,
// JetStream drops the copies, and the rest go out once.
func TestRelayRecoversFromACrashBetweenAckAndDelete(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_, js := startNATS(t)
		envs := events(t, "agg", 1, 100)
		add(t, d, envs...)
		for _, e := range envs[:40] { // acknowledged before the "crash", rows still queued
			payload, err := envelope.Encode(e)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := js.PublishMsg(ctx, &nats.Msg{Subject: envelope.Subject(e.Type), Data: payload,
				Header: nats.Header{jetstream.MsgIDHeader: []string{e.ID}}}); err != nil {
				t.Fatal(err)
			}
		}

		reg := prometheus.NewRegistry()
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Registerer: reg, BatchSize: 30})
		run(t, r)
		waitFor(t, "the outbox to drain", func() bool { return published(t, reg, "") == 100 })
		if n := pending(t, d); n != 0 {
			t.Fatalf("outbox holds %d rows after the relay counted all 100 published", n)
		}

		evs := streamEvents(t, js, testStream)
		if len(evs) != 100 {
			t.Fatalf("stream holds %d events, want 100", len(evs))
		}
		checkOnceInOrder(t, evs)
		// Rows 1-30 and 31-60 each hold already-published events: refused as batches, sent
		// singly (40 duplicates among them). Rows 61-90 go as one atomic batch; 91-100 are too
		// few to be worth a batch and go singly.
		for _, c := range []struct {
			name string
			got  float64
			want float64
		}{
			{"duplicates_total", metric(t, reg, "zoneops_outbox_duplicates_total", nil), 40},
			{"published_total{mode=single}", published(t, reg, "single"), 70},
			{"published_total{mode=batch}", published(t, reg, "batch"), 30},
		} {
			if c.got != c.want {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
	}, outbox.Migrations)
}

// A stream that does not allow atomic publish (or an older server) still gets every event,
// once and in order, by single publishes.
func TestRelayPublishesSinglyWhenTheStreamRefusesAtomicBatches(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_, js := natsxtest.Connect(t, natsxtest.Start(t))
		if _, err := js.CreateStream(ctx, jetstream.StreamConfig{
			Name: testStream, Subjects: []string{testSubjects}, Storage: jetstream.FileStorage,
			Duplicates: 2 * time.Minute, AllowDirect: true, // AllowAtomicPublish left false
		}); err != nil {
			t.Fatal(err)
		}
		var envs []envelope.Envelope
		for v := int64(1); v <= 40; v++ {
			envs = append(envs, event(t, testType, "agg-a", v), event(t, testType, "agg-b", v))
		}
		add(t, d, envs...)
		reg := prometheus.NewRegistry()
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Registerer: reg, BatchSize: 50})
		run(t, r)
		waitFor(t, "the outbox to drain", func() bool { return published(t, reg, "") == 80 })

		evs := streamEvents(t, js, testStream)
		if len(evs) != 80 {
			t.Fatalf("stream holds %d events, want 80", len(evs))
		}
		checkOnceInOrder(t, evs)
		if got, want := published(t, reg, "single"), 80.0; got != want {
			t.Errorf("published_total{mode=single} = %v, want %v", got, want)
		}
		if got := published(t, reg, "batch"); got != 0 {
			t.Errorf("published_total{mode=batch} = %v, want 0", got)
		}
	}, outbox.Migrations)
}

// An atomic batch is committed by one stream, so rows bound for two streams are split into
// runs, each its own batch, without reordering either stream's events.
func TestRelaySplitsBatchesByStream(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_, js := startNATS(t)
		if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: "ALLOCATION", Subjects: []string{"zoneops.allocation.>"}}); err != nil {
			t.Fatal(err)
		}
		// Runs of 30 (long enough for a batch): licence 1-30, lease 1-30, licence 31-60,
		// then a lease and a licence event interleaved one by one.
		var envs []envelope.Envelope
		envs = append(envs, events(t, "licence", 1, 30)...)
		for v := int64(1); v <= 30; v++ {
			envs = append(envs, event(t, "zoneops.allocation.lease.signed.v1", "lease", v))
		}
		envs = append(envs, events(t, "licence", 31, 60)...)
		envs = append(envs, event(t, "zoneops.allocation.lease.signed.v1", "lease", 31), event(t, testType, "licence", 61))
		add(t, d, envs...)
		reg := prometheus.NewRegistry()
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Registerer: reg})
		run(t, r)
		waitFor(t, "the outbox to drain", func() bool { return published(t, reg, "") == 92 })

		if got := checkOnceInOrder(t, streamEvents(t, js, testStream)); got["licence"] != 61 || len(got) != 1 {
			t.Fatalf("TENANTS holds %v, want 61 licence events only", got)
		}
		if got := checkOnceInOrder(t, streamEvents(t, js, "ALLOCATION")); got["lease"] != 31 || len(got) != 1 {
			t.Fatalf("ALLOCATION holds %v, want 31 lease events only", got)
		}
		if got := published(t, reg, "batch"); got != 90 {
			t.Fatalf("published_total{mode=batch} = %v, want 90 (three runs of 30)", got)
		}
	}, outbox.Migrations)
}

// With a poll interval of a minute, only Notify can bring the event out within the wait.
func TestNotifyWakesTheRelayBeforeThePoll(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		_, js := startNATS(t)
		reg := prometheus.NewRegistry()
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Registerer: reg, PollInterval: time.Minute})
		// asleep is signalled when the relay goes to wait with no wake-up pending after the
		// test's burst of Notify calls: from then on only a new Notify (or the poll, a minute
		// away) starts another pass.
		var burstDone atomic.Bool
		asleep := make(chan struct{}, 1)
		outbox.OnWait(r, func(pending int) {
			if pending == 0 && burstDone.Load() {
				select {
				case asleep <- struct{}{}:
				default:
				}
			}
		})
		add(t, d, event(t, testType, "agg", 1))
		run(t, r)
		// Published counts rows once deleted, so from here the relay has no delete to come
		// back for and sleeps on the poll alone.
		waitFor(t, "the start-up pass", func() bool { return published(t, reg, "") == 1 })
		for range 100 {
			r.Notify() // coalesces: never blocks, whatever the relay is doing
		}
		burstDone.Store(true)
		select {
		case <-asleep:
		case <-time.After(waitLimit):
			t.Fatal("timed out waiting for the relay to consume the burst of wake-ups and sleep")
		}

		add(t, d, event(t, testType, "agg", 2))
		r.Notify()
		waitFor(t, "the notified event", func() bool { return streamCount(t, js, testStream) == 2 })
	}, outbox.Migrations)
}

// On PostgreSQL one replica relays; the other takes over when the leader stops.
func TestOnlyOneRelayLeadsOnPostgres(t *testing.T) {
	dsn := dbtest.PostgresDSN(t)
	ctx := context.Background()
	open := func() *db.DB {
		d, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if err := d.Migrate(ctx, outbox.Migrations); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d1, d2 := open(), open()
	_, js := startNATS(t)
	regA, regB := prometheus.NewRegistry(), prometheus.NewRegistry()
	opts := func(replica string, reg *prometheus.Registry) outbox.Options {
		return outbox.Options{Logger: logger(t).With("replica", replica), Name: "tenants", Registerer: reg, LockRetryInterval: 50 * time.Millisecond}
	}
	a, b := outbox.NewRelay(d1, js, opts("A", regA)), outbox.NewRelay(d2, js, opts("B", regB))
	leader := func(reg *prometheus.Registry) float64 {
		return metric(t, reg, "zoneops_outbox_relay_leader", nil)
	}

	stopA := run(t, a)
	waitFor(t, "A to lead", func() bool { return leader(regA) == 1 })
	run(t, b)
	add(t, d2, events(t, "agg", 1, 10)...) // written on B's replica: A's poll finds them
	b.Notify()
	waitFor(t, "A to publish the first events", func() bool { return published(t, regA, "") == 10 })
	if published(t, regB, "") != 0 || leader(regB) != 0 {
		t.Fatalf("B published %v and leader=%v while A led", published(t, regB, ""), leader(regB))
	}
	if got := lockHolders(t, d1); got != 1 {
		t.Fatalf("%d sessions hold the relay lock, want 1", got)
	}

	stopA()
	if leader(regA) != 0 {
		t.Fatal("A still reports leading after it stopped")
	}
	waitFor(t, "B to take over", func() bool { return leader(regB) == 1 })
	add(t, d1, events(t, "agg", 11, 20)...)
	waitFor(t, "B to publish the later events", func() bool { return published(t, regB, "") == 10 })
	if got := published(t, regA, ""); got != 10 {
		t.Fatalf("A published %v after it stopped, want still 10", got)
	}
	if got := len(checkOnceInOrder(t, streamEvents(t, js, testStream))); got != 1 {
		t.Fatalf("stream holds %d aggregates, want 1", got)
	}
	if got := streamCount(t, js, testStream); got != 20 {
		t.Fatalf("stream holds %d events, want 20", got)
	}
	if got := lockHolders(t, d1); got != 1 {
		t.Fatalf("%d sessions hold the relay lock, want 1", got)
	}
}

// Advisory locks belong to the database, not the schema: two deployments in one database,
// each in its own schema, must each have a leader, and both relays publish.
func TestRelaysOfTwoSchemasInOneDatabaseBothLead(t *testing.T) {
	ctx := context.Background()
	_, js := startNATS(t)
	type deployment struct {
		d   *db.DB
		reg *prometheus.Registry
		r   *outbox.Relay
	}
	var deps []deployment
	for _, name := range []string{"first", "second"} {
		d, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: dbtest.PostgresDSN(t), MaxOpenConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if err := d.Migrate(ctx, outbox.Migrations); err != nil {
			t.Fatal(err)
		}
		reg := prometheus.NewRegistry()
		// The same relay name in both: only the schema tells their locks apart.
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t).With("deployment", name), Name: "tenants", Registerer: reg, LockRetryInterval: 50 * time.Millisecond})
		deps = append(deps, deployment{d, reg, r})
	}
	for i, dep := range deps {
		run(t, dep.r)
		add(t, dep.d, events(t, fmt.Sprintf("agg-%d", i), 1, 10)...)
		dep.r.Notify()
	}
	for i, dep := range deps {
		waitFor(t, fmt.Sprintf("deployment %d to lead and publish its events", i), func() bool {
			return metric(t, dep.reg, "zoneops_outbox_relay_leader", nil) == 1 && published(t, dep.reg, "") == 10
		})
		if got := lockHolders(t, dep.d); got != 1 {
			t.Fatalf("deployment %d: %d sessions hold its relay lock, want 1", i, got)
		}
	}
	if got := checkOnceInOrder(t, streamEvents(t, js, testStream)); got["agg-0"] != 10 || got["agg-1"] != 10 {
		t.Fatalf("stream holds %v, want 10 events of each deployment", got)
	}
}

// When the leader's database session dies (its process crashed, or the server killed it), the
// lock goes with it and a replica relays again.
func TestRelayLeadershipSurvivesTheLeadersSessionDying(t *testing.T) {
	dsn := dbtest.PostgresDSN(t)
	ctx := context.Background()
	d, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx, outbox.Migrations); err != nil {
		t.Fatal(err)
	}
	_, js := startNATS(t)
	reg := prometheus.NewRegistry()
	r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Name: "tenants", Registerer: reg, LockRetryInterval: 50 * time.Millisecond})
	run(t, r)
	waitFor(t, "the relay to lead", func() bool { return lockHolders(t, d) == 1 })

	var killed int
	l := tenantsLock(t, d)
	if err := d.Get(&killed, `SELECT count(pg_terminate_backend(pid)) `+holdersWhere, l.high, l.low); err != nil {
		t.Fatal(err)
	}
	if killed != 1 {
		t.Fatalf("terminated %d sessions, want the leader's", killed)
	}
	add(t, d, events(t, "agg", 1, 5)...)
	r.Notify()
	waitFor(t, "events to flow again after the session died", func() bool { return streamCount(t, js, testStream) == 5 })
	waitFor(t, "one session to hold the lock again", func() bool { return lockHolders(t, d) == 1 })
	checkOnceInOrder(t, streamEvents(t, js, testStream))
}

// relayLock is the advisory lock of the relay named "tenants" on d's outbox table, split as
// pg_locks shows it. The test derives the key itself on purpose: the key must never change
// between releases, or during a rolling upgrade an old and a new replica would both lead.
type relayLock struct{ high, low int64 }

func tenantsLock(t *testing.T, d *db.DB) relayLock {
	t.Helper()
	var schema string
	if err := d.Get(&schema, `SELECT current_schema()`); err != nil {
		t.Fatal(err)
	}
	return lockOf(schema, "tenants")
}

// lockOf derives the key: the name alone in the public schema (as before keys had a schema),
// the name and the schema elsewhere.
func lockOf(schema, name string) relayLock {
	key := "zoneops/outbox/" + name
	if schema != "public" {
		key += "\x00" + schema
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	k := h.Sum64()
	return relayLock{high: int64(k >> 32), low: int64(k & 0xffffffff)}
}

// holdersWhere selects the sessions holding the lock in this database only: other databases
// on the server (another zoneops, another test run) have locks of their own.
const holdersWhere = `FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
	AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND classid::bigint = $1 AND objid::bigint = $2`

// lockHolders counts the sessions holding the "tenants" relay lock of d's schema.
func lockHolders(t *testing.T, d *db.DB) int {
	t.Helper()
	l := tenantsLock(t, d)
	var n int
	if err := d.Get(&n, `SELECT count(*) `+holdersWhere, l.high, l.low); err != nil {
		t.Fatal(err)
	}
	return n
}

// Rows whose subject no stream captures stay queued (never dropped, never skipped) while the
// relay retries, and the gauges show how many wait and for how long; once the stream exists
// they go out in order.
func TestRelayHoldsRowsWithoutAStreamAndReportsTheirDepthAndAge(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_, js := natsxtest.Connect(t, natsxtest.Start(t)) // no stream yet
		add(t, d, events(t, "agg", 1, 7)...)
		reg := prometheus.NewRegistry()
		hourLater := func() time.Time { return time.Now().Add(time.Hour) }
		r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Registerer: reg, Now: hourLater})
		run(t, r)
		waitFor(t, "a failed publish", func() bool { return metric(t, reg, "zoneops_outbox_publish_failures_total", nil) > 0 })
		if got := metric(t, reg, "zoneops_outbox_depth", nil); got != 7 {
			t.Fatalf("depth = %v, want 7", got)
		}
		if got := metric(t, reg, "zoneops_outbox_oldest_unpublished_age_seconds", nil); got < 3590 || got > 3700 {
			t.Fatalf("oldest age = %vs, want about an hour by the relay's clock", got)
		}
		if got := pending(t, d); got != 7 {
			t.Fatalf("outbox holds %d rows, want all 7", got)
		}

		if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: testStream, Subjects: []string{testSubjects}}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the rows to go out", func() bool { return published(t, reg, "") == 7 })
		checkOnceInOrder(t, streamEvents(t, js, testStream))
		r.Notify()
		waitFor(t, "depth and age to return to zero", func() bool {
			return metric(t, reg, "zoneops_outbox_depth", nil) == 0 && metric(t, reg, "zoneops_outbox_oldest_unpublished_age_seconds", nil) == 0
		})
	}, outbox.Migrations)
}
