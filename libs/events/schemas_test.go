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
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/incentives"
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

// objectPaths returns the paths of every JSON object within v (v included, as nil), looking
// into arrays too: an element's path segment is its index ("parts", "0").
func objectPaths(v any, path []string) [][]string {
	switch v := v.(type) {
	case map[string]any:
		out := [][]string{slices.Clone(path)}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = append(out, objectPaths(v[k], append(path, k))...)
		}
		return out
	case []any:
		var out [][]string
		for i, e := range v {
			out = append(out, objectPaths(e, append(path, strconv.Itoa(i)))...)
		}
		return out
	}
	return nil
}

func at(data map[string]any, path []string) map[string]any {
	var v any = data
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, _ := strconv.Atoi(p)
			v = x[i]
		}
	}
	return v.(map[string]any)
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
		"kind":                {"tenant", "", "building"},
		"size_tier":           {"huge"},
		"role":                {"admin"},
		"reason":              {"   ", 7, ""},
		"legal_name":          {""},
		"decision_due":        {"2025-02-30", "05/03/2025", "2025-03-05T00:00:00Z"},
		"valid_until":         {"2035-3-31", "2035-04-31"},
		"reply_due":           {"tomorrow"},
		"submitted_at":        {"2025-02-03", "yesterday"},
		"registration_number": {" "},
		"sector":              {[]any{"robotics"}},
		// allocation
		"zone_id":                   {"ISB", "0190F3C1-0A1B-7C2D-8E3F-405162738495"},
		"plot_id":                   {"ISB-A-014", ""},
		"parent_plot_id":            {"plot-1"},
		"building_id":               {"tower-2"},
		"unit_id":                   {"B2-0704"},
		"request_id":                {"r-1", 1},
		"lease_id":                  {"lease-9"},
		"developer_tenant_id":       {"margalla-estates", ""},
		"id":                        {"ISB-A-014-E", ""},
		"source_plot_ids":           {[]any{"0190f3c2-1b2c-7d3e-9f40-62738495a6b7"}, []any{"0190f3c2-1b2c-7d3e-9f40-62738495a6b7", "0190f3c2-1b2c-7d3e-9f40-62738495a6b7"}, []any{"0190f3c2-1b2c-7d3e-9f40-62738495a6b7", "west"}, []any{}, "0190f3c2-1b2c-7d3e-9f40-62738495a6b7"},
		"parts":                     {[]any{}, "two"},
		"code":                      {"isb", "", "ISB A", "ISB/A/14", strings.Repeat("A", 33)},
		"name":                      {" ", ""},
		"province":                  {"Punjab", "federal_capital"},
		"time_zone":                 {"", "Karachi time", "/Asia/Karachi", "Asia/"},
		"status":                    {"active", "Notified"},
		"from":                      {"draft"},
		"to":                        {"closed", ""},
		"area_m2":                   {0, -12.5, 4046.856, "4046.86", 1e-3},
		"min_area_m2":               {0, 1500.001},
		"max_area_m2":               {-1, 2500.755},
		"land_use":                  {"farming", "IT_PARK", ""},
		"use":                       {"office"},
		"floors":                    {0, -1, 2.5, "12"},
		"floor":                     {7.5, "7"},
		"term_months":               {0, 12.5},
		"notice_months":             {-1, 1.5},
		"land_lease":                {"yes", 1},
		"start_date":                {"2025-06-31", "2025-6-1"},
		"end_date":                  {"2055-02-29", "31/05/2055"},
		"offer_valid_until":         {"2025-05-15T23:59:59+05:00"},
		"notice_given_on":           {"2027-01-32"},
		"ends_on":                   {"20270710"},
		"ended_on":                  {""},
		"on":                        {"2026-13-02"},
		"due":                       {"soon"},
		"construction_start_due":    {"2026-02-30"},
		"construction_complete_due": {"2028-5-31"},
		"cause":                     {"eviction", "", "term_end_"},
		"milestone":                 {"construction_begun", "construction_start"},
		"missed_milestone":          {"construction_started"},
		"space":                     {"plot", []any{}},
		"requirements":              {"it_park"},
		"terms":                     {[]any{}},
		"boundary":                  {"POLYGON((73 33, 74 33, 74 34, 73 33))", map[string]any{}},
		"type":                      {"Point", "polygon", ""},
		"coordinates": {
			[]any{},        // no exterior ring
			[]any{[]any{}}, // an empty ring
			[]any{ring([]any{0, 0}, []any{1, 0}, []any{0, 0})},                                          // three positions
			[]any{ring([]any{73}, []any{74, 33}, []any{74, 34}, []any{73})},                             // a position without latitude
			[]any{ring([]any{73, 33, 540}, []any{74, 33, 540}, []any{74, 34, 540}, []any{73, 33, 540})}, // with altitude
			[]any{ring([]any{181, 33}, []any{74, 33}, []any{74, 34}, []any{181, 33})},                   // longitude out of range
			[]any{ring([]any{73, -91}, []any{74, 33}, []any{74, 34}, []any{73, -91})},                   // latitude out of range
			[]any{ring([]any{"73", 33}, []any{74, 33}, []any{74, 34}, []any{"73", 33})},                 // a coordinate as a string
			"73 33, 74 33, 74 34, 73 33",
		},
		// incentives
		"entitlement_id":        {"E-1", "0190F3D1-6071-7283-94A5-A6B7C8D9EAFB"},
		"claim_id":              {"claim-1", ""},
		"clawback_id":           {"cb-1"},
		"licence_number":        {" ", ""},
		"scheme_code":           {"s21-customs", "S", "21-CUSTOMS", "S21 CUSTOMS", ""},
		"scheme_version":        {0, -1, 1.5, "1"},
		"tax_kind":              {"income", "wealth_tax", ""},
		"window":                {"2025-04-01/2035-03-31", []any{}},
		"until":                 {"2035-02-29", ""},
		"cap":                   {money(0, "PKR"), money(-1, "PKR"), money(100, "pkr"), 125000000},
		"tax_year_cap":          {money(0, "PKR")},
		"source":                {"tenants", "Operator", ""},
		"closed_on":             {"2029-10-32"},
		"cap_reached":           {"cap", "taxyear", ""},
		"tax_year":              {0, 10000, "2026", "2025-26", 2026.5},
		"declaration_reference": {"", "  "},
		"transaction_date":      {"14/08/2025", "2025-08-14T12:00:00+05:00"},
		"assessed_value":        {money(0, "PKR"), money(-5, "PKR")},
		"exempted_amount":       {money(0, "PKR"), money(-840000000, "PKR"), money(1, "PK"), "PKR 8,400,000.00"},
		"remaining":             {money(-1, "PKR")},
		"tax_year_remaining":    {money(1.5, "PKR")},
		"lines":                 {[]any{}, "robots"},
		"hs_code":               {"847", "8479.5", "8479-50-00", "HS8479"},
		"description":           {" "},
		"quantity":              {0, -4, "4"},
		"value":                 {money(-1, "PKR")},
		"detail":                {"", "\t"},
		"rule":                  {"window", "Full", "none", ""},
		"basis":                 {"full", []any{}},
		"utilised":              {money(-1, "PKR")},
		"term_days":             {0, -1, 3652.5},
		"unexpired_days":        {-1, "1993"},
		"depreciation_years":    {0, -5, 2.5},
		"amount":                {money(0, "PKR"), money(-100, "PKR")},
		"assessed_on":           {"2029-02-30"},
		"recovered":             {money(0, "PKR")},
		"settled_on":            {"20300120"},
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

func ring(positions ...any) []any { return positions }

func money(amount any, currency string) map[string]any {
	return map[string]any{"amount_minor": amount, "currency": currency}
}

// crossFieldMutations are, by type, the breaches of rules between fields that the schemas
// state too (documentRules in schemagen_test.go), each applied to every sample of the type.
var crossFieldMutations = map[string][]mutation{
	allocation.TypeRequestSubmitted: {
		{"neither space nor requirements", func(d map[string]any) {
			delete(d, "space")
			delete(d, "requirements")
		}},
		{"both space and requirements", func(d map[string]any) {
			d["space"] = map[string]any{"kind": "unit", "id": unitID}
			d["requirements"] = map[string]any{"land_use": "it_park", "min_area_m2": 100}
		}},
	},
	incentives.TypeClawbackAssessed: {
		{"a depreciation schedule given to the rule of the sample, or taken from it", func(d map[string]any) {
			basis := d["basis"].(map[string]any)
			if _, ok := basis["depreciation_years"]; ok {
				delete(basis, "depreciation_years")
			} else {
				basis["depreciation_years"] = 5
			}
		}},
		{"the depreciated rule without a schedule, or another rule with one", func(d map[string]any) {
			if d["rule"] == "depreciated" {
				d["rule"] = "pro_rata"
			} else {
				d["rule"] = "depreciated"
			}
		}},
	},
}

// requiredAt returns the required JSON fields of the struct found at path inside t.
func requiredAt(t reflect.Type, path []string) []string {
	for _, p := range path {
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			t = t.Elem() // p is an index
		} else {
			for _, f := range strictjson.Fields(t) {
				if f.Name == p {
					t = f.Type
					break
				}
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
		for _, m := range append(mutationsOf(data, k.payload), crossFieldMutations[typ]...) {
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
