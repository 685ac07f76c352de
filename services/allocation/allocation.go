// Package allocation is the allocation service: zones, plots (with boundaries), buildings,
// units, allocation requests and leases. New wires it from its dependencies so that the same
// code runs as its own binary (cmd/allocation) and inside the all-in-one zoneops process.
package allocation

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
	"github.com/zoneops/zoneops/libs/platform/consumer"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/idempotency"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/outbox"
	licences "github.com/zoneops/zoneops/services/allocation/internal/consumer"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/transport"
)

// Name is the service's name in logs, metrics and the database file.
const Name = "allocation"

// Config is the allocation service's own configuration (variables carry the
// ZONEOPS_ALLOCATION_ prefix).
type Config struct {
	TimeZone                   string        `env:"TIME_ZONE" default:"Asia/Karachi" help:"time zone in which legal dates are counted"`
	AreaTolerance              float64       `env:"AREA_TOLERANCE" default:"0.02" help:"allowed difference between a plot's declared and drawn area (fraction)"`
	ConstructionStartMonths    int           `env:"CONSTRUCTION_START_MONTHS" default:"12" help:"months after a land lease starts by which construction must start"`
	ConstructionCompleteMonths int           `env:"CONSTRUCTION_COMPLETE_MONTHS" default:"36" help:"months after a land lease starts by which construction must be complete"`
	SweepInterval              time.Duration `env:"SWEEP_INTERVAL" default:"15m" help:"how often lapsed offers, due lease ends and missed milestones are handled"`
	StreamReplicas             int           `env:"STREAM_REPLICAS" default:"1" help:"replicas of the ALLOCATION stream (3 in a cluster)"`
}

// Validate checks the settings that parse but make no sense.
func (c *Config) Validate() error {
	_, err := c.policy()
	return err
}

func (c *Config) policy() (service.Policy, error) {
	tz := c.TimeZone
	if tz == "" {
		tz = "Asia/Karachi"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return service.Policy{}, fmt.Errorf("ZONEOPS_ALLOCATION_TIME_ZONE: %w", err)
	}
	p := service.DefaultPolicy()
	p.Zoning.LoadLocation = time.LoadLocation
	if c.AreaTolerance > 0 {
		p.Zoning.AreaTolerance = c.AreaTolerance
	}
	p.Leasing.Location = loc
	if c.ConstructionStartMonths > 0 {
		p.Leasing.ConstructionStartMonths = c.ConstructionStartMonths
	}
	if c.ConstructionCompleteMonths > 0 {
		p.Leasing.ConstructionCompleteMonths = c.ConstructionCompleteMonths
	}
	if err := p.Validate(); err != nil {
		return service.Policy{}, err
	}
	return p, nil
}

// Deps are what the service is given rather than creates: no global state.
type Deps = app.Deps

// Service is a wired allocation service.
type Service struct {
	cfg      Config
	svc      service.Service
	relay    *outbox.Relay
	relayDB  *db.DB // the relay's own pool (see New)
	licences *consumer.Runner
	idem     *idempotency.Store
	verifier auth.Verifier
	routes   []httpx.Route
	logger   *slog.Logger
	ticks    <-chan time.Time // drives sweepLoop when set, instead of SweepInterval
}

// Option changes how New wires the service.
type Option func(*Service)

// WithTicks makes the calendar sweep (offers lapse, leases end, missed milestones idle spaces,
// idempotency purge) run at each value from ticks instead of every SweepInterval: a test sends
// on ticks to make the sweep happen now, on the service's clock. It still runs once at start.
func WithTicks(ticks <-chan time.Time) Option { return func(s *Service) { s.ticks = ticks } }

// Migrations are every table set the allocation database needs.
func Migrations() []db.Migrations {
	return []db.Migrations{outbox.Migrations, idempotency.Migrations, consumer.Migrations, store.Migrations}
}

// New migrates the database, declares the ALLOCATION stream and wires the service, including
// the consumer that keeps the licence projection from the tenants events.
func New(ctx context.Context, cfg Config, d Deps, opts ...Option) (*Service, error) {
	if d.DB == nil || d.JS == nil || d.Verifier == nil {
		return nil, errors.New("allocation: DB, JS and Verifier are required")
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
	if cfg.SweepInterval <= 0 {
		cfg.SweepInterval = 15 * time.Minute
	}
	policy, err := cfg.policy()
	if err != nil {
		return nil, err
	}
	if err := d.DB.Migrate(ctx, Migrations()...); err != nil {
		return nil, fmt.Errorf("allocation: %w", err)
	}
	if _, err := natsx.EnsureStream(ctx, d.JS, natsx.StreamSpec{
		Name: envelope.StreamAllocation, Subjects: []string{envelope.SubjectsAllocation}, Replicas: cfg.StreamReplicas,
	}); err != nil {
		return nil, fmt.Errorf("allocation: %w", err)
	}
	// The relay gets a pool of its own on PostgreSQL, so it neither holds a connection that
	// requests queue for nor waits behind a burst of them; Run closes it.
	relayDB, err := d.DB.Sibling(ctx, 2)
	if err != nil {
		return nil, fmt.Errorf("allocation: %w", err)
	}
	relay := outbox.NewRelay(relayDB, d.JS, outbox.Options{Logger: d.Logger, Registerer: d.Registry, Name: Name})
	st := store.New(d.DB, relay.Notify)
	svc := service.New(st, policy, d.Now, service.NewID)
	cc := licences.Config(st, policy, d.Now)
	cc.Logger, cc.Registerer, cc.AfterCommit = d.Logger, d.Registry, relay.Notify
	licenceRunner, err := consumer.New(d.DB, d.JS, cc)
	if err != nil {
		relayDB.Close()
		return nil, fmt.Errorf("allocation: %w", err)
	}
	newGauges(d.Registry, st, d.Logger, d.Now)
	s := &Service{
		cfg: cfg, svc: svc, relay: relay, relayDB: relayDB, licences: licenceRunner, logger: d.Logger, verifier: d.Verifier,
		idem:   idempotency.NewStore(d.DB, idempotency.StoreOptions{Now: d.Now}),
		routes: transport.Routes(svc, st.ZoneIDsOf, service.NewViews(st)),
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
	auth.Mount(mux, s.routes, s.verifier, s.logger, create)
}

// Run relays events, consumes licence events and sweeps the calendar until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	defer s.relayDB.Close()
	return app.RunAll(ctx, s.relay.Run, s.licences.Run, s.sweepLoop)
}

// sweepLoop is the service's calendar: offers lapse, leases end, missed milestones idle
// spaces; and old idempotency keys are purged on the same beat.
func (s *Service) sweepLoop(ctx context.Context) error {
	return app.Repeat(ctx, s.cfg.SweepInterval, s.ticks, s.sweep)
}

func (s *Service) sweep(ctx context.Context) {
	r, err := s.svc.Sweep(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		s.logger.ErrorContext(ctx, "sweep", "err", err)
	case r != (service.SweepReport{}):
		s.logger.InfoContext(ctx, "sweep", "offers_expired", r.OffersExpired, "leases_ended", r.LeasesEnded, "spaces_idled", r.SpacesIdled)
	}
	if _, err := s.idem.Purge(ctx); err != nil && ctx.Err() == nil {
		s.logger.ErrorContext(ctx, "purge idempotency keys", "err", err)
	}
}
