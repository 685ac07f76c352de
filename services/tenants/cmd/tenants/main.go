// Command tenants runs the tenants service on its own: against external NATS and PostgreSQL in
// production, or on the embedded defaults (an in-process NATS server and a SQLite file under
// ./data) on a laptop.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // legal dates are counted in Asia/Karachi even where the OS has no tz database

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/services/tenants"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stderr, func(string) {})
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
func run(ctx context.Context, args []string, lookup config.Lookup, stderr io.Writer, listening func(url string)) error {
	var pc tenants.ProcessConfig
	return app.RunService(ctx, app.ServiceMain{
		Name: tenants.Name, EnvPrefix: tenants.EnvPrefix, Config: &pc, NATS: tenants.NATSPermissions().Merge(tenants.NATSStreamPermissions()),
		Open: func(ctx context.Context, common app.Common, n *app.NATS, logger *slog.Logger) (app.Unit, error) {
			return tenants.NewUnit(ctx, common, pc, n, logger, version)
		},
	}, args, lookup, stderr, listening)
}
