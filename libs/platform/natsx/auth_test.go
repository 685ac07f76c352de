package natsx_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

// Two parties on one server: "owner" produces into OWN; "reader" produces into THEIRS and
// reads OWN through its durable "reader".
func ownerAndReader(t *testing.T) (owner, reader natsx.User) {
	t.Helper()
	ownerPerms := natsx.Producer("OWN", "test.own.>").Merge(natsx.StreamOwner("OWN"))
	readerPerms := natsx.Producer("THEIRS", "test.theirs.>").Merge(natsx.StreamOwner("THEIRS"), natsx.Consumer("OWN", "reader"))
	return natsx.User{Name: "owner", Password: mustPassword(t), Permissions: &ownerPerms},
		natsx.User{Name: "reader", Password: mustPassword(t), Permissions: &readerPerms}
}

func mustPassword(t *testing.T) string {
	t.Helper()
	p, err := natsx.NewPassword()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEachProducerPublishesOnlyIntoItsOwnStream(t *testing.T) {
	owner, reader := ownerAndReader(t)
	e := natsxtest.Start(t, owner, reader)
	_, ownerJS := natsxtest.ConnectAs(t, e, owner.Auth())
	_, readerJS := natsxtest.ConnectAs(t, e, reader.Auth())
	ctx := context.Background()
	own, err := natsx.EnsureStream(ctx, ownerJS, natsx.StreamSpec{Name: "OWN", Subjects: []string{"test.own.>"}})
	if err != nil {
		t.Fatalf("the owner declares its stream: %v", err)
	}
	if _, err := natsx.EnsureStream(ctx, readerJS, natsx.StreamSpec{Name: "THEIRS", Subjects: []string{"test.theirs.>"}}); err != nil {
		t.Fatalf("the reader declares its own stream: %v", err)
	}
	if _, err := natsx.EnsureStream(ctx, readerJS, natsx.StreamSpec{Name: "OWN", Subjects: []string{"test.own.>", "test.forged.>"}}); err == nil {
		t.Error("the reader changed the owner's stream")
	}

	tests := []struct {
		name    string
		js      jetstream.JetStream
		subject string
		stored  bool
	}{
		{"the owner into its stream", ownerJS, "test.own.thing.happened", true},
		{"the reader into its stream", readerJS, "test.theirs.thing.happened", true},
		{"the reader into the owner's stream", readerJS, "test.own.thing.forged", false},
		{"the owner into the reader's stream", ownerJS, "test.theirs.thing.forged", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			_, err := tt.js.Publish(pctx, tt.subject, []byte("x"))
			if tt.stored && err != nil {
				t.Fatalf("publish refused: %v", err)
			}
			if !tt.stored && err == nil {
				t.Fatal("publish acknowledged, want it refused")
			}
		})
	}
	info, err := own.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Fatalf("OWN holds %d messages, want only the owner's 1", info.State.Msgs)
	}

	// The reader still reads and acknowledges the owner's events through its durable.
	c, err := natsx.EnsureConsumer(ctx, readerJS, natsx.ConsumerSpec{Stream: "OWN", Durable: "reader", FilterSubjects: []string{"test.own.>"}})
	if err != nil {
		t.Fatalf("the reader declares its durable: %v", err)
	}
	batch, err := c.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for m := range batch.Messages() {
		got = append(got, m.Subject())
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatalf("the reader acknowledges: %v", err)
		}
	}
	if len(got) != 1 || got[0] != "test.own.thing.happened" {
		t.Fatalf("the reader read %v, want the owner's event", got)
	}
	// A refused request gets no answer: bound the wait for it.
	refused, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := natsx.EnsureConsumer(refused, ownerJS, natsx.ConsumerSpec{Stream: "THEIRS", Durable: "owner"}); err == nil {
		t.Error("the owner made a durable on a stream it was not given")
	}
}

func TestOnlyKnownUsersMayConnect(t *testing.T) {
	owner, _ := ownerAndReader(t)
	e := natsxtest.Start(t, owner)
	tests := []struct {
		name string
		opts []nats.Option
	}{
		{"no credentials", nil},
		{"a wrong password", []nats.Option{nats.UserInfo(owner.Name, owner.Password+"x")}},
		{"an unknown user", []nats.Option{nats.UserInfo("stranger", owner.Password)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nc, err := nats.Connect(e.URL(), tt.opts...)
			if err == nil {
				nc.Close()
				t.Fatal("connected, want refused")
			}
			if !errors.Is(err, nats.ErrAuthorization) {
				t.Fatalf("err = %v, want an authorization violation", err)
			}
		})
	}
	nc, err := nats.Connect(e.URL(), nats.UserInfo(owner.Name, owner.Password))
	if err != nil {
		t.Fatalf("the known user: %v", err)
	}
	nc.Close()
}

func TestAuthAcceptsOneKindOfCredential(t *testing.T) {
	tests := []struct {
		name string
		auth natsx.Auth
		ok   bool
	}{
		{"none", natsx.Auth{}, true},
		{"user and password", natsx.Auth{User: "u", Password: "p"}, true},
		{"token", natsx.Auth{Token: "t"}, true},
		{"creds file", natsx.Auth{CredsFile: "/x.creds"}, true},
		{"user without password", natsx.Auth{User: "u"}, false},
		{"password without user", natsx.Auth{Password: "p"}, false},
		{"token and creds", natsx.Auth{Token: "t", CredsFile: "/x.creds"}, false},
		{"user and token", natsx.Auth{User: "u", Password: "p", Token: "t"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.auth.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestACleanShutdownLogsNoWarningAndALostServerDoes(t *testing.T) {
	e := natsxtest.Start(t)
	var logs apitest.SyncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	nc, err := natsx.Connect(e.URL(), "clean", logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := natsx.Drain(nc, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// Drain returns once the closed handler ran, which nats.go calls after the disconnect one.
	if got := logs.String(); strings.Contains(got, "level=WARN") || strings.Contains(got, "level=ERROR") {
		t.Fatalf("a clean shutdown logged:\n%s", got)
	}

	lost, err := natsx.Connect(e.URL(), "lost", logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lost.Close)
	e.Shutdown()
	apitest.Eventually(t, "a warning that the server was lost", func() bool {
		return strings.Contains(logs.String(), `level=WARN msg="nats disconnected"`)
	})
}

// TestAProducerStartsOnAStreamDeclaredForIt: a producer that may not create or update streams
// (so it cannot make one republish into another's subjects) still starts where an operator
// declared its stream as it would, and EnsureStream changes nothing then; a stream that
// differs it cannot change.
func TestAProducerStartsOnAStreamDeclaredForIt(t *testing.T) {
	perms := natsx.Producer("OWN", "test.own.>")
	producer := natsx.User{Name: "producer", Password: mustPassword(t), Permissions: &perms}
	operator := natsx.User{Name: "operator", Password: mustPassword(t)}
	e := natsxtest.Start(t, producer, operator)
	_, pjs := natsxtest.ConnectAs(t, e, producer.Auth())
	_, ojs := natsxtest.ConnectAs(t, e, operator.Auth())
	ctx := context.Background()
	spec := natsx.StreamSpec{Name: "OWN", Subjects: []string{"test.own.>"}}
	if _, err := natsx.EnsureStream(ctx, ojs, spec); err != nil {
		t.Fatalf("the operator declares the stream: %v", err)
	}
	if _, err := natsx.EnsureStream(ctx, pjs, spec); err != nil {
		t.Fatalf("the producer on its declared stream: %v", err)
	}
	if _, err := pjs.Publish(ctx, "test.own.thing", nil); err != nil {
		t.Fatalf("the producer publishes: %v", err)
	}
	// A refused request gets no answer: bound the wait for it.
	refused, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	wider := natsx.StreamSpec{Name: "OWN", Subjects: []string{"test.own.>", "test.other.>"}}
	if _, err := natsx.EnsureStream(refused, pjs, wider); err == nil {
		t.Error("the producer changed its stream's subjects")
	}
}
