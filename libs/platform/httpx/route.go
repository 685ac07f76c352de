package httpx

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-kit/kit/endpoint"
	kithttp "github.com/go-kit/kit/transport/http"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Route is one operation of a service's HTTP API, as a row of the service's route table: the
// pattern it is mounted at, the go-kit endpoint that serves it, and how its request is read and
// its answer written. The table is the one list of a service's operations: Mount serves it, and
// tests derive the OpenAPI coverage and the authorisation matrix from Patterns.
type Route struct {
	// Pattern is the http.ServeMux pattern, method first: "POST /v1/things/{id}/approve".
	Pattern  string
	Endpoint endpoint.Endpoint
	Decode   kithttp.DecodeRequestFunc
	Encode   kithttp.EncodeResponseFunc
	// Idempotent routes accept an Idempotency-Key: Mount wraps them in its idempotent middleware.
	Idempotent bool
}

// WithIdempotencyKey returns r marked Idempotent, for the creating rows of a table.
func (r Route) WithIdempotencyKey() Route {
	r.Idempotent = true
	return r
}

// Decoder reads one request of a route as its own type.
type Decoder[Req any] func(ctx context.Context, r *http.Request) (Req, error)

// Kit is d as the go-kit server takes it.
func (d Decoder[Req]) Kit() kithttp.DecodeRequestFunc {
	return func(ctx context.Context, r *http.Request) (any, error) { return d(ctx, r) }
}

// Op is the route of one use case: dec reads the request as a Req and the endpoint hands it to
// f; enc writes f's answer. Binding the decoder and the use case through Req makes a row whose
// decoder does not fit its use case a compile error rather than a failed request.
func Op[Req any](pattern string, dec Decoder[Req], enc kithttp.EncodeResponseFunc, f func(ctx context.Context, r Req) (any, error)) Route {
	return Route{
		Pattern: pattern,
		Decode:  dec.Kit(),
		Endpoint: func(ctx context.Context, request any) (any, error) {
			r, ok := request.(Req)
			if !ok {
				// Only a middleware that swapped the request could get here.
				return nil, fmt.Errorf("%s: request of type %T: %w", pattern, request, fault.ErrInvalid)
			}
			return f(ctx, r)
		},
		Encode: enc,
	}
}

// Mount serves every route on mux through go-kit: each endpoint wrapped in mw (the first is the
// outermost), served with opts, and the Idempotent ones wrapped in idempotent. A pattern that
// appears twice in routes is a programming error and panics, naming it.
func Mount(mux *http.ServeMux, routes []Route, opts []kithttp.ServerOption, idempotent func(http.Handler) http.Handler, mw ...endpoint.Middleware) {
	seen := make(map[string]bool, len(routes))
	for _, rt := range routes {
		if seen[rt.Pattern] {
			panic(fmt.Sprintf("httpx: route %q is in the table twice", rt.Pattern))
		}
		seen[rt.Pattern] = true
		e := rt.Endpoint
		for i := len(mw) - 1; i >= 0; i-- {
			e = mw[i](e)
		}
		var h http.Handler = kithttp.NewServer(e, rt.Decode, rt.Encode, opts...)
		if rt.Idempotent && idempotent != nil {
			h = idempotent(h)
		}
		mux.Handle(rt.Pattern, h)
	}
}

// Patterns lists the patterns of routes in table order ("POST /v1/things"), for the tests that
// hold a document or a role table to the routes a service mounts.
func Patterns(routes []Route) []string {
	out := make([]string, len(routes))
	for i, rt := range routes {
		out[i] = rt.Pattern
	}
	return out
}

// EncodeOK writes a response as JSON with 200 (see EncodeJSON).
func EncodeOK(ctx context.Context, w http.ResponseWriter, response any) error {
	return EncodeJSON(http.StatusOK)(ctx, w, response)
}

// EncodeCreated writes a response as JSON with 201 (see EncodeJSON).
func EncodeCreated(ctx context.Context, w http.ResponseWriter, response any) error {
	return EncodeJSON(http.StatusCreated)(ctx, w, response)
}

// The request shapes that routes of every service share, and their decoders. A path's record is
// always named {id}.

// PathID reads the {id} of the request's path: the record an action or a read names.
func PathID(_ context.Context, r *http.Request) (string, error) {
	return r.PathValue("id"), nil
}

// Reasoned is an action on the record {id} with why it is taken.
type Reasoned struct {
	ID     string
	Reason string
}

// DecodeReason returns the decoder of an action whose body, {"reason": "..."}, may be left out
// altogether (a reason is optional where the rules say so; they check it). A body is read
// strictly and bounded by maxBytes.
func DecodeReason(maxBytes int64) Decoder[Reasoned] {
	return func(_ context.Context, r *http.Request) (Reasoned, error) {
		var in struct {
			Reason string `json:"reason"`
		}
		if HasBody(r) {
			if err := DecodeJSON(r, &in, maxBytes); err != nil {
				return Reasoned{}, err
			}
		}
		return Reasoned{ID: r.PathValue("id"), Reason: in.Reason}, nil
	}
}

// Input is a request's JSON body as an In, with the {id} of its path ("" where the pattern has
// none, as in a create).
type Input[In any] struct {
	ID   string
	Body In
}

// Body returns the decoder of a route whose JSON body is an In, required, read strictly and
// bounded by maxBytes (see DecodeJSON).
func Body[In any](maxBytes int64) Decoder[Input[In]] {
	return func(_ context.Context, r *http.Request) (Input[In], error) {
		var in In
		if err := DecodeJSON(r, &in, maxBytes); err != nil {
			return Input[In]{}, err
		}
		return Input[In]{ID: r.PathValue("id"), Body: in}, nil
	}
}
