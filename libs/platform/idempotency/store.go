// Package idempotency makes creating requests safe to retry: a request carrying an
// Idempotency-Key runs once, and every retry with the same key gets the first answer. The key
// is reserved in its own committed transaction before the request runs, so two concurrent
// duplicates can never both execute; the second is told the first is still in progress.
package idempotency

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/platform/db"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations creates the idempotency_keys table. Services that use the middleware pass it to
// db.Migrate alongside their own migrations.
var Migrations = db.Embedded("idempotency", migrationFiles, "migrations")

// Outcome is what Reserve found for a key.
type Outcome int

// Outcomes of Reserve.
const (
	// Reserved: the caller now holds the key and must run the request, then Complete or Release.
	Reserved Outcome = iota + 1
	// Replay: the key was answered before; Reservation.Response is that answer.
	Replay
	// InProgress: another request holds the key and has not answered yet.
	InProgress
	// Mismatch: the key was used for a different request.
	Mismatch
)

// String names the outcome for logs.
func (o Outcome) String() string {
	switch o {
	case Reserved:
		return "reserved"
	case Replay:
		return "replay"
	case InProgress:
		return "in progress"
	case Mismatch:
		return "mismatch"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Response is a stored answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Reservation is the result of Reserve.
type Reservation struct {
	Outcome Outcome
	// Token proves ownership of a Reserved key to Complete and Release, so that a request whose
	// reservation went stale and was taken over cannot overwrite the new owner's answer.
	Token    string
	Response Response // set for Replay
}

// ErrLockLost is returned by Complete and Release when the reservation is no longer the
// caller's: it went stale and another request took the key over.
var ErrLockLost = errors.New("idempotency: reservation was taken over")

// StoreOptions tunes a Store. Zero values take the defaults.
type StoreOptions struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	// LockTimeout is how long a reservation holds without an answer before a retry may take it
	// over, on the assumption that its request died with its process (default 2 minutes). It
	// must exceed the longest a create request can run, or a slow request could run twice.
	LockTimeout time.Duration
	// Retention is how long an answer is kept and replayed (default 24 hours). After that the
	// key may be used afresh, and Purge deletes it.
	Retention time.Duration
}

// Store keeps reservations and answers in the idempotency_keys table.
type Store struct {
	db          *db.DB
	now         func() time.Time
	lockTimeout time.Duration
	retention   time.Duration
}

// NewStore returns a store on d, which must have Migrations applied.
func NewStore(d *db.DB, opts StoreOptions) *Store {
	s := &Store{db: d, now: opts.Now, lockTimeout: opts.LockTimeout, retention: opts.Retention}
	if s.now == nil {
		s.now = time.Now
	}
	if s.lockTimeout <= 0 {
		s.lockTimeout = 2 * time.Minute
	}
	if s.retention <= 0 {
		s.retention = 24 * time.Hour
	}
	return s
}

type row struct {
	RequestHash string         `db:"request_hash"`
	LockToken   sql.NullString `db:"lock_token"`
	Status      int            `db:"status"`
	Headers     string         `db:"headers"`
	Body        []byte         `db:"body"`
	CreatedAt   int64          `db:"created_at"`
}

// Reserve claims key within scope for a request whose hash is requestHash, or reports why it
// cannot. It commits before returning, so that a concurrent duplicate sees the reservation.
func (s *Store) Reserve(ctx context.Context, scope, key, requestHash string) (Reservation, error) {
	token, err := newToken()
	if err != nil {
		return Reservation{}, err
	}
	var out Reservation
	err = s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		out = Reservation{}
		now := s.now().UnixMilli()
		// A few rounds, because a row seen conflicting can be released or taken over before it
		// is read; each round either settles or sees a newer state.
		for range 3 {
			// ON CONFLICT DO NOTHING rather than a plain INSERT: on PostgreSQL a failed INSERT
			// aborts the transaction, and the existing row still has to be read. On PostgreSQL
			// it also waits for a concurrent uncommitted insert of the same key to finish.
			res, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO idempotency_keys
				(scope, idempotency_key, request_hash, lock_token, status, headers, created_at)
				VALUES (?, ?, ?, ?, 0, '{}', ?)
				ON CONFLICT (scope, idempotency_key) DO NOTHING`),
				scope, key, requestHash, token, now)
			if err != nil {
				return fmt.Errorf("reserve: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("reserve: %w", err)
			} else if n == 1 {
				out = Reservation{Outcome: Reserved, Token: token}
				return nil
			}
			var r row
			err = tx.GetContext(ctx, &r, tx.Rebind(`SELECT request_hash, lock_token, status, headers, body, created_at
				FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?`), scope, key)
			if errors.Is(err, sql.ErrNoRows) {
				continue // released meanwhile: try to insert again
			}
			if err != nil {
				return fmt.Errorf("reserve: read existing: %w", err)
			}
			done, err := s.settle(ctx, tx, scope, key, requestHash, token, now, r, &out)
			if err != nil || done {
				return err
			}
		}
		// Still contended after several rounds: another request is busy with this key.
		out = Reservation{Outcome: InProgress}
		return nil
	})
	if err != nil {
		return Reservation{}, fmt.Errorf("idempotency: %w", err)
	}
	return out, nil
}

// settle decides what an existing row means for this request. It returns done=false when a
// takeover lost a race and the caller should look again.
func (s *Store) settle(ctx context.Context, tx *sqlx.Tx, scope, key, requestHash, token string, now int64, r row, out *Reservation) (bool, error) {
	inProgress := r.LockToken.Valid
	expired := now-r.CreatedAt >= s.retention.Milliseconds()
	stale := inProgress && now-r.CreatedAt >= s.lockTimeout.Milliseconds()
	switch {
	case expired:
		// Past retention the old answer is forgotten, whatever request it was for.
	case r.RequestHash != requestHash:
		*out = Reservation{Outcome: Mismatch}
		return true, nil
	case inProgress && !stale:
		*out = Reservation{Outcome: InProgress}
		return true, nil
	case !inProgress:
		var h http.Header
		if err := json.Unmarshal([]byte(r.Headers), &h); err != nil {
			return false, fmt.Errorf("reserve: stored headers: %w", err)
		}
		*out = Reservation{Outcome: Replay, Response: Response{Status: r.Status, Header: h, Body: r.Body}}
		return true, nil
	}
	// Take over an expired answer or a stale reservation. The WHERE clause repeats what was
	// read (compare-and-swap), so of two requests taking over at once only one succeeds.
	res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE idempotency_keys
		SET request_hash = ?, lock_token = ?, status = 0, headers = '{}', body = NULL, created_at = ?, completed_at = NULL
		WHERE scope = ? AND idempotency_key = ? AND created_at = ? AND status = ?`),
		requestHash, token, now, scope, key, r.CreatedAt, r.Status)
	if err != nil {
		return false, fmt.Errorf("reserve: take over: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("reserve: take over: %w", err)
	}
	if n == 1 {
		*out = Reservation{Outcome: Reserved, Token: token}
		return true, nil
	}
	return false, nil
}

// Complete stores resp as the answer for a key reserved with token.
func (s *Store) Complete(ctx context.Context, scope, key, token string, resp Response) error {
	h := resp.Header
	if h == nil {
		h = http.Header{}
	}
	headers, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("idempotency: complete: %w", err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{} // NULL would read back as "no body" just the same, but keep it explicit
	}
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE idempotency_keys
			SET status = ?, headers = ?, body = ?, lock_token = NULL, completed_at = ?
			WHERE scope = ? AND idempotency_key = ? AND lock_token = ?`),
			resp.Status, string(headers), body, s.now().UnixMilli(), scope, key, token)
		return owned(res, err, "complete")
	})
}

// Release gives up a key reserved with token without storing an answer, so that a retry runs
// the request afresh (after a 5xx, whose outcome the client cannot rely on).
func (s *Store) Release(ctx context.Context, scope, key, token string) error {
	return s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM idempotency_keys
			WHERE scope = ? AND idempotency_key = ? AND lock_token = ?`), scope, key, token)
		return owned(res, err, "release")
	})
}

func owned(res sql.Result, err error, op string) error {
	if err != nil {
		return fmt.Errorf("idempotency: %s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("idempotency: %s: %w", op, err)
	}
	if n == 0 {
		return ErrLockLost
	}
	return nil
}

// Purge deletes keys reserved longer ago than the retention period and reports how many. Run
// it periodically; rows past retention are ignored by Reserve anyway, so Purge only saves space.
func (s *Store) Purge(ctx context.Context) (int64, error) {
	cutoff := s.now().Add(-s.retention).UnixMilli()
	var n int64
	err := s.db.InTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM idempotency_keys WHERE created_at <= ?`), cutoff)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("idempotency: purge: %w", err)
	}
	return n, nil
}

func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("idempotency: token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
