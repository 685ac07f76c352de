package httpx_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

func TestProblemForMapsEveryFaultKindThroughWrapping(t *testing.T) {
	secret := errors.New("pq: relation \"licences\" at 10.0.0.7 does not exist")
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantType   string
		wantState  string
		wantFields []fault.FieldError
	}{
		{"validation error lists every field", fmt.Errorf("create: %w", &fault.ValidationError{Fields: []fault.FieldError{{Field: "a", Reason: "x"}, {Field: "b", Reason: "y"}}}),
			400, httpx.TypeValidation, "", []fault.FieldError{{Field: "a", Reason: "x"}, {Field: "b", Reason: "y"}}},
		{"plain invalid is still 400", fmt.Errorf("bad cursor: %w", fault.ErrInvalid), 400, httpx.TypeValidation, "", nil},
		{"state error names current state", fmt.Errorf("approve: %w", &fault.StateError{Entity: "application", Action: "approve", Current: "withdrawn"}),
			409, httpx.TypeInvalidTransition, "withdrawn", nil},
		{"conflict", fmt.Errorf("licence number taken: %w", fault.ErrConflict), 409, httpx.TypeConflict, "", nil},
		{"not found", fmt.Errorf("application 7: %w", fault.ErrNotFound), 404, httpx.TypeNotFound, "", nil},
		{"forbidden", fmt.Errorf("zone z1: %w", fault.ErrForbidden), 403, httpx.TypeForbidden, "", nil},
		{"unauthenticated", fmt.Errorf("token expired: %w", fault.ErrUnauthenticated), 401, httpx.TypeUnauthenticated, "", nil},
		{"too large", fmt.Errorf("body: %w", fault.ErrTooLarge), 413, httpx.TypeTooLarge, "", nil},
		{"max bytes error from net/http", &http.MaxBytesError{Limit: 10}, 413, httpx.TypeTooLarge, "", nil},
		{"business rule", fmt.Errorf("claim exceeds entitlement: %w", fault.ErrRule), 422, httpx.TypeBusinessRule, "", nil},
		{"unavailable", fmt.Errorf("nats: %w", fault.ErrUnavailable), 503, httpx.TypeUnavailable, "", nil},
		{"deadline exceeded is retryable", fmt.Errorf("query: %w", context.DeadlineExceeded), 503, httpx.TypeUnavailable, "", nil},
		{"anything else is internal", secret, 500, httpx.TypeInternal, "", nil},
		{"nil error is internal", nil, 500, httpx.TypeInternal, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := httpx.ProblemFor(tt.err)
			if p.Status != tt.wantStatus || p.Type != tt.wantType {
				t.Errorf("ProblemFor() = %d %s, want %d %s", p.Status, p.Type, tt.wantStatus, tt.wantType)
			}
			if p.Title == "" {
				t.Errorf("problem has no title")
			}
			if p.CurrentState != tt.wantState {
				t.Errorf("current_state = %q, want %q", p.CurrentState, tt.wantState)
			}
			if !reflect.DeepEqual(p.Errors, tt.wantFields) {
				t.Errorf("errors = %v, want %v", p.Errors, tt.wantFields)
			}
			if p.Status >= 500 && tt.err != nil && strings.Contains(p.Detail, "10.0.0.7") {
				t.Errorf("internal detail leaked: %q", p.Detail)
			}
		})
	}
}

func TestErrorEncoderWritesProblemJSONWithHeaders(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantHeader map[string]string
	}{
		{"unauthenticated asks for a bearer token", fault.ErrUnauthenticated, 401, map[string]string{"WWW-Authenticate": "Bearer"}},
		{"unavailable suggests a retry", fault.ErrUnavailable, 503, map[string]string{"Retry-After": "1"}},
		{"not found has no extra headers", fault.ErrNotFound, 404, map[string]string{"WWW-Authenticate": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			ctx := reqctx.WithRequestID(context.Background(), "req-42")
			httpx.ErrorEncoder(ctx, tt.err, w)
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if ct := w.Header().Get("Content-Type"); ct != httpx.ProblemContentType {
				t.Errorf("content type = %q, want %q", ct, httpx.ProblemContentType)
			}
			for k, v := range tt.wantHeader {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			var p httpx.Problem
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatalf("body is not a problem: %v", err)
			}
			if p.Status != tt.wantStatus || p.Instance != "urn:zoneops:request:req-42" {
				t.Errorf("problem = %+v, want status %d and the request id as instance", p, tt.wantStatus)
			}
		})
	}
}

func TestProblemJSONOmitsEmptyExtensions(t *testing.T) {
	b, err := json.Marshal(httpx.ProblemFor(fault.ErrNotFound))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"errors", "current_state", "instance"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s present in %s", k, b)
		}
	}
	for _, k := range []string{"type", "title", "status", "detail"} {
		if _, ok := m[k]; !ok {
			t.Errorf("%s missing in %s", k, b)
		}
	}
}
