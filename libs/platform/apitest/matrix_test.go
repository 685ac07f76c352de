package apitest_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

var thingsSecret = []byte("matrix-test-secret-0123456789abcdef")

// things is a small service: operators create things, everyone reads them. Its idempotent
// middleware keeps the key of every 2xx answer, or, when leaky, of every answer.
type things struct {
	leaky bool

	mu      sync.Mutex
	n       int
	keys    []string
	getKeys int // Idempotency-Keys sent to the read, which takes none
}

// thingsState is the fingerprint of things: what it holds and the keys it kept.
type thingsState struct{ Things, Keys int }

func (s *things) state(*testing.T) thingsState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return thingsState{Things: s.n, Keys: len(s.keys)}
}

func (s *things) add() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return fmt.Sprint(s.n)
}

func (s *things) routes() []httpx.Route {
	type P = authz.Principal[string]
	return []httpx.Route{
		auth.Route(auth.ByCode[string], "POST /v1/things", httpx.Body[map[string]any](1024), httpx.EncodeCreated,
			func(_ context.Context, p P, _ httpx.Input[map[string]any]) (any, error) {
				if p.Role != auth.Operator {
					return nil, fault.ErrForbidden
				}
				return map[string]string{"id": s.add()}, nil
			}).WithIdempotencyKey(),
		auth.Route(auth.ByCode[string], "GET /v1/things/{id}", httpx.PathID, httpx.EncodeOK, func(_ context.Context, _ P, id string) (any, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if n, err := strconv.Atoi(id); err != nil || n < 1 || n > s.n {
				return nil, fault.ErrNotFound
			}
			return map[string]string{"id": id}, nil
		}),
	}
}

func (s *things) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if key := r.Header.Get("Idempotency-Key"); key != "" && (s.leaky || rec.Code < 300) {
			s.mu.Lock()
			s.keys = append(s.keys, key)
			s.mu.Unlock()
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// matrix serves s on an httptest server and returns its role table.
func (s *things) matrix(t *testing.T) apitest.Matrix[thingsState] {
	v, err := auth.NewHS256(thingsSecret)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	auth.Mount(mux, s.routes(), v, slog.New(slog.DiscardHandler), s.idempotent)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.Header.Get("Idempotency-Key") != "" {
			s.mu.Lock()
			s.getKeys++
			s.mu.Unlock()
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cast := apitest.Cast{
		Operator:  auth.Principal{Subject: "o", Role: auth.Operator},
		Developer: auth.Principal{Subject: "d", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB"}},
		Outsider:  auth.Principal{Subject: "x", Role: auth.ZoneDeveloper, ZoneCodes: []string{"LHR"}},
		Owner:     auth.Principal{Subject: "a", Role: auth.Tenant, TenantID: "t-a"},
		Stranger:  auth.Principal{Subject: "b", Role: auth.Tenant, TenantID: "t-b"},
		Auditor:   auth.Principal{Subject: "u", Role: auth.Auditor},
		Viewer:    auth.Principal{Subject: "v", Role: auth.Viewer},
	}
	return apitest.Matrix[thingsState]{
		Routes: s.routes(),
		Client: &apitest.Client{Spec: apitest.NewSpec("testdata/things.yaml"), URL: srv.URL, Secret: thingsSecret, Now: time.Now},
		Cast:   cast, Secret: thingsSecret, State: s.state,
		Rows: []apitest.Row{
			{Route: "POST /v1/things", Body: func(p auth.Principal) any { return map[string]any{"by": p.Subject} },
				Want: apitest.Statuses{201, 403, 403, 403, 403, 403, 403}},
			{Route: "GET /v1/things/{id}", Fixture: func(*testing.T) apitest.Target { return apitest.Target{ID: s.add()} }, Want: apitest.Everyone(200)},
		},
	}
}

func TestMatrixCallsEveryRouteAsEveryCallerWithAKeyOnlyForIdempotentRoutes(t *testing.T) {
	s := &things{}
	s.matrix(t).Run(t)
	// One create succeeded (the operator's) and one thing was made for the read.
	if got := s.state(t); got != (thingsState{Things: 2, Keys: 1}) {
		t.Errorf("state after the matrix %+v, want the operator's thing and key and the read's fixture", got)
	}
	if s.getKeys != 0 {
		t.Errorf("%d Idempotency-Keys sent to the read", s.getKeys)
	}
}

// TestMatrixFailsARefusalThatKeptAnIdempotencyKey runs a matrix over a service that keeps the
// key of a refused create in a child process, which must fail naming the change.
func TestMatrixFailsARefusalThatKeptAnIdempotencyKey(t *testing.T) {
	if os.Getenv("APITEST_MATRIX_CHILD") == "1" {
		(&things{leaky: true}).matrix(t).Run(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMatrixFailsARefusalThatKeptAnIdempotencyKey$", "-test.count=1")
	cmd.Env = append(os.Environ(), "APITEST_MATRIX_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the matrix passed a refusal that kept its key:\n%s", out)
	}
	for _, want := range []string{"POST_/v1/things_by_zone_developer_of_ISB", "a refused call changed the database"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the failure does not say %q:\n%s", want, out)
		}
	}
}

func TestMatrixRowsMustBeExactlyTheRouteTable(t *testing.T) {
	tests := []struct {
		name    string
		rows    []string
		noRow   []string
		noRoute []string
	}{
		{"every route has one row", []string{"POST /v1/things", "GET /v1/things/{id}"}, nil, nil},
		{"a route without a row", []string{"POST /v1/things"}, []string{"GET /v1/things/{id}"}, nil},
		{"a row without a route", []string{"POST /v1/things", "GET /v1/things/{id}", "DELETE /v1/things/{id}"}, nil, []string{"DELETE /v1/things/{id}"}},
		{"a row twice", []string{"POST /v1/things", "GET /v1/things/{id}", "POST /v1/things"}, nil, []string{"POST /v1/things"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows []apitest.Row
			for _, r := range tt.rows {
				rows = append(rows, apitest.Row{Route: r})
			}
			noRow, noRoute := apitest.Uncovered([]string{"POST /v1/things", "GET /v1/things/{id}"}, rows)
			if !slices.Equal(noRow, tt.noRow) || !slices.Equal(noRoute, tt.noRoute) {
				t.Errorf("uncovered = %v, %v; want %v, %v", noRow, noRoute, tt.noRow, tt.noRoute)
			}
		})
	}
}
