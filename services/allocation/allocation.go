// Package allocation is the allocation service: zones, plots (with boundaries), buildings,
// units, allocation requests and leases. The skeleton of libs/platform/app wires it from the
// definition below, so that the same code runs as its own binary (cmd/allocation) and inside
// the all-in-one zoneops process.
package allocation

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/consumer"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	licences "github.com/zoneops/zoneops/services/allocation/internal/consumer"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/transport"
)

// Name is the service's name in logs, metrics, the database file and its NATS user.
const Name = "allocation"

// EnvPrefix prefixes the allocation service's own variables.
const EnvPrefix = "ZONEOPS_ALLOCATION_"

// LicencesDurable names allocation's durable consumer of the TENANTS stream's licence events.
const LicencesDurable = licences.Name

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

// ProcessConfig is what a process needs to run the allocation service.
type ProcessConfig struct {
	HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:8082" help:"address of the allocation HTTP API"`
	Config
}

// policy is the configuration as the rules read it; app.Definition.Check refuses a
// configuration it cannot make.
func (c Config) policy() (service.Policy, error) {
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

// Definition is the allocation service as the skeleton wires and runs it (app.Definition.New,
// NewUnit and Program; its NATS users' permissions): it publishes only allocation's events,
// into ALLOCATION, and reads the TENANTS stream through its licences durable (dead-lettering
// what it cannot handle) without being able to publish there. build makes what is its own.
func Definition() app.Definition[Config, service.Policy] {
	return app.Definition[Config, service.Policy]{
		Name:         Name,
		EnvPrefix:    EnvPrefix,
		Stream:       natsx.StreamSpec{Name: envelope.StreamAllocation, Subjects: []string{envelope.SubjectsAllocation}},
		Replicas:     func(c Config) int { return c.StreamReplicas },
		Migrations:   []db.Migrations{consumer.Migrations, store.Migrations},
		Consumes:     consumer.Permissions(envelope.StreamTenants, LicencesDurable),
		AlsoDeclares: []string{envelope.StreamDeadLetter},
		MaxBodyBytes: transport.MaxBodyBytes,
		Prepare:      Config.policy,
		Process:      func() any { return new(ProcessConfig) },
		Build:        build,
	}
}

// build wires the store, the use cases, the consumer that keeps the licence projection from
// the tenants events, the gauges and the routes; the beat is the calendar sweep.
func build(_ context.Context, cfg Config, policy service.Policy, p app.Parts) (app.Wiring, error) {
	st := store.New(p.DB, p.Notify)
	svc := service.New(st, policy, p.Now, service.NewID)
	cc := licences.Config(st, policy, p.Now)
	cc.Logger, cc.Registerer, cc.AfterCommit = p.Logger, p.Registry, p.Notify
	licenceRunner, err := consumer.New(p.DB, p.JS, cc)
	if err != nil {
		return app.Wiring{}, err
	}
	newGauges(p.Registry, st, p.Logger, p.Now)

	every := cfg.SweepInterval
	if every <= 0 {
		every = 15 * time.Minute
	}
	return app.Wiring{
		Routes:  transport.Routes(svc, st.ZoneIDsOf, service.NewViews(st)),
		Runners: []func(context.Context) error{licenceRunner.Run},
		Beat:    app.Beat{Every: every, Work: func(ctx context.Context) { sweep(ctx, svc, p.Logger) }},
	}, nil
}

// sweep is the service's calendar: offers lapse, leases end, missed milestones idle spaces.
func sweep(ctx context.Context, svc service.Service, logger *slog.Logger) {
	r, err := svc.Sweep(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		logger.ErrorContext(ctx, "sweep", "err", err)
	case r != (service.SweepReport{}):
		logger.InfoContext(ctx, "sweep", "offers_expired", r.OffersExpired, "leases_ended", r.LeasesEnded, "spaces_idled", r.SpacesIdled)
	}
}

// Deps are what the service is given rather than creates: no global state.
type Deps = app.Deps

// WithTicks makes the calendar sweep (offers lapse, leases end, missed milestones idle spaces,
// idempotency purge) run at each value from ticks instead of every SweepInterval: a test sends
// on ticks to make the sweep happen now, on the service's clock. It still runs once at start.
func WithTicks(ticks <-chan time.Time) app.Option { return app.WithTicks(ticks) }

// New migrates the database, declares the ALLOCATION stream and wires the service, including
// the consumer that keeps the licence projection from the tenants events.
func New(ctx context.Context, cfg Config, d Deps, opts ...app.Option) (*app.Wired, error) {
	return Definition().New(ctx, cfg, d, opts...)
}
