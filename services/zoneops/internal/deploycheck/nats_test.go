package deploycheck

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/zoneops/zoneops/libs/events/envelope"
	evtenants "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/dlq"
	"github.com/zoneops/zoneops/libs/platform/natsx"
	"github.com/zoneops/zoneops/libs/platform/natsx/natsxtest"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/tenants"
	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
)

// TestNATSClusterConfig parses deploy/nats/nats-cluster.conf with the nats-server's own
// configuration code (the version zoneops embeds), so a syntax error or an unknown setting
// fails here, and checks the settings the file exists to show.
func TestNATSClusterConfig(t *testing.T) {
	// The file takes the node's name and the users' passwords from the environment, as each of
	// the three nodes does.
	t.Setenv("NATS_SERVER_NAME", "nats-1")
	for _, v := range []string{"TENANTS_NATS_PASSWORD", "ALLOCATION_NATS_PASSWORD", "ZONECTL_NATS_PASSWORD"} {
		t.Setenv(v, "pw-"+v)
	}
	opts, err := server.ProcessConfigFile(path(t, "deploy", "nats", "nats-cluster.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if opts.ServerName != "nats-1" {
		t.Errorf("server_name = %q, want it from $NATS_SERVER_NAME", opts.ServerName)
	}
	if !opts.JetStream || opts.StoreDir == "" {
		t.Errorf("jetstream enabled %v, store_dir %q: want JetStream with a store directory", opts.JetStream, opts.StoreDir)
	}
	// Acknowledged events must survive an OS crash: fsync before every acknowledgement.
	if !opts.SyncAlways {
		t.Error("jetstream sync_interval must be always")
	}
	if opts.Cluster.Name == "" || opts.Cluster.Port == 0 {
		t.Errorf("cluster name %q port %d: want a named cluster with a route port", opts.Cluster.Name, opts.Cluster.Port)
	}
	if len(opts.Routes) != 3 {
		t.Errorf("%d routes, want the 3 nodes", len(opts.Routes))
	}
	if opts.NoAuthUser != "" {
		t.Errorf("no_auth_user %q lets clients in without credentials", opts.NoAuthUser)
	}

	// Each service's user may do what its code says it needs, nothing else; zonectl's may do
	// everything. The passwords are the environment's.
	users := map[string]*server.User{}
	for _, u := range opts.Users {
		users[u.Username] = u
	}
	want := map[string]*natsx.Permissions{
		tenants.Name: ptr(tenants.Definition().NATSPermissions()), allocation.Name: ptr(allocation.Definition().NATSPermissions()), cli.NATSUser: nil,
	}
	if len(users) != len(want) {
		t.Errorf("users %v, want exactly %v", slices.Sorted(maps.Keys(users)), slices.Sorted(maps.Keys(want)))
	}
	for name, perms := range want {
		u, ok := users[name]
		if !ok {
			t.Errorf("no user %q", name)
			continue
		}
		if u.Password != "pw-"+strings.ToUpper(name)+"_NATS_PASSWORD" {
			t.Errorf("user %q: password %q, want it from $%s_NATS_PASSWORD", name, u.Password, strings.ToUpper(name))
		}
		if perms == nil {
			if u.Permissions != nil {
				t.Errorf("user %q: permissions %+v, want every subject", name, u.Permissions)
			}
			continue
		}
		if u.Permissions == nil || u.Permissions.Publish == nil || u.Permissions.Subscribe == nil {
			t.Errorf("user %q may publish and subscribe to everything, want %+v", name, *perms)
			continue
		}
		p := u.Permissions
		if !sameSet(p.Publish.Allow, perms.Publish) || len(p.Publish.Deny) > 0 {
			t.Errorf("user %q publish allow %q, want %q (%s.NATSPermissions)", name, p.Publish.Allow, perms.Publish, name)
		}
		if !sameSet(p.Subscribe.Allow, perms.Subscribe) || len(p.Subscribe.Deny) > 0 {
			t.Errorf("user %q subscribe allow %q, want %q (%s.NATSPermissions)", name, p.Subscribe.Allow, perms.Subscribe, name)
		}
	}
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func ptr[T any](v T) *T { return &v }

// TestEachServicePublishesOnlyItsOwnEvents runs a JetStream server whose users have the
// services' production permissions, on streams an operator declared: allocation cannot publish
// a tenants event (the forged licence.granted that once made allocation accept a request from
// a tenant with no licence), not even by making its own stream republish into tenants'
// subjects; tenants cannot publish allocation's; each starts on its declared streams and
// publishes its own; allocation still reads and acknowledges the licence events through its
// durable.
func TestEachServicePublishesOnlyItsOwnEvents(t *testing.T) {
	tp, ap := tenants.Definition().NATSPermissions(), allocation.Definition().NATSPermissions()
	tu := natsx.User{Name: tenants.Name, Password: "tenants-pw", Permissions: &tp}
	au := natsx.User{Name: allocation.Name, Password: "allocation-pw", Permissions: &ap}
	op := natsx.User{Name: cli.NATSUser, Password: "zonectl-pw"}
	e := natsxtest.Start(t, tu, au, op)
	_, tjs := natsxtest.ConnectAs(t, e, tu.Auth())
	_, ajs := natsxtest.ConnectAs(t, e, au.Auth())
	_, ojs := natsxtest.ConnectAs(t, e, op.Auth())
	ctx := context.Background()
	specs := []natsx.StreamSpec{
		{Name: envelope.StreamTenants, Subjects: []string{envelope.SubjectsTenants}},
		{Name: envelope.StreamAllocation, Subjects: []string{envelope.SubjectsAllocation}},
	}
	for _, spec := range specs {
		if _, err := natsx.EnsureStream(ctx, ojs, spec); err != nil {
			t.Fatalf("the operator declares %s: %v", spec.Name, err)
		}
	}
	if err := dlq.EnsureStream(ctx, ojs, 1); err != nil {
		t.Fatalf("the operator declares the dead-letter stream: %v", err)
	}
	// What the services do at start-up: declare their streams, which exist as declared.
	tstream, err := natsx.EnsureStream(ctx, tjs, specs[0])
	if err != nil {
		t.Fatalf("tenants starts on TENANTS: %v", err)
	}
	if _, err := natsx.EnsureStream(ctx, ajs, specs[1]); err != nil {
		t.Fatalf("allocation starts on ALLOCATION: %v", err)
	}
	if err := dlq.EnsureStream(ctx, ajs, 1); err != nil {
		t.Fatalf("allocation starts on the dead-letter stream: %v", err)
	}
	granted := envelope.Subject(evtenants.TypeLicenceGranted)
	// A stream's owner could make the server republish its messages into any subject; allocation
	// may not change its stream's configuration at all. A refused request gets no answer: bound
	// the wait for it.
	refused, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := ajs.UpdateStream(refused, jetstream.StreamConfig{Name: envelope.StreamAllocation, Subjects: []string{envelope.SubjectsAllocation},
		RePublish: &jetstream.RePublish{Source: envelope.SubjectsAllocation, Destination: granted}}); err == nil {
		t.Error("allocation made ALLOCATION republish into " + granted)
	}
	tests := []struct {
		name    string
		js      jetstream.JetStream
		subject string
		stored  bool
	}{
		{"tenants publishes licence.granted", tjs, granted, true},
		{"allocation publishes licence.granted", ajs, granted, false},
		{"allocation publishes its own event", ajs, "zoneops.allocation.zone.registered", true},
		{"tenants publishes an allocation event", tjs, "zoneops.allocation.zone.registered", false},
		{"allocation dead-letters for its durable", ajs, dlq.Subject(allocation.LicencesDurable), true},
		{"allocation dead-letters for another durable", ajs, dlq.Subject("someone-else"), false},
		{"tenants dead-letters", tjs, dlq.Subject(allocation.LicencesDurable), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			_, err := tt.js.Publish(pctx, tt.subject, []byte("{}"))
			if tt.stored && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.stored && err == nil {
				t.Fatal("acknowledged, want refused")
			}
		})
	}
	info, err := tstream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Fatalf("TENANTS holds %d messages, want tenants' 1", info.State.Msgs)
	}

	c, err := natsx.EnsureConsumer(ctx, ajs, natsx.ConsumerSpec{Stream: envelope.StreamTenants, Durable: allocation.LicencesDurable, FilterSubjects: []string{"zoneops.tenants.licence.>"}})
	if err != nil {
		t.Fatalf("allocation declares its durable: %v", err)
	}
	batch, err := c.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for m := range batch.Messages() {
		n++
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatalf("allocation acknowledges: %v", err)
		}
	}
	if n != 1 {
		t.Fatalf("allocation read %d licence events, want 1", n)
	}
	refused, cancel = context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := natsx.EnsureConsumer(refused, ajs, natsx.ConsumerSpec{Stream: envelope.StreamTenants, Durable: "another"}); err == nil {
		t.Error("allocation made a durable it was not given")
	}
}
