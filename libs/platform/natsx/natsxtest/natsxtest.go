// Package natsxtest starts an embedded NATS server with JetStream on a random port for a test,
// so the test can stop and restart it without touching any shared server.
package natsxtest

import (
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// Start runs a fresh embedded server for t and shuts it down when t ends.
func Start(t testing.TB) *natsx.Embedded {
	t.Helper()
	e, err := natsx.StartEmbedded(natsx.EmbeddedConfig{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	return e
}

// Connect opens a reconnecting client to e, closed when t ends.
func Connect(t testing.TB, e *natsx.Embedded) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := natsx.Connect(e.URL(), t.Name(), nil)
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
