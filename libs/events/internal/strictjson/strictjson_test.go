package strictjson

import (
	"encoding/json"
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"
)

// update is accepted so that "go test ./... -run TestSchemas -update" works across the whole
// module; this package has no generated files.
var _ = flag.Bool("update", false, "no effect in this package")

type inner struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

type Embedded struct {
	Tag string `json:"tag"`
}

type outer struct {
	Embedded
	ID       string            `json:"id"`
	Count    int               `json:"count"`
	Inner    inner             `json:"inner"`
	Optional *inner            `json:"optional,omitempty"`
	Later    time.Time         `json:"later,omitzero"`
	Raw      json.RawMessage   `json:"raw,omitempty"`
	Items    []inner           `json:"items,omitempty"`
	Labels   map[string]inner  `json:"labels,omitempty"`
	Ignored  string            `json:"-"`
	hidden   string            // unexported, so not a JSON field
	Extra    map[string]string `json:"extra,omitempty"`
}

func TestCheckReportsTheFirstShapeProblem(t *testing.T) {
	const ok = `"tag":"t","id":"a","count":0,"inner":{"name":"n"}`
	tests := []struct {
		name string
		doc  string
		kind Kind
		path string
	}{
		{"valid", `{` + ok + `}`, 0, ""},
		{"valid with optionals", `{` + ok + `,"optional":{"name":"o","note":"x"},"later":"2025-01-01T00:00:00Z","raw":{"any":{"thing":1}},"items":[{"name":"i"}],"labels":{"k":{"name":"l"}}}`, 0, ""},
		{"required field missing", `{"tag":"t","id":"a","inner":{"name":"n"}}`, Missing, "count"},
		{"required field null", `{"tag":"t","id":"a","count":null,"inner":{"name":"n"}}`, Missing, "count"},
		{"nested required missing", `{"tag":"t","id":"a","count":1,"inner":{}}`, Missing, "inner.name"},
		{"embedded field missing", `{"id":"a","count":0,"inner":{"name":"n"}}`, Missing, "tag"},
		{"optional null", `{` + ok + `,"optional":null}`, Null, "optional"},
		{"unknown field", `{` + ok + `,"colour":"red"}`, Unknown, "colour"},
		{"field in another case", `{"tag":"t","ID":"a","count":0,"inner":{"name":"n"}}`, Unknown, "ID"},
		{"ignored field", `{` + ok + `,"Ignored":"x"}`, Unknown, "Ignored"},
		{"unexported field", `{` + ok + `,"hidden":"x"}`, Unknown, "hidden"},
		{"nested unknown", `{"tag":"t","id":"a","count":0,"inner":{"name":"n","x":1}}`, Unknown, "inner.x"},
		{"unknown inside a slice element", `{` + ok + `,"items":[{"name":"i"},{"name":"j","x":1}]}`, Unknown, "items[1].x"},
		{"unknown inside a map value", `{` + ok + `,"labels":{"k":{"name":"l","x":1}}}`, Unknown, "labels.k.x"},
		{"duplicate key", `{` + ok + `,"id":"b"}`, Duplicate, "id"},
		{"duplicate key in a map", `{` + ok + `,"extra":{"a":"1","a":"2"}}`, Duplicate, "extra.a"},
		{"duplicate key inside raw content", `{` + ok + `,"raw":{"a":1,"a":2}}`, Duplicate, "raw.a"},
		{"struct given as an array", `{"tag":"t","id":"a","count":0,"inner":["n"]}`, NotObject, "inner"},
		{"document not an object", `[1,2]`, NotObject, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check([]byte(tt.doc), reflect.TypeFor[outer]())
			if tt.kind == 0 {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Path != tt.path {
				t.Fatalf("Check = %#v, want kind %d at %q", err, tt.kind, tt.path)
			}
			if !strings.Contains(e.Error(), tt.path) {
				t.Errorf("message %q does not name %q", e.Error(), tt.path)
			}
		})
	}
}

func TestCheckPassesSyntaxErrorsThrough(t *testing.T) {
	for _, doc := range []string{``, `{`, `{"id":}`, `{"tag":"t","id":"a","count":0,"inner":{"name":"n"}} {}`, `{"id" "a"}`} {
		err := Check([]byte(doc), reflect.TypeFor[outer]())
		var e *Error
		if err == nil || errors.As(err, &e) {
			t.Errorf("Check(%q) = %v, want a syntax error", doc, err)
		}
	}
}

func TestFieldsFollowTheJSONTags(t *testing.T) {
	if (outer{hidden: "set"}).hidden == "" { // the unexported field exists; Fields must skip it
		t.Fatal("unreachable")
	}
	var got []string
	for _, f := range Fields(reflect.TypeFor[outer]()) {
		name := f.Name
		if !f.Required {
			name += "?"
		}
		got = append(got, name)
	}
	want := "tag id count inner optional? later? raw? items? labels? extra?"
	if strings.Join(got, " ") != want {
		t.Errorf("Fields = %v, want %s", got, want)
	}
}

func TestCheckRefusesDeepNesting(t *testing.T) {
	doc := `{"raw":` + strings.Repeat("[", maxDepth+2) + strings.Repeat("]", maxDepth+2) + `}`
	if err := Check([]byte(doc), reflect.TypeFor[outer]()); !errors.Is(err, errTooDeep) {
		t.Errorf("Check = %v, want errTooDeep", err)
	}
}

type optionals struct {
	Name  string  `json:"name"`
	Note  string  `json:"note,omitempty"`
	Flag  bool    `json:"flag,omitempty"`
	Size  float64 `json:"size,omitempty"`
	Count int     `json:"count,omitzero"`
	Ptr   *string `json:"ptr,omitempty"`
	Inner *inner  `json:"inner,omitempty"`
}

// TestCheckRefusesEmptyOptionalScalars: an optional scalar holding the value omitempty drops
// would decode as "absent" while the schemas refuse it; Check refuses it too. Required fields
// may hold any value, and a pointer to the zero value is a real value.
func TestCheckRefusesEmptyOptionalScalars(t *testing.T) {
	tests := []struct {
		doc  string
		path string // "" when valid
	}{
		{`{"name":""}`, ""},
		{`{"name":"n","note":"x","flag":true,"size":0.5,"count":-1,"ptr":"","inner":{"name":"","note":"y"}}`, ""},
		{`{"name":"n","ptr":""}`, ""},
		{`{"name":"n","note":""}`, "note"},
		{`{"name":"n","flag":false}`, "flag"},
		{`{"name":"n","size":0}`, "size"},
		{`{"name":"n","size":-0.0}`, "size"},
		{`{"name":"n","size":0e5}`, "size"},
		{`{"name":"n","count":0}`, "count"},
		{`{"name":"n","inner":{"name":"i","note":""}}`, "inner.note"},
	}
	for _, tt := range tests {
		err := Check([]byte(tt.doc), reflect.TypeFor[optionals]())
		if tt.path == "" {
			if err != nil {
				t.Errorf("Check(%s) = %v, want nil", tt.doc, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != Empty || e.Path != tt.path {
			t.Errorf("Check(%s) = %#v, want Empty at %q", tt.doc, err, tt.path)
		} else if !strings.Contains(e.Error(), tt.path) {
			t.Errorf("message %q does not name %q", e.Error(), tt.path)
		}
	}
}
