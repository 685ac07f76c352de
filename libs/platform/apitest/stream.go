package apitest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/zoneops/zoneops/libs/events/envelope"
)

// Event is one message of a stream, decoded strictly.
type Event struct {
	Env     envelope.Envelope
	Payload any
}

// Decoder decodes one message strictly into its envelope and typed payload, as
// libs/events.Decode does.
type Decoder func(data []byte) (envelope.Envelope, any, error)

// StreamLen is the number of messages in the stream.
func StreamLen(js jetstream.JetStream, stream string) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Stream fetches the stream's info to look it up; asking again with Info would only repeat
	// the round trip.
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return 0, err
	}
	return s.CachedInfo().State.Msgs, nil
}

// Events waits until the stream holds n messages and returns them decoded with decode, failing
// t if it holds more or never gets there within 20 seconds, or when a message does not decode,
// its Nats-Msg-Id is not the event id or its subject is not that of its type. The test's own
// NATS client may be reconnecting after a restart, so errors are retried until the deadline.
func Events(t testing.TB, js jetstream.JetStream, stream string, n int, decode Decoder) []Event {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := StreamLen(js, stream)
		if err == nil && got == uint64(n) {
			break
		}
		if got > uint64(n) {
			t.Fatalf("%s stream has %d events, want %d", stream, got, n)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s stream has %d events after 20s, want %d (last error: %v)", stream, got, n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]Event, 0, n)
	for seq := uint64(1); seq <= uint64(n); seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("message %d: %v", seq, err)
		}
		env, p, err := decode(m.Data)
		if err != nil {
			t.Fatalf("message %d does not decode: %v\n%s", seq, err, m.Data)
		}
		if id := m.Header.Get(jetstream.MsgIDHeader); id != env.ID {
			t.Errorf("message %d: Nats-Msg-Id %q, want the event id %q", seq, id, env.ID)
		}
		if want := envelope.Subject(env.Type); m.Subject != want {
			t.Errorf("message %d (%s) on subject %q, want %q", seq, env.Type, m.Subject, want)
		}
		out = append(out, Event{Env: env, Payload: p})
	}
	return out
}

// ByAggregate groups events by aggregate id in stream order, checking that no event id repeats
// and that each aggregate's versions rise by one from one event to the next.
func ByAggregate(t testing.TB, evs []Event) map[string][]Event {
	t.Helper()
	out := map[string][]Event{}
	seen := map[string]bool{}
	for _, ev := range evs {
		if seen[ev.Env.ID] {
			t.Errorf("event %s (%s) is on the stream twice", ev.Env.ID, ev.Env.Type)
		}
		seen[ev.Env.ID] = true
		prev := out[ev.Env.AggregateID]
		if len(prev) > 0 {
			if last := prev[len(prev)-1].Env.AggregateVersion; ev.Env.AggregateVersion != last+1 {
				t.Errorf("aggregate %s: %s has version %d after version %d", ev.Env.AggregateID, ev.Env.Type, ev.Env.AggregateVersion, last)
			}
		}
		out[ev.Env.AggregateID] = append(prev, ev)
	}
	return out
}

// Types lists the events' types without prefix ("zoneops.tenants.").
func Types(evs []Event, prefix string) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = strings.TrimPrefix(ev.Env.Type, prefix)
	}
	return out
}
