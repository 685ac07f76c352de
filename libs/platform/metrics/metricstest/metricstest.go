// Package metricstest reads what a registry exposes, for the tests of the packages that own
// metrics: a scrape in the text format /metrics serves, and checks on its series.
package metricstest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Scrape returns what g exposes, in the text exposition format, as a /metrics scrape shows it.
func Scrape(t testing.TB, g prometheus.Gatherer) string {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(g, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// Value returns the value of series in scrape and whether it is there. A series is written as
// the exposition format writes it: name{label="value",...}, labels sorted by name (a
// histogram's le last); a histogram is read through its _count or _bucket series.
func Value(scrape, series string) (string, bool) {
	for _, line := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v, true
		}
	}
	return "", false
}

// Zero fails t for each series that scrape lacks or shows with a value other than 0.
func Zero(t testing.TB, scrape string, series ...string) {
	t.Helper()
	for _, s := range series {
		switch v, ok := Value(scrape, s); {
		case !ok:
			t.Errorf("no series %s", s)
		case v != "0":
			t.Errorf("%s = %s, want 0", s, v)
		}
	}
}
