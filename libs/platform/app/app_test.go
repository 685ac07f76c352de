package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/health"
	"github.com/zoneops/zoneops/libs/platform/logx"
	"github.com/zoneops/zoneops/libs/platform/metrics"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHandlerServesHealthMetricsAndRoutesWithRequestIDs(t *testing.T) {
	reg := metrics.NewRegistry("test", "v0")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/things/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	ready := health.NewChecker(discard(), time.Second, health.Check{Name: "database", Func: func(context.Context) error { return errors.New("down") }})
	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, l, Handler(mux, reg, ready, discard()), time.Second) }()
	base := HTTPURL(l.Addr().String())

	tests := []struct {
		path   string
		status int
	}{
		{"/healthz", http.StatusOK},
		{"/readyz", http.StatusServiceUnavailable},
		{"/v1/things/42", http.StatusTeapot},
		{"/nowhere", http.StatusNotFound},
	}
	for _, tt := range tests {
		resp, _ := get(t, base+tt.path)
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s = %d, want %d", tt.path, resp.StatusCode, tt.status)
		}
		if tt.path == "/nowhere" && resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: Content-Type %q, want problem+json", tt.path, resp.Header.Get("Content-Type"))
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no X-Request-Id on the response", tt.path)
		}
	}
	_, body := get(t, base+"/metrics")
	if !strings.Contains(body, `zoneops_http_requests_total{code="418",method="GET",route="/v1/things/{id}"} 1`) {
		t.Errorf("/metrics lacks the route's RED counter:\n%s", grep(body, "zoneops_http_requests_total"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel = %v, want nil", err)
	}
}

func grep(s, sub string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, sub) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func TestOpenDBGivesEachServiceItsOwnDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := Common{DataDir: dir}
	d, err := c.OpenDB(ctx, "tenants")
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := os.Stat(filepath.Join(dir, "tenants.db")); err != nil {
		t.Fatalf("SQLite file not under the data dir: %v", err)
	}
	if os.Getenv(dbtest.EnvPostgresDSN) == "" {
		dbtest.Dialects(t) // fails under CI
		return
	}
	// A database of its own, dropped when the test ends, so that OpenDB really has to create
	// the schema and the extension, and nothing is left on the server.
	schema := "app_test_schema"
	c = Common{PostgresDSN: dbtest.FreshDatabase(t)}
	pg, err := c.OpenDB(ctx, schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	if pg.Dialect != db.Postgres {
		t.Fatalf("dialect = %s", pg.Dialect)
	}
	var current string
	if err := pg.Get(&current, `SELECT current_schema()`); err != nil {
		t.Fatal(err)
	}
	if current != schema {
		t.Fatalf("current_schema() = %q, want %q", current, schema)
	}
	var ext int
	if err := pg.Get(&ext, `SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'`); err != nil {
		t.Fatal(err)
	}
	if ext != 1 {
		t.Fatal("OpenDB did not create btree_gist in the database")
	}
}

func TestSchemaNamesAreChecked(t *testing.T) {
	if _, err := SchemaDSN(context.Background(), "postgres://x@127.0.0.1:1/db", "Robert'); DROP"); err == nil {
		t.Fatal("a schema name with quotes must be refused before any SQL runs")
	}
}

func TestHTTPURLNamesAReachableHost(t *testing.T) {
	tests := map[string]string{
		":8081":          "http://127.0.0.1:8081",
		"0.0.0.0:8081":   "http://127.0.0.1:8081",
		"127.0.0.1:9000": "http://127.0.0.1:9000",
	}
	for in, want := range tests {
		if got := HTTPURL(in); got != want {
			t.Errorf("HTTPURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestASharedVerifierServesEveryUnit(t *testing.T) {
	shared, err := auth.NewHS256([]byte(DevJWTSecret))
	if err != nil {
		t.Fatal(err)
	}
	c := Common{Shared: shared, JWKSURL: "http://127.0.0.1:1/never-fetched"}
	got, err := c.Verifier(context.Background(), discard())
	if err != nil || got != shared {
		t.Fatalf("Verifier = %v, %v; want the shared verifier without fetching JWKS", got, err)
	}
}

func TestRunAllStopsEveryPartWhenOneFails(t *testing.T) {
	boom := errors.New("boom")
	stopped := make(chan struct{})
	err := RunAll(context.Background(),
		func(context.Context) error { return boom },
		func(ctx context.Context) error { <-ctx.Done(); close(stopped); return ctx.Err() },
	)
	if !errors.Is(err, boom) {
		t.Fatalf("RunAll = %v, want boom", err)
	}
	select {
	case <-stopped:
	default:
		t.Fatal("the other part was not stopped")
	}
}

func TestRunAllEndsQuietlyWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := RunAll(ctx, func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }); err != nil {
		t.Fatalf("RunAll after cancel = %v, want nil", err)
	}
}

// TestLogLinesOfTheServiceStackNameEachKeyOnce sends requests through Handler, the stack every
// service serves behind, with the production logger (logx.New, which adds the request id from
// the context), and parses every line it writes: each key once, and the request id that of the
// response.
func TestLogLinesOfTheServiceStackNameEachKeyOnce(t *testing.T) {
	var logs bytes.Buffer
	logger, err := logx.New(&logs, "debug", "test")
	if err != nil {
		t.Fatal(err)
	}
	logger = logger.With("service", "things") // as OpenUnit does
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/things/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	mux.HandleFunc("GET /v1/boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h := Handler(mux, metrics.NewRegistry("test", "v0"), health.NewChecker(discard(), time.Second), logger)
	for _, path := range []string{"/v1/things/42", "/v1/boom", "/nowhere", "/healthz"} {
		logs.Reset()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		id := w.Header().Get("X-Request-Id")
		access := 0
		for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
			dups, err := logx.DuplicateKeys(line)
			if err != nil {
				t.Fatal(err)
			}
			if len(dups) > 0 {
				t.Errorf("GET %s: keys %v appear more than once in %s", path, dups, line)
			}
			var rec map[string]any
			if err := json.Unmarshal(line, &rec); err != nil {
				t.Fatal(err)
			}
			if rec["request_id"] != id {
				t.Errorf("GET %s: request_id %v, want %q", path, rec["request_id"], id)
			}
			if rec["msg"] == "http request" {
				access++
			}
		}
		if access != 1 {
			t.Errorf("GET %s: %d access-log lines, want 1:\n%s", path, access, logs.String())
		}
	}
}
