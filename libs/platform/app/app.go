// Package app assembles what every zoneops service process has around its own routes: the
// middleware stack, /healthz, /readyz and /metrics, and an HTTP server that shuts down
// gracefully. It is also the service skeleton: a Definition describes a service as data (name,
// stream, migrations, its Build of routes, runners and housekeeping beat), and the skeleton
// wires it (New), opens it as a unit (NewUnit) and runs it as a binary (Program, Main) the same
// way for every service.
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
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/health"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/metrics"
)

// Handler wraps mux, on which the service registered its routes, with request ids, panic
// recovery, access logs and RED metrics, and adds /healthz, /readyz and /metrics (which need no
// token).
func Handler(mux *http.ServeMux, reg *prometheus.Registry, ready *health.Checker, logger *slog.Logger) http.Handler {
	health.Register(mux, ready)
	mux.Handle("GET /metrics", metrics.Handler(reg))
	// Unknown paths get a problem+json 404 like every other error, not the mux's plain text.
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteError(w, r, fmt.Errorf("no route %s %s: %w", r.Method, r.URL.Path, fault.ErrNotFound))
	}))
	// The metrics middleware must wrap the mux directly to see its matched pattern; recovery
	// sits outside it and the access log outside that, so a recovered panic is logged as a 500.
	var h http.Handler = metrics.NewHTTP(reg).Middleware(mux)
	h = httpx.Recover(logger)(h)
	h = httpx.AccessLog(logger)(h)
	return httpx.RequestID(h)
}

// Listen opens addr; ":0" picks a free port, which Serve's caller can read from the listener.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	return l, nil
}

// Serve serves h on l until ctx ends, then stops accepting and lets in-flight requests finish
// for up to grace.
func Serve(ctx context.Context, l net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
