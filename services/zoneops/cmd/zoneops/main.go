// Command zoneops runs every zoneops service in one process: on the embedded defaults (an
// in-process NATS server with JetStream and a SQLite file per service under ./data) for a
// laptop or a single small zone, or against external NATS and PostgreSQL.
//
//	zoneops run [--data-dir ./data] [--nats-url nats://...] [--postgres-dsn postgres://...] [--demo]
//
// With --demo it also seeds the demo data (package demo) through the services' APIs once they
// are listening, unless the data are there already.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"
	_ "time/tzdata" // legal dates are counted in Asia/Karachi even where the OS has no tz database

	"github.com/google/uuid"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/libs/platform/logx"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/tenants"
	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
	"github.com/zoneops/zoneops/services/zoneops/internal/demo"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	app.Exit("zoneops", err)
}

// programs are the services zoneops runs, in the order they start; adding a service to the
// process is one entry here. Each call gives every program a configuration of its own.
func programs() []app.Program {
	return []app.Program{tenants.Definition().Program(version), allocation.Definition().Program(version)}
}

// run is the whole program; ctx ends it (Ctrl-C in main, the test's cancel in tests).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	lookup := func(k string) (string, bool) { v := getenv(k); return v, v != "" }
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintln(stderr, "Usage: zoneops run [flags]   (zoneops run --help lists them)")
		return app.ErrUsage
	}
	fs := flag.NewFlagSet("zoneops run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var common app.Common
	progs := programs()
	if err := config.RegisterFlags(fs, app.CommonPrefix, &common, append([]string{"DATA_DIR", "NATS_URL", "POSTGRES_DSN", "LOG_LEVEL"}, app.AuthFlags...)...); err != nil {
		return err
	}
	seedDemo := fs.Bool("demo", false, "seed the demo zones, plots, licences and leases through the APIs once the services listen (nothing is added when zone ISB exists)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: zoneops run [flags]\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nEnvironment:\n%s", config.Usage(app.CommonPrefix, &common))
		for _, p := range progs {
			fmt.Fprint(stderr, config.Usage(p.EnvPrefix, p.Config))
		}
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%w: %v", app.ErrUsage, err)
	}
	if err := config.Load(app.CommonPrefix, &common, lookup, fs); err != nil {
		return err
	}
	settings := []any{"common", config.String(app.CommonPrefix, &common)}
	for _, p := range progs {
		if err := config.Load(p.EnvPrefix, p.Config, lookup, nil); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		settings = append(settings, p.Name, config.String(p.EnvPrefix, p.Config))
	}
	logger, err := logx.New(stderr, common.LogLevel, "zoneops")
	if err != nil {
		return err
	}
	logger.Info("config", settings...)

	// The profiles are served for as long as this function runs, and no longer.
	pprofCtx, stopPprof := context.WithCancel(ctx)
	defer stopPprof()
	if _, err := app.ServePprof(pprofCtx, common.PprofAddr, logger); err != nil {
		return err
	}
	// On the embedded server each service logs in as itself, allowed its own subjects and its own
	// streams only, and zonectl (events tail, dlq replay) as an operator; the passwords live as
	// long as this start, and only zonectl's leaves the process.
	users := map[string]*natsx.Permissions{cli.NATSUser: nil}
	for _, p := range progs {
		users[p.Name] = &p.NATS
	}
	srv, err := common.StartNATS(users, logger)
	if err != nil {
		return err
	}
	defer srv.Close()
	conns := make([]*app.NATS, len(progs))
	for i, p := range progs {
		if conns[i], err = srv.Connect(p.Name, logger); err != nil {
			return err
		}
		defer conns[i].Close()
	}

	// One verifier for every unit: with JWKS the keys are fetched and refreshed once.
	if common.Shared, err = common.Verifier(ctx, logger); err != nil {
		return err
	}
	units := make([]app.Unit, len(progs))
	for i, p := range progs {
		if units[i], err = p.Open(ctx, common, conns[i], logger); err != nil {
			return err
		}
		defer units[i].DB.Close()
	}

	info := cli.RuntimeInfo{NATSURL: srv.URL(), Services: map[string]string{}}
	for _, u := range units {
		info.Services[u.Name] = app.HTTPURL(u.Listener.Addr().String())
	}
	if srv.Embedded != nil {
		// zonectl needs the operator's password to read the events; the file is 0600, so only
		// whoever runs zoneops (and could read its SQLite files anyway) can use it.
		a, err := srv.Auth(cli.NATSUser)
		if err != nil {
			return err
		}
		if err := cli.WriteNATSCredentials(common.DataDir, cli.NATSCredentials{User: a.User, Password: a.Password}); err != nil {
			return err
		}
	}
	if err := cli.WriteRuntimeInfo(common.DataDir, info); err != nil {
		return err
	}
	banner(stdout, common, info, logger)
	if !*seedDemo {
		return app.RunUnits(ctx, units...)
	}
	// The listeners are open, so the seed's calls wait in their backlogs until the units
	// serve; the seed itself waits for /readyz. It stops when the units stop.
	demoCtx, stopDemo := context.WithCancel(ctx)
	seeded := make(chan struct{})
	go func() {
		defer close(seeded)
		runDemo(demoCtx, common, info, stdout, logger)
	}()
	err = app.RunUnits(ctx, units...)
	stopDemo()
	<-seeded
	return err
}

// runDemo seeds the demo data and prints its summary. A failed seed is reported, and the
// services keep running: what was seeded stays, and the rest can be added by hand.
func runDemo(ctx context.Context, common app.Common, info cli.RuntimeInfo, stdout io.Writer, logger *slog.Logger) {
	logger = logger.With("component", "demo")
	if common.JWKSURL != "" {
		logger.Error("--demo needs development tokens, which the services refuse while ZONEOPS_JWKS_URL is set; no demo data seeded")
		fmt.Fprintln(stdout, "demo data not seeded: --demo signs development tokens, and ZONEOPS_JWKS_URL is set")
		return
	}
	rep, err := demo.Seed(ctx, demo.Config{
		TenantsURL: info.Services["tenants"], AllocationURL: info.Services["allocation"],
		Secret: []byte(common.Secret()), Logger: logger,
	})
	switch {
	case ctx.Err() != nil:
		logger.Info("demo seeding stopped", "err", err)
	case err != nil:
		logger.Error("demo seeding failed", "err", err)
		fmt.Fprintf(stdout, "demo data could not be seeded (the services keep running): %v\n", err)
	default:
		fmt.Fprint(stdout, rep.Summary())
	}
}

// banner tells a person what is running and how to try it: URLs, how to get a token, and a
// few zonectl commands. It prints tokens only on the public development secret: tokens signed
// with a real secret would be live credentials in whatever collects stdout.
func banner(w io.Writer, common app.Common, info cli.RuntimeInfo, logger *slog.Logger) {
	fmt.Fprintf(w, "\nzoneops is running (Ctrl-C stops it)\n\n")
	fmt.Fprintf(w, "  NATS        %s\n", info.NATSURL)
	for _, name := range slices.Sorted(maps.Keys(info.Services)) {
		url := info.Services[name]
		fmt.Fprintf(w, "  %-11s %s   (%s/metrics, %s/readyz)\n", name, url, url, url)
	}
	db := "SQLite files under " + common.DataDir
	if common.PostgresDSN != "" {
		db = "PostgreSQL " + config.MaskURL(common.PostgresDSN) + " (a schema per service)"
	}
	fmt.Fprintf(w, "  database    %s\n\n", db)
	if common.JWKSURL != "" {
		fmt.Fprintf(w, "Tokens come from your OIDC issuer (%s).\n", common.JWKSURL)
		return
	}
	tenantID := uuid.Must(uuid.NewV7()).String()
	if !common.DevAuth() {
		fmt.Fprintf(w, "Tokens are signed with %sJWT_SECRET; none is printed here. Mint one where that secret is set:\n"+
			"  %sJWT_SECRET=... zonectl token --role operator\n", app.CommonPrefix, app.CommonPrefix)
	} else {
		devTokens(w, tenantID, common.JWTMaxLifetime, logger)
	}
	fmt.Fprintf(w, `
Try (in another terminal, from the repository root; make run builds ./bin/zonectl):
  ./bin/zonectl applications create --example > app.json
  export ZONEOPS_TOKEN=$(./bin/zonectl token --role tenant --tenant %s)
  ./bin/zonectl applications create -f app.json
  ./bin/zonectl events tail

`, tenantID)
}

// devTokens prints a token per role signed with the public development secret, valid for a
// day or the services' shorter maximum lifetime.
func devTokens(w io.Writer, tenantID string, maxLifetime time.Duration, logger *slog.Logger) {
	ttl := auth.DefaultMaxLifetime
	if maxLifetime > 0 && maxLifetime < ttl {
		ttl = maxLifetime
	}
	principals := []auth.Principal{
		{Subject: "operator-1", Role: auth.Operator},
		{Subject: "developer-ISB", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB"}},
		{Subject: "tenant-" + tenantID, Role: auth.Tenant, TenantID: tenantID},
		{Subject: "auditor-1", Role: auth.Auditor},
		{Subject: "viewer-1", Role: auth.Viewer},
	}
	fmt.Fprintf(w, "Development tokens (public secret, valid %s; mint more with: zonectl token --role ROLE):\n", ttl)
	for _, p := range principals {
		tok, err := auth.Mint([]byte(app.DevJWTSecret), p, ttl, time.Now())
		if err != nil {
			logger.Error("mint token", "role", p.Role, "err", err)
			continue
		}
		fmt.Fprintf(w, "  %-15s %s\n", p.Role, tok)
	}
}
