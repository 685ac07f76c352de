package events

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/incentives"
	"github.com/zoneops/zoneops/libs/events/internal/strictjson"
	"github.com/zoneops/zoneops/libs/events/tenants"
)

// Payload is what every event payload type implements: it names its type and its aggregate and
// validates itself.
type Payload interface {
	// EventType returns the versioned type, e.g. "zoneops.tenants.licence.granted.v1".
	EventType() string
	// AggregateID returns the id of the aggregate that changed; it becomes the envelope's
	// aggregateid and subject.
	AggregateID() string
	// Validate reports missing or malformed fields.
	Validate() error
}

// entry describes one registered event type.
type entry struct {
	typ     string       // versioned type name
	source  string       // the only source allowed to publish it
	payload reflect.Type // the Go payload type (a struct implementing Payload)
	summary string       // one line for the schema and the AsyncAPI document
}

// known is the table of every event type, built once at start-up and never modified: it is
// unexported and only read through lookup and sorted.
var known = buildTable([]entry{
	{tenants.TypeApplicationSubmitted, tenants.Source, reflect.TypeFor[tenants.ApplicationSubmitted](),
		"An applicant submitted an application for a licence; the authority must decide by decision_due."},
	{tenants.TypeApplicationDeficiencyNoted, tenants.Source, reflect.TypeFor[tenants.ApplicationDeficiencyNoted](),
		"The authority found the application incomplete and asked the applicant to remedy it."},
	{tenants.TypeApplicationResubmitted, tenants.Source, reflect.TypeFor[tenants.ApplicationResubmitted](),
		"The applicant remedied a deficiency; the decision is now due by decision_due."},
	{tenants.TypeApplicationRejected, tenants.Source, reflect.TypeFor[tenants.ApplicationRejected](),
		"The authority rejected the application."},
	{tenants.TypeApplicationWithdrawn, tenants.Source, reflect.TypeFor[tenants.ApplicationWithdrawn](),
		"The applicant withdrew the application."},
	{tenants.TypeApplicationApproved, tenants.Source, reflect.TypeFor[tenants.ApplicationApproved](),
		"The authority approved the application; licence.granted announces the licence."},
	{tenants.TypeLicenceGranted, tenants.Source, reflect.TypeFor[tenants.LicenceGranted](),
		"A licence was granted and is valid from valid_from to valid_until inclusive."},
	{tenants.TypeLicenceSuspended, tenants.Source, reflect.TypeFor[tenants.LicenceSuspended](),
		"The licence, and the benefits that depend on it, are suspended."},
	{tenants.TypeLicenceReinstated, tenants.Source, reflect.TypeFor[tenants.LicenceReinstated](),
		"A suspended licence is active again."},
	{tenants.TypeLicenceShowCauseIssued, tenants.Source, reflect.TypeFor[tenants.LicenceShowCauseIssued](),
		"The licensee must show cause by reply_due why the licence should not be revoked."},
	{tenants.TypeLicenceShowCauseReplied, tenants.Source, reflect.TypeFor[tenants.LicenceShowCauseReplied](),
		"The licensee answered the show-cause notice due by reply_due; the licence may now be revoked or let stand."},
	{tenants.TypeLicenceRevoked, tenants.Source, reflect.TypeFor[tenants.LicenceRevoked](),
		"The licence was revoked."},
	{tenants.TypeLicenceSurrendered, tenants.Source, reflect.TypeFor[tenants.LicenceSurrendered](),
		"The licensee surrendered the licence."},
	{tenants.TypeLicenceExpired, tenants.Source, reflect.TypeFor[tenants.LicenceExpired](),
		"The licence reached the end of its validity."},

	{allocation.TypeZoneRegistered, allocation.Source, reflect.TypeFor[allocation.ZoneRegistered](),
		"A zone was registered, with its code, province, time zone, status and optionally its developer and boundary."},
	{allocation.TypeZoneStatusChanged, allocation.Source, reflect.TypeFor[allocation.ZoneStatusChanged](),
		"The zone moved from one status (planned, notified, denotified) to another."},
	{allocation.TypePlotCreated, allocation.Source, reflect.TypeFor[allocation.PlotCreated](),
		"A plot was laid out in a zone."},
	{allocation.TypePlotSubdivided, allocation.Source, reflect.TypeFor[allocation.PlotSubdivided](),
		"The parent plot was divided into the listed new plots and can no longer be allocated."},
	{allocation.TypePlotMerged, allocation.Source, reflect.TypeFor[allocation.PlotMerged](),
		"The source plots were merged into one new plot (the aggregate) and can no longer be allocated."},
	{allocation.TypePlotWithdrawn, allocation.Source, reflect.TypeFor[allocation.PlotWithdrawn](),
		"The plot was withdrawn from the register and can no longer be allocated."},
	{allocation.TypeBuildingRegistered, allocation.Source, reflect.TypeFor[allocation.BuildingRegistered](),
		"A building on a plot was registered."},
	{allocation.TypeUnitRegistered, allocation.Source, reflect.TypeFor[allocation.UnitRegistered](),
		"A leasable unit of a building was registered."},
	{allocation.TypeRequestSubmitted, allocation.Source, reflect.TypeFor[allocation.RequestSubmitted](),
		"A licensed tenant asked for space in a zone: a named space or any space meeting its requirements."},
	{allocation.TypeRequestOffered, allocation.Source, reflect.TypeFor[allocation.RequestOffered](),
		"The authority offered the tenant a space on terms valid until offer_valid_until."},
	{allocation.TypeRequestAccepted, allocation.Source, reflect.TypeFor[allocation.RequestAccepted](),
		"The tenant accepted the offer; lease.signed announces the lease."},
	{allocation.TypeRequestDeclined, allocation.Source, reflect.TypeFor[allocation.RequestDeclined](),
		"The tenant declined the offer."},
	{allocation.TypeRequestExpired, allocation.Source, reflect.TypeFor[allocation.RequestExpired](),
		"The offer lapsed unanswered."},
	{allocation.TypeRequestWithdrawn, allocation.Source, reflect.TypeFor[allocation.RequestWithdrawn](),
		"The request was withdrawn."},
	{allocation.TypeLeaseSigned, allocation.Source, reflect.TypeFor[allocation.LeaseSigned](),
		"A lease of a space to a licensed tenant runs from start_date to end_date inclusive."},
	{allocation.TypeLeaseTerminating, allocation.Source, reflect.TypeFor[allocation.LeaseTerminating](),
		"The lease will end early on ends_on, after notice or because the licence was revoked or surrendered."},
	{allocation.TypeLeaseEnded, allocation.Source, reflect.TypeFor[allocation.LeaseEnded](),
		"The lease is over; its space is free after ended_on."},
	{allocation.TypeLeaseMilestoneRecorded, allocation.Source, reflect.TypeFor[allocation.LeaseMilestoneRecorded](),
		"Construction on a land lease started or was completed."},
	{allocation.TypeLeaseSpaceIdle, allocation.Source, reflect.TypeFor[allocation.LeaseSpaceIdle](),
		"A construction milestone of a land lease is overdue, so the space lies idle."},

	{incentives.TypeEntitlementOpened, incentives.Source, reflect.TypeFor[incentives.EntitlementOpened](),
		"A licence is entitled to a scheme's exemption over window, up to cap (absent: tracked without cap) and tax_year_cap per tax year."},
	{incentives.TypeEntitlementSuspended, incentives.Source, reflect.TypeFor[incentives.EntitlementSuspended](),
		"A source (licence, operator or compliance) holds the entitlement suspended; no claim is accepted."},
	{incentives.TypeEntitlementReinstated, incentives.Source, reflect.TypeFor[incentives.EntitlementReinstated](),
		"The last source holding the entitlement suspended let go; claims are accepted again."},
	{incentives.TypeEntitlementClosed, incentives.Source, reflect.TypeFor[incentives.EntitlementClosed](),
		"The entitlement is over for good: the licence ended, the window ended or the scheme's sunset passed."},
	{incentives.TypeEntitlementExhausted, incentives.Source, reflect.TypeFor[incentives.EntitlementExhausted](),
		"A claim used the last of a cap: the whole term's, or that of one tax year."},
	{incentives.TypeClaimAccepted, incentives.Source, reflect.TypeFor[incentives.ClaimAccepted](),
		"A claim was posted: exempted_amount of tax foregone on a transaction, within what remained of the caps."},
	{incentives.TypeClaimRejected, incentives.Source, reflect.TypeFor[incentives.ClaimRejected](),
		"A claim failed the named rule against the entitlement; nothing was posted."},
	{incentives.TypeClaimReversed, incentives.Source, reflect.TypeFor[incentives.ClaimReversed](),
		"An operator reversed an accepted claim; its amount is back in the caps."},
	{incentives.TypeClawbackAssessed, incentives.Source, reflect.TypeFor[incentives.ClawbackAssessed](),
		"The licence ended before the window did; amount is receivable, computed by rule from basis."},
	{incentives.TypeClawbackSettled, incentives.Source, reflect.TypeFor[incentives.ClawbackSettled](),
		"The recoveries recorded add up to the amount assessed; the receivable is closed."},
})

// table is the read-only view of the registered entries.
type table struct {
	byType map[string]entry
}

func buildTable(entries []entry) table {
	payloadType := reflect.TypeFor[Payload]()
	t := table{byType: make(map[string]entry, len(entries))}
	for _, k := range entries {
		// These are programming errors in the literal above, caught by any test run.
		if _, dup := t.byType[k.typ]; dup {
			panic("events: type registered twice: " + k.typ)
		}
		if !k.payload.Implements(payloadType) || reflect.New(k.payload).Elem().Interface().(Payload).EventType() != k.typ {
			panic("events: payload of " + k.typ + " does not implement Payload for that type")
		}
		t.byType[k.typ] = k
	}
	return t
}

func (t table) lookup(typ string) (entry, bool) {
	k, ok := t.byType[typ]
	return k, ok
}

// sorted returns the entries ordered by type name.
func (t table) sorted() []entry {
	out := make([]entry, 0, len(t.byType))
	for _, k := range t.byType {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.typ, b.typ) })
	return out
}

// Types returns every registered event type, sorted.
func Types() []string {
	entries := known.sorted()
	out := make([]string, len(entries))
	for i, k := range entries {
		out[i] = k.typ
	}
	return out
}

// StreamFor returns the JetStream stream that holds events of type typ, chosen by the service
// segment of the type ("zoneops.tenants..." is in TENANTS). It answers for well-formed types
// that are not registered yet, so that tools such as a dead-letter replay work across versions;
// it returns "" when typ is not a well-formed event type.
func StreamFor(typ string) string {
	if !envelope.ValidType(typ) {
		return ""
	}
	s := envelope.StreamForSubject(envelope.Subject(typ))
	if s == envelope.StreamDeadLetter {
		return "" // no event type lives in the dead-letter stream by its own subject
	}
	return s
}

// New builds the envelope for p: source and type from the registry, aggregate id from the
// payload, a fresh UUIDv7 id. It refuses unregistered types (ErrUnknownType) and invalid
// payloads (ErrInvalidPayload), so that a producer cannot publish what consumers would
// dead-letter.
func New(p Payload, version int64, at time.Time) (envelope.Envelope, error) {
	if p == nil {
		return envelope.Envelope{}, &envelope.DecodeError{Attribute: "data", Reason: "no payload", Err: envelope.ErrInvalidPayload}
	}
	typ := p.EventType()
	k, ok := known.lookup(typ)
	if !ok {
		return envelope.Envelope{}, &envelope.DecodeError{Attribute: "type", Reason: fmt.Sprintf("%q is not registered", typ), Err: envelope.ErrUnknownType}
	}
	if got := reflect.Indirect(reflect.ValueOf(p)).Type(); got != k.payload {
		return envelope.Envelope{}, &envelope.DecodeError{Attribute: "data", Reason: fmt.Sprintf("%s is not the payload of %s (%s)", got, typ, k.payload), Err: envelope.ErrInvalidPayload}
	}
	if err := p.Validate(); err != nil {
		return envelope.Envelope{}, &envelope.DecodeError{Attribute: "data", Reason: err.Error(), Err: envelope.ErrInvalidPayload}
	}
	return envelope.New(k.source, typ, p.AggregateID(), version, at, p)
}

// Decode parses one event strictly and decodes its data into the registered payload type,
// returned as a value (for example tenants.LicenceGranted, not a pointer) ready for a type
// switch. Unknown fields anywhere, missing required fields, a type nobody registered, a source
// that does not publish that type and a payload whose id differs from the envelope's
// aggregateid are all errors. Every error is a *envelope.DecodeError.
func Decode(data []byte) (envelope.Envelope, any, error) {
	e, err := envelope.Parse(data)
	if err != nil {
		return envelope.Envelope{}, nil, err
	}
	k, ok := known.lookup(e.Type)
	if !ok {
		return envelope.Envelope{}, nil, &envelope.DecodeError{Attribute: "type", Reason: fmt.Sprintf("%q is not registered", e.Type), Err: envelope.ErrUnknownType}
	}
	if e.Source != k.source {
		return envelope.Envelope{}, nil, &envelope.DecodeError{Attribute: "source", Reason: fmt.Sprintf("%q does not publish %s (its source is %q)", e.Source, e.Type, k.source), Err: envelope.ErrBadAttribute}
	}
	p, err := decodePayload(e.Data, k.payload)
	if err != nil {
		return envelope.Envelope{}, nil, &envelope.DecodeError{Attribute: "data", Reason: err.Error(), Err: envelope.ErrInvalidPayload}
	}
	if id := p.AggregateID(); id != e.AggregateID {
		return envelope.Envelope{}, nil, &envelope.DecodeError{Attribute: "data", Reason: fmt.Sprintf("payload aggregate id %q differs from aggregateid %q", id, e.AggregateID), Err: envelope.ErrInvalidPayload}
	}
	return e, p, nil
}

// decodePayload decodes data into a new value of type t, strictly, and validates it.
func decodePayload(data []byte, t reflect.Type) (Payload, error) {
	if err := strictjson.Check(data, t); err != nil {
		return nil, err
	}
	ptr := reflect.New(t)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(ptr.Interface()); err != nil {
		return nil, err
	}
	p := ptr.Elem().Interface().(Payload)
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

//go:embed schemas/*.json
var schemaFiles embed.FS

// asyncAPI is a string, not a []byte, so that the embedded document cannot be modified.
//
//go:embed asyncapi.yaml
var asyncAPI string

// Schema returns the JSON Schema (draft 2020-12) of the data of event type typ, and false when
// typ is not registered. The bytes are a copy.
func Schema(typ string) ([]byte, bool) {
	if _, ok := known.lookup(typ); !ok {
		return nil, false
	}
	b, err := schemaFiles.ReadFile("schemas/" + typ + ".json")
	if err != nil {
		return nil, false // a test guarantees every registered type has its file
	}
	return b, true
}

// EnvelopeSchema returns the JSON Schema of the envelope. The bytes are a copy.
func EnvelopeSchema() []byte {
	b, _ := schemaFiles.ReadFile("schemas/envelope.json") // a test guarantees the file exists
	return b
}

// AsyncAPI returns the AsyncAPI 3.0 document describing every channel and message, for
// serving as documentation. The bytes are a copy.
func AsyncAPI() []byte { return []byte(asyncAPI) }
