package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/config"
	"github.com/zoneops/zoneops/libs/platform/health"
	"github.com/zoneops/zoneops/libs/platform/metrics"
)

func TestPprofIsOffByDefaultAndNeverOnTheAPI(t *testing.T) {
	var c Common
	if err := config.Load(CommonPrefix, &c, func(string) (string, bool) { return "", false }, nil); err != nil {
		t.Fatal(err)
	}
	if c.PprofAddr != "" {
		t.Fatalf("%sPPROF_ADDR defaults to %q, want empty (off)", CommonPrefix, c.PprofAddr)
	}
	addr, err := ServePprof(context.Background(), c.PprofAddr, discard())
	if err != nil || addr != "" {
		t.Fatalf("ServePprof with no address = %q, %v; want nothing served", addr, err)
	}

	// The API handler does not serve the profiles.
	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := health.NewChecker(discard(), time.Second)
	go func() {
		_ = Serve(ctx, l, Handler(http.NewServeMux(), metrics.NewRegistry("test", "v0"), ready, discard()), time.Second)
	}()
	if resp, _ := get(t, HTTPURL(l.Addr().String())+"/debug/pprof/"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("API port answers /debug/pprof/ with %d, want 404", resp.StatusCode)
	}
}

func TestPprofServesProfilesOnItsOwnAddressWhenSet(t *testing.T) {
	var c Common
	env := map[string]string{CommonPrefix + "PPROF_ADDR": "127.0.0.1:0"}
	if err := config.Load(CommonPrefix, &c, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := ServePprof(ctx, c.PprofAddr, discard())
	if err != nil {
		t.Fatal(err)
	}
	base := HTTPURL(addr)
	tests := []struct {
		path, want string
	}{
		{"/debug/pprof/", "goroutine"},
		{"/debug/pprof/goroutine?debug=1", "goroutine profile:"},
		{"/debug/pprof/cmdline", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, base+tt.path)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
				t.Fatalf("GET %s = %d, body %.80q; want 200 with %q", tt.path, resp.StatusCode, body, tt.want)
			}
		})
	}
}
