package apitest_test

import (
	"context"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
)

// TestVersionedSeesAnUpdateThatRowsAloneWouldMiss: the fingerprint of a versioned table moves
// when a row's version does, though the count of rows stays.
func TestVersionedSeesAnUpdateThatRowsAloneWouldMiss(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, q := range []string{
			`CREATE TABLE things (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)`,
			`INSERT INTO things (id, version) VALUES (1, 1), (2, 1)`,
		} {
			if _, err := d.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		take := func() [3]int64 {
			var f [3]int64
			apitest.Fingerprint(t, d, apitest.Rows("things", &f[0]), apitest.Versioned("things", &f[1], &f[2]))
			return f
		}
		if got := take(); got != [3]int64{2, 2, 2} {
			t.Fatalf("fingerprint %v, want 2 rows and versions summing to 2", got)
		}
		if _, err := d.ExecContext(ctx, `UPDATE things SET version = 2 WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if got := take(); got != [3]int64{2, 2, 3} {
			t.Errorf("after an update: fingerprint %v, want the rows unchanged and the versions at 3", got)
		}
	})
}
