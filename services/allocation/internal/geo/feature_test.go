package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

// feature renders one plan feature.
func feature(id string, props string, geometry string) string {
	idPart := ""
	if id != "" {
		idPart = `"id":` + id + `,`
	}
	return `{"type":"Feature",` + idPart + `"properties":` + props + `,"geometry":` + geometry + `}`
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func TestParseFeatureCollectionReadsAPlan(t *testing.T) {
	a := geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100}))
	b := geojson(isb.closed([2]float64{100, 0}, [2]float64{200, 0}, [2]float64{200, 100}, [2]float64{100, 100}))
	data := collection(
		feature(`"f-1"`, `{"code":"A-1","area_m2":10000.25,"land_use":"it_park","name":"Block A"}`, a),
		feature(`7`, `null`, b),
	)
	fs, err := ParseFeatureCollection([]byte(data), 0)
	must(t, err)
	if len(fs) != 2 {
		t.Fatalf("%d features", len(fs))
	}
	if fs[0].ID != "f-1" || fs[0].Code() != "A-1" || fs[0].Properties["area_m2"] != json.Number("10000.25") || fs[0].Properties["name"] != "Block A" {
		t.Errorf("feature 0: %+v", fs[0])
	}
	if fs[1].ID != "7" || fs[1].Code() != "" || len(fs[1].Properties) != 0 {
		t.Errorf("feature 1: %+v", fs[1])
	}
	if !within(AreaM2(fs[0].Geometry), 10_000, 1e-3) {
		t.Errorf("geometry area %.2f", AreaM2(fs[0].Geometry))
	}
}

func TestParseFeatureCollectionNamesEveryBadFeatureAtOnce(t *testing.T) {
	good := geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100}))
	bowTie := geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 100}, [2]float64{100, 0}, [2]float64{0, 100}))
	data := collection(
		feature(`"ok"`, `{"code":"A-1"}`, good),
		feature(``, `{"code":"A-2"}`, bowTie),
		feature(``, `{"code":"A-3"}`, `{"type":"MultiPolygon","coordinates":[]}`),
		`{"type":"Point"}`,
		`42`,
		feature(`true`, `[1]`, `null`),
	)
	_, err := ParseFeatureCollection([]byte(data), 100)
	v := faulttest.WantFields(t, err,
		"features[1].geometry", "features[2].geometry",
		"features[3].type", "features[3].geometry",
		"features[4]",
		"features[5].id", "features[5].properties", "features[5].geometry",
	)
	if r := reasonOf(v, "features[1].geometry"); !strings.HasPrefix(r, "feature A-2: ") || !strings.Contains(r, "crosses") {
		t.Errorf("bow tie reason %q should name the feature's code and the problem", r)
	}
	if r := reasonOf(v, "features[2].geometry"); !strings.Contains(r, "A-3") || !strings.Contains(r, "MultiPolygon") {
		t.Errorf("multipolygon reason %q", r)
	}
}

func TestParseFeatureCollectionRefusesWhatIsNotAPlan(t *testing.T) {
	one := feature("", `{}`, geojson(isb.closed([2]float64{0, 0}, [2]float64{10, 0}, [2]float64{10, 10})))
	tests := []struct {
		name   string
		data   string
		max    int
		fields []string
	}{
		{"not JSON", `{"type":`, 0, []string{"body"}},
		{"an array", `[]`, 0, []string{"body"}},
		{"a bare geometry", `{"type":"Polygon","coordinates":[]}`, 0, []string{"type", "features"}},
		{"no features", `{"type":"FeatureCollection","features":[]}`, 0, []string{"features"}},
		{"features not an array", `{"type":"FeatureCollection","features":{}}`, 0, []string{"features"}},
		{"too many features", collection(one, one, one), 2, []string{"features"}},
		{"projected coordinates", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32643"}},"features":[` + one + `]}`, 0, []string{"crs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFeatureCollection([]byte(tt.data), tt.max)
			faulttest.WantFields(t, err, tt.fields...)
		})
	}
	wgs84 := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[` + one + `]}`
	if _, err := ParseFeatureCollection([]byte(wgs84), 0); err != nil {
		t.Errorf("CRS84 refused: %v", err)
	}
}

func TestParseFeatureCollectionRunsChecksOnEveryFeature(t *testing.T) {
	good := geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100}))
	data := collection(
		feature("", `{"code":"A-1"}`, good),
		feature("", `{}`, good),
		feature("", `{"code":"A-3"}`, `{"type":"Point","coordinates":[1,2]}`),
	)
	var sawZero bool
	requireCode := func(f Feature) error {
		var fs fault.Fields
		if f.Code() == "" {
			fs.Add("properties.code", "required")
		}
		if f.Geometry.IsZero() {
			sawZero = true
		}
		return fs.Err()
	}
	_, err := ParseFeatureCollection([]byte(data), 0, requireCode)
	faulttest.WantFields(t, err, "features[1].properties.code", "features[2].geometry")
	if !sawZero {
		t.Errorf("the check did not see the feature whose geometry failed")
	}
}

func TestParseFeatureCollectionCapsTheProblemsItLists(t *testing.T) {
	bad := feature("", `{}`, `{"type":"Point","coordinates":[1,2]}`)
	fs := make([]string, MaxReportedProblems+10)
	for i := range fs {
		fs[i] = bad
	}
	_, err := ParseFeatureCollection([]byte(collection(fs...)), len(fs))
	var v *fault.ValidationError
	if !errors.As(err, &v) || len(v.Fields) != MaxReportedProblems+1 {
		t.Fatalf("want %d fields, got %v", MaxReportedProblems+1, err)
	}
	if r := reasonOf(v, "features"); !strings.Contains(r, fmt.Sprintf("%d of %d", len(fs), len(fs))) || !strings.Contains(r, "10 more") {
		t.Errorf("summary %q", r)
	}
}

func TestEncodeFeatureCollectionRoundTrips(t *testing.T) {
	in := []Feature{
		{ID: "p-1", Properties: map[string]any{"code": "A-1", "area_m2": json.Number("10000.5")}, Geometry: isb.rect(t, 0, 0, 100, 100)},
		{Properties: nil, Geometry: isb.rect(t, 100, 0, 200, 100)},
	}
	data, err := EncodeFeatureCollection(in)
	must(t, err)
	if !strings.Contains(string(data), `"area_m2":10000.5`) || !strings.Contains(string(data), `"properties":{}`) {
		t.Errorf("encoded %s", data)
	}
	out, err := ParseFeatureCollection(data, 0)
	must(t, err)
	for i := range in {
		if out[i].ID != in[i].ID || !within(AreaM2(out[i].Geometry), AreaM2(in[i].Geometry), 1e-12) || out[i].Code() != in[i].Code() {
			t.Errorf("feature %d: %+v, want %+v", i, out[i], in[i])
		}
	}
	// A plot without a boundary is still listed, with a null geometry, as GeoJSON allows.
	data, err = EncodeFeatureCollection([]Feature{{ID: "p-3", Properties: map[string]any{"code": "A-3"}}})
	must(t, err)
	if !strings.Contains(string(data), `"geometry":null`) {
		t.Errorf("encoded %s", data)
	}
}
