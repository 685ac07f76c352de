package main

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
)

// runMainEnv makes the test binary run main() instead of the tests, so the tests can start
// zoneops as a process and signal it as Ctrl-C or an orchestrator would.
const runMainEnv = "ZONEOPS_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Args = append([]string{os.Args[0]}, strings.Fields(os.Getenv(runMainEnv+"_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestAnInterruptOrTerminateStopsCleanly: on SIGINT (Ctrl-C) and SIGTERM the process stops
// every service and exits 0, and a clean shutdown logs no warning or error (the public
// development secret's warning at start-up aside).
func TestAnInterruptOrTerminateStopsCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr apitest.SyncBuffer
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), runMainEnv+"=1", runMainEnv+"_ARGS=run --data-dir "+dir,
				"ZONEOPS_TENANTS_HTTP_ADDR=127.0.0.1:0", "ZONEOPS_ALLOCATION_HTTP_ADDR=127.0.0.1:0")
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() {
				if cmd.ProcessState == nil {
					_ = cmd.Process.Kill()
					<-exited
				}
			})
			apitest.Eventually(t, "zoneops to be ready", func() bool {
				select {
				case err := <-exited:
					exited <- err
					t.Fatalf("zoneops ended before it was ready: %v\nstderr:\n%s", err, stderr.String())
				default:
				}
				info, err := cli.ReadRuntimeInfo(dir)
				if err != nil || info.Services["allocation"] == "" {
					return false
				}
				resp, err := http.Get(info.Services["allocation"] + "/readyz")
				if err != nil {
					return false
				}
				resp.Body.Close()
				return resp.StatusCode == http.StatusOK
			})
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(30 * time.Second):
				t.Fatalf("zoneops did not stop within 30s of %v\nstderr:\n%s", sig, stderr.String())
			}
			if err != nil {
				t.Fatalf("zoneops exited with %v after %v, want status 0\nstderr:\n%s", err, sig, stderr.String())
			}
			for _, line := range strings.Split(stderr.String(), "\n") {
				if (strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`)) &&
					!strings.Contains(line, "public development JWT secret") {
					t.Errorf("logged at shutdown: %s", line)
				}
			}
		})
	}
}
