package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// TestAnExternalNATSNeedsCredentials: with NATS_URL set a process refuses to start without a
// NATS credential, naming the variables to set, unless --insecure-nats asks for it; the
// embedded server needs none from the configuration (it makes its own).
func TestAnExternalNATSNeedsCredentials(t *testing.T) {
	const url = "ZONEOPS_NATS_URL"
	withURL := func(kv ...string) map[string]string {
		env := map[string]string{url: "nats://nats:4222", "ZONEOPS_JWT_SECRET": realSecret}
		for i := 0; i+1 < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string // parts of the refusal; nil: starts
	}{
		{"embedded server", nil, map[string]string{}, nil},
		{"external without credentials", nil, withURL(),
			[]string{"ZONEOPS_NATS_CREDS", "ZONEOPS_NATS_USER", "ZONEOPS_NATS_PASSWORD", "ZONEOPS_NATS_TOKEN", "--insecure-nats", "ZONEOPS_INSECURE_NATS"}},
		{"external with user and password", nil, withURL("ZONEOPS_NATS_USER", "tenants", "ZONEOPS_NATS_PASSWORD", "pw"), nil},
		{"external with a token", nil, withURL("ZONEOPS_NATS_TOKEN", "tok"), nil},
		{"external with a creds file", nil, withURL("ZONEOPS_NATS_CREDS", "/etc/nats/tenants.creds"), nil},
		{"external with an nkey seed", nil, withURL("ZONEOPS_NATS_NKEY_SEED_FILE", "/etc/nats/tenants.nk"), nil},
		{"external with --insecure-nats", []string{"--insecure-nats"}, withURL(), nil},
		{"external with ZONEOPS_INSECURE_NATS=true", nil, withURL("ZONEOPS_INSECURE_NATS", "true"), nil},
		{"external with ZONEOPS_INSECURE_NATS=false", nil, withURL("ZONEOPS_INSECURE_NATS", "false"), []string{"ZONEOPS_NATS_CREDS"}},
		{"a CA is no credential", nil, withURL("ZONEOPS_NATS_CA", "/etc/nats/ca.pem"), []string{"ZONEOPS_NATS_CREDS"}},
		{"a user without a password", nil, withURL("ZONEOPS_NATS_USER", "tenants"), []string{"user and password go together"}},
		{"two kinds of credential", nil, withURL("ZONEOPS_NATS_TOKEN", "tok", "ZONEOPS_NATS_CREDS", "/x.creds"), []string{"set one of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadCommon(tt.args, tt.env)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("configuration accepted, want a refusal")
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("refusal %q does not say %q", err, want)
				}
			}
		})
	}
}

// TestTheEmbeddedServerAdmitsOnlyItsUsers: each start makes a fresh password per user; a
// client without one, or with the last start's, is refused; each user gets its permissions.
func TestTheEmbeddedServerAdmitsOnlyItsUsers(t *testing.T) {
	common := Common{DataDir: t.TempDir()}
	perms := natsx.Producer("OWN", "test.own.>").Merge(natsx.StreamOwner("OWN"))
	start := func() *NATSServer {
		srv, err := common.StartNATS(map[string]*natsx.Permissions{"svc": &perms}, discard())
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	first := start()
	firstAuth, err := first.Auth("svc")
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	srv := start()
	defer srv.Close()
	auth, err := srv.Auth("svc")
	if err != nil {
		t.Fatal(err)
	}
	if auth.Password == firstAuth.Password || len(auth.Password) < 32 {
		t.Errorf("passwords %q then %q: want a fresh random one per start", firstAuth.Password, auth.Password)
	}
	for name, opts := range map[string][]nats.Option{
		"no credentials":         nil,
		"the last start's":       {nats.UserInfo("svc", firstAuth.Password)},
		"a user never announced": {nats.UserInfo("other", auth.Password)},
	} {
		if nc, err := nats.Connect(srv.URL(), opts...); err == nil {
			nc.Close()
			t.Errorf("%s: connected, want refused", name)
		} else if !errors.Is(err, nats.ErrAuthorization) {
			t.Errorf("%s: %v, want an authorization violation", name, err)
		}
	}
	if _, err := srv.Connect("other", discard()); err == nil {
		t.Error("Connect as an unknown user succeeded")
	}
	n, err := srv.Connect("svc", discard())
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ctx := context.Background()
	if _, err := natsx.EnsureStream(ctx, n.JS, natsx.StreamSpec{Name: "OWN", Subjects: []string{"test.own.>"}}); err != nil {
		t.Fatalf("the user declares its stream: %v", err)
	}
	if _, err := n.JS.Publish(ctx, "test.own.thing", nil); err != nil {
		t.Fatalf("the user publishes its subject: %v", err)
	}
}

// TestInsecureNATSIsLoggedAsAnError: a process connecting to an external NATS without
// credentials, because it was told to, says so on every start.
func TestInsecureNATSIsLoggedAsAnError(t *testing.T) {
	var logs bytes.Buffer
	c := Common{NATSURL: "nats://127.0.0.1:1", NATSAccess: NATSAccess{InsecureNATS: true}}
	srv, err := c.StartNATS(nil, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if !strings.Contains(logs.String(), `"level":"ERROR"`) || !strings.Contains(logs.String(), "INSECURE") {
		t.Fatalf("want an INSECURE error line, logged: %s", logs.String())
	}
	if _, err := (Common{NATSURL: "nats://127.0.0.1:1"}).StartNATS(nil, discard()); err == nil || !strings.Contains(err.Error(), "ZONEOPS_NATS_CREDS") {
		t.Fatalf("StartNATS without credentials = %v, want a refusal naming ZONEOPS_NATS_CREDS", err)
	}
}

// TestRunServiceRefusesAnExternalNATSWithoutCredentials: a single-service binary stops before
// connecting anywhere, naming the variables to set.
func TestRunServiceRefusesAnExternalNATSWithoutCredentials(t *testing.T) {
	var pc struct {
		HTTPAddr string `env:"HTTP_ADDR" default:"127.0.0.1:0"`
	}
	opened := false
	env := map[string]string{"ZONEOPS_NATS_URL": "nats://127.0.0.1:1", "ZONEOPS_JWT_SECRET": realSecret}
	err := RunService(context.Background(), Program{Name: "svc", EnvPrefix: "ZONEOPS_SVC_", Config: &pc,
		Open: func(context.Context, Common, *NATS, *slog.Logger) (Unit, error) {
			opened = true
			return Unit{}, errors.New("opened")
		},
	}, nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, io.Discard, func(string) {})
	if err == nil || !strings.Contains(err.Error(), "ZONEOPS_NATS_CREDS") || opened {
		t.Fatalf("RunService() = %v (opened %v), want a refusal naming ZONEOPS_NATS_CREDS", err, opened)
	}
}
