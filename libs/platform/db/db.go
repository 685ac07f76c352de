// Package db opens the service's database (SQLite for the embedded default, PostgreSQL in
// production) behind sqlx, runs embedded migrations for the right dialect, and runs
// transactions that never swallow a commit error and retry serialization failures.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect names the SQL dialect of a database.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config selects and locates a database.
type Config struct {
	// Driver is "sqlite" or "postgres".
	Driver string
	// DSN is a file path for SQLite or a connection string for PostgreSQL.
	DSN string
	// MaxOpenConns caps PostgreSQL connections (default DefaultMaxConns). SQLite always uses
	// one writer (and a read pool of SQLiteReaders beside it).
	MaxOpenConns int
}

// DefaultMaxConns is the PostgreSQL pool size when Config leaves it at zero: enough for 32
// concurrent requests without queueing for a connection.
const DefaultMaxConns = 32

// DB is a database handle that knows its dialect. Writes (and reads inside a write) go through
// the embedded pool; reads that stand alone may use Reader.
type DB struct {
	*sqlx.DB
	Dialect Dialect

	cfg      Config
	reader   *sqlx.DB // SQLite's read-only pool; nil on PostgreSQL
	borrowed bool     // a Sibling sharing another DB's pools: Close leaves them open
}

func init() {
	// sqlx does not know modernc's driver name; without this, Rebind would leave '?' alone
	// only by accident.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// Open connects to the configured database and checks that it answers.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	switch Dialect(cfg.Driver) {
	case SQLite:
		return openSQLite(ctx, cfg.DSN)
	case Postgres:
		return openPostgres(ctx, cfg)
	default:
		return nil, fmt.Errorf("open database: unknown driver %q (want sqlite or postgres)", cfg.Driver)
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	// WAL lets readers run beside the writer; synchronous=FULL makes a commit durable before it
	// returns; the busy timeout queues writers instead of failing them; _txlock=immediate takes
	// the write lock at BEGIN so that read-modify-write transactions cannot deadlock on upgrade.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	conn, err := sqlx.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// One connection: SQLite has one writer, and a single connection serialises write
	// transactions in Go rather than in busy-wait loops, which keeps invariants simple to hold.
	conn.SetMaxOpenConns(1)
	conn.SetConnMaxLifetime(0)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// The writer has made the file and put it in WAL mode, so the readers can open it.
	reader, err := openSQLiteReader(ctx, path)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &DB{DB: conn, Dialect: SQLite, cfg: Config{Driver: string(SQLite), DSN: path}, reader: reader}, nil
}

func openPostgres(ctx context.Context, cfg Config) (*DB, error) {
	conn, err := sqlx.Open("pgx", cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	n := cfg.MaxOpenConns
	if n <= 0 {
		n = DefaultMaxConns
	}
	conn.SetMaxOpenConns(n)
	conn.SetMaxIdleConns(n)
	conn.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := conn.PingContext(pctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	cfg.MaxOpenConns = n
	return &DB{DB: conn, Dialect: Postgres, cfg: cfg}, nil
}

// TxFunc is the body of a transaction.
type TxFunc func(tx *sqlx.Tx) error

// TxAttempts is how many times InTx runs a transaction that keeps failing to serialize before
// it gives up and returns the last failure.
const TxAttempts = 5

// InTx runs fn in a transaction and commits it. A failed fn rolls back; a failed commit is
// returned, never swallowed. Serialization failures and deadlocks are retried a few times with
// a short backoff, so fn must be safe to run again (it should do nothing but database work).
// The returned error is classified (see Classify).
func (d *DB) InTx(ctx context.Context, fn TxFunc) error {
	var err error
	for i := range TxAttempts {
		err = d.inTxOnce(ctx, fn)
		if !errors.Is(err, ErrSerialization) || i == TxAttempts-1 {
			return err
		}
		// Jittered, so that transactions that deadlocked each other do not retry in step and
		// deadlock again.
		backoff := time.Duration(1<<i) * 5 * time.Millisecond
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(backoff/2 + rand.N(backoff)):
		}
	}
	return err
}

func (d *DB) inTxOnce(ctx context.Context, fn TxFunc) (err error) {
	tx, err := d.BeginTxx(ctx, nil)
	if err != nil {
		return Classify(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			err = errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return Classify(err)
	}
	if err := tx.Commit(); err != nil {
		return Classify(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Ping checks that the database answers; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error { return d.PingContext(ctx) }

// Placeholders returns n comma-separated '?' placeholders for IN lists; Rebind adapts them.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
