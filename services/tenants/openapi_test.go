package tenants_test

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/services/tenants/internal/transport"
)

// spec is api/openapi.yaml: env.Do validates every answer against it, and a complete run
// fails when one of its operations was never exercised (apitest.Coverage).
var spec = apitest.NewSpec("api/openapi.yaml")

func TestMain(m *testing.M) { apitest.RunCovered(m, spec) }

// TestSpecIsAValidOpenAPIDocument: see apitest.Spec.CheckDocument.
func TestSpecIsAValidOpenAPIDocument(t *testing.T) { spec.CheckDocument(t) }

// TestSpecDocumentsEveryRoute holds the spec to the route table, in both directions.
func TestSpecDocumentsEveryRoute(t *testing.T) { spec.CheckRoutes(t, transport.Patterns()) }
