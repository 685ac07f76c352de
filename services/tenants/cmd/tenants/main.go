// Command tenants runs the tenants service on its own: against external NATS and PostgreSQL in
// production, or on the embedded defaults (an in-process NATS server and a SQLite file under
// ./data) on a laptop.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // legal dates are counted in Asia/Karachi even where the OS has no tz database

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/libs/platform/logx"
	"github.com/zoneops/zoneops/services/tenants"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, func(string) {})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tenants:", err)
		if errors.Is(err, app.ErrUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// run is the whole program; ctx ends it. listening hears the API's URL once it is served.
func run(ctx context.Context, args []string, lookup config.Lookup, listening func(url string)) error {
	fs := flag.NewFlagSet("tenants", flag.ContinueOnError)
	var common app.Common
	var pc tenants.ProcessConfig
	if err := config.RegisterFlags(fs, "ZONEOPS_", &common, "DATA_DIR", "NATS_URL", "POSTGRES_DSN", "LOG_LEVEL"); err != nil {
		return err
	}
	if err := config.RegisterFlags(fs, tenants.EnvPrefix, &pc, "HTTP_ADDR"); err != nil {
		return err
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: tenants [flags]\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nEnvironment:\n%s%s", config.Usage("ZONEOPS_", &common), config.Usage(tenants.EnvPrefix, &pc))
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", app.ErrUsage, err)
	}
	if err := config.Load("ZONEOPS_", &common, lookup, fs); err != nil {
		return err
	}
	if err := config.Load(tenants.EnvPrefix, &pc, lookup, fs); err != nil {
		return err
	}
	logger, err := logx.New(os.Stderr, common.LogLevel, "zoneops")
	if err != nil {
		return err
	}
	logger.Info("config", "common", config.String("ZONEOPS_", &common), "tenants", config.String(tenants.EnvPrefix, &pc))

	n, err := common.ConnectNATS("tenants", logger)
	if err != nil {
		return err
	}
	defer n.Close()
	u, err := tenants.NewUnit(ctx, common, pc, n, logger, version)
	if err != nil {
		return err
	}
	defer u.DB.Close()
	url := app.HTTPURL(u.Listener.Addr().String())
	logger.Info("tenants listening", "url", url, "nats", n.URL(), "database", string(u.DB.Dialect))
	listening(url)
	return app.RunUnits(ctx, n, u)
}
