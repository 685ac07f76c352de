package consumer

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/platform/db"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations creates the runner's tables: processed_events (which events each consumer has
// handled) and aggregate_versions (the newest version of each aggregate each consumer has
// applied). A service runs them with its own migrations at start-up.
var Migrations = db.Embedded("consumer", migrationFiles, "migrations")

// markProcessed records that consumer has handled eventID, in tx, and reports false when it
// had already done so. ON CONFLICT DO NOTHING rather than catching the unique violation:
// a failed statement aborts a PostgreSQL transaction, and on PostgreSQL a concurrent insert of
// the same key waits for the other transaction and then does nothing, so two replicas that
// race on one redelivered event cannot both run the handler.
func markProcessed(ctx context.Context, tx *sqlx.Tx, consumer, eventID string, at time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)
		 ON CONFLICT (consumer, event_id) DO NOTHING`), consumer, eventID, at.UTC())
	if err != nil {
		return false, fmt.Errorf("record processed event %s: %w", eventID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record processed event %s: %w", eventID, err)
	}
	return n == 1, nil
}

// Advance records, in tx, that consumerName has seen version of aggregateID and reports whether
// that moves its view of the aggregate forward (version greater than any it recorded before).
// Handlers call it first and skip their effects when it returns false: events of one
// aggregate can arrive out of order (a redelivery after a nak overtakes later ones), and an
// older event must not overwrite newer state. Inside a Runner's handler, Event.Advance is the
// shorter form and also counts the event as stale.
func Advance(ctx context.Context, tx *sqlx.Tx, consumerName, aggregateID string, version int64) (bool, error) {
	// One statement, so that the comparison and the write cannot interleave with another
	// transaction's: the upsert only updates when the stored version is older.
	res, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO aggregate_versions (consumer, aggregate_id, version) VALUES (?, ?, ?)
		 ON CONFLICT (consumer, aggregate_id) DO UPDATE SET version = excluded.version
		 WHERE aggregate_versions.version < excluded.version`), consumerName, aggregateID, version)
	if err != nil {
		return false, fmt.Errorf("advance %s to version %d: %w", aggregateID, version, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("advance %s to version %d: %w", aggregateID, version, err)
	}
	return n > 0, nil
}

// Prune deletes consumer's processed event ids recorded before cutoff and reports how many.
func Prune(ctx context.Context, d *db.DB, consumer string, cutoff time.Time) (int64, error) {
	res, err := d.ExecContext(ctx, d.Rebind(`DELETE FROM processed_events WHERE consumer = ? AND processed_at < ?`),
		consumer, cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("prune processed events of %s: %w", consumer, err)
	}
	return res.RowsAffected()
}
