package consumer

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
)

func TestPruneForgetsOnlyOldIDsOfItsOwnConsumer(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		rows := []struct {
			consumer, id string
			at           time.Time
		}{
			{"alloc", "old-1", now.Add(-40 * 24 * time.Hour)},
			{"alloc", "old-2", now.Add(-31*24*time.Hour - 500*time.Millisecond)},
			{"alloc", "recent", now.Add(-29 * 24 * time.Hour)},
			{"other", "old-other", now.Add(-40 * 24 * time.Hour)},
		}
		if err := d.InTx(ctx, func(tx *sqlx.Tx) error {
			for _, r := range rows {
				if _, err := markProcessed(ctx, tx, r.consumer, r.id, r.at); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		n, err := Prune(ctx, d, "alloc", now.Add(-30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("pruned %d rows, want 2", n)
		}
		var left []string
		if err := d.Select(&left, `SELECT event_id FROM processed_events ORDER BY event_id`); err != nil {
			t.Fatal(err)
		}
		if len(left) != 2 || left[0] != "old-other" || left[1] != "recent" {
			t.Fatalf("left %v, want [old-other recent]", left)
		}
	}, Migrations)
}
