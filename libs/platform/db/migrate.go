package db

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Migrations is one named set of embedded SQL migrations. FS holds a directory per dialect,
// "sqlite/" and "postgres/", each with files named NNN_description.sql applied in order of
// NNN. Sets are independent, so platform parts (outbox, idempotency, processed events) and the
// service each bring their own.
type Migrations struct {
	Name string
	FS   fs.FS
}

// Embedded returns the set named name whose files sit under dir in fsys, normally a
// //go:embed directory. A missing dir is a build mistake, so it panics at package init rather
// than failing at start-up.
func Embedded(name string, fsys fs.FS, dir string) Migrations {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("migrations %s: %v", name, err))
	}
	return Migrations{Name: name, FS: sub}
}

type migration struct {
	version int
	name    string
	sql     string
}

func (m Migrations) load(d Dialect) ([]migration, error) {
	dir := string(d)
	entries, err := fs.ReadDir(m.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", m.Name, err)
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migrations %s: %s: name must start with a positive number and '_'", m.Name, e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s: %s and %s share version %d", m.Name, prev, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(m.FS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migrations %s: %w", m.Name, err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate applies every set's migrations that have not run yet, each in its own transaction
// together with its bookkeeping row, so a crash leaves either all of a migration or none.
// On PostgreSQL an advisory lock keeps replicas that start together from racing.
func (d *DB) Migrate(ctx context.Context, sets ...Migrations) error {
	conn, err := d.Connx(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if d.Dialect == Postgres {
		// An arbitrary constant that names "zoneops schema migrations".
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7283401)`); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7283401)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		set_name TEXT NOT NULL,
		version INTEGER NOT NULL,
		name TEXT NOT NULL,
		PRIMARY KEY (set_name, version))`); err != nil {
		return fmt.Errorf("migrate: bookkeeping table: %w", err)
	}
	for _, set := range sets {
		list, err := set.load(d.Dialect)
		if err != nil {
			return err
		}
		var applied []int
		if err := conn.SelectContext(ctx, &applied, d.Rebind(`SELECT version FROM schema_migrations WHERE set_name = ?`), set.Name); err != nil {
			return fmt.Errorf("migrate %s: %w", set.Name, err)
		}
		done := map[int]bool{}
		for _, v := range applied {
			done[v] = true
		}
		for _, m := range list {
			if done[m.version] {
				continue
			}
			if err := applyOne(ctx, conn, d.Dialect, set.Name, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func applyOne(ctx context.Context, conn *sqlx.Conn, d Dialect, set string, m migration) error {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s/%s: %w", set, m.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate %s/%s: %w", set, m.name, err)
	}
	if _, err := tx.ExecContext(ctx, sqlx.Rebind(bindFor(d), `INSERT INTO schema_migrations (set_name, version, name) VALUES (?, ?, ?)`), set, m.version, m.name); err != nil {
		return fmt.Errorf("migrate %s/%s: record: %w", set, m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s/%s: commit: %w", set, m.name, err)
	}
	return nil
}

func bindFor(d Dialect) int {
	if d == Postgres {
		return sqlx.DOLLAR
	}
	return sqlx.QUESTION
}
