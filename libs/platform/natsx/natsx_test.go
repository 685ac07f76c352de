package natsx_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

func TestEnsureStreamIsIdempotentAndAllowsAtomicBatches(t *testing.T) {
	e := natsxtest.Start(t)
	_, js := natsxtest.Connect(t, e)
	ctx := context.Background()
	spec := natsx.StreamSpec{Name: "TEST", Subjects: []string{"zoneops.test.>"}}
	for i := 0; i < 2; i++ {
		s, err := natsx.EnsureStream(ctx, js, spec)
		if err != nil {
			t.Fatalf("EnsureStream #%d: %v", i+1, err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !info.Config.AllowAtomicPublish || info.Config.Storage != jetstream.FileStorage {
			t.Fatalf("config = %+v, want file storage with atomic publish", info.Config)
		}
	}
}

func TestEventsSurviveARestartOfTheEmbeddedServer(t *testing.T) {
	e := natsxtest.Start(t)
	nc, js := natsxtest.Connect(t, e)
	ctx := context.Background()
	if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: "TEST", Subjects: []string{"zoneops.test.>"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "zoneops.test.thing.happened", []byte("1")); err != nil {
		t.Fatal(err)
	}
	port := e.Port()
	if err := e.Restart(); err != nil {
		t.Fatal(err)
	}
	if e.Port() != port {
		t.Fatalf("port changed from %d to %d", port, e.Port())
	}
	// The client reconnects by itself, but JetStream answers only once the restarted server has
	// recovered its streams: wait on the stream's info, each try bounded so a try sent while
	// JetStream is still starting does not use up the whole wait.
	var info *jetstream.StreamInfo
	apitest.Eventually(t, "the TEST stream to answer after the restart", func() bool {
		tctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		s, err := js.Stream(tctx, "TEST")
		if err != nil {
			return false
		}
		info, err = s.Info(tctx)
		return err == nil
	})
	if !nc.IsConnected() {
		t.Fatal("the client did not reconnect")
	}
	if info.State.Msgs != 1 {
		t.Fatalf("messages after restart = %d, want 1", info.State.Msgs)
	}
}

func TestEnsureConsumerCreatesADurableWithExplicitAck(t *testing.T) {
	e := natsxtest.Start(t)
	_, js := natsxtest.Connect(t, e)
	ctx := context.Background()
	if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: "TEST", Subjects: []string{"zoneops.test.>"}}); err != nil {
		t.Fatal(err)
	}
	c, err := natsx.EnsureConsumer(ctx, js, natsx.ConsumerSpec{Stream: "TEST", Durable: "reader", MaxDeliver: 5})
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.AckPolicy != jetstream.AckExplicitPolicy || info.Config.Durable != "reader" || info.Config.MaxDeliver != 5 {
		t.Fatalf("consumer config = %+v", info.Config)
	}
}
