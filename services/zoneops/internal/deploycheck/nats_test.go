package deploycheck

import (
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

// TestNATSClusterConfig parses deploy/nats/nats-cluster.conf with the nats-server's own
// configuration code (the version zoneops embeds), so a syntax error or an unknown setting
// fails here, and checks the settings the file exists to show.
func TestNATSClusterConfig(t *testing.T) {
	// The file takes the node's name from the environment, as each of the three nodes does.
	t.Setenv("NATS_SERVER_NAME", "nats-1")
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
}
