package consumer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/metrics/metricstest"
)

// TestEveryKnownSeriesExistsAtZeroFromConstruction: the first dead letter of a reason, the first
// redelivery and the first event of a type must be an increase from 0, or increase() and the
// alerts built on it miss them. New creates each such series before any delivery.
func TestEveryKnownSeriesExistsAtZeroFromConstruction(t *testing.T) {
	d := dbtest.Open(t, db.SQLite, Migrations)
	reg := prometheus.NewRegistry()
	if _, err := New(d, fakeJS{}, Config{Name: "c1", Stream: testStream, Handler: recordEffect, Registerer: reg, Types: []string{typeChanged}}); err != nil {
		t.Fatal(err)
	}
	scrape := metricstest.Scrape(t, reg)

	var want []string
	for _, o := range outcomes {
		want = append(want, `zoneops_consumer_events_handled_total{consumer="c1",outcome="`+o+`",type="`+typeChanged+`"}`)
	}
	for _, o := range []string{outcomeDeadLettered, outcomeRetried} {
		want = append(want, `zoneops_consumer_events_handled_total{consumer="c1",outcome="`+o+`",type="unknown"}`)
	}
	for _, r := range reasons {
		want = append(want, `zoneops_consumer_dead_letters_total{consumer="c1",reason="`+r+`"}`)
	}
	want = append(want,
		`zoneops_consumer_redeliveries_total{consumer="c1"}`,
		`zoneops_consumer_handle_duration_seconds_count{consumer="c1"}`,
		`zoneops_event_end_to_end_seconds_count{consumer="c1"}`,
	)
	metricstest.Zero(t, scrape, want...)
	if n := strings.Count(scrape, "\nzoneops_consumer_events_handled_total{"); n != len(outcomes)+2 {
		t.Errorf("%d handled series, want %d: one per outcome of the known type, and undecodable ones", n, len(outcomes)+2)
	}
	// The lag is unknown until the runner has asked NATS: no made-up 0.
	if _, ok := metricstest.Value(scrape, `zoneops_consumer_pending_messages{consumer="c1"}`); ok {
		t.Error("pending gauge set before the consumer was looked at")
	}
}

// TestTheFirstDeadLetterIsAnIncreaseFromZero shows the series an alert reads moving from 0 to
// 1 on the consumer's first dead letter, instead of being born at 1.
func TestTheFirstDeadLetterIsAnIncreaseFromZero(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		poison := func(context.Context, *sqlx.Tx, Event) error { return fmt.Errorf("thing cannot exist: %w", ErrPoison) }
		r, _ := h.start(Config{Name: "poisoned", Handler: poison, Types: []string{typeChanged}})
		series := `zoneops_consumer_dead_letters_total{consumer="poisoned",reason="` + ReasonPoison + `"}`
		metricstest.Zero(t, metricstest.Scrape(t, h.reg), series)
		h.publish(h.event("agg-1", 1, "bad"), "")
		eventually(t, "one dead letter", func() bool { return deadLetters(r, ReasonPoison) == 1 })
		if v, _ := metricstest.Value(metricstest.Scrape(t, h.reg), series); v != "1" {
			t.Fatalf("%s = %s, want 1", series, v)
		}
	}, Migrations, testMigrations)
}
