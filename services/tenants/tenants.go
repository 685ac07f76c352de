// Package tenants is the tenants service: applications for zone licences, the licences granted,
// their lifecycle and the authority's decision deadlines. New wires it from its dependencies so
// that the same code runs as its own binary (cmd/tenants) and inside the all-in-one zoneops
// process.
package tenants

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/idempotency"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/outbox"
	"github.com/zoneops/zoneops/services/tenants/internal/endpoints"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
	"github.com/zoneops/zoneops/services/tenants/internal/transport"
)

// Name is the service's name in logs, metrics and the database file.
const Name = "tenants"

// Config is the tenants service's own configuration (the process adds database, NATS, HTTP
// address and auth around it). Variables carry the ZONEOPS_TENANTS_ prefix.
type Config struct {
	DecisionDays     int           `env:"DECISION_DAYS" default:"30" help:"calendar days the authority has to decide a submitted application"`
	LicenceTermYears int           `env:"LICENCE_TERM_YEARS" default:"10" help:"years a granted licence is valid"`
	TimeZone         string        `env:"TIME_ZONE" default:"Asia/Karachi" help:"time zone in which legal dates are counted"`
	ExpiryInterval   time.Duration `env:"EXPIRY_INTERVAL" default:"1h" help:"how often licences past their validity are expired"`
	StreamReplicas   int           `env:"STREAM_REPLICAS" default:"1" help:"replicas of the TENANTS stream (3 in a cluster)"`
}

// Validate checks the settings that parse but make no sense.
func (c *Config) Validate() error {
	_, err := c.policy()
	return err
}

func (c *Config) policy() (licensing.Policy, error) {
	// An empty zone means the default, not UTC (which is what time.LoadLocation("") returns):
	// legal dates counted in UTC would fall a day early every morning before 05:00 in Karachi.
	loc := civil.PakistanStandardTime()
	if c.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(c.TimeZone); err != nil {
			return licensing.Policy{}, fmt.Errorf("ZONEOPS_TENANTS_TIME_ZONE: %w", err)
		}
	}
	p := licensing.Policy{DecisionDays: c.DecisionDays, Location: loc, LicenceTermYears: c.LicenceTermYears}
	if err := p.Validate(); err != nil {
		return licensing.Policy{}, err
	}
	return p, nil
}

// Deps are what the service is given rather than creates: no global state.
type Deps = app.Deps

// Service is a wired tenants service.
type Service struct {
	cfg      Config
	svc      service.Service
	relay    *outbox.Relay
	relayDB  *db.DB // the relay's own pool (see New)
	idem     *idempotency.Store
	verifier auth.Verifier
	set      endpoints.Set
	logger   *slog.Logger
	ticks    <-chan time.Time // drives expireLoop when set, instead of ExpiryInterval
}

// Option changes how New wires the service.
type Option func(*Service)

// WithTicks makes the housekeeping beat (licence expiry, idempotency purge) run at each value
// from ticks instead of every ExpiryInterval: a test sends on ticks to make the beat happen
// now, on the service's clock. It still runs once at start.
func WithTicks(ticks <-chan time.Time) Option { return func(s *Service) { s.ticks = ticks } }

// Migrations are every table set the tenants database needs.
func Migrations() []db.Migrations {
	return []db.Migrations{outbox.Migrations, idempotency.Migrations, store.Migrations}
}

// New migrates the database, declares the TENANTS stream and wires the service.
func New(ctx context.Context, cfg Config, d Deps, opts ...Option) (*Service, error) {
	if d.DB == nil || d.JS == nil || d.Verifier == nil {
		return nil, errors.New("tenants: DB, JS and Verifier are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	policy, err := cfg.policy()
	if err != nil {
		return nil, err
	}
	if cfg.ExpiryInterval <= 0 {
		cfg.ExpiryInterval = time.Hour // time.NewTicker panics on zero
	}
	if err := d.DB.Migrate(ctx, Migrations()...); err != nil {
		return nil, fmt.Errorf("tenants: %w", err)
	}
	if _, err := natsx.EnsureStream(ctx, d.JS, natsx.StreamSpec{
		Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}, Replicas: cfg.StreamReplicas,
	}); err != nil {
		return nil, fmt.Errorf("tenants: %w", err)
	}
	// The relay gets a pool of its own on PostgreSQL, so it neither holds a connection that
	// requests queue for nor waits behind a burst of them; Run closes it.
	relayDB, err := d.DB.Sibling(ctx, 2)
	if err != nil {
		return nil, fmt.Errorf("tenants: %w", err)
	}
	relay := outbox.NewRelay(relayDB, d.JS, outbox.Options{Logger: d.Logger, Registerer: d.Registry, Name: Name})
	st := store.New(d.DB, relay.Notify)
	m := newGauges(d.Registry, st, policy, d.Now, d.Logger)
	svc := service.New(st, policy, d.Now, m)
	s := &Service{
		cfg: cfg, svc: svc, relay: relay, relayDB: relayDB, logger: d.Logger, verifier: d.Verifier,
		idem: idempotency.NewStore(d.DB, idempotency.StoreOptions{Now: d.Now}),
		set:  endpoints.New(svc, d.Verifier),
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Register mounts the /v1 routes on mux; the process adds health, metrics and middleware.
func (s *Service) Register(mux *http.ServeMux) {
	create := idempotency.Middleware(s.idem, idempotency.Config{
		Principal: auth.PrincipalKeyFunc(s.verifier), MaxBodyBytes: transport.MaxBodyBytes, Logger: s.logger,
	})
	transport.Routes(mux, s.set, s.logger, create)
}

// Run relays events and expires licences until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	defer s.relayDB.Close()
	return app.RunAll(ctx, s.relay.Run, s.expireLoop)
}

// expireLoop is the service's housekeeping beat: expire licences past validity, purge old
// idempotency keys.
func (s *Service) expireLoop(ctx context.Context) error {
	return app.Repeat(ctx, s.cfg.ExpiryInterval, s.ticks, s.housekeeping)
}

func (s *Service) housekeeping(ctx context.Context) {
	n, err := s.svc.ExpireDue(ctx)
	if err != nil && ctx.Err() == nil {
		s.logger.ErrorContext(ctx, "expire licences", "err", err)
	} else if n > 0 {
		s.logger.InfoContext(ctx, "licences expired", "count", n)
	}
	// Stored idempotent answers are kept for a day; older keys are dropped on the same beat.
	if _, err := s.idem.Purge(ctx); err != nil && ctx.Err() == nil {
		s.logger.ErrorContext(ctx, "purge idempotency keys", "err", err)
	}
}
