package db_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
)

// openPG opens a handle with its own connections on dsn, closed when the test ends.
func openPG(t *testing.T, dsn string, conns int) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: conns})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func extensionExists(t *testing.T, d *db.DB, name string) bool {
	t.Helper()
	var n int
	if err := d.Get(&n, `SELECT count(*) FROM pg_extension WHERE extname = $1`, name); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// A fresh database has no btree_gist; the first test binaries to start all create it at once.
func TestEnsureExtensionIsSafeWhenManySessionsCreateItAtOnce(t *testing.T) {
	const sessions = 8
	dsn := dbtest.FreshDatabase(t)
	ctx := context.Background()
	handles := make([]*db.DB, sessions)
	for i := range handles {
		handles[i] = openPG(t, dsn, 1)
	}
	if extensionExists(t, handles[0], "btree_gist") {
		t.Fatal("a fresh database already has btree_gist: the test would prove nothing")
	}
	start := make(chan struct{})
	errs := make([]error, sessions)
	var wg sync.WaitGroup
	for i, h := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = db.EnsureExtension(ctx, h, "btree_gist")
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("session %d: %v", i, err)
		}
	}
	if !extensionExists(t, handles[0], "btree_gist") {
		t.Fatal("btree_gist missing after EnsureExtension")
	}
	// Once it exists, calling again is a no-op.
	if err := db.EnsureExtension(ctx, handles[0], "btree_gist"); err != nil {
		t.Fatalf("second call: %v", err)
	}
}

// A session that takes no advisory lock (psql, an older binary) can still insert the extension
// under our feet: our CREATE then waits on its uncommitted row and fails with 23505 once it
// commits. That is the extension existing, so it is success.
func TestEnsureExtensionAcceptsARacerThatTakesNoLock(t *testing.T) {
	dsn := dbtest.FreshDatabase(t)
	ctx := context.Background()
	racer, ours, watch := openPG(t, dsn, 1), openPG(t, dsn, 1), openPG(t, dsn, 1)

	tx, err := racer.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE EXTENSION btree_gist`); err != nil {
		t.Fatal(err)
	}
	var racerPID int
	if err := tx.Get(&racerPID, `SELECT pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() { done <- db.EnsureExtension(ctx, ours, "btree_gist") }()

	// Commit only once our call is blocked behind the racer, so that it really meets the
	// racer's row rather than an extension already committed.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var blocked int
		if err := watch.Get(&blocked, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND $1 = ANY(pg_blocking_pids(pid))`, racerPID); err != nil {
			t.Fatal(err)
		}
		if blocked > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("EnsureExtension returned (%v) before the racer committed", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("EnsureExtension never waited on the racer's uncommitted extension")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("EnsureExtension after a lock-free racer: %v", err)
	}
	if !extensionExists(t, watch, "btree_gist") {
		t.Fatal("btree_gist missing")
	}
}

func TestEnsureExtensionRefusesWhatItCannotCreate(t *testing.T) {
	ctx := context.Background()
	pg := openPG(t, dbtest.FreshDatabase(t), 1)
	sqlite := dbtest.Open(t, db.SQLite)
	tests := []struct {
		name string
		d    *db.DB
		ext  string
	}{
		{"a name that is not an identifier", pg, "btree_gist; DROP TABLE x"},
		{"an extension the server does not have", pg, "no_such_extension"},
		{"a SQLite database", sqlite, "btree_gist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.EnsureExtension(ctx, tt.d, tt.ext); err == nil {
				t.Fatal("EnsureExtension succeeded")
			}
		})
	}
}
