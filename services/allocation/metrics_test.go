package allocation_test

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/metrics/metricstest"
	licences "github.com/zoneops/zoneops/services/allocation/internal/consumer"
)

// TestEveryCounterAndHistogramHasItsSeriesAtZeroFromTheStart: alerts built on increase() miss
// the first event of a series born at 1 (ZoneopsDeadLetters would not fire for the licence
// consumer's first dead letter), so before any event the consumer has a series at 0 for each
// licence event type and outcome, each dead-letter reason and its redeliveries, and the outbox
// relay has all of its own.
func TestEveryCounterAndHistogramHasItsSeriesAtZeroFromTheStart(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		c := `consumer="` + licences.Name + `"`
		var series []string
		types := licences.Types()
		if len(types) < 7 {
			t.Fatalf("licence event types %v: want every licence event of the registry", types)
		}
		for _, typ := range types {
			for _, o := range []string{"processed", "duplicate", "stale", "retried", "dead_lettered"} {
				series = append(series, `zoneops_consumer_events_handled_total{`+c+`,outcome="`+o+`",type="`+typ+`"}`)
			}
		}
		for _, r := range []string{"decode", "invalid", "poison", "max_deliver"} {
			series = append(series, `zoneops_consumer_dead_letters_total{`+c+`,reason="`+r+`"}`)
		}
		series = append(series,
			`zoneops_consumer_redeliveries_total{`+c+`}`,
			`zoneops_consumer_handle_duration_seconds_count{`+c+`}`,
			`zoneops_event_end_to_end_seconds_count{`+c+`}`,
			`zoneops_outbox_published_total{mode="batch",relay="allocation"}`,
			`zoneops_outbox_publish_failures_total{relay="allocation"}`,
			`zoneops_outbox_commit_to_ack_seconds_count{relay="allocation"}`)
		metricstest.Zero(t, e.Scrape(t), series...)
	})
}
