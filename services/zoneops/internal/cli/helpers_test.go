package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is the clock of every test run, so minted tokens are reproducible.
var testNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// result is what one zonectl run left behind.
type result struct {
	code           int
	stdout, stderr string
}

// mustFail fails t unless zonectl exited 1, printed nothing on stdout and said every one of
// want on stderr.
func (r result) mustFail(t *testing.T, want ...string) {
	t.Helper()
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
}

// runCLI runs zonectl with args, an environment made of env only (the test process's own
// ZONEOPS_* variables must not leak in) and an empty data directory unless args name one.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return runCLIContext(ctx, t, env, stdin, args...)
}

func runCLIContext(ctx context.Context, t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	if !hasFlag(args, "--data-dir") {
		args = append([]string{"--data-dir", t.TempDir()}, args...)
	}
	var stdout, stderr bytes.Buffer
	code := Run(ctx, Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &stdout,
		Stderr: &stderr,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return testNow },
	}, args)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// recorded is one request the fake API received.
type recorded struct {
	method, query string
	path          string // escaped, as sent
	header        http.Header
	body          string
}

// fakeAPI mimics a few tenants routes: each route answers with a fixed or computed response,
// and every request is recorded for the test to inspect. It is the CLI's own test double; the
// real service is tested in its module.
type fakeAPI struct {
	t    *testing.T
	srv  *httptest.Server
	mux  *http.ServeMux
	mu   sync.Mutex
	reqs []recorded
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, mux: http.NewServeMux()}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, header: r.Header.Clone(), body: string(body)})
		f.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// reply answers pattern with a fixed status, content type and body.
func (f *fakeAPI) reply(pattern string, status int, contentType, body string) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
}

func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// only returns the single request the fake received, failing the test otherwise.
func (f *fakeAPI) only() recorded {
	f.t.Helper()
	reqs := f.requests()
	if len(reqs) != 1 {
		f.t.Fatalf("server got %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

const applicationJSON = `{"id":"0195a0b0-0000-7000-8000-000000000001","tenant_id":"0195a0b0-0000-7000-8000-0000000000aa",
"applicant":{"legal_name":"Indus Robotics (Pvt) Ltd","registration_number":"0123456","tax_number":"1234567-8","country":"PK",
"contact":{"name":"Ayesha Khan","email":"ayesha.khan@example.com","phone":"+923001234567"}},
"kind":"zone_enterprise","zone":"ISB","sector":"ai",
"commitments":{"headcount":45,"investment":{"amount_minor":250000000000,"currency":"PKR"},
"exports":{"amount_minor":9000,"currency":"PKR"},"rnd_spend":{"amount_minor":5,"currency":"KWD"}},
"status":"draft","version":1,"created_at":"2026-03-01T09:00:00Z","updated_at":"2026-03-01T09:00:00Z","paused_days":0,"history":[]}`

const licenceJSON = `{"id":"lic-1","number":"STZ-ISB-2026-0001","application_id":"app-1","tenant_id":"t-1",
"holder_name":"Indus Robotics (Pvt) Ltd","kind":"zone_enterprise","zone":"ISB","sector":"ai","size_tier":"sme",
"commitments":{"headcount":45,"investment":{"amount_minor":100,"currency":"PKR"},"exports":{"amount_minor":0,"currency":"PKR"},
"rnd_spend":{"amount_minor":0,"currency":"PKR"}},"status":"suspended","granted_at":"2026-03-01T09:00:00Z",
"valid_from":"2026-03-01","valid_until":"2036-02-29","version":2,"updated_at":"2026-03-02T09:00:00Z","history":[]}`
