package envelope

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// update is accepted so that "go test ./... -run TestSchemas -update" works across the whole
// module; this package has no generated files.
var _ = flag.Bool("update", false, "no effect in this package")

const aggregate = "0190f3b8-2c4d-7e5f-9a10-2b3c4d5e6f70"

var at = time.Date(2025, 2, 3, 14, 15, 0, 0, time.FixedZone("PKT", 5*60*60))

func valid(t *testing.T) Envelope {
	t.Helper()
	e, err := New("/zoneops/tenants", "zoneops.tenants.licence.revoked.v1", aggregate, 3, at,
		map[string]string{"licence_id": aggregate, "note": "<b>&</b>"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestNewSetsAUUIDv7IdUTCTimeAndTheAggregateAsSubject(t *testing.T) {
	e := valid(t)
	id, err := uuid.Parse(e.ID)
	if err != nil || id.Version() != 7 {
		t.Errorf("id %q is not a UUIDv7", e.ID)
	}
	if e.Time.Location() != time.UTC || !e.Time.Equal(at) {
		t.Errorf("time = %v, want %v in UTC", e.Time, at)
	}
	if e.Subject != aggregate || e.AggregateID != aggregate || e.AggregateVersion != 3 {
		t.Errorf("subject/aggregate = %q %q %d", e.Subject, e.AggregateID, e.AggregateVersion)
	}
	if e.SpecVersion != SpecVersion || e.DataContentType != ContentTypeJSON {
		t.Errorf("specversion/datacontenttype = %q %q", e.SpecVersion, e.DataContentType)
	}
	if other := valid(t); other.ID == e.ID {
		t.Error("two events share an id")
	}
}

func TestNewRefusesAnEnvelopeThatWouldNotValidate(t *testing.T) {
	tests := []struct {
		name    string
		source  string
		typ     string
		version int64
		at      time.Time
		payload any
		want    error
	}{
		{"no source", "", "zoneops.tenants.licence.revoked.v1", 1, at, struct{}{}, ErrMissingAttribute},
		{"type without version", "/zoneops/tenants", "zoneops.tenants.licence.revoked", 1, at, struct{}{}, ErrBadAttribute},
		{"version zero", "/zoneops/tenants", "zoneops.tenants.licence.revoked.v1", 0, at, struct{}{}, ErrBadAttribute},
		{"zero time", "/zoneops/tenants", "zoneops.tenants.licence.revoked.v1", 1, time.Time{}, struct{}{}, ErrMissingAttribute},
		{"nil payload", "/zoneops/tenants", "zoneops.tenants.licence.revoked.v1", 1, at, nil, ErrMissingAttribute},
		{"payload that cannot be marshalled", "/zoneops/tenants", "zoneops.tenants.licence.revoked.v1", 1, at, func() {}, ErrInvalidPayload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.source, tt.typ, aggregate, tt.version, tt.at, tt.payload); !errors.Is(err, tt.want) {
				t.Errorf("New = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestValidateNamesTheFirstBadAttribute(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(e *Envelope)
		want      error
		attribute string
	}{
		{"valid", func(*Envelope) {}, nil, ""},
		{"no id", func(e *Envelope) { e.ID = "" }, ErrMissingAttribute, "id"},
		{"id not a UUID", func(e *Envelope) { e.ID = "42" }, ErrBadAttribute, "id"},
		{"id with braces", func(e *Envelope) { e.ID = "{" + e.ID + "}" }, ErrBadAttribute, "id"},
		{"id in upper case", func(e *Envelope) { e.ID = strings.ToUpper(e.ID) }, ErrBadAttribute, "id"},
		{"blank source", func(e *Envelope) { e.Source = "  " }, ErrMissingAttribute, "source"},
		{"source not a URI reference", func(e *Envelope) { e.Source = "%zz" }, ErrBadAttribute, "source"},
		{"no specversion", func(e *Envelope) { e.SpecVersion = "" }, ErrMissingAttribute, "specversion"},
		{"old specversion", func(e *Envelope) { e.SpecVersion = "0.3" }, ErrBadAttribute, "specversion"},
		{"no type", func(e *Envelope) { e.Type = "" }, ErrMissingAttribute, "type"},
		{"type v0", func(e *Envelope) { e.Type = "zoneops.tenants.licence.revoked.v0" }, ErrBadAttribute, "type"},
		{"type with a capital", func(e *Envelope) { e.Type = "zoneops.tenants.Licence.revoked.v1" }, ErrBadAttribute, "type"},
		{"type of another product", func(e *Envelope) { e.Type = "acme.tenants.licence.revoked.v1" }, ErrBadAttribute, "type"},
		{"no time", func(e *Envelope) { e.Time = time.Time{} }, ErrMissingAttribute, "time"},
		{"no subject", func(e *Envelope) { e.Subject = "" }, ErrMissingAttribute, "subject"},
		{"no datacontenttype", func(e *Envelope) { e.DataContentType = "" }, ErrMissingAttribute, "datacontenttype"},
		{"datacontenttype with parameters", func(e *Envelope) { e.DataContentType = "application/json; charset=utf-8" }, ErrBadAttribute, "datacontenttype"},
		{"no aggregateid", func(e *Envelope) { e.AggregateID, e.Subject = "", "" }, ErrMissingAttribute, "subject"},
		{"subject is not the aggregate", func(e *Envelope) { e.Subject = "someone-else" }, ErrBadAttribute, "subject"},
		{"negative version", func(e *Envelope) { e.AggregateVersion = -1 }, ErrBadAttribute, "aggregateversion"},
		{"no data", func(e *Envelope) { e.Data = nil }, ErrMissingAttribute, "data"},
		{"null data", func(e *Envelope) { e.Data = json.RawMessage(" null ") }, ErrMissingAttribute, "data"},
		{"data not JSON", func(e *Envelope) { e.Data = json.RawMessage("{") }, ErrBadAttribute, "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := valid(t)
			tt.edit(&e)
			err := e.Validate()
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Validate = %v, want %v", err, tt.want)
			}
			var de *DecodeError
			if err != nil && (!errors.As(err, &de) || de.Attribute != tt.attribute) {
				t.Errorf("Validate = %#v, want attribute %q", err, tt.attribute)
			}
		})
	}
}

func TestEncodeThenParseGivesBackTheEnvelope(t *testing.T) {
	e := valid(t)
	b, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("Parse(Encode(e)) = %+v, want %+v", got, e)
	}
}

func TestEncodeWritesTimeInUTC(t *testing.T) {
	e := valid(t)
	e.Time = at // a local time set by hand after New
	b, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"time":"2025-02-03T09:15:00Z"`)) {
		t.Errorf("time not in UTC: %s", b)
	}
}

func TestEncodeRefusesAnInvalidEnvelope(t *testing.T) {
	e := valid(t)
	e.SpecVersion = "2.0"
	if _, err := Encode(e); !errors.Is(err, ErrBadAttribute) {
		t.Errorf("Encode = %v, want ErrBadAttribute", err)
	}
}

func TestParseNormalisesTimeAndData(t *testing.T) {
	in := `{
	  "id": "0190f3a2-6b1c-7d4e-8f00-1a2b3c4d5e6f", "source": "/zoneops/tenants", "specversion": "1.0",
	  "type": "zoneops.tenants.licence.revoked.v1", "time": "2025-02-03T14:15:00.5+05:00",
	  "subject": "x", "datacontenttype": "application/json", "aggregateid": "x", "aggregateversion": 2,
	  "data": { "a" : [ 1, 2 ],  "b": "<ok>" }
	}`
	e, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if e.Time.Location() != time.UTC || e.Time.Format(time.RFC3339Nano) != "2025-02-03T09:15:00.5Z" {
		t.Errorf("time = %v, want 09:15:00.5 UTC", e.Time)
	}
	if string(e.Data) != `{"a":[1,2],"b":"<ok>"}` {
		t.Errorf("data = %s, want it compact and otherwise unchanged", e.Data)
	}
}

func TestParseRejectsWithTheRightSentinel(t *testing.T) {
	base := func(t *testing.T) map[string]any {
		b, err := Encode(valid(t))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	tests := []struct {
		name      string
		edit      func(m map[string]any) []byte
		want      error
		attribute string
	}{
		{"not JSON", func(map[string]any) []byte { return []byte(`{"id":`) }, ErrMalformed, ""},
		{"a string", func(map[string]any) []byte { return []byte(`"event"`) }, ErrMalformed, ""},
		{"null", func(map[string]any) []byte { return []byte(`null`) }, ErrMalformed, ""},
		{"empty object", func(map[string]any) []byte { return []byte(`{}`) }, ErrMissingAttribute, "id"},
		{"missing type", func(m map[string]any) []byte { delete(m, "type"); return marshal(m) }, ErrMissingAttribute, "type"},
		{"null time", func(m map[string]any) []byte { m["time"] = nil; return marshal(m) }, ErrMissingAttribute, "time"},
		{"empty id", func(m map[string]any) []byte { m["id"] = ""; return marshal(m) }, ErrMissingAttribute, "id"},
		{"id a number", func(m map[string]any) []byte { m["id"] = 7; return marshal(m) }, ErrMalformed, "id"},
		{"time a number", func(m map[string]any) []byte { m["time"] = 1738574100; return marshal(m) }, ErrMalformed, "time"},
		{"time without zone", func(m map[string]any) []byte { m["time"] = "2025-02-03T09:15:00"; return marshal(m) }, ErrMalformed, "time"},
		{"version a float", func(m map[string]any) []byte { m["aggregateversion"] = 2.5; return marshal(m) }, ErrMalformed, "aggregateversion"},
		{"version too large", func(m map[string]any) []byte {
			return bytes.Replace(marshal(m), []byte(`"aggregateversion":3`), []byte(`"aggregateversion":99999999999999999999`), 1)
		}, ErrMalformed, "aggregateversion"},
		{"bad specversion", func(m map[string]any) []byte { m["specversion"] = "1"; return marshal(m) }, ErrBadAttribute, "specversion"},
		{"unknown attribute", func(m map[string]any) []byte { m["traceparent"] = "00-abc"; return marshal(m) }, ErrBadAttribute, "traceparent"},
		{"attribute in upper case", func(m map[string]any) []byte { m["ID"] = m["id"]; return marshal(m) }, ErrBadAttribute, "ID"},
		{"repeated attribute", func(m map[string]any) []byte {
			return bytes.Replace(marshal(m), []byte(`{`), []byte(`{"type":"zoneops.tenants.licence.granted.v1",`), 1)
		}, ErrBadAttribute, "type"},
		{"trailing garbage", func(m map[string]any) []byte { return append(marshal(m), " x"...) }, ErrMalformed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.edit(base(t)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %v, want %v", err, tt.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Attribute != tt.attribute || de.Reason == "" {
				t.Errorf("Parse = %#v, want attribute %q with a reason", err, tt.attribute)
			}
		})
	}
}

func marshal(m map[string]any) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func TestDecodeErrorMatchesOnlyItsSentinel(t *testing.T) {
	err := error(&DecodeError{Attribute: "type", Reason: "nobody publishes it", Err: ErrUnknownType})
	wrapped := errors.Join(errors.New("consume"), err)
	for _, s := range []error{ErrMalformed, ErrMissingAttribute, ErrBadAttribute, ErrInvalidPayload} {
		if errors.Is(wrapped, s) {
			t.Errorf("matches %v", s)
		}
	}
	if !errors.Is(wrapped, ErrUnknownType) {
		t.Error("does not match ErrUnknownType")
	}
	if got := err.Error(); got != `unknown event type "type": nobody publishes it` {
		t.Errorf("Error() = %q", got)
	}
}

func TestSubjectDropsTheVersion(t *testing.T) {
	tests := []struct{ typ, want string }{
		{"zoneops.tenants.licence.granted.v1", "zoneops.tenants.licence.granted"},
		{"zoneops.tenants.licence.show_cause_issued.v12", "zoneops.tenants.licence.show_cause_issued"},
		{"zoneops.tenants.licence.granted", "zoneops.tenants.licence.granted"},
		{"zoneops.tenants.licence.granted.v", "zoneops.tenants.licence.granted.v"},
		{"zoneops.tenants.licence.granted.vx", "zoneops.tenants.licence.granted.vx"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Subject(tt.typ); got != tt.want {
			t.Errorf("Subject(%q) = %q, want %q", tt.typ, got, tt.want)
		}
	}
}

func TestStreamsCaptureTheirServicesSubjects(t *testing.T) {
	tests := []struct{ subject, want string }{
		{"zoneops.tenants.licence.granted", StreamTenants},
		{"zoneops.allocation.lease.signed", StreamAllocation},
		{"zoneops.incentives.claim.paid", StreamIncentives},
		{"zoneops.compliance.report.filed", StreamCompliance},
		{"zoneops.dlq.tenants-consumer", StreamDeadLetter},
		{"zoneops.tenants", ""},
		{"zoneops.tenantsx.licence.granted", ""},
		{"other.tenants.licence.granted", ""},
	}
	for _, tt := range tests {
		if got := StreamForSubject(tt.subject); got != tt.want {
			t.Errorf("StreamForSubject(%q) = %q, want %q", tt.subject, got, tt.want)
		}
	}
	s := Streams()
	s[0].Name = "changed"
	if Streams()[0].Name != StreamTenants {
		t.Error("Streams shares its slice with callers")
	}
}

// FuzzParse checks that Parse never panics and that what it accepts encodes and parses back
// to an equal envelope.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"id":"0190f3a2-6b1c-7d4e-8f00-1a2b3c4d5e6f","source":"/s","specversion":"1.0","type":"zoneops.a.b.c.v1","time":"2025-02-03T09:15:00+05:00","subject":"x","datacontenttype":"application/json","aggregateid":"x","aggregateversion":1,"data":{"k":"<v>"}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[1]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Parse(b)
		if err != nil {
			return
		}
		again, err := Encode(e)
		if err != nil {
			t.Fatalf("Encode of a parsed envelope: %v", err)
		}
		e2, err := Parse(again)
		if err != nil {
			t.Fatalf("Parse of an encoded envelope: %v", err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("round trip changed the envelope:\n%+v\n%+v", e, e2)
		}
	})
}
