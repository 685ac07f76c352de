// Package consumer runs a durable JetStream pull consumer whose handler's effects and the
// record that the event was processed commit in one database transaction, before the message
// is acknowledged. A redelivery therefore changes nothing; transient failures are retried with
// backoff; messages that can never be handled go to the dead-letter stream with the reason,
// and the consumer moves on.
//
// A service wires one Runner per durable consumer:
//
//	r, err := consumer.New(d, js, consumer.Config{
//		Name:           "allocation-licences", // as allocation learns of licences
//		Stream:         "TENANTS",
//		FilterSubjects: []string{"zoneops.tenants.licence.>"},
//		Decode:         registry.Decode, // the events registry's strict decoder
//		Handler: func(ctx context.Context, tx *sqlx.Tx, ev consumer.Event) error {
//			if forward, err := ev.Advance(ctx, tx); err != nil || !forward {
//				return err // an older event arriving late changes nothing
//			}
//			return store.ApplyLicence(ctx, tx, ev.Payload)
//		},
//		Logger: log, Registerer: reg, Now: clock.Now,
//	})
//	...
//	go r.Run(ctx)
//
// The service runs consumer.Migrations with its own at start-up.
package consumer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/dlq"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// Handler applies one event using tx, the transaction that also records the event as
// processed. It must do nothing but database work in tx (InTx may run it again after a
// serialization failure) and must not use the database handle outside tx: on SQLite the one
// connection is held by tx. Return an error wrapping ErrPoison or fault.ErrInvalid when a retry
// cannot help; any other error is retried with backoff.
type Handler func(ctx context.Context, tx *sqlx.Tx, ev Event) error

// Decoder turns message bytes into an envelope and its typed payload. Any error it returns
// dead-letters the message, because the same bytes fail the same way every time.
type Decoder func(data []byte) (envelope.Envelope, any, error)

// Config configures a Runner.
type Config struct {
	// Name is the durable consumer name, also the key of this consumer's rows in
	// processed_events and aggregate_versions. It must be one NATS subject token.
	Name string
	// Stream is the stream to consume, e.g. "TENANTS".
	Stream string
	// FilterSubjects narrows the stream to the subjects this consumer handles.
	FilterSubjects []string
	// MaxDeliver is the delivery at which a transient failure is dead-lettered (default 10).
	MaxDeliver int
	// Backoff is the nak delay after a failed delivery attempt (default DefaultBackoff).
	Backoff func(attempt int) time.Duration
	// AckWait is how long the server waits for an ack before redelivering, and also the
	// longest a handler may run (default 30s).
	AckWait time.Duration
	// Batch is how many messages one pull fetches (default 10). They are handled one at a
	// time, in order.
	Batch int
	// Decode decodes the message (default envelope.Parse, with a nil payload). Services pass
	// the events registry's strict decoder.
	Decode Decoder
	// Types are the event types the consumer expects (those FilterSubjects select). They are
	// not enforced; they name the series of zoneops_consumer_events_handled_total that exist,
	// at zero, from the start, so that the first event of a type is an increase alerts see.
	Types []string
	// Handler applies one event. Required.
	Handler Handler
	// Logger receives the runner's logs (default: discarded).
	Logger *slog.Logger
	// Registerer receives the metrics (default: a private registry nobody scrapes).
	Registerer prometheus.Registerer
	// Now is the clock (default time.Now).
	Now func() time.Time
	// LagInterval is how often the pending-messages gauge is refreshed (default 15s).
	LagInterval time.Duration
	// DeadLetterReplicas is the replica count of the dead-letter stream the runner ensures
	// (default 1; 3 in a cluster).
	DeadLetterReplicas int
	// AfterCommit, when set, is called after each event's effects commit; a service passes its
	// outbox relay's Notify so that events the handler wrote leave at once, not at the next poll.
	AfterCommit func()
	// Retention is how long processed event ids are kept to recognise redeliveries (default
	// 30 days). It must outlast any redelivery: JetStream's are minutes, and an outbox relay
	// republishing after a crash is seconds to hours. Dead-lettered events are not recorded as
	// processed, so replaying an old dead letter is unaffected.
	Retention time.Duration
}

// Event is one decoded delivery, as the handler sees it.
type Event struct {
	Envelope envelope.Envelope
	// Payload is what Config.Decode returned for the data (nil with the default decoder).
	Payload any
	// Delivered counts deliveries of this message, 1 on the first.
	Delivered int

	consumer string
	st       *eventState
}

// eventState carries what a handler tells the runner back through Event, which is passed by
// value.
type eventState struct {
	stale bool
}

// Advance records this event's aggregate version for the consumer and reports whether it moves
// the consumer's view of the aggregate forward. When it returns false the handler should
// return nil without applying anything: the event is older than what was already applied, is
// still recorded as processed, and is counted with outcome "stale".
func (e Event) Advance(ctx context.Context, tx *sqlx.Tx) (bool, error) {
	ok, err := Advance(ctx, tx, e.consumer, e.Envelope.AggregateID, e.Envelope.AggregateVersion)
	if err == nil && !ok && e.st != nil {
		e.st.stale = true
	}
	return ok, err
}

// Runner consumes one durable consumer. Create it with New and start it with Run.
type Runner struct {
	db      *db.DB
	js      jetstream.JetStream
	cfg     Config
	log     *slog.Logger
	m       *metrics
	running atomic.Bool
}

// Defaults for Config.
const (
	defaultMaxDeliver  = 10
	defaultAckWait     = 30 * time.Second
	defaultBatch       = 10
	defaultLagInterval = 15 * time.Second
	defaultRetention   = 30 * 24 * time.Hour
	pruneEvery         = time.Hour
)

// Pull timing. A pull waits up to fetchWait for messages and asks the server for heartbeats,
// so that a vanished server ends the pull after fetchHeartbeat*2 instead of at its expiry.
const (
	fetchWait      = 5 * time.Second
	fetchHeartbeat = time.Second
)

// New checks cfg, fills in defaults and registers the metrics. It does not touch NATS; Run does.
func New(d *db.DB, js jetstream.JetStream, cfg Config) (*Runner, error) {
	switch {
	case d == nil:
		return nil, errors.New("consumer: nil database")
	case js == nil:
		return nil, errors.New("consumer: nil JetStream")
	case cfg.Name == "" || strings.ContainsAny(cfg.Name, ".*> \t\r\n"):
		return nil, fmt.Errorf("consumer: name %q must be one non-empty subject token", cfg.Name)
	case cfg.Stream == "":
		return nil, fmt.Errorf("consumer %s: empty stream", cfg.Name)
	case cfg.Handler == nil:
		return nil, fmt.Errorf("consumer %s: nil handler", cfg.Name)
	}
	if cfg.MaxDeliver <= 0 {
		cfg.MaxDeliver = defaultMaxDeliver
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = defaultAckWait
	}
	if cfg.Batch <= 0 {
		cfg.Batch = defaultBatch
	}
	if cfg.Decode == nil {
		cfg.Decode = parseEnvelope
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registerer == nil {
		cfg.Registerer = prometheus.NewRegistry()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Retention <= 0 {
		cfg.Retention = defaultRetention
	}
	if cfg.LagInterval <= 0 {
		cfg.LagInterval = defaultLagInterval
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, fmt.Errorf("consumer %s: metrics: %w", cfg.Name, err)
	}
	m.init(cfg.Name, cfg.Types)
	return &Runner{
		db:  d,
		js:  js,
		cfg: cfg,
		log: cfg.Logger.With("consumer", cfg.Name, "stream", cfg.Stream),
		m:   m,
	}, nil
}

func parseEnvelope(data []byte) (envelope.Envelope, any, error) {
	e, err := envelope.Parse(data)
	return e, nil, err
}

// Name returns the durable consumer name.
func (r *Runner) Name() string { return r.cfg.Name }

// Run ensures the dead-letter stream and the durable consumer, then handles messages until ctx
// is cancelled. On cancellation it stops pulling, finishes the message in hand (with a context
// that outlives ctx by at most AckWait), naks the rest of the pulled batch so that another
// replica gets them at once, and returns nil. NATS outages are waited out: Run keeps retrying
// with backoff and does not return an error for them.
func (r *Runner) Run(ctx context.Context) error {
	if !r.running.CompareAndSwap(false, true) {
		return fmt.Errorf("consumer %s: already running", r.cfg.Name)
	}
	defer r.running.Store(false)

	cons, ok := r.ensure(ctx)
	if !ok {
		return nil
	}
	// The gauge and the prune run apart: on SQLite a prune waits for the connection a handler
	// holds, and the gauge must not freeze behind it.
	var background sync.WaitGroup
	background.Go(func() { r.refreshLag(ctx) })
	background.Go(func() { r.pruneProcessed(ctx) })
	defer background.Wait()

	r.log.Info("consumer started")
	failures := 0
	for ctx.Err() == nil {
		err := r.pull(ctx, cons)
		if err == nil {
			failures = 0
			continue
		}
		if ctx.Err() != nil {
			break
		}
		failures++
		r.log.Warn("pull failed; retrying", "err", err, "failures", failures)
		if !sleep(ctx, retryDelay(failures)) {
			break
		}
		// The consumer may be gone (a server that lost its state, an operator's delete);
		// declaring it again is idempotent and cheap.
		if cons, ok = r.ensure(ctx); !ok {
			break
		}
	}
	r.log.Info("consumer stopped")
	return nil
}

// ensure declares the dead-letter stream and the durable consumer, retrying until it works or
// ctx ends (false). A missing source stream is retried too: in the all-in-one process the
// producing service may declare its stream after this consumer starts.
func (r *Runner) ensure(ctx context.Context) (jetstream.Consumer, bool) {
	for attempt := 1; ; attempt++ {
		cons, err := r.ensureOnce(ctx)
		if err == nil {
			return cons, true
		}
		if ctx.Err() != nil {
			return nil, false
		}
		r.log.Warn("cannot declare consumer; retrying", "err", err, "attempt", attempt)
		if !sleep(ctx, retryDelay(attempt)) {
			return nil, false
		}
	}
}

func (r *Runner) ensureOnce(ctx context.Context) (jetstream.Consumer, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := dlq.EnsureStream(ctx, r.js, r.cfg.DeadLetterReplicas); err != nil {
		return nil, err
	}
	return natsx.EnsureConsumer(ctx, r.js, natsx.ConsumerSpec{
		Stream:         r.cfg.Stream,
		Durable:        r.cfg.Name,
		FilterSubjects: r.cfg.FilterSubjects,
		AckWait:        r.cfg.AckWait,
		// The server must never stop redelivering on its own: the runner dead-letters at
		// cfg.MaxDeliver, and if that publish fails the message has to come back for another
		// try. A server-side limit would silently drop it from the consumer instead.
		MaxDeliver: -1,
	})
}

// pull fetches one batch and handles it message by message.
func (r *Runner) pull(ctx context.Context, cons jetstream.Consumer) error {
	batch, err := cons.Fetch(r.cfg.Batch, jetstream.FetchMaxWait(fetchWait), jetstream.FetchHeartbeat(fetchHeartbeat))
	if err != nil {
		return err
	}
	msgs := batch.Messages()
	for {
		// Checked before every message, not only in the select, which would pick at random
		// between a cancelled ctx and a ready message.
		if ctx.Err() != nil {
			r.release(msgs)
			return nil
		}
		select {
		case <-ctx.Done():
		case msg, open := <-msgs:
			if !open {
				// nil when the pull simply expired; ErrNoHeartbeat when the server went away.
				return batch.Error()
			}
			r.handle(ctx, msg)
		}
	}
}

// release naks the messages of a batch that will not be handled because the runner is
// stopping, so they are redelivered now rather than after AckWait. It does not wait for the
// pull to expire: a message the server sends after this is left to AckWait.
func (r *Runner) release(msgs <-chan jetstream.Msg) {
	for {
		select {
		case msg, open := <-msgs:
			if !open {
				return
			}
			if err := msg.Nak(); err != nil {
				r.log.Debug("nak on shutdown failed; the message returns after AckWait", "err", err)
			}
		default:
			return
		}
	}
}

// handle runs one delivery to its end: acked, nak'ed with a delay, or dead-lettered.
func (r *Runner) handle(runCtx context.Context, msg jetstream.Msg) {
	// Shutdown must not abort a message halfway (its transaction would roll back and its ack
	// would be lost), but a handler must not run past AckWait either: by then the server has
	// redelivered the message.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(runCtx), r.cfg.AckWait)
	defer cancel()
	start := r.cfg.Now()

	meta, err := msg.Metadata()
	if err != nil {
		// Not a JetStream delivery; nothing to ack. Cannot happen with a pull consumer.
		r.log.Error("delivery without metadata", "subject", msg.Subject(), "err", err)
		return
	}
	delivered := int(meta.NumDelivered)
	if delivered > 1 {
		r.m.redeliveries.WithLabelValues(r.cfg.Name).Inc()
	}
	log := r.log.With("stream_seq", meta.Sequence.Stream, "delivered", delivered)

	ev := Event{Delivered: delivered, consumer: r.cfg.Name, st: &eventState{}}
	typ := unknownType
	duplicate := false
	env, payload, err := r.cfg.Decode(msg.Data())
	if err != nil {
		err = &decodeError{err: err}
	} else {
		ev.Envelope, ev.Payload = env, payload
		typ = env.Type
		log = log.With("event_id", env.ID, "type", env.Type)
		duplicate, err = r.apply(ctx, ev)
	}

	outcome := r.settle(ctx, log, msg, meta, ev, err)
	if outcome == outcomeProcessed && duplicate {
		outcome = outcomeDuplicate
	} else if outcome == outcomeProcessed && ev.st.stale {
		outcome = outcomeStale
	}
	now := r.cfg.Now()
	if outcome == outcomeProcessed || outcome == outcomeStale {
		r.m.endToEnd.WithLabelValues(r.cfg.Name).Observe(max(0, now.Sub(env.Time).Seconds()))
	}
	r.m.handled.WithLabelValues(r.cfg.Name, typ, outcome).Inc()
	r.m.duration.WithLabelValues(r.cfg.Name).Observe(max(0, now.Sub(start).Seconds()))
	log.Debug("event handled", "outcome", outcome)
}

// apply runs the handler in the transaction that records the event as processed and reports
// whether the event had been processed before (then the handler did not run).
func (r *Runner) apply(ctx context.Context, ev Event) (duplicate bool, err error) {
	defer func() {
		// A handler that panics on one event would otherwise crash the service on every
		// redelivery; as an error it is retried and finally dead-lettered like any other.
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
			r.log.Error("handler panicked", "event_id", ev.Envelope.ID, "panic", p, "stack", string(debug.Stack()))
		}
	}()
	err = r.db.InTx(ctx, func(tx *sqlx.Tx) error {
		// InTx may run this again after a serialization failure; start from a clean slate.
		duplicate, ev.st.stale = false, false
		fresh, err := markProcessed(ctx, tx, r.cfg.Name, ev.Envelope.ID, r.cfg.Now())
		if err != nil {
			return err
		}
		if !fresh {
			duplicate = true
			return nil
		}
		return r.cfg.Handler(ctx, tx, ev)
	})
	if err == nil && !duplicate && r.cfg.AfterCommit != nil {
		r.cfg.AfterCommit()
	}
	return duplicate, err
}

// settle acts on decide's verdict and returns the outcome label.
func (r *Runner) settle(ctx context.Context, log *slog.Logger, msg jetstream.Msg, meta *jetstream.MsgMetadata, ev Event, err error) string {
	act, reason := decide(err, ev.Delivered, r.cfg.MaxDeliver)
	switch act {
	case actAck:
		// DoubleAck waits for the server to confirm. If the ack is lost anyway, the
		// redelivery finds the processed_events row and is acked as a duplicate.
		if aerr := msg.DoubleAck(ctx); aerr != nil {
			log.Warn("ack failed after commit; the redelivery will be a no-op", "err", aerr)
		}
		return outcomeProcessed
	case actRetry:
		delay := r.cfg.Backoff(ev.Delivered)
		log.Warn("event failed; will retry", "err", err, "retry_in", delay)
		r.nak(log, msg, delay)
		return outcomeRetried
	default:
		if r.deadLetter(ctx, log, msg, meta, ev, reason, err) {
			return outcomeDeadLettered
		}
		return outcomeRetried
	}
}

// deadLetter parks the message in the dead-letter stream and only then terminates it, so it
// is never lost; if the dead-letter publish fails the message is nak'ed and comes back (the
// consumer has no server-side delivery limit), and decide sends it here again.
func (r *Runner) deadLetter(ctx context.Context, log *slog.Logger, msg jetstream.Msg, meta *jetstream.MsgMetadata, ev Event, reason string, cause error) bool {
	eventID := ev.Envelope.ID
	if eventID == "" {
		eventID = lenientID(msg.Data())
	}
	seq, err := dlq.Publish(ctx, r.js, dlq.Entry{
		Consumer:        r.cfg.Name,
		Reason:          reason + ": " + cause.Error(),
		OriginalStream:  meta.Stream,
		OriginalSubject: msg.Subject(),
		OriginalSeq:     meta.Sequence.Stream,
		EventID:         eventID,
		At:              r.cfg.Now(),
		Data:            msg.Data(),
		Header:          msg.Headers(),
	})
	if err != nil {
		delay := r.cfg.Backoff(ev.Delivered)
		log.Error("dead-letter publish failed; will retry", "reason", reason, "cause", cause, "err", err, "retry_in", delay)
		r.nak(log, msg, delay)
		return false
	}
	r.m.deadLetters.WithLabelValues(r.cfg.Name, reason).Inc()
	if ev.Envelope.ID == "" {
		// Undecodable: the logger does not carry the id yet (once decoded it does, and a
		// second event_id key would make the line ambiguous).
		log = log.With("event_id", eventID)
	}
	log.Error("event dead-lettered", "reason", reason, "err", cause, "dlq_seq", seq)
	if terr := msg.TermWithReason(reason); terr != nil {
		// The redelivery is dead-lettered again; the dead-letter publish's message id makes
		// JetStream store it once within its duplicate window.
		log.Warn("terminate after dead-letter failed", "err", terr)
	}
	return true
}

func (r *Runner) nak(log *slog.Logger, msg jetstream.Msg, delay time.Duration) {
	if err := msg.NakWithDelay(delay); err != nil {
		log.Warn("nak failed; the message returns after AckWait", "err", err)
	}
}

// lenientID digs the id out of a message that did not decode, so that the dead letter can
// still name the event when the id is all that is wrong with it (or nothing at all is, and the
// handler refused it). Anything that is not a short printable string is ignored.
func lenientID(data []byte) string {
	var probe struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(data, &probe) != nil || len(probe.ID) > 64 {
		return ""
	}
	for _, c := range probe.ID {
		if c < 0x21 || c > 0x7e {
			return ""
		}
	}
	return probe.ID
}

// refreshLag keeps the pending-messages gauge current until ctx ends.
func (r *Runner) refreshLag(ctx context.Context) {
	t := time.NewTicker(r.cfg.LagInterval)
	defer t.Stop()
	for {
		r.updateLag(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pruneProcessed forgets processed event ids older than the retention, at start and then
// hourly, so the table does not grow for ever.
func (r *Runner) pruneProcessed(ctx context.Context) {
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		if n, err := Prune(ctx, r.db, r.cfg.Name, r.cfg.Now().Add(-r.cfg.Retention)); err != nil && ctx.Err() == nil {
			r.log.Warn("prune processed events", "err", err)
		} else if n > 0 {
			r.log.Info("pruned processed events", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *Runner) updateLag(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := r.js.Consumer(ctx, r.cfg.Stream, r.cfg.Name)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Debug("consumer info unavailable", "err", err)
		}
		return
	}
	r.m.pending.WithLabelValues(r.cfg.Name).Set(float64(c.CachedInfo().NumPending))
}

// retryDelay paces reconnection attempts: quick at first, then at most every 5s.
func retryDelay(failures int) time.Duration {
	d := 100 * time.Millisecond
	for i := 1; i < failures && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}

// sleep waits d or until ctx ends, reporting false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
