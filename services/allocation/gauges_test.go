package allocation

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// TestZoneGaugesAreReadAtMostOncePerTTL shows the occupancy gauges per zone, and that a scrape
// within gaugeTTL of the last one serves the same figures instead of reading every plot again.
func TestZoneGaugesAreReadAtMostOncePerTTL(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		st := store.New(d, nil)
		svc := service.New(st, service.DefaultPolicy(), clock, nil)
		op := service.Principal{Subject: "op", Role: "operator"}
		if _, err := svc.RegisterZone(ctx, op, zoning.ZoneInput{Code: "ISB", Name: "Islamabad", Province: "islamabad_capital_territory", DeveloperTenantID: "01936b2e-0000-7000-8000-000000000001"}); err != nil {
			t.Fatal(err)
		}
		reg := prometheus.NewRegistry()
		newGauges(reg, st, slog.New(slog.DiscardHandler), clock)
		want := func(n string) string {
			return "\n# HELP zoneops_allocation_zone_requests_waiting Allocation requests of a zone waiting for an offer or an answer.\n" +
				"# TYPE zoneops_allocation_zone_requests_waiting gauge\n" +
				`zoneops_allocation_zone_requests_waiting{zone="ISB"} ` + n + "\n"
		}
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want("0")), "zoneops_allocation_zone_requests_waiting"); err != nil {
			t.Fatal(err)
		}
		// A second zone within the TTL is not seen yet; after it, it is.
		if _, err := svc.RegisterZone(ctx, op, zoning.ZoneInput{Code: "LHR", Name: "Lahore", Province: "punjab", DeveloperTenantID: "01936b2e-0000-7000-8000-000000000001"}); err != nil {
			t.Fatal(err)
		}
		if n := testutil.CollectAndCount(reg, "zoneops_allocation_zone_occupancy_ratio"); n != 1 {
			t.Fatalf("within the TTL: %d zones, want the cached 1", n)
		}
		now = now.Add(gaugeTTL)
		if n := testutil.CollectAndCount(reg, "zoneops_allocation_zone_occupancy_ratio"); n != 2 {
			t.Fatalf("after the TTL: %d zones, want 2", n)
		}
	}, Definition().AllMigrations()...)
}
