package events

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/zoneops/zoneops/libs/events/envelope"
)

// TestAsyncAPIDocument reads the committed asyncapi.yaml as any AsyncAPI tool would and checks
// it against the registry: every type has a message, no message names an unknown type, each
// message sits on the channel whose address is Subject(type), references its schema file, and
// is sent by an operation; and every message declares the CloudEvents content type, its
// headers, and the schema format the schema files are really written in.
func TestAsyncAPIDocument(t *testing.T) {
	b, err := os.ReadFile("asyncapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		AsyncAPI           string `yaml:"asyncapi"`
		DefaultContentType string `yaml:"defaultContentType"`
		Channels           map[string]struct {
			Address  string                       `yaml:"address"`
			Messages map[string]map[string]string `yaml:"messages"`
		} `yaml:"channels"`
		Operations map[string]struct {
			Action   string              `yaml:"action"`
			Channel  map[string]string   `yaml:"channel"`
			Messages []map[string]string `yaml:"messages"`
		} `yaml:"operations"`
		Components struct {
			Messages map[string]struct {
				Name        string              `yaml:"name"`
				ContentType string              `yaml:"contentType"`
				Traits      []map[string]string `yaml:"traits"`
				Payload     struct {
					SchemaFormat string `yaml:"schemaFormat"`
					Schema       any    `yaml:"schema"`
				} `yaml:"payload"`
			} `yaml:"messages"`
			MessageTraits map[string]struct {
				Headers struct {
					Properties map[string]map[string]any `yaml:"properties"`
					Required   []string                  `yaml:"required"`
				} `yaml:"headers"`
			} `yaml:"messageTraits"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsyncAPI != "3.0.0" {
		t.Errorf("asyncapi = %q, want 3.0.0", doc.AsyncAPI)
	}
	if doc.DefaultContentType != envelope.ContentTypeCloudEvents {
		t.Errorf("defaultContentType = %q, want %q", doc.DefaultContentType, envelope.ContentTypeCloudEvents)
	}

	var documented []string
	for id, m := range doc.Components.Messages {
		documented = append(documented, id)
		if _, ok := known.lookup(id); !ok {
			t.Errorf("message %s names a type that does not exist", id)
			continue
		}
		if m.Name != id {
			t.Errorf("message %s has name %q", id, m.Name)
		}
		if m.ContentType != envelope.ContentTypeCloudEvents {
			t.Errorf("message %s: contentType %q, want %q", id, m.ContentType, envelope.ContentTypeCloudEvents)
		}
		if m.Payload.SchemaFormat != envelope.SchemaFormat {
			t.Errorf("message %s: payload schemaFormat %q, want %q", id, m.Payload.SchemaFormat, envelope.SchemaFormat)
		}
		for _, tr := range m.Traits {
			name := strings.TrimPrefix(tr["$ref"], "#/components/messageTraits/")
			h := doc.Components.MessageTraits[name].Headers
			if h.Properties[envelope.HeaderContentType]["const"] != envelope.ContentTypeCloudEvents ||
				!slices.Contains(h.Required, envelope.HeaderContentType) {
				t.Errorf("message %s: trait %s does not require header %s: %s", id, name, envelope.HeaderContentType, envelope.ContentTypeCloudEvents)
			}
		}
		if len(m.Traits) == 0 {
			t.Errorf("message %s declares no headers", id)
		}
		want := "./schemas/" + id + ".json"
		refs := refsIn(m.Payload.Schema)
		if !slices.Contains(refs, want) {
			t.Errorf("message %s does not reference %s (refs: %v)", id, want, refs)
		}
		for _, ref := range refs {
			b, err := os.ReadFile(filepath.FromSlash(ref))
			if err != nil {
				t.Errorf("message %s references a missing file: %v", id, err)
				continue
			}
			// schemaFormat must name the dialect the file is written in.
			var schema struct {
				Schema string `yaml:"$schema"`
			}
			if err := yaml.Unmarshal(b, &schema); err != nil || schema.Schema != draft2020 {
				t.Errorf("message %s: %s declares $schema %q, want %q (err %v)", id, ref, schema.Schema, draft2020, err)
			}
		}
	}
	slices.Sort(documented)
	for _, typ := range Types() {
		if !slices.Contains(documented, typ) {
			t.Errorf("type %s has no message in asyncapi.yaml", typ)
		}
	}

	// Each message must be on exactly one channel, and that channel's address is its subject.
	onChannel := map[string]string{}
	for id, ch := range doc.Channels {
		for key, ref := range ch.Messages {
			msg := strings.TrimPrefix(ref["$ref"], "#/components/messages/")
			if msg != key {
				t.Errorf("channel %s: message %s refers to %q", id, key, ref["$ref"])
			}
			if prev, dup := onChannel[msg]; dup {
				t.Errorf("message %s is on channels %s and %s", msg, prev, id)
			}
			onChannel[msg] = id
			if want := envelope.Subject(msg); ch.Address != want {
				t.Errorf("channel %s carries %s at address %q, want %q", id, msg, ch.Address, want)
			}
		}
	}
	for _, typ := range Types() {
		if _, ok := onChannel[typ]; !ok {
			t.Errorf("type %s is on no channel", typ)
		}
	}

	// Each message is sent by an operation on its channel.
	sent := map[string]bool{}
	for id, op := range doc.Operations {
		if op.Action != "send" {
			t.Errorf("operation %s: action %q, want send", id, op.Action)
		}
		channel := strings.TrimPrefix(op.Channel["$ref"], "#/channels/")
		if _, ok := doc.Channels[channel]; !ok {
			t.Errorf("operation %s: unknown channel %q", id, op.Channel["$ref"])
		}
		for _, m := range op.Messages {
			ch, msg, _ := strings.Cut(strings.TrimPrefix(m["$ref"], "#/channels/"), "/messages/")
			if ch != channel || onChannel[msg] != channel {
				t.Errorf("operation %s sends %q, which is not a message of its channel", id, m["$ref"])
			}
			sent[msg] = true
		}
	}
	for _, typ := range Types() {
		if !sent[typ] {
			t.Errorf("no operation sends %s", typ)
		}
	}
}

// refsIn collects every file $ref (not a local #/ pointer) in a decoded YAML value.
func refsIn(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["$ref"].(string); ok && !strings.HasPrefix(r, "#") {
			out = append(out, r)
		}
		for _, x := range v {
			out = append(out, refsIn(x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, refsIn(x)...)
		}
	}
	return out
}
