package geo

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

func polygonSeeds() []string {
	return []string{
		`{"type":"Polygon","coordinates":[[[73,33.7],[73.001,33.7],[73.001,33.701],[73,33.701],[73,33.7]]]}`,
		`{"type":"Polygon","coordinates":[[[73,33.7],[73.01,33.7],[73.01,33.71],[73,33.71],[73,33.7]],[[73.004,33.704],[73.004,33.706],[73.006,33.706],[73.006,33.704],[73.004,33.704]]]}`,
		`{"type":"Polygon","coordinates":[[[73,33.7],[73.001,33.701],[73.001,33.7],[73,33.701],[73,33.7]]]}`,
		`{"type":"Polygon","coordinates":[[[73,33.7,1],[73.001,33.7,2],[73.001,33.701,3],[73,33.7,1]]]}`,
		`{"type":"Polygon","coordinates":[[[73,33.7],[73.001,33.7]]]}`,
		`{"type":"Polygon","coordinates":[[]]}`,
		`{"type":"Polygon","coordinates":[[[]]]}`,
		`{"type":"Polygon","coordinates":[[["a",1]]]}`,
		`{"type":"Polygon","coordinates":null}`,
		`{"type":"Polygon"}`,
		`{"type":"MultiPolygon","coordinates":[[[[73,33.7],[73.001,33.7],[73.001,33.701],[73,33.7]]]]}`,
		`{"type":"GeometryCollection","geometries":[]}`,
		`{"type":"Polygon","coordinates":[[[1e308,1e308],[1,1],[2,2],[1e308,1e308]]]}`,
		`{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,-90]]]}`,
		`null`, ``, `[]`, `"Polygon"`, `{`,
	}
}

func FuzzParsePolygon(f *testing.F) {
	for _, s := range polygonSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolygon(data)
		if err != nil {
			if !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("error %v is not fault.ErrInvalid", err)
			}
			if !p.IsZero() {
				t.Fatalf("refused polygon is not zero")
			}
			return
		}
		if AreaM2(p) < MinAreaM2 {
			t.Fatalf("accepted a polygon of %v m²", AreaM2(p))
		}
		enc, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		q, err := ParsePolygon(enc)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", enc, err)
		}
		if !within(AreaM2(q), AreaM2(p), 1e-9) {
			t.Fatalf("round trip changed the area %v → %v", AreaM2(p), AreaM2(q))
		}
	})
}

func FuzzParseFeatureCollection(f *testing.F) {
	for _, s := range polygonSeeds() {
		f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"properties":{"code":"A-1"},"geometry":` + s + `}]}`))
	}
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"FeatureCollection","features":[null,1,"x",{}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":{},"properties":[],"geometry":{}}]}`,
		`{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:3857"}},"features":[]}`,
		`{"type":"FeatureCollection","features":null}`,
		`{"features":[{"type":"Feature"}]}`,
		`[]`, `null`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := ParseFeatureCollection(data, 50)
		if err != nil {
			if !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("error %v is not fault.ErrInvalid", err)
			}
			if fs != nil {
				t.Fatalf("features returned with an error")
			}
			return
		}
		for i, feat := range fs {
			if feat.Geometry.IsZero() {
				t.Fatalf("feature %d accepted without geometry", i)
			}
		}
		enc, err := EncodeFeatureCollection(fs)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, err := ParseFeatureCollection(enc, 50)
		if err != nil || len(again) != len(fs) {
			t.Fatalf("re-parse of %s: %v", enc, err)
		}
	})
}
