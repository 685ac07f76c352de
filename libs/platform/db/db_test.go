package db_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jmoiron/sqlx"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
)

var testMigrations = db.Migrations{Name: "test", FS: os.DirFS("testdata/migrations")}

func TestConstraintViolationsAreClassified(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.InTx(ctx, func(tx *sqlx.Tx) error {
			_, err := tx.Exec(tx.Rebind(`INSERT INTO widgets (id, name, weight) VALUES (?, ?, ?)`), "w1", "bolt", 1)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			sql  string
			args []any
			want error
		}{
			{"duplicate name is a unique violation", `INSERT INTO widgets (id, name, weight) VALUES (?, ?, ?)`, []any{"w2", "bolt", 1}, db.ErrUnique},
			{"duplicate key is a unique violation", `INSERT INTO widgets (id, name, weight) VALUES (?, ?, ?)`, []any{"w1", "nut", 1}, db.ErrUnique},
			{"unknown owner is a foreign key violation", `INSERT INTO widgets (id, name, owner_id, weight) VALUES (?, ?, ?, ?)`, []any{"w3", "gear", "nobody", 1}, db.ErrForeignKey},
			{"negative weight is a check violation", `INSERT INTO widgets (id, name, weight) VALUES (?, ?, ?)`, []any{"w4", "cog", -1}, db.ErrCheck},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := d.InTx(ctx, func(tx *sqlx.Tx) error {
					_, err := tx.Exec(tx.Rebind(tt.sql), tt.args...)
					return err
				})
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
			})
		}
	}, testMigrations)
}

func TestFailedTransactionChangesNothing(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.InTx(ctx, func(tx *sqlx.Tx) error {
			if _, err := tx.Exec(tx.Rebind(`INSERT INTO widgets (id, name, weight) VALUES (?, ?, ?)`), "w1", "bolt", 1); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		var n int
		if err := d.Get(&n, `SELECT count(*) FROM widgets`); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("rows = %d after a failed transaction, want 0", n)
		}
	}, testMigrations)
}

// With FOR UPDATE this checks the lock discipline stores rely on, not InTx's retry; that is
// retry_test.go's, which provokes real 40001 and 40P01 failures.
func TestConcurrentIncrementsAreNotLost(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					errs <- d.InTx(ctx, func(tx *sqlx.Tx) error {
						var n int
						q := `SELECT n FROM counter WHERE id = 1`
						if d.Dialect == db.Postgres {
							q += ` FOR UPDATE`
						}
						if err := tx.Get(&n, q); err != nil {
							return err
						}
						_, err := tx.Exec(tx.Rebind(`UPDATE counter SET n = ? WHERE id = 1`), n+1)
						return err
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := d.Get(&n, `SELECT n FROM counter WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if n != workers*each {
			t.Fatalf("counter = %d, want %d", n, workers*each)
		}
	}, testMigrations)
}

func TestMigrationsRunOnceAndInOrder(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			d := dbtest.Open(t, dialect, testMigrations)
			ctx := context.Background()
			// Running again must be a no-op, not a "table exists" failure.
			if err := d.Migrate(ctx, testMigrations); err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
			var n int
			if err := d.Get(&n, `SELECT count(*) FROM schema_migrations WHERE set_name = 'test'`); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Fatalf("recorded migrations = %d, want 2", n)
			}
		})
	}
}

func TestMigrationNamesAreChecked(t *testing.T) {
	bad := db.Migrations{Name: "bad", FS: fstest.MapFS{
		"sqlite/001_a.sql":   {Data: []byte("SELECT 1;")},
		"sqlite/001_b.sql":   {Data: []byte("SELECT 1;")},
		"postgres/001_a.sql": {Data: []byte("SELECT 1;")},
		"postgres/001_b.sql": {Data: []byte("SELECT 1;")},
	}}
	d := dbtest.Open(t, db.SQLite)
	if err := d.Migrate(context.Background(), bad); err == nil {
		t.Fatal("two migrations with one version must be refused")
	}
}

func TestFailedMigrationLeavesNoRecord(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			d := dbtest.Open(t, dialect)
			broken := db.Migrations{Name: "broken", FS: fstest.MapFS{
				"sqlite/001_bad.sql":   {Data: []byte("CREATE TABLE ok1 (id INTEGER); CREATE TABLE ok1 (id INTEGER);")},
				"postgres/001_bad.sql": {Data: []byte("CREATE TABLE ok1 (id INTEGER); CREATE TABLE ok1 (id INTEGER);")},
			}}
			if err := d.Migrate(context.Background(), broken); err == nil {
				t.Fatal("a failing migration must return an error")
			}
			var n int
			if err := d.Get(&n, `SELECT count(*) FROM schema_migrations WHERE set_name = 'broken'`); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatal("a failed migration must not be recorded")
			}
		})
	}
}
