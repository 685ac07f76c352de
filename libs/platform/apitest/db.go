package apitest

import (
	"context"
	"testing"

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
