package allocation_test

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/services/allocation/internal/transport"
)

// TestNullableFieldsAdmitNullAndOnlyTheirSchema checks the fields the spec documents as "absent
// or null": OpenAPI 3.0 makes a field nullable only through a type beside nullable, so each is
// oneOf its schema and NullValue. A null and a valid value pass; anything else is refused.
func TestNullableFieldsAdmitNullAndOnlyTheirSchema(t *testing.T) {
	doc := spec.Doc(t)
	square := map[string]any{"type": "Polygon", "coordinates": []any{[]any{
		[]any{73.0, 33.7}, []any{73.01, 33.7}, []any{73.01, 33.71}, []any{73.0, 33.7},
	}}}
	tests := []struct {
		schema, field string
		valid         any
	}{
		{"ZoneInput", "boundary", square},
		{"PlotInput", "boundary", square},
		{"PlanFeature", "geometry", square},
		{"RequirementsInput", "max_area_m2", 2500.0},
	}
	for _, tt := range tests {
		t.Run(tt.schema+"."+tt.field, func(t *testing.T) {
			s := doc.Components.Schemas[tt.schema]
			if s == nil || s.Value.Properties[tt.field] == nil {
				t.Fatalf("spec has no %s.%s", tt.schema, tt.field)
			}
			field := s.Value.Properties[tt.field].Value
			for _, v := range []any{nil, tt.valid} {
				if err := field.VisitJSON(v); err != nil {
					t.Errorf("%v refused: %v", v, err)
				}
			}
			for _, v := range []any{"none", map[string]any{}, false} {
				if err := field.VisitJSON(v); err == nil {
					t.Errorf("%v accepted", v)
				}
			}
		})
	}
}

// spec is api/openapi.yaml: env.Do validates every answer against it, and a complete run
// fails when one of its operations was never exercised (apitest.Coverage).
var spec = apitest.NewSpec("api/openapi.yaml")

func TestMain(m *testing.M) { apitest.RunCovered(m, spec) }

// TestSpecIsAValidOpenAPIDocument: see apitest.Spec.CheckDocument.
func TestSpecIsAValidOpenAPIDocument(t *testing.T) { spec.CheckDocument(t) }

// TestSpecDocumentsEveryRoute holds the spec to the route table, in both directions.
func TestSpecDocumentsEveryRoute(t *testing.T) { spec.CheckRoutes(t, transport.Patterns()) }
