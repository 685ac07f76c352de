package metrics_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/zoneops/zoneops/libs/platform/metrics"
)

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/things/{id}", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("POST /v1/things", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusCreated) })
	mux.HandleFunc("GET /v1/boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	return mux
}

func serve(h http.Handler, method, path string) {
	defer func() { _ = recover() }() // the panicking route re-panics out of the middleware
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, nil))
}

func TestMiddlewareLabelsByMatchedPatternWhenWrappingTheMux(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string
		route  string
		label  string // method label
		code   string
	}{
		{"path parameters collapse into the pattern", http.MethodGet, "/v1/things/123", "/v1/things/{id}", "GET", "200"},
		{"status written by handler", http.MethodPost, "/v1/things", "/v1/things", "POST", "201"},
		{"unknown path is unmatched", http.MethodGet, "/wp-admin.php", metrics.Unmatched, "GET", "404"},
		{"wrong method is unmatched", http.MethodDelete, "/v1/things", metrics.Unmatched, "DELETE", "405"},
		{"odd method is bounded", "BREW", "/v1/things", metrics.Unmatched, "other", "405"},
		{"panic counts as 500", http.MethodGet, "/v1/boom", "/v1/boom", "GET", "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			h := metrics.NewHTTP(reg).Middleware(newMux())
			serve(h, tt.method, tt.path)
			serve(h, tt.method, tt.path)
			want := `
# HELP zoneops_http_requests_total HTTP requests served, by route pattern, method and status code.
# TYPE zoneops_http_requests_total counter
zoneops_http_requests_total{code="` + tt.code + `",method="` + tt.label + `",route="` + tt.route + `"} 2
`
			if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "zoneops_http_requests_total"); err != nil {
				t.Error(err)
			}
			if n := testutil.CollectAndCount(reg, "zoneops_http_request_duration_seconds"); n != 1 {
				t.Errorf("duration series = %d, want 1", n)
			}
		})
	}
}

func TestMiddlewarePassesPanicsOn(t *testing.T) {
	h := metrics.NewHTTP(prometheus.NewRegistry()).Middleware(newMux())
	defer func() {
		if v := recover(); v != "boom" {
			t.Fatalf("recovered %v, want the handler's panic", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v1/boom", nil))
}

// copyKey is a context key whose only use is to make a middleware copy the request.
type copyKey struct{}

func TestMiddlewareOutsideARequestReplacingMiddlewareSeesNoPattern(t *testing.T) {
	// Documents why Middleware must wrap the mux directly: a clone made in between hides r.Pattern.
	reg := prometheus.NewRegistry()
	clone := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), copyKey{}, 1)))
		})
	}
	h := metrics.NewHTTP(reg).Middleware(clone(newMux()))
	serve(h, http.MethodGet, "/v1/things/1")
	want := `
# HELP zoneops_http_requests_total HTTP requests served, by route pattern, method and status code.
# TYPE zoneops_http_requests_total counter
zoneops_http_requests_total{code="200",method="GET",route="unmatched"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "zoneops_http_requests_total"); err != nil {
		t.Error(err)
	}
}

func TestMetricsEndpointPassesPromlint(t *testing.T) {
	reg := metrics.NewRegistry("tenants", "1.2.3")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/things/{id}", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.Handle("GET /metrics", metrics.Handler(reg))
	srv := httptest.NewServer(metrics.NewHTTP(reg).Middleware(mux))
	defer srv.Close()

	for _, p := range []string{"/v1/things/1", "/v1/things/2", "/nope"} {
		resp, err := srv.Client().Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	resp, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d", resp.StatusCode)
	}
	problems, err := promlint.New(bytes.NewReader(body)).Lint()
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	for _, want := range []string{
		`zoneops_build_info{goversion="go`,
		`service="tenants",version="1.2.3"} 1`,
		`zoneops_http_requests_total{code="200",method="GET",route="/v1/things/{id}"} 2`,
		`zoneops_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`zoneops_http_request_duration_seconds_bucket{method="GET",route="/v1/things/{id}",le="+Inf"} 2`,
		"go_goroutines ",
		"process_start_time_seconds ",
		"go_build_info{",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}
