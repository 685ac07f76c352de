package db

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
)

var extensionName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// EnsureExtension creates the PostgreSQL extension name in d's database unless it is already
// there. It is safe to call from many processes at once: a bare CREATE EXTENSION IF NOT EXISTS
// is not, because two sessions that both see no extension both insert it and the loser fails
// with a unique violation (23505) or duplicate object (42710). Callers serialise on a
// transaction-scoped advisory lock keyed by the name, and a racer that takes no lock (psql, an
// older binary) still counts as success.
func EnsureExtension(ctx context.Context, d *DB, name string) error {
	if d.Dialect != Postgres {
		return fmt.Errorf("ensure extension %s: extensions are PostgreSQL only (dialect %s)", name, d.Dialect)
	}
	if !extensionName.MatchString(name) {
		return fmt.Errorf("ensure extension %q: want lower-case letters, digits and _", name)
	}
	err := d.InTx(ctx, func(tx *sqlx.Tx) error {
		// Advisory locks are per database, as extensions are, so the key needs only the name.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('zoneops.extension.' || $1))`, name); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		// READ COMMITTED takes a fresh snapshot per statement, so after the lock this sees an
		// extension that the previous holder committed.
		_, err := tx.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS `+name)
		return err
	})
	if err != nil && !isPgCode(err, "23505", "42710") {
		return fmt.Errorf("ensure extension %s: %w", name, err)
	}
	return nil
}

// isPgCode reports whether err carries a PostgreSQL error with one of the SQLSTATE codes.
func isPgCode(err error, codes ...string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	for _, c := range codes {
		if pgErr.Code == c {
			return true
		}
	}
	return false
}
