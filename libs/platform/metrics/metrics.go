// Package metrics gives each service its own Prometheus registry and the RED metrics of its HTTP
// API. A registry is passed in everywhere rather than using the global default, so that several
// services can run in one process (services/zoneops) and tests can inspect exactly what one
// component recorded.
package metrics

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every zoneops metric name.
const Namespace = "zoneops"

// NewRegistry returns a registry with the Go runtime, process and Go build-info collectors, and
// zoneops_build_info{service,version,goversion} 1, the info-metric idiom that lets dashboards
// join a version onto any series and show when a deployment rolled out.
func NewRegistry(service, version string) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: Namespace,
			Name:      "build_info",
			Help:      "Always 1; its labels name the service, its version and the Go version it was built with.",
			ConstLabels: prometheus.Labels{
				"service":   service,
				"version":   version,
				"goversion": runtime.Version(),
			},
		}, func() float64 { return 1 }),
	)
	return reg
}

// Handler serves the registry's metrics for /metrics. Errors while gathering are counted in
// promhttp_metric_handler_errors_total on the same registry instead of failing the scrape.
func Handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:      reg,
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// Init creates, at zero, the series of every combination of the given label values (one slice
// of values per label, in the vector's label order) by calling with, a vector's WithLabelValues.
//
// A labelled counter or histogram has no series until its first event, which is then born at
// 1, and increase() or rate() over a series that starts at 1 is 0: an alert on the first dead
// letter, the first late decision or the first 5xx would never fire. Each owner of a vector
// therefore initialises every combination it knows to be possible when it creates it.
func Init[M any](with func(...string) M, values ...[]string) {
	if len(values) == 0 {
		return
	}
	combo := make([]string, len(values))
	var walk func(i int)
	walk = func(i int) {
		if i == len(values) {
			with(combo...)
			return
		}
		for _, v := range values[i] {
			combo[i] = v
			walk(i + 1)
		}
	}
	walk(0)
}

// HTTP records the RED metrics of an HTTP API.
type HTTP struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// seen holds the route+method pairs whose 500 series exist (see Middleware).
	seen sync.Map
}

// NewHTTP registers the HTTP metrics with reg. It panics if they are already registered there,
// as registering twice is a wiring mistake that should fail at start-up.
func NewHTTP(reg prometheus.Registerer) *HTTP {
	h := &HTTP{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace,
			Subsystem: "http",
			Name:      "requests_total",
			Help:      "HTTP requests served, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace,
			Subsystem: "http",
			Name:      "request_duration_seconds",
			Help:      "Time from receiving an HTTP request to finishing its response, by route pattern and method.",
			Buckets:   prometheus.DefBuckets,
		}, []string{"route", "method"}),
	}
	reg.MustRegister(h.requests, h.duration)
	return h
}

// serverError is the code label whose series each route gets at 0 on its first request.
var serverError = strconv.Itoa(http.StatusInternalServerError)

// Unmatched is the route label of requests that no pattern matched (404s, 405s), so that
// probing random paths cannot create new series.
const Unmatched = "unmatched"

// Middleware records every request that next serves.
//
// Series and the first event: the route and method labels are bounded, but the mux cannot list
// its patterns and the codes are open-ended, so nothing can be initialised at construction.
// Instead, the first request of a route and method also creates that pair's code="500" series
// at 0 (and its duration histogram exists from then on), so that the first server fault of a
// route that has served before is an increase from 0 that the error-ratio alert sees. Only a
// route whose very first request fails starts at 1. Other codes start at 1: no alert counts them. Wrap the http.ServeMux itself: the route
// label is the pattern the mux matched, which it stores in r.Pattern of the *Request it was
// given, so a middleware between the two that replaces the request (r.WithContext) would hide it
// and every request would count as unmatched. Middleware that only wraps the ResponseWriter,
// such as panic recovery, may sit in between.
func (h *HTTP) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		method := methodLabel(r.Method)
		defer func() {
			// A panicking handler still counts, as the 500 that recovery further out will send.
			v := recover()
			code := rec.status()
			if v != nil {
				code = http.StatusInternalServerError
			}
			route := routeLabel(r.Pattern)
			if _, known := h.seen.LoadOrStore(route+" "+method, struct{}{}); !known && code != http.StatusInternalServerError {
				h.requests.WithLabelValues(route, method, serverError)
			}
			h.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
			h.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
			if v != nil {
				panic(v)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// routeLabel drops the method from a pattern ("GET /v1/x/{id}" → "/v1/x/{id}"), since method is
// its own label.
func routeLabel(pattern string) string {
	if pattern == "" {
		return Unmatched
	}
	if _, rest, ok := strings.Cut(pattern, " "); ok {
		return strings.TrimLeft(rest, " \t")
	}
	return pattern
}

// methodLabel keeps the method label bounded: clients may send any token as a method.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.code == 0 && code >= http.StatusOK {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) status() int {
	if s.code == 0 {
		return http.StatusOK
	}
	return s.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
