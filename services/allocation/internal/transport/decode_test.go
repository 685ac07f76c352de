package transport

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	kithttp "github.com/go-kit/kit/transport/http"
	"github.com/zoneops/zoneops/libs/platform/httpx/httpxtest"
)

// clientFault fails t unless err is one a client caused: a 400 or, for bodies, a 413.
var clientFault = httpxtest.ClientFault

// bodyDecoders are the decoders of every route that reads a body, by pattern: the decoders
// the route table mounts, so that a new body type is fuzzed as soon as it is routed.
func bodyDecoders() map[string]kithttp.DecodeRequestFunc {
	out := map[string]kithttp.DecodeRequestFunc{}
	for _, rt := range Routes(nil, nil, nil) {
		if !strings.HasPrefix(rt.Pattern, "GET ") {
			out[rt.Pattern] = rt.Decode
		}
	}
	return out
}

// FuzzDecodeBodies feeds arbitrary bodies to the decoders that read them: they never panic,
// and every error is the client's (400, or 413 for a body over the limit).
func FuzzDecodeBodies(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `{"reason":"lease ended"}`, `{"reason":1}`, `{"reason":"x","extra":true}`,
		`{"type":"FeatureCollection","features":[]}`, `{"code":"ISB","name":"Islamabad","province":"islamabad_capital_territory"}`,
		`{"code":"P-1","area_m2":1000.25,"land_use":"it_park"}`, `{"area_m2":"x"}`, `{"area_m2":1e999}`,
		`{"space":{"kind":"unit","id":"u"},"terms":{"term_months":12,"rent_per_m2_month":{"amount_minor":100,"currency":"PKR"}}}`,
		`{"boundary":{"type":"Polygon","coordinates":[[[73,33],[73.001,33],[73.001,33.001],[73,33]]]}}`, "{\"reason\":\"\xff\"}", strings.Repeat("[", 10000),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, decode := range bodyDecoders() {
			r := httptest.NewRequest(http.MethodPost, "/v1/plots/x/withdraw", bytes.NewReader(body))
			r.SetPathValue("id", "x")
			if _, err := decode(context.Background(), r); err != nil {
				t.Logf("%s: %v", name, err)
				clientFault(t, err, http.StatusBadRequest, http.StatusRequestEntityTooLarge)
			}
		}
	})
}

// FuzzListQuery feeds arbitrary query strings to every list decoder: they never panic, and
// every error is a 400.
func FuzzListQuery(f *testing.F) {
	for _, seed := range []string{
		"", "status=live,retired", "status=bogus", "land_use=it_park", "land_use=moon", "province=punjab",
		"province=atlantis", "use=office", "use=x", "idle=true", "idle=maybe", "limit=1", "limit=0", "limit=501",
		"cursor=abc", "%zz", "status=%00", "zone_id=z&tenant_id=t",
	} {
		f.Add(seed)
	}
	decoders := map[string]kithttp.DecodeRequestFunc{}
	for _, rt := range Routes(nil, nil, nil) {
		if strings.HasPrefix(rt.Pattern, "GET ") {
			decoders[rt.Pattern] = rt.Decode
		}
	}
	f.Fuzz(func(t *testing.T, query string) {
		for name, decode := range decoders {
			r := httptest.NewRequest(http.MethodGet, "/v1/x", nil)
			r.URL.RawQuery = query
			if _, err := decode(context.Background(), r); err != nil {
				t.Logf("%s: %v", name, err)
				clientFault(t, err, http.StatusBadRequest)
			}
		}
	})
}

func TestPlanUploadOverTheLimitIsTooLarge(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/v1/zones/z/plots/import", bytes.NewReader(make([]byte, MaxPlanBytes+1)))
	_, err := decodePlan(context.Background(), r)
	clientFault(t, err, http.StatusRequestEntityTooLarge)
}

func TestEmptyPlanIsABadRequest(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/v1/zones/z/plots/import", nil)
	_, err := decodePlan(context.Background(), r)
	clientFault(t, err, http.StatusBadRequest)
}
