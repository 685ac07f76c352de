package outbox

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Publish modes, the values of the "mode" label: one atomic batch per round trip, or one
// message per acknowledgement (the fallback).
const (
	modeBatch  = "batch"
	modeSingle = "single"
)

// Phases of the relay's work, the values of the "phase" label: reading a pass's rows,
// publishing them (until JetStream acknowledged the last), and deleting acknowledged rows.
const (
	phaseRead    = "read"
	phasePublish = "publish"
	phaseDelete  = "delete"
)

// metrics are one relay's series. Every vector has the "relay" label (Options.Name), so that
// several relays (several services in one process) share one registry.
type metrics struct {
	depth           prometheus.Gauge
	oldestAge       prometheus.Gauge
	leader          prometheus.Gauge
	publishedBatch  prometheus.Counter
	publishedSingle prometheus.Counter
	duplicates      prometheus.Counter
	failures        prometheus.Counter
	commitToAck     prometheus.Observer
	phases          map[string]prometheus.Observer
}

// phase records how long one phase took since began.
func (m *metrics) phase(name string, began time.Time) {
	m.phases[name].Observe(time.Since(began).Seconds())
}

func newMetrics(reg prometheus.Registerer, name string) *metrics {
	depth := register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "zoneops_outbox_depth",
		Help: "Outbox rows not yet acknowledged by JetStream, as last counted by the relay leader (0 on followers; aggregate with max).",
	}, []string{"relay"}))
	age := register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "zoneops_outbox_oldest_unpublished_age_seconds",
		Help: "Age of the oldest outbox row not yet acknowledged by JetStream, as last measured by the relay leader (0 when empty).",
	}, []string{"relay"}))
	leader := register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "zoneops_outbox_relay_leader",
		Help: "1 while this replica is the one relaying the outbox, else 0.",
	}, []string{"relay"}))
	published := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zoneops_outbox_published_total",
		Help: "Outbox events acknowledged by JetStream and removed from the outbox, by publish mode (batch or single).",
	}, []string{"relay", "mode"}))
	duplicates := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zoneops_outbox_duplicates_total",
		Help: "Publishes JetStream reported as duplicates: events already in the stream, published again after a crash between ack and delete.",
	}, []string{"relay"}))
	failures := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zoneops_outbox_publish_failures_total",
		Help: "Publish attempts that failed (NATS unavailable, no stream for the subject, no ack in time); the rows stay and are retried with backoff.",
	}, []string{"relay"}))
	latency := register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "zoneops_outbox_commit_to_ack_seconds",
		Help:    "Time from writing an outbox row (its created_at, a moment before commit) to JetStream's acknowledgement.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16), // 0.5 ms .. 16 s
	}, []string{"relay"}))
	phase := register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "zoneops_outbox_relay_phase_seconds",
		Help:    "Time the relay spends per pass in each phase: read (the rows), publish (until the last ack) and delete (the acknowledged rows, off the publishing path).",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16), // 0.1 ms .. 3.3 s
	}, []string{"relay", "phase"}))
	phases := map[string]prometheus.Observer{}
	for _, p := range []string{phaseRead, phasePublish, phaseDelete} {
		phases[p] = phase.WithLabelValues(name, p)
	}
	return &metrics{
		phases:          phases,
		depth:           depth.WithLabelValues(name),
		oldestAge:       age.WithLabelValues(name),
		leader:          leader.WithLabelValues(name),
		publishedBatch:  published.WithLabelValues(name, modeBatch),
		publishedSingle: published.WithLabelValues(name, modeSingle),
		duplicates:      duplicates.WithLabelValues(name),
		failures:        failures.WithLabelValues(name),
		commitToAck:     latency.WithLabelValues(name),
	}
}

// register adds c to reg, or returns the collector already registered under the same
// description, so that a second relay (another name) on one registry shares the vectors. A nil
// registry leaves the metrics unregistered. Any other registration error is a programming
// mistake (a clashing metric elsewhere) and panics, as MustRegister would.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}
