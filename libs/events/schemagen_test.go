package events

// The schema generator: it turns the Go payload types into JSON Schemas (draft 2020-12) by
// reflection. It lives in a test file because only "go test -update" runs it; the library
// ships the committed files, embedded.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/incentives"
	"github.com/zoneops/zoneops/libs/events/internal/strictjson"
	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
)

const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// canonicalUUIDPattern restates the decoder's rule that ids are lower case; format "uuid"
// alone would accept upper case.
const canonicalUUIDPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

// nonBlank is the pattern of free text: at least one character that is not white space, as
// the payloads' Validate requires.
const nonBlank = `\S`

// obj is a JSON object that keeps its keys in insertion order, so that a generated schema reads
// top-down in the order of the Go struct.
type obj []member

type member struct {
	key   string
	value any
}

func (o obj) with(key string, value any) obj { return append(o, member{key, value}) }

// MarshalJSON writes the members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := marshalVerbatim(m.key)
		if err != nil {
			return nil, err
		}
		v, err := marshalVerbatim(m.value)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// enumValues is the hand-kept table of enumerations, by Go type. The values come from the
// same functions Validate uses, so a new constant appears in the schema on the next -update.
func enumValues() map[reflect.Type][]string {
	return map[reflect.Type][]string{
		reflect.TypeFor[tenants.Kind]():                stringsOf(tenants.Kinds()),
		reflect.TypeFor[tenants.SizeTier]():            stringsOf(tenants.SizeTiers()),
		reflect.TypeFor[values.Role]():                 stringsOf(values.Roles()),
		reflect.TypeFor[allocation.Province]():         stringsOf(allocation.Provinces()),
		reflect.TypeFor[allocation.ZoneStatus]():       stringsOf(allocation.ZoneStatuses()),
		reflect.TypeFor[allocation.LandUse]():          stringsOf(allocation.LandUses()),
		reflect.TypeFor[allocation.SpaceKind]():        stringsOf(allocation.SpaceKinds()),
		reflect.TypeFor[allocation.TerminationCause](): stringsOf(allocation.TerminationCauses()),
		reflect.TypeFor[allocation.EndCause]():         stringsOf(allocation.EndCauses()),
		reflect.TypeFor[allocation.Milestone]():        stringsOf(allocation.Milestones()),
		reflect.TypeFor[allocation.MissedMilestone]():  stringsOf(allocation.MissedMilestones()),
		reflect.TypeFor[allocation.GeometryType]():     stringsOf(allocation.GeometryTypes()),
		reflect.TypeFor[incentives.TaxKind]():          stringsOf(incentives.TaxKinds()),
		reflect.TypeFor[incentives.SuspensionSource](): stringsOf(incentives.SuspensionSources()),
		reflect.TypeFor[incentives.CloseCause]():       stringsOf(incentives.CloseCauses()),
		reflect.TypeFor[incentives.CapScope]():         stringsOf(incentives.CapScopes()),
		reflect.TypeFor[incentives.RejectionRule]():    stringsOf(incentives.RejectionRules()),
		reflect.TypeFor[incentives.ClawbackRule]():     stringsOf(incentives.ClawbackRules()),
	}
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// payloadRules is the hand-kept table of constraints that Validate enforces on particular
// fields, by JSON name; the generator adds them after the type-derived keywords. The rule of
// the elements of a list field is under the field's name followed by "[]".
func payloadRules() map[string]obj {
	id := obj{}.with("format", "uuid").with("pattern", canonicalUUIDPattern)
	area := obj{}.with("exclusiveMinimum", 0).with("multipleOf", math.Pow10(-allocation.AreaDecimals))
	// positive is money greater than zero (an exempted amount, a cap, a receivable); amount_minor
	// alone only says "not negative".
	positive := obj{}.with("allOf", []obj{
		obj{}.with("properties", obj{}.with("amount_minor", obj{}.with("exclusiveMinimum", 0))),
	})
	taxYear := obj{}.with("minimum", incentives.MinTaxYear).with("maximum", incentives.MaxTaxYear)
	return map[string]obj{
		"application_id":      id,
		"licence_id":          id,
		"tenant_id":           id,
		"email":               obj{}.with("format", "email"),
		"country":             obj{}.with("pattern", tenants.Pattern("country")),
		"currency":            obj{}.with("pattern", values.Pattern("currency")),
		"zone":                obj{}.with("pattern", tenants.Pattern("zone")),
		"headcount":           obj{}.with("minimum", 0),
		"amount_minor":        obj{}.with("minimum", 0),
		"zone_id":             id,
		"plot_id":             id,
		"parent_plot_id":      id,
		"building_id":         id,
		"unit_id":             id,
		"request_id":          id,
		"lease_id":            id,
		"developer_tenant_id": id,
		"id":                  id,
		"source_plot_ids":     obj{}.with("minItems", 2).with("uniqueItems", true),
		"source_plot_ids[]":   id,
		"parts":               obj{}.with("minItems", 2),
		"code":                obj{}.with("pattern", allocation.Pattern("code")),
		"time_zone":           obj{}.with("pattern", allocation.Pattern("time_zone")),
		"area_m2":             area,
		"min_area_m2":         area,
		"max_area_m2":         area,
		"floors":              obj{}.with("minimum", 1),
		"term_months":         obj{}.with("minimum", 1),
		"notice_months":       obj{}.with("minimum", 0),
		"coordinates":         obj{}.with("minItems", 1),
		// incentives
		"entitlement_id":     id,
		"claim_id":           id,
		"clawback_id":        id,
		"scheme_code":        obj{}.with("pattern", incentives.Pattern("scheme_code")),
		"hs_code":            obj{}.with("pattern", incentives.Pattern("hs_code")),
		"scheme_version":     obj{}.with("minimum", 1),
		"tax_year":           taxYear,
		"cap":                positive,
		"tax_year_cap":       positive,
		"assessed_value":     positive,
		"exempted_amount":    positive,
		"amount":             positive,
		"recovered":          positive,
		"lines":              obj{}.with("minItems", 1),
		"quantity":           obj{}.with("exclusiveMinimum", 0),
		"term_days":          obj{}.with("minimum", 1),
		"unexpired_days":     obj{}.with("minimum", 0),
		"depreciation_years": obj{}.with("minimum", 1),
	}
}

// typeRules is the hand-kept table of constraints by Go type, for values that are not named
// by a field of their own (the elements of lists); the generator adds them after the
// type-derived keywords, before any rule of the field.
func typeRules() map[reflect.Type]obj {
	return map[reflect.Type]obj{
		reflect.TypeFor[allocation.LinearRing](): obj{}.with("minItems", 4),
		reflect.TypeFor[allocation.Position](): obj{}.
			with("prefixItems", []obj{
				obj{}.with("description", "longitude").with("type", "number").with("minimum", -180).with("maximum", 180),
				obj{}.with("description", "latitude").with("type", "number").with("minimum", -90).with("maximum", 90),
			}).
			with("minItems", 2).
			with("maxItems", 2),
	}
}

// documentRules is the hand-kept table of constraints between the fields of a payload that
// JSON Schema can state, by payload type; the generator adds them at the end of the document.
// Validate enforces the same, and TestDecodeAndSchemasAgree breaks each of them.
func documentRules() map[reflect.Type]obj {
	return map[reflect.Type]obj{
		reflect.TypeFor[allocation.RequestSubmitted](): obj{}.with("oneOf", []obj{
			obj{}.with("required", []string{"space"}),
			obj{}.with("required", []string{"requirements"}),
		}),
		// The depreciated rule, and only it, has a depreciation schedule.
		reflect.TypeFor[incentives.ClawbackAssessed](): obj{}.
			with("if", obj{}.with("properties", obj{}.with("rule", obj{}.with("const", string(incentives.ClawbackRuleDepreciated))))).
			with("then", obj{}.with("properties", obj{}.with("basis", obj{}.with("required", []string{"depreciation_years"})))).
			with("else", obj{}.with("properties", obj{}.with("basis", obj{}.with("not", obj{}.with("required", []string{"depreciation_years"}))))),
	}
}

// envelopeRules is the same table for the envelope attributes.
func envelopeRules() map[string]obj {
	return map[string]obj{
		"id":               obj{}.with("format", "uuid").with("pattern", canonicalUUIDPattern),
		"source":           obj{}.with("format", "uri-reference").with("pattern", nonBlank),
		"specversion":      obj{}.with("const", envelope.SpecVersion),
		"type":             obj{}.with("pattern", envelope.TypePattern()),
		"datacontenttype":  obj{}.with("const", envelope.ContentTypeJSON),
		"aggregateversion": obj{}.with("minimum", 1),
		"data": obj{}.
			with("description", "The payload; its schema is schemas/<type>.json.").
			with("type", []string{"object", "array", "string", "number", "boolean"}),
	}
}

// generator turns Go types into schemas.
type generator struct {
	rules     map[string]obj
	enums     map[reflect.Type][]string
	types     map[reflect.Type]obj
	documents map[reflect.Type]obj
}

// document returns the schema of struct type t as a standalone document.
func (g generator) document(t reflect.Type, title, description string) obj {
	s := obj{}.
		with("$schema", draft2020).
		with("title", title).
		with("description", description)
	s = append(s, g.object(t)...)
	return append(s, g.documents[t]...)
}

func (g generator) object(t reflect.Type) obj {
	props := obj{}
	required := []string{}
	for _, f := range strictjson.Fields(t) {
		props = props.with(f.Name, g.value(f.Type, f.Name))
		if f.Required {
			required = append(required, f.Name)
		}
	}
	return obj{}.
		with("type", "object").
		with("properties", props).
		with("required", required).
		with("additionalProperties", false)
}

// value returns the schema of a value of Go type t found under the rule key (a field's JSON
// name, or that name followed by "[]" for the elements of a list).
func (g generator) value(t reflect.Type, key string) obj {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	rule, hasRule := g.rules[key]
	typeRule, hasTypeRule := g.types[t]
	var s obj
	switch {
	case t == reflect.TypeFor[time.Time]():
		s = obj{}.with("type", "string").with("format", "date-time")
	case t == reflect.TypeFor[values.Date]():
		s = obj{}.with("type", "string").with("format", "date")
	case t == reflect.TypeFor[json.RawMessage]():
		s = obj{}
	case g.enums[t] != nil:
		s = obj{}.with("type", "string").with("enum", g.enums[t])
	case t.Kind() == reflect.String:
		s = obj{}.with("type", "string")
		if !hasRule && !hasTypeRule {
			s = s.with("pattern", nonBlank)
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		s = obj{}.with("type", "integer")
	case t.Kind() == reflect.Float64:
		s = obj{}.with("type", "number")
	case t.Kind() == reflect.Bool:
		s = obj{}.with("type", "boolean")
	case t.Kind() == reflect.Slice:
		s = obj{}.with("type", "array").with("items", g.value(t.Elem(), key+"[]"))
	case t.Kind() == reflect.Struct:
		s = g.object(t)
	default:
		panic(fmt.Sprintf("schema generator: %s has unsupported type %s", key, t))
	}
	s = append(s, typeRule...)
	return append(s, rule...)
}

// marshalVerbatim is json.Marshal without HTML escaping, so that "<type>" in a description
// stays readable in the committed files.
func marshalVerbatim(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// renderJSON formats a schema the way the committed files are formatted.
func renderJSON(v any) []byte {
	b, err := marshalVerbatim(v)
	if err != nil {
		panic(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		panic(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// generatedSchemas returns every schema file, by file name, as the Go types give it.
func generatedSchemas() map[string][]byte {
	out := map[string][]byte{}
	env := generator{rules: envelopeRules()}
	out["envelope.json"] = renderJSON(env.document(reflect.TypeFor[envelope.Envelope](), "zoneops event envelope",
		"CloudEvents 1.0 attributes in structured JSON mode plus the aggregate id and version. "+
			"subject always equals aggregateid."))
	pay := generator{rules: payloadRules(), enums: enumValues(), types: typeRules(), documents: documentRules()}
	for _, k := range known.sorted() {
		out[k.typ+".json"] = renderJSON(pay.document(k.payload, k.typ, k.summary))
	}
	return out
}
