// Package outbox is the transactional outbox and its relay.
//
// A service writes its events with Add inside the transaction that changes its state, so the
// change and its events commit together or not at all. A Relay then publishes the committed
// rows to JetStream with Nats-Msg-Id set to the event id, waits for the acknowledgement and
// only then deletes the rows. A crash between the acknowledgement and the delete publishes the
// rows again; JetStream's duplicate window drops the copies and consumers' processed-events
// tables are the guarantee beyond it.
//
// # No row is skipped
//
// Ids come from a sequence, but transactions commit in any order: a transaction that took id 5
// can commit after one that took id 6. A relay that remembered "published up to 6" would never
// see 5. The relay therefore keeps no high-water mark: every pass reads the rows still in the
// table in id order, and a row that commits late is simply found by a later pass.
//
// # Per-aggregate order
//
// Events of one aggregate leave in commit order because their ids are in commit order: writers
// of one aggregate serialise on its row (the UPDATE or SELECT ... FOR UPDATE of the
// read-modify-write, which must come before Add), so the second writer takes its outbox ids only
// after the first has committed; SQLite has a single writer, so there ids are always in commit
// order. Any snapshot that holds the later row therefore holds the earlier one, and the relay
// publishes rows in id order, stopping at the first failure so that nothing overtakes a row
// that has not been acknowledged.
//
// # Publishing
//
// Each pass reads up to BatchSize rows and publishes them, cut into runs whose subjects belong
// to one stream, as JetStream atomic batches where the stream allows atomic publish: the
// server fsyncs once per batch instead of once per message, which is the difference between
// about 3,000 and about 30,000 events a second on one disk. A batch has a fixed cost of a few
// milliseconds, so short runs (a trickle of commits, each woken by Notify) go as pipelined
// single publishes instead, which keeps commit-to-ack near one fsync. Batches fall back to single
// publishes when the stream or server does not take atomic batches (nats-server before 2.12,
// a stream without allow_atomic), and when the server refuses a batch because it holds an
// event already in the stream (error 10201, after a crash between ack and delete): single
// publishes report those as duplicates and store the rest.
//
// Acknowledged rows are deleted in bulk (every 100 ms, or once BatchSize of them wait) and are
// skipped by id until then, so a trickle of events does not cost a database commit per pass.
// The delete runs beside the next passes, through the pool, so no read or publish waits for
// its commit; on PostgreSQL it commits without waiting for the WAL flush. Losing a delete in a
// crash costs only a duplicate publish. The depth and age gauges come from the rows a
// pass read, for free unless a backlog fills the pass (then the table is counted once a
// second).
//
// # Limits
//
//   - A row that can never be published (its subject is in no stream, it exceeds the stream's
//     message size) stops the relay at that row: it retries with backoff, counts
//     zoneops_outbox_publish_failures_total and lets zoneops_outbox_oldest_unpublished_age_seconds
//     grow, which is what the alert should watch. Nothing behind it is published out of turn.
//   - JetStream drops a republished event only within the stream's duplicate window (2 minutes
//     by default); a relay that was down longer after a crash between ack and delete publishes
//     those events again, and the consumers' processed-events tables absorb them.
//   - Pipelined single publishes only mark the acknowledged prefix. If the server rejected one
//     message but stored a later one (a per-message limit, such as a full stream that discards
//     new messages), that later event is already ahead of the rejected one in the stream.
//   - On PostgreSQL, Notify wakes only this process's relay; events committed by a replica that
//     is not the leader are found by the leader's next poll (PollInterval).
package outbox

import (
	"context"
	"embed"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations creates the outbox table. Run it with the service's own migrations:
// d.Migrate(ctx, outbox.Migrations, service.Migrations).
var Migrations = db.Embedded("outbox", migrationFiles, "migrations")

// rowsPerInsert bounds one INSERT to 2,000 parameters, well under SQLite's (32,766) and
// PostgreSQL's (65,535) limits, while still writing a typical transaction's events in one
// round trip.
const rowsPerInsert = 500

// Add queues envs for publishing in the caller's transaction, so they commit (or roll back)
// with the state change they describe. Envelopes are published in the order given; each is
// validated and encoded here, so nothing invalid reaches the stream. Call it after the
// statement that locks the aggregate's row (see the package documentation on ordering), and
// call Relay.Notify after the commit.
func Add(ctx context.Context, tx *sqlx.Tx, envs ...envelope.Envelope) error {
	for start := 0; start < len(envs); start += rowsPerInsert {
		chunk := envs[start:min(start+rowsPerInsert, len(envs))]
		values, args, err := Rows(chunk...)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO outbox (`+Columns+`) VALUES `+values), args...); err != nil {
			return fmt.Errorf("outbox: add %d events: %w", len(chunk), db.Classify(err))
		}
	}
	return nil
}

// Columns are the outbox columns Rows fills, in its order.
const Columns = "event_id, subject, aggregate_id, payload"

// Rows validates and encodes envs as outbox rows: values is "(?, ?, ?, ?), ..." (Rebind
// adapts it) and args its arguments. Add uses it; a store that writes a change and its events
// in one statement (a data-modifying WITH on PostgreSQL, saving round trips) uses it to put
// the events in that statement, keeping the commit-together guarantee Add gives. Keep envs to
// at most 500 rows per statement.
func Rows(envs ...envelope.Envelope) (values string, args []any, err error) {
	var q strings.Builder
	args = make([]any, 0, 4*len(envs))
	for i, e := range envs {
		payload, err := envelope.Encode(e)
		if err != nil {
			return "", nil, fmt.Errorf("outbox: event %q: %w", e.ID, err)
		}
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?)")
		// The payload is stored as text: encoded JSON never holds a NUL byte, and text
		// keeps the table readable with psql or sqlite3.
		args = append(args, e.ID, envelope.Subject(e.Type), e.AggregateID, string(payload))
	}
	return q.String(), args, nil
}
