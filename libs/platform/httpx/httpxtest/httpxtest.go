// Package httpxtest holds the assertions that tests of a service's HTTP decoders share.
package httpxtest

import (
	"slices"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// ClientFault fails t unless err is one a client caused: it maps (httpx.ProblemFor) to one of
// the allowed statuses, typically 400 or, for bodies, 413. Decoders are fuzzed with it: bad
// input must never become a 500.
func ClientFault(t testing.TB, err error, allowed ...int) {
	t.Helper()
	if status := httpx.ProblemFor(err).Status; !slices.Contains(allowed, status) {
		t.Fatalf("error %v maps to %d, want one of %v", err, status, allowed)
	}
}

// Route returns the row of routes mounted at pattern, failing t when the table has none, so
// that a test reaches a decoder through the table that serves it.
func Route(t testing.TB, routes []httpx.Route, pattern string) httpx.Route {
	t.Helper()
	i := slices.IndexFunc(routes, func(r httpx.Route) bool { return r.Pattern == pattern })
	if i < 0 {
		t.Fatalf("the route table has no %s", pattern)
	}
	return routes[i]
}
