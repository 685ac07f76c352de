package main

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// TestAllocationRunsAlone shows that the service runs on its own binary with the same embedded
// defaults as the all-in-one process, answers /readyz, and stops when its context ends.
func TestAllocationRunsAlone(t *testing.T) {
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
		t.Fatal("allocation did not start in time")
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
		t.Fatal("allocation did not stop after its context ended")
	}
}
