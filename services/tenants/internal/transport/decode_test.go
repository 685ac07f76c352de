package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/httpx/httpxtest"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
)

// clientFault fails t unless err is one a client caused: a 400 or, for bodies, a 413.
var clientFault = httpxtest.ClientFault

// decoder is the decoder that the route table mounts at pattern.
func decoder(t *testing.T, pattern string) func(context.Context, *http.Request) (any, error) {
	t.Helper()
	return httpxtest.Route(t, Routes(nil), pattern).Decode
}

const validApplication = `{"applicant":{"legal_name":"Margalla Robotics","registration_number":"0012345","tax_number":"1234567-8",
"country":"PK","contact":{"name":"Ayesha Khan","email":"ayesha@margalla.example.pk","phone":"+92 51 1234567"}},
"kind":"zone_enterprise","zone":"ISB","sector":"ai","commitments":{"headcount":120,
"investment":{"amount_minor":100,"currency":"PKR"},"exports":{"amount_minor":0,"currency":"PKR"},"rnd_spend":{"amount_minor":5,"currency":"PKR"}}}`

// FuzzDecodeCreate feeds arbitrary bodies to the create decoder: it never panics, and it either
// returns a create request or an error that is the client's (400, or 413 for a body over the
// limit).
func FuzzDecodeCreate(f *testing.F) {
	for _, seed := range []string{
		validApplication,
		``, `{}`, `null`, `[]`, `"x"`, `{"applicant":`, `{} {}`, `{"colour":"red"}`,
		`{"commitments":{"headcount":"ten"}}`, `{"commitments":{"headcount":1e400}}`,
		`{"commitments":{"investment":{"amount_minor":9223372036854775808}}}`,
		`{"applicant":{"contact":{"email":["a"]}}}`, `{"kind":"\u0000"}`, "{\"kind\":\"\xff\"}",
		`{"kind":"` + strings.Repeat("a", MaxBodyBytes) + `"}`,
		strings.Repeat("[", 10000),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/v1/applications", strings.NewReader(string(body)))
		req, err := decoder(t, "POST /v1/applications")(context.Background(), r)
		if err != nil {
			clientFault(t, err, http.StatusBadRequest, http.StatusRequestEntityTooLarge)
			return
		}
		if _, ok := req.(input[licensing.ApplicationInput]); !ok {
			t.Fatalf("decoded %T, want an application input", req)
		}
		if len(body) > MaxBodyBytes {
			t.Fatalf("accepted a body of %d bytes, over the %d limit", len(body), MaxBodyBytes)
		}
	})
}

// FuzzListQuery feeds arbitrary query strings to both list decoders: they never panic, and
// every error is a 400 that names the bad parameter.
func FuzzListQuery(f *testing.F) {
	for _, seed := range []string{
		"", "status=submitted,draft&status=approved", "status=bogus", "status=,,", "zone=ISB&kind=zone_enterprise",
		"zone=isb", "kind=shop", "overdue=true", "overdue=maybe", "limit=1", "limit=500", "limit=0", "limit=501",
		"limit=-1", "limit=99999999999999999999", "limit=ten", "cursor=abc", "%zz", "status=%00", "a=b&&&==",
		"status=x&zone=1&kind=y&limit=-1&overdue=2",
	} {
		f.Add(seed)
	}
	params := map[string]bool{"status": true, "zone": true, "kind": true, "overdue": true, "limit": true, "cursor": true}
	f.Fuzz(func(t *testing.T, query string) {
		for name, decode := range map[string]func(context.Context, *http.Request) (any, error){
			"applications": decoder(t, "GET /v1/applications"), "licences": decoder(t, "GET /v1/licences"),
		} {
			r := httptest.NewRequest(http.MethodGet, "/v1/"+name, nil)
			r.URL.RawQuery = query
			_, err := decode(context.Background(), r)
			if err == nil {
				continue
			}
			clientFault(t, err, http.StatusBadRequest)
			for _, fe := range httpx.ProblemFor(err).Errors {
				if !params[fe.Field] {
					t.Fatalf("%s?%s: error names %q, which is no parameter", name, query, fe.Field)
				}
			}
		}
	})
}

// TestListQueriesParseIntoFilters shows what the list parameters mean.
func TestListQueriesParseIntoFilters(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  service.ApplicationQuery
	}{
		{"no parameters lists everything", "", service.ApplicationQuery{}},
		{"statuses may repeat and be comma-separated", "status=submitted,%20resubmitted&status=deficient",
			service.ApplicationQuery{Statuses: []licensing.ApplicationStatus{"submitted", "resubmitted", "deficient"}}},
		{"every filter at once", "zone=ISB&kind=co_developer&overdue=true&limit=20&cursor=abc",
			service.ApplicationQuery{Zone: "ISB", Kind: "co_developer", Overdue: true, Limit: 20, Cursor: "abc"}},
		{"empty values are no filter", "status=&zone=&kind=&overdue=&limit=", service.ApplicationQuery{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/v1/applications?"+tt.query, nil)
			got, err := decodeListApplications(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("query %+v, want %+v", got, tt.want)
			}
		})
	}
}

// FuzzDecodeActionBodies feeds arbitrary bodies to the decoders of the actions that take a
// reason (and a reply date): never a panic, only client errors.
func FuzzDecodeActionBodies(f *testing.F) {
	for _, seed := range []string{``, `{}`, `{"reason":"late"}`, `{"reason":7}`, `{"reason":"x","reply_due":"2026-03-20"}`,
		`{"reply_due":"2026-02-30"}`, `{"reply_due":null}`, `{"reply_due":20260320}`, `{"why":1}`, `{`,
		`{"reply":"remedied"}`, `{"reply":["x"]}`, "{\"reply\":\"\xff\xfe\"}"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, decode := range []func(context.Context, *http.Request) (any, error){
			decoder(t, "POST /v1/licences/{id}/suspend"), decoder(t, "POST /v1/licences/{id}/show-cause"), decoder(t, "POST /v1/licences/{id}/show-cause/reply"),
		} {
			r := httptest.NewRequest(http.MethodPost, "/v1/licences/x/suspend", strings.NewReader(string(body)))
			if _, err := decode(context.Background(), r); err != nil {
				clientFault(t, err, http.StatusBadRequest, http.StatusRequestEntityTooLarge)
			}
		}
	})
}
