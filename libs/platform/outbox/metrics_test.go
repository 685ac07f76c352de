package outbox_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/metrics/metricstest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

// TestEverySeriesOfARelayExistsAtZeroFromConstruction: the first publish failure or duplicate
// must be an increase from 0, or increase() and rate() (ZoneopsOutboxPublishFailing) miss it.
// Every label of the relay's vectors is known when it is made (its name, the two publish
// modes), so all of its series are there before it runs; two relays on one registry each have
// their own.
func TestEverySeriesOfARelayExistsAtZeroFromConstruction(t *testing.T) {
	d := dbtest.Open(t, db.SQLite, outbox.Migrations)
	reg := prometheus.NewRegistry()
	for _, name := range []string{"tenants", "allocation"} {
		outbox.NewRelay(d, nil, outbox.Options{Registerer: reg, Name: name})
	}
	scrape := metricstest.Scrape(t, reg)
	for _, name := range []string{"tenants", "allocation"} {
		l := `{relay="` + name + `"}`
		metricstest.Zero(t, scrape,
			`zoneops_outbox_published_total{mode="batch",relay="`+name+`"}`,
			`zoneops_outbox_published_total{mode="single",relay="`+name+`"}`,
			"zoneops_outbox_duplicates_total"+l,
			"zoneops_outbox_publish_failures_total"+l,
			"zoneops_outbox_commit_to_ack_seconds_count"+l,
			"zoneops_outbox_depth"+l,
			"zoneops_outbox_oldest_unpublished_age_seconds"+l,
			"zoneops_outbox_relay_leader"+l,
			`zoneops_outbox_relay_phase_seconds_count{phase="read",relay="`+name+`"}`,
			`zoneops_outbox_relay_phase_seconds_count{phase="publish",relay="`+name+`"}`,
			`zoneops_outbox_relay_phase_seconds_count{phase="delete",relay="`+name+`"}`,
		)
	}
}
