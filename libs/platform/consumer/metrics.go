package consumer

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	platformmetrics "github.com/zoneops/zoneops/libs/platform/metrics"
)

// Outcomes of handling one delivery, the values of the outcome label.
const (
	outcomeProcessed    = "processed"
	outcomeDuplicate    = "duplicate"
	outcomeStale        = "stale"
	outcomeRetried      = "retried"
	outcomeDeadLettered = "dead_lettered"
)

// outcomes are every value of the outcome label.
var outcomes = []string{outcomeProcessed, outcomeDuplicate, outcomeStale, outcomeRetried, outcomeDeadLettered}

// reasons are every value of the dead letters' reason label.
var reasons = []string{ReasonDecode, ReasonInvalid, ReasonPoison, ReasonMaxDeliver}

// unknownType labels deliveries that did not decode: the type attribute of garbage is not a
// bounded value.
const unknownType = "unknown"

// metrics are the runner's RED metrics. Several runners in one service share the vectors
// through the registry and tell themselves apart by the consumer label.
type metrics struct {
	handled      *prometheus.CounterVec   // consumer, type, outcome
	duration     *prometheus.HistogramVec // consumer
	redeliveries *prometheus.CounterVec   // consumer
	deadLetters  *prometheus.CounterVec   // consumer, reason
	pending      *prometheus.GaugeVec     // consumer
	endToEnd     *prometheus.HistogramVec // consumer
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoneops_consumer_events_handled_total",
			Help: "Deliveries handled by a consumer, by event type and outcome (processed, duplicate, stale, retried, dead_lettered).",
		}, []string{"consumer", "type", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "zoneops_consumer_handle_duration_seconds",
			Help:    "Time to handle one delivery, from receipt to ack, nak or dead letter.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12), // 1ms .. ~60s
		}, []string{"consumer"}),
		redeliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoneops_consumer_redeliveries_total",
			Help: "Deliveries that were not the first delivery of their message.",
		}, []string{"consumer"}),
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoneops_consumer_dead_letters_total",
			Help: "Messages moved to the dead-letter stream, by reason (decode, invalid, poison, max_deliver).",
		}, []string{"consumer", "reason"}),
		pending: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "zoneops_consumer_pending_messages",
			Help: "Messages in the stream that the consumer has not yet been delivered (its lag), refreshed periodically.",
		}, []string{"consumer"}),
		endToEnd: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "zoneops_event_end_to_end_seconds",
			Help:    "Time from an event's envelope time to its processing by the consumer.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12), // 5ms .. ~5min
		}, []string{"consumer"}),
	}
	var err error
	if m.handled, err = register(reg, m.handled); err != nil {
		return nil, err
	}
	if m.duration, err = register(reg, m.duration); err != nil {
		return nil, err
	}
	if m.redeliveries, err = register(reg, m.redeliveries); err != nil {
		return nil, err
	}
	if m.deadLetters, err = register(reg, m.deadLetters); err != nil {
		return nil, err
	}
	if m.pending, err = register(reg, m.pending); err != nil {
		return nil, err
	}
	if m.endToEnd, err = register(reg, m.endToEnd); err != nil {
		return nil, err
	}
	return m, nil
}

// init creates consumer's series at zero, so that its first redelivery, dead letter or event
// of a type is an increase that alerts see (see platformmetrics.Init). Undecodable deliveries
// have the type "unknown" and are dead-lettered, or retried when the dead-letter publish fails.
// The pending gauge is left unset until the first look at the consumer: 0 would claim a lag
// nobody has measured.
func (m *metrics) init(consumer string, types []string) {
	one := []string{consumer}
	platformmetrics.Init(m.handled.WithLabelValues, one, types, outcomes)
	platformmetrics.Init(m.handled.WithLabelValues, one, []string{unknownType}, []string{outcomeDeadLettered, outcomeRetried})
	platformmetrics.Init(m.duration.WithLabelValues, one)
	platformmetrics.Init(m.redeliveries.WithLabelValues, one)
	platformmetrics.Init(m.deadLetters.WithLabelValues, one, reasons)
	platformmetrics.Init(m.endToEnd.WithLabelValues, one)
}

// register registers c, or returns the collector already registered under its name, so that
// every consumer of a service reports into the same metric family.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}
