// Package health serves the probes an orchestrator polls: /healthz says the process is alive
// (restart it if not) and /readyz says its dependencies answer (send it traffic only if so).
// Keeping the two apart matters: a database outage must take replicas out of the load balancer,
// not restart them all in a loop.
package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Check is one named readiness check, such as a database ping or the NATS connection status.
// Func must honour ctx: the checker stops waiting when ctx expires.
type Check struct {
	Name string
	Func func(ctx context.Context) error
}

// Check outcomes as reported in the /readyz body.
const (
	StatusOK      = "ok"
	StatusFailed  = "failed"
	StatusTimeout = "timeout"
)

// Result is the outcome of one check. The error itself is logged, not returned: /readyz needs
// no token, and driver errors can name hosts and users.
type Result struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// Report is the /readyz body.
type Report struct {
	Status  string   `json:"status"` // "ok" or "unavailable"
	Checks  []Result `json:"checks"`
	Failing []string `json:"failing,omitempty"`
}

// Ready reports whether every check passed.
func (r Report) Ready() bool { return len(r.Failing) == 0 }

// Checker runs the readiness checks.
type Checker struct {
	logger  *slog.Logger
	timeout time.Duration
	checks  []Check
}

// NewChecker returns a checker that runs checks concurrently, each given at most timeout. It
// panics on a check without a name or function or on a duplicate name: those are wiring
// mistakes that must fail at start-up, not when a probe is first answered.
func NewChecker(logger *slog.Logger, timeout time.Duration, checks ...Check) *Checker {
	seen := make(map[string]bool, len(checks))
	for _, c := range checks {
		if c.Name == "" || c.Func == nil || seen[c.Name] {
			panic(fmt.Sprintf("health: check %q is unnamed, has no function or is duplicated", c.Name))
		}
		seen[c.Name] = true
	}
	return &Checker{logger: logger, timeout: timeout, checks: append([]Check(nil), checks...)}
}

// Check runs every check and reports them in the order they were given.
func (c *Checker) Check(ctx context.Context) Report {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	type outcome struct {
		i   int
		err error
	}
	// Buffered so that a check that ignores ctx can still finish later without blocking forever.
	done := make(chan outcome, len(c.checks))
	for i, chk := range c.checks {
		go func() {
			done <- outcome{i: i, err: run(ctx, chk.Func)}
		}()
	}
	errs := make([]error, len(c.checks))
	finished := make([]bool, len(c.checks))
wait:
	for range c.checks {
		select {
		case o := <-done:
			errs[o.i], finished[o.i] = o.err, true
		case <-ctx.Done():
			break wait
		}
	}
	rep := Report{Status: StatusOK, Checks: make([]Result, len(c.checks))}
	for i, chk := range c.checks {
		res := Result{Name: chk.Name, Status: StatusOK}
		switch {
		case !finished[i], errors.Is(errs[i], context.DeadlineExceeded):
			res.Status = StatusTimeout
			c.logger.WarnContext(ctx, "readiness check timed out", "check", chk.Name, "timeout", c.timeout)
		case errs[i] != nil:
			res.Status = StatusFailed
			c.logger.WarnContext(ctx, "readiness check failed", "check", chk.Name, "error", errs[i])
		}
		if res.Status != StatusOK {
			rep.Failing = append(rep.Failing, chk.Name)
		}
		rep.Checks[i] = res
	}
	if !rep.Ready() {
		rep.Status = "unavailable"
	}
	return rep
}

// run calls f, turning a panic into an error so one broken check cannot kill the process.
func run(ctx context.Context, f func(context.Context) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("check panicked: %v", v)
		}
	}()
	return f(ctx)
}

// ServeHTTP answers /readyz: 200 when every check passes, else 503, with the Report as JSON.
func (c *Checker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep := c.Check(r.Context())
	status := http.StatusOK
	if !rep.Ready() {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, rep)
}

// Liveness answers /healthz: 200 for as long as the process can serve HTTP at all. It checks no
// dependency on purpose (see the package comment).
func Liveness() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": StatusOK})
	})
}

// Register mounts GET /healthz and GET /readyz (HEAD too) on mux.
func Register(mux *http.ServeMux, ready *Checker) {
	mux.Handle("GET /healthz", Liveness())
	mux.Handle("GET /readyz", ready)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	// A cached "ready" would keep traffic flowing to a replica that has lost its database.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
