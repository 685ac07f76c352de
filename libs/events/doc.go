// Package events is the event contract every zoneops service shares: the registry of known
// event types, the payload each decodes into, and the documents that describe them (a JSON
// Schema per type under schemas/, and asyncapi.yaml).
//
// Producers build events with New (or envelope.New) and publish envelope.Encode's bytes on the
// subject envelope.Subject(type), in the stream StreamFor(type). Consumers call Decode, which
// returns the envelope and the typed payload (a value such as tenants.LicenceGranted) or a
// *envelope.DecodeError that matches one of the envelope sentinels; any such error is poison
// and belongs in the dead-letter stream with its text as the reason.
//
// # Compatibility
//
// A published type is a promise. Its payload changes only by adding optional fields (with
// omitempty, so the field is simply absent in old events); a field is never removed, renamed,
// retyped or made required, and an enum or pattern never changes. Anything else is a breaking
// change and becomes a new type with the next version, zoneops.<service>.<aggregate>.<event>.v2,
// published side by side with the old one until every consumer has moved; both versions share
// one subject and consumers tell them apart by the type attribute.
//
// Decoding is strict (an unknown field is an error, so a typo cannot pass unseen), which
// orders a roll-out: a new optional field is first added here and deployed to consumers, and
// only then filled in by the producer. Events dead-lettered during a careless roll-out can be
// replayed once consumers are upgraded.
//
// The fixtures under testdata/fixtures are the proof that old events still decode: each is a
// real event of some version, tests decode every one of them and check it against its schema,
// and they are never edited, only added to. The schemas are generated from the Go types
// (go test ./... -run TestSchemas -update) and tests fail when a committed schema or
// asyncapi.yaml differs from what the Go types give.
package events
