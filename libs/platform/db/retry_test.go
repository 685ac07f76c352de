package db_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
)

// retryBed is a migrated PostgreSQL schema seen through two handles: ours runs InTx, other
// plays the concurrent transaction that makes ours fail.
type retryBed struct {
	ours, other *db.DB
	background  chan error // errors of other's transactions that outlive an attempt
	spawned     int        // how many of those were started
}

func newRetryBed(t *testing.T) *retryBed {
	t.Helper()
	dsn := dbtest.PostgresDSN(t)
	b := &retryBed{ours: openPG(t, dsn, 1), other: openPG(t, dsn, 2), background: make(chan error, db.TxAttempts)}
	if err := b.ours.Migrate(context.Background(), testMigrations); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO counter (id, n) VALUES (2, 0)`,
		`INSERT INTO widgets (id, name, weight) VALUES ('w1', 'bolt', 1)`,
	} {
		if _, err := b.ours.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// An attempt is one run of the transaction body; conflict makes it meet a real failure.
type attempt func(ctx context.Context, b *retryBed, tx *sqlx.Tx) error

// increment is the body's own work: add one to counter 1.
func increment(ctx context.Context, _ *retryBed, tx *sqlx.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE counter SET n = n + 1 WHERE id = 1`)
	return err
}

// serializationFailure reads counter 1 under REPEATABLE READ, lets other commit a change to
// it, then writes it: PostgreSQL answers 40001 (could not serialize access due to concurrent
// update).
func serializationFailure(ctx context.Context, b *retryBed, tx *sqlx.Tx) error {
	if _, err := tx.ExecContext(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
		return err
	}
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT n FROM counter WHERE id = 1`); err != nil {
		return err
	}
	if _, err := b.other.ExecContext(ctx, `UPDATE counter SET n = n + 100 WHERE id = 1`); err != nil {
		return fmt.Errorf("other: %w", err)
	}
	return increment(ctx, b, tx)
}

// deadlock locks counter 1 while other holds counter 2, waits for counter 2, and only then
// lets other ask for counter 1. Ours waited first, so its deadlock check fires first and
// PostgreSQL aborts it with 40P01; other then gets counter 1, adds 100 and commits.
func deadlock(ctx context.Context, b *retryBed, tx *sqlx.Tx) error {
	var ourPID int
	if err := tx.GetContext(ctx, &ourPID, `SELECT pg_backend_pid()`); err != nil {
		return err
	}
	otx, err := b.other.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	var otherPID int
	if err := otx.GetContext(ctx, &otherPID, `SELECT pg_backend_pid()`); err != nil {
		otx.Rollback()
		return err
	}
	if _, err := otx.ExecContext(ctx, `UPDATE counter SET n = n WHERE id = 2`); err != nil {
		otx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE counter SET n = n WHERE id = 1`); err != nil {
		otx.Rollback()
		return err
	}
	b.spawned++
	go func() {
		b.background <- func() error {
			defer otx.Rollback()
			if err := waitBlocked(ctx, b.other, ourPID, otherPID); err != nil {
				return err
			}
			if _, err := otx.ExecContext(ctx, `UPDATE counter SET n = n + 100 WHERE id = 1`); err != nil {
				return fmt.Errorf("other: %w", err)
			}
			return otx.Commit()
		}()
	}()
	_, err = tx.ExecContext(ctx, `UPDATE counter SET n = n WHERE id = 2`)
	return err
}

// waitBlocked waits until backend pid waits on a lock that blocker holds.
func waitBlocked(ctx context.Context, d *db.DB, pid, blocker int) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		var blocked bool
		if err := d.GetContext(ctx, &blocked, `SELECT $2::int = ANY(pg_blocking_pids($1::int))`, pid, blocker); err != nil {
			return err
		}
		if blocked {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("backend %d never waited on %d", pid, blocker)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sqlState is the SQLSTATE that err carries, or "".
func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

var errOwn = errors.New("the body's own failure")

func TestInTxRetriesSerializationFailuresAndDeadlocks(t *testing.T) {
	always := func(int) bool { return true }
	firstOnly := func(i int) bool { return i == 1 }
	tests := []struct {
		name         string
		fail         attempt        // the body on attempts where failOn holds
		failOn       func(int) bool // by attempt number, from 1
		provokes     string         // the SQLSTATE the failing attempts must really meet
		wantAttempts int            // runs of the body, counted
		wantErr      error          // nil: InTx succeeds
		wantCode     string         // the SQLSTATE the returned error must still carry
		wantCounter  int            // counter 1 afterwards: ours adds 1 once, other 100 per conflict
	}{
		{"a serialization failure is retried and the retry commits",
			serializationFailure, firstOnly, "40001", 2, nil, "", 101},
		{"a deadlock is retried and the retry commits",
			deadlock, firstOnly, "40P01", 2, nil, "", 101},
		{"a serialization failure on every attempt gives up after the limit, wrapping the cause",
			serializationFailure, always, "40001", db.TxAttempts, db.ErrSerialization, "40001", 100 * db.TxAttempts},
		{"a unique violation is not retried",
			func(ctx context.Context, _ *retryBed, tx *sqlx.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO widgets (id, name, weight) VALUES ('w2', 'bolt', 1)`)
				return err
			}, always, "23505", 1, db.ErrUnique, "23505", 0},
		{"an error of the body's own is not retried",
			func(context.Context, *retryBed, *sqlx.Tx) error { return errOwn }, always, "", 1, errOwn, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newRetryBed(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			attempts, met := 0, []string{}
			err := b.ours.InTx(ctx, func(tx *sqlx.Tx) error {
				attempts++
				if tt.failOn(attempts) {
					err := tt.fail(ctx, b, tx)
					met = append(met, sqlState(err))
					return err
				}
				return increment(ctx, b, tx)
			})
			if tt.wantErr == nil && err != nil {
				t.Fatalf("InTx: %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("InTx error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantCode != "" {
				if sqlState(err) != tt.wantCode {
					t.Fatalf("InTx error %v does not wrap PostgreSQL's SQLSTATE %s", err, tt.wantCode)
				}
			}
			for i, code := range met {
				if code != tt.provokes {
					t.Fatalf("failing attempt %d met SQLSTATE %q, want %q: the test did not provoke what it claims", i+1, code, tt.provokes)
				}
			}
			if attempts != tt.wantAttempts {
				t.Fatalf("attempts = %d, want %d", attempts, tt.wantAttempts)
			}
			for range b.spawned {
				if err := <-b.background; err != nil {
					t.Fatalf("the conflicting transaction: %v", err)
				}
			}
			var n int
			if err := b.ours.GetContext(ctx, &n, `SELECT n FROM counter WHERE id = 1`); err != nil {
				t.Fatal(err)
			}
			if n != tt.wantCounter {
				t.Fatalf("counter = %d, want %d (failed attempts must leave nothing behind)", n, tt.wantCounter)
			}
		})
	}
}
