package cli

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/platform/auth"
)

func TestTokenIsAcceptedByTheVerifierWithRoleAndScope(t *testing.T) {
	const envSecret = "a-secret-from-the-environment-32-bytes!!"
	const flagSecret = "a-secret-from-the-flag-at-least-32-bytes"
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		secret string
		want   auth.Principal // TenantID "?" means a generated UUIDv7, and "?" in Subject that id
	}{
		{"operator with the dev secret", []string{"--role", "operator"}, nil, DevJWTSecret,
			auth.Principal{Subject: "zonectl-operator", Role: auth.Operator}},
		{"tenant with its id", []string{"--role", "tenant", "--tenant", "0195a0b0-0000-7000-8000-0000000000aa", "--subject", "ayesha"}, nil, DevJWTSecret,
			auth.Principal{Subject: "ayesha", Role: auth.Tenant, TenantID: "0195a0b0-0000-7000-8000-0000000000aa"}},
		{"tenant without id gets a new one", []string{"--role", "tenant"}, nil, DevJWTSecret,
			auth.Principal{Subject: "zonectl-tenant-?", Role: auth.Tenant, TenantID: "?"}},
		{"tenant's subject names its tenant", []string{"--role", "tenant", "--tenant", "0195a0b0-0000-7000-8000-0000000000bb"}, nil, DevJWTSecret,
			auth.Principal{Subject: "zonectl-tenant-0195a0b0-0000-7000-8000-0000000000bb", Role: auth.Tenant, TenantID: "0195a0b0-0000-7000-8000-0000000000bb"}},
		{"zone developer with zones, secret from env", []string{"--role", "zone_developer", "--zone", "ISB", "--zone", "LHR"},
			map[string]string{EnvJWTSecret: envSecret}, envSecret,
			auth.Principal{Subject: "zonectl-zone_developer-ISB+LHR", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB", "LHR"}}},
		{"flag secret wins over env", []string{"--role", "auditor", "--jwt-secret", flagSecret},
			map[string]string{EnvJWTSecret: envSecret}, flagSecret,
			auth.Principal{Subject: "zonectl-auditor", Role: auth.Auditor}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, tt.env, "", append([]string{"token"}, tt.args...)...)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			tok := strings.TrimSpace(res.stdout)
			v, err := auth.NewHS256([]byte(tt.secret), auth.WithClock(func() time.Time { return testNow.Add(time.Hour) }))
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := tt.want
			if want.TenantID == "?" {
				id, err := uuid.Parse(got.TenantID)
				if err != nil || id.Version() != 7 {
					t.Fatalf("tenant id %q is not a UUIDv7", got.TenantID)
				}
				if !strings.Contains(res.stderr, got.TenantID) {
					t.Errorf("stderr %q does not name the new tenant id %s", res.stderr, got.TenantID)
				}
				want.TenantID = got.TenantID
				want.Subject = strings.Replace(want.Subject, "?", got.TenantID, 1)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("principal = %+v, want %+v", got, want)
			}
		})
	}
}

// TestTokensOfDifferentScopesHaveDifferentSubjects: two tenants (or the developers of two
// zones) given tokens with the default subject never share it.
func TestTokensOfDifferentScopesHaveDifferentSubjects(t *testing.T) {
	subject := func(args ...string) string {
		res := runCLI(t, nil, "", append([]string{"-o", "json", "token"}, args...)...)
		var out struct{ Subject string }
		if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.Subject == "" {
			t.Fatalf("%v: %s (err %v)", args, res.stdout, err)
		}
		return out.Subject
	}
	tests := []struct {
		name string
		a, b []string
	}{
		{"two given tenants", []string{"--role", "tenant", "--tenant", "t-1"}, []string{"--role", "tenant", "--tenant", "t-2"}},
		{"two new tenants", []string{"--role", "tenant"}, []string{"--role", "tenant"}},
		{"developers of two zones", []string{"--role", "zone_developer", "--zone", "ISB"}, []string{"--role", "zone_developer", "--zone", "LHR"}},
		{"tenant and viewer", []string{"--role", "tenant", "--tenant", "viewer"}, []string{"--role", "viewer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, b := subject(tt.a...), subject(tt.b...); a == b {
				t.Errorf("both tokens have subject %q", a)
			}
		})
	}
}

// TestDefaultTTLIsWithinTheServicesMaximum: a token minted with the default lifetime is
// accepted by a verifier with the default maximum lifetime.
func TestDefaultTTLIsWithinTheServicesMaximum(t *testing.T) {
	res := runCLI(t, nil, "", "token", "--role", "operator")
	v, err := auth.NewHS256([]byte(DevJWTSecret), auth.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), strings.TrimSpace(res.stdout)); err != nil {
		t.Fatalf("default token refused: %v", err)
	}
}

func TestTokenExpiresAfterTTL(t *testing.T) {
	res := runCLI(t, nil, "", "token", "--role", "viewer", "--ttl", "10m")
	v, _ := auth.NewHS256([]byte(DevJWTSecret), auth.WithClock(func() time.Time { return testNow.Add(11 * time.Minute) }), auth.WithLeeway(0))
	if _, err := v.Verify(context.Background(), strings.TrimSpace(res.stdout)); err == nil {
		t.Fatal("token still valid after its ttl")
	}
}

func TestTokenJSONAndBadInput(t *testing.T) {
	res := runCLI(t, nil, "", "-o", "json", "token", "--role", "operator")
	var out struct {
		Token     string    `json:"token"`
		Role      string    `json:"role"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.Token == "" || out.Role != "operator" ||
		!out.ExpiresAt.Equal(testNow.Add(24*time.Hour)) {
		t.Fatalf("json output %s (err %v)", res.stdout, err)
	}
	for _, args := range [][]string{
		{"token"},                             // no role
		{"token", "--role", "admin"},          // unknown role
		{"token", "--role", "zone_developer"}, // no zones
		{"token", "--role", "operator", "--jwt-secret", "short"}, // weak secret
	} {
		if res := runCLI(t, nil, "", args...); res.code != 1 || res.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q", args, res.code, res.stdout)
		}
	}
}
