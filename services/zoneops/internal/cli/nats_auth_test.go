package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
)

// TestEventsTailLogsInWithTheCredentialsOfALocalZoneops: against the embedded server of a
// local `zoneops run`, which admits only its users, zonectl finds the URL in zoneops.json and
// its password in the 0600 file beside it; ZONEOPS_NATS_USER/PASSWORD work for a server named
// by hand; without a credential the server refuses and zonectl says so.
func TestEventsTailLogsInWithTheCredentialsOfALocalZoneops(t *testing.T) {
	producer := natsx.Producer(envelope.StreamTenants, envelope.SubjectsTenants).Merge(natsx.StreamOwner(envelope.StreamTenants))
	svc := natsx.User{Name: "tenants", Password: "tenants-pw", Permissions: &producer}
	op := natsx.User{Name: NATSUser, Password: "zonectl-pw"}
	srv := natsxtest.Start(t, svc, op)
	_, js := natsxtest.ConnectAs(t, srv, svc.Auth())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := natsx.EnsureStream(ctx, js, natsx.StreamSpec{Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}}); err != nil {
		t.Fatal(err)
	}
	e := publishEnvelope(t, js, "lic-0001", 1)

	local := t.TempDir()
	if err := WriteRuntimeInfo(local, RuntimeInfo{NATSURL: srv.URL(), Services: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteNATSCredentials(local, NATSCredentials{User: op.Name, Password: op.Password}); err != nil {
		t.Fatal(err)
	}
	bare := t.TempDir()
	if err := WriteRuntimeInfo(bare, RuntimeInfo{NATSURL: srv.URL(), Services: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	tail := []string{"events", "tail", "--from-start", "-n", "1"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		ok   bool
	}{
		{"the local zoneops's files", nil, append([]string{"--data-dir", local}, tail...), true},
		{"credentials from the environment", map[string]string{"ZONEOPS_NATS_USER": op.Name, "ZONEOPS_NATS_PASSWORD": op.Password},
			append([]string{"--data-dir", bare, "--nats-url", srv.URL()}, tail...), true},
		// The local password is never sent to a server named by hand.
		{"a server named by hand", nil, append([]string{"--data-dir", local, "--nats-url", srv.URL()}, tail...), false},
		{"no credentials file", nil, append([]string{"--data-dir", bare}, tail...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, tt.env, "", tt.args...)
			if tt.ok {
				if res.code != 0 || !strings.Contains(res.stdout, e.AggregateID) {
					t.Fatalf("exit %d\nstdout %s\nstderr %s", res.code, res.stdout, res.stderr)
				}
				return
			}
			if res.code == 0 || !strings.Contains(res.stderr, "refused zonectl's credentials") || !strings.Contains(res.stderr, "ZONEOPS_NATS_USER") {
				t.Fatalf("exit %d, want a refusal that says which credentials to set\nstdout %s\nstderr %s", res.code, res.stdout, res.stderr)
			}
		})
	}
}
