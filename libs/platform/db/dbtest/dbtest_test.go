package dbtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
)

// server opens a handle on the test server's own database, skipping without one outside CI.
func server(t *testing.T) *db.DB {
	t.Helper()
	dsn := os.Getenv(dbtest.EnvPostgresDSN)
	if dsn == "" {
		dbtest.Dialects(t) // fails under CI
		t.Skipf("%s not set", dbtest.EnvPostgresDSN)
	}
	d, err := db.Open(context.Background(), db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Every PostgreSQL test gets a schema of its own; a schema left behind would pile up tables on
// the server run after run.
func TestPostgresSchemasAreDroppedWhenTheTestEnds(t *testing.T) {
	srv := server(t)
	tests := []struct {
		name string
		open func(t *testing.T) *db.DB
	}{
		{"Open", func(t *testing.T) *db.DB { return dbtest.Open(t, db.Postgres) }},
		{"PostgresDSN", func(t *testing.T) *db.DB {
			d, err := db.Open(context.Background(), db.Config{Driver: "postgres", DSN: dbtest.PostgresDSN(t)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			return d
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var schema string
			t.Run("inner", func(t *testing.T) {
				d := tt.open(t)
				if _, err := d.Exec(`CREATE TABLE leftover (id int)`); err != nil {
					t.Fatal(err)
				}
				if err := d.Get(&schema, `SELECT current_schema()`); err != nil {
					t.Fatal(err)
				}
			})
			if schema == "" || schema == "public" {
				t.Fatalf("the test ran in schema %q, not one of its own", schema)
			}
			var n int
			if err := srv.Get(&n, `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schema); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatalf("schema %s is still on the server after its test ended", schema)
			}
		})
	}
}

func TestFreshDatabaseIsDroppedWhenTheTestEnds(t *testing.T) {
	srv := server(t)
	var name string
	t.Run("inner", func(t *testing.T) {
		d, err := db.Open(context.Background(), db.Config{Driver: "postgres", DSN: dbtest.FreshDatabase(t), MaxOpenConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Left open on purpose: the drop must not be blocked by a session the test forgot.
		if err := d.Get(&name, `SELECT current_database()`); err != nil {
			t.Fatal(err)
		}
		var base string
		if err := srv.Get(&base, `SELECT current_database()`); err != nil {
			t.Fatal(err)
		}
		if name == base {
			t.Fatalf("FreshDatabase returned the server's own database %s", base)
		}
	})
	var n int
	if err := srv.Get(&n, `SELECT count(*) FROM pg_database WHERE datname = $1`, name); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s is still on the server after its test ended", name)
	}
}
