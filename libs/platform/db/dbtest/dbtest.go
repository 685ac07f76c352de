// Package dbtest gives tests a fresh database on every backend: SQLite always, PostgreSQL when
// ZONEOPS_TEST_POSTGRES_DSN is set (each test gets its own schema). Under CI (CI=true) the
// PostgreSQL backend is required: a missing DSN or an unreachable server fails the test instead
// of skipping it, so a green CI run means both backends ran.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// EnvPostgresDSN names the variable that points tests at a PostgreSQL server.
const EnvPostgresDSN = "ZONEOPS_TEST_POSTGRES_DSN"

// Dialects lists the backends this run tests, failing t under CI when PostgreSQL is missing.
func Dialects(t testing.TB) []db.Dialect {
	t.Helper()
	out := []db.Dialect{db.SQLite}
	if os.Getenv(EnvPostgresDSN) != "" {
		out = append(out, db.Postgres)
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: under CI the PostgreSQL suite must run", EnvPostgresDSN)
	}
	return out
}

// ForEachDialect runs fn as a subtest per backend, each with a fresh, migrated database.
func ForEachDialect(t *testing.T, fn func(t *testing.T, d *db.DB), sets ...db.Migrations) {
	t.Helper()
	for _, dialect := range Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			fn(t, Open(t, dialect, sets...))
		})
	}
}

// Open returns a fresh, migrated database of the dialect, removed when the test ends.
func Open(t testing.TB, dialect db.Dialect, sets ...db.Migrations) *db.DB {
	t.Helper()
	ctx := context.Background()
	var cfg db.Config
	switch dialect {
	case db.SQLite:
		cfg = db.Config{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "test.db")}
	case db.Postgres:
		cfg = db.Config{Driver: "postgres", DSN: freshSchema(t), MaxOpenConns: 20}
	default:
		t.Fatalf("dbtest: unknown dialect %q", dialect)
	}
	d, err := db.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx, sets...); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return d
}

// PostgresDSN returns a DSN for a fresh schema on the test server (for tests that open several
// handles on one database, like two service instances), skipping when there is no server
// outside CI.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	if os.Getenv(EnvPostgresDSN) == "" {
		Dialects(t) // fails under CI
		t.Skipf("%s not set", EnvPostgresDSN)
	}
	return freshSchema(t)
}

// freshSchema creates a schema named for the test and returns a DSN whose search_path is it.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgresDSN)
	ctx := context.Background()
	admin, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: base, MaxOpenConns: 1})
	if err != nil {
		t.Fatalf("dbtest: PostgreSQL at %s: %v", EnvPostgresDSN, err)
	}
	defer admin.Close()
	// Extensions live per database, not per schema; services need btree_gist for exclusion
	// constraints, so create it once where every schema can see it. Test binaries start
	// together, so this must be safe under concurrency (EnsureExtension is).
	if err := db.EnsureExtension(ctx, admin, "btree_gist"); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	schema := "t_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	// A failed drop leaves the test's tables on the server for good, so it fails the test
	// rather than pass unnoticed.
	t.Cleanup(func() {
		if err := execAdmin(base, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("dbtest: drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, base, schema)
}

// execAdmin runs one statement on its own short-lived connection to the server of dsn. It is
// bounded so that a drop blocked by a connection a test left in a transaction fails the test
// instead of hanging it.
func execAdmin(dsn, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: 1})
	if err != nil {
		return err
	}
	defer a.Close()
	_, err = a.ExecContext(ctx, stmt)
	return err
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		// key=value form
		return dsn + " search_path=" + schema + ",public"
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
