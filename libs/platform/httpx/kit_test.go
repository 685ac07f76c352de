package httpx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-kit/kit/endpoint"
	kithttp "github.com/go-kit/kit/transport/http"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

type createResponse struct {
	ID  string `json:"id,omitempty"`
	Err error  `json:"-"`
}

func (r createResponse) Failed() error { return r.Err }

func (r createResponse) Headers() http.Header {
	if r.ID == "" {
		return nil
	}
	return http.Header{"Location": {"/v1/things/" + r.ID}}
}

var _ endpoint.Failer = createResponse{}

func newServer(logger *slog.Logger, ep endpoint.Endpoint, status int) http.Handler {
	return kithttp.NewServer(ep,
		func(_ context.Context, r *http.Request) (any, error) {
			var req struct {
				Name string `json:"name"`
			}
			return req, httpx.DecodeJSON(r, &req, 1<<10)
		},
		httpx.EncodeJSON(status),
		httpx.ServerOptions(logger)...,
	)
}

func TestServerWritesProblemsAndLogsOnly5xx(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		ep          endpoint.Endpoint
		status      int
		wantStatus  int
		wantType    string
		wantLogged  bool
		wantHeaders map[string]string
	}{
		{"success encodes JSON with status and headers", `{"name":"a"}`,
			func(context.Context, any) (any, error) { return createResponse{ID: "1"}, nil }, 201, 201, "", false,
			map[string]string{"Location": "/v1/things/1", "Content-Type": "application/json"}},
		{"no content writes no body", `{"name":"a"}`,
			func(context.Context, any) (any, error) { return nil, nil }, 204, 204, "", false, nil},
		{"decode failure is a 400 problem", `{"nom":"a"}`,
			func(context.Context, any) (any, error) { return createResponse{}, nil }, 201, 400, httpx.TypeValidation, false, nil},
		{"business error in response is a problem", `{"name":"a"}`,
			func(context.Context, any) (any, error) {
				return createResponse{Err: &fault.StateError{Entity: "thing", Action: "create", Current: "closed"}}, nil
			}, 201, 409, httpx.TypeInvalidTransition, false, nil},
		{"internal error in response is logged", `{"name":"a"}`,
			func(context.Context, any) (any, error) { return createResponse{Err: errors.New("disk on fire")}, nil }, 201, 500, httpx.TypeInternal, true, nil},
		{"endpoint error is logged when 5xx", `{"name":"a"}`,
			func(context.Context, any) (any, error) { return nil, fmt.Errorf("db: %w", fault.ErrUnavailable) }, 201, 503, httpx.TypeUnavailable, true, nil},
		{"endpoint 4xx error is not logged as error", `{"name":"a"}`,
			func(context.Context, any) (any, error) { return nil, fault.ErrForbidden }, 201, 403, httpx.TypeForbidden, false, nil},
		{"unencodable response is a 500 without a half-written body", `{"name":"a"}`,
			func(context.Context, any) (any, error) { return map[string]any{"f": func() {}}, nil }, 200, 500, httpx.TypeInternal, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := jsonLogger(t, &logs)
			h := httpx.RequestID(newServer(logger, tt.ep, tt.status))
			r := httptest.NewRequest(http.MethodPost, "/v1/things", strings.NewReader(tt.body))
			r.Header.Set(httpx.RequestIDHeader, "req-7")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			for k, v := range tt.wantHeaders {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if tt.wantStatus == 204 && w.Body.Len() != 0 {
				t.Errorf("204 has body %q", w.Body)
			}
			if tt.wantType != "" {
				var p httpx.Problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
					t.Fatalf("body %q is not a problem: %v", w.Body, err)
				}
				if p.Type != tt.wantType {
					t.Errorf("type = %q, want %q", p.Type, tt.wantType)
				}
				if ct := w.Header().Get("Content-Type"); ct != httpx.ProblemContentType {
					t.Errorf("content type = %q", ct)
				}
			}
			logged := strings.Contains(logs.String(), `"level":"ERROR"`)
			if logged != tt.wantLogged {
				t.Errorf("logged at error = %v, want %v; logs: %s", logged, tt.wantLogged, logs.String())
			}
			if tt.wantLogged && !strings.Contains(logs.String(), `"request_id":"req-7"`) {
				t.Errorf("error log lacks the request id: %s", logs.String())
			}
		})
	}
}

func TestRequestIDToContextCopiesSaneHeaderOnly(t *testing.T) {
	tests := []struct {
		name   string
		ctx    context.Context
		header string
		want   string
	}{
		{"context id wins", reqctx.WithRequestID(context.Background(), "from-mw"), "from-header", "from-mw"},
		{"sane header is copied", context.Background(), "abc-123", "abc-123"},
		{"insane header is ignored", context.Background(), "a b\nc", ""},
		{"no id at all", context.Background(), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.header != "" {
				r.Header.Set(httpx.RequestIDHeader, tt.header)
			}
			if got := reqctx.RequestIDFrom(httpx.RequestIDToContext(tt.ctx, r)); got != tt.want {
				t.Errorf("request id = %q, want %q", got, tt.want)
			}
		})
	}
}
