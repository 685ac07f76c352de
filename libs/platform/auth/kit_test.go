package auth_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

func TestBearerTokenReadsOnlyTheBearerScheme(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   string
	}{
		{"bearer", "Bearer abc.def.ghi", "abc.def.ghi"},
		{"scheme is case-insensitive", "bearer abc", "abc"},
		{"basic is ignored", "Basic dXNlcjpwdw==", ""},
		{"no header", "", ""},
		{"scheme without token", "Bearer", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			if got := auth.BearerToken(r); got != tt.want {
				t.Errorf("BearerToken() = %q, want %q", got, tt.want)
			}
			tok, ok := auth.TokenFrom(auth.BearerToContext(context.Background(), r))
			if tok != tt.want || ok != (tt.want != "") {
				t.Errorf("TokenFrom(BearerToContext()) = %q, %v; want %q", tok, ok, tt.want)
			}
		})
	}
}

func TestAuthenticateThenAllowEnforceTokenAndRole(t *testing.T) {
	v, err := auth.NewHS256(secret, auth.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	mint := func(p auth.Principal) string {
		tok, err := auth.Mint(secret, p, time.Hour, now)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	operator := auth.Principal{Subject: "op", Role: auth.Operator}
	viewer := auth.Principal{Subject: "v", Role: auth.Viewer}
	tests := []struct {
		name    string
		header  string
		wantErr error
		want    auth.Principal
	}{
		{"allowed role passes with principal in context", "Bearer " + mint(operator), nil, operator},
		{"other role is forbidden", "Bearer " + mint(viewer), fault.ErrForbidden, auth.Principal{}},
		{"missing token is unauthenticated", "", fault.ErrUnauthenticated, auth.Principal{}},
		{"bad token is unauthenticated", "Bearer nope", fault.ErrUnauthenticated, auth.Principal{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen auth.Principal
			ep := func(ctx context.Context, _ any) (any, error) {
				seen, _ = auth.PrincipalFrom(ctx)
				return "ok", nil
			}
			chain := auth.Authenticate(v)(auth.Allow(auth.Operator, auth.Auditor)(ep))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			_, err := chain(auth.BearerToContext(context.Background(), r), nil)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(seen, tt.want) {
				t.Fatalf("principal = %+v, err %v; want %+v", seen, err, tt.want)
			}
		})
	}
}

func TestAllowWithoutAuthenticateIsUnauthenticated(t *testing.T) {
	ep := auth.Allow(auth.Operator)(func(context.Context, any) (any, error) { return nil, nil })
	if _, err := ep(context.Background(), nil); !errors.Is(err, fault.ErrUnauthenticated) {
		t.Fatalf("err = %v, want ErrUnauthenticated", err)
	}
}

func TestScopeChecksFollowRoleAndToken(t *testing.T) {
	operator := auth.Principal{Subject: "op", Role: auth.Operator}
	tenant := auth.Principal{Subject: "u", Role: auth.Tenant, TenantID: "t1"}
	dev := auth.Principal{Subject: "d", Role: auth.ZoneDeveloper, ZoneCodes: []string{"z1", "z2"}}
	auditor := auth.Principal{Subject: "a", Role: auth.Auditor}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"operator acts for any tenant", operator.CanActForTenant("t9"), true},
		{"tenant acts for itself", tenant.CanActForTenant("t1"), true},
		{"tenant does not act for another", tenant.CanActForTenant("t2"), false},
		{"nobody acts for the empty tenant", operator.CanActForTenant(""), false},
		{"auditor acts for no tenant", auditor.CanActForTenant("t1"), false},
		{"zone developer has its zone", dev.HasZone("z2"), true},
		{"zone developer lacks other zones", dev.HasZone("z3"), false},
		{"empty zone id is never held", dev.HasZone(""), false},
		{"operator's token lists no zones", operator.HasZone("z1"), false},
		{"operator acts for any zone", operator.CanActForZone("z1"), true},
		{"zone developer acts for its zone", dev.CanActForZone("z1"), true},
		{"zone developer does not act for another zone", dev.CanActForZone("z3"), false},
		{"tenant acts for no zone", tenant.CanActForZone("z1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestPrincipalKeyFuncNamesOnlyVerifiedCallers(t *testing.T) {
	v, _ := auth.NewHS256(secret, auth.WithClock(clock))
	op := auth.Principal{Subject: "op", Role: auth.Operator}
	tok, _ := auth.Mint(secret, op, time.Hour, now)
	tests := []struct {
		name   string
		header string
		want   string
		ok     bool
	}{
		{"valid token", "Bearer " + tok, op.Key(), true},
		{"bad token", "Bearer x", "", false},
		{"no token", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			got, ok := auth.PrincipalKeyFunc(v)(r)
			if got != tt.want || ok != tt.ok {
				t.Errorf("PrincipalKeyFunc() = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestPrincipalKeyTellsApartEveryPrincipalTheRulesTellApart: principals that differ in role,
// tenant, zones or subject have different keys, even when one's subject imitates another's
// fields; the order of a token's zones does not matter.
func TestPrincipalKeyTellsApartEveryPrincipalTheRulesTellApart(t *testing.T) {
	base := auth.Principal{Subject: "zonectl-tenant", Role: auth.Tenant, TenantID: "t1"}
	dev := auth.Principal{Subject: "d", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB", "LHR"}}
	tests := []struct {
		name string
		a, b auth.Principal
		same bool
	}{
		{"the same principal", base, base, true},
		{"another tenant, same subject", base, auth.Principal{Subject: "zonectl-tenant", Role: auth.Tenant, TenantID: "t2"}, false},
		{"another role, same subject", base, auth.Principal{Subject: "zonectl-tenant", Role: auth.Viewer}, false},
		{"another subject, same tenant", base, auth.Principal{Subject: "other", Role: auth.Tenant, TenantID: "t1"}, false},
		{"other zones", dev, auth.Principal{Subject: "d", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB"}}, false},
		{"zones in another order", dev, auth.Principal{Subject: "d", Role: auth.ZoneDeveloper, ZoneCodes: []string{"LHR", "ISB"}}, true},
		{"a subject imitating the fields", auth.Principal{Subject: `a","t2`, Role: auth.Tenant, TenantID: "t1"},
			auth.Principal{Subject: "a", Role: auth.Tenant, TenantID: `t1","t2`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Key() == tt.b.Key(); got != tt.same {
				t.Errorf("Key() %s and %s: same = %v, want %v", tt.a.Key(), tt.b.Key(), got, tt.same)
			}
		})
	}
}

func TestHandleGivesTheUseCaseItsPrincipalAndTypedRequest(t *testing.T) {
	type req struct{ ID string }
	e := auth.Handle(func(_ context.Context, p auth.Principal, r req) (any, error) {
		return p.Subject + ":" + r.ID, nil
	})
	tests := []struct {
		name    string
		ctx     context.Context
		request any
		want    any
		wantErr error
	}{
		{"authenticated, right type", auth.WithPrincipal(context.Background(), auth.Principal{Subject: "op", Role: auth.Operator}), req{ID: "7"}, "op:7", nil},
		{"no principal", context.Background(), req{ID: "7"}, nil, fault.ErrUnauthenticated},
		{"wrong request type", auth.WithPrincipal(context.Background(), auth.Principal{Subject: "op", Role: auth.Operator}), "7", nil, fault.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e(tt.ctx, tt.request)
			wantResult(t, got, err, tt.want, tt.wantErr)
		})
	}
}

// wantResult fails t unless an endpoint answered want, or failed with wantErr when it is set.
func wantResult(t *testing.T, got any, err error, want any, wantErr error) {
	t.Helper()
	if wantErr != nil {
		if !errors.Is(err, wantErr) {
			t.Fatalf("err = %v, want %v", err, wantErr)
		}
		return
	}
	if err != nil || got != want {
		t.Fatalf("got %v, %v; want %v", got, err, want)
	}
}

func TestRouteHandsTheUseCaseItsCallerAsTheServiceSeesIt(t *testing.T) {
	type zone string
	dev := auth.Principal{Subject: "d", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB"}}
	lookupFailed := errors.New("zone lookup failed")
	ids := func(_ context.Context, codes []string) ([]zone, error) {
		if len(codes) == 0 {
			return nil, lookupFailed
		}
		return []zone{zone("id-of-" + codes[0])}, nil
	}
	use := func(_ context.Context, p authz.Principal[zone], id string) (any, error) {
		return p.Subject + ":" + string(p.Zones[0]) + ":" + id, nil
	}
	tests := []struct {
		name    string
		as      func(context.Context, auth.Principal) (authz.Principal[zone], error)
		ctx     context.Context
		want    any
		wantErr error
	}{
		{"zones by code", auth.ByCode[zone], auth.WithPrincipal(context.Background(), dev), "d:ISB:7", nil},
		{"zones resolved", auth.Resolved(ids), auth.WithPrincipal(context.Background(), dev), "d:id-of-ISB:7", nil},
		{"resolution fails", auth.Resolved(ids), auth.WithPrincipal(context.Background(), auth.Principal{Subject: "o", Role: auth.Operator}), nil, lookupFailed},
		{"no principal", auth.ByCode[zone], context.Background(), nil, fault.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := auth.Route(tt.as, "GET /v1/things/{id}", httpx.PathID, httpx.EncodeOK, use)
			got, err := rt.Endpoint(tt.ctx, "7")
			wantResult(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestMountAuthenticatesEveryRouteWithTheBearerToken(t *testing.T) {
	secret := []byte("mount-test-secret-0123456789abcdef")
	v, err := auth.NewHS256(secret)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	routes := []httpx.Route{auth.Route(auth.ByCode[string], "GET /v1/things/{id}", httpx.PathID, httpx.EncodeOK,
		func(_ context.Context, p authz.Principal[string], id string) (any, error) {
			return p.Subject + ":" + id, nil
		})}
	auth.Mount(mux, routes, v, slog.New(slog.DiscardHandler), nil)
	tok, err := auth.Mint(secret, auth.Principal{Subject: "op", Role: auth.Operator}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		header string
		status int
	}{
		{"with a valid token", "Bearer " + tok, http.StatusOK},
		{"without a token", "", http.StatusUnauthorized},
		{"with a bad token", "Bearer " + tok + "x", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/v1/things/7", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
		})
	}
}
