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
			if tt.code != "500" { // the route's 500 series, created at 0 by its first request
				want += `zoneops_http_requests_total{code="500",method="` + tt.label + `",route="` + tt.route + `"} 0
`
			}
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
zoneops_http_requests_total{code="500",method="GET",route="unmatched"} 0
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

func TestInitCreatesEveryCombinationOfLabelValuesAtZero(t *testing.T) {
	tests := []struct {
		name   string
		values [][]string
		want   []string // series, as label=value lists in the vector's label order
	}{
		{"no labels given creates nothing", nil, nil},
		{"one label", [][]string{{"a", "b"}}, []string{"x=a", "x=b"}},
		{"two labels: the cross product", [][]string{{"a", "b"}, {"1", "2", "3"}},
			[]string{"x=a,y=1", "x=a,y=2", "x=a,y=3", "x=b,y=1", "x=b,y=2", "x=b,y=3"}},
		{"an empty value list creates nothing", [][]string{{"a"}, {}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			labels := []string{"x", "y"}[:max(1, len(tt.values))]
			reg := prometheus.NewRegistry()
			v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zoneops_things_total", Help: "Things."}, labels)
			reg.MustRegister(v)
			metrics.Init(v.WithLabelValues, tt.values...)
			got := series(t, reg, "zoneops_things_total")
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("series = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInitWorksForHistogramsAndTheirBucketsStartAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zoneops_wait_seconds", Help: "Waits.", Buckets: []float64{1}}, []string{"outcome"})
	reg.MustRegister(h)
	metrics.Init(h.WithLabelValues, []string{"approved"})
	want := `
# HELP zoneops_wait_seconds Waits.
# TYPE zoneops_wait_seconds histogram
zoneops_wait_seconds_bucket{outcome="approved",le="1"} 0
zoneops_wait_seconds_bucket{outcome="approved",le="+Inf"} 0
zoneops_wait_seconds_sum{outcome="approved"} 0
zoneops_wait_seconds_count{outcome="approved"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "zoneops_wait_seconds"); err != nil {
		t.Error(err)
	}
}

func TestTheFirstServerErrorOfARouteThatHasServedIsAnIncreaseFromZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := metrics.NewHTTP(reg).Middleware(newMux())
	if n := testutil.CollectAndCount(reg, "zoneops_http_requests_total"); n != 0 {
		t.Fatalf("%d series before any request, want 0 (the mux cannot list its routes)", n)
	}
	serve(h, http.MethodGet, "/v1/things/1")
	const fault = `zoneops_http_requests_total{code="500",method="GET",route="/v1/things/{id}"}`
	if got := value(t, reg, fault); got != "0" {
		t.Fatalf("after the route's first request %s = %s, want 0", fault, got)
	}
	serve(h, http.MethodGet, "/v1/things/1")
	if got := value(t, reg, fault); got != "0" {
		t.Fatalf("a second success changed %s to %s", fault, got)
	}
}

// series lists the label sets of family name in reg, each as "k=v,k=v", sorted.
func series(t *testing.T, reg *prometheus.Registry, name string) []string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var kv []string
			for _, l := range m.GetLabel() {
				kv = append(kv, l.GetName()+"="+l.GetValue())
			}
			if m.GetCounter().GetValue() != 0 {
				t.Errorf("%s{%s} = %v, want 0", name, strings.Join(kv, ","), m.GetCounter().GetValue())
			}
			out = append(out, strings.Join(kv, ","))
		}
	}
	return out
}

// value is the sample of one series as the exposition format writes it.
func value(t *testing.T, reg *prometheus.Registry, s string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	metrics.Handler(reg).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, s+" "); ok {
			return v
		}
	}
	t.Fatalf("no series %s in\n%s", s, rec.Body.String())
	return ""
}
