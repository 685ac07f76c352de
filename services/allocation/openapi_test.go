package allocation_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"regexp"
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

const specPath = "api/openapi.yaml"

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error

	// exercised records every operation ("POST /v1/requests/{id}/accept") that some test
	// received an answer from.
	exercised sync.Map
)

// loadSpec loads and validates api/openapi.yaml once for the whole run.
func loadSpec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromFile(specPath)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			return
		}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	if specErr != nil {
		t.Fatalf("%s: %v", specPath, specErr)
	}
	return specDoc, specRouter
}

// checkAgainstSpec fails t when the answer to req is not what api/openapi.yaml promises for
// that operation and status (undocumented statuses included), and records the operation as
// exercised.
func checkAgainstSpec(t *testing.T, req *http.Request, resp *response) {
	t.Helper()
	_, router := loadSpec(t)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s is not in %s: %v", req.Method, req.URL.Path, specPath, err)
		return
	}
	exercised.Store(route.Method+" "+route.Path, true)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.status,
		Header:                 resp.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(resp.body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d, which %s does not allow: %v\nbody: %s", req.Method, req.URL.Path, resp.status, specPath, err, resp.body)
	}
}

// operations lists every operation of the spec as "METHOD /path".
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

// TestMain fails a complete run in which some operation of the spec was never exercised, so
// that the spec cannot document routes the tests do not hold it to. Runs narrowed with -run or
// -skip, or -short, are not complete and are not checked.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && completeRun() && specDoc != nil {
		var missing []string
		for _, op := range operations(specDoc) {
			if _, ok := exercised.Load(op); !ok {
				missing = append(missing, op)
			}
		}
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: no test exercised these operations of %s:\n\t%s\n", specPath, strings.Join(missing, "\n\t"))
			code = 1
		}
	}
	os.Exit(code)
}

func completeRun() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

func TestSpecIsAValidOpenAPIDocument(t *testing.T) {
	doc, _ := loadSpec(t)
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
		// Every /v1 route needs a token, so every one must document the 401 it gives without.
		if o.Security != nil && len(*o.Security) == 0 {
			t.Errorf("%s is documented as needing no token", op)
		}
		if o.Responses.Status(http.StatusUnauthorized) == nil {
			t.Errorf("%s does not document 401", op)
		}
	}
}

// muxRoute matches the routes transport/http.go mounts.
var muxRoute = regexp.MustCompile(`mux\.Handle\("([A-Z]+) (/[^"]*)"`)

// TestSpecDocumentsEveryRoute compares the spec's /v1 operations with the routes that
// internal/transport/http.go mounts, in both directions.
func TestSpecDocumentsEveryRoute(t *testing.T) {
	doc, _ := loadSpec(t)
	src, err := os.ReadFile("internal/transport/http.go")
	if err != nil {
		t.Fatal(err)
	}
	var mounted []string
	for _, m := range muxRoute.FindAllStringSubmatch(string(src), -1) {
		mounted = append(mounted, m[1]+" "+m[2])
	}
	if len(mounted) == 0 {
		t.Fatal("found no mux.Handle calls in internal/transport/http.go")
	}
	sort.Strings(mounted)
	var documented []string
	for _, op := range operations(doc) {
		if _, path, _ := strings.Cut(op, " "); strings.HasPrefix(path, "/v1/") {
			documented = append(documented, op)
		}
	}
	for _, r := range mounted {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is mounted but not documented in %s", r, specPath)
		}
	}
	for _, op := range documented {
		if !slices.Contains(mounted, op) {
			t.Errorf("%s documents %s, which transport/http.go does not mount", specPath, op)
		}
	}
}
