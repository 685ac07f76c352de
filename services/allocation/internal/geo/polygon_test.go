package geo

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

func TestParsePolygonAcceptsValidGeoJSON(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		vertices int
		areaM2   float64
	}{
		{"counter-clockwise square", geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100})), 5, 10_000},
		{"clockwise square is accepted as RFC 7946 asks of parsers", geojson(isb.closed([2]float64{0, 0}, [2]float64{0, 100}, [2]float64{100, 100}, [2]float64{100, 0})), 5, 10_000},
		{"square with a hole", geojson(
			isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100}),
			isb.closed([2]float64{40, 40}, [2]float64{40, 60}, [2]float64{60, 60}, [2]float64{60, 40}),
		), 10, 9_600},
		{"heights are dropped", `{"type":"Polygon","coordinates":[[[73,33.7,540],[73.001,33.7,541],[73.001,33.701,542],[73,33.7,540]]]}`, 4, 0},
		{"foreign members are ignored", `{"type":"Polygon","bbox":[73,33.7,73.001,33.701],"coordinates":[[[73,33.7],[73.001,33.7],[73.001,33.701],[73,33.7]]]}`, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(t, tt.in)
			if p.IsZero() {
				t.Fatal("parsed polygon is zero")
			}
			if n := p.NumVertices(); n != tt.vertices {
				t.Errorf("vertices %d, want %d", n, tt.vertices)
			}
			if tt.areaM2 > 0 && !within(AreaM2(p), tt.areaM2, 0.001) {
				t.Errorf("area %.2f m², want %.0f", AreaM2(p), tt.areaM2)
			}
		})
	}
}

func TestParsePolygonRefusesBadGeometryWithAReason(t *testing.T) {
	square := isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 100}, [2]float64{0, 100})
	many := make([][2]float64, 0, MaxVertices+2)
	for i := range MaxVertices + 1 {
		many = append(many, isb.pt(float64(i)*0.01, float64(i%2)))
	}
	many = append(many, many[0])
	tests := []struct {
		name   string
		in     string
		reason string
	}{
		{"nothing", ``, "required"},
		{"null", `null`, "required"},
		{"not JSON", `{"type":`, "not valid JSON"},
		{"not an object", `[1,2]`, "geometry object"},
		{"no type", `{"coordinates":[]}`, `"type": "Polygon"`},
		{"MultiPolygon", `{"type":"MultiPolygon","coordinates":[]}`, "MultiPolygon"},
		{"Point", `{"type":"Point","coordinates":[73,33]}`, "not a Point"},
		{"a whole Feature", `{"type":"Feature","geometry":null}`, "feature's geometry"},
		{"coordinates of the wrong depth", `{"type":"Polygon","coordinates":[[73,33.7],[73.1,33.7]]}`, "malformed"},
		{"a position with one number", `{"type":"Polygon","coordinates":[[[73],[73.1,33.7],[73.1,33.8],[73]]]}`, "malformed"},
		{"empty", `{"type":"Polygon","coordinates":[]}`, "empty"},
		{"unclosed ring", `{"type":"Polygon","coordinates":[[[73,33.7],[73.001,33.7],[73.001,33.701],[73,33.701]]]}`, "not closed"},
		{"bow tie crosses itself", geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 100}, [2]float64{100, 0}, [2]float64{0, 100})), "crosses or touches itself"},
		{"hole outside the shell", geojson(square, isb.closed([2]float64{200, 200}, [2]float64{200, 220}, [2]float64{220, 220}, [2]float64{220, 200})), "outside"},
		{"ring of one point", `{"type":"Polygon","coordinates":[[[73,33.7],[73,33.7],[73,33.7],[73,33.7]]]}`, "distinct"},
		{"longitude out of range", `{"type":"Polygon","coordinates":[[[181,33.7],[181.001,33.7],[181.001,33.701],[181,33.7]]]}`, "longitude 181"},
		{"latitude out of range", `{"type":"Polygon","coordinates":[[[73,91],[73.001,91],[73.001,91.001],[73,91]]]}`, "latitude 91"},
		{"projected metres", `{"type":"Polygon","coordinates":[[[0,0],[100,0],[100,80],[0,0]]]}`, "projected metres"},
		{"a sliver of no area", geojson(isb.closed([2]float64{0, 0}, [2]float64{100, 0}, [2]float64{100, 0.001})), "minimum"},
		{"too many vertices", geojson(many), "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolygon([]byte(tt.in))
			if err == nil {
				t.Fatalf("accepted %s", p)
			}
			if !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("error %v does not match fault.ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("reason %q does not mention %q", err, tt.reason)
			}
			if !p.IsZero() {
				t.Errorf("refused polygon is not zero")
			}
		})
	}
}

func TestInvalidPolygonReasonFilesUnderTheCallersField(t *testing.T) {
	_, err := ParsePolygon([]byte(`{"type":"MultiPolygon","coordinates":[]}`))
	var f fault.Fields
	f.Merge("boundary", err)
	v := faulttest.WantFields(t, f.Err(), "boundary")
	if strings.HasPrefix(v.Fields[0].Reason, "invalid input") {
		t.Errorf("reason carries the kind's text: %q", v.Fields[0].Reason)
	}
}

func TestPolygonEncodesAsRFC7946GeoJSON(t *testing.T) {
	cw := parse(t, geojson(isb.closed([2]float64{0, 0}, [2]float64{0, 100}, [2]float64{100, 100}, [2]float64{100, 0})))
	data, err := json.Marshal(cw)
	must(t, err)
	if !strings.HasPrefix(string(data), `{"type":"Polygon","coordinates":[[`) {
		t.Fatalf("encoded %s", data)
	}
	back := parse(t, string(data))
	if !back.Geom().IsCCW() {
		t.Errorf("encoded shell is not counter-clockwise: %s", data)
	}
	if !within(AreaM2(back), AreaM2(cw), 1e-12) {
		t.Errorf("round trip changed the area: %v → %v", AreaM2(cw), AreaM2(back))
	}

	var holder struct {
		Boundary Polygon `json:"boundary"`
	}
	must(t, json.Unmarshal([]byte(`{"boundary":`+string(data)+`}`), &holder))
	if !holder.Boundary.Equal(back) {
		t.Errorf("UnmarshalJSON gave %s, want %s", holder.Boundary, back)
	}
	must(t, json.Unmarshal([]byte(`{"boundary":null}`), &holder))
	if !holder.Boundary.IsZero() {
		t.Errorf("null did not clear the polygon")
	}
	if err := json.Unmarshal([]byte(`{"boundary":{"type":"Point","coordinates":[1,2]}}`), &holder); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("UnmarshalJSON of a Point: %v", err)
	}
	zero, err := json.Marshal(Polygon{})
	must(t, err)
	if string(zero) != "null" {
		t.Errorf("zero polygon encodes as %s", zero)
	}
}

func TestFromLonLatClosesRingsAndValidates(t *testing.T) {
	p, err := FromLonLat([][2]float64{{73, 33.7}, {73.001, 33.7}, {73.001, 33.701}})
	must(t, err)
	if p.NumVertices() != 4 {
		t.Errorf("ring not closed: %s", p)
	}
	if _, err := FromLonLat(nil); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("empty shell: %v", err)
	}
	b := p.Bounds()
	if b.MinLon != 73 || b.MaxLon != 73.001 || b.MinLat != 33.7 || b.MaxLat != 33.701 {
		t.Errorf("bounds %+v", b)
	}
}

var must = faulttest.Must
