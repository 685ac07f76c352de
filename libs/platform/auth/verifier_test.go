package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef")
	now    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock  = func() time.Time { return now }
)

func sign(t *testing.T, method jwt.SigningMethod, key any, c jwt.MapClaims, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("signing: %v", err)
	}
	return s
}

func baseClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub":       "user-1",
		"role":      "tenant",
		"tenant_id": "t-1",
		"exp":       now.Add(time.Hour).Unix(),
		"iat":       now.Unix(),
	}
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for kk, vv := range c {
		out[kk] = vv
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

func TestHS256VerifierAcceptsOnlyValidTokensWithKnownRoles(t *testing.T) {
	otherSecret := []byte("ffffffffffffffffffffffffffffffff")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		token func(t *testing.T) string
		opts  []auth.Option
		want  auth.Principal // zero means rejected
	}{
		{"valid tenant token", func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, secret, baseClaims(), "") }, nil,
			auth.Principal{Subject: "user-1", Role: auth.Tenant, TenantID: "t-1"}},
		{"valid zone developer token", func(t *testing.T) string {
			c := with(with(with(baseClaims(), "role", "zone_developer"), "tenant_id", nil), "zone_ids", []string{"z1", "z2"})
			return sign(t, jwt.SigningMethodHS256, secret, c, "")
		}, nil, auth.Principal{Subject: "user-1", Role: auth.ZoneDeveloper, ZoneCodes: []string{"z1", "z2"}}},
		{"expired token", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "exp", now.Add(-time.Second).Unix()), "")
		}, nil, auth.Principal{}},
		{"expired token within leeway", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "exp", now.Add(-time.Second).Unix()), "")
		}, []auth.Option{auth.WithLeeway(time.Minute)}, auth.Principal{Subject: "user-1", Role: auth.Tenant, TenantID: "t-1"}},
		{"token without exp", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "exp", nil), "")
		}, nil, auth.Principal{}},
		{"token not valid yet", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "nbf", now.Add(time.Hour).Unix()), "")
		}, nil, auth.Principal{}},
		{"wrong secret", func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, otherSecret, baseClaims(), "") }, nil, auth.Principal{}},
		{"alg none", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, baseClaims(), "")
		}, nil, auth.Principal{}},
		{"RS256 token at an HS256 verifier", func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, rsaKey, baseClaims(), "") }, nil, auth.Principal{}},
		{"missing role", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "role", nil), "")
		}, nil, auth.Principal{}},
		{"unknown role", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "role", "admin"), "")
		}, nil, auth.Principal{}},
		{"missing subject", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "sub", nil), "")
		}, nil, auth.Principal{}},
		{"tenant without tenant id", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "tenant_id", nil), "")
		}, nil, auth.Principal{}},
		{"zone developer without zones", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "role", "zone_developer"), "")
		}, nil, auth.Principal{}},
		{"wrong issuer when configured", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "iss", "https://evil"), "")
		}, []auth.Option{auth.WithIssuer("https://idp")}, auth.Principal{}},
		{"right issuer and audience", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(with(baseClaims(), "iss", "https://idp"), "aud", "zoneops"), "")
		}, []auth.Option{auth.WithIssuer("https://idp"), auth.WithAudience("zoneops")}, auth.Principal{Subject: "user-1", Role: auth.Tenant, TenantID: "t-1"}},
		{"wrong audience when configured", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "aud", "other"), "")
		}, []auth.Option{auth.WithAudience("zoneops")}, auth.Principal{}},
		{"role of the wrong type", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodHS256, secret, with(baseClaims(), "role", 7), "")
		}, nil, auth.Principal{}},
		{"garbage", func(*testing.T) string { return "not.a.jwt" }, nil, auth.Principal{}},
		{"empty token", func(*testing.T) string { return "" }, nil, auth.Principal{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := auth.NewHS256(secret, append([]auth.Option{auth.WithClock(clock)}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Verify(context.Background(), tt.token(t))
			if reflect.DeepEqual(tt.want, auth.Principal{}) {
				if !errors.Is(err, fault.ErrUnauthenticated) {
					t.Fatalf("Verify() = %+v, %v; want fault.ErrUnauthenticated", got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify() error = %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Verify() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNewHS256RefusesShortSecrets(t *testing.T) {
	if _, err := auth.NewHS256([]byte("short")); err == nil {
		t.Fatal("NewHS256(short secret) succeeded")
	}
}

func TestMintedTokensVerifyAndInvalidPrincipalsAreNotMinted(t *testing.T) {
	tests := []struct {
		name    string
		p       auth.Principal
		ttl     time.Duration
		secret  []byte
		wantErr bool
	}{
		{"operator", auth.Principal{Subject: "op", Role: auth.Operator}, time.Hour, secret, false},
		{"tenant", auth.Principal{Subject: "u", Role: auth.Tenant, TenantID: "t1"}, time.Hour, secret, false},
		{"zone developer", auth.Principal{Subject: "u", Role: auth.ZoneDeveloper, ZoneCodes: []string{"z"}}, time.Hour, secret, false},
		{"unknown role", auth.Principal{Subject: "u", Role: "root"}, time.Hour, secret, true},
		{"tenant without id", auth.Principal{Subject: "u", Role: auth.Tenant}, time.Hour, secret, true},
		{"zero lifetime", auth.Principal{Subject: "op", Role: auth.Operator}, 0, secret, true},
		{"short secret", auth.Principal{Subject: "op", Role: auth.Operator}, time.Hour, []byte("x"), true},
	}
	v, err := auth.NewHS256(secret, auth.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := auth.Mint(tt.secret, tt.p, tt.ttl, now)
			if tt.wantErr {
				if err == nil {
					t.Fatal("Mint() succeeded, want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Verify(context.Background(), tok)
			if err != nil || !reflect.DeepEqual(got, tt.p) {
				t.Fatalf("Verify(minted) = %+v, %v; want %+v", got, err, tt.p)
			}
		})
	}
}

func TestMintedTokenExpiresAfterTTL(t *testing.T) {
	tok, err := auth.Mint(secret, auth.Principal{Subject: "op", Role: auth.Operator}, time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	later := func() time.Time { return now.Add(time.Minute + time.Second) }
	v, _ := auth.NewHS256(secret, auth.WithClock(later))
	if _, err := v.Verify(context.Background(), tok); !errors.Is(err, fault.ErrUnauthenticated) {
		t.Fatalf("Verify(expired minted token) = %v, want ErrUnauthenticated", err)
	}
}

// jwksServer serves a JWK set whose keys can be swapped, to show rotation being picked up.
type jwksServer struct {
	mu   sync.Mutex
	keys []jwkset.JWK
}

func (s *jwksServer) set(t *testing.T, keys ...any) {
	t.Helper()
	var jwks []jwkset.JWK
	for _, k := range keys {
		kk := k.(keyWithID)
		j, err := jwkset.NewJWKFromKey(kk.pub, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: kk.kid, ALG: jwkset.ALG(kk.alg), USE: jwkset.UseSig}})
		if err != nil {
			t.Fatal(err)
		}
		jwks = append(jwks, j)
	}
	s.mu.Lock()
	s.keys = jwks
	s.mu.Unlock()
}

func (s *jwksServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := jwkset.JWKSMarshal{}
	for _, k := range s.keys {
		set.Keys = append(set.Keys, k.Marshal())
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(set)
}

type keyWithID struct {
	kid, alg string
	pub      any
}

func TestJWKSVerifierAcceptsRS256AndES256FromTheKeySet(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	strangerKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rotatedKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	js := &jwksServer{}
	js.set(t, keyWithID{"rsa-1", "RS256", &rsaKey.PublicKey}, keyWithID{"ec-1", "ES256", &ecKey.PublicKey})
	srv := httptest.NewServer(js)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v, err := auth.NewJWKS(ctx, srv.URL, auth.WithClock(clock), auth.WithHTTPClient(srv.Client()), auth.WithIssuer("https://idp"))
	if err != nil {
		t.Fatal(err)
	}
	claims := with(baseClaims(), "iss", "https://idp")
	want := auth.Principal{Subject: "user-1", Role: auth.Tenant, TenantID: "t-1"}

	tests := []struct {
		name   string
		token  func(t *testing.T) string
		rotate bool
		ok     bool
	}{
		{"RS256 signed by the published RSA key", func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, rsaKey, claims, "rsa-1") }, false, true},
		{"ES256 signed by the published EC key", func(t *testing.T) string { return sign(t, jwt.SigningMethodES256, ecKey, claims, "ec-1") }, false, true},
		{"RS256 without kid tries every key", func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, rsaKey, claims, "") }, false, true},
		{"known kid but another key's signature", func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, strangerKey, claims, "rsa-1") }, false, false},
		{"alg differs from the JWK's alg", func(t *testing.T) string { return sign(t, jwt.SigningMethodES256, ecKey, claims, "rsa-1") }, false, false},
		{"HS256 at a JWKS verifier", func(t *testing.T) string { return sign(t, jwt.SigningMethodHS256, secret, claims, "rsa-1") }, false, false},
		{"expired RS256", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodRS256, rsaKey, with(claims, "exp", now.Add(-time.Hour).Unix()), "rsa-1")
		}, false, false},
		{"wrong issuer", func(t *testing.T) string { return sign(t, jwt.SigningMethodRS256, rsaKey, baseClaims(), "rsa-1") }, false, false},
		{"unknown role", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodRS256, rsaKey, with(claims, "role", "god"), "rsa-1")
		}, false, false},
		{"rotated-in key is fetched on its first unknown kid", func(t *testing.T) string {
			return sign(t, jwt.SigningMethodES256, rotatedKey, claims, "ec-2")
		}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rotate {
				js.set(t, keyWithID{"rsa-1", "RS256", &rsaKey.PublicKey}, keyWithID{"ec-2", "ES256", &rotatedKey.PublicKey})
			}
			got, err := v.Verify(context.Background(), tt.token(t))
			if !tt.ok {
				if !errors.Is(err, fault.ErrUnauthenticated) {
					t.Fatalf("Verify() = %+v, %v; want ErrUnauthenticated", got, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("Verify() = %+v, %v; want %+v", got, err, want)
			}
		})
	}
}

func TestNewJWKSFailsWhenTheKeySetCannotBeLoaded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := auth.NewJWKS(ctx, srv.URL, auth.WithHTTPClient(srv.Client())); err == nil {
		t.Fatal("NewJWKS() succeeded against a failing key endpoint")
	}
}

// TestTokenTimesAreNumericDatesWithinTheMaximumLifetime reads exp, iat and nbf strictly (JSON
// numbers, as RFC 7519 defines NumericDate) and refuses tokens valid for longer than the
// configured maximum, whether that shows in exp - iat or, without iat, in exp - now.
func TestTokenTimesAreNumericDatesWithinTheMaximumLifetime(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	tests := []struct {
		name   string
		claims jwt.MapClaims
		max    time.Duration // 0: the default
		ok     bool
	}{
		{"an hour, iat and exp numbers", baseClaims(), 0, true},
		{"exactly the default day", with(baseClaims(), "exp", at(24*time.Hour)), 0, true},
		{"a day and a second", with(baseClaims(), "exp", at(24*time.Hour+time.Second)), 0, false},
		{"270 years", with(baseClaims(), "exp", at(270*365*24*time.Hour)), 0, false},
		{"270 years without iat", with(with(baseClaims(), "iat", nil), "exp", at(270*365*24*time.Hour)), 0, false},
		{"an hour without iat", with(baseClaims(), "iat", nil), 0, true},
		{"issued long ago, a day left", with(with(baseClaims(), "iat", at(-48*time.Hour)), "exp", at(time.Hour)), 0, false},
		{"iat in the future hides a long life", with(with(baseClaims(), "iat", at(269*365*24*time.Hour)), "exp", at(270*365*24*time.Hour)), 0, false},
		{"a configured shorter maximum", baseClaims(), 30 * time.Minute, false},
		{"a configured longer maximum", with(baseClaims(), "exp", at(72*time.Hour)), 7 * 24 * time.Hour, true},
		{"fractional exp is still a number", with(baseClaims(), "exp", float64(at(time.Hour))+0.5), 0, true},
		{"exp as a string", with(baseClaims(), "exp", fmt.Sprint(at(time.Hour))), 0, false},
		{"iat as a string", with(baseClaims(), "iat", fmt.Sprint(at(0))), 0, false},
		{"nbf as a string", with(baseClaims(), "nbf", fmt.Sprint(at(-time.Minute))), 0, false},
		{"nbf as a number", with(baseClaims(), "nbf", at(-time.Minute)), 0, true},
		{"exp as a boolean", with(baseClaims(), "exp", true), 0, false},
		{"exp null", with(baseClaims(), "exp", json.RawMessage("null")), 0, false},
	}
	js := &jwksServer{}
	js.set(t, keyWithID{"rsa-1", "RS256", &rsaKey.PublicKey})
	srv := httptest.NewServer(js)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, tt := range tests {
		opts := []auth.Option{auth.WithClock(clock)}
		if tt.max > 0 {
			opts = append(opts, auth.WithMaxLifetime(tt.max))
		}
		hs, err := auth.NewHS256(secret, opts...)
		if err != nil {
			t.Fatal(err)
		}
		jwks, err := auth.NewJWKS(ctx, srv.URL, append(opts, auth.WithHTTPClient(srv.Client()))...)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			kind  string
			v     auth.Verifier
			token string
		}{
			{"HS256", hs, sign(t, jwt.SigningMethodHS256, secret, tt.claims, "")},
			{"JWKS", jwks, sign(t, jwt.SigningMethodRS256, rsaKey, tt.claims, "rsa-1")},
		} {
			t.Run(tt.name+" ("+v.kind+")", func(t *testing.T) {
				got, err := v.v.Verify(context.Background(), v.token)
				if tt.ok {
					if err != nil || got.Subject != "user-1" {
						t.Fatalf("Verify() = %+v, %v; want user-1", got, err)
					}
					return
				}
				if !errors.Is(err, fault.ErrUnauthenticated) {
					t.Fatalf("Verify() = %+v, %v; want fault.ErrUnauthenticated", got, err)
				}
			})
		}
	}
}

func TestVerifiersRefuseANonPositiveMaximumLifetime(t *testing.T) {
	if _, err := auth.NewHS256(secret, auth.WithMaxLifetime(0)); err == nil {
		t.Fatal("NewHS256(max lifetime 0) succeeded")
	}
	if _, err := auth.NewJWKS(context.Background(), "http://127.0.0.1:1", auth.WithMaxLifetime(-time.Hour)); err == nil {
		t.Fatal("NewJWKS(negative max lifetime) succeeded")
	}
}
