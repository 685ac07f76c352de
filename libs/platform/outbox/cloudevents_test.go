package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/binding/format"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/outbox"
)

// natsMessage is a JetStream message as the CloudEvents SDK reads it, following the
// CloudEvents NATS protocol binding: a message is a structured event when its Content-Type
// names an event format (application/cloudevents+json), and then its body is the event.
// The SDK's own NATS JetStream binding does the same; this adapter keeps the SDK a test-only
// dependency and lets the test see that the header, not a guess, makes the message readable.
type natsMessage struct{ msg jetstream.Msg }

func (m natsMessage) format() format.Format {
	return format.Lookup(m.msg.Headers().Get(envelope.HeaderContentType))
}

func (m natsMessage) ReadEncoding() binding.Encoding {
	if m.format() != nil {
		return binding.EncodingStructured
	}
	return binding.EncodingUnknown
}

func (m natsMessage) ReadStructured(ctx context.Context, w binding.StructuredWriter) error {
	f := m.format()
	if f == nil {
		return binding.ErrNotStructured
	}
	return w.SetStructuredEvent(ctx, f, bytes.NewReader(m.msg.Data()))
}

func (m natsMessage) ReadBinary(context.Context, binding.BinaryWriter) error {
	return binding.ErrNotBinary
}

func (m natsMessage) Finish(error) error { return nil }

// Every message the relay publishes, by atomic batch or singly, is a CloudEvent that the
// CloudEvents SDK reads straight off the stream.
func TestPublishedMessagesAreCloudEventsTheSDKReads(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.SQLite, outbox.Migrations)
	_, js := startNATS(t)
	reg := prometheus.NewRegistry()
	r := outbox.NewRelay(d, js, outbox.Options{Logger: logger(t), Registerer: reg})
	run(t, r)

	// A run long enough for an atomic batch, then one event on its own.
	sent := events(t, "licence-1", 1, 30)
	add(t, d, sent...)
	r.Notify()
	waitFor(t, "the run to be published", func() bool { return published(t, reg, "") == 30 })
	last := event(t, testType, "licence-2", 1)
	sent = append(sent, last)
	add(t, d, last)
	r.Notify()
	waitFor(t, "the last event to be published", func() bool { return published(t, reg, "") == 31 })
	if published(t, reg, "batch") == 0 || published(t, reg, "single") == 0 {
		t.Fatalf("published batch %v, single %v: the test must cover both ways of publishing",
			published(t, reg, "batch"), published(t, reg, "single"))
	}

	cons, err := js.OrderedConsumer(ctx, testStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(len(sent), jetstream.FetchMaxWait(waitLimit))
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for msg := range batch.Messages() {
		if i >= len(sent) {
			t.Fatalf("more than %d messages in the stream", len(sent))
		}
		want := sent[i]
		i++
		if got := msg.Headers().Get(envelope.HeaderContentType); got != envelope.ContentTypeCloudEvents {
			t.Fatalf("message %d: %s %q, want %q", i, envelope.HeaderContentType, got, envelope.ContentTypeCloudEvents)
		}
		ev, err := binding.ToEvent(ctx, natsMessage{msg})
		if err != nil {
			t.Fatalf("message %d: the CloudEvents SDK cannot read it: %v", i, err)
		}
		if err := ev.Validate(); err != nil {
			t.Fatalf("message %d: not a valid CloudEvent: %v", i, err)
		}
		got := map[string]string{
			"id": ev.ID(), "type": ev.Type(), "source": ev.Source(), "subject": ev.Subject(),
			"specversion": ev.SpecVersion(), "datacontenttype": ev.DataContentType(),
		}
		for attr, w := range map[string]string{
			"id": want.ID, "type": want.Type, "source": want.Source, "subject": want.Subject,
			"specversion": "1.0", "datacontenttype": envelope.ContentTypeJSON,
		} {
			if got[attr] != w {
				t.Errorf("message %d: %s = %q, want %q", i, attr, got[attr], w)
			}
		}
		if !ev.Time().Equal(want.Time) {
			t.Errorf("message %d: time = %v, want %v", i, ev.Time(), want.Time)
		}
		if agg := ev.Extensions()["aggregateid"]; agg != want.AggregateID {
			t.Errorf("message %d: extension aggregateid = %v, want %s", i, agg, want.AggregateID)
		}
		var gotData, wantData map[string]any
		if err := ev.DataAs(&gotData); err != nil {
			t.Fatalf("message %d: data: %v", i, err)
		}
		if err := json.Unmarshal(want.Data, &wantData); err != nil {
			t.Fatal(err)
		}
		if gotData["n"] != wantData["n"] {
			t.Errorf("message %d: data = %v, want %v", i, gotData, wantData)
		}
	}
	if err := batch.Error(); err != nil {
		t.Fatal(err)
	}
	if i != len(sent) {
		t.Fatalf("read %d messages off the stream, want %d", i, len(sent))
	}
}

// Without the header the SDK has nothing to go on: the same bytes are not an event to it.
func TestAMessageWithoutContentTypeIsNoCloudEventToTheSDK(t *testing.T) {
	ctx := context.Background()
	_, js := startNATS(t)
	e := event(t, testType, "licence-1", 1)
	body, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, envelope.Subject(e.Type), body); err != nil {
		t.Fatal(err)
	}
	cons, err := js.OrderedConsumer(ctx, testStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cons.Next()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := binding.ToEvent(ctx, natsMessage{msg}); !errors.Is(err, binding.ErrUnknownEncoding) {
		t.Fatalf("ToEvent of a message without %s: err = %v, want %v", envelope.HeaderContentType, err, binding.ErrUnknownEncoding)
	}
}
