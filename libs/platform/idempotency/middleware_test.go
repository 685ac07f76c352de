package idempotency_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/db/dbtest"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/idempotency"
)

// principalFromHeader stands in for auth.PrincipalKeyFunc: the tests are about keys, not tokens.
func principalFromHeader(r *http.Request) (string, bool) {
	p := r.Header.Get("X-Test-Principal")
	return p, p != ""
}

// creator is a create handler that counts how often it really ran.
type creator struct {
	runs   atomic.Int64
	status atomic.Int64
}

func (c *creator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := c.runs.Add(1)
	status := int(c.status.Load())
	if status == 0 {
		status = http.StatusCreated
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", fmt.Sprintf("/v1/things/%d", n))
	w.Header().Set("X-Not-Stored", "1")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"run":%d}`, n)
}

type call struct {
	principal, key, path, body string
}

func do(h http.Handler, c call) *httptest.ResponseRecorder {
	path := c.path
	if path == "" {
		path = "/v1/things"
	}
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(c.body))
	if c.principal != "" {
		r.Header.Set("X-Test-Principal", c.principal)
	}
	if c.key != "" {
		r.Header.Set(idempotency.KeyHeader, c.key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func problemType(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var p httpx.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("body %q is not a problem: %v", w.Body, err)
	}
	return p.Type
}

func TestMiddlewareRunsEachKeyOnceAndReplaysTheFirstAnswer(t *testing.T) {
	alice := call{principal: "alice", key: "k-1", body: `{"name":"a"}`}
	tests := []struct {
		name        string
		first       call
		firstStatus int // the handler's status on the first call (default 201)
		second      call
		wantStatus  int
		wantRuns    int64
		wantReplay  bool
		wantType    string
	}{
		{"retry replays status, stored headers and body", alice, 0, alice, 201, 1, true, ""},
		{"quoted key is the same key", alice, 0, call{principal: "alice", key: `"k-1"`, body: alice.body}, 201, 1, true, ""},
		{"4xx answer is released and the retry runs", alice, 409, alice, 201, 2, false, ""},
		{"refusal is released and the retry runs", alice, 403, alice, 201, 2, false, ""},
		{"5xx answer is released and the retry runs", alice, 503, alice, 201, 2, false, ""},
		{"429 answer is released and the retry runs", alice, 429, alice, 201, 2, false, ""},
		{"same key with another body is refused", alice, 0, call{principal: "alice", key: "k-1", body: `{"name":"b"}`}, 422, 1, false, httpx.TypeBusinessRule},
		{"same key from another caller runs", alice, 0, call{principal: "bob", key: "k-1", body: alice.body}, 201, 2, false, ""},
		{"same key on another path runs", alice, 0, call{principal: "alice", key: "k-1", path: "/v1/things/9/approve", body: alice.body}, 201, 2, false, ""},
		{"without a key every request runs", call{principal: "alice", body: "{}"}, 0, call{principal: "alice", body: "{}"}, 201, 2, false, ""},
		{"without a caller every request runs", call{key: "k-1", body: "{}"}, 0, call{key: "k-1", body: "{}"}, 201, 2, false, ""},
		{"empty key is invalid", alice, 0, call{principal: "alice", key: `""`, body: alice.body}, 400, 1, false, httpx.TypeValidation},
		{"key with control characters is invalid", alice, 0, call{principal: "alice", key: "a\x01b", body: alice.body}, 400, 1, false, httpx.TypeValidation},
		{"overlong key is invalid", alice, 0, call{principal: "alice", key: strings.Repeat("k", 256), body: alice.body}, 400, 1, false, httpx.TypeValidation},
		{"body over the limit is too large", alice, 0, call{principal: "alice", key: "k-2", body: strings.Repeat("x", 2048)}, 413, 1, false, httpx.TypeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
				h := &creator{}
				h.status.Store(int64(tt.firstStatus))
				mw := idempotency.Middleware(idempotency.NewStore(d, idempotency.StoreOptions{}),
					idempotency.Config{Principal: principalFromHeader, MaxBodyBytes: 1024})(h)
				first := do(mw, tt.first)
				h.status.Store(0)
				second := do(mw, tt.second)
				if second.Code != tt.wantStatus {
					t.Fatalf("second status = %d, want %d; body %s", second.Code, tt.wantStatus, second.Body)
				}
				if got := h.runs.Load(); got != tt.wantRuns {
					t.Errorf("handler ran %d times, want %d", got, tt.wantRuns)
				}
				replayed := second.Header().Get(idempotency.ReplayedHeader) == "true"
				if replayed != tt.wantReplay {
					t.Errorf("replayed = %v, want %v", replayed, tt.wantReplay)
				}
				if tt.wantReplay {
					if !bytes.Equal(second.Body.Bytes(), first.Body.Bytes()) {
						t.Errorf("replayed body %q, first %q", second.Body, first.Body)
					}
					for _, k := range []string{"Location", "Content-Type"} {
						if second.Header().Get(k) != first.Header().Get(k) {
							t.Errorf("replayed %s = %q, first %q", k, second.Header().Get(k), first.Header().Get(k))
						}
					}
					if second.Header().Get("X-Not-Stored") != "" {
						t.Errorf("a header outside the stored list was replayed")
					}
				}
				if tt.wantType != "" {
					if got := problemType(t, second); got != tt.wantType {
						t.Errorf("problem type = %q, want %q", got, tt.wantType)
					}
				}
			}, idempotency.Migrations)
		})
	}
}

func TestMiddlewareReleasesTheKeyWhenTheHandlerPanics(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		var runs atomic.Int64
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if runs.Add(1) == 1 {
				panic("boom")
			}
			w.WriteHeader(http.StatusCreated)
		})
		mw := idempotency.Middleware(idempotency.NewStore(d, idempotency.StoreOptions{}), idempotency.Config{Principal: principalFromHeader})(h)
		c := call{principal: "alice", key: "k", body: "{}"}
		func() {
			defer func() {
				if recover() != "boom" {
					t.Fatal("panic was not passed on")
				}
			}()
			do(mw, c)
		}()
		if w := do(mw, c); w.Code != http.StatusCreated || runs.Load() != 2 {
			t.Fatalf("retry after panic = %d after %d runs, want 201 after 2", w.Code, runs.Load())
		}
	}, idempotency.Migrations)
}

// TestConcurrentDuplicatesExecuteOnce races many identical requests with one key. The first to
// reserve the key blocks in the handler until every other request has been answered, so every
// other request must have found the key in progress (409); none may run the handler.
func TestConcurrentDuplicatesExecuteOnce(t *testing.T) {
	const n = 24
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		release := make(chan struct{})
		var runs atomic.Int64
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if runs.Add(1) == 1 {
				<-release
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id":"only"}`))
		})
		store := idempotency.NewStore(d, idempotency.StoreOptions{})
		srv := httptest.NewServer(idempotency.Middleware(store, idempotency.Config{Principal: principalFromHeader})(h))
		defer srv.Close()

		type result struct {
			status   int
			body     string
			replayed bool
		}
		results := make(chan result, n)
		var start sync.WaitGroup
		start.Add(1)
		for range n {
			go func() {
				start.Wait()
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/things", strings.NewReader(`{"name":"x"}`))
				req.Header.Set("X-Test-Principal", "alice")
				req.Header.Set(idempotency.KeyHeader, "race-key")
				resp, err := srv.Client().Do(req)
				if err != nil {
					results <- result{status: -1, body: err.Error()}
					return
				}
				defer resp.Body.Close()
				var b bytes.Buffer
				_, _ = b.ReadFrom(resp.Body)
				results <- result{status: resp.StatusCode, body: b.String(), replayed: resp.Header.Get(idempotency.ReplayedHeader) == "true"}
			}()
		}
		start.Done()

		for i := 0; i < n-1; i++ {
			r := <-results
			if r.status != http.StatusConflict {
				t.Errorf("duplicate answered %d %s, want 409 while the first is in progress", r.status, r.body)
			}
		}
		close(release)
		if r := <-results; r.status != http.StatusCreated || r.replayed {
			t.Errorf("first request answered %d (replayed %v), want a fresh 201", r.status, r.replayed)
		}
		if got := runs.Load(); got != 1 {
			t.Fatalf("handler ran %d times, want 1", got)
		}

		// Once answered, a retry replays the answer without running again.
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/things", strings.NewReader(`{"name":"x"}`))
		req.Header.Set("X-Test-Principal", "alice")
		req.Header.Set(idempotency.KeyHeader, "race-key")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || resp.Header.Get(idempotency.ReplayedHeader) != "true" || runs.Load() != 1 {
			t.Fatalf("retry = %d replayed=%q after %d runs; want replayed 201 after 1 run",
				resp.StatusCode, resp.Header.Get(idempotency.ReplayedHeader), runs.Load())
		}
	}, idempotency.Migrations)
}

// TestConcurrentDuplicatesAfterStaleLockOnlyOneTakesOver races retries of a request whose
// reservation went stale (its handler hangs past the lock timeout): exactly one retry may take
// the key over and run, and the hung original can no longer store its answer.
func TestConcurrentDuplicatesAfterStaleLockOnlyOneTakesOver(t *testing.T) {
	const n = 16
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		c := newClock()
		store := newStore(d, c)
		var logs syncBuffer
		cfg := idempotency.Config{Principal: principalFromHeader, Logger: slog.New(slog.NewTextHandler(&logs, nil))}

		started, unblock := make(chan struct{}), make(chan struct{})
		hung := idempotency.Middleware(store, cfg)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			close(started)
			<-unblock
			w.WriteHeader(http.StatusCreated)
		}))
		hungDone := make(chan *httptest.ResponseRecorder)
		go func() { hungDone <- do(hung, call{principal: "alice", key: "k", body: `{}`}) }()
		<-started
		c.Advance(2 * time.Minute)

		var runs atomic.Int64
		h := idempotency.Middleware(store, cfg)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			runs.Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
		var wg sync.WaitGroup
		var fresh atomic.Int64
		for range n {
			wg.Go(func() {
				w := do(h, call{principal: "alice", key: "k", body: `{}`})
				switch {
				case w.Code == http.StatusAccepted && w.Header().Get(idempotency.ReplayedHeader) == "":
					fresh.Add(1)
				case w.Code == http.StatusAccepted, w.Code == http.StatusConflict:
				default:
					t.Errorf("status %d: %s", w.Code, w.Body)
				}
			})
		}
		wg.Wait()
		if runs.Load() != 1 || fresh.Load() != 1 {
			t.Fatalf("after a stale lock the handler ran %d times with %d fresh answers, want 1 and 1", runs.Load(), fresh.Load())
		}

		close(unblock)
		<-hungDone
		if w := do(h, call{principal: "alice", key: "k", body: `{}`}); w.Code != http.StatusAccepted {
			t.Fatalf("replay = %d, want the new owner's 202, not the hung request's 201", w.Code)
		}
		if !strings.Contains(logs.String(), "storing idempotent answer failed") {
			t.Errorf("the hung request's lost answer was not logged: %s", logs.String())
		}
	}, idempotency.Migrations)
}

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
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
