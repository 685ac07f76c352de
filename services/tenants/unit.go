package tenants

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/metrics"
)

// EnvPrefix prefixes the tenants service's own variables.
const EnvPrefix = "ZONEOPS_TENANTS_"

// ProcessConfig is what a process needs to run the tenants service: where to listen and the
// service's settings.
type ProcessConfig struct {
	HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:8081" help:"address of the tenants HTTP API"`
	Config
}

// NewUnit opens the tenants database, builds the service and listens on its address, ready
// for app.RunUnits. The same function serves cmd/tenants and the all-in-one zoneops binary.
func NewUnit(ctx context.Context, common app.Common, pc ProcessConfig, n *app.NATS, logger *slog.Logger, version string) (app.Unit, error) {
	logger = logger.With("service", Name)
	d, err := common.OpenDB(ctx, Name)
	if err != nil {
		return app.Unit{}, fmt.Errorf("tenants: %w", err)
	}
	v, err := common.Verifier(ctx, logger)
	if err != nil {
		d.Close()
		return app.Unit{}, fmt.Errorf("tenants: %w", err)
	}
	reg := metrics.NewRegistry(Name, version)
	svc, err := New(ctx, pc.Config, Deps{DB: d, JS: n.JS, Verifier: v, Logger: logger, Registry: reg, Now: time.Now})
	if err != nil {
		d.Close()
		return app.Unit{}, err
	}
	l, err := app.Listen(pc.HTTPAddr)
	if err != nil {
		d.Close()
		return app.Unit{}, fmt.Errorf("tenants: %w", err)
	}
	return app.Unit{Name: Name, Listener: l, Service: svc, DB: d, Registry: reg, Logger: logger}, nil
}
