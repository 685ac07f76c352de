package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
)

// TestRunOnPostgreSQLKeepsASchemaPerService is the all-in-one process in production's shape:
// `zoneops run --demo` on a PostgreSQL database (here a fresh one, as the schema names are the
// services' own) seeds the demo through the APIs; each service's tables, its outbox among them,
// live in a schema named after it and nowhere else; no SQLite file is made; and a restart on the
// same database finds the data there and adds nothing.
func TestRunOnPostgreSQLKeepsASchemaPerService(t *testing.T) {
	dsn := dbtest.FreshDatabase(t)
	env := map[string]string{"ZONEOPS_POSTGRES_DSN": dsn, "ZONEOPS_INSECURE_DEV_AUTH": "true"}
	dir := t.TempDir()

	first := startZoneopsWith(t, dir, env, "--demo")
	first.waitFor(t, "demo data ready", 90*time.Second)
	if out := first.stdout.String(); !strings.Contains(out, "(a schema per service)") {
		t.Errorf("banner does not name the PostgreSQL database:\n%s", out)
	}
	info, err := cli.ReadRuntimeInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := readDemoFigures(t, info)
	if f.zones != 9 || f.plots != 12 || f.units != 6 || f.licences != 4 || f.leases != 3 {
		t.Errorf("demo on PostgreSQL: %d zones, %d plots, %d units, %d licences, %d leases; want 9, 12, 6, 4, 3",
			f.zones, f.plots, f.units, f.licences, f.leases)
	}
	first.stop(t)

	tables := tablesBySchema(t, dsn)
	for _, schema := range []string{"tenants", "allocation"} {
		if !strings.Contains(" "+strings.Join(tables[schema], " ")+" ", " outbox ") {
			t.Errorf("schema %s holds %v, want the service's tables with its own outbox", schema, tables[schema])
		}
	}
	for schema, names := range tables {
		if schema != "tenants" && schema != "allocation" {
			t.Errorf("tables %v in schema %s: every table belongs in its service's schema", names, schema)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.db")); len(files) > 0 {
		t.Errorf("SQLite files %v made while running on PostgreSQL", files)
	}

	second := startZoneopsWith(t, dir, env, "--demo")
	second.waitFor(t, "already seeded", 90*time.Second)
	if info, err = cli.ReadRuntimeInfo(dir); err != nil {
		t.Fatal(err)
	}
	if again := readDemoFigures(t, info); fmt.Sprint(again) != fmt.Sprint(f) {
		t.Errorf("after a restart on the same database: %+v\nbefore: %+v", again, f)
	}
	second.stop(t)
}

// tablesBySchema lists the base tables of every user schema of the database at dsn.
func tablesBySchema(t *testing.T, dsn string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, db.Config{Driver: string(db.Postgres), DSN: dsn, MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var rows []struct {
		Schema string `db:"table_schema"`
		Name   string `db:"table_name"`
	}
	if err := d.SelectContext(ctx, &rows, `SELECT table_schema, table_name FROM information_schema.tables
		WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
		ORDER BY 1, 2`); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.Schema] = append(out[r.Schema], r.Name)
	}
	return out
}
