// Package worktest sets up the tests of stores written through package work: a fresh
// database per backend (dbtest), migrated with the outbox and the store's own tables, and a
// way to race writers against it.
package worktest

import (
	"sync"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

// ForEachDialect runs fn as a subtest per backend of dbtest.Dialects with the store newStore
// makes on a fresh database migrated with outbox.Migrations and sets.
func ForEachDialect[S any](t *testing.T, newStore func(d *db.DB) S, fn func(t *testing.T, st S, d *db.DB), sets ...db.Migrations) {
	t.Helper()
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		fn(t, newStore(d), d)
	}, append([]db.Migrations{outbox.Migrations}, sets...)...)
}

// Open returns a fresh database of the dialect migrated with outbox.Migrations and sets,
// removed when the test ends.
func Open(t testing.TB, dialect db.Dialect, sets ...db.Migrations) *db.DB {
	t.Helper()
	return dbtest.Open(t, dialect, append([]db.Migrations{outbox.Migrations}, sets...)...)
}

// Race runs fn(0) to fn(n-1) on n goroutines released at the same moment, so that they contend
// for the database, and returns when all have returned.
func Race(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}
