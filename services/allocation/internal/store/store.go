// Package store keeps the allocation service's records (zones, plots, buildings, units, the
// licence projection, allocation requests and leases) on SQLite or PostgreSQL with the same
// code.
//
// Aggregates are stored whole as a JSON document beside the columns that lists filter and sort
// on, the sweep searches and the database's own rules are written over. Every change runs in
// one write transaction (Store.Write) whose Tx hands the service typed reads and writes; the
// events the change publishes go into the outbox in that same transaction (Tx.Emit), so state
// and events commit together, and the outbox relay is woken after the commit.
//
// # Serialising the writers of a zone
//
// The rules that keep a zone's plan and its leases consistent read several rows and then
// write (no overlapping plots, unique codes, no space let twice). A write transaction
// therefore first locks the zone it changes (Tx.LockZone and the Lock* helpers, SELECT … FOR
// UPDATE on PostgreSQL); every other writer in that zone waits, so the checks and the write
// cannot interleave with another writer's. SQLite has one writer at a time (BEGIN IMMEDIATE on
// a single connection), which serialises the same way. Because the zone row is taken first
// and nothing else is locked before it, writers cannot deadlock.
//
// # Invariants in the database
//
// On PostgreSQL, exclusion constraints refuse two holding leases of one space over
// overlapping days (leases_no_overlap) and a land lease and a unit lease of one plot over
// overlapping days (leases_land_or_units); on SQLite triggers state the same rules under the
// same names. The service checks both rules first to give a precise answer; the database is
// the backstop, and its refusal is reported as the same conflict (see InsertLease).
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

//go:embed migrations
var migrationFS embed.FS

// Migrations are the allocation tables, for both dialects. Run them with outbox.Migrations
// (and consumer.Migrations for the licence consumer).
var Migrations = db.Embedded("allocation", migrationFS, "migrations")

// ErrZoneCodeTaken means another zone is registered under the code.
var ErrZoneCodeTaken = fmt.Errorf("the zone code is already registered: %w", fault.ErrConflict)

// Store is the allocation database.
type Store struct {
	db     *db.DB
	notify func()
}

// New returns a store on d; notify is called after every commit that wrote events, to wake the
// outbox relay (nil for none).
func New(d *db.DB, notify func()) *Store {
	if notify == nil {
		notify = func() {}
	}
	return &Store{db: d, notify: notify}
}

// DB returns the handle, for health checks and the consumer runner.
func (s *Store) DB() *db.DB { return s.db }

// Tx is one write transaction, typed for the allocation records. Get one from Store.Write, or
// wrap a transaction someone else runs (the consumer runner's) with WrapTx.
type Tx struct {
	tx      *sqlx.Tx
	dialect db.Dialect
	emitted int
}

// WrapTx gives the store's typed reads and writes over tx, a transaction of a database of the
// given dialect that the caller commits. The licence consumer uses it inside the consumer
// runner's transaction, so that its changes, their events and the processed-event record
// commit together. Events emitted through it are published at the relay's next poll (nobody
// wakes it at that commit).
func WrapTx(tx *sqlx.Tx, dialect db.Dialect) *Tx { return &Tx{tx: tx, dialect: dialect} }

// Emitted reports how many events the transaction has queued.
func (t *Tx) Emitted() int { return t.emitted }

// Emit queues events in the outbox, in this transaction: they are published if and only if it
// commits.
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

// Write runs fn in one write transaction and commits what it wrote with the events it emitted;
// when fn fails nothing is written. On PostgreSQL a serialization failure or deadlock reruns
// fn (see db.InTx), so fn must do nothing but work through tx. The relay is woken after a
// commit that queued events.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	emitted := false
	err := s.db.InTx(ctx, func(stx *sqlx.Tx) error {
		t := WrapTx(stx, s.db.Dialect)
		if err := fn(t); err != nil {
			return err
		}
		emitted = t.emitted > 0
		return nil
	})
	if err != nil {
		return err
	}
	if emitted {
		s.notify()
	}
	return nil
}

// bind adapts '?' placeholders to the transaction's dialect.
func (t *Tx) bind(q string) string { return db.Bind(t.dialect, q) }

// exec runs a statement in the transaction, classifying driver errors.
func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, t.bind(q), args...)
	return res, db.Classify(err)
}

// execOne runs an UPDATE that must change exactly one row; what names the record for the
// error. The version guard in every UPDATE is belt and braces: the zone is locked, so a lost
// update would be a bug, and it must fail loudly rather than silently.
func (t *Tx) execOne(ctx context.Context, what string, q string, args ...any) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("%s changed concurrently or not changed: %w", what, fault.ErrConflict)
	}
	return nil
}

// docOf encodes an aggregate for the doc column.
func docOf(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
