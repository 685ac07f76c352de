package tenants_test

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/metrics/metricstest"
)

// TestEveryCounterAndHistogramHasItsSeriesAtZeroFromTheStart: alerts built on increase() miss
// the first event of a series born at 1, so the decision metrics of both outcomes and the
// outbox relay's series are on /metrics, at 0, before anything has happened.
func TestEveryCounterAndHistogramHasItsSeriesAtZeroFromTheStart(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		var series []string
		for _, o := range []string{"approved", "rejected"} {
			series = append(series,
				`zoneops_tenants_decisions_late_total{outcome="`+o+`"}`,
				`zoneops_tenants_decision_duration_seconds_count{outcome="`+o+`"}`)
		}
		series = append(series,
			`zoneops_outbox_published_total{mode="batch",relay="tenants"}`,
			`zoneops_outbox_publish_failures_total{relay="tenants"}`,
			`zoneops_outbox_duplicates_total{relay="tenants"}`,
			`zoneops_outbox_commit_to_ack_seconds_count{relay="tenants"}`)
		metricstest.Zero(t, e.Scrape(t), series...)
	})
}

// TestOverdueGaugeRisesPastTheDecisionDateAndLateDecisionsAreCounted: on its decision date an
// application is not yet overdue; the day after, zoneops_tenants_applications_overdue counts
// it, and deciding it takes it off the gauge and counts a late decision of that outcome, an
// increase from 0 that ZoneopsTenantsLateDecisions sees.
func TestOverdueGaugeRisesPastTheDecisionDateAndLateDecisionsAreCounted(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		const (
			overdue      = `zoneops_tenants_applications_overdue`
			lateApproved = `zoneops_tenants_decisions_late_total{outcome="approved"}`
			lateRejected = `zoneops_tenants_decisions_late_total{outcome="rejected"}`
		)
		check := func(when string, want map[string]string) {
			t.Helper()
			m := e.Scrape(t)
			for series, v := range want {
				if got := apitest.Sample(t, m, series); got != v {
					t.Errorf("%s: %s = %s, want %s", when, series, got, v)
				}
			}
		}
		a, b := e.submitted(t, owner), e.submitted(t, stranger)
		check("just submitted", map[string]string{overdue: "0", lateApproved: "0", lateRejected: "0"})

		e.clock.MoveToNoon(t, a.DecisionDue, pkt)
		check("on the decision date", map[string]string{overdue: "0"})

		e.clock.Advance(day)
		check("the day after the decision date", map[string]string{overdue: "2"})

		e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/approve", As: &operator}, 201)
		check("one approved late", map[string]string{overdue: "1", lateApproved: "1", lateRejected: "0"})

		e.Must(t, request{Method: "POST", Path: "/v1/applications/" + b.ID + "/reject", As: &operator,
			Body: map[string]any{"reason": "not a technology business"}}, 200)
		check("both decided late", map[string]string{overdue: "0", lateApproved: "1", lateRejected: "1"})
	})
}
