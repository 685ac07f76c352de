// Package natsx connects to NATS (an external cluster or an embedded server for laptops and
// tests) and declares the JetStream streams and durable consumers a service needs.
package natsx

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedConfig configures an in-process NATS server.
type EmbeddedConfig struct {
	// StoreDir keeps JetStream's files; events survive a restart with the same dir.
	StoreDir string
	// Host to listen on; default 127.0.0.1.
	Host string
	// Port to listen on; 0 picks a free port, so the embedded server never clashes with a NATS
	// server already running on 4222.
	Port int
	// Users may log in, each with its own permissions. With none the server accepts anyone
	// who reaches its port: for tests of other things only.
	Users []User
}

// Embedded is a running in-process NATS server with JetStream.
type Embedded struct {
	srv  *server.Server
	opts *server.Options
}

// StartEmbedded starts a NATS server with JetStream that fsyncs every write before it
// acknowledges (sync_interval: always). The default interval acknowledges before fsync and
// can lose acknowledged events in an OS crash, which the outbox's guarantee cannot allow.
func StartEmbedded(cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("embedded nats: empty store dir")
	}
	host := cfg.Host
	if host == "" {
		host = "127.0.0.1"
	}
	port := cfg.Port
	if port == 0 {
		p, err := freePort(host)
		if err != nil {
			return nil, fmt.Errorf("embedded nats: %w", err)
		}
		port = p
	}
	opts := &server.Options{
		ServerName:         "zoneops-embedded",
		Host:               host,
		Port:               port,
		JetStream:          true,
		StoreDir:           cfg.StoreDir,
		SyncAlways:         true,
		SyncInterval:       2 * time.Minute, // ignored when SyncAlways; set so defaults do not override
		NoSigs:             true,
		MaxPayload:         1 << 20,
		JetStreamMaxMemory: 256 << 20,
	}
	for _, u := range cfg.Users {
		if u.Name == "" || u.Password == "" {
			return nil, errors.New("embedded nats: a user needs a name and a password")
		}
		opts.Users = append(opts.Users, &server.User{Username: u.Name, Password: u.Password, Permissions: serverPermissions(u.Permissions)})
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("embedded nats: not ready after 10s")
	}
	return &Embedded{srv: srv, opts: opts}, nil
}

// URL is the client URL of the server.
func (e *Embedded) URL() string { return e.srv.ClientURL() }

// Port is the port the server listens on (kept across Restart).
func (e *Embedded) Port() int { return e.opts.Port }

// Shutdown stops the server and waits until it has.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}

// Restart stops the server and starts a new one on the same port and store directory, as an
// operator's restart would; clients with reconnect enabled find it again.
func (e *Embedded) Restart() error {
	e.Shutdown()
	srv, err := server.NewServer(e.opts)
	if err != nil {
		return fmt.Errorf("embedded nats restart: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return errors.New("embedded nats restart: not ready after 10s")
	}
	e.srv = srv
	return nil
}

// serverPermissions turns p into allow-lists; nil allows everything.
func serverPermissions(p *Permissions) *server.Permissions {
	if p == nil {
		return nil
	}
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: p.Publish},
		Subscribe: &server.SubjectPermission{Allow: p.Subscribe},
	}
}

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	_, p, err := net.SplitHostPort(l.Addr().String())
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(p)
}
