package tenants

import (
	"context"
	"log/slog"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// EnvPrefix prefixes the tenants service's own variables.
const EnvPrefix = "ZONEOPS_TENANTS_"

// ProcessConfig is what a process needs to run the tenants service: where to listen and the
// service's settings.
type ProcessConfig struct {
	HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:8081" help:"address of the tenants HTTP API"`
	Config
}

// NATSPermissions are the subjects the tenants service may use on NATS once its stream
// exists: it publishes only the tenants' events, into TENANTS.
func NATSPermissions() natsx.Permissions {
	return natsx.Producer(envelope.StreamTenants, envelope.SubjectsTenants)
}

// NATSStreamPermissions are what declaring the tenants service's stream needs on top: on the
// embedded server the service has them; in production an operator's user does (see
// natsx.StreamOwner for why).
func NATSStreamPermissions() natsx.Permissions {
	return natsx.StreamOwner(envelope.StreamTenants)
}

// NewUnit opens the tenants database, builds the service and listens on its address, ready
// for app.RunUnits. The same function serves cmd/tenants and the all-in-one zoneops binary.
func NewUnit(ctx context.Context, common app.Common, pc ProcessConfig, n *app.NATS, logger *slog.Logger, version string) (app.Unit, error) {
	return app.OpenUnit(ctx, common, Name, pc.HTTPAddr, version, n, logger, func(ctx context.Context, d app.Deps) (app.Service, error) {
		return New(ctx, pc.Config, d)
	})
}
