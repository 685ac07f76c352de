package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/internal/strictjson"
)

var update = flag.Bool("update", false, "rewrite schemas/*.json and asyncapi.yaml from the Go types")

// TestSchemas fails when a committed schema or asyncapi.yaml differs from what the Go types
// give, or when a schema file names no registered type; with -update it rewrites them.
func TestSchemas(t *testing.T) {
	want := generatedSchemas()
	files := map[string][]byte{"asyncapi.yaml": generatedAsyncAPI()}
	for name, b := range want {
		files[filepath.Join("schemas", name)] = b
	}
	if *update {
		stale, _ := filepath.Glob(filepath.Join("schemas", "*.json"))
		for _, path := range stale {
			if _, ok := files[path]; !ok {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			}
		}
		for path, b := range files {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for path, b := range files {
		t.Run(path, func(t *testing.T) {
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v; run go test -run TestSchemas -update", err)
			}
			if !bytes.Equal(got, b) {
				t.Errorf("%s differs from the Go types; run go test -run TestSchemas -update and review the diff", path)
			}
		})
	}
	committed, _ := filepath.Glob(filepath.Join("schemas", "*.json"))
	for _, path := range committed {
		if _, ok := files[path]; !ok {
			t.Errorf("%s belongs to no registered type", path)
		}
	}
}

// TestSchemaIsEmbeddedForEveryType checks what the library serves, not just what is on disk.
func TestSchemaIsEmbeddedForEveryType(t *testing.T) {
	for _, typ := range Types() {
		b, ok := Schema(typ)
		if !ok || !json.Valid(b) {
			t.Errorf("Schema(%q) = %d bytes, %v", typ, len(b), ok)
		}
	}
	if _, ok := Schema("zoneops.tenants.licence.granted.v99"); ok {
		t.Error("Schema answered for an unregistered type")
	}
	if !json.Valid(EnvelopeSchema()) {
		t.Error("EnvelopeSchema is not JSON")
	}
	if !bytes.HasPrefix(AsyncAPI(), []byte("# zoneops events")) {
		t.Error("AsyncAPI does not return asyncapi.yaml")
	}
}

// schemaSet compiles the embedded schemas once per test.
type schemaSet struct {
	envelope *jsonschema.Schema
	data     map[string]*jsonschema.Schema
}

func compileSchemas(t testing.TB) schemaSet {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat() // formats are part of the contract, not annotations
	add := func(name string, b []byte) string {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		url := "https://schemas.zoneops.invalid/" + name
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return url
	}
	compile := func(url string) *jsonschema.Schema {
		s, err := c.Compile(url)
		if err != nil {
			t.Fatalf("compile %s: %v", url, err)
		}
		return s
	}
	set := schemaSet{envelope: compile(add("envelope.json", EnvelopeSchema())), data: map[string]*jsonschema.Schema{}}
	for _, typ := range Types() {
		b, _ := Schema(typ)
		set.data[typ] = compile(add(typ+".json", b))
	}
	return set
}

func instance(t testing.TB, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// mutation is one change to a valid event's data that both the decoder and the schema must
// refuse.
type mutation struct {
	name  string
	apply func(data map[string]any)
}

// objectPaths returns the paths of every JSON object within v (v included, as nil).
func objectPaths(v any, path []string) [][]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := [][]string{slices.Clone(path)}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, objectPaths(m[k], append(path, k))...)
	}
	return out
}

func at(data map[string]any, path []string) map[string]any {
	for _, p := range path {
		data = data[p].(map[string]any)
	}
	return data
}

// mutationsOf derives, from one valid data object, a mutation per required field (removed),
// per object (an unknown field added, a known field spelt in another case) and per rule in
// the hand-kept tables (values that break them).
func mutationsOf(data map[string]any, payload reflect.Type) []mutation {
	var out []mutation
	for _, path := range objectPaths(data, nil) {
		where := strings.Join(path, ".")
		for _, field := range requiredAt(payload, path) {
			out = append(out, mutation{"without " + strings.Join(append(slices.Clone(path), field), "."), func(d map[string]any) {
				delete(at(d, path), field)
			}})
		}
		out = append(out, mutation{"unknown field in {" + where + "}", func(d map[string]any) {
			at(d, path)["colour"] = "teal"
		}})
		out = append(out, mutation{"upper-case key in {" + where + "}", func(d map[string]any) {
			obj := at(d, path)
			first := slices.Sorted(maps.Keys(obj))[0]
			obj[strings.ToUpper(first)] = obj[first]
			delete(obj, first)
		}})
		for _, field := range slices.Sorted(maps.Keys(at(data, path))) {
			out = append(out, mutation{"null " + strings.Join(append(slices.Clone(path), field), "."), func(d map[string]any) {
				at(d, path)[field] = nil
			}})
		}
	}
	bad := map[string][]any{
		"application_id":      {"0190F3A2-6B1C-7D4E-8F00-1A2B3C4D5E6F", "not-a-uuid", 42},
		"licence_id":          {"0190f3b82c4d7e5f9a102b3c4d5e6f70", ""},
		"tenant_id":           {"{0190f3b8-2c4d-7e5f-9a10-3c4d5e6f7081}"},
		"email":               {"Ayesha <ayesha@example.pk>", "no-at-sign"},
		"country":             {"PAK", "pk"},
		"currency":            {"Rs", "pkr"},
		"zone":                {"isb", ""},
		"headcount":           {-1, 1.5, "120"},
		"amount_minor":        {-100, 1.25},
		"kind":                {"tenant", ""},
		"size_tier":           {"huge"},
		"role":                {"admin"},
		"reason":              {"   ", 7},
		"legal_name":          {""},
		"decision_due":        {"2025-02-30", "05/03/2025", "2025-03-05T00:00:00Z"},
		"valid_until":         {"2035-3-31", "2035-04-31"},
		"reply_due":           {"tomorrow"},
		"submitted_at":        {"2025-02-03", "yesterday"},
		"registration_number": {" "},
		"sector":              {[]any{"robotics"}},
	}
	for _, path := range objectPaths(data, nil) {
		for _, field := range slices.Sorted(maps.Keys(at(data, path))) {
			for i, v := range bad[field] {
				out = append(out, mutation{"bad " + strings.Join(append(slices.Clone(path), field), ".") + "#" + string(rune('a'+i)), func(d map[string]any) {
					at(d, path)[field] = v
				}})
			}
		}
	}
	return out
}

// requiredAt returns the required JSON fields of the struct found at path inside t.
func requiredAt(t reflect.Type, path []string) []string {
	for _, p := range path {
		for _, f := range strictjson.Fields(t) {
			if f.Name == p {
				t = f.Type
				break
			}
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	var out []string
	for _, f := range strictjson.Fields(t) {
		if f.Required {
			out = append(out, f.Name)
		}
	}
	return out
}

// TestDecodeAndSchemasAgree breaks every sample in every way the contract forbids and checks
// that the Go decoder and the committed schema both refuse it, and both accept the sample
// itself: a consumer in another language that validates with the schemas must see the same
// contract as a Go consumer.
func TestDecodeAndSchemasAgree(t *testing.T) {
	set := compileSchemas(t)
	for _, s := range samples() {
		typ := s.payload.EventType()
		e, err := New(s.payload, 1, sampleTime)
		if err != nil {
			t.Fatalf("%s/%s: %v", typ, s.name, err)
		}
		raw, err := envelope.Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		var data map[string]any
		if err := json.Unmarshal(e.Data, &data); err != nil {
			t.Fatal(err)
		}
		if err := set.data[typ].Validate(instance(t, e.Data)); err != nil {
			t.Errorf("%s/%s: the schema refuses a valid sample: %v", typ, s.name, err)
		}
		if err := set.envelope.Validate(instance(t, raw)); err != nil {
			t.Errorf("%s/%s: the envelope schema refuses a valid event: %v", typ, s.name, err)
		}
		k, _ := known.lookup(typ)
		for _, m := range mutationsOf(data, k.payload) {
			t.Run(typ+"/"+s.name+"/"+m.name, func(t *testing.T) {
				var d map[string]any
				if err := json.Unmarshal(e.Data, &d); err != nil {
					t.Fatal(err)
				}
				m.apply(d)
				bad := e
				bad.Data, err = json.Marshal(d)
				if err != nil {
					t.Fatal(err)
				}
				b, err := envelope.Encode(bad)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := Decode(b); !errors.Is(err, envelope.ErrInvalidPayload) {
					t.Errorf("Decode = %v, want ErrInvalidPayload", err)
				}
				if err := set.data[typ].Validate(instance(t, bad.Data)); err == nil {
					t.Errorf("the schema accepts %s", bad.Data)
				}
			})
		}
	}
}
