package work_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/outbox"
	"github.com/zoneops/zoneops/libs/platform/work"
)

const schema = `CREATE TABLE counters (
	id TEXT PRIMARY KEY,
	n INTEGER NOT NULL CHECK (n >= 0),
	doc TEXT NOT NULL
);`

var migrations = db.Migrations{Name: "worktest", FS: fstest.MapFS{
	"sqlite/001_counters.sql":   {Data: []byte(schema)},
	"postgres/001_counters.sql": {Data: []byte(schema)},
}}

// counterTx is how a store types its transaction: the platform Tx and the store's own
// reads and writes.
type counterTx struct{ *work.Tx }

func (t *counterTx) insert(ctx context.Context, id string, n int) error {
	_, err := t.Exec(ctx, `INSERT INTO counters (id, n, doc) VALUES (?, ?, ?)`, id, n, `{"id":"`+id+`"}`)
	return err
}

// bump adds one to the counter, reading it under the row lock first, as a read-modify-write
// use case does.
func (t *counterTx) bump(ctx context.Context, id string) error {
	var n int
	if err := t.Get(ctx, &n, `SELECT n FROM counters WHERE id = ?`+db.ForUpdate(t.Dialect()), id); err != nil {
		return err
	}
	return t.ExecOne(ctx, "counter "+id, `UPDATE counters SET n = ? WHERE id = ?`, n+1, id)
}

type fixture struct {
	d        *db.DB
	w        *work.Writer[counterTx]
	notified *atomic.Int64
}

// forEachDialect runs fn per backend with a Writer whose notify counts its calls.
func forEachDialect(t *testing.T, fn func(t *testing.T, f fixture)) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		n := &atomic.Int64{}
		w := work.NewWriter[counterTx](d, func() { n.Add(1) })
		fn(t, fixture{d: d, w: w, notified: n})
	}, outbox.Migrations, migrations)
}

func event(t testing.TB, agg string) envelope.Envelope {
	t.Helper()
	e, err := envelope.New("/zoneops/test", "zoneops.test.counter.bumped.v1", agg, 1, time.Now(), map[string]any{"id": agg})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func count(t testing.TB, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.Get(&n, `SELECT count(*) FROM `+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// TestWriteCommitsStateAndEventsTogetherAndNotifiesOnlyAfterACommitThatEmitted: what fn
// writes and emits commits together; a failing fn writes and emits nothing; the relay is
// woken once after each commit that queued events, and only then.
func TestWriteCommitsStateAndEventsTogetherAndNotifiesOnlyAfterACommitThatEmitted(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name         string
		emit         int
		fail         error
		wantRows     int
		wantEvents   int
		wantNotified int64
	}{
		{"a write with events commits both and wakes the relay", 2, nil, 1, 2, 1},
		{"a write without events commits and wakes nobody", 0, nil, 1, 0, 0},
		{"a failed write writes nothing, emits nothing, wakes nobody", 2, boom, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachDialect(t, func(t *testing.T, f fixture) {
				ctx := context.Background()
				id := newID()
				var emitted int
				err := f.w.Write(ctx, func(tx *counterTx) error {
					if err := tx.insert(ctx, id, 0); err != nil {
						return err
					}
					for range tt.emit {
						if err := tx.Emit(ctx, event(t, id)); err != nil {
							return err
						}
					}
					emitted = tx.Emitted()
					return tt.fail
				})
				if !errors.Is(err, tt.fail) {
					t.Fatalf("Write: err %v, want %v", err, tt.fail)
				}
				if emitted != tt.emit {
					t.Errorf("Emitted() = %d, want %d", emitted, tt.emit)
				}
				if got := count(t, f.d, "counters"); got != tt.wantRows {
					t.Errorf("%d rows written, want %d", got, tt.wantRows)
				}
				if got := count(t, f.d, "outbox"); got != tt.wantEvents {
					t.Errorf("%d events in the outbox, want %d", got, tt.wantEvents)
				}
				if got := f.notified.Load(); got != tt.wantNotified {
					t.Errorf("notified %d times, want %d", got, tt.wantNotified)
				}
			})
		})
	}
}

// TestWrapWorksInsideATransactionSomeoneElseCommits: a wrapped transaction's rows and events
// commit (or roll back) with the caller's transaction, and the writer's notify is not called:
// the caller wakes the relay.
func TestWrapWorksInsideATransactionSomeoneElseCommits(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		for _, fail := range []bool{false, true} {
			id := newID()
			err := f.d.InTx(ctx, func(stx *sqlx.Tx) error {
				tx := &counterTx{work.Wrap(stx, f.d.Dialect)}
				if err := tx.insert(ctx, id, 0); err != nil {
					return err
				}
				if err := tx.Emit(ctx, event(t, id)); err != nil {
					return err
				}
				if fail {
					return errors.New("the caller's own step failed")
				}
				return nil
			})
			if fail != (err != nil) {
				t.Fatalf("fail %v: InTx err %v", fail, err)
			}
		}
		if rows, events := count(t, f.d, "counters"), count(t, f.d, "outbox"); rows != 1 || events != 1 {
			t.Errorf("%d rows and %d events, want the committed transaction's 1 and 1", rows, events)
		}
		if n := f.notified.Load(); n != 0 {
			t.Errorf("the writer was notified %d times for transactions it did not run", n)
		}
	})
}

// TestStatementsAreClassifiedInsideTheUnitOfWork: constraint violations match the
// platform's errors inside fn (so a store can translate them) and after Write; ExecOne is a
// conflict unless exactly one row changed; a missing row is sql.ErrNoRows or, for GetDoc,
// fault.ErrNotFound.
func TestStatementsAreClassifiedInsideTheUnitOfWork(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		a, b := newID(), newID()
		if err := f.w.Write(ctx, func(tx *counterTx) error {
			if err := tx.insert(ctx, a, 0); err != nil {
				return err
			}
			return tx.insert(ctx, b, 0)
		}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			fn   func(tx *counterTx) error
			want error
		}{
			{"a duplicate key is a unique violation", func(tx *counterTx) error { return tx.insert(ctx, a, 1) }, db.ErrUnique},
			{"a negative count is a check violation", func(tx *counterTx) error { return tx.insert(ctx, newID(), -1) }, db.ErrCheck},
			{"an update of no row is a conflict", func(tx *counterTx) error {
				return tx.ExecOne(ctx, "counter", `UPDATE counters SET n = 1 WHERE id = ?`, newID())
			}, fault.ErrConflict},
			{"an update of two rows is a conflict", func(tx *counterTx) error {
				return tx.ExecOne(ctx, "counter", `UPDATE counters SET n = 1 WHERE id IN (?, ?)`, a, b)
			}, fault.ErrConflict},
			{"a read of no row is sql.ErrNoRows", func(tx *counterTx) error {
				var n int
				return tx.Get(ctx, &n, `SELECT n FROM counters WHERE id = ?`, newID())
			}, sql.ErrNoRows},
			{"a document read of no row is not found", func(tx *counterTx) error {
				_, err := work.GetDoc[struct{ ID string }](ctx, tx.Tx, "counters", "counter", newID(), true)
				return err
			}, fault.ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var inside error
				err := f.w.Write(ctx, func(tx *counterTx) error {
					inside = tt.fn(tx)
					return inside
				})
				if !errors.Is(inside, tt.want) {
					t.Errorf("inside the unit of work: err %v, want %v", inside, tt.want)
				}
				if !errors.Is(err, tt.want) {
					t.Errorf("Write: err %v, want %v", err, tt.want)
				}
			})
		}
		var got []struct{ ID string }
		if err := f.w.Write(ctx, func(tx *counterTx) error {
			doc, err := work.GetDoc[struct{ ID string }](ctx, tx.Tx, "counters", "counter", a, false)
			if err != nil {
				return err
			}
			var ns []int
			if err := tx.Select(ctx, &ns, `SELECT n FROM counters ORDER BY id`); err != nil {
				return err
			}
			if len(ns) != 2 {
				t.Errorf("Select read %d rows, want 2", len(ns))
			}
			got = append(got, *doc)
			return nil
		}); err != nil || len(got) != 1 || got[0].ID != a {
			t.Errorf("GetDoc read %v, %v; want the counter %s", got, err, a)
		}
	})
}

// TestConcurrentWritesOfOneRowLoseNoUpdate races read-modify-write units of work on one row:
// every one commits, the count is exact and every event is queued, and the relay was woken
// once per commit.
func TestConcurrentWritesOfOneRowLoseNoUpdate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		id := newID()
		if err := f.w.Write(ctx, func(tx *counterTx) error { return tx.insert(ctx, id, 0) }); err != nil {
			t.Fatal(err)
		}
		const n = 24
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				if err := f.w.Write(ctx, func(tx *counterTx) error {
					if err := tx.bump(ctx, id); err != nil {
						return err
					}
					return tx.Emit(ctx, event(t, id))
				}); err != nil {
					t.Errorf("bump: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		var got int
		if err := f.d.Get(&got, f.d.Rebind(`SELECT n FROM counters WHERE id = ?`), id); err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Errorf("count %d after %d bumps", got, n)
		}
		if events := count(t, f.d, "outbox"); events != n {
			t.Errorf("%d events queued, want %d", events, n)
		}
		if woken := f.notified.Load(); woken != n {
			t.Errorf("relay woken %d times, want %d", woken, n)
		}
	})
}

// TestStatementIsOneClassifiedWriteOfItsOwn: a single statement outside Write commits on its
// own, returns its rows, and reports a constraint violation as the platform's error.
func TestStatementIsOneClassifiedWriteOfItsOwn(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		id := newID()
		var ids []string
		if err := f.w.Statement(ctx, &ids, `INSERT INTO counters (id, n, doc) VALUES (?, ?, '{}') RETURNING id`, id, 0); err != nil || len(ids) != 1 || ids[0] != id {
			t.Fatalf("Statement returned %v, %v; want [%s]", ids, err, id)
		}
		if err := f.w.Statement(ctx, &ids, `INSERT INTO counters (id, n, doc) VALUES (?, ?, '{}') RETURNING id`, id, 0); !errors.Is(err, db.ErrUnique) {
			t.Errorf("the same id again: err %v, want a unique violation", err)
		}
		if got := count(t, f.d, "counters"); got != 1 {
			t.Errorf("%d rows, want 1", got)
		}
		if n := f.notified.Load(); n != 0 {
			t.Errorf("Statement notified %d times: only the caller knows whether it queued events", n)
		}
	})
}
