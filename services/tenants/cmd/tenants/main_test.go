package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestTenantsRunsAlone shows that the service runs on its own binary with the same embedded
// defaults as the all-in-one process, answers /readyz, and stops when its context ends.
func TestTenantsRunsAlone(t *testing.T) {
	env := map[string]string{"ZONEOPS_DATA_DIR": t.TempDir(), "ZONEOPS_LOG_LEVEL": "warn"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--http-addr", "127.0.0.1:0"}, lookup, io.Discard, func(u string) { urls <- u })
	}()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("tenants did not start in time")
	}
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz = %d, want 200", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("tenants did not stop after its context ended")
	}
}

// TestPprofIsServedOnItsOwnAddressWhenAskedFor: with ZONEOPS_PPROF_ADDR set, the process
// serves /debug/pprof/ there and not on the API's address.
func TestPprofIsServedOnItsOwnAddressWhenAskedFor(t *testing.T) {
	// A free port: taken and given back, since the listener's address is not reported.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pprofAddr := l.Addr().String()
	l.Close()
	env := map[string]string{"ZONEOPS_DATA_DIR": t.TempDir(), "ZONEOPS_LOG_LEVEL": "warn", "ZONEOPS_PPROF_ADDR": pprofAddr}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	urls := make(chan string, 1)
	go func() {
		done <- run(ctx, []string{"--http-addr", "127.0.0.1:0"}, lookup, io.Discard, func(u string) { urls <- u })
	}()
	defer func() { cancel(); <-done }()
	var api string
	select {
	case api = <-urls:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("tenants did not start in time")
	}
	status := func(url string) int {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("http://" + pprofAddr + "/debug/pprof/"); got != http.StatusOK {
		t.Errorf("GET /debug/pprof/ on %s = %d, want 200", pprofAddr, got)
	}
	if got := status(api + "/debug/pprof/"); got != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ on the API = %d, want 404", got)
	}
}
