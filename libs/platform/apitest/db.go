package apitest

import (
	"context"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// Count is one query of a database fingerprint, whose single row is scanned into Into.
type Count struct {
	Query string
	Into  []any
}

// Fingerprint runs every count against d, failing t on the first that does not scan. A test
// takes a fingerprint of everything a request can write before and after a request that must
// change nothing.
func Fingerprint(t testing.TB, d *db.DB, counts ...Count) {
	t.Helper()
	ctx := context.Background()
	for _, c := range counts {
		if err := d.QueryRowxContext(ctx, c.Query).Scan(c.Into...); err != nil {
			t.Fatalf("%s: %v", c.Query, err)
		}
	}
}

// Written is the part of a fingerprint that every service shares: the events it has committed
// and the idempotency keys it holds. It is comparable, so a service's fingerprint embeds it.
type Written struct {
	// Events is the stream's length once the relay has emptied the outbox, so an event a request
	// queued is counted once whether or not it has been published yet.
	Events uint64
	// Keys, KeysAnswered, KeysStatus and KeysReserved sum up the idempotency keys: how many,
	// how many answered, the sum of their answers' statuses and the latest reservation time.
	Keys, KeysAnswered, KeysStatus, KeysReserved int64
}

// TakeWritten waits until the relay has emptied d's outbox, then reads the length of stream and
// d's idempotency keys. Counting the outbox's rows instead would race the relay, which deletes
// them as it publishes.
func TakeWritten(t testing.TB, d *db.DB, js jetstream.JetStream, stream string) Written {
	t.Helper()
	var pending int64
	Eventually(t, "the relay to empty the outbox", func() bool {
		Fingerprint(t, d, Count{Into: []any{&pending}, Query: `SELECT count(*) FROM outbox`})
		return pending == 0
	})
	var w Written
	n, err := StreamLen(js, stream)
	if err != nil {
		t.Fatalf("length of stream %s: %v", stream, err)
	}
	w.Events = n
	Fingerprint(t, d, Count{
		Into:  []any{&w.Keys, &w.KeysAnswered, &w.KeysStatus, &w.KeysReserved},
		Query: `SELECT count(*), count(completed_at), COALESCE(sum(status), 0), COALESCE(max(created_at), 0) FROM idempotency_keys`,
	})
	return w
}
