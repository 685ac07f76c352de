// Package tenants is the tenants service: applications for zone licences, the licences granted,
// their lifecycle and the authority's decision deadlines. The skeleton of libs/platform/app wires
// it from the definition below, so that the same code runs as its own binary (cmd/tenants) and
// inside the all-in-one zoneops process.
package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
	"github.com/zoneops/zoneops/services/tenants/internal/transport"
)

const (
	// Name is the service's name in logs, metrics, the database file and its NATS user.
	Name = "tenants"
	// EnvPrefix prefixes the tenants service's own variables.
	EnvPrefix = "ZONEOPS_TENANTS_"
)

// Config is the tenants service's own configuration (the process adds database, NATS, HTTP
// address and auth around it). Variables carry the ZONEOPS_TENANTS_ prefix.
type Config struct {
	DecisionDays     int           `env:"DECISION_DAYS" default:"30" help:"calendar days the authority has to decide a submitted application"`
	LicenceTermYears int           `env:"LICENCE_TERM_YEARS" default:"10" help:"years a granted licence is valid"`
	TimeZone         string        `env:"TIME_ZONE" default:"Asia/Karachi" help:"time zone in which legal dates are counted"`
	ExpiryInterval   time.Duration `env:"EXPIRY_INTERVAL" default:"1h" help:"how often licences past their validity are expired"`
	StreamReplicas   int           `env:"STREAM_REPLICAS" default:"1" help:"replicas of the TENANTS stream (3 in a cluster)"`
}

// ProcessConfig is what a process needs to run the tenants service: where to listen and the
// service's settings.
type ProcessConfig struct {
	HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:8081" help:"address of the tenants HTTP API"`
	Config
}

// policy is the configuration as the rules read it; app.Definition.Check refuses a
// configuration it cannot make.
func (c Config) policy() (licensing.Policy, error) {
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

// Definition is the tenants service as the skeleton wires and runs it (app.Definition.New,
// NewUnit and Program; its NATS users' permissions): it publishes only the tenants' events,
// into TENANTS. build makes what is the service's own.
func Definition() app.Definition[Config, licensing.Policy] {
	return app.Definition[Config, licensing.Policy]{
		Name:         Name,
		EnvPrefix:    EnvPrefix,
		Stream:       natsx.StreamSpec{Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}},
		Replicas:     func(c Config) int { return c.StreamReplicas },
		Migrations:   []db.Migrations{store.Migrations},
		MaxBodyBytes: transport.MaxBodyBytes,
		Prepare:      Config.policy,
		Process:      func() any { return new(ProcessConfig) },
		Build:        build,
	}
}

// build wires the store, the use cases, the gauges and the routes; the beat expires licences
// past their validity every ExpiryInterval.
func build(_ context.Context, cfg Config, policy licensing.Policy, p app.Parts) (app.Wiring, error) {
	st := store.New(p.DB, p.Notify)
	svc := service.New(st, policy, p.Now, newGauges(p.Registry, st, policy, p.Now, p.Logger))
	return app.Wiring{
		Routes: transport.Routes(svc),
		Beat: app.Beat{Every: cfg.ExpiryInterval, Work: func(ctx context.Context) {
			n, err := svc.ExpireDue(ctx)
			if err != nil && ctx.Err() == nil {
				p.Logger.ErrorContext(ctx, "expire licences", "err", err)
			} else if n > 0 {
				p.Logger.InfoContext(ctx, "licences expired", "count", n)
			}
		}},
	}, nil
}

// Deps are what the service is given rather than creates: no global state.
type Deps = app.Deps

// WithTicks makes the housekeeping beat (licence expiry, idempotency purge) run at each value
// from ticks instead of every ExpiryInterval: a test sends on ticks to make the beat happen
// now, on the service's clock. It still runs once at start.
func WithTicks(ticks <-chan time.Time) app.Option { return app.WithTicks(ticks) }

// New migrates the database, declares the TENANTS stream and wires the service.
func New(ctx context.Context, cfg Config, d Deps, opts ...app.Option) (*app.Wired, error) {
	return Definition().New(ctx, cfg, d, opts...)
}
