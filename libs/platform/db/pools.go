package db

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/jmoiron/sqlx"
)

// SQLiteReaders is the size of SQLite's read pool. In WAL mode readers see the last commit and
// run beside the one writer, so a long report no longer holds up writes; a few connections
// cover the cores a small deployment has.
const SQLiteReaders = 4

func openSQLiteReader(ctx context.Context, path string) (*sqlx.DB, error) {
	// query_only makes a write through this pool an error instead of a second writer. Every
	// commit makes a reader drop its page cache; mmap lets it read the pages again from the
	// OS's cache rather than copy them in.
	q := url.Values{}
	for _, p := range []string{"query_only(1)", "busy_timeout(10000)", "foreign_keys(ON)", "mmap_size(268435456)"} {
		q.Add("_pragma", p)
	}
	conn, err := sqlx.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	conn.SetMaxOpenConns(SQLiteReaders)
	conn.SetMaxIdleConns(SQLiteReaders)
	conn.SetConnMaxLifetime(0)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("open sqlite readers %s: %w", path, err)
	}
	return conn, nil
}

// Reader is the pool for reads that stand alone (lists, reports): on SQLite a read-only pool
// beside the single writer connection, so they do not queue behind writes nor writes behind
// them; on PostgreSQL the same pool as writes. A read that must see the transaction's own
// writes belongs in that transaction instead.
func (d *DB) Reader() *sqlx.DB {
	if d.reader != nil {
		return d.reader
	}
	return d.DB
}

// Sibling returns a handle on the same database with its own pool of n connections on
// PostgreSQL, for a background worker (the outbox relay) that must neither take connections
// from requests nor wait behind them. On SQLite, which has one writer anyway, it shares d's
// pools. Close the sibling when done; closing a shared one leaves d open.
func (d *DB) Sibling(ctx context.Context, n int) (*DB, error) {
	if d.Dialect != Postgres {
		return &DB{DB: d.DB, Dialect: d.Dialect, cfg: d.cfg, reader: d.reader, borrowed: true}, nil
	}
	cfg := d.cfg
	cfg.MaxOpenConns = n
	s, err := Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("sibling pool: %w", err)
	}
	return s, nil
}

// Close closes the handle's pools (nothing for a sibling that shares another's).
func (d *DB) Close() error {
	if d.borrowed {
		return nil
	}
	var err error
	if d.reader != nil {
		err = d.reader.Close()
	}
	return errors.Join(err, d.DB.Close())
}
