package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-kit/kit/endpoint"
	kithttp "github.com/go-kit/kit/transport/http"

	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

type (
	tokenKey     struct{}
	principalKey struct{}
)

// BearerToContext is a go-kit kithttp.RequestFunc (use it with kithttp.ServerBefore) that puts
// the bearer token of the Authorization header into the context, for Authenticate to verify.
// It only copies: verifying belongs in the endpoint chain, where a failure is an ordinary error.
func BearerToContext(ctx context.Context, r *http.Request) context.Context {
	if tok := BearerToken(r); tok != "" {
		return context.WithValue(ctx, tokenKey{}, tok)
	}
	return ctx
}

// BearerToken returns the token of an "Authorization: Bearer <token>" header, or "". The scheme
// is case-insensitive (RFC 9110).
func BearerToken(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// TokenFrom returns the bearer token put into ctx by BearerToContext.
func TokenFrom(ctx context.Context) (string, bool) {
	tok, ok := ctx.Value(tokenKey{}).(string)
	return tok, ok && tok != ""
}

// WithPrincipal returns a context carrying p. Authenticate uses it; tests of endpoints and
// services use it to act as someone without minting a token.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the authenticated caller, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Authenticate is endpoint middleware that verifies the token from the context (see
// BearerToContext) and puts the principal into the context. A missing or bad token is a
// fault.ErrUnauthenticated.
func Authenticate(v Verifier) endpoint.Middleware {
	return func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, request any) (any, error) {
			tok, ok := TokenFrom(ctx)
			if !ok {
				return nil, errMissingToken
			}
			p, err := v.Verify(ctx, tok)
			if err != nil {
				return nil, err
			}
			return next(WithPrincipal(ctx, p), request)
		}
	}
}

// Allow is endpoint middleware that lets through only principals with one of roles; others get
// fault.ErrForbidden. Place it after Authenticate. Scope (which tenant, which zone) depends on
// the request and is checked by the service with CanActForTenant and CanActForZone.
func Allow(roles ...Role) endpoint.Middleware {
	allowed := append([]Role(nil), roles...)
	return func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, request any) (any, error) {
			p, ok := PrincipalFrom(ctx)
			if !ok {
				return nil, errMissingToken
			}
			if !p.Is(allowed...) {
				return nil, fmt.Errorf("role %s may not do this: %w", p.Role, fault.ErrForbidden)
			}
			return next(ctx, request)
		}
	}
}

// PrincipalKeyFunc returns a function that names the verified caller of an HTTP request by
// Principal.Key ("" and false when the request has no valid token). It lets HTTP middleware
// that runs before the go-kit endpoint, such as idempotency, scope its state per caller: the
// whole principal, so that two callers sharing a subject (two tenants, or a tenant and a viewer)
// are never taken for one. Verifying twice (here and in Authenticate) costs microseconds and
// keeps the endpoint chain the only place that rejects.
func PrincipalKeyFunc(v Verifier) func(r *http.Request) (string, bool) {
	return func(r *http.Request) (string, bool) {
		tok := BearerToken(r)
		if tok == "" {
			return "", false
		}
		p, err := v.Verify(r.Context(), tok)
		if err != nil {
			return "", false
		}
		return p.Key(), true
	}
}

// Handle adapts a typed use case to a go-kit endpoint: it hands f the principal that
// Authenticate put into the context and the request as its own type. Place it after
// Authenticate. A request of another type is a programming error reported as a bad request
// rather than a panic.
func Handle[Req any](f func(ctx context.Context, p Principal, r Req) (any, error)) endpoint.Endpoint {
	return func(ctx context.Context, request any) (any, error) {
		p, ok := PrincipalFrom(ctx)
		if !ok {
			return nil, errMissingToken
		}
		r, ok := request.(Req)
		if !ok {
			return nil, fmt.Errorf("request of type %T: %w", request, fault.ErrInvalid)
		}
		return f(ctx, p, r)
	}
}

// Route is the row of a route table for one use case that takes its caller as the service's
// rules see it: as turns the principal that Authenticate verified into that P (ByCode, or
// Resolved where the service names zones otherwise), and f gets it with the request dec read.
// Mount puts Authenticate in front of every route.
func Route[P, Req any](as func(ctx context.Context, p Principal) (P, error), pattern string, dec httpx.Decoder[Req], enc kithttp.EncodeResponseFunc, f func(ctx context.Context, p P, r Req) (any, error)) httpx.Route {
	return httpx.Route{
		Pattern: pattern,
		Decode:  dec.Kit(),
		Endpoint: Handle(func(ctx context.Context, ap Principal, r Req) (any, error) {
			p, err := as(ctx, ap)
			if err != nil {
				return nil, err
			}
			return f(ctx, p, r)
		}),
		Encode: enc,
	}
}

// ByCode is the caller of Route for a service whose rules name zones by code, as the token does.
func ByCode[Z ~string](_ context.Context, p Principal) (authz.Principal[Z], error) {
	return CallerByCode[Z](p), nil
}

// Resolved returns the caller of Route for a service whose records name zones otherwise (by
// id): zones resolves the token's codes into the service's terms, once per request.
func Resolved[Z ~string](zones func(ctx context.Context, codes []string) ([]Z, error)) func(context.Context, Principal) (authz.Principal[Z], error) {
	return func(ctx context.Context, p Principal) (authz.Principal[Z], error) {
		ids, err := zones(ctx, p.ZoneCodes)
		if err != nil {
			return authz.Principal[Z]{}, err
		}
		return Caller(p, ids), nil
	}
}

// Mount serves a service's route table on mux as every service serves its API: with
// httpx.ServerOptions, the bearer token copied into the context (BearerToContext), Authenticate
// with v in front of every endpoint, and the Idempotent routes wrapped in idempotent.
func Mount(mux *http.ServeMux, routes []httpx.Route, v Verifier, logger *slog.Logger, idempotent func(http.Handler) http.Handler) {
	opts := append(httpx.ServerOptions(logger), kithttp.ServerBefore(BearerToContext))
	httpx.Mount(mux, routes, opts, idempotent, Authenticate(v))
}
