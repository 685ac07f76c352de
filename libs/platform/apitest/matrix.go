package apitest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// Target is what one call of a role table's row acts on: the id that replaces {id} in the
// pattern, the body, and any header to send besides the token (a Content-Type, say).
type Target struct {
	ID     string
	Body   any
	Header http.Header
}

// Row is what every caller of a Cast must get from one route of a service's route table.
type Row struct {
	// Route is the route's pattern, as the table spells it: "POST /v1/things/{id}/approve".
	Route string
	// Fixture makes what a call acts on, in the state the route needs; nil acts on nothing
	// (a list, or a create whose body is Body).
	Fixture func(t *testing.T) Target
	// Body, when set, is the body that caller p sends (its own tenant's, say) instead of the
	// target's.
	Body func(p auth.Principal) any
	// Want is the status of each caller.
	Want Statuses
}

// Matrix is a service's route × role authorisation table, checked by Run.
type Matrix[S comparable] struct {
	// Routes is the service's route table. The rows must name exactly its patterns, so that a
	// route added to the table without a row (or a row left behind by a removed route) fails.
	Routes []httpx.Route
	// Client calls the running service; its Spec must document exactly the rows' routes.
	Client *Client
	// Cast is the callers of every row; its Operator names the bad tokens.
	Cast Cast
	// Secret is the key the service trusts, from which BadTokens forges the wrong ones.
	Secret []byte
	// State fingerprints everything a call can write: the service's tables and TakeWritten
	// (events on the stream, the outbox, idempotency keys). A refused call must leave it equal.
	State func(t *testing.T) S
	Rows  []Row
}

// Run checks that the rows cover the route table and the document, then calls every route as
// every caller of the cast and with each of BadTokens, as subtests named "<route> by <caller>"
// and "<route> with <bad token>". Each call must get the row's status (401 problem+json for a
// bad token), and every refused call (4xx) must leave State as it was: no table written, no
// event published or queued in the outbox, no idempotency key kept. Calls to an Idempotent
// route send an Idempotency-Key of their own, so that a refusal which stored its answer is
// caught.
//
// A refused call changes nothing (checked), so the callers of a row share one fixture until a
// call that may change something (not a GET) succeeds; the next caller then gets a fresh one.
func (m Matrix[S]) Run(t *testing.T) {
	t.Helper()
	noRow, noRoute := uncovered(httpx.Patterns(m.Routes), m.Rows)
	for _, p := range noRow {
		t.Errorf("route %s of the route table has no row", p)
	}
	for _, p := range noRoute {
		t.Errorf("row %s names no route of the route table (or is listed twice)", p)
	}
	var listed []string
	for _, r := range m.Rows {
		listed = append(listed, r.Route)
	}
	m.Client.Spec.CheckCovers(t, listed)
	if t.Failed() {
		return
	}
	idempotent := map[string]bool{}
	for _, r := range m.Routes {
		idempotent[r.Pattern] = r.Idempotent
	}
	keys := 0
	header := func(route string, extra ...http.Header) http.Header {
		h := http.Header{}
		for _, x := range extra {
			maps.Copy(h, x)
		}
		if idempotent[route] {
			keys++
			h.Set("Idempotency-Key", fmt.Sprintf("authorisation-matrix-%d", keys))
		}
		return h
	}
	for _, row := range m.Rows {
		method, pattern, _ := strings.Cut(row.Route, " ")
		var fx *Target
		target := func(t *testing.T) Target {
			if fx == nil {
				x := Target{}
				if row.Fixture != nil {
					x = row.Fixture(t)
				}
				fx = &x
			}
			return *fx
		}
		call := func(t *testing.T, as *auth.Principal, bad http.Header) Request {
			x := target(t)
			r := Request{Method: method, Path: strings.Replace(pattern, "{id}", x.ID, 1), As: as, Body: x.Body,
				Header: header(row.Route, x.Header, bad)}
			if row.Body != nil {
				p := m.Cast.Operator
				if as != nil {
					p = *as
				}
				r.Body = row.Body(p)
			}
			return r
		}
		for _, bad := range BadTokens(t, m.Secret, m.Cast.Operator, m.Client.Now()) {
			t.Run(fmt.Sprintf("%s with %s", row.Route, bad.Name), func(t *testing.T) {
				r := call(t, nil, bad.Header)
				before := m.State(t)
				resp := m.Client.Do(t, r)
				CheckUnauthorized(t, resp.Status, resp.Header, resp.Body)
				if after := m.State(t); after != before {
					t.Errorf("an unauthenticated call changed the database:\nbefore %+v\nafter  %+v", before, after)
				}
			})
		}
		for _, c := range m.Cast.Callers() {
			want := row.Want.For(c)
			t.Run(fmt.Sprintf("%s by %s", row.Route, c.Name), func(t *testing.T) {
				r := call(t, &c.P, nil)
				before := m.State(t)
				resp := m.Client.Do(t, r)
				if resp.Status < 300 && method != http.MethodGet {
					fx = nil // used up
				}
				if resp.Status != want {
					t.Fatalf("status %d, want %d: %s", resp.Status, want, resp.Body)
				}
				if want >= 400 {
					if after := m.State(t); after != before {
						t.Errorf("a refused call changed the database:\nbefore %+v\nafter  %+v", before, after)
					}
				}
			})
		}
	}
}

// uncovered compares a route table's patterns with the rows: the patterns without a row, and
// the rows without a pattern or repeating one.
func uncovered(patterns []string, rows []Row) (noRow, noRoute []string) {
	seen := map[string]bool{}
	for _, r := range rows {
		if !slices.Contains(patterns, r.Route) || seen[r.Route] {
			noRoute = append(noRoute, r.Route)
		}
		seen[r.Route] = true
	}
	for _, p := range patterns {
		if !seen[p] {
			noRow = append(noRow, p)
		}
	}
	return noRow, noRoute
}

// Everyone is the row of a route that every caller of a Cast may use: all get status.
func Everyone(status int) Statuses {
	return Statuses{status, status, status, status, status, status, status}
}

// Insiders is the row of a read of one record that only the outsiders of a Cast (the zone
// developer of another zone and the other tenant) may not even know exists: they get 404, every
// other caller status.
func Insiders(status int) Statuses {
	return Statuses{status, status, http.StatusNotFound, status, http.StatusNotFound, status, status}
}
