package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/libs/platform/logx"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// CommonPrefix prefixes the variables every process shares.
const CommonPrefix = "ZONEOPS_"

// ServiceMain describes a single-service binary: its name, its variables' prefix, a pointer to
// its process configuration (a struct with env tags and an HTTP_ADDR field), and how to open
// it as a unit.
type ServiceMain struct {
	Name      string
	EnvPrefix string
	Config    any
	// NATS is what the service may publish and subscribe to: its user's permissions on the
	// embedded server (an external server's operator grants them in its own configuration).
	NATS natsx.Permissions
	Open func(ctx context.Context, common Common, n *NATS, logger *slog.Logger) (Unit, error)
}

// RunService is the whole program of a single-service binary: flags and environment into
// configuration, NATS (external or embedded), the unit, and serving until ctx ends. listening
// hears the API's URL once it is served (tests wait for it).
func RunService(ctx context.Context, m ServiceMain, args []string, lookup config.Lookup, stderr io.Writer, listening func(url string)) error {
	fs := flag.NewFlagSet(m.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var common Common
	if err := config.RegisterFlags(fs, CommonPrefix, &common, append([]string{"DATA_DIR", "NATS_URL", "POSTGRES_DSN", "LOG_LEVEL"}, AuthFlags...)...); err != nil {
		return err
	}
	if err := config.RegisterFlags(fs, m.EnvPrefix, m.Config, "HTTP_ADDR"); err != nil {
		return err
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s [flags]\n\nFlags:\n", m.Name)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nEnvironment:\n%s%s", config.Usage(CommonPrefix, &common), config.Usage(m.EnvPrefix, m.Config))
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if err := config.Load(CommonPrefix, &common, lookup, fs); err != nil {
		return err
	}
	if err := config.Load(m.EnvPrefix, m.Config, lookup, fs); err != nil {
		return err
	}
	logger, err := logx.New(stderr, common.LogLevel, m.Name)
	if err != nil {
		return err
	}
	logger.Info("config", "common", config.String(CommonPrefix, &common), m.Name, config.String(m.EnvPrefix, m.Config))

	// The profiles are served for as long as this function runs, and no longer.
	pprofCtx, stopPprof := context.WithCancel(ctx)
	defer stopPprof()
	if _, err := ServePprof(pprofCtx, common.PprofAddr, logger); err != nil {
		return err
	}
	srv, err := common.StartNATS(map[string]*natsx.Permissions{m.Name: &m.NATS}, logger)
	if err != nil {
		return err
	}
	defer srv.Close()
	n, err := srv.Connect(m.Name, logger)
	if err != nil {
		return err
	}
	defer n.Close()
	u, err := m.Open(ctx, common, n, logger)
	if err != nil {
		return err
	}
	defer u.DB.Close()
	url := HTTPURL(u.Listener.Addr().String())
	logger.Info(m.Name+" listening", "url", url, "nats", srv.URL(), "database", string(u.DB.Dialect))
	listening(url)
	return RunUnits(ctx, u)
}
