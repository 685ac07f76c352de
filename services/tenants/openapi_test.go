package tenants_test

import (
	"os"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
)

// spec is api/openapi.yaml. env.Do validates every answer against it and records the
// operations reached ("POST /v1/applications/{id}/approve").
var spec = apitest.NewSpec("api/openapi.yaml")

// TestMain fails a complete run in which some operation of the spec was never exercised, so
// that the spec cannot document routes the tests do not hold it to. Runs narrowed with -run or
// -skip, or -short, are not complete and are not checked.
func TestMain(m *testing.M) { os.Exit(apitest.Coverage(m, spec)) }

// TestSpecIsAValidOpenAPIDocument checks that the spec is valid OpenAPI 3.0.3, that every
// operation has an operationId and that every /v1 operation needs a token and documents the
// 401 it gives without.
func TestSpecIsAValidOpenAPIDocument(t *testing.T) { spec.CheckDocument(t) }

// TestSpecDocumentsEveryRoute compares the spec's /v1 operations with the routes that
// internal/transport/http.go mounts, in both directions.
func TestSpecDocumentsEveryRoute(t *testing.T) { spec.CheckRoutes(t, "internal/transport/http.go") }
