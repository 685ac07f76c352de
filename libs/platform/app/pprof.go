package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"
)

// PprofHandler serves the net/http/pprof pages under /debug/pprof/ on a mux of its own, so the
// profiles are never reachable through the API's handler.
func PprofHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

// ServePprof serves PprofHandler on addr until ctx ends and returns the address it listens on
// ("" and nothing served when addr is empty, the default). A failure to listen is returned; a
// failure while serving is logged, since profiling must never stop the service.
func ServePprof(ctx context.Context, addr string, logger *slog.Logger) (string, error) {
	if addr == "" {
		return "", nil
	}
	l, err := Listen(addr)
	if err != nil {
		return "", err
	}
	go func() {
		// A CPU profile runs for its ?seconds=; a short grace is enough at shutdown.
		if err := Serve(ctx, l, PprofHandler(), time.Second); err != nil && logger != nil {
			logger.Error("pprof listener stopped", "addr", l.Addr().String(), "err", err)
		}
	}()
	if logger != nil {
		logger.Info("pprof listening", "url", HTTPURL(l.Addr().String())+"/debug/pprof/")
	}
	return l.Addr().String(), nil
}
