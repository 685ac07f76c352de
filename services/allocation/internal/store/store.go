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
	"embed"
	"encoding/json"
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/work"
)

//go:embed migrations
var migrationFS embed.FS

// Migrations are the allocation tables, for both dialects. Run them with outbox.Migrations
// (and consumer.Migrations for the licence consumer).
var Migrations = db.Embedded("allocation", migrationFS, "migrations")

// ErrZoneCodeTaken means another zone is registered under the code.
var ErrZoneCodeTaken = fmt.Errorf("the zone code is already registered: %w", fault.ErrConflict)

// Store is the allocation database. Write (from work.Writer) runs one unit of work.
type Store struct{ *work.Writer[Tx] }

// New returns a store on d; notify is called after every commit that wrote events, to wake the
// outbox relay (nil for none).
func New(d *db.DB, notify func()) *Store {
	return &Store{work.NewWriter[Tx](d, notify)}
}

// Tx is one write transaction, typed for the allocation records. Get one from Store.Write, or
// wrap a transaction someone else runs (the consumer runner's): &Tx{work.Wrap(tx, dialect)}.
type Tx struct{ *work.Tx }

// docOf encodes an aggregate for the doc column.
func docOf(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
