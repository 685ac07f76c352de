package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/libs/platform/logx"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// CommonPrefix prefixes the variables every process shares.
const CommonPrefix = "ZONEOPS_"

// Program describes a service as a process runs it: its name, its variables' prefix, a pointer
// to its process configuration (a struct with env tags and an HTTP_ADDR field), its NATS
// permissions and how to open it as a unit once the configuration is loaded. A single-service
// binary runs one (RunService, Main); the all-in-one process runs a table of them.
type Program struct {
	Name      string
	EnvPrefix string
	Config    any
	// NATS is what the service may publish and subscribe to: its user's permissions on the
	// embedded server (an external server's operator grants them in its own configuration).
	NATS natsx.Permissions
	// Check refuses a loaded Config that parses but makes no sense (nil: none does).
	Check func() error
	// Open opens the service as a unit, with the configuration loaded into Config.
	Open func(ctx context.Context, common Common, n *NATS, logger *slog.Logger) (Unit, error)
}

// Validate checks the loaded configuration as config.Load checks its own: a process calls it
// after loading, before it starts anything.
func (p Program) Validate() error {
	if p.Check == nil {
		return nil
	}
	if err := p.Check(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// Main is the whole of a single-service binary's main: it runs p on the process's arguments
// and environment until SIGINT or SIGTERM, and exits as Exit says.
func Main(p Program) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := p.Run(ctx, os.Args[1:], os.LookupEnv, os.Stderr, func(string) {})
	stop()
	Exit(p.Name, err)
}

// Exit ends a program that ran into err: nothing on nil, else the error on stderr after the
// program's name and exit code 2 for a usage mistake (ErrUsage), 1 for anything else.
func Exit(name string, err error) {
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, name+":", err)
	if errors.Is(err, ErrUsage) {
		os.Exit(2)
	}
	os.Exit(1)
}

// Run is RunService for p: the program a single-service binary runs, as its tests call it.
func (p Program) Run(ctx context.Context, args []string, lookup config.Lookup, stderr io.Writer, listening func(url string)) error {
	return RunService(ctx, p, args, lookup, stderr, listening)
}

// RunService is the whole program of a single-service binary: flags and environment into
// configuration, NATS (external or embedded), the unit, and serving until ctx ends. listening
// hears the API's URL once it is served (tests wait for it).
func RunService(ctx context.Context, m Program, args []string, lookup config.Lookup, stderr io.Writer, listening func(url string)) error {
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
	if err := m.Validate(); err != nil {
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
