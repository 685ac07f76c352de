package outbox_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

func TestAddQueuesEveryEnvelopeInTheCallersTransaction(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		bad := event(t, testType, "agg-bad", 1)
		bad.SpecVersion = "0.3"
		tests := []struct {
			name    string
			envs    []envelope.Envelope
			fail    bool // the transaction body returns an error after Add
			wantErr bool
			wantAdd int
		}{
			{name: "no envelopes is a no-op", envs: nil, wantAdd: 0},
			{name: "one envelope is one row", envs: events(t, "agg-1", 1, 1), wantAdd: 1},
			{name: "many envelopes span several inserts", envs: events(t, "agg-2", 1, 1200), wantAdd: 1200},
			{name: "rows roll back with the transaction", envs: events(t, "agg-3", 1, 3), fail: true, wantErr: true},
			{name: "an invalid envelope is refused and nothing is queued", envs: append(events(t, "agg-4", 1, 2), bad), wantErr: true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := pending(t, d)
				err := d.InTx(ctx, func(tx *sqlx.Tx) error {
					if err := outbox.Add(ctx, tx, tt.envs...); err != nil {
						return err
					}
					if tt.fail {
						return errors.New("state change failed")
					}
					return nil
				})
				if (err != nil) != tt.wantErr {
					t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
				}
				if got := pending(t, d) - before; got != tt.wantAdd {
					t.Fatalf("queued %d rows, want %d", got, tt.wantAdd)
				}
			})
		}
	}, outbox.Migrations)
}

func TestAddStoresRowsInTheOrderGiven(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		envs := events(t, "agg", 1, 700) // more than one INSERT statement
		add(t, d, envs...)
		var rows []struct {
			EventID string `db:"event_id"`
			Subject string `db:"subject"`
			Agg     string `db:"aggregate_id"`
			Payload []byte `db:"payload"`
		}
		if err := d.Select(&rows, `SELECT event_id, subject, aggregate_id, payload FROM outbox ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(envs) {
			t.Fatalf("rows = %d, want %d", len(rows), len(envs))
		}
		for i, rw := range rows {
			if rw.EventID != envs[i].ID || rw.Agg != "agg" || rw.Subject != "zoneops.tenants.licence.granted" {
				t.Fatalf("row %d = %s %s %s, want %s agg zoneops.tenants.licence.granted", i, rw.EventID, rw.Agg, rw.Subject, envs[i].ID)
			}
			got, err := envelope.Parse(rw.Payload)
			if err != nil || got.ID != envs[i].ID {
				t.Fatalf("row %d payload does not parse back to its envelope: %v", i, err)
			}
		}
	}, outbox.Migrations)
}

func TestAddRefusesTheSameEventTwice(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		e := event(t, testType, "agg", 1)
		add(t, d, e)
		err := d.InTx(context.Background(), func(tx *sqlx.Tx) error {
			return outbox.Add(context.Background(), tx, e)
		})
		if !errors.Is(err, db.ErrUnique) {
			t.Fatalf("err = %v, want a unique violation", err)
		}
	}, outbox.Migrations)
}
