package health_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/health"
)

func ok(context.Context) error { return nil }

func fails(context.Context) error { return errors.New("dial tcp 10.0.0.5:5432: connection refused") }

// hangs ignores cancellation until released, like a driver stuck on a dead socket.
func hangs(release <-chan struct{}) func(context.Context) error {
	return func(context.Context) error { <-release; return nil }
}

func waitsForCtx(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

func TestReadyzReportsEachFailingCheckWith503(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	tests := []struct {
		name       string
		checks     []health.Check
		wantStatus int
		want       health.Report
	}{
		{"no checks is ready", nil, 200, health.Report{Status: "ok", Checks: []health.Result{}}},
		{"all passing is ready", []health.Check{{Name: "db", Func: ok}, {Name: "nats", Func: ok}}, 200,
			health.Report{Status: "ok", Checks: []health.Result{{Name: "db", Status: "ok"}, {Name: "nats", Status: "ok"}}}},
		{"a failing check is named", []health.Check{{Name: "db", Func: fails}, {Name: "nats", Func: ok}}, 503,
			health.Report{Status: "unavailable", Checks: []health.Result{{Name: "db", Status: "failed"}, {Name: "nats", Status: "ok"}}, Failing: []string{"db"}}},
		{"a check that honours the deadline times out", []health.Check{{Name: "db", Func: ok}, {Name: "nats", Func: waitsForCtx}}, 503,
			health.Report{Status: "unavailable", Checks: []health.Result{{Name: "db", Status: "ok"}, {Name: "nats", Status: "timeout"}}, Failing: []string{"nats"}}},
		{"a check that ignores the deadline still times out", []health.Check{{Name: "db", Func: hangs(release)}}, 503,
			health.Report{Status: "unavailable", Checks: []health.Result{{Name: "db", Status: "timeout"}}, Failing: []string{"db"}}},
		{"a panicking check fails", []health.Check{{Name: "db", Func: func(context.Context) error { panic("nil pool") }}}, 503,
			health.Report{Status: "unavailable", Checks: []health.Result{{Name: "db", Status: "failed"}}, Failing: []string{"db"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			health.Register(mux, health.NewChecker(slog.New(slog.DiscardHandler), 50*time.Millisecond, tt.checks...))
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
			var got health.Report
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("report = %+v, want %+v", got, tt.want)
			}
			if strings.Contains(w.Body.String(), "10.0.0.5") {
				t.Errorf("check error leaked into the unauthenticated body: %s", w.Body)
			}
		})
	}
}

func TestHealthzIsAlways200EvenWhenNotReady(t *testing.T) {
	tests := []struct {
		name   string
		method string
	}{
		{"GET", http.MethodGet},
		{"HEAD", http.MethodHead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			health.Register(mux, health.NewChecker(slog.New(slog.DiscardHandler), time.Second, health.Check{Name: "db", Func: fails}))
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(tt.method, "/healthz", nil))
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", w.Code)
			}
		})
	}
}

func TestNewCheckerRefusesMiswiredChecks(t *testing.T) {
	tests := []struct {
		name   string
		checks []health.Check
	}{
		{"unnamed", []health.Check{{Func: ok}}},
		{"no function", []health.Check{{Name: "db"}}},
		{"duplicate", []health.Check{{Name: "db", Func: ok}, {Name: "db", Func: ok}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("NewChecker did not panic")
				}
			}()
			health.NewChecker(slog.New(slog.DiscardHandler), time.Second, tt.checks...)
		})
	}
}
