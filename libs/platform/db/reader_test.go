package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
)

func insertWidget(ctx context.Context, d *db.DB, id string) error {
	return d.InTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO widgets (id, name, weight) VALUES (?, ?, ?)`), id, "w-"+id, 1)
		return err
	})
}

// TestAWriteCommitsWhileAReadIsOpen: a read on the read pool (here a transaction held open, as
// a slow report would) does not hold up a write, and the write is visible to the next read.
func TestAWriteCommitsWhileAReadIsOpen(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rtx, err := d.Reader().BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer rtx.Rollback()
		var n int
		if err := rtx.GetContext(ctx, &n, `SELECT count(*) FROM widgets`); err != nil {
			t.Fatal(err)
		}

		// On one shared connection this write would wait for the read to end; it must not.
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := insertWidget(wctx, d, "w1"); err != nil {
			t.Fatalf("write while a read is open: %v", err)
		}
		if err := rtx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if err := d.Reader().GetContext(ctx, &n, `SELECT count(*) FROM widgets`); err != nil || n != 1 {
			t.Fatalf("read after the commit: %d widgets, %v; want 1", n, err)
		}
	}, testMigrations)
}

// TestReadsAndWritesRunConcurrently: readers on the read pool and writers interleave (the race
// detector watches the pools), every write lands, and a reader never sees a count going back.
func TestReadsAndWritesRunConcurrently(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const writers, each, readers = 4, 20, 4
		var wg sync.WaitGroup
		errs := make(chan error, writers+readers)
		done := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if err := insertWidget(ctx, d, fmt.Sprintf("w%d-%d", w, i)); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		var rg sync.WaitGroup
		for range readers {
			rg.Add(1)
			go func() {
				defer rg.Done()
				last := 0
				for {
					var n int
					if err := d.Reader().GetContext(ctx, &n, `SELECT count(*) FROM widgets`); err != nil {
						errs <- err
						return
					}
					if n < last {
						errs <- fmt.Errorf("count went back from %d to %d", last, n)
						return
					}
					last = n
					select {
					case <-done:
						return
					default:
					}
				}
			}()
		}
		wg.Wait()
		close(done)
		rg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		var n int
		if err := d.Reader().GetContext(ctx, &n, `SELECT count(*) FROM widgets`); err != nil || n != writers*each {
			t.Fatalf("%d widgets, %v; want %d", n, err, writers*each)
		}
	}, testMigrations)
}

func TestTheSQLiteReadPoolRefusesWrites(t *testing.T) {
	d := dbtest.Open(t, db.SQLite, testMigrations)
	_, err := d.Reader().Exec(`INSERT INTO widgets (id, name, weight) VALUES ('w1', 'bolt', 1)`)
	if err == nil {
		t.Fatal("a write through the read pool succeeded; want it refused (query_only)")
	}
}

// TestASiblingHasItsOwnPoolAndOutlivesNothing: closing a sibling leaves the handle it came
// from open; on PostgreSQL the sibling's connections are its own.
func TestASiblingHasItsOwnPoolAndOutlivesNothing(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := d.Sibling(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := insertWidget(ctx, s, "w1"); err != nil {
			t.Fatal(err)
		}
		own := s.DB != d.DB
		if want := d.Dialect == db.Postgres; own != want {
			t.Fatalf("sibling has its own pool = %v on %s, want %v", own, d.Dialect, want)
		}
		if own && s.Stats().MaxOpenConnections != 1 {
			t.Fatalf("sibling pool of %d connections, want 1", s.Stats().MaxOpenConnections)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.GetContext(ctx, &n, `SELECT count(*) FROM widgets`); err != nil || n != 1 {
			t.Fatalf("after closing the sibling: %d widgets, %v; want 1", n, err)
		}
	}, testMigrations)
}
