package main

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
)

// jwtShape matches anything that looks like a compact JWS.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// TestBannerPrintsTokensOnlyOnTheDevelopmentSecret: on the public development secret the
// banner prints a working token per role; with a real secret or an OIDC issuer it prints no
// token (stdout ends up in log collectors) and says how to get one.
func TestBannerPrintsTokensOnlyOnTheDevelopmentSecret(t *testing.T) {
	const realSecret = "a-real-secret-of-at-least-32-bytes-long"
	info := cli.RuntimeInfo{NATSURL: "nats://127.0.0.1:4333", Services: map[string]string{"tenants": "http://127.0.0.1:1"}}
	tests := []struct {
		name       string
		common     app.Common
		wantTokens bool
		wantText   []string
	}{
		{"embedded defaults", app.Common{DataDir: "./data"}, true,
			[]string{"Development tokens", "operator ", "zone_developer ", "tenant ", "auditor ", "viewer "}},
		{"insecure dev auth off the defaults", app.Common{NATSURL: "nats://n:4222", InsecureDevAuth: true}, true,
			[]string{"Development tokens"}},
		{"a real secret", app.Common{DataDir: "./data", JWTSecret: realSecret}, false,
			[]string{"zonectl token --role operator", "ZONEOPS_JWT_SECRET"}},
		{"a real secret off the defaults", app.Common{PostgresDSN: "postgres://db/z", JWTSecret: realSecret}, false,
			[]string{"zonectl token --role operator", "ZONEOPS_JWT_SECRET"}},
		{"an OIDC issuer", app.Common{JWKSURL: "https://idp.example/jwks.json"}, false,
			[]string{"OIDC issuer (https://idp.example/jwks.json)"}},
	}
	v, err := auth.NewHS256([]byte(app.DevJWTSecret))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			banner(&out, tt.common, info, discardLogger())
			for _, want := range tt.wantText {
				if !strings.Contains(out.String(), want) {
					t.Errorf("banner lacks %q:\n%s", want, out.String())
				}
			}
			if strings.Contains(out.String(), realSecret) {
				t.Errorf("banner prints the secret:\n%s", out.String())
			}
			tokens := jwtShape.FindAllString(out.String(), -1)
			if !tt.wantTokens {
				if len(tokens) > 0 {
					t.Errorf("banner prints %d tokens:\n%s", len(tokens), out.String())
				}
				return
			}
			roles := map[auth.Role]bool{}
			for _, tok := range tokens {
				p, err := v.Verify(context.Background(), tok)
				if err != nil {
					t.Fatalf("printed token refused: %v", err)
				}
				roles[p.Role] = true
			}
			if len(roles) != 5 {
				t.Errorf("tokens for roles %v, want all five", roles)
			}
		})
	}
}

// TestRunRefusesThePublicSecretOffTheEmbeddedDefaults: `zoneops run` with an external NATS or
// PostgreSQL and no secret stops at once, naming the variables to set.
func TestRunRefusesThePublicSecretOffTheEmbeddedDefaults(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--data-dir", t.TempDir(), "--nats-url", "nats://127.0.0.1:1"},
		{"run", "--data-dir", t.TempDir(), "--postgres-dsn", "postgres://127.0.0.1:1/none"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "ZONEOPS_JWT_SECRET") || !strings.Contains(err.Error(), "ZONEOPS_JWKS_URL") {
			t.Errorf("%v: run() = %v, want a refusal naming ZONEOPS_JWT_SECRET and ZONEOPS_JWKS_URL", args[3:], err)
		}
		if out.Len() > 0 {
			t.Errorf("%v: printed %q before refusing", args[3:], out.String())
		}
	}
}

// TestRunWithInsecureDevAuthStartsAndSaysSoLoudly: the explicit flag lets zoneops run on an
// external NATS (logged in with ZONEOPS_NATS_USER and ZONEOPS_NATS_PASSWORD) with the public
// secret, printing development tokens, and logs an error.
func TestRunWithInsecureDevAuthStartsAndSaysSoLoudly(t *testing.T) {
	// The external NATS admits one user, whose credentials come from the environment.
	user := natsx.User{Name: "zoneops", Password: "external-secret"}
	nats := natsxtest.Start(t, user)
	z := startZoneopsWith(t, t.TempDir(), map[string]string{
		"ZONEOPS_NATS_URL": nats.URL(), "ZONEOPS_NATS_USER": user.Name, "ZONEOPS_NATS_PASSWORD": user.Password,
	}, "--insecure-dev-auth")
	z.waitFor(t, "Try (in another terminal", 60*time.Second)
	if !strings.Contains(z.stdout.String(), "Development tokens") {
		t.Errorf("no development tokens printed:\n%s", z.stdout.String())
	}
	if logs := z.stderr.String(); !strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "INSECURE") {
		t.Errorf("no error logged about the insecure development auth:\n%s", logs)
	}
	z.stop(t)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
