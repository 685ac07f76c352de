package app

import (
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// NATSAccess is how a process logs in to an external NATS (NATS_URL). The embedded server
// ignores it: each of its starts makes fresh credentials of its own.
type NATSAccess struct {
	NATSUser     string `env:"NATS_USER" help:"NATS user name (with NATS_PASSWORD)"`
	NATSPassword string `env:"NATS_PASSWORD" secret:"true" help:"NATS password of NATS_USER"`
	NATSToken    string `env:"NATS_TOKEN" secret:"true" help:"NATS authentication token"`
	NATSCreds    string `env:"NATS_CREDS" help:"NATS .creds file (user JWT and NKey seed) for JWT auth"`
	NATSNKeySeed string `env:"NATS_NKEY_SEED_FILE" help:"file holding a NATS NKey user seed (SU...)"`
	NATSCA       string `env:"NATS_CA" help:"PEM CA file the NATS server's certificate must chain to; turns on TLS"`
	// InsecureNATS connects to NATS_URL without credentials: for a test bed whose NATS accepts
	// anyone, never for production, where anyone reaching NATS could publish events.
	InsecureNATS bool `env:"INSECURE_NATS" help:"connect to NATS_URL without credentials (never in production: anyone who reaches NATS can then forge events)"`
}

// Auth is the configured credential.
func (a NATSAccess) Auth() natsx.Auth {
	return natsx.Auth{User: a.NATSUser, Password: a.NATSPassword, Token: a.NATSToken, CredsFile: a.NATSCreds,
		NKeySeedFile: a.NATSNKeySeed, CAFile: a.NATSCA}
}

// validate refuses an external NATS without credentials unless InsecureNATS asks for it, and
// credentials that contradict each other.
func (a NATSAccess) validate(natsURL string) []string {
	var problems []string
	if err := a.Auth().Validate(); err != nil {
		problems = append(problems, fmt.Sprintf("%sNATS_*: %v", CommonPrefix, err))
	}
	if natsURL != "" && a.Auth().Empty() && !a.InsecureNATS {
		problems = append(problems, fmt.Sprintf("%sNATS_URL is set, so NATS needs credentials, or anyone who reaches it can publish events: "+
			"set %sNATS_CREDS, %sNATS_USER and %sNATS_PASSWORD, %sNATS_TOKEN or %sNATS_NKEY_SEED_FILE, or, for a test bed only, "+
			"--insecure-nats (%sINSECURE_NATS=true)",
			CommonPrefix, CommonPrefix, CommonPrefix, CommonPrefix, CommonPrefix, CommonPrefix, CommonPrefix))
	}
	return problems
}

// NATSServer is what a process's services log in to: the external NATS_URL with the
// configured credential, or an embedded server that accepts only the users it was started
// with, each with a random password made for this start and its own permissions.
type NATSServer struct {
	// Embedded is the in-process server, nil on an external NATS.
	Embedded *natsx.Embedded
	url      string
	shared   natsx.Auth            // external: every service's credential
	users    map[string]natsx.User // embedded: by name
}

// StartNATS returns the external server of NATS_URL, or starts an embedded one (store under
// <DataDir>/nats, a free port so it never clashes with a server on 4222) whose only users are
// the keys of users, each allowed its subjects (nil: everything, for an operator's tool).
// It refuses what Validate refuses about NATS, and logs on every start an error when
// InsecureNATS lets it connect without credentials.
func (c Common) StartNATS(users map[string]*natsx.Permissions, logger *slog.Logger) (*NATSServer, error) {
	if c.NATSURL != "" {
		if problems := c.NATSAccess.validate(c.NATSURL); len(problems) > 0 {
			return nil, fmt.Errorf("nats: %s", strings.Join(problems, "; "))
		}
		if c.NATSAccess.Auth().Empty() && logger != nil {
			logger.Error("INSECURE: connecting to NATS without credentials (" + CommonPrefix + "INSECURE_NATS); anyone who reaches it can publish events. Set " +
				CommonPrefix + "NATS_CREDS, " + CommonPrefix + "NATS_USER and " + CommonPrefix + "NATS_PASSWORD, or " + CommonPrefix + "NATS_TOKEN")
		}
		return &NATSServer{url: c.NATSURL, shared: c.NATSAccess.Auth()}, nil
	}
	s := &NATSServer{users: map[string]natsx.User{}}
	var list []natsx.User
	for _, name := range slices.Sorted(maps.Keys(users)) {
		pw, err := natsx.NewPassword()
		if err != nil {
			return nil, err
		}
		u := natsx.User{Name: name, Password: pw, Permissions: users[name]}
		s.users[name] = u
		list = append(list, u)
	}
	e, err := natsx.StartEmbedded(natsx.EmbeddedConfig{StoreDir: filepath.Join(c.DataDir, "nats"), Users: list})
	if err != nil {
		return nil, err
	}
	s.Embedded, s.url = e, e.URL()
	return s, nil
}

// URL is the address clients use (credentials never in it).
func (s *NATSServer) URL() string { return s.url }

// Auth is the credential of the named user: the configured one on an external server.
func (s *NATSServer) Auth(name string) (natsx.Auth, error) {
	if s.Embedded == nil {
		return s.shared, nil
	}
	u, ok := s.users[name]
	if !ok {
		return natsx.Auth{}, fmt.Errorf("nats: no user %q on the embedded server", name)
	}
	return u.Auth(), nil
}

// Connect logs in as the named user, the connection named after it too.
func (s *NATSServer) Connect(name string, logger *slog.Logger) (*NATS, error) {
	a, err := s.Auth(name)
	if err != nil {
		return nil, err
	}
	opts, err := a.Options()
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	if s.Embedded != nil {
		// The embedded server is up, so a refused login is a bug to report at once, not an
		// outage to wait out.
		opts = append(opts, nats.RetryOnFailedConnect(false))
	}
	nc, err := natsx.Connect(s.url, name, logger, opts...)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return &NATS{Conn: nc, JS: js}, nil
}

// Close stops the embedded server, after the connections to it are closed.
func (s *NATSServer) Close() {
	if s.Embedded != nil {
		s.Embedded.Shutdown()
	}
}

// NATS is one service's connection to NATS.
type NATS struct {
	Conn *nats.Conn
	JS   jetstream.JetStream
}

// conn is the connection, nil for a unit opened without one (readiness then fails).
func (n *NATS) conn() *nats.Conn {
	if n == nil {
		return nil
	}
	return n.Conn
}

// Close drains the connection.
func (n *NATS) Close() error {
	if n == nil || n.Conn == nil {
		return nil
	}
	return natsx.Drain(n.Conn, 5*time.Second)
}
