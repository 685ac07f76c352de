// Package envelope is the wire format every zoneops event travels in: the CloudEvents 1.0
// attributes in structured JSON mode, plus the id and version of the aggregate that changed.
// It knows nothing about any particular event; the registry in the parent package maps types
// to payloads.
package envelope

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/events/internal/strictjson"
)

// Fixed attribute values.
const (
	// SpecVersion is the CloudEvents version the envelope follows.
	SpecVersion = "1.0"
	// ContentTypeJSON is the only data content type: payloads are JSON objects.
	ContentTypeJSON = "application/json"
	// ContentTypeCloudEvents is the content type of a whole message: an envelope in
	// CloudEvents' structured JSON mode. The CloudEvents NATS binding reads a message as a
	// structured event only when its HeaderContentType says so.
	ContentTypeCloudEvents = "application/cloudevents+json"
	// HeaderContentType is the message header that carries ContentTypeCloudEvents.
	HeaderContentType = "Content-Type"
	// SchemaFormat is the media type of the event schemas (JSON Schema 2020-12), as AsyncAPI
	// names schema formats.
	SchemaFormat = "application/schema+json;version=draft-2020-12"
)

// typePattern is the grammar of event types: zoneops.<service>.<aggregate>.<event>.v<N>. The
// version starts at 1 (v0 and v01 are refused) so that each version has exactly one spelling.
var typePattern = regexp.MustCompile(`^zoneops\.[a-z]+\.[a-z_]+\.[a-z_]+\.v[1-9][0-9]*$`)

// TypePattern returns the regular expression every event type matches, for schemas and
// documentation.
func TypePattern() string { return typePattern.String() }

// ValidType reports whether typ is a well-formed event type, zoneops.<service>.<aggregate>.<event>.v<N>.
func ValidType(typ string) bool { return typePattern.MatchString(typ) }

// Envelope is one event as it travels on NATS.
type Envelope struct {
	ID               string          `json:"id"`               // UUIDv7, also the Nats-Msg-Id
	Source           string          `json:"source"`           // the producing service, e.g. "/zoneops/tenants"
	SpecVersion      string          `json:"specversion"`      // "1.0"
	Type             string          `json:"type"`             // e.g. "zoneops.tenants.licence.granted.v1"
	Time             time.Time       `json:"time"`             // when the change happened, UTC, RFC 3339
	Subject          string          `json:"subject"`          // CloudEvents subject: the aggregate id
	DataContentType  string          `json:"datacontenttype"`  // "application/json"
	AggregateID      string          `json:"aggregateid"`      // CloudEvents extension attribute
	AggregateVersion int64           `json:"aggregateversion"` // extension; >= 1, increases by 1 per change of that aggregate
	Data             json.RawMessage `json:"data"`             // the payload, compact JSON
}

// New builds a valid envelope for payload: a fresh UUIDv7 id, the time in UTC, the subject set
// to the aggregate id and the payload marshalled into Data. It returns a *DecodeError when the
// resulting envelope would not pass Validate, so that nothing invalid is ever published.
func New(source, typ, aggregateID string, version int64, at time.Time, payload any) (Envelope, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Envelope{}, fmt.Errorf("envelope: new id: %w", err)
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return Envelope{}, fail(ErrInvalidPayload, "data", err.Error())
	}
	e := Envelope{
		ID:               id.String(),
		Source:           source,
		SpecVersion:      SpecVersion,
		Type:             typ,
		Time:             at.UTC(),
		Subject:          aggregateID,
		DataContentType:  ContentTypeJSON,
		AggregateID:      aggregateID,
		AggregateVersion: version,
		Data:             data,
	}
	if err := e.Validate(); err != nil {
		return Envelope{}, err
	}
	return e, nil
}

// Validate checks every attribute and returns a *DecodeError for the first bad one, in the
// order of the struct fields.
func (e Envelope) Validate() error {
	switch {
	case e.ID == "":
		return fail(ErrMissingAttribute, "id", "required")
	case !canonicalUUID(e.ID):
		return fail(ErrBadAttribute, "id", fmt.Sprintf("%q is not a UUID in canonical lower-case form", e.ID))
	case blank(e.Source):
		return fail(ErrMissingAttribute, "source", "required")
	}
	if _, err := url.Parse(e.Source); err != nil {
		return fail(ErrBadAttribute, "source", "not a URI reference: "+err.Error())
	}
	switch {
	case e.SpecVersion == "":
		return fail(ErrMissingAttribute, "specversion", "required")
	case e.SpecVersion != SpecVersion:
		return fail(ErrBadAttribute, "specversion", fmt.Sprintf("must be %q, got %q", SpecVersion, e.SpecVersion))
	case e.Type == "":
		return fail(ErrMissingAttribute, "type", "required")
	case !typePattern.MatchString(e.Type):
		return fail(ErrBadAttribute, "type", fmt.Sprintf("%q does not match %s", e.Type, typePattern))
	case e.Time.IsZero():
		return fail(ErrMissingAttribute, "time", "required")
	case blank(e.Subject):
		return fail(ErrMissingAttribute, "subject", "required")
	case e.DataContentType == "":
		return fail(ErrMissingAttribute, "datacontenttype", "required")
	case e.DataContentType != ContentTypeJSON:
		return fail(ErrBadAttribute, "datacontenttype", fmt.Sprintf("must be %q, got %q", ContentTypeJSON, e.DataContentType))
	case blank(e.AggregateID):
		return fail(ErrMissingAttribute, "aggregateid", "required")
	case e.Subject != e.AggregateID:
		// The subject exists so that CloudEvents tooling can filter by aggregate without
		// knowing our extension; two different values would make that filter lie.
		return fail(ErrBadAttribute, "subject", fmt.Sprintf("must equal aggregateid %q, got %q", e.AggregateID, e.Subject))
	case e.AggregateVersion < 1:
		return fail(ErrBadAttribute, "aggregateversion", fmt.Sprintf("must be at least 1, got %d", e.AggregateVersion))
	case len(e.Data) == 0 || string(bytes.TrimSpace(e.Data)) == "null":
		return fail(ErrMissingAttribute, "data", "required")
	case !json.Valid(e.Data):
		return fail(ErrBadAttribute, "data", "not valid JSON")
	}
	return nil
}

// blank reports a string with no visible character: white space names nothing, so it counts
// as missing.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// canonicalUUID accepts only the 36-character lower-case form, because the id doubles as the
// JetStream de-duplication key and in the processed-events table: two spellings of one id
// would defeat both.
func canonicalUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// Subject returns the NATS subject for an event type: the type without its trailing ".vN", so
// that every version of an event shares one subject and consumers tell versions apart by the
// type attribute. A string without a version suffix is returned unchanged.
func Subject(typ string) string {
	i := strings.LastIndex(typ, ".v")
	if i < 0 || i+2 == len(typ) {
		return typ
	}
	for _, r := range typ[i+2:] {
		if r < '0' || r > '9' {
			return typ
		}
	}
	return typ[:i]
}

// Encode validates e and returns its JSON form, with the time in UTC. Data is written as it is
// (compact, and without HTML escaping) so that Parse(Encode(e)) gives back e exactly.
func Encode(e Envelope) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e.Time = e.Time.UTC()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("envelope: encode: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// attribute binds an attribute name to the field it decodes into.
type attribute struct {
	name string
	into any
}

// attributes lists e's attributes in wire order, bound to e's fields. It is built per call
// rather than kept in a package variable, so there is no shared table to mutate.
func (e *Envelope) attributes() []attribute {
	return []attribute{
		{"id", &e.ID},
		{"source", &e.Source},
		{"specversion", &e.SpecVersion},
		{"type", &e.Type},
		{"time", &e.Time},
		{"subject", &e.Subject},
		{"datacontenttype", &e.DataContentType},
		{"aggregateid", &e.AggregateID},
		{"aggregateversion", &e.AggregateVersion},
		{"data", &e.Data},
	}
}

// Parse decodes one event strictly: data must be a single JSON object holding every attribute
// exactly once, with exactly the names above (case-sensitive) and nothing else, each of the
// right JSON type and well-formed. The time is converted to UTC and Data is compacted, so that
// decoding, encoding and decoding again yields an equal Envelope. Every error is a
// *DecodeError. Parse does not look at the payload; see the registry in the parent package.
func Parse(data []byte) (Envelope, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return Envelope{}, fail(ErrMalformed, "", err.Error())
	}
	if fields == nil {
		return Envelope{}, fail(ErrMalformed, "", "not a JSON object")
	}
	var e Envelope
	attrs := e.attributes()
	for _, a := range attrs {
		raw, ok := fields[a.name]
		if !ok || string(raw) == "null" {
			return Envelope{}, fail(ErrMissingAttribute, a.name, "required")
		}
	}
	// Only now look for unknown and repeated keys: the map above silently merged them.
	if err := strictjson.Check(data, reflect.TypeFor[Envelope]()); err != nil {
		if se, ok := err.(*strictjson.Error); ok {
			reason := "not defined by the zoneops envelope"
			if se.Kind == strictjson.Duplicate {
				reason = "appears more than once"
			}
			return Envelope{}, fail(ErrBadAttribute, se.Path, reason)
		}
		return Envelope{}, fail(ErrMalformed, "", err.Error())
	}
	for _, a := range attrs {
		if err := json.Unmarshal(fields[a.name], a.into); err != nil {
			return Envelope{}, fail(ErrMalformed, a.name, err.Error())
		}
	}
	e.Time = e.Time.UTC()
	var compact bytes.Buffer
	if err := json.Compact(&compact, e.Data); err != nil {
		return Envelope{}, fail(ErrMalformed, "data", err.Error())
	}
	e.Data = compact.Bytes()
	if err := e.Validate(); err != nil {
		return Envelope{}, err
	}
	return e, nil
}
