package outbox

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/platform/db"
)

// Defaults for Options.
const (
	DefaultBatchSize         = 200
	DefaultPollInterval      = 250 * time.Millisecond
	DefaultLockRetryInterval = 2 * time.Second
	DefaultAckTimeout        = 5 * time.Second
	DefaultName              = "default"
)

const (
	// measureEvery bounds how often the leader counts the outbox for the depth and age gauges:
	// the count scans the table, which is cheap at rest but not worth doing on every pass
	// while a backlog drains at thousands of rows a second.
	measureEvery = time.Second
	// deleteEvery bounds how long acknowledged rows wait to be deleted in bulk: long enough to
	// gather many passes' rows into one commit at a steady trickle, short enough that a crash
	// republishes little (JetStream drops those copies within its duplicate window).
	deleteEvery = 100 * time.Millisecond
	// maxSkippedPasses bounds, in passes' worth of rows, the acknowledged rows that may wait
	// for a delete still in flight: each read skips them.
	maxSkippedPasses = 4
	// Backoff between failed passes: short at first so that a NATS restart costs little, capped
	// so that a long outage neither spins nor leaves the relay asleep long after recovery.
	minBackoff = 50 * time.Millisecond
	maxBackoff = 2 * time.Second
)

// Options configure a Relay. The zero value works.
type Options struct {
	// Logger receives the relay's logs; nil discards them.
	Logger *slog.Logger
	// Registerer receives the relay's metrics; nil leaves them unregistered.
	Registerer prometheus.Registerer
	// BatchSize is the most rows one pass reads and, where the stream allows atomic publish,
	// publishes in one atomic batch (default 200). Runs shorter than 24 rows go as pipelined
	// single publishes, which are quicker at that size; atomic batches are capped at 1,000,
	// nats-server's default max_batch_size.
	BatchSize int
	// PollInterval is how often the relay looks for rows when nobody calls Notify (default
	// 250ms). Polling recovers rows whose Notify was lost (a crash, another replica's writes).
	PollInterval time.Duration
	// Now is the clock for the latency and age metrics (default time.Now); row times come from
	// the database's clock, so the two should agree (NTP; the same host for SQLite). Pacing
	// (polls, backoff, bulk deletes) runs on the runtime's timers, not on Now.
	Now func() time.Time
	// Name labels the metrics and, with the outbox table's schema, names the PostgreSQL
	// advisory lock, so every replica of one service must use the same name and different
	// services sharing a schema different names (default "default").
	Name string
	// LockRetryInterval is how often a PostgreSQL replica that is not the leader tries to take
	// over (default 2s).
	LockRetryInterval time.Duration
	// AckTimeout bounds the wait for JetStream's acknowledgement of one publish or batch
	// (default 5s). A publish whose connection drops fails at once, whatever the timeout.
	AckTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.LockRetryInterval <= 0 {
		o.LockRetryInterval = DefaultLockRetryInterval
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = DefaultAckTimeout
	}
	return o
}

// Relay publishes committed outbox rows to JetStream. Create it with NewRelay, start Run in a
// goroutine, and call Notify after every commit that called Add.
//
// On PostgreSQL several replicas may run a relay on one outbox table: only the one holding a
// session-level advisory lock (one per schema and Name) relays; the others retry every
// LockRetryInterval and take over when the holder's session ends. On SQLite one process owns
// the file, so the relay always leads.
type Relay struct {
	d     *db.DB
	js    jetstream.JetStream
	async jetstream.JetStream // own context for pipelined publishes; nil falls back to sync
	opts  Options
	log   *slog.Logger
	m     *metrics
	wake  chan struct{}
	// deleted carries the result of the delete in flight (startDelete).
	deleted chan error

	// The advisory lock key, derived from the outbox table's schema and Name on the first
	// connection (Run's goroutine only).
	key   int64
	keyed bool

	running atomic.Bool

	link link // the NATS connection's current life, for cancelling publishes it outlived

	// Owned by the Run goroutine.
	streams     map[string]streamInfo
	acked       ackedRows // published, not yet handed to a delete
	deleting    ackedRows // published, being deleted by the goroutine startDelete began
	inFlight    bool      // that goroutine has not reported yet
	lastMeasure time.Time
	lastDelete  time.Time

	// beforeWait, when set (by tests, before Run), is called each time the relay is about to
	// wait for a Notify or the poll.
	beforeWait func()
}

// NewRelay returns a relay that moves rows from d's outbox to js. js should sit on a
// connection that reconnects for ever (natsx.Connect), so that an outage only delays events.
// d must have run Migrations. NewRelay panics if the metrics clash with different ones already
// registered under the same names.
func NewRelay(d *db.DB, js jetstream.JetStream, opts Options) *Relay {
	opts = opts.withDefaults()
	r := &Relay{
		d:       d,
		js:      js,
		opts:    opts,
		log:     opts.Logger.With("component", "outbox-relay", "relay", opts.Name),
		m:       newMetrics(opts.Registerer, opts.Name),
		wake:    make(chan struct{}, 1),
		deleted: make(chan error, 1),
		streams: map[string]streamInfo{},
	}
	if js != nil && js.Conn() != nil {
		// A context of our own for pipelined publishes: its ack timeout resolves every future
		// even when a reply is lost, and its pending acks cannot stall the caller's publishes.
		if a, err := jetstream.New(js.Conn(), jetstream.WithPublishAsyncTimeout(opts.AckTimeout)); err == nil {
			r.async = a
		}
	}
	return r
}

// link holds a context that is cancelled whenever the NATS connection drops. A request whose
// connection died never gets its reply, and nats.go would wait out the whole AckTimeout;
// cancelling it at once lets the relay retry as soon as the client has reconnected.
type link struct {
	mu  sync.Mutex
	ctx context.Context
}

func (l *link) current() context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ctx == nil {
		return context.Background()
	}
	return l.ctx
}

// errConnectionLost and errAckTimeout explain why a publish's context ended.
var (
	errConnectionLost = errors.New("the NATS connection dropped")
	errAckTimeout     = errors.New("no acknowledgement within AckTimeout")
)

// watchConn keeps r.link current until the returned stop function is called.
func (r *Relay) watchConn(ctx context.Context) (stop func()) {
	lctx, cancel := context.WithCancel(ctx)
	r.link.mu.Lock()
	r.link.ctx = lctx
	r.link.mu.Unlock()
	var nc *nats.Conn
	if r.js != nil {
		nc = r.js.Conn()
	}
	if nc == nil {
		return cancel
	}
	ch := nc.StatusChanged(nats.DISCONNECTED, nats.RECONNECTING, nats.CLOSED)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range ch {
			r.link.mu.Lock()
			cancel()
			lctx, cancel = context.WithCancel(ctx)
			r.link.ctx = lctx
			r.link.mu.Unlock()
		}
	}()
	return func() {
		nc.RemoveStatusListener(ch) // closes ch, ending the goroutine
		<-done
		cancel()
	}
}

// publishContext bounds one publish or batch: AckTimeout, the end of Run, or the connection
// dropping, whichever comes first.
func (r *Relay) publishContext(ctx context.Context) (context.Context, context.CancelFunc) {
	cctx, cancelCause := context.WithCancelCause(ctx)
	tctx, cancelTimeout := context.WithTimeoutCause(cctx, r.opts.AckTimeout, errAckTimeout)
	stop := context.AfterFunc(r.link.current(), func() { cancelCause(errConnectionLost) })
	return tctx, func() {
		stop()
		cancelTimeout()
		cancelCause(nil)
	}
}

// explain adds to err why pctx ended, when it did: "context canceled" alone does not say that
// the connection dropped.
func explain(pctx context.Context, err error) error {
	if cause := context.Cause(pctx); cause != nil && !errors.Is(err, cause) {
		return fmt.Errorf("%w (%w)", err, cause)
	}
	return err
}

// lockKey derives the advisory lock key from the outbox table's schema and the relay name.
// Advisory locks belong to the whole database, so the schema is part of the key: deployments
// (or test runs) that share a database in schemas of their own each have a leader. In the
// public schema the key is the name's alone, as it was before schemas counted, so that an old
// and a new replica of a deployment there contend for one lock during a rolling upgrade. A NUL
// cannot occur in a schema name, so no (schema, name) pair collides with another.
func lockKey(schema, name string) int64 {
	key := "zoneops/outbox/" + name
	if schema != "public" {
		key += "\x00" + schema
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64())
}

// tryLock tries to take the relay lock on conn, first deriving its key from the schema the
// outbox table resolves to on this connection's search_path (once: every connection of the
// pool has the same).
func (r *Relay) tryLock(ctx context.Context, conn *sqlx.Conn) (bool, error) {
	if !r.keyed {
		var schema string
		if err := conn.QueryRowxContext(ctx, `SELECT n.nspname FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('outbox')`).Scan(&schema); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				err = errors.New("no outbox table on the search_path (run outbox.Migrations)")
			}
			return false, fmt.Errorf("outbox: find the outbox table's schema: %w", err)
		}
		r.key, r.keyed = lockKey(schema, r.opts.Name), true
	}
	var held bool
	if err := conn.QueryRowxContext(ctx, `SELECT pg_try_advisory_lock($1)`, r.key).Scan(&held); err != nil {
		return false, fmt.Errorf("outbox: try the relay lock: %w", err)
	}
	return held, nil
}

// Notify wakes the relay to look for new rows now rather than at the next poll. It never
// blocks, and calls made while a wake-up is already pending collapse into it.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run relays until ctx ends and then returns nil. It keeps going through NATS outages (backing
// off while publishes fail) and, on PostgreSQL, through losing and regaining leadership. It
// returns an error only when it cannot run at all: called twice at once, or a PostgreSQL pool
// of one connection (the relay holds one for its lock and would starve the service).
func (r *Relay) Run(ctx context.Context) error {
	if !r.running.CompareAndSwap(false, true) {
		return errors.New("outbox: relay is already running")
	}
	defer r.running.Store(false)
	defer r.watchConn(ctx)()
	if r.d.Dialect != db.Postgres {
		_ = r.lead(ctx, r.d.DB) // on SQLite only ctx ends it
		return nil
	}
	if n := r.d.Stats().MaxOpenConnections; n == 1 {
		return errors.New("outbox: the PostgreSQL pool must allow at least two connections (the relay keeps one for its lock)")
	}
	for {
		conn, err := r.acquire(ctx)
		if err != nil {
			return nil // ctx ended while following
		}
		err = r.lead(ctx, conn)
		// Closing a sql.Conn would return it to the pool with the session, and with it the
		// advisory lock, still alive, so no replica could take over. Marking it bad makes
		// database/sql close the session, which releases the lock.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		if ctx.Err() != nil {
			return nil
		}
		r.log.Warn("outbox relay gave up leadership after a database error; will try to lead again", "err", err)
		// Give the other replicas a fair chance, and a failing database some rest.
		if !sleep(ctx, r.opts.LockRetryInterval) {
			return nil
		}
	}
}

// acquire waits until this replica holds the relay lock on a dedicated connection, and
// returns that connection; it fails only when ctx ends.
func (r *Relay) acquire(ctx context.Context) (*sqlx.Conn, error) {
	following := false
	for {
		conn, err := r.d.Connx(ctx)
		if err == nil {
			var held bool
			held, err = r.tryLock(ctx, conn)
			switch {
			case err == nil && held:
				// The relay only deletes rows whose events JetStream has acknowledged; losing
				// such a delete in a crash costs a duplicate publish, which JetStream and the
				// consumers absorb. So its commits need not wait for the WAL flush, which keeps
				// the next pass (and its fsync-bound publish) from queueing behind it.
				if _, err = conn.ExecContext(ctx, `SET synchronous_commit = off`); err == nil {
					r.log.Info("outbox relay is the leader")
					return conn, nil
				}
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			case err == nil:
				_ = conn.Close() // no lock taken: the session may go back to the pool
				if !following {
					r.log.Info("outbox relay is following; another replica holds the lock")
					following = true
				}
			default:
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}
		if err != nil && ctx.Err() == nil {
			r.log.Warn("outbox relay could not try the leader lock", "err", err)
		}
		if !sleep(ctx, r.opts.LockRetryInterval) {
			return nil, ctx.Err()
		}
	}
}

// queryer is what a pass needs from the database: the pool on SQLite, the lock's own
// connection on PostgreSQL (so that a lost session fails the very next query, and the relay
// stops rather than racing the replica that takes over).
type queryer interface {
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// dbError marks a failure of the database rather than of NATS: on PostgreSQL it ends the
// leadership, because the lock's session may be gone.
type dbError struct{ err error }

func (e *dbError) Error() string { return e.err.Error() }
func (e *dbError) Unwrap() error { return e.err }

// lead relays while this replica leads, until ctx ends (nil) or, on PostgreSQL, the database
// fails (that error).
func (r *Relay) lead(ctx context.Context, q queryer) error {
	r.m.leader.Set(1)
	r.lastMeasure, r.lastDelete = time.Time{}, time.Now()
	defer func() {
		// Delete what was acknowledged, through the pool if the lock's session is gone:
		// deleting an acknowledged row is safe whoever leads. What cannot be deleted is
		// published again by the next leader, and JetStream drops the copies.
		r.finishDelete(true)
		if err := r.deleteAcked(ctx, q); err != nil && q != queryer(r.d.DB) {
			_ = r.deleteAcked(ctx, r.d.DB)
		}
		r.acked = ackedRows{}
		// A follower reports zeros rather than the figures of a past it no longer watches.
		r.m.leader.Set(0)
		r.m.depth.Set(0)
		r.m.oldestAge.Set(0)
	}()
	failures := 0
	poll := time.NewTimer(r.opts.PollInterval)
	defer poll.Stop()
	for {
		n, err := r.pass(ctx, q)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			var dbErr *dbError
			if errors.As(err, &dbErr) && r.d.Dialect == db.Postgres {
				return err
			}
			// Forget what we knew of streams: after a failure the server or the stream may
			// have changed (restarted, recreated without atomic publish).
			clear(r.streams)
			wait := backoff(failures)
			failures++
			r.log.Warn("outbox relay pass failed; retrying", "err", err, "failures", failures, "retry_in", wait)
			if !sleep(ctx, wait) {
				return nil
			}
			continue
		}
		if failures > 0 {
			r.log.Info("outbox relay recovered", "after_failures", failures)
			failures = 0
		}
		if n >= r.opts.BatchSize {
			continue // a full pass: more rows are likely waiting
		}
		// Wait for a commit's Notify or the poll, whichever comes first; sooner when
		// acknowledged rows are waiting to be deleted, or when a delete finishes (its rows
		// are then forgotten, which the next pass's read no longer has to skip).
		wait := r.opts.PollInterval
		if len(r.acked.ids) > 0 {
			wait = min(wait, deleteEvery)
		}
		poll.Reset(wait)
		if r.beforeWait != nil {
			r.beforeWait()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		case <-poll.C:
		case err := <-r.deleted:
			r.deleteDone(err)
		}
	}
}

// backoff is the wait after the n-th consecutive failure (from 0): doubling from minBackoff up
// to maxBackoff, with jitter so that replicas and services restarting together spread out.
func backoff(n int) time.Duration {
	d := maxBackoff
	if n < 16 {
		d = min(minBackoff<<n, maxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d or until ctx ends, reporting whether the full wait elapsed.
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

// row is one queued event.
type row struct {
	ID        int64  `db:"id"`
	EventID   string `db:"event_id"`
	Subject   string `db:"subject"`
	Payload   []byte `db:"payload"`
	CreatedAt int64  `db:"created_at"` // microseconds since the Unix epoch, database clock
}

// pass publishes the oldest BatchSize unpublished rows in id order and returns how many it
// read. Rows JetStream acknowledged are deleted in bulk, at most every deleteEvery or once
// BatchSize of them wait, by a goroutine of their own through the pool: a delete is a commit,
// and the next read and publish need not wait for it. Until their delete is done they are
// skipped by id.
func (r *Relay) pass(ctx context.Context, q queryer) (int, error) {
	r.finishDelete(false)
	var rows []row
	// No high-water mark: the rows still here are exactly the unpublished ones (less the
	// acknowledged ones awaiting delete), including any whose transaction committed after a
	// later id was published.
	skipped := len(r.acked.ids) + len(r.deleting.ids)
	began := time.Now()
	if err := q.SelectContext(ctx, &rows, r.d.Rebind(
		`SELECT id, event_id, subject, payload, created_at FROM outbox ORDER BY id LIMIT ?`),
		r.opts.BatchSize+skipped); err != nil {
		return 0, &dbError{fmt.Errorf("outbox: read rows: %w", err)}
	}
	r.m.phase(phaseRead, began)
	// A read that returned fewer rows than it asked for saw every row in the table.
	whole := len(rows) < r.opts.BatchSize+skipped
	rows = slices.DeleteFunc(rows, func(rw row) bool { return r.acked.has(rw.ID) || r.deleting.has(rw.ID) })
	rows = rows[:min(len(rows), r.opts.BatchSize)]
	read := len(rows)
	if err := r.measure(ctx, q, rows, whole, skipped); err != nil {
		return 0, err
	}
	if len(rows) > 0 {
		defer r.m.phase(phasePublish, time.Now())
	}
	for len(rows) > 0 {
		run, info, err := r.nextRun(ctx, rows)
		if err == nil {
			var n int
			var mode string
			n, mode, err = r.publishRun(ctx, info, run)
			r.acked.add(run[:n], mode)
		}
		if err != nil {
			if ctx.Err() == nil {
				r.m.failures.Inc()
			}
			return 0, err
		}
		rows = rows[len(run):]
	}
	if len(r.acked.ids) >= r.opts.BatchSize || (len(r.acked.ids) > 0 && time.Since(r.lastDelete) >= deleteEvery) {
		// One delete at a time. A slow one (a busy disk) does not hold up publishing; only
		// once the rows waiting for the next one fill maxSkippedPasses passes does the pass
		// wait for it, so that every read does not skip ever more rows.
		r.finishDelete(len(r.acked.ids) >= maxSkippedPasses*r.opts.BatchSize)
		if !r.inFlight {
			r.startDelete(ctx)
		}
	}
	return read, nil
}

// measure updates the depth and age gauges from the rows a pass read (the lowest ids not yet
// acknowledged, so the oldest among them is the oldest unpublished row). When the read saw the
// whole table they are the whole depth; otherwise (a backlog) it counts the table, at most once
// per measureEvery, less the acknowledged rows not yet deleted.
func (r *Relay) measure(ctx context.Context, q queryer, rows []row, whole bool, skipped int) error {
	depth := len(rows)
	if !whole {
		if !r.lastMeasure.IsZero() && time.Since(r.lastMeasure) < measureEvery {
			return nil
		}
		var n int
		if err := q.GetContext(ctx, &n, `SELECT count(*) FROM outbox`); err != nil {
			return &dbError{fmt.Errorf("outbox: measure depth: %w", err)}
		}
		depth = max(depth, n-skipped)
	}
	age := 0.0
	if len(rows) > 0 {
		oldest := rows[0].CreatedAt
		for _, rw := range rows {
			oldest = min(oldest, rw.CreatedAt)
		}
		age = max(0, r.opts.Now().Sub(time.UnixMicro(oldest)).Seconds())
	}
	r.m.depth.Set(float64(depth))
	r.m.oldestAge.Set(age)
	r.lastMeasure = time.Now()
	return nil
}

// ackedRows are rows JetStream acknowledged that are not deleted yet, with how many went in
// atomic batches and how many singly.
type ackedRows struct {
	ids           []int64
	set           map[int64]struct{}
	batch, single int
}

func (a *ackedRows) add(rows []row, mode string) {
	if a.set == nil {
		a.set = map[int64]struct{}{}
	}
	for _, rw := range rows {
		a.ids = append(a.ids, rw.ID)
		a.set[rw.ID] = struct{}{}
	}
	if mode == modeBatch {
		a.batch += len(rows)
	} else {
		a.single += len(rows)
	}
}

// merge adds b's rows to a.
func (a *ackedRows) merge(b ackedRows) {
	if a.set == nil {
		a.set = map[int64]struct{}{}
	}
	for _, id := range b.ids {
		a.ids = append(a.ids, id)
		a.set[id] = struct{}{}
	}
	a.batch += b.batch
	a.single += b.single
}

func (a *ackedRows) has(id int64) bool {
	_, ok := a.set[id]
	return ok
}

// startDelete hands the acknowledged rows to a goroutine that deletes them through the pool;
// its result arrives on r.deleted. At most one runs at a time (see finishDelete).
func (r *Relay) startDelete(ctx context.Context) {
	r.lastDelete = time.Now()
	if len(r.acked.ids) == 0 {
		return
	}
	r.deleting, r.acked = r.acked, ackedRows{}
	r.inFlight = true
	ids := r.deleting.ids
	go func() { r.deleted <- r.deleteRows(ctx, r.d.DB, ids) }()
}

// finishDelete takes the in-flight delete's result if there is one, waiting for it when wait
// is set.
func (r *Relay) finishDelete(wait bool) {
	if !r.inFlight {
		return
	}
	if wait {
		r.deleteDone(<-r.deleted)
		return
	}
	select {
	case err := <-r.deleted:
		r.deleteDone(err)
	default:
	}
}

// deleteDone records the in-flight delete's result: its rows count as published, or, when it
// failed, they go back to be deleted with the next ones (and stay skipped until then).
func (r *Relay) deleteDone(err error) {
	r.inFlight = false
	if err != nil {
		r.log.Warn("outbox relay could not delete published rows; will retry", "rows", len(r.deleting.ids), "err", err)
		r.acked.merge(r.deleting)
	} else {
		r.m.publishedBatch.Add(float64(r.deleting.batch))
		r.m.publishedSingle.Add(float64(r.deleting.single))
	}
	r.deleting = ackedRows{}
}

// deleteAcked deletes the acknowledged rows on q, waiting for the delete, and counts them as
// published.
func (r *Relay) deleteAcked(ctx context.Context, q queryer) error {
	r.lastDelete = time.Now()
	if len(r.acked.ids) == 0 {
		return nil
	}
	if err := r.deleteRows(ctx, q, r.acked.ids); err != nil {
		return &dbError{err}
	}
	r.m.publishedBatch.Add(float64(r.acked.batch))
	r.m.publishedSingle.Add(float64(r.acked.single))
	r.acked = ackedRows{}
	return nil
}

// deleteRows deletes the rows with the given ids.
func (r *Relay) deleteRows(ctx context.Context, q queryer, ids []int64) error {
	// Finish the delete even when Run is being stopped: the events are in the stream, and a
	// row left behind is published again at the next start.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.opts.AckTimeout)
	defer cancel()
	defer r.m.phase(phaseDelete, time.Now())
	// By id, never by range: on PostgreSQL a row inside the range may belong to a transaction
	// that has not committed yet.
	var err error
	if r.d.Dialect == db.Postgres {
		err = deletePostgres(ctx, q, ids)
	} else {
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		_, err = q.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (`+db.Placeholders(len(ids))+`)`, args...)
	}
	if err != nil {
		return fmt.Errorf("outbox: delete %d published rows: %w", len(ids), err)
	}
	return nil
}

// deletePostgres deletes the rows by an id array (one statement text whatever the count) in a
// commit that does not wait for the WAL flush: losing such a delete in a crash costs only a
// duplicate publish, and a backlog's passes wait for the previous delete (see pass), so a
// flush per delete would pace the drain. The lock's session is set so (see acquire); through
// the pool the transaction says so itself.
func deletePostgres(ctx context.Context, q queryer, ids []int64) error {
	const del = `DELETE FROM outbox WHERE id = ANY($1)`
	pool, ok := q.(*sqlx.DB)
	if !ok {
		_, err := q.ExecContext(ctx, del, ids)
		return err
	}
	tx, err := pool.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, del, ids); err != nil {
		return err
	}
	return tx.Commit()
}
