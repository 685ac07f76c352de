// Command outboxbench measures the outbox relay against an embedded NATS server that fsyncs
// every write before it acknowledges (as zoneops runs it), and prints a table: the raw
// JetStream publish rates that bound the relay, the relay's throughput draining a backlog, and
// the commit-to-ack latency at a steady commit rate, on SQLite and (with -postgres-dsn or
// ZONEOPS_TEST_POSTGRES_DSN) on PostgreSQL in a schema it creates and drops.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/jetstreamext"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "outboxbench:", err)
		os.Exit(1)
	}
}

// config holds the flags.
type config struct {
	rawSync, rawAsync, rawBatch int
	batch                       int
	relayEvents                 int
	txEvents                    int
	rate                        int
	latencyFor                  time.Duration
	postgresDSN                 string
	sqlite                      bool
}

const (
	streamName = "TENANTS"
	eventType  = "zoneops.tenants.licence.granted.v1"
)

func run(ctx context.Context, args []string, out io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("outboxbench", flag.ContinueOnError)
	fs.IntVar(&cfg.rawSync, "raw-sync", 2000, "messages for the one-at-a-time publish figure")
	fs.IntVar(&cfg.rawAsync, "raw-async", 20000, "messages for the pipelined async publish figure")
	fs.IntVar(&cfg.rawBatch, "raw-batch", 40000, "messages for the atomic batch figures")
	fs.IntVar(&cfg.batch, "batch", outbox.DefaultBatchSize, "atomic batch size, raw and the relay's BatchSize")
	fs.IntVar(&cfg.relayEvents, "relay-events", 40000, "events committed before timing the relay's drain")
	fs.IntVar(&cfg.txEvents, "tx-events", 100, "events per transaction while building the backlog")
	fs.IntVar(&cfg.rate, "rate", 500, "events per second committed during the latency run (one per transaction)")
	fs.DurationVar(&cfg.latencyFor, "latency-duration", 10*time.Second, "length of the latency run")
	fs.StringVar(&cfg.postgresDSN, "postgres-dsn", os.Getenv("ZONEOPS_TEST_POSTGRES_DSN"), "PostgreSQL server to measure too (a schema is created and dropped); empty skips it")
	fs.BoolVar(&cfg.sqlite, "sqlite", true, "measure SQLite")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if cfg.batch < 1 || cfg.rate < 1 || cfg.txEvents < 1 {
		return errors.New("-batch, -rate and -tx-events must be positive")
	}

	// Warnings only: a quiet run prints nothing but the table.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dir, err := os.MkdirTemp("", "outboxbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := natsx.StartEmbedded(natsx.EmbeddedConfig{StoreDir: filepath.Join(dir, "nats")})
	if err != nil {
		return err
	}
	defer srv.Shutdown()
	nc, err := natsx.Connect(srv.URL(), "outboxbench", nil)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	stream, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: streamName, Subjects: []string{"zoneops.tenants.>"}})
	if err != nil {
		return err
	}
	sample, err := newEvent("agg", 1)
	if err != nil {
		return err
	}
	payload, _ := envelope.Encode(sample)

	fmt.Fprintf(out, "outboxbench: embedded nats-server %s, sync_interval always (fsync before ack), event %d B, store %s\n\n",
		nc.ConnectedServerVersion(), len(payload), dir)

	// Raw JetStream: the ceilings the relay works under.
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "raw JetStream publish\tmessages\tseconds\tmsgs/s\tack p50\tp99\t")
	raws := []struct {
		name string
		n    int
		fn   func(context.Context, jetstream.JetStream, []byte, int, int) ([]time.Duration, error)
	}{
		{"sync, one at a time", cfg.rawSync, publishSync},
		{"async, pipelined", cfg.rawAsync, publishAsync},
		{fmt.Sprintf("atomic batches of %d (ack first + commit)", cfg.batch), cfg.rawBatch, publishBatches(true)},
		{fmt.Sprintf("atomic batches of %d (commit only, as the relay)", cfg.batch), cfg.rawBatch, publishBatches(false)},
		// The floor under the relay's latency figure: the same rate with no database at all.
		{fmt.Sprintf("sync, paced at %d/s (latency floor)", cfg.rate), cfg.rate * int(cfg.latencyFor/time.Second), publishPaced(cfg.rate)},
	}
	for _, r := range raws {
		if r.n <= 0 {
			continue
		}
		if err := stream.Purge(ctx); err != nil {
			return err
		}
		start := time.Now()
		acks, err := r.fn(ctx, js, payload, r.n, cfg.batch)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		el := time.Since(start)
		p50, p99 := "-", "-"
		if len(acks) > 0 {
			slices.Sort(acks)
			p50, p99 = ms(quantile(acks, 0.50)), ms(quantile(acks, 0.99))
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t%s\t%s\t\n", r.name, r.n, el.Seconds(), thousands(float64(r.n)/el.Seconds()), p50, p99)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out)

	// The relay, per backend.
	type backend struct {
		name string
		open func() (*db.DB, func(), error)
	}
	var backends []backend
	if cfg.sqlite {
		backends = append(backends, backend{"sqlite", func() (*db.DB, func(), error) {
			d, err := db.Open(ctx, db.Config{Driver: "sqlite", DSN: filepath.Join(dir, "bench.db")})
			if err != nil {
				return nil, nil, err
			}
			return d, func() { d.Close() }, nil
		}})
	}
	if cfg.postgresDSN != "" {
		backends = append(backends, backend{"postgres", func() (*db.DB, func(), error) {
			return openPostgresSchema(ctx, cfg.postgresDSN)
		}})
	}
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "outbox relay\tbacklog\tdrain s\trelayed events/s\tsteady rate\tcommit→ack p50\tp99\tmax\t\n")
	for _, b := range backends {
		d, closeDB, err := b.open()
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		res, err := measureBackend(ctx, log, cfg, d, js, stream)
		closeDB()
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t%s/s\t%s\t%s\t%s\t\n", b.name, cfg.relayEvents, res.drain.Seconds(),
			thousands(float64(cfg.relayEvents)/res.drain.Seconds()), thousands(res.achievedRate),
			ms(res.p50), ms(res.p99), ms(res.max))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nbacklog: events committed %d per transaction before the relay starts; drain: relay start to the last ack.\n", cfg.txEvents)
	fmt.Fprintf(out, "commit→ack: one event per transaction at -rate for %s, Notify after each commit; measured from the\n", cfg.latencyFor)
	fmt.Fprintln(out, "commit returning to a consumer receiving the stored message (an upper bound on commit→ack).")
	return nil
}

// newEvent builds a realistic event.
func newEvent(agg string, v int64) (envelope.Envelope, error) {
	return envelope.New("/zoneops/tenants", eventType, agg, v, time.Now(), map[string]any{
		"licence_id": "019a0c5e-7a51-7e3e-9c1d-2b7c3f5f9a10", "tenant_id": agg, "zone_id": "islamabad-1",
		"licence_number": "STZA-2026-000123", "valid_from": "2026-01-01", "valid_until": "2036-01-01", "version": v,
	})
}

func msg(payload []byte, i int) *nats.Msg {
	return &nats.Msg{Subject: "zoneops.tenants.licence.granted", Data: payload,
		Header: nats.Header{jetstream.MsgIDHeader: []string{fmt.Sprintf("raw-%d-%d", time.Now().UnixNano(), i)}}}
}

// The raw publishers return the latency of each acknowledged request: a message, or a batch.

func publishSync(ctx context.Context, js jetstream.JetStream, payload []byte, n, _ int) ([]time.Duration, error) {
	acks := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := js.PublishMsg(ctx, msg(payload, i)); err != nil {
			return nil, err
		}
		acks = append(acks, time.Since(start))
	}
	return acks, nil
}

// publishPaced publishes one message at a time at a steady rate, as the relay does when events
// trickle in one per commit.
func publishPaced(rate int) func(context.Context, jetstream.JetStream, []byte, int, int) ([]time.Duration, error) {
	return func(ctx context.Context, js jetstream.JetStream, payload []byte, n, _ int) ([]time.Duration, error) {
		interval := time.Second / time.Duration(rate)
		acks := make([]time.Duration, 0, n)
		begin := time.Now()
		for i := range n {
			if wait := time.Until(begin.Add(time.Duration(i) * interval)); wait > 0 {
				time.Sleep(wait)
			}
			start := time.Now()
			if _, err := js.PublishMsg(ctx, msg(payload, i)); err != nil {
				return nil, err
			}
			acks = append(acks, time.Since(start))
		}
		return acks, nil
	}
}

func publishAsync(ctx context.Context, js jetstream.JetStream, payload []byte, n, _ int) ([]time.Duration, error) {
	futures := make([]jetstream.PubAckFuture, 0, n)
	for i := range n {
		f, err := js.PublishMsgAsync(msg(payload, i), jetstream.WithStallWait(10*time.Second))
		if err != nil {
			return nil, err
		}
		futures = append(futures, f)
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return nil, err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, nil // no per-message latency: they overlap
}

func publishBatches(ackFirst bool) func(context.Context, jetstream.JetStream, []byte, int, int) ([]time.Duration, error) {
	return func(ctx context.Context, js jetstream.JetStream, payload []byte, n, size int) ([]time.Duration, error) {
		var acks []time.Duration
		for done := 0; done < n; done += size {
			msgs := make([]*nats.Msg, min(size, n-done))
			for i := range msgs {
				msgs[i] = msg(payload, done+i)
			}
			start := time.Now()
			if _, err := jetstreamext.PublishMsgBatch(ctx, js, msgs, jetstreamext.BatchFlowControl{AckFirst: ackFirst, AckTimeout: 5 * time.Second}); err != nil {
				return nil, err
			}
			acks = append(acks, time.Since(start))
		}
		return acks, nil
	}
}

// result is one backend's figures.
type result struct {
	drain         time.Duration
	achievedRate  float64
	p50, p99, max time.Duration
}

func measureBackend(ctx context.Context, log *slog.Logger, cfg config, d *db.DB, js jetstream.JetStream, stream jetstream.Stream) (result, error) {
	var res result
	if err := d.Migrate(ctx, outbox.Migrations); err != nil {
		return res, err
	}
	if err := stream.Purge(ctx); err != nil {
		return res, err
	}

	// Throughput: a committed backlog, then the relay drains it.
	for done := 0; done < cfg.relayEvents; done += cfg.txEvents {
		envs := make([]envelope.Envelope, 0, cfg.txEvents)
		for i := range min(cfg.txEvents, cfg.relayEvents-done) {
			e, err := newEvent(fmt.Sprintf("agg-%d", (done+i)%50), int64(done+i)/50+1)
			if err != nil {
				return res, err
			}
			envs = append(envs, e)
		}
		if err := d.InTx(ctx, func(tx *sqlx.Tx) error { return outbox.Add(ctx, tx, envs...) }); err != nil {
			return res, err
		}
	}
	relay := outbox.NewRelay(d, js, outbox.Options{Logger: log, BatchSize: cfg.batch, Name: "bench"})
	stop := start(ctx, log, relay)
	begin := time.Now()
	for {
		info, err := stream.Info(ctx)
		if err != nil {
			stop()
			return res, err
		}
		if info.State.Msgs >= uint64(cfg.relayEvents) {
			break
		}
		if time.Since(begin) > 5*time.Minute {
			stop()
			return res, errors.New("relay did not drain the backlog in 5 minutes")
		}
		time.Sleep(2 * time.Millisecond)
	}
	res.drain = time.Since(begin)

	// Latency: one event per transaction at a steady rate, Notify after each commit; a
	// consumer records when each stored event arrives.
	if err := stream.Purge(ctx); err != nil {
		stop()
		return res, err
	}
	// Commit and arrival times are joined at the end: a relay pass already under way can
	// publish an event before its writer has even noted the commit time.
	var mu sync.Mutex
	committed, arrived := map[string]time.Time{}, map[string]time.Time{}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverNewPolicy})
	if err != nil {
		stop()
		return res, err
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		now := time.Now()
		mu.Lock()
		arrived[m.Headers().Get(jetstream.MsgIDHeader)] = now
		mu.Unlock()
	})
	if err != nil {
		stop()
		return res, err
	}
	defer cc.Stop()
	interval := time.Second / time.Duration(cfg.rate)
	total := int(cfg.latencyFor / interval)
	begin = time.Now()
	for i := range total {
		if wait := time.Until(begin.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		e, err := newEvent(fmt.Sprintf("steady-%d", i%50), int64(i/50)+1)
		if err != nil {
			stop()
			return res, err
		}
		if err := d.InTx(ctx, func(tx *sqlx.Tx) error { return outbox.Add(ctx, tx, e) }); err != nil {
			stop()
			return res, err
		}
		mu.Lock()
		committed[e.ID] = time.Now()
		mu.Unlock()
		relay.Notify()
	}
	res.achievedRate = float64(total) / time.Since(begin).Seconds()
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(arrived)
		mu.Unlock()
		if n >= total {
			break
		}
		if time.Now().After(deadline) {
			stop()
			return res, fmt.Errorf("latency run: %d of %d events arrived", n, total)
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	latencies := make([]time.Duration, 0, total)
	for id, at := range committed {
		got, ok := arrived[id]
		if !ok {
			return res, fmt.Errorf("latency run: event %s never arrived", id)
		}
		// An event can arrive before its writer's InTx has returned; that counts as zero.
		latencies = append(latencies, max(0, got.Sub(at)))
	}
	slices.Sort(latencies)
	res.p50, res.p99, res.max = quantile(latencies, 0.50), quantile(latencies, 0.99), latencies[len(latencies)-1]
	return res, nil
}

// start runs the relay until the returned stop is called.
func start(ctx context.Context, log *slog.Logger, r *outbox.Relay) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := r.Run(ctx); err != nil {
			log.Error("relay stopped", "err", err)
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); <-done }) }
}

// openPostgresSchema creates a schema of its own on the server and opens a handle whose
// search_path is that schema; the returned close drops it.
func openPostgresSchema(ctx context.Context, dsn string) (*db.DB, func(), error) {
	admin, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: dsn, MaxOpenConns: 2})
	if err != nil {
		return nil, nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "outboxbench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return nil, nil, err
	}
	drop := func() {
		admin.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	}
	scoped, err := withSearchPath(dsn, schema)
	if err != nil {
		drop()
		return nil, nil, err
	}
	d, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: scoped, MaxOpenConns: 4})
	if err != nil {
		drop()
		return nil, nil, err
	}
	return d, func() { d.Close(); drop() }, nil
}

func withSearchPath(dsn, schema string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn + " search_path=" + schema, nil // key=value form
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// quantile returns the q-quantile of sorted, non-empty xs (nearest rank).
func quantile(xs []time.Duration, q float64) time.Duration {
	return xs[min(len(xs)-1, int(q*float64(len(xs))))]
}

// thousands formats a rate with thousands separators.
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
