// Package dlq owns the dead-letter stream: the format in which consumers park messages they
// cannot handle (the original bytes plus headers that say who gave up on it, why, and where it
// came from), and the operations zonectl runs on it: list the entries and replay one.
//
// The format is defined here and nowhere else, so the consumer runner that writes entries and
// the operator tool that reads them cannot drift apart.
package dlq

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// Stream is the JetStream stream that holds dead letters.
const Stream = envelope.StreamDeadLetter

// subjectPrefix starts every dead-letter subject; the consumer name follows, so that entries
// can be filtered per consumer without reading them.
const subjectPrefix = "zoneops.dlq."

// Headers of a dead-letter message. The body is the original message's data, unchanged, so a
// replay publishes exactly what the producer published.
const (
	// HeaderReason is the reason code (decode, invalid, poison, max_deliver), a colon and the
	// error that made the consumer give up.
	HeaderReason = "Zoneops-Dlq-Reason"
	// HeaderConsumer is the durable name of the consumer that gave up.
	HeaderConsumer = "Zoneops-Dlq-Consumer"
	// HeaderOriginalStream is the stream the message was read from.
	HeaderOriginalStream = "Zoneops-Original-Stream"
	// HeaderOriginalSubject is the subject a replay publishes to.
	HeaderOriginalSubject = "Zoneops-Original-Subject"
	// HeaderOriginalSequence is the message's sequence in its original stream.
	HeaderOriginalSequence = "Zoneops-Original-Sequence"
	// HeaderEventID is the envelope id, present only when the message decoded far enough.
	HeaderEventID = "Zoneops-Event-Id"
	// HeaderTime is when the message was dead-lettered, RFC 3339 in UTC.
	HeaderTime = "Zoneops-Dlq-Time"
)

// maxReasonLen bounds the reason header: error chains can be long, and a header is not the
// place for a stack of wrapped messages that never ends.
const maxReasonLen = 1024

// Subject returns the dead-letter subject for a consumer.
func Subject(consumer string) string { return subjectPrefix + consumer }

// Entry is one dead-lettered message.
type Entry struct {
	// Seq is the entry's sequence in the dead-letter stream; List fills it, Publish ignores it.
	Seq             uint64
	Consumer        string
	Reason          string
	OriginalStream  string
	OriginalSubject string
	OriginalSeq     uint64
	EventID         string // empty when the message was not a readable envelope
	// At is when the consumer gave up. Publish leaves it out when zero, and List then reports
	// the time the server stored the entry.
	At   time.Time
	Data []byte
	// Header holds the original message's own headers (trace context and the like), without
	// the Nats-* headers the server owns and without the dead-letter headers above.
	Header nats.Header
}

// Filter selects entries for List.
type Filter struct {
	// Consumer keeps only the entries of one consumer; empty lists every consumer's.
	Consumer string
	// Limit caps the number of entries (default 100, at most 10000).
	Limit int
	// After skips entries up to and including this sequence, so a caller can page through a
	// long stream by passing the last Seq it saw.
	After uint64
}

// Default and maximum page sizes for List. The maximum keeps one call from reading a huge
// stream into memory.
const (
	defaultLimit = 100
	maxLimit     = 10000
)

// EnsureStream creates the dead-letter stream (file storage, kept until an operator deletes or
// replays the entries) or updates it to the given replica count.
func EnsureStream(ctx context.Context, js jetstream.JetStream, replicas int) error {
	_, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{
		Name:     Stream,
		Subjects: []string{envelope.SubjectsDeadLetter},
		Replicas: replicas,
	})
	return err
}

// Publish stores e in the dead-letter stream and returns its sequence once JetStream has
// acknowledged it; only then may the caller terminate the original message. Publishing the
// same original message twice for one consumer (a crash between this and the termination)
// within the stream's duplicate window stores it once.
func Publish(ctx context.Context, js jetstream.JetStream, e Entry) (uint64, error) {
	if err := checkToken(e.Consumer); err != nil {
		return 0, err
	}
	msg := nats.NewMsg(Subject(e.Consumer))
	msg.Data = e.Data
	for k, vs := range e.Header {
		if passThrough(k) {
			for _, v := range vs {
				msg.Header.Add(k, v)
			}
		}
	}
	msg.Header.Set(HeaderReason, headerValue(e.Reason, maxReasonLen))
	msg.Header.Set(HeaderConsumer, e.Consumer)
	msg.Header.Set(HeaderOriginalStream, e.OriginalStream)
	msg.Header.Set(HeaderOriginalSubject, e.OriginalSubject)
	msg.Header.Set(HeaderOriginalSequence, strconv.FormatUint(e.OriginalSeq, 10))
	if e.EventID != "" {
		msg.Header.Set(HeaderEventID, headerValue(e.EventID, 128))
	}
	if !e.At.IsZero() {
		// Without it List falls back to the server's timestamp of the entry.
		msg.Header.Set(HeaderTime, e.At.UTC().Format(time.RFC3339Nano))
	}
	id := fmt.Sprintf("%s.%s.%d", e.Consumer, e.OriginalStream, e.OriginalSeq)
	ack, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(id), jetstream.WithExpectStream(Stream))
	if err != nil {
		return 0, fmt.Errorf("dead-letter publish for %s: %w", e.Consumer, err)
	}
	return ack.Sequence, nil
}

// List returns dead-letter entries in stream order, read with direct gets: no consumer is
// created and nothing is acknowledged, so listing never disturbs the stream. A missing stream
// means nothing was ever dead-lettered and gives an empty list.
func List(ctx context.Context, js jetstream.JetStream, f Filter) ([]Entry, error) {
	subject := subjectPrefix + ">"
	if f.Consumer != "" {
		if err := checkToken(f.Consumer); err != nil {
			return nil, err
		}
		subject = Subject(f.Consumer)
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = defaultLimit
	case limit > maxLimit:
		limit = maxLimit
	}
	s, err := js.Stream(ctx, Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	var out []Entry
	for seq := f.After + 1; len(out) < limit; {
		raw, err := s.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("dead letters: read after %d: %w", seq, err)
		}
		out = append(out, entryFrom(raw))
		seq = raw.Sequence + 1
	}
	return out, nil
}

// Get returns the entry at seq, or an error matching fault.ErrNotFound.
func Get(ctx context.Context, js jetstream.JetStream, seq uint64) (Entry, error) {
	s, err := js.Stream(ctx, Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return Entry{}, fmt.Errorf("dead letter %d: %w", seq, fault.ErrNotFound)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("dead letter %d: %w", seq, err)
	}
	return get(ctx, s, seq)
}

func get(ctx context.Context, s jetstream.Stream, seq uint64) (Entry, error) {
	raw, err := s.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return Entry{}, fmt.Errorf("dead letter %d: %w", seq, fault.ErrNotFound)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("dead letter %d: %w", seq, err)
	}
	if !strings.HasPrefix(raw.Subject, subjectPrefix) {
		return Entry{}, fmt.Errorf("dead letter %d: subject %q is not a dead letter: %w", seq, raw.Subject, fault.ErrNotFound)
	}
	return entryFrom(raw), nil
}

// Replay republishes the entry's original data and headers to its original subject, expecting
// its original stream, then deletes the entry. The publish carries Nats-Msg-Id
// "<event id>.replay.<seq>" rather than the event id, because the stream's duplicate window
// would otherwise swallow a replay made soon after the first publish; consumers that already
// processed the event skip it through their processed-events table, and the one that failed
// gets another try. A crash between publish and delete leaves the entry in place; replaying it
// again within the duplicate window publishes nothing new.
func Replay(ctx context.Context, js jetstream.JetStream, seq uint64) error {
	s, err := js.Stream(ctx, Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("replay dead letter %d: %w", seq, fault.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("replay dead letter %d: %w", seq, err)
	}
	e, err := get(ctx, s, seq)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if e.OriginalSubject == "" || e.OriginalStream == "" {
		return fmt.Errorf("replay dead letter %d: no original subject or stream: %w", seq, fault.ErrInvalid)
	}
	msg := nats.NewMsg(e.OriginalSubject)
	msg.Data = e.Data
	for k, vs := range e.Header {
		for _, v := range vs {
			msg.Header.Add(k, v)
		}
	}
	id := e.EventID
	if id == "" {
		id = "unknown"
	}
	id = fmt.Sprintf("%s.replay.%d", id, seq)
	if _, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(id), jetstream.WithExpectStream(e.OriginalStream)); err != nil {
		return fmt.Errorf("replay dead letter %d to %s: %w", seq, e.OriginalSubject, err)
	}
	if err := s.DeleteMsg(ctx, seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return fmt.Errorf("replay dead letter %d: published, but delete failed: %w", seq, err)
	}
	return nil
}

func entryFrom(raw *jetstream.RawStreamMsg) Entry {
	h := raw.Header
	e := Entry{
		Seq:             raw.Sequence,
		Consumer:        h.Get(HeaderConsumer),
		Reason:          h.Get(HeaderReason),
		OriginalStream:  h.Get(HeaderOriginalStream),
		OriginalSubject: h.Get(HeaderOriginalSubject),
		EventID:         h.Get(HeaderEventID),
		At:              raw.Time.UTC(),
		Data:            raw.Data,
	}
	if e.Consumer == "" {
		e.Consumer = strings.TrimPrefix(raw.Subject, subjectPrefix)
	}
	if n, err := strconv.ParseUint(h.Get(HeaderOriginalSequence), 10, 64); err == nil {
		e.OriginalSeq = n
	}
	if t, err := time.Parse(time.RFC3339Nano, h.Get(HeaderTime)); err == nil {
		e.At = t.UTC()
	}
	for k, vs := range h {
		if passThrough(k) {
			if e.Header == nil {
				e.Header = nats.Header{}
			}
			e.Header[k] = append([]string(nil), vs...)
		}
	}
	return e
}

// passThrough reports whether a header belongs to the original message: not one the server
// sets or interprets (Nats-*), and not one of ours, which describe the dead letter itself.
func passThrough(key string) bool {
	k := strings.ToLower(key)
	return !strings.HasPrefix(k, "nats-") &&
		!strings.HasPrefix(k, "zoneops-dlq-") &&
		!strings.HasPrefix(k, "zoneops-original-") &&
		k != strings.ToLower(HeaderEventID)
}

// headerValue makes s safe as a header value: a line break would end the header early and
// corrupt the message, and an unbounded value could exceed the server's limits.
func headerValue(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
	if len(s) > max {
		// Cut at a rune boundary so the value stays valid UTF-8.
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

// checkToken refuses consumer names that are not a single subject token, since the name is
// spliced into a subject.
func checkToken(name string) error {
	if name == "" || strings.ContainsAny(name, ".*> \t\r\n") {
		return fmt.Errorf("consumer name %q: %w", name, fault.Invalid("consumer", "must be one subject token"))
	}
	return nil
}

// Permissions are the NATS subjects the named consumer needs to dead-letter once the
// dead-letter stream exists: to publish into its own subject there.
func Permissions(consumer string) natsx.Permissions {
	return natsx.Producer(Stream, Subject(consumer))
}
