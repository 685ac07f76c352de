package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/health"
	"github.com/zoneops/zoneops/libs/platform/metrics"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// Service is what a zoneops service exposes to the process that runs it.
type Service interface {
	// Register mounts the service's /v1 routes.
	Register(mux *http.ServeMux)
	// Run does the background work (outbox relay, consumers, sweeps) until ctx ends.
	Run(ctx context.Context) error
}

// Unit is one service with its own listener, database and metrics registry.
type Unit struct {
	Name     string
	Listener net.Listener
	Service  Service
	DB       *db.DB
	Registry *prometheus.Registry
	Logger   *slog.Logger
	// NATS is the unit's own connection, logged in as the service.
	NATS *NATS
}

// RunUnits serves every unit's HTTP API and runs its background work until ctx ends or one of
// them fails, then stops them all. /readyz checks the unit's database and NATS connection.
func RunUnits(ctx context.Context, units ...Unit) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2*len(units))
	for _, u := range units {
		ready := health.NewChecker(u.Logger, 2*time.Second,
			health.Check{Name: "database", Func: u.DB.Ping},
			health.Check{Name: "nats", Func: natsx.Ping(u.NATS.conn())},
		)
		mux := http.NewServeMux()
		u.Service.Register(mux)
		h := Handler(mux, u.Registry, ready, u.Logger)
		go func() { errc <- wrap(u.Name+" http", Serve(ctx, u.Listener, h, 10*time.Second)) }()
		go func() { errc <- wrap(u.Name, u.Service.Run(ctx)) }()
	}
	var first error
	for i := 0; i < 2*len(units); i++ {
		err := <-errc
		if err != nil && first == nil {
			first = err
		}
		cancel() // one part ending ends the process: a half-running service is worse than none
	}
	return first
}

func wrap(name string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Deps are what a service is given rather than creates: no global state.
type Deps struct {
	DB       *db.DB
	JS       jetstream.JetStream
	Verifier auth.Verifier
	Logger   *slog.Logger
	Registry prometheus.Registerer
	Now      func() time.Time
}

// OpenUnit opens the named service's own database, its verifier and metrics registry, builds
// the service with build and listens on addr: everything a process needs to run one service,
// the same for its own binary and for the all-in-one process.
func OpenUnit(ctx context.Context, common Common, name, addr, version string, n *NATS, logger *slog.Logger,
	build func(context.Context, Deps) (Service, error)) (Unit, error) {
	logger = logger.With("service", name)
	d, err := common.OpenDB(ctx, name)
	if err != nil {
		return Unit{}, fmt.Errorf("%s: %w", name, err)
	}
	fail := func(err error) (Unit, error) {
		d.Close()
		return Unit{}, fmt.Errorf("%s: %w", name, err)
	}
	v, err := common.Verifier(ctx, logger)
	if err != nil {
		return fail(err)
	}
	reg := metrics.NewRegistry(name, version)
	svc, err := build(ctx, Deps{DB: d, JS: n.JS, Verifier: v, Logger: logger, Registry: reg, Now: time.Now})
	if err != nil {
		return fail(err)
	}
	l, err := Listen(addr)
	if err != nil {
		return fail(err)
	}
	return Unit{Name: name, Listener: l, Service: svc, DB: d, Registry: reg, Logger: logger, NATS: n}, nil
}

// RunAll runs every part of a service's background work until ctx ends. When one part fails
// the others are stopped too, since half a service (say, a relay without its sweeps) is worse
// than a clean restart; the first failure is returned, and a part ending because ctx ended is
// not one.
func RunAll(ctx context.Context, parts ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(parts))
	for _, run := range parts {
		go func() { errc <- run(ctx) }()
	}
	var first error
	for range parts {
		if err := <-errc; err != nil && !errors.Is(err, context.Canceled) && first == nil {
			first = err
			cancel()
		}
	}
	return first
}
