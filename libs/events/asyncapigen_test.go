package events

// The AsyncAPI generator: asyncapi.yaml is produced from the registry by the same
// "go test -run TestSchemas -update" that writes the schemas, so that it cannot fall behind
// the Go types. TestAsyncAPIDocument then reads the committed file on its own terms.

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/zoneops/zoneops/libs/events/envelope"
)

const asyncAPIHeader = `# zoneops events: every channel (NATS subject) and message (versioned event type).
# Generated from the Go types by: go test ./... -run TestSchemas -update
# Edit the Go types and the registry in libs/events, not this file.
`

const asyncAPIDescription = `Every zoneops service publishes its events to NATS JetStream and consumes the events of
the others; this document is the contract between them.

Each message is a CloudEvents 1.0 envelope in structured JSON mode (schemas/envelope.json)
whose data is described by schemas/<type>.json. The channel address is the type without
its version suffix, so every version of an event shares one subject and consumers tell
them apart by the type attribute. The Nats-Msg-Id header carries the event id, which
JetStream uses to drop duplicates within its window; the Content-Type header says
application/cloudevents+json, which is how CloudEvents' NATS binding recognises a
structured event. Payload schemas are JSON Schema 2020-12 (schemaFormat on each message).

A payload changes only by adding optional fields; a breaking change is a new .vN type
published side by side with the old one until every consumer has moved.

Streams (file storage, one per producing service): TENANTS (zoneops.tenants.>),
ALLOCATION (zoneops.allocation.>), INCENTIVES (zoneops.incentives.>),
COMPLIANCE (zoneops.compliance.>); poison messages are kept in DEADLETTER (zoneops.dlq.>).`

type apiDoc struct {
	AsyncAPI           string                  `yaml:"asyncapi"`
	Info               apiInfo                 `yaml:"info"`
	DefaultContentType string                  `yaml:"defaultContentType"`
	Servers            map[string]apiServer    `yaml:"servers"`
	Channels           map[string]apiChannel   `yaml:"channels"`
	Operations         map[string]apiOperation `yaml:"operations"`
	Components         apiComponents           `yaml:"components"`
}

type apiInfo struct {
	Title       string `yaml:"title"`
	Version     string `yaml:"version"`
	Description string `yaml:"description"`
}

type apiServer struct {
	Host        string `yaml:"host"`
	Protocol    string `yaml:"protocol"`
	Description string `yaml:"description"`
}

type apiRef struct {
	Ref string `yaml:"$ref"`
}

type apiChannel struct {
	Address     string            `yaml:"address"`
	Description string            `yaml:"description"`
	Messages    map[string]apiRef `yaml:"messages"`
	Stream      string            `yaml:"x-jetstream-stream"`
}

type apiTag struct {
	Name string `yaml:"name"`
}

type apiOperation struct {
	Action   string   `yaml:"action"`
	Channel  apiRef   `yaml:"channel"`
	Summary  string   `yaml:"summary"`
	Tags     []apiTag `yaml:"tags"`
	Messages []apiRef `yaml:"messages"`
}

type apiMessage struct {
	Name        string   `yaml:"name"`
	Title       string   `yaml:"title"`
	Summary     string   `yaml:"summary"`
	ContentType string   `yaml:"contentType"`
	Traits      []apiRef `yaml:"traits"`
	Payload     any      `yaml:"payload"`
}

type apiComponents struct {
	Messages      map[string]apiMessage `yaml:"messages"`
	MessageTraits map[string]any        `yaml:"messageTraits"`
}

// service returns the service segment of a type: zoneops.<service>.<aggregate>.<event>.vN.
func service(typ string) string { return strings.Split(typ, ".")[1] }

// operationID names the send operation of a subject: zoneops.tenants.licence.show_cause_issued
// becomes sendTenantsLicenceShowCauseIssued.
func operationID(subject string) string {
	var b strings.Builder
	b.WriteString("send")
	for _, part := range strings.Split(strings.TrimPrefix(subject, "zoneops."), ".") {
		for w := range strings.SplitSeq(part, "_") {
			if w != "" {
				b.WriteString(strings.ToUpper(w[:1]) + w[1:])
			}
		}
	}
	return b.String()
}

// title turns zoneops.tenants.licence.show_cause_issued.v1 into "Licence show cause issued (v1)".
func title(typ string) string {
	parts := strings.Split(typ, ".")
	words := strings.ReplaceAll(parts[2]+" "+parts[3], "_", " ")
	return strings.ToUpper(words[:1]) + words[1:] + " (" + parts[4] + ")"
}

// generatedAsyncAPI renders asyncapi.yaml from the registry.
func generatedAsyncAPI() []byte {
	doc := apiDoc{
		AsyncAPI: "3.0.0",
		Info: apiInfo{
			Title:       "zoneops events",
			Version:     "1.0.0",
			Description: asyncAPIDescription,
		},
		DefaultContentType: envelope.ContentTypeCloudEvents,
		Servers: map[string]apiServer{
			"nats": {Host: "localhost:4222", Protocol: "nats", Description: "NATS with JetStream; replace the host per deployment."},
		},
		Channels:   map[string]apiChannel{},
		Operations: map[string]apiOperation{},
		Components: apiComponents{
			Messages: map[string]apiMessage{},
			MessageTraits: map[string]any{
				"natsEnvelope": obj{}.with("headers", obj{}.
					with("type", "object").
					with("properties", obj{}.
						with("Nats-Msg-Id", obj{}.
							with("description", "The event id, for JetStream de-duplication.").
							with("type", "string").
							with("format", "uuid")).
						with(envelope.HeaderContentType, obj{}.
							with("description", "Marks the message as a CloudEvent in structured JSON mode (CloudEvents NATS binding).").
							with("const", envelope.ContentTypeCloudEvents))).
					with("required", []string{"Nats-Msg-Id", envelope.HeaderContentType})),
			},
		},
	}
	for _, k := range known.sorted() {
		subject := envelope.Subject(k.typ)
		ch, ok := doc.Channels[subject]
		if !ok {
			ch = apiChannel{
				Address:     subject,
				Description: fmt.Sprintf("Events of %s, every version.", subject),
				Messages:    map[string]apiRef{},
				Stream:      StreamFor(k.typ),
			}
		}
		ch.Messages[k.typ] = apiRef{Ref: "#/components/messages/" + k.typ}
		doc.Channels[subject] = ch

		op := doc.Operations[operationID(subject)]
		op.Action = "send"
		op.Channel = apiRef{Ref: "#/channels/" + subject}
		op.Summary = fmt.Sprintf("The %s service publishes on %s.", service(k.typ), subject)
		op.Tags = []apiTag{{Name: service(k.typ)}}
		op.Messages = append(op.Messages, apiRef{Ref: "#/channels/" + subject + "/messages/" + k.typ})
		doc.Operations[operationID(subject)] = op

		doc.Components.Messages[k.typ] = apiMessage{
			Name:        k.typ,
			Title:       title(k.typ),
			Summary:     k.summary,
			ContentType: envelope.ContentTypeCloudEvents,
			Traits:      []apiRef{{Ref: "#/components/messageTraits/natsEnvelope"}},
			// A Multi Format Schema Object: without schemaFormat, AsyncAPI 3.0 reads a payload
			// as its own schema dialect (a draft-07 superset), not the 2020-12 of the files.
			Payload: obj{}.with("schemaFormat", envelope.SchemaFormat).with("schema", obj{}.with("allOf", []any{
				apiRef{Ref: "./schemas/envelope.json"},
				obj{}.with("type", "object").with("properties", obj{}.
					with("type", obj{}.with("const", k.typ)).
					with("source", obj{}.with("const", k.source)).
					with("data", apiRef{Ref: "./schemas/" + k.typ + ".json"})),
			})),
		}
	}
	var buf bytes.Buffer
	buf.WriteString(asyncAPIHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		panic(err)
	}
	if err := enc.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// MarshalYAML writes an obj as a mapping in insertion order.
func (o obj) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, m := range o {
		var v yaml.Node
		if err := v.Encode(m.value); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: m.key}, &v)
	}
	return n, nil
}
