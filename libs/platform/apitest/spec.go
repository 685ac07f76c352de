// Package apitest holds the test support the zoneops services share to keep their HTTP API true
// to its OpenAPI document and to read what they publish: a Spec that validates every answer a
// test receives and records the operations reached, so that a complete run fails when an
// operation of the document was never exercised; a check of the document against the service's
// route table; the route × role authorisation matrix (Matrix); the round trip of one test
// request; reading a JetStream stream's events with per-aggregate version checks; and a
// database fingerprint.
//
// A service's root tests declare one Spec and hand TestMain to Main:
//
//	var spec = apitest.NewSpec("api/openapi.yaml")
//
//	func TestMain(m *testing.M) { apitest.RunCovered(m, spec) }
package apitest

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Spec is an OpenAPI document, loaded and validated the first time a test needs it, and the
// set of its operations ("POST /v1/requests/{id}/accept") that some test received an answer
// from. It is safe for concurrent use.
type Spec struct {
	path string

	mu     sync.Mutex
	tried  bool // the document was read, successfully or not
	doc    *openapi3.T
	router routers.Router
	err    error

	exercised sync.Map
}

// NewSpec returns the Spec of the document at path (relative to the test's package
// directory), not loaded yet.
func NewSpec(path string) *Spec { return &Spec{path: path} }

// Doc loads and validates the document once for the whole run, failing t when it does not load
// or is not a valid OpenAPI document.
func (s *Spec) Doc(t testing.TB) *openapi3.T {
	t.Helper()
	doc, _ := s.load(t)
	return doc
}

func (s *Spec) load(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	s.mu.Lock()
	if !s.tried {
		s.tried = true
		s.doc, s.router, s.err = read(s.path)
	}
	doc, router, err := s.doc, s.router, s.err
	s.mu.Unlock()
	if err != nil {
		t.Fatalf("%s: %v", s.path, err)
	}
	return doc, router
}

func read(path string) (*openapi3.T, routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, nil, err
	}
	return doc, router, nil
}

// loaded is the document when a test loaded it and it is valid, nil otherwise.
func (s *Spec) loaded() *openapi3.T {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil
	}
	return s.doc
}

// Validate fails t when the answer (status, header, body) to req is not what the document
// promises for that operation and status (undocumented statuses included), and records the
// operation as exercised.
func (s *Spec) Validate(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	_, router := s.load(t)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s is not in %s: %v", req.Method, req.URL.Path, s.path, err)
		return
	}
	s.exercised.Store(route.Method+" "+route.Path, true)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d, which %s does not allow: %v\nbody: %s", req.Method, req.URL.Path, status, s.path, err, body)
	}
}

// operations lists every operation of doc as "METHOD /path", sorted.
func operations(doc *openapi3.T) []string {
	var out []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// Unexercised lists, sorted, the operations of the document that no test received an answer
// from. It is nil when the document was never loaded (or failed to load), as then there is
// nothing to hold the run to.
func (s *Spec) Unexercised() []string {
	doc := s.loaded()
	if doc == nil {
		return nil
	}
	var missing []string
	for _, op := range operations(doc) {
		if _, ok := s.exercised.Load(op); !ok {
			missing = append(missing, op)
		}
	}
	return missing
}

// CompleteRun reports whether this run is complete: not narrowed with -run or -skip, and not
// -short.
func CompleteRun() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// Coverage runs the tests and returns the exit code for TestMain: that of m.Run, or 1 when a
// complete run (see CompleteRun) passed but some operation of s was never exercised, so that
// the document cannot describe routes the tests do not hold it to.
func Coverage(m *testing.M, s *Spec) int {
	code := m.Run()
	if code != 0 || !CompleteRun() {
		return code
	}
	if missing := s.Unexercised(); len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: no test exercised these operations of %s:\n\t%s\n", s.path, strings.Join(missing, "\n\t"))
		return 1
	}
	return code
}

// RunCovered is the TestMain of a service's root tests: it runs them and exits with Coverage's code.
func RunCovered(m *testing.M, s *Spec) { os.Exit(Coverage(m, s)) }

// CheckDocument fails t unless the document is OpenAPI 3.0.3, every operation has an
// operationId, and every /v1 operation needs a token and documents the 401 it gives without.
func (s *Spec) CheckDocument(t testing.TB) {
	t.Helper()
	doc := s.Doc(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	for _, op := range operations(doc) {
		method, path, _ := strings.Cut(op, " ")
		o := doc.Paths.Find(path).GetOperation(method)
		if o.OperationID == "" {
			t.Errorf("%s has no operationId", op)
		}
		if !strings.HasPrefix(path, "/v1/") {
			continue
		}
		if o.Security != nil && len(*o.Security) == 0 {
			t.Errorf("%s is documented as needing no token", op)
		}
		if o.Responses.Status(http.StatusUnauthorized) == nil {
			t.Errorf("%s does not document 401", op)
		}
	}
}

// CheckRoutes compares the document's /v1 operations with the patterns of the routes the
// service mounts ("METHOD /path", as httpx.Patterns lists its route table), in both directions.
func (s *Spec) CheckRoutes(t testing.TB, mounted []string) {
	t.Helper()
	if len(mounted) == 0 {
		t.Fatal("the route table is empty")
	}
	s.compareV1(t, mounted,
		func(r string) string { return fmt.Sprintf("route %s is mounted but not documented in %s", r, s.path) },
		func(op string) string {
			return fmt.Sprintf("%s documents %s, which the route table does not mount", s.path, op)
		})
}

// CheckCovers fails t unless routes ("METHOD /path", as the document spells the path) are
// exactly the document's /v1 operations: a table of routes that a test walks then cannot miss
// one the service serves (CheckRoutes ties the document to what is mounted).
func (s *Spec) CheckCovers(t testing.TB, routes []string) {
	t.Helper()
	s.compareV1(t, routes,
		func(r string) string { return fmt.Sprintf("the table has %s, which %s does not document", r, s.path) },
		func(op string) string { return fmt.Sprintf("%s is in %s but not in the table", op, s.path) })
}

// compareV1 compares routes with the document's /v1 operations in both directions; extra and
// missing word the failure for a route the document lacks and an operation routes lack.
func (s *Spec) compareV1(t testing.TB, routes []string, extra, missing func(string) string) {
	t.Helper()
	var documented []string
	for _, op := range operations(s.Doc(t)) {
		if _, path, _ := strings.Cut(op, " "); strings.HasPrefix(path, "/v1/") {
			documented = append(documented, op)
		}
	}
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Error(extra(r))
		}
	}
	for _, op := range documented {
		if !slices.Contains(routes, op) {
			t.Error(missing(op))
		}
	}
}
