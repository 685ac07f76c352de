// Command outboxbench measures the outbox relay against an embedded NATS server that fsyncs
// every write before it acknowledges (as zoneops runs it), and prints tables: the raw
// JetStream publish rates that bound the relay, the relay's throughput draining a backlog, the
// commit-to-ack latency at a steady commit rate, and where the relay's time goes at that rate,
// on SQLite and (with -postgres-dsn or ZONEOPS_TEST_POSTGRES_DSN) on PostgreSQL in a schema it
// creates and drops. Every figure is the median of -runs runs with their minimum and maximum;
// the relay's figures are also given as ratios to the raw limits measured in the same run.
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
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/synadia-io/orbit.go/jetstreamext"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/benchx"
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
	runs                        int
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
	// latencyWriters bounds the commits in flight during the latency run.
	latencyWriters = 16
	streamName     = "TENANTS"
	eventType      = "zoneops.tenants.licence.granted.v1"
)

// rawPublish is one raw JetStream measurement: n messages published by fn.
type rawPublish struct {
	name string
	n    int
	fn   func(context.Context, jetstream.JetStream, []byte, int, int) ([]time.Duration, error)
}

// Names of the raw figures the relay's are compared with.
const (
	rawRelayBatches = "atomic batches (commit only, as the relay)"
	rawFloor        = "sync, paced (latency floor)"
)

// backend opens a fresh database of one kind; close removes it.
type backend struct {
	name string
	open func() (d *db.DB, close func(), err error)
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("outboxbench", flag.ContinueOnError)
	fs.IntVar(&cfg.runs, "runs", 5, "runs of every measurement; each figure is their median, with min and max")
	fs.IntVar(&cfg.rawSync, "raw-sync", 1000, "messages for the one-at-a-time publish figure")
	fs.IntVar(&cfg.rawAsync, "raw-async", 5000, "messages for the pipelined async publish figure")
	fs.IntVar(&cfg.rawBatch, "raw-batch", 10000, "messages for the atomic batch figures")
	fs.IntVar(&cfg.batch, "batch", outbox.DefaultBatchSize, "atomic batch size, raw and the relay's BatchSize")
	fs.IntVar(&cfg.relayEvents, "relay-events", 10000, "events committed before timing the relay's drain")
	fs.IntVar(&cfg.txEvents, "tx-events", 100, "events per transaction while building the backlog")
	fs.IntVar(&cfg.rate, "rate", 500, "events per second committed during the latency run (one per transaction)")
	fs.DurationVar(&cfg.latencyFor, "latency-duration", 5*time.Second, "length of the latency run")
	fs.StringVar(&cfg.postgresDSN, "postgres-dsn", os.Getenv("ZONEOPS_TEST_POSTGRES_DSN"), "PostgreSQL server to measure too (a schema is created and dropped); empty skips it")
	fs.BoolVar(&cfg.sqlite, "sqlite", true, "measure SQLite")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if cfg.runs < 1 || cfg.batch < 1 || cfg.rate < 1 || cfg.txEvents < 1 || cfg.relayEvents < 1 || cfg.latencyFor < time.Second {
		return errors.New("-runs, -batch, -rate, -tx-events and -relay-events must be positive, -latency-duration at least 1s")
	}

	// Warnings only: a quiet run prints nothing but the tables.
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

	fmt.Fprintf(out, "outboxbench: embedded nats-server %s, sync_interval always (fsync before ack), event %d B, store %s\n",
		nc.ConnectedServerVersion(), len(payload), dir)
	fmt.Fprintf(out, "every figure: median of %d runs (min–max)\n\n", cfg.runs)

	raws := []rawPublish{
		{"sync, one at a time", cfg.rawSync, publishSync},
		{"async, pipelined", cfg.rawAsync, publishAsync},
		{"atomic batches (ack first + commit)", cfg.rawBatch, publishBatches(true)},
		{rawRelayBatches, cfg.rawBatch, publishBatches(false)},
		// The floor under the relay's latency figure: the same rate with no database at all.
		{rawFloor, cfg.rate * int(cfg.latencyFor/time.Second), publishPaced(cfg.rate)},
	}
	var backends []backend
	if cfg.sqlite {
		backends = append(backends, backend{"sqlite", func() (*db.DB, func(), error) {
			path := filepath.Join(dir, "bench.db")
			d, err := db.Open(ctx, db.Config{Driver: "sqlite", DSN: path})
			if err != nil {
				return nil, nil, err
			}
			return d, func() { d.Close(); os.Remove(path); os.Remove(path + "-wal"); os.Remove(path + "-shm") }, nil
		}})
	}
	if cfg.postgresDSN != "" {
		backends = append(backends, backend{"postgres", func() (*db.DB, func(), error) {
			return openPostgresSchema(ctx, cfg.postgresDSN)
		}})
	}

	// Every run measures everything, so that each run's ratios compare figures taken under
	// the same load on the machine; every run starts from a fresh database.
	fig := benchx.Series{}
	for range cfg.runs {
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
			fig.Add(r.name+"/rate", float64(r.n)/time.Since(start).Seconds())
			if len(acks) > 0 {
				slices.Sort(acks)
				fig.AddDuration(r.name+"/p50", quantile(acks, 0.50))
				fig.AddDuration(r.name+"/p99", quantile(acks, 0.99))
			}
		}
		for _, b := range backends {
			d, closeDB, err := b.open()
			if err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
			res, err := measureBackend(ctx, log, cfg, d, js, stream, payload)
			closeDB()
			if err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
			res.record(fig, b.name, cfg.relayEvents)
		}
	}
	return printTables(out, cfg, raws, backends, fig)
}

// record adds one run's figures of backend b.
func (res result) record(fig benchx.Series, b string, backlog int) {
	fig.Add(b+"/drain rate", float64(backlog)/res.drain.Seconds())
	fig.Add(b+"/steady rate", res.achievedRate)
	fig.AddDuration(b+"/p50", res.p50)
	fig.AddDuration(b+"/p99", res.p99)
	fig.AddDuration(b+"/max", res.max)
	fig.AddDuration(b+"/loaded floor p99", res.loadedFloorP99)
	fig.Add(b+"/relay p99", 1000*res.phases[ackPhase].p99)
	for _, ph := range phases {
		p := res.phases[ph]
		if p.count > 0 {
			fig.Add(b+"/"+ph+"/mean", 1000*p.sum/p.count)
			fig.Add(b+"/"+ph+"/p99", 1000*p.p99)
		}
		fig.Add(b+"/"+ph+"/per s", p.count/res.steadyFor.Seconds())
	}
}

func printTables(out io.Writer, cfg config, raws []rawPublish, backends []backend, fig benchx.Series) error {
	rate := func(f float64) string { return benchx.Thousands(f) }
	if err := benchx.Table(out, "raw JetStream publish\tmessages\tmsgs/s\tack p50\tp99\t", func(w io.Writer) {
		for _, r := range raws {
			if r.n <= 0 {
				continue
			}
			name := r.name
			switch r.name {
			case rawFloor:
				name = fmt.Sprintf("sync, paced at %d/s (latency floor)", cfg.rate)
			case rawRelayBatches, "atomic batches (ack first + commit)":
				name = strings.Replace(name, "batches", fmt.Sprintf("batches of %d", cfg.batch), 1)
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t\n", name, r.n, fig.Summary(r.name+"/rate").Format(rate),
				fig.Summary(r.name+"/p50").Format(benchx.Millis), fig.Summary(r.name+"/p99").Format(benchx.Millis))
		}
	}); err != nil {
		return err
	}
	if err := benchx.Table(out, "outbox relay\tbacklog\trelayed events/s\t÷ raw batch msgs/s\t", func(w io.Writer) {
		for _, b := range backends {
			n := b.name
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t\n", n, cfg.relayEvents,
				fig.Summary(n+"/drain rate").Format(rate), fig.Ratio(n+"/drain rate", rawRelayBatches+"/rate").Format(benchx.Times))
		}
	}); err != nil {
		return err
	}
	if err := benchx.Table(out, "commit→ack\tsteady rate\tp50\tp99\tmax\trelay's histogram p99 ≤\tfloor p99 under load\tp99 ÷ floor under load\tp99 ÷ floor\t", func(w io.Writer) {
		for _, b := range backends {
			n := b.name
			fmt.Fprintf(w, "%s\t%s/s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", n,
				fig.Summary(n+"/steady rate").Format(rate), fig.Summary(n+"/p50").Format(benchx.Millis),
				fig.Summary(n+"/p99").Format(benchx.Millis), fig.Summary(n+"/max").Format(benchx.Millis),
				fig.Summary(n+"/relay p99").Format(benchx.Millis),
				fig.Summary(n+"/loaded floor p99").Format(benchx.Millis),
				fig.Ratio(n+"/p99", n+"/loaded floor p99").Format(benchx.Times),
				fig.Ratio(n+"/p99", rawFloor+"/p99").Format(benchx.Times))
		}
	}); err != nil {
		return err
	}
	if err := benchx.Table(out, "relay phases at the steady rate\t\tper s\tmean\tp99 ≤\t", func(w io.Writer) {
		for _, b := range backends {
			for _, ph := range phases {
				k := b.name + "/" + ph
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t\n", b.name, ph, fig.Summary(k+"/per s").Format(rate),
					fig.Summary(k+"/mean").Format(benchx.Millis), fig.Summary(k+"/p99").Format(benchx.Millis))
			}
		}
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "backlog: events committed %d per transaction before the relay starts; relayed events/s: relay start to\n", cfg.txEvents)
	fmt.Fprintln(out, "the last ack, and its ratio to the raw atomic batch rate of the same run.")
	fmt.Fprintf(out, "commit→ack: one event per transaction at -rate for %s from up to %d writers, Notify after each commit;\n", cfg.latencyFor, latencyWriters)
	fmt.Fprintln(out, "measured from the commit returning to a consumer receiving the stored message (an upper bound on")
	fmt.Fprintln(out, "commit→ack); relay's histogram: zoneops_outbox_commit_to_ack_seconds (row insert to ack), the upper")
	fmt.Fprintln(out, "bound of the bucket holding its 99th percentile. latency floor: JetStream alone, one publish at a time at")
	fmt.Fprintln(out, "-rate, each timed from when it was due (so a stall counts for the messages queued behind it, as it does")
	fmt.Fprintln(out, "for the relay's events); floor p99 under load: the same while the same writers commit, the")
	fmt.Fprintln(out, "relay stopped (what the shared disk and CPUs cost JetStream); p99 ÷ floor: against the idle paced raw")
	fmt.Fprintln(out, "publish p99 above. Each ratio is taken within a run, then the median of the runs.")
	fmt.Fprintln(out, "phases: zoneops_outbox_relay_phase_seconds over the latency run: read (the pass's SELECT on the lock's")
	fmt.Fprintln(out, "connection), publish (until the last ack), delete (beside publishing, through the pool); p99 ≤: the")
	fmt.Fprintln(out, "upper bound of the histogram bucket holding the 99th percentile.")
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
// trickle in one per commit. Each latency runs from the moment the message was due, not from
// when the previous publish let it start: the relay's are measured from each commit, so a
// stall that delays the messages queued behind it must count for them here too.
func publishPaced(rate int) func(context.Context, jetstream.JetStream, []byte, int, int) ([]time.Duration, error) {
	return func(ctx context.Context, js jetstream.JetStream, payload []byte, n, _ int) ([]time.Duration, error) {
		interval := time.Second / time.Duration(rate)
		acks := make([]time.Duration, 0, n)
		begin := time.Now()
		for i := range n {
			due := begin.Add(time.Duration(i) * interval)
			if wait := time.Until(due); wait > 0 {
				time.Sleep(wait)
			}
			if _, err := js.PublishMsg(ctx, msg(payload, i)); err != nil {
				return nil, err
			}
			acks = append(acks, time.Since(due))
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
	steadyFor     time.Duration
	p50, p99, max time.Duration
	phases        map[string]phaseStats
	// loadedFloorP99 is JetStream's paced publish p99 while the database takes the same
	// commits, without the relay.
	loadedFloorP99 time.Duration
}

// phases are the values of the relay's phase label.
var phases = []string{"read", "publish", "delete"}

// phaseStats is one phase of the relay's histogram: observations, their sum in seconds, and
// the upper bound of the bucket holding the 99th percentile.
type phaseStats struct {
	count, sum, p99 float64
	buckets         []*dto.Bucket
}

// readPhases reads the relay's phase histograms from reg, and its commit-to-ack histogram
// under the name "ack".
func readPhases(reg *prometheus.Registry) (map[string]phaseStats, error) {
	families, err := reg.Gather()
	if err != nil {
		return nil, err
	}
	out := map[string]phaseStats{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			h := m.GetHistogram()
			if h == nil {
				continue
			}
			st := phaseStats{count: float64(h.GetSampleCount()), sum: h.GetSampleSum(), buckets: h.GetBucket()}
			switch f.GetName() {
			case "zoneops_outbox_commit_to_ack_seconds":
				out[ackPhase] = st
			case "zoneops_outbox_relay_phase_seconds":
				for _, l := range m.GetLabel() {
					if l.GetName() == "phase" {
						out[l.GetValue()] = st
					}
				}
			}
		}
	}
	return out, nil
}

// ackPhase names the relay's own commit-to-ack histogram among the phases.
const ackPhase = "ack"

// since returns the phase statistics of the observations after before.
func since(after, before map[string]phaseStats) map[string]phaseStats {
	out := map[string]phaseStats{}
	for name, a := range after {
		b := before[name]
		d := phaseStats{count: a.count - b.count, sum: a.sum - b.sum}
		for i, bk := range a.buckets {
			n := float64(bk.GetCumulativeCount())
			if i < len(b.buckets) {
				n -= float64(b.buckets[i].GetCumulativeCount())
			}
			if d.count > 0 && n >= 0.99*d.count {
				d.p99 = bk.GetUpperBound()
				break
			}
		}
		out[name] = d
	}
	return out
}

func measureBackend(ctx context.Context, log *slog.Logger, cfg config, d *db.DB, js jetstream.JetStream, stream jetstream.Stream, payload []byte) (result, error) {
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
	reg := prometheus.NewRegistry()
	relay := outbox.NewRelay(d, js, outbox.Options{Logger: log, Registerer: reg, BatchSize: cfg.batch, Name: "bench"})
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
	phasesBefore, err := readPhases(reg)
	if err != nil {
		stop()
		return res, err
	}
	total := cfg.rate * int(cfg.latencyFor/time.Second)
	begin = time.Now()
	if err := commitAtRate(ctx, d, cfg.rate, total, "steady", func(id string, at time.Time) {
		mu.Lock()
		committed[id] = at
		mu.Unlock()
		relay.Notify()
	}); err != nil {
		stop()
		return res, err
	}
	res.steadyFor = time.Since(begin)
	res.achievedRate = float64(total) / res.steadyFor.Seconds()
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
	phasesAfter, err := readPhases(reg)
	if err != nil {
		return res, err
	}
	res.phases = since(phasesAfter, phasesBefore)

	// JetStream alone at the same rate while the database takes the same commits, the relay
	// stopped: what the shared machine (disk, CPUs) costs a publish, without the relay.
	var floor []time.Duration
	var floorErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		floor, floorErr = publishPaced(cfg.rate)(ctx, js, payload, total, 0)
	}()
	err = commitAtRate(ctx, d, cfg.rate, total, "floor", func(string, time.Time) {})
	<-done
	if err = errors.Join(err, floorErr); err != nil {
		return res, fmt.Errorf("floor under load: %w", err)
	}
	slices.Sort(floor)
	res.loadedFloorP99 = quantile(floor, 0.99)
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

// commitAtRate commits n events, one per transaction, at rate a second, calling committed
// after each commit. Commits are started on schedule by a pool of writers, as a service's
// concurrent requests would make them: one writer alone could not hold the rate once a commit
// (one WAL flush) takes longer than the interval. SQLite has one connection, so there one
// writer, as more would only queue the relay's reads behind them.
func commitAtRate(ctx context.Context, d *db.DB, rate, n int, agg string, committed func(id string, at time.Time)) error {
	interval := time.Second / time.Duration(rate)
	writers := make(chan struct{}, min(latencyWriters, d.Stats().MaxOpenConnections))
	var wg sync.WaitGroup
	var writeErr error
	var errOnce sync.Once
	begin := time.Now()
	for i := range n {
		if wait := time.Until(begin.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		e, err := newEvent(fmt.Sprintf("%s-%d", agg, i%50), int64(i/50)+1)
		if err != nil {
			return err
		}
		writers <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-writers; wg.Done() }()
			if err := d.InTx(ctx, func(tx *sqlx.Tx) error { return outbox.Add(ctx, tx, e) }); err != nil {
				errOnce.Do(func() { writeErr = err })
				return
			}
			committed(e.ID, time.Now())
		}()
	}
	wg.Wait()
	return writeErr
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
	d, err := db.Open(ctx, db.Config{Driver: "postgres", DSN: scoped, MaxOpenConns: latencyWriters + 4})
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
