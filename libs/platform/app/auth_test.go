package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

const realSecret = "0123456789abcdef0123456789abcdef" // 32 bytes

// loadCommon reads Common as a binary does: its flags, then the environment.
func loadCommon(args []string, env map[string]string) (Common, error) {
	var c Common
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := config.RegisterFlags(fs, CommonPrefix, &c, append([]string{"NATS_URL", "POSTGRES_DSN"}, AuthFlags...)...); err != nil {
		return c, err
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	err := config.Load(CommonPrefix, &c, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, fs)
	return c, err
}

// TestOnlyTheEmbeddedDefaultsRunOnThePublicSecret: off the embedded defaults a process needs a
// secret or a JWKS URL, and says which variables to set, unless insecure development auth is
// asked for, which it then logs as an error on every start; a short secret is refused
// everywhere. The verifier a process gets accepts tokens of the secret in force only.
func TestOnlyTheEmbeddedDefaultsRunOnThePublicSecret(t *testing.T) {
	const nats, pg, natsToken = "ZONEOPS_NATS_URL", "ZONEOPS_POSTGRES_DSN", "ZONEOPS_NATS_TOKEN"
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantErr  []string // parts of the refusal; nil: starts
		logLevel string   // the level of the line about the development secret; "" for none
		signer   string   // the secret that the verifier accepts
	}{
		{"embedded defaults", nil, nil, nil, "WARN", DevJWTSecret},
		{"external NATS without a secret", nil, map[string]string{nats: "nats://nats:4222"},
			[]string{"ZONEOPS_JWT_SECRET", "ZONEOPS_JWKS_URL", "--insecure-dev-auth", "ZONEOPS_INSECURE_DEV_AUTH"}, "", ""},
		{"PostgreSQL without a secret", nil, map[string]string{pg: "postgres://db/zoneops"},
			[]string{"ZONEOPS_JWT_SECRET", "ZONEOPS_JWKS_URL"}, "", ""},
		{"external with --insecure-dev-auth", []string{"--insecure-dev-auth"}, map[string]string{nats: "nats://nats:4222", natsToken: "t"}, nil, "ERROR", DevJWTSecret},
		{"external with ZONEOPS_INSECURE_DEV_AUTH=true", nil, map[string]string{pg: "postgres://db/zoneops", "ZONEOPS_INSECURE_DEV_AUTH": "true"}, nil, "ERROR", DevJWTSecret},
		{"external with ZONEOPS_INSECURE_DEV_AUTH=false", nil, map[string]string{pg: "postgres://db/zoneops", "ZONEOPS_INSECURE_DEV_AUTH": "false"},
			[]string{"ZONEOPS_JWT_SECRET"}, "", ""},
		{"external with a secret", nil, map[string]string{nats: "nats://nats:4222", natsToken: "t", "ZONEOPS_JWT_SECRET": realSecret}, nil, "", realSecret},
		{"short secret on the embedded defaults", nil, map[string]string{"ZONEOPS_JWT_SECRET": "tooshort"},
			[]string{"ZONEOPS_JWT_SECRET is 8 bytes, need at least 32"}, "", ""},
		{"short secret off them, even with insecure dev auth", []string{"--insecure-dev-auth"},
			map[string]string{nats: "nats://nats:4222", "ZONEOPS_JWT_SECRET": realSecret[:31]}, []string{"ZONEOPS_JWT_SECRET is 31 bytes"}, "", ""},
		{"a negative maximum lifetime", nil, map[string]string{"ZONEOPS_JWT_MAX_LIFETIME": "-1h"}, []string{"ZONEOPS_JWT_MAX_LIFETIME must not be negative"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadCommon(tt.args, tt.env)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("configuration accepted, want a refusal")
				}
				for _, want := range tt.wantErr {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("refusal %q does not say %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			v, err := c.Verifier(context.Background(), slog.New(slog.NewJSONHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			devLine := strings.Contains(logs.String(), "development JWT secret")
			switch {
			case tt.logLevel == "" && devLine:
				t.Errorf("logged about the development secret: %s", logs.String())
			case tt.logLevel != "" && (!devLine || !strings.Contains(logs.String(), `"level":"`+tt.logLevel+`"`)):
				t.Errorf("want a %s line about the development secret, logged: %s", tt.logLevel, logs.String())
			}
			for _, signer := range []string{DevJWTSecret, realSecret} {
				tok, err := auth.Mint([]byte(signer), auth.Principal{Subject: "op", Role: auth.Operator}, time.Hour, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				_, err = v.Verify(context.Background(), tok)
				if accepted := err == nil; accepted != (signer == tt.signer) {
					t.Errorf("token signed with %.8s...: accepted %v, want %v (%v)", signer, accepted, signer == tt.signer, err)
				}
			}
		})
	}
}

// TestVerifierRefusesThePublicSecretOffTheDefaultsHoweverItIsConfigured: a Common filled in by
// code rather than config.Load is held to the same rule.
func TestVerifierRefusesThePublicSecretOffTheDefaultsHoweverItIsConfigured(t *testing.T) {
	c := Common{NATSURL: "nats://nats:4222"}
	if _, err := c.Verifier(context.Background(), discard()); err == nil || !strings.Contains(err.Error(), "ZONEOPS_JWT_SECRET") {
		t.Fatalf("Verifier() error = %v, want a refusal naming ZONEOPS_JWT_SECRET", err)
	}
}

// TestVerifierBoundsTokenLifetimes: ZONEOPS_JWT_MAX_LIFETIME reaches the verifier.
func TestVerifierBoundsTokenLifetimes(t *testing.T) {
	c, err := loadCommon(nil, map[string]string{"ZONEOPS_JWT_MAX_LIFETIME": "2h"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Verifier(context.Background(), discard())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ttl time.Duration
		ok  bool
	}{{2 * time.Hour, true}, {3 * time.Hour, false}} {
		tok, _ := auth.Mint([]byte(DevJWTSecret), auth.Principal{Subject: "op", Role: auth.Operator}, tt.ttl, time.Now())
		if _, err := v.Verify(context.Background(), tok); (err == nil) != tt.ok || (err != nil && !errors.Is(err, fault.ErrUnauthenticated)) {
			t.Errorf("token for %s: err %v, want accepted %v", tt.ttl, err, tt.ok)
		}
	}
}

// TestRunServiceRefusesToStartOnThePublicSecretOffTheDefaults: a single-service binary stops
// before connecting anywhere, naming the variables to set.
func TestRunServiceRefusesToStartOnThePublicSecretOffTheDefaults(t *testing.T) {
	var pc struct {
		HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:0"`
	}
	opened := false
	env := map[string]string{"ZONEOPS_NATS_URL": "nats://127.0.0.1:1"}
	err := RunService(context.Background(), Program{Name: "svc", EnvPrefix: "ZONEOPS_SVC_", Config: &pc,
		Open: func(context.Context, Common, *NATS, *slog.Logger) (Unit, error) {
			opened = true
			return Unit{}, errors.New("opened")
		},
	}, nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, io.Discard, func(string) {})
	if err == nil || !strings.Contains(err.Error(), "ZONEOPS_JWT_SECRET") || !strings.Contains(err.Error(), "ZONEOPS_JWKS_URL") || opened {
		t.Fatalf("RunService() = %v (opened %v), want a refusal naming ZONEOPS_JWT_SECRET and ZONEOPS_JWKS_URL", err, opened)
	}
}
