package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
)

// syncBuffer is a bytes.Buffer safe to read while the program writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunStartsEveryServiceOnEmbeddedDefaults is what `make run` does: no NATS or database
// configured, so an embedded JetStream and SQLite files under the data dir; the banner names
// the URLs, a token per role and commands to try; zoneops.json tells zonectl where things are;
// the process stops cleanly when its context ends.
func TestRunStartsEveryServiceOnEmbeddedDefaults(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ZONEOPS_TENANTS_HTTP_ADDR": "127.0.0.1:0", "ZONEOPS_ALLOCATION_HTTP_ADDR": "127.0.0.1:0"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"run", "--data-dir", dir}, func(k string) string { return env[k] }, &stdout, &stderr)
	}()

	var info cli.RuntimeInfo
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if info, err = cli.ReadRuntimeInfo(dir); err == nil && strings.Contains(stdout.String(), "Try (in another terminal") {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v\nstderr:\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("zoneops did not start in time\nstderr:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	if !strings.HasPrefix(info.NATSURL, "nats://127.0.0.1:") || strings.HasSuffix(info.NATSURL, ":4222") {
		t.Errorf("NATS URL %q: want an embedded server on a free port", info.NATSURL)
	}
	for _, service := range []string{"tenants", "allocation"} {
		resp, err := http.Get(info.Services[service] + "/readyz")
		if err != nil {
			t.Fatalf("%s: %v", service, err)
		}
		var ready struct{ Status string }
		json.NewDecoder(resp.Body).Decode(&ready)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || ready.Status != "ok" {
			t.Errorf("%s /readyz = %d %q, want 200 ok", service, resp.StatusCode, ready.Status)
		}
		if _, err := os.Stat(filepath.Join(dir, service+".db")); err != nil {
			t.Errorf("no SQLite file for %s under the data dir: %v", service, err)
		}
	}
	for _, want := range []string{"operator ", "zone_developer ", "tenant ", "auditor ", "viewer ", "zonectl applications create", "zonectl events tail", info.Services["tenants"], info.Services["allocation"]} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, stdout.String())
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("zoneops did not stop after its context ended")
	}
}

func TestRunWithoutASubcommandIsAUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, func(string) string { return "" }, &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "Usage: zoneops run") {
		t.Fatalf("run() = %v, stderr %q; want a usage error", err, errOut.String())
	}
}
