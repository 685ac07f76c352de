package tenants

import (
	"context"
	"log/slog"

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
func NATSPermissions() natsx.Permissions { return definition.NATSPermissions() }

// NATSStreamPermissions are what declaring the TENANTS stream needs on top (see
// app.Definition.NATSStreamPermissions).
func NATSStreamPermissions() natsx.Permissions { return definition.NATSStreamPermissions() }

// NewUnit opens the tenants database, builds the service and listens on its address, ready
// for app.RunUnits. The same function serves cmd/tenants and the all-in-one zoneops binary.
func NewUnit(ctx context.Context, common app.Common, pc ProcessConfig, n *app.NATS, logger *slog.Logger, version string) (app.Unit, error) {
	return definition.NewUnit(ctx, common, pc.HTTPAddr, pc.Config, n, logger, version)
}

// Program is the tenants service as a process runs it (cmd/tenants and zoneops), with a
// configuration of its own to fill.
func Program(version string) app.Program {
	var pc ProcessConfig
	return definition.Program(&pc, &pc.HTTPAddr, &pc.Config, version)
}
