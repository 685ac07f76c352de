package allocation

import (
	"context"
	"log/slog"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	licences "github.com/zoneops/zoneops/services/allocation/internal/consumer"
)

// EnvPrefix prefixes the allocation service's own variables.
const EnvPrefix = "ZONEOPS_ALLOCATION_"

// ProcessConfig is what a process needs to run the allocation service.
type ProcessConfig struct {
	HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:8082" help:"address of the allocation HTTP API"`
	Config
}

// LicencesDurable names allocation's durable consumer of the TENANTS stream's licence events.
const LicencesDurable = licences.Name

// NATSPermissions are the subjects the allocation service may use on NATS once its streams
// exist: it publishes only allocation's events, into ALLOCATION, and reads the TENANTS stream
// through its licences durable (dead-lettering what it cannot handle) without being able to
// publish there.
func NATSPermissions() natsx.Permissions { return definition.NATSPermissions() }

// NATSStreamPermissions are what declaring the ALLOCATION and dead-letter streams needs on top
// (see app.Definition.NATSStreamPermissions).
func NATSStreamPermissions() natsx.Permissions { return definition.NATSStreamPermissions() }

// NewUnit opens the allocation database, builds the service and listens on its address, ready
// for app.RunUnits; cmd/allocation and the all-in-one zoneops binary both use it.
func NewUnit(ctx context.Context, common app.Common, pc ProcessConfig, n *app.NATS, logger *slog.Logger, version string) (app.Unit, error) {
	return definition.NewUnit(ctx, common, pc.HTTPAddr, pc.Config, n, logger, version)
}

// Program is the allocation service as a process runs it (cmd/allocation and zoneops), with a
// configuration of its own to fill.
func Program(version string) app.Program {
	var pc ProcessConfig
	return definition.Program(&pc, &pc.HTTPAddr, &pc.Config, version)
}
