package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Limits of a FeatureCollection.
const (
	// DefaultMaxFeatures is the feature limit ParseFeatureCollection applies when given 0.
	DefaultMaxFeatures = 10_000
	// MaxReportedProblems bounds the field errors one decode reports: enough to fix a plan in
	// one pass, not so many that the error response dwarfs the plan.
	MaxReportedProblems = 1000
)

// Feature is one GeoJSON Feature of a plan: a polygon and its properties.
type Feature struct {
	// ID is the feature's GeoJSON id as text ("" when absent); numeric ids are kept as written.
	ID string
	// Properties are the feature's properties; numbers are json.Number, so no digit is lost
	// before the caller parses them.
	Properties map[string]any
	// Geometry is the feature's polygon; zero when it is missing or invalid (only a check passed
	// to ParseFeatureCollection ever sees such a feature).
	Geometry Polygon
}

// Code returns the "code" property when it is a string, trimmed, else "". Errors use it to name
// a feature the way its author knows it.
func (f Feature) Code() string {
	s, _ := f.Properties["code"].(string)
	return strings.TrimSpace(s)
}

// FeatureCheck validates one feature's properties while the collection is decoded, so that bad
// properties and bad geometry of every feature are reported in one error. It returns nil or a
// *fault.ValidationError with field names relative to the feature ("properties.code"). The
// feature's Geometry is zero when its geometry was invalid.
type FeatureCheck func(f Feature) error

type rawCollection struct {
	Type     string          `json:"type"`
	Features json.RawMessage `json:"features"`
	CRS      json.RawMessage `json:"crs"`
}

type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
}

// ParseFeatureCollection decodes a GeoJSON FeatureCollection of Polygon features (a plot plan)
// with at most maxFeatures features (0: DefaultMaxFeatures). Every feature must be a Feature
// with a valid Polygon geometry; checks, if any, validate each feature's properties in the same
// pass. All problems of all features are returned at once as a *fault.ValidationError (at most
// MaxReportedProblems of them) with field names like "features[12].geometry" and reasons that
// begin with the feature's code ("feature A-12: ...") when it has one. Nothing is returned
// unless every feature is good.
func ParseFeatureCollection(data []byte, maxFeatures int, checks ...FeatureCheck) ([]Feature, error) {
	if maxFeatures <= 0 {
		maxFeatures = DefaultMaxFeatures
	}
	var f fault.Fields
	var rc rawCollection
	if err := json.Unmarshal(data, &rc); err != nil {
		return nil, fault.Invalid("body", "must be a GeoJSON FeatureCollection: "+jsonReason(err))
	}
	if rc.Type != "FeatureCollection" {
		f.Addf("type", `must be "FeatureCollection", not %q`, rc.Type)
	}
	if reason := checkCRS(rc.CRS); reason != "" {
		f.Add("crs", reason)
	}
	var raws []json.RawMessage
	if len(rc.Features) == 0 || bytes.Equal(rc.Features, []byte("null")) {
		f.Add("features", "required: an array of Polygon features")
	} else if err := json.Unmarshal(rc.Features, &raws); err != nil {
		f.Add("features", "must be an array of Polygon features: "+jsonReason(err))
	} else if len(raws) == 0 {
		f.Add("features", "must contain at least one feature")
	} else if len(raws) > maxFeatures {
		f.Addf("features", "has %d features; at most %d are allowed in one plan", len(raws), maxFeatures)
	}
	if !f.Empty() {
		return nil, f.Err()
	}

	// Problems are listed in feature order (features[2] before features[10]), which is how
	// someone fixing the plan walks through it.
	out := make([]Feature, len(raws))
	var list []fault.FieldError
	badFeatures, unreported := 0, 0
	for i, raw := range raws {
		feat, errs := parseFeature(raw, checks)
		out[i] = feat
		if len(errs) == 0 {
			continue
		}
		badFeatures++
		if len(list)+len(errs) > MaxReportedProblems {
			unreported++
			continue
		}
		label := ""
		if code := feat.Code(); code != "" {
			label = "feature " + code + ": "
		}
		for _, fe := range errs {
			name := fmt.Sprintf("features[%d]", i)
			if fe.Field != "" {
				name += "." + fe.Field
			}
			list = append(list, fault.FieldError{Field: name, Reason: label + fe.Reason})
		}
	}
	if badFeatures == 0 {
		return out, nil
	}
	if unreported > 0 {
		list = append(list, fault.FieldError{Field: "features", Reason: fmt.Sprintf(
			"%d of %d features have problems; %d more are not listed here", badFeatures, len(raws), unreported)})
	}
	return nil, &fault.ValidationError{Fields: list}
}

// parseFeature decodes one feature and returns its problems with names relative to it.
func parseFeature(raw json.RawMessage, checks []FeatureCheck) (Feature, []fault.FieldError) {
	var f fault.Fields
	var rf rawFeature
	if err := json.Unmarshal(raw, &rf); err != nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		reason := "must be a GeoJSON Feature object"
		if err != nil {
			reason += ": " + jsonReason(err)
		}
		return Feature{}, []fault.FieldError{{Field: "", Reason: reason}}
	}
	var feat Feature
	if rf.Type != "Feature" {
		f.Addf("type", `must be "Feature", not %q`, rf.Type)
	}
	id, err := featureID(rf.ID)
	f.Merge("id", err)
	feat.ID = id
	if props, err := decodeProperties(rf.Properties); err != nil {
		f.Merge("properties", err)
	} else {
		feat.Properties = props
	}
	poly, err := ParsePolygon(rf.Geometry)
	f.Merge("geometry", err)
	feat.Geometry = poly
	for _, check := range checks {
		f.Merge("", check(feat))
	}
	err = f.Err()
	if err == nil {
		return feat, nil
	}
	var v *fault.ValidationError
	errors.As(err, &v)
	return feat, v.Fields
}

// featureID accepts a string or a number, as RFC 7946 allows.
func featureID(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fault.Reasonf("must be a string or a number")
}

func decodeProperties(raw json.RawMessage) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return map[string]any{}, nil
	}
	if raw[0] != '{' {
		return nil, fault.Reasonf("must be an object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var props map[string]any
	if err := dec.Decode(&props); err != nil {
		return nil, fault.Reasonf("must be an object: %s", jsonReason(err))
	}
	return props, nil
}

// checkCRS refuses the pre-RFC 7946 "crs" member unless it names WGS84 longitude/latitude:
// GIS tools write it when they export projected coordinates, which would otherwise fail later
// with a puzzling range error.
func checkCRS(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var crs struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	_ = json.Unmarshal(raw, &crs)
	name := strings.ToUpper(crs.Properties.Name)
	if strings.HasSuffix(name, "CRS84") || strings.HasSuffix(name, "EPSG::4326") || name == "EPSG:4326" {
		return ""
	}
	return fmt.Sprintf("coordinates must be WGS84 longitude/latitude (EPSG:4326, as RFC 7946 requires), not %q; reproject the layer before exporting", crs.Properties.Name)
}

type outFeature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id,omitempty"`
	Geometry   Polygon        `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type outCollection struct {
	Type     string       `json:"type"`
	Features []outFeature `json:"features"`
}

// EncodeFeatureCollection writes features as an RFC 7946 FeatureCollection that GIS tools open
// directly: shells counter-clockwise, a zero Geometry as null, properties always an object.
func EncodeFeatureCollection(features []Feature) ([]byte, error) {
	out := outCollection{Type: "FeatureCollection", Features: make([]outFeature, len(features))}
	for i, f := range features {
		props := f.Properties
		if props == nil {
			props = map[string]any{}
		}
		out.Features[i] = outFeature{Type: "Feature", ID: f.ID, Geometry: f.Geometry, Properties: props}
	}
	return json.Marshal(out)
}
