package dlq_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/zoneops/zoneops/libs/platform/dlq"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

const (
	origStream  = "ORIG"
	origSubject = "zoneops.orig.thing.changed"
)

func setup(t *testing.T) jetstream.JetStream {
	t.Helper()
	_, js := natsxtest.Connect(t, natsxtest.Start(t))
	ctx := context.Background()
	if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: origStream, Subjects: []string{"zoneops.orig.>"}}); err != nil {
		t.Fatal(err)
	}
	if err := dlq.EnsureStream(ctx, js, 1); err != nil {
		t.Fatal(err)
	}
	return js
}

func entry(consumer string, origSeq uint64, eventID string) dlq.Entry {
	return dlq.Entry{
		Consumer:        consumer,
		Reason:          "poison: thing cannot exist",
		OriginalStream:  origStream,
		OriginalSubject: origSubject,
		OriginalSeq:     origSeq,
		EventID:         eventID,
		At:              time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		Data:            []byte(`{"id":"` + eventID + `"}`),
		Header:          nats.Header{"Traceparent": {"00-abc-def-01"}, "Nats-Msg-Id": {eventID}},
	}
}

func publish(t *testing.T, js jetstream.JetStream, e dlq.Entry) uint64 {
	t.Helper()
	seq, err := dlq.Publish(context.Background(), js, e)
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func list(t *testing.T, js jetstream.JetStream, f dlq.Filter) []dlq.Entry {
	t.Helper()
	out, err := dlq.List(context.Background(), js, f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestListReturnsWhatWasPublished(t *testing.T) {
	js := setup(t)
	in := entry("billing", 7, "e-1")
	seq := publish(t, js, in)

	got := list(t, js, dlq.Filter{})
	if len(got) != 1 {
		t.Fatalf("entries = %d, want 1", len(got))
	}
	e := got[0]
	if e.Seq != seq || e.Consumer != in.Consumer || e.Reason != in.Reason || e.OriginalStream != origStream ||
		e.OriginalSubject != origSubject || e.OriginalSeq != 7 || e.EventID != "e-1" || !e.At.Equal(in.At) ||
		string(e.Data) != string(in.Data) {
		t.Fatalf("entry = %+v, want the published %+v", e, in)
	}
	if e.Header.Get("Traceparent") != "00-abc-def-01" {
		t.Fatalf("the original's own headers are lost: %v", e.Header)
	}
	for k := range e.Header {
		if strings.HasPrefix(k, "Nats-") || strings.HasPrefix(k, "Zoneops-") {
			t.Fatalf("header %s leaked into the original's headers", k)
		}
	}
}

func TestListFiltersByConsumerAndPages(t *testing.T) {
	js := setup(t)
	a1 := publish(t, js, entry("alpha", 1, "e-1"))
	publish(t, js, entry("beta", 2, "e-2"))
	a2 := publish(t, js, entry("alpha", 3, "e-3"))

	if got := list(t, js, dlq.Filter{}); len(got) != 3 {
		t.Fatalf("all entries = %d, want 3", len(got))
	}
	alpha := list(t, js, dlq.Filter{Consumer: "alpha"})
	if len(alpha) != 2 || alpha[0].Seq != a1 || alpha[1].Seq != a2 {
		t.Fatalf("alpha entries = %+v, want seqs %d, %d", alpha, a1, a2)
	}
	page := list(t, js, dlq.Filter{Consumer: "alpha", Limit: 1})
	if len(page) != 1 || page[0].Seq != a1 {
		t.Fatalf("first page = %+v", page)
	}
	page = list(t, js, dlq.Filter{Consumer: "alpha", Limit: 1, After: page[0].Seq})
	if len(page) != 1 || page[0].Seq != a2 {
		t.Fatalf("second page = %+v", page)
	}
	if page = list(t, js, dlq.Filter{Consumer: "alpha", After: a2}); len(page) != 0 {
		t.Fatalf("past the end = %+v, want none", page)
	}
	if _, err := dlq.List(context.Background(), js, dlq.Filter{Consumer: "a.>"}); !errors.Is(err, fault.ErrInvalid) {
		t.Fatalf("a consumer name that is not a subject token: err = %v, want invalid", err)
	}
}

func TestListWithoutTheStreamIsEmpty(t *testing.T) {
	_, js := natsxtest.Connect(t, natsxtest.Start(t))
	if got := list(t, js, dlq.Filter{}); len(got) != 0 {
		t.Fatalf("entries = %+v, want none", got)
	}
}

func TestPublishingOneOriginalTwiceStoresItOnce(t *testing.T) {
	js := setup(t)
	// A runner that crashed between the dead-letter publish and terminating the original
	// dead-letters the redelivery again.
	first := publish(t, js, entry("alpha", 5, "e-5"))
	second := publish(t, js, entry("alpha", 5, "e-5"))
	if first != second {
		t.Fatalf("second publish stored a new entry %d (first %d)", second, first)
	}
	if got := list(t, js, dlq.Filter{}); len(got) != 1 {
		t.Fatalf("entries = %d, want 1", len(got))
	}
}

func TestReasonIsKeptOnOneBoundedLine(t *testing.T) {
	js := setup(t)
	e := entry("alpha", 1, "e-1")
	e.Reason = "max_deliver: line one\r\nline two " + strings.Repeat("é", 2000)
	publish(t, js, e)
	got := list(t, js, dlq.Filter{})[0].Reason
	if strings.ContainsAny(got, "\r\n") || len(got) > 1024 || !strings.HasPrefix(got, "max_deliver: line one  line two") {
		t.Fatalf("reason = %q (%d bytes)", got, len(got))
	}
	if !strings.HasSuffix(got, "é") {
		t.Fatalf("reason was cut inside a character: %q", got[len(got)-4:])
	}
}

func TestReplayRepublishesUnderAFreshMessageIDAndDeletesTheEntry(t *testing.T) {
	js := setup(t)
	ctx := context.Background()
	// The original event, published by its producer with its id as Nats-Msg-Id.
	orig := nats.NewMsg(origSubject)
	orig.Data = []byte(`{"id":"e-1"}`)
	origAck, err := js.PublishMsg(ctx, orig, jetstream.WithMsgID("e-1"))
	if err != nil {
		t.Fatal(err)
	}
	seq := publish(t, js, entry("alpha", origAck.Sequence, "e-1"))

	if err := dlq.Replay(ctx, js, seq); err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(ctx, origStream)
	if err != nil {
		t.Fatal(err)
	}
	// Within the duplicate window: a replay under the event id would have been swallowed.
	replayed, err := s.GetMsg(ctx, origAck.Sequence+1)
	if err != nil {
		t.Fatalf("replayed message not in %s: %v", origStream, err)
	}
	if want := "e-1.replay." + strconv.FormatUint(seq, 10); replayed.Header.Get(jetstream.MsgIDHeader) != want {
		t.Fatalf("Nats-Msg-Id = %q, want %q", replayed.Header.Get(jetstream.MsgIDHeader), want)
	}
	if string(replayed.Data) != `{"id":"e-1"}` || replayed.Subject != origSubject {
		t.Fatalf("replayed %s %q, want the original data on %s", replayed.Subject, replayed.Data, origSubject)
	}
	if replayed.Header.Get("Traceparent") != "00-abc-def-01" {
		t.Fatalf("replay lost the original headers: %v", replayed.Header)
	}
	if got := list(t, js, dlq.Filter{}); len(got) != 0 {
		t.Fatalf("entries after replay = %+v, want none", got)
	}
	if err := dlq.Replay(ctx, js, seq); !errors.Is(err, fault.ErrNotFound) {
		t.Fatalf("replaying a deleted entry: err = %v, want not found", err)
	}
}

func TestReplayKeepsTheEntryWhenTheOriginalStreamIsGone(t *testing.T) {
	js := setup(t)
	ctx := context.Background()
	e := entry("alpha", 1, "e-1")
	e.OriginalStream, e.OriginalSubject = "VANISHED", "zoneops.vanished.thing.changed"
	seq := publish(t, js, e)

	if err := dlq.Replay(ctx, js, seq); err == nil {
		t.Fatal("replay to a subject no stream captures succeeded")
	}
	if got := list(t, js, dlq.Filter{}); len(got) != 1 || got[0].Seq != seq {
		t.Fatalf("entries = %+v, want the entry kept", got)
	}
}

func TestGetOfAnUnknownSequenceIsNotFound(t *testing.T) {
	js := setup(t)
	if _, err := dlq.Get(context.Background(), js, 42); !errors.Is(err, fault.ErrNotFound) {
		t.Fatalf("err = %v, want not found", err)
	}
}
