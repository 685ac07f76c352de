// Package natsxtest starts an embedded NATS server with JetStream on a random port for a test,
// so the test can stop and restart it without touching any shared server.
package natsxtest

import (
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// Start runs a fresh embedded server for t and shuts it down when t ends. With users, only
// they may log in, each with its permissions; with none, anyone may.
func Start(t testing.TB, users ...natsx.User) *natsx.Embedded {
	t.Helper()
	e, err := natsx.StartEmbedded(natsx.EmbeddedConfig{StoreDir: t.TempDir(), Users: users})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	return e
}

// Connect opens a reconnecting client to e, closed when t ends.
func Connect(t testing.TB, e *natsx.Embedded) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	return ConnectAs(t, e, natsx.Auth{})
}

// ConnectAs opens a reconnecting client to e with the credentials a, closed when t ends.
func ConnectAs(t testing.TB, e *natsx.Embedded, a natsx.Auth) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	opts, err := a.Options()
	if err != nil {
		t.Fatal(err)
	}
	nc, err := natsx.Connect(e.URL(), t.Name(), nil, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}
