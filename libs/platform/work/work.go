// Package work is the unit of work every service store writes through: one database
// transaction in which the service reads and writes through typed methods and queues the
// events of the change in the outbox, so that state and events commit together or not at all.
//
// A store declares its own transaction type, a struct around *Tx that carries the store's
// reads and writes, and embeds a Writer of it, which gives it Write:
//
//	type Tx struct{ *work.Tx }
//	type Store struct{ *work.Writer[Tx] }
//	func New(d *db.DB, notify func()) *Store { return &Store{work.NewWriter[Tx](d, notify)} }
//
// Tx binds '?' placeholders to the database's dialect and classifies driver errors (see
// db.Classify) on every statement, so a store can translate a constraint violation into its
// own error with errors.Is and no store classifies or opens a transaction itself.
package work

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

// Writer runs units of work on one database and wakes the outbox relay after a commit that
// queued events. T is the store's transaction type, a struct around *Tx.
type Writer[T ~struct{ *Tx }] struct {
	db     *db.DB
	notify func()
}

// NewWriter returns a Writer on d. notify is called after every commit that queued events (the
// relay's Notify; nil for none).
func NewWriter[T ~struct{ *Tx }](d *db.DB, notify func()) *Writer[T] {
	if notify == nil {
		notify = func() {}
	}
	return &Writer[T]{db: d, notify: notify}
}

// DB returns the database handle, for reads outside a write (db.Reader), health checks and
// the consumer runner.
func (w *Writer[T]) DB() *db.DB { return w.db }

// Notify wakes the relay. Write calls it itself; only a store that commits events outside
// Write (a single statement that is its own transaction) calls it, after that commit.
func (w *Writer[T]) Notify() { w.notify() }

// Statement runs q as one statement outside Write, on the write pool: atomic on its own,
// placeholders bound to the dialect, driver errors classified, the rows it returns read into
// dest (a pointer to a slice). It is for a write that saves round trips by being a single
// statement (a data-modifying WITH that also fills the outbox, see outbox.Rows); call Notify
// after one that queued events.
func (w *Writer[T]) Statement(ctx context.Context, dest any, q string, args ...any) error {
	return db.Classify(w.db.SelectContext(ctx, dest, db.Bind(w.db.Dialect, q), args...))
}

// Write runs fn in one write transaction and commits what it wrote with the events it
// emitted; when fn fails nothing is written and nothing is emitted. A serialization failure
// or deadlock reruns fn on a fresh transaction (see db.InTx), so fn must do nothing but work
// through its Tx. The relay is woken after a commit that queued events.
func (w *Writer[T]) Write(ctx context.Context, fn func(tx *T) error) error {
	emitted := false
	err := w.db.InTx(ctx, func(stx *sqlx.Tx) error {
		t := Wrap(stx, w.db.Dialect)
		if err := fn(&T{t}); err != nil {
			return err
		}
		emitted = t.emitted > 0
		return nil
	})
	if err != nil {
		return err
	}
	if emitted {
		w.notify()
	}
	return nil
}

// Tx is one write transaction: statements bound to its dialect with classified errors, and
// the outbox.
type Tx struct {
	tx      *sqlx.Tx
	dialect db.Dialect
	emitted int
}

// Wrap gives a Tx over tx, a transaction of a database of dialect d that someone else runs
// and commits (a consumer runner, whose handler's changes, events and processed-event record
// commit together). Nothing is notified at that commit by Wrap: the runner's owner wakes the
// relay (consumer.Config.AfterCommit).
func Wrap(tx *sqlx.Tx, d db.Dialect) *Tx { return &Tx{tx: tx, dialect: d} }

// Dialect is the database's SQL dialect, for the statements that differ.
func (t *Tx) Dialect() db.Dialect { return t.dialect }

// Exec runs a statement with '?' placeholders.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, db.Bind(t.dialect, q), args...)
	return res, db.Classify(err)
}

// ExecOne runs a statement that must change exactly one row (an UPDATE guarded by the
// record's version); what names the record. Any other count is fault.ErrConflict: under the
// row or database lock a lost update would be a bug, and it must fail loudly, not silently.
func (t *Tx) ExecOne(ctx context.Context, what, q string, args ...any) error {
	res, err := t.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("%s changed concurrently or not changed: %w", what, fault.ErrConflict)
	}
	return nil
}

// Get reads one row into dest (sql.ErrNoRows when there is none).
func (t *Tx) Get(ctx context.Context, dest any, q string, args ...any) error {
	return db.Classify(t.tx.GetContext(ctx, dest, db.Bind(t.dialect, q), args...))
}

// Select reads every row into dest, a pointer to a slice.
func (t *Tx) Select(ctx context.Context, dest any, q string, args ...any) error {
	return db.Classify(t.tx.SelectContext(ctx, dest, db.Bind(t.dialect, q), args...))
}

// Emit queues events in the outbox, in this transaction: they are published if and only if it
// commits, in the order given. Emit after the statement that locks the aggregate's row, so
// that events of one aggregate leave in commit order (see package outbox).
func (t *Tx) Emit(ctx context.Context, envs ...envelope.Envelope) error {
	if len(envs) == 0 {
		return nil
	}
	if err := outbox.Add(ctx, t.tx, envs...); err != nil {
		return fmt.Errorf("queue events: %w", err)
	}
	t.emitted += len(envs)
	return nil
}

// Emitted reports how many events the transaction has queued.
func (t *Tx) Emitted() int { return t.emitted }

// GetDoc reads the JSON document of the row of table with the id into a new T (db.GetDoc);
// lock takes the row for update. A missing row is fault.ErrNotFound naming what.
func GetDoc[T any](ctx context.Context, t *Tx, table, what, id string, lock bool) (*T, error) {
	return db.GetDoc[T](ctx, t.tx, t.dialect, table, what, id, lock)
}
