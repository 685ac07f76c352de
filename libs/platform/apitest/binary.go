package apitest

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/config"
)

// Main is a service binary's run function, as app.RunService takes its arguments: it serves until
// ctx ends and calls listening with the API's URL once it is served.
type Main func(ctx context.Context, args []string, lookup config.Lookup, stderr io.Writer, listening func(url string)) error

// processWait bounds how long a binary may take to start or to stop: long enough for an embedded
// NATS server and migrations on a loaded machine.
const processWait = 30 * time.Second

// Process is a service binary running in the test's process, on a free port.
type Process struct {
	// URL is the API's base URL.
	URL string

	name   string
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// Start runs main as the binary called name does, on 127.0.0.1 with a free port, the embedded
// defaults, a fresh data directory, warn-level logs and the variables in env on top. It fails t
// unless the API is served in time, and stops the process when t ends.
func Start(t testing.TB, name string, main Main, env map[string]string) *Process {
	t.Helper()
	vars := map[string]string{"ZONEOPS_DATA_DIR": t.TempDir(), "ZONEOPS_LOG_LEVEL": "warn"}
	maps.Copy(vars, env)
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	ctx, cancel := context.WithCancel(context.Background())
	p := &Process{name: name, cancel: cancel, done: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		p.done <- main(ctx, []string{"--http-addr", "127.0.0.1:0"}, lookup, io.Discard, func(u string) { urls <- u })
	}()
	t.Cleanup(func() { _ = p.Stop() })
	select {
	case p.URL = <-urls:
	case err := <-p.done:
		p.once.Do(func() { cancel(); p.err = err })
		t.Fatalf("%s ended early: %v", name, err)
	case <-time.After(processWait):
		t.Fatalf("%s did not start in time", name)
	}
	return p
}

// Stop ends the process's context and returns what its run function returned, or an error if it
// did not return in time. Calls after the first return the same result.
func (p *Process) Stop() error {
	p.once.Do(func() {
		p.cancel()
		select {
		case p.err = <-p.done:
		case <-time.After(processWait):
			p.err = fmt.Errorf("%s did not stop after its context ended", p.name)
		}
	})
	return p.err
}

// status is the status code of a GET of url, failing t if the request cannot be made.
func status(t testing.TB, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// CheckRunsAlone checks that the binary called name runs on its own with the same embedded
// defaults as the all-in-one process, answers /readyz, and stops cleanly when its context ends.
func CheckRunsAlone(t *testing.T, name string, main Main) {
	t.Helper()
	p := Start(t, name, main, nil)
	if got := status(t, p.URL+"/readyz"); got != http.StatusOK {
		t.Fatalf("/readyz = %d, want 200", got)
	}
	if err := p.Stop(); err != nil {
		t.Fatalf("run after cancel = %v, want nil", err)
	}
}

// CheckPprofApart checks that with ZONEOPS_PPROF_ADDR set, the binary called name serves
// /debug/pprof/ there and not on the API's address.
func CheckPprofApart(t *testing.T, name string, main Main) {
	t.Helper()
	// A free port: taken and given back, since the pprof listener's address is not reported.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pprofAddr := l.Addr().String()
	l.Close()
	p := Start(t, name, main, map[string]string{"ZONEOPS_PPROF_ADDR": pprofAddr})
	if got := status(t, "http://"+pprofAddr+"/debug/pprof/"); got != http.StatusOK {
		t.Errorf("GET /debug/pprof/ on %s = %d, want 200", pprofAddr, got)
	}
	if got := status(t, p.URL+"/debug/pprof/"); got != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ on the API = %d, want 404", got)
	}
}
