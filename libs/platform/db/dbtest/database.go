package dbtest

import (
	"context"
	"net/url"
	"os"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// FreshDatabase creates an empty PostgreSQL database on the test server and returns its DSN,
// for tests of processes that name their own schemas (one per service) and so cannot share a
// database with other tests. It is dropped, with any sessions left on it, when the test ends.
// Without a server it skips, or fails under CI, like Dialects.
func FreshDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgresDSN)
	if base == "" {
		Dialects(t) // fails under CI
		t.Skipf("%s not set", EnvPostgresDSN)
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		t.Fatalf("dbtest: FreshDatabase needs %s as a URL (postgres://...), got %q", EnvPostgresDSN, base)
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: base, MaxOpenConns: 1})
	if err != nil {
		t.Fatalf("dbtest: PostgreSQL at %s: %v", EnvPostgresDSN, err)
	}
	name := "zt_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		admin.Close()
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		// FORCE ends sessions a test left open (a pool not yet closed) instead of failing.
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
