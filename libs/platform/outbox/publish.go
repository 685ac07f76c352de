package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/jetstreamext"

	"github.com/zoneops/zoneops/libs/events/envelope"
)

const (
	// maxAtomicBatch is nats-server's default max_batch_size for atomic batches: a larger
	// batch is refused whole, so runs are cut there whatever BatchSize says.
	maxAtomicBatch = 1000
	// minAtomicBatch is the shortest run worth an atomic batch. A batch costs about 4 ms
	// whatever its size (the server stages it in a store of its own before committing), while
	// pipelined single publishes cost about 0.2-0.3 ms each (one fsync apiece); measured on
	// the embedded server with sync_interval always, they cross between 16 and 32 messages.
	// Below this, batches would also slow a steady trickle: every pass that found two rows
	// would take 4 ms, by which time more rows wait, and the relay would stay in that regime.
	minAtomicBatch = 24
)

// streamInfo is what the relay knows of the stream that captures a subject.
type streamInfo struct {
	name   string
	atomic bool // the stream allows atomic batch publish (and so the server is 2.12 or later)
}

// streamFor finds the stream that captures subject, remembering the answer: subjects are
// event types without their version, a bounded set. The memory is cleared after any failed
// pass, so a stream recreated with other settings is noticed.
func (r *Relay) streamFor(ctx context.Context, subject string) (streamInfo, error) {
	if s, ok := r.streams[subject]; ok {
		return s, nil
	}
	lctx, cancel := context.WithTimeout(ctx, r.opts.AckTimeout)
	defer cancel()
	name, err := r.js.StreamNameBySubject(lctx, subject)
	if err != nil {
		return streamInfo{}, fmt.Errorf("outbox: find the stream for subject %q: %w", subject, err)
	}
	st, err := r.js.Stream(lctx, name)
	if err != nil {
		return streamInfo{}, fmt.Errorf("outbox: look up stream %s: %w", name, err)
	}
	// A server older than 2.12 does not know the setting and reports it false, so this one
	// flag also tells whether the server can take atomic batches at all.
	s := streamInfo{name: name, atomic: st.CachedInfo().Config.AllowAtomicPublish}
	r.streams[subject] = s
	return s, nil
}

// nextRun returns the longest prefix of rows (at most maxAtomicBatch) whose subjects all go to
// the first row's stream: an atomic batch is committed by one stream, so it must not hold
// another stream's subjects. Runs keep id order, so splitting never reorders anything.
func (r *Relay) nextRun(ctx context.Context, rows []row) ([]row, streamInfo, error) {
	first, err := r.streamFor(ctx, rows[0].Subject)
	if err != nil {
		return nil, streamInfo{}, err
	}
	n, limit := 1, min(len(rows), maxAtomicBatch)
	for n < limit {
		s, err := r.streamFor(ctx, rows[n].Subject)
		if err != nil || s.name != first.name {
			break // a lookup error surfaces when that row leads its own run
		}
		n++
	}
	return rows[:n], first, nil
}

// publishRun publishes one run to its stream and returns how many of its leading rows
// JetStream acknowledged, and how. A run of at least minAtomicBatch rows goes in one atomic
// batch where the stream allows it; shorter runs, and runs whose batch the server refuses for
// a reason that single publishes do not share, go one by one (pipelined).
func (r *Relay) publishRun(ctx context.Context, s streamInfo, run []row) (int, string, error) {
	if len(run) >= minAtomicBatch && s.atomic {
		err := r.publishBatch(ctx, run)
		if err == nil {
			return len(run), modeBatch, nil
		}
		if !r.batchRefused(s, run, err) {
			return 0, modeBatch, fmt.Errorf("outbox: atomic batch of %d events to stream %s: %w", len(run), s.name, err)
		}
	}
	n, err := r.publishSingles(ctx, run)
	return n, modeSingle, err
}

// message is the NATS message for a row. Nats-Msg-Id is the event id, so that JetStream drops
// a copy published again after a crash between the ack and the delete; Content-Type marks the
// payload as a structured CloudEvent, which is how CloudEvents' NATS binding recognises one.
func message(rw row) *nats.Msg {
	return &nats.Msg{
		Subject: rw.Subject,
		Data:    rw.Payload,
		Header: nats.Header{
			jetstream.MsgIDHeader:      []string{rw.EventID},
			envelope.HeaderContentType: []string{envelope.ContentTypeCloudEvents},
		},
	}
}

// publishBatch publishes run as one atomic batch and waits for the commit's ack: every message
// is stored, or none is. The server fsyncs once per batch rather than once per message, which
// is where the relay's throughput comes from.
func (r *Relay) publishBatch(ctx context.Context, run []row) error {
	msgs := make([]*nats.Msg, len(run))
	for i, rw := range run {
		msgs[i] = message(rw)
	}
	pctx, cancel := r.publishContext(ctx)
	defer cancel()
	// No ack for the first message: only the commit's request, which honours pctx, waits, so
	// the batch costs one round trip and a dropped connection cancels it at once. A refusal
	// (atomic publish disabled, a duplicate) still comes back in the commit's answer.
	if _, err := jetstreamext.PublishMsgBatch(pctx, r.js, msgs,
		jetstreamext.BatchFlowControl{AckFirst: false, AckTimeout: r.opts.AckTimeout}); err != nil {
		return explain(pctx, err)
	}
	now := r.opts.Now()
	for _, rw := range run {
		r.observe(rw, now)
	}
	return nil
}

// batchRefused reports whether err is a refusal of the batch as such, after which publishing
// the same rows one by one can succeed; anything else (NATS down, a timeout) is a failure of
// the pass.
func (r *Relay) batchRefused(s streamInfo, run []row, err error) bool {
	var apiErr *jetstream.APIError
	var code jetstream.ErrorCode
	if errors.As(err, &apiErr) {
		code = apiErr.ErrorCode
	}
	switch {
	case code == jetstreamext.JSErrCodeBatchPublishDuplicateMsgID:
		// Some of these events reached the stream before a crash kept their rows from being
		// deleted. The server refuses the whole batch; single publishes report the copies as
		// duplicates and store the rest.
		r.log.Info("atomic batch holds events already in the stream; publishing it one by one",
			"stream", s.name, "events", len(run), "first_event_id", run[0].EventID)
		return true
	case code == jetstreamext.JSErrCodeBatchPublishNotEnabled,
		code == jetstreamext.JSErrCodeBatchPublishUnsupportedHeader,
		errors.Is(err, jetstreamext.ErrInvalidBatchAck):
		// The stream stopped allowing atomic publish, the server takes batches but not with
		// Nats-Msg-Id (early 2.12 releases), or it does not understand batches at all (it
		// answered the commit like a plain publish). Every batch would fail the same way.
		for subj, known := range r.streams {
			if known.name == s.name {
				known.atomic = false
				r.streams[subj] = known
			}
		}
		r.log.Warn("stream refuses atomic batches; publishing one by one", "stream", s.name, "err", err)
		return true
	case code == jetstreamext.JSErrCodeBatchPublishExceedsLimit:
		r.log.Warn("atomic batch exceeds the server's max_batch_size; lower BatchSize", "stream", s.name, "events", len(run), "err", err)
		return true
	}
	return false
}

// publishSingles publishes run one message at a time and returns how many leading rows were
// acknowledged. Several messages are pipelined on one connection, which the server stores in
// the order sent; the relay waits for every acknowledgement before returning, so no retry can
// overtake a message still in flight. Only the acknowledged prefix counts: a message stored
// after one that failed keeps its row and is reported as a duplicate next time.
func (r *Relay) publishSingles(ctx context.Context, run []row) (int, error) {
	if r.async == nil || len(run) == 1 {
		for i, rw := range run {
			pctx, cancel := r.publishContext(ctx)
			ack, err := r.js.PublishMsg(pctx, message(rw))
			if err != nil {
				err = explain(pctx, err)
			}
			cancel()
			if err != nil {
				return i, fmt.Errorf("outbox: publish event %s: %w", rw.EventID, err)
			}
			r.recordAck(rw, ack, r.opts.Now())
		}
		return len(run), nil
	}
	pctx, cancel := r.publishContext(ctx)
	defer cancel()
	futures := make([]jetstream.PubAckFuture, 0, len(run))
	var err error
	for _, rw := range run {
		f, perr := r.async.PublishMsgAsync(message(rw))
		if perr != nil {
			err = perr
			break
		}
		futures = append(futures, f)
	}
	acked := 0
	for i, f := range futures {
		select {
		case ack := <-f.Ok():
			if acked == i {
				r.recordAck(run[i], ack, r.opts.Now())
				acked++
			}
		case ferr := <-f.Err():
			if acked == i {
				err = ferr
			}
		case <-pctx.Done():
			return acked, fmt.Errorf("outbox: publish event %s: %w", run[acked].EventID, explain(pctx, pctx.Err()))
		}
	}
	if acked < len(run) {
		if err == nil {
			err = errors.New("not acknowledged")
		}
		return acked, fmt.Errorf("outbox: publish event %s: %w", run[acked].EventID, err)
	}
	return acked, nil
}

// recordAck records one acknowledged single publish.
func (r *Relay) recordAck(rw row, ack *jetstream.PubAck, now time.Time) {
	if ack.Duplicate {
		r.m.duplicates.Inc()
	}
	r.observe(rw, now)
}

// observe records a row's commit-to-ack latency. The row's time comes from the database's
// clock; a negative difference (clock skew) counts as zero rather than vanishing.
func (r *Relay) observe(rw row, now time.Time) {
	r.m.commitToAck.Observe(max(0, now.Sub(time.UnixMicro(rw.CreatedAt)).Seconds()))
}
