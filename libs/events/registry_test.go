package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/tenants"
)

// sampleTime is when every sample event happened; a fixed instant keeps output reproducible.
var sampleTime = time.Date(2025, 2, 3, 9, 15, 30, 123456000, time.FixedZone("PKT", 5*60*60))

func TestTypesAreSortedAndEachHasASample(t *testing.T) {
	types := Types()
	if !slices.IsSorted(types) {
		t.Errorf("Types() is not sorted: %v", types)
	}
	var sampled []string
	for _, s := range samples() {
		sampled = append(sampled, s.payload.EventType())
	}
	slices.Sort(sampled)
	if got := slices.Compact(sampled); !slices.Equal(got, types) {
		t.Errorf("samples cover %v, want %v", got, types)
	}
	perService := map[string]int{}
	for _, typ := range types {
		perService[service(typ)]++
	}
	if want := map[string]int{"tenants": 14, "allocation": 19, "incentives": 10}; !maps.Equal(perService, want) {
		t.Errorf("types registered per service = %v, want %v", perService, want)
	}
}

// TestEachTypeIsPublishedByItsOwnService: the source of a type is the service its name
// starts with, so a consumer can route by either.
func TestEachTypeIsPublishedByItsOwnService(t *testing.T) {
	for _, k := range known.sorted() {
		if want := "/zoneops/" + service(k.typ); k.source != want {
			t.Errorf("%s is published by %q, want %q", k.typ, k.source, want)
		}
		if StreamFor(k.typ) == "" {
			t.Errorf("%s is in no stream", k.typ)
		}
	}
}

func TestTypesReturnsACopy(t *testing.T) {
	a := Types()
	a[0] = "changed"
	if Types()[0] == "changed" {
		t.Error("changing the result of Types changed the registry")
	}
}

func TestStreamForFollowsTheServiceSegment(t *testing.T) {
	tests := []struct {
		typ  string
		want string
	}{
		{tenants.TypeLicenceGranted, envelope.StreamTenants},
		{"zoneops.tenants.licence.granted.v2", envelope.StreamTenants}, // not registered yet, still routable
		{allocation.TypeLeaseSigned, envelope.StreamAllocation},
		{"zoneops.allocation.lease.signed.v2", envelope.StreamAllocation}, // not registered yet, still routable
		{"zoneops.incentives.claim.paid.v1", envelope.StreamIncentives},
		{"zoneops.compliance.report.filed.v1", envelope.StreamCompliance},
		{"zoneops.billing.invoice.sent.v1", ""},    // no such service
		{"zoneops.dlq.tenants.poisoned.v1", ""},    // the dead-letter stream holds no event types
		{"zoneops.tenants.licence.granted", ""},    // no version
		{"zoneops.tenants.licence.granted.v0", ""}, // versions start at 1
		{"ZONEOPS.TENANTS.LICENCE.GRANTED.V1", ""}, // case matters
		{"", ""},
	}
	for _, tt := range tests {
		if got := StreamFor(tt.typ); got != tt.want {
			t.Errorf("StreamFor(%q) = %q, want %q", tt.typ, got, tt.want)
		}
	}
}

// TestRoundTripNewEncodeDecode checks, for every sample of every type, that what a producer
// builds is exactly what a consumer gets.
func TestRoundTripNewEncodeDecode(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.payload.EventType()+"/"+s.name, func(t *testing.T) {
			e, err := New(s.payload, 7, sampleTime)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			b, err := envelope.Encode(e)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got, payload, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, e) {
				t.Errorf("envelope = %+v, want %+v", got, e)
			}
			if !reflect.DeepEqual(payload, s.payload) {
				t.Errorf("payload = %#v, want %#v", payload, s.payload)
			}
			if got.Source != mustLookup(t, got.Type).source || got.AggregateID != s.payload.AggregateID() || got.AggregateVersion != 7 {
				t.Errorf("source/aggregate = %q %q %d", got.Source, got.AggregateID, got.AggregateVersion)
			}
			if !got.Time.Equal(sampleTime) || got.Time.Location() != time.UTC {
				t.Errorf("time = %v, want %v in UTC", got.Time, sampleTime)
			}
		})
	}
}

// unregistered is a payload whose type nobody registered.
type unregistered struct{ tenants.LicenceRevoked }

func (unregistered) EventType() string { return "zoneops.tenants.licence.revoked.v2" }

// impostor claims a registered type with the wrong Go type.
type impostor struct{ tenants.LicenceRevoked }

func TestNewRefusesWhatConsumersWouldReject(t *testing.T) {
	valid := tenants.LicenceRevoked{LicenceID: licenceID, Reason: "fraud", Actor: operator()}
	tests := []struct {
		name    string
		payload Payload
		version int64
		at      time.Time
		want    error
	}{
		{"nil payload", nil, 1, sampleTime, envelope.ErrInvalidPayload},
		{"invalid payload", tenants.LicenceRevoked{LicenceID: licenceID, Actor: operator()}, 1, sampleTime, envelope.ErrInvalidPayload},
		{"unregistered type", unregistered{valid}, 1, sampleTime, envelope.ErrUnknownType},
		{"payload of another Go type", impostor{valid}, 1, sampleTime, envelope.ErrInvalidPayload},
		{"version zero", valid, 0, sampleTime, envelope.ErrBadAttribute},
		{"no time", valid, 1, time.Time{}, envelope.ErrMissingAttribute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.payload, tt.version, tt.at)
			if !errors.Is(err, tt.want) {
				t.Errorf("New = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewAcceptsAPointerToAPayload(t *testing.T) {
	p := &tenants.LicenceRevoked{LicenceID: licenceID, Reason: "fraud", Actor: operator()}
	e, err := New(p, 1, sampleTime)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := envelope.Encode(e)
	if _, got, err := Decode(b); err != nil || !reflect.DeepEqual(got, *p) {
		t.Errorf("Decode = %#v, %v", got, err)
	}
}

// validEvent returns the encoded licence.granted sample as a generic JSON object for
// mutation.
func validEvent(t *testing.T) map[string]any {
	t.Helper()
	return sampleEvent(t, tenants.TypeLicenceGranted, "")
}

// sampleEvent returns the sample of type typ named name (the first one when name is "") as an
// encoded event, in a generic JSON object for mutation.
func sampleEvent(t *testing.T, typ, name string) map[string]any {
	t.Helper()
	for _, s := range samples() {
		if s.payload.EventType() == typ && (name == "" || s.name == name) {
			e, err := New(s.payload, 1, sampleTime)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := envelope.Encode(e)
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no %q sample of %s", name, typ)
	return nil
}

func TestDecodeRejectsBadEventsWithTheRightSentinel(t *testing.T) {
	edit := func(f func(m map[string]any)) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			m := validEvent(t)
			f(m)
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	raw := func(f func(valid []byte) []byte) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			b, _ := json.Marshal(validEvent(t))
			return f(b)
		}
	}
	data := func(m map[string]any) map[string]any { return m["data"].(map[string]any) }
	tests := []struct {
		name      string
		event     func(t *testing.T) []byte
		want      error
		attribute string
	}{
		{"not JSON", raw(func([]byte) []byte { return []byte("licence granted!") }), envelope.ErrMalformed, ""},
		{"truncated JSON", raw(func(b []byte) []byte { return b[:len(b)/2] }), envelope.ErrMalformed, ""},
		{"JSON array", raw(func([]byte) []byte { return []byte(`[]`) }), envelope.ErrMalformed, ""},
		{"JSON null", raw(func([]byte) []byte { return []byte(`null`) }), envelope.ErrMalformed, ""},
		{"two events in one message", raw(func(b []byte) []byte { return append(b, b...) }), envelope.ErrMalformed, ""},
		{"missing id", edit(func(m map[string]any) { delete(m, "id") }), envelope.ErrMissingAttribute, "id"},
		{"null id", edit(func(m map[string]any) { m["id"] = nil }), envelope.ErrMissingAttribute, "id"},
		{"id not a UUID", edit(func(m map[string]any) { m["id"] = "evt-1" }), envelope.ErrBadAttribute, "id"},
		{"id in upper case", edit(func(m map[string]any) { m["id"] = "0190F3A2-6B1C-7D4E-8F00-1A2B3C4D5E6F" }), envelope.ErrBadAttribute, "id"},
		{"id of the wrong JSON type", edit(func(m map[string]any) { m["id"] = 42 }), envelope.ErrMalformed, "id"},
		{"bad specversion", edit(func(m map[string]any) { m["specversion"] = "0.3" }), envelope.ErrBadAttribute, "specversion"},
		{"missing source", edit(func(m map[string]any) { delete(m, "source") }), envelope.ErrMissingAttribute, "source"},
		{"source of another service", edit(func(m map[string]any) { m["source"] = "/zoneops/allocation" }), envelope.ErrBadAttribute, "source"},
		{"unknown type", edit(func(m map[string]any) { m["type"] = "zoneops.tenants.licence.granted.v9" }), envelope.ErrUnknownType, "type"},
		{"type outside the grammar", edit(func(m map[string]any) { m["type"] = "LicenceGranted" }), envelope.ErrBadAttribute, "type"},
		{"time not RFC 3339", edit(func(m map[string]any) { m["time"] = "3 Feb 2025" }), envelope.ErrMalformed, "time"},
		{"subject differs from aggregateid", edit(func(m map[string]any) { m["subject"] = applicationID }), envelope.ErrBadAttribute, "subject"},
		{"datacontenttype not JSON", edit(func(m map[string]any) { m["datacontenttype"] = "application/xml" }), envelope.ErrBadAttribute, "datacontenttype"},
		{"aggregateversion zero", edit(func(m map[string]any) { m["aggregateversion"] = 0 }), envelope.ErrBadAttribute, "aggregateversion"},
		{"aggregateversion as a string", edit(func(m map[string]any) { m["aggregateversion"] = "1" }), envelope.ErrMalformed, "aggregateversion"},
		{"aggregateversion fractional", edit(func(m map[string]any) { m["aggregateversion"] = 1.5 }), envelope.ErrMalformed, "aggregateversion"},
		{"missing data", edit(func(m map[string]any) { delete(m, "data") }), envelope.ErrMissingAttribute, "data"},
		{"unknown top-level field", edit(func(m map[string]any) { m["partitionkey"] = "x" }), envelope.ErrBadAttribute, "partitionkey"},
		{"attribute spelt in another case", edit(func(m map[string]any) { m["Type"] = m["type"] }), envelope.ErrBadAttribute, "Type"},
		{"attribute given twice", raw(func(b []byte) []byte {
			return bytes.Replace(b, []byte(`{`), []byte(`{"specversion":"1.0",`), 1)
		}), envelope.ErrBadAttribute, "specversion"},
		{"payload missing a required field", edit(func(m map[string]any) { delete(data(m), "licence_number") }), envelope.ErrInvalidPayload, "data"},
		{"payload missing a nested required field", edit(func(m map[string]any) {
			delete(data(m)["commitments"].(map[string]any), "headcount")
		}), envelope.ErrInvalidPayload, "data"},
		{"payload with an unknown field", edit(func(m map[string]any) { data(m)["licence_colour"] = "green" }), envelope.ErrInvalidPayload, "data"},
		{"payload field spelt in another case", edit(func(m map[string]any) {
			data(m)["Licence_Number"] = data(m)["licence_number"]
			delete(data(m), "licence_number")
		}), envelope.ErrInvalidPayload, "data"},
		{"payload with a bad enum", edit(func(m map[string]any) { data(m)["size_tier"] = "huge" }), envelope.ErrInvalidPayload, "data"},
		{"payload with an impossible date", edit(func(m map[string]any) { data(m)["valid_until"] = "2035-02-30" }), envelope.ErrInvalidPayload, "data"},
		{"payload not an object", edit(func(m map[string]any) { m["data"] = []any{1, 2} }), envelope.ErrInvalidPayload, "data"},
		{"payload of another aggregate", edit(func(m map[string]any) {
			m["aggregateid"], m["subject"] = tenantID, tenantID
		}), envelope.ErrInvalidPayload, "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, p, err := Decode(tt.event(t))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode = %v, want %v", err, tt.want)
			}
			var de *envelope.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode error %T is not a *envelope.DecodeError", err)
			}
			if de.Attribute != tt.attribute || de.Reason == "" {
				t.Errorf("DecodeError = {%q, %q}, want attribute %q and a reason", de.Attribute, de.Reason, tt.attribute)
			}
			if p != nil || !reflect.DeepEqual(e, envelope.Envelope{}) {
				t.Errorf("Decode returned %+v, %v alongside an error", e, p)
			}
		})
	}
}

// TestDecodeChecksAllocationEventsToo: the source and aggregate rules hold for the allocation
// events, whose aggregate is not always the first id of the payload.
func TestDecodeChecksAllocationEventsToo(t *testing.T) {
	runDecodeCases(t, []decodeCase{
		{"as it is", allocation.TypePlotSubdivided, func(map[string]any) {}, nil},
		{"published by tenants", allocation.TypeLeaseSigned, func(m map[string]any) { m["source"] = tenants.Source }, envelope.ErrBadAttribute},
		{"a tenants type published by allocation", tenants.TypeLicenceGranted, func(m map[string]any) { m["source"] = allocation.Source }, envelope.ErrBadAttribute},
		{"subdivision filed under a part", allocation.TypePlotSubdivided, func(m map[string]any) {
			m["aggregateid"], m["subject"] = plotEastID, plotEastID
		}, envelope.ErrInvalidPayload},
		{"merger filed under a source", allocation.TypePlotMerged, func(m map[string]any) {
			m["aggregateid"], m["subject"] = plotEastID, plotEastID
		}, envelope.ErrInvalidPayload},
		{"a version nobody registered", allocation.TypeLeaseSigned, func(m map[string]any) { m["type"] = "zoneops.allocation.lease.signed.v2" }, envelope.ErrUnknownType},
		{"an empty optional reason", allocation.TypeRequestDeclined, func(m map[string]any) { m["data"].(map[string]any)["reason"] = "" }, envelope.ErrInvalidPayload},
	}, func(p any) bool {
		_, ok := p.(allocation.PlotSubdivided)
		return ok
	})
}

// decodeCase is one edit of the v1-full sample of typ, and the sentinel Decode must answer
// (nil: it decodes).
type decodeCase struct {
	name string
	typ  string
	edit func(m map[string]any)
	want error
}

// runDecodeCases decodes each case's edited event and checks the sentinel; the payload of a
// case that decodes must satisfy isPayload.
func runDecodeCases(t *testing.T, cases []decodeCase, isPayload func(p any) bool) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			m := sampleEvent(t, tt.typ, "v1-full")
			tt.edit(m)
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			_, p, err := Decode(b)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Decode = %v, want %v", err, tt.want)
			}
			if tt.want == nil && !isPayload(p) {
				t.Errorf("payload is a %T", p)
			}
		})
	}
}
