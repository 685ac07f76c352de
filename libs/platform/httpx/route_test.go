package httpx_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/go-kit/kit/endpoint"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// echoRoutes is a small table: a create that echoes its body and an action on {id}.
func echoRoutes() []httpx.Route {
	type thing struct {
		Name string `json:"name"`
	}
	return []httpx.Route{
		httpx.Op("POST /v1/things", httpx.Body[thing](1024), httpx.EncodeCreated, func(_ context.Context, r httpx.Input[thing]) (any, error) {
			return map[string]string{"name": r.Body.Name}, nil
		}).WithIdempotencyKey(),
		httpx.Op("POST /v1/things/{id}/close", httpx.DecodeReason(1024), httpx.EncodeOK, func(_ context.Context, r httpx.Reasoned) (any, error) {
			return map[string]string{"id": r.ID, "reason": r.Reason}, nil
		}),
		httpx.Op("GET /v1/things/{id}", httpx.PathID, httpx.EncodeOK, func(ctx context.Context, id string) (any, error) {
			return map[string]any{"id": id, "via": ctx.Value(viaKey{})}, nil
		}),
	}
}

type viaKey struct{}

// via is endpoint middleware that records its name in the context, outermost first.
func via(name string) endpoint.Middleware {
	return func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req any) (any, error) {
			prev, _ := ctx.Value(viaKey{}).(string)
			return next(context.WithValue(ctx, viaKey{}, prev+name), req)
		}
	}
}

func TestMountServesEveryRowThroughItsDecoderMiddlewareAndEncoder(t *testing.T) {
	mux := http.NewServeMux()
	var wrapped []string
	idem := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			wrapped = append(wrapped, r.Method+" "+r.URL.Path)
			next.ServeHTTP(w, r)
		})
	}
	httpx.Mount(mux, echoRoutes(), httpx.ServerOptions(slog.New(slog.DiscardHandler)), idem, via("a"), via("b"))
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"create decodes the body and answers 201", "POST", "/v1/things", `{"name":"x"}`, 201, `{"name":"x"}`},
		{"a bad body is a 400 problem", "POST", "/v1/things", `{"name":1}`, 400, `"status":400`},
		{"an action takes {id} and an optional reason", "POST", "/v1/things/7/close", `{"reason":"done"}`, 200, `{"id":"7","reason":"done"}`},
		{"an action's reason may be left out", "POST", "/v1/things/7/close", ``, 200, `{"id":"7","reason":""}`},
		{"middleware runs outermost first", "GET", "/v1/things/9", ``, 200, `{"id":"9","via":"ab"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%d %s, want %d with %s", w.Code, w.Body, tt.status, tt.want)
			}
		})
	}
	if want := []string{"POST /v1/things", "POST /v1/things"}; !slices.Equal(wrapped, want) {
		t.Errorf("idempotent middleware saw %v, want only the create: %v", wrapped, want)
	}
}

func TestMountRefusesAPatternTwice(t *testing.T) {
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), "GET /v1/things/{id}") {
			t.Errorf("recovered %v, want a panic naming the pattern", v)
		}
	}()
	routes := echoRoutes()
	httpx.Mount(http.NewServeMux(), append(routes, routes[2]), nil, nil)
}

func TestPatternsListTheTableInOrder(t *testing.T) {
	want := []string{"POST /v1/things", "POST /v1/things/{id}/close", "GET /v1/things/{id}"}
	if got := httpx.Patterns(echoRoutes()); !slices.Equal(got, want) {
		t.Errorf("Patterns = %v, want %v", got, want)
	}
}

func TestOpRefusesARequestOfAnotherType(t *testing.T) {
	_, err := echoRoutes()[2].Endpoint(context.Background(), 42)
	if !errors.Is(err, fault.ErrInvalid) {
		t.Fatalf("err = %v, want fault.ErrInvalid", err)
	}
}
