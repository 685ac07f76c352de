package httpx_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

type commitments struct {
	Headcount int     `json:"headcount"`
	Capex     float64 `json:"capex"`
}

// code is a value type that parses itself and reports its own field errors.
type code string

func (c *code) UnmarshalJSON(b []byte) error {
	if string(b) != `"ok"` {
		return fault.Invalid("code", "must be ok")
	}
	*c = "ok"
	return nil
}

type contact struct {
	Name string `json:"name"`
}

type applicationRequest struct {
	Name        string      `json:"name"`
	Contact     contact     `json:"contact"`
	Active      bool        `json:"active"`
	Commitments commitments `json:"commitments"`
	Zones       []string    `json:"zones"`
	Code        code        `json:"code"`
	Since       time.Time   `json:"since"`
}

func TestDecodeJSONTurnsEveryBadBodyIntoAFieldError(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantField string // "" means success
		wantIn    string // substring of the reason
	}{
		{"valid body decodes", `{"name":"a","commitments":{"headcount":3}}`, "", ""},
		{"type mismatch names the nested field", `{"commitments":{"headcount":"many"}}`, "commitments.headcount", "must be a number"},
		{"fraction into integer asks for a whole number", `{"commitments":{"headcount":1.5}}`, "commitments.headcount", "whole number"},
		{"string field given a number", `{"name":5}`, "name", "must be a string"},
		{"bool field given a string", `{"active":"yes"}`, "active", "must be a boolean"},
		{"array field given an object", `{"zones":{}}`, "zones", "must be an array"},
		{"top-level array instead of object", `[1,2]`, "body", "must be an object"},
		{"unknown field is named", `{"name":"a","foo":1}`, "foo", "is not a known field"},
		{"syntax error gives position", `{"name":"a",}`, "body", "at byte"},
		{"truncated body", `{"name":`, "body", "ends unexpectedly"},
		{"empty body is required", ``, "body", "is required"},
		{"two values are refused", `{"name":"a"}{"name":"b"}`, "body", "single JSON value"},
		{"trailing garbage is refused", `{"name":"a"} x`, "body", "single JSON value"},
		{"value type's own validation error passes through", `{"code":"bad"}`, "code", "must be ok"},
		{"unmarshaler error without field names the body", `{"since":"yesterday"}`, "body", "invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			var dst applicationRequest
			err := httpx.DecodeJSON(r, &dst, 1<<10)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("DecodeJSON() = %v, want nil", err)
				}
				return
			}
			var verr *fault.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("DecodeJSON() = %v (%T), want *fault.ValidationError", err, err)
			}
			if !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("error does not match fault.ErrInvalid")
			}
			if len(verr.Fields) != 1 {
				t.Fatalf("fields = %v, want one", verr.Fields)
			}
			if f := verr.Fields[0]; f.Field != tt.wantField || !strings.Contains(f.Reason, tt.wantIn) {
				t.Errorf("field error = %+v, want field %q with reason containing %q", f, tt.wantField, tt.wantIn)
			}
		})
	}
}

// TestDecodeJSONRefusesTextThatIsNotUTF8 checks the rule that text is stored as sent or not at
// all: encoding/json would turn each bad byte (or unpaired surrogate escape) into U+FFFD.
func TestDecodeJSONRefusesTextThatIsNotUTF8(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantField string // "" means accepted
		wantName  string // Name after an accepted decode
	}{
		{"bytes that are not UTF-8", "{\"name\":\"\xff\xfe\"}", "name", ""},
		{"one bad byte among good text", "{\"name\":\"Margalla \xe9 Robotics\"}", "name", ""},
		{"a truncated sequence", "{\"name\":\"caf\xc3\"}", "name", ""},
		{"an overlong encoding of /", "{\"name\":\"\xc0\xaf\"}", "name", ""},
		{"an encoded surrogate", "{\"name\":\"\xed\xa0\x80\"}", "name", ""},
		{"an unpaired high surrogate escape", `{"name":"\ud800"}`, "name", ""},
		{"an unpaired low surrogate escape", `{"name":"x\uDC00y"}`, "name", ""},
		{"a high surrogate followed by another high", `{"name":"\ud800\ud800"}`, "name", ""},
		{"in a nested object", "{\"name\":\"a\",\"contact\":{\"name\":\"\xff\"}}", "contact.name", ""},
		{"after a nested object closed", "{\"contact\":{\"name\":\"a\"},\"zones\":[\"ISB\",\"\xff\"]}", "zones[1]", ""},
		{"in an object in an array", "[{\"name\":\"a\"},[1,{\"x\":{}}],{\"name\":\"\xff\"}]", "body[2].name", ""},
		{"in a key", "{\"na\xffme\":\"a\"}", "body", ""},
		{"in a key of a nested object", "{\"contact\":{\"\xff\":1}}", "contact", ""},
		{"in a top-level string", "\"\xff\"", "body", ""},
		{"bad bytes outside a string are a syntax error", "{\"name\":\"a\"\xff}", "body", ""},
		{"a valid multi-byte name", `{"name":"مارگلہ 机器人"}`, "", "مارگلہ 机器人"},
		{"a real U+FFFD sent on purpose", `{"name":"\ufffd �"}`, "", "\ufffd \ufffd"},
		{"a paired surrogate escape", `{"name":"\ud83d\ude00"}`, "", "\U0001F600"},
		{"an escaped backslash before u is no escape", `{"name":"\\ud800"}`, "", `\ud800`},
		{"other escapes", `{"name":"a\"\\\/\b\f\n\r\t\u00e9"}`, "", "a\"\\/\b\f\n\r\té"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			var dst applicationRequest
			err := httpx.DecodeJSON(r, &dst, 1<<10)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("DecodeJSON() = %v, want nil", err)
				}
				if dst.Name != tt.wantName {
					t.Fatalf("name %q, want %q", dst.Name, tt.wantName)
				}
				return
			}
			p := httpx.ProblemFor(err)
			if p.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != tt.wantField {
				t.Fatalf("DecodeJSON() = %v (problem %+v), want a 400 naming %q", err, p, tt.wantField)
			}
			if tt.name != "bad bytes outside a string are a syntax error" && p.Errors[0].Reason != "must be valid UTF-8 text" {
				t.Errorf("reason %q", p.Errors[0].Reason)
			}
		})
	}
}

func TestDecodeJSONRefusesBodiesOverTheLimitAsTooLarge(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"one long value", `{"name":"` + strings.Repeat("x", 100) + `"}`},
		{"small value followed by padding", `{"name":"a"}` + strings.Repeat(" ", 100) + `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			var dst applicationRequest
			err := httpx.DecodeJSON(r, &dst, 50)
			if !errors.Is(err, fault.ErrTooLarge) {
				t.Fatalf("DecodeJSON() = %v, want fault.ErrTooLarge", err)
			}
			if got := httpx.ProblemFor(err).Status; got != http.StatusRequestEntityTooLarge {
				t.Errorf("status = %d, want 413", got)
			}
		})
	}
}

func TestDecodeJSONWithoutBodyIsRequired(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	var dst applicationRequest
	err := httpx.DecodeJSON(r, &dst, 1<<10)
	want := &fault.ValidationError{Fields: []fault.FieldError{{Field: "body", Reason: "is required"}}}
	var verr *fault.ValidationError
	if !errors.As(err, &verr) || !reflect.DeepEqual(verr, want) {
		t.Fatalf("DecodeJSON(no body) = %v, want %v", err, want)
	}
}

func FuzzDecodeJSONNeverPanicsAndOnlyReturnsClientErrors(f *testing.F) {
	for _, seed := range []string{``, `{}`, `{"name":"a"}`, `{"commitments":{"headcount":"x"}}`, `[`, `{"foo":1}`, `null`, `{"zones":[1]}`,
		"{\"name\":\"\xff\"}", `{"name":"\ud800"}`, `{"contact":{"name":"\udc00\ud800"}}`, "[\"\xff\"", `"\`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		var dst applicationRequest
		err := httpx.DecodeJSON(r, &dst, 256)
		if err == nil {
			// Whatever was accepted was stored as sent: no text was replaced on the way.
			for _, s := range append([]string{dst.Name, dst.Contact.Name}, dst.Zones...) {
				if strings.ContainsRune(s, utf8.RuneError) && !strings.Contains(body, "\ufffd") && !strings.Contains(body, `\ufffd`) && !strings.Contains(body, `\uFFFD`) {
					t.Fatalf("DecodeJSON(%q) accepted text altered to %q", body, s)
				}
			}
			return
		}
		if status := httpx.ProblemFor(err).Status; status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
			t.Fatalf("DecodeJSON(%q) = %v, maps to %d; bad input must be 400 or 413", body, err, status)
		}
	})
}

func TestCheckTextNamesTheBadStringOfARawDocument(t *testing.T) {
	tests := []struct {
		name, doc, field string // field "" means no error
	}{
		{"a plan with a bad code", "{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"code\":\"A-1\"}},{\"properties\":{\"code\":\"B\xff\"}}]}", "features[1].properties.code"},
		{"good text", `{"features":[{"properties":{"code":"مارگلہ"}}]}`, ""},
		{"not JSON is left to the parser", "{\"a\" \xff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := httpx.CheckText([]byte(tt.doc))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("CheckText = %v, want nil", err)
				}
				return
			}
			if p := httpx.ProblemFor(err); p.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
				t.Fatalf("CheckText = %v, want a 400 naming %s", err, tt.field)
			}
		})
	}
}
