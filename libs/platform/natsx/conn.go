package natsx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Connect dials NATS with reconnection that never gives up: while NATS is down the outbox keeps
// events, and publishing resumes when the connection returns. extra carries credentials
// (Auth.Options) and anything else a caller adds.
func Connect(url, name string, log *slog.Logger, extra ...nats.Option) (*nats.Conn, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectJitter(100*time.Millisecond, time.Second),
		nats.RetryOnFailedConnect(true),
		nats.ReconnectBufSize(-1), // do not buffer publishes while disconnected: the outbox retries
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			// A nil error is our own Close or Drain: a clean shutdown, not a warning.
			if err == nil {
				log.Debug("nats connection closed")
				return
			}
			log.Warn("nats disconnected", "err", err)
		}),
		nats.ReconnectHandler(func(c *nats.Conn) {
			log.Info("nats reconnected", "url", c.ConnectedUrl())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, s *nats.Subscription, err error) {
			subj := ""
			if s != nil {
				subj = s.Subject
			}
			log.Error("nats async error", "subject", subj, "err", err)
		}),
	}
	nc, err := nats.Connect(url, append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("connect nats %s: %w", url, err)
	}
	return nc, nil
}

// Drain lets in-flight messages finish, then closes, waiting at most timeout.
func Drain(nc *nats.Conn, timeout time.Duration) error {
	if nc == nil || nc.IsClosed() {
		return nil
	}
	closed := make(chan struct{})
	nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
	if err := nc.Drain(); err != nil {
		nc.Close()
		return fmt.Errorf("drain nats: %w", err)
	}
	select {
	case <-closed:
		return nil
	case <-time.After(timeout):
		nc.Close()
		return errors.New("drain nats: timed out")
	}
}

// Ping reports whether the connection is up; /readyz uses it.
func Ping(nc *nats.Conn) func(context.Context) error {
	return func(ctx context.Context) error {
		if nc == nil || !nc.IsConnected() {
			return errors.New("nats not connected")
		}
		return nil
	}
}

// StreamSpec declares a stream a service produces into.
type StreamSpec struct {
	Name     string
	Subjects []string
	// Replicas is 1 for a single server and 3 in a cluster.
	Replicas int
	// Duplicates is the window in which Nats-Msg-Id deduplicates (default 2 minutes). It is a
	// guard; consumers' processed-events tables are the guarantee.
	Duplicates time.Duration
	// MaxAge bounds retention; 0 keeps events forever.
	MaxAge time.Duration
}

// EnsureStream creates the stream or updates it to match spec, so start-up is idempotent.
// File storage; atomic batch publish allowed (the outbox relay uses it) where the server
// supports it. A stream that already matches is left alone, so a client allowed only to read
// stream info (a service in production, whose streams an operator declared) starts too; a
// stream that differs, say one that republishes its messages elsewhere, is updated back.
func EnsureStream(ctx context.Context, js jetstream.JetStream, spec StreamSpec) (jetstream.Stream, error) {
	replicas := spec.Replicas
	if replicas <= 0 {
		replicas = 1
	}
	dup := spec.Duplicates
	if dup <= 0 {
		dup = 2 * time.Minute
	}
	cfg := jetstream.StreamConfig{
		Name:               spec.Name,
		Subjects:           spec.Subjects,
		Storage:            jetstream.FileStorage,
		Replicas:           replicas,
		Duplicates:         dup,
		MaxAge:             spec.MaxAge,
		Retention:          jetstream.LimitsPolicy,
		AllowAtomicPublish: true,
		AllowDirect:        true,
	}
	if s, err := js.Stream(ctx, spec.Name); err == nil && matches(s.CachedInfo().Config, cfg) {
		return s, nil
	}
	s, err := js.CreateOrUpdateStream(ctx, cfg)
	if err != nil && cfg.AllowAtomicPublish {
		// Servers before 2.12 refuse the atomic-publish flag; the relay falls back to single
		// publishes there.
		cfg.AllowAtomicPublish = false
		s, err = js.CreateOrUpdateStream(ctx, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("ensure stream %s: %w", spec.Name, err)
	}
	return s, nil
}

// matches reports whether the stream's config has every setting EnsureStream sets, and
// nothing that copies messages in or out of it.
func matches(have, want jetstream.StreamConfig) bool {
	return slices.Equal(slices.Sorted(slices.Values(have.Subjects)), slices.Sorted(slices.Values(want.Subjects))) &&
		have.Storage == want.Storage && have.Replicas == want.Replicas && have.Duplicates == want.Duplicates &&
		have.MaxAge == want.MaxAge && have.Retention == want.Retention && have.AllowDirect == want.AllowDirect &&
		have.AllowAtomicPublish == want.AllowAtomicPublish &&
		have.RePublish == nil && have.SubjectTransform == nil && have.Mirror == nil && len(have.Sources) == 0
}

// ConsumerSpec declares a durable pull consumer.
type ConsumerSpec struct {
	Stream         string
	Durable        string
	FilterSubjects []string
	// AckWait is how long the server waits for an ack before redelivering (default 30s).
	AckWait time.Duration
	// MaxDeliver bounds redeliveries; the runner dead-letters the message at the last one.
	MaxDeliver int
	// MaxAckPending bounds messages in flight (default 256).
	MaxAckPending int
}

// EnsureConsumer creates or updates a durable pull consumer with explicit acks.
func EnsureConsumer(ctx context.Context, js jetstream.JetStream, spec ConsumerSpec) (jetstream.Consumer, error) {
	ackWait := spec.AckWait
	if ackWait <= 0 {
		ackWait = 30 * time.Second
	}
	maxAck := spec.MaxAckPending
	if maxAck <= 0 {
		maxAck = 256
	}
	cfg := jetstream.ConsumerConfig{
		Durable:        spec.Durable,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        ackWait,
		MaxDeliver:     spec.MaxDeliver,
		MaxAckPending:  maxAck,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		FilterSubjects: spec.FilterSubjects,
	}
	c, err := js.CreateOrUpdateConsumer(ctx, spec.Stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("ensure consumer %s/%s: %w", spec.Stream, spec.Durable, err)
	}
	return c, nil
}
