package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/health"
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
}

// RunUnits serves every unit's HTTP API and runs its background work until ctx ends or one of
// them fails, then stops them all. /readyz checks the unit's database and the NATS connection.
func RunUnits(ctx context.Context, n *NATS, units ...Unit) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2*len(units))
	for _, u := range units {
		ready := health.NewChecker(u.Logger, 2*time.Second,
			health.Check{Name: "database", Func: u.DB.Ping},
			health.Check{Name: "nats", Func: natsx.Ping(n.Conn)},
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
