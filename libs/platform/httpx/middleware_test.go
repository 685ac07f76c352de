package httpx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-kit/kit/endpoint"
	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/libs/platform/logx"
	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

// jsonLogger is the logger every zoneops process runs with (logx.New, at debug level), writing
// to w: it adds the request id from the context.
func jsonLogger(t *testing.T, w io.Writer) *slog.Logger {
	t.Helper()
	logger, err := logx.New(w, "debug", "test")
	if err != nil {
		t.Fatal(err)
	}
	return logger
}

func TestRequestIDHonoursOnlySaneIncomingIDs(t *testing.T) {
	tests := []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"missing id is generated", "", false},
		{"gateway uuid is kept", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", true},
		{"token-ish id is kept", "gw_01:abc.DEF-9", true},
		{"spaces are refused", "abc def", false},
		{"log forging is refused", "abc\"}{\"admin\":true", false},
		{"overlong id is refused", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen string
			h := httpx.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = reqctx.RequestIDFrom(r.Context())
			}))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.incoming != "" {
				r.Header.Set(httpx.RequestIDHeader, tt.incoming)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if got := w.Header().Get(httpx.RequestIDHeader); got != seen {
				t.Errorf("response id %q differs from context id %q", got, seen)
			}
			if tt.keep {
				if seen != tt.incoming {
					t.Errorf("id = %q, want incoming %q", seen, tt.incoming)
				}
				return
			}
			if _, err := uuid.Parse(seen); err != nil {
				t.Errorf("generated id %q is not a UUID: %v", seen, err)
			}
		})
	}
}

func TestRecoverAnswersPanicsWithA500ProblemAndLogsTheStack(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantStatus int
		wantLog    bool
	}{
		{"panic before writing becomes 500 problem", func(http.ResponseWriter, *http.Request) { panic("boom") }, 500, true},
		{"panic after writing keeps the status", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusAccepted)
			panic("late boom")
		}, 202, true},
		{"no panic passes through", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }, 418, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := jsonLogger(t, &logs)
			h := httpx.RequestID(httpx.Recover(logger)(tt.handler))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/x", nil))
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if tt.wantStatus == 500 {
				var p httpx.Problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Type != httpx.TypeInternal {
					t.Errorf("body = %s, want internal problem", w.Body)
				}
				if strings.Contains(w.Body.String(), "boom") {
					t.Errorf("panic value leaked to the client: %s", w.Body)
				}
			}
			logged := strings.Contains(logs.String(), "panic while handling request")
			if logged != tt.wantLog {
				t.Fatalf("logged = %v, want %v", logged, tt.wantLog)
			}
			if logged && (!strings.Contains(logs.String(), "goroutine") || !strings.Contains(logs.String(), "request_id")) {
				t.Errorf("panic log lacks stack or request id: %s", logs.String())
			}
		})
	}
}

func TestRecoverReraisesErrAbortHandler(t *testing.T) {
	h := httpx.Recover(slog.New(slog.DiscardHandler))(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
}

func TestAccessLogRecordsStatusRouteAndRequestID(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		wantRoute string
		wantCode  float64
		wantLevel string
	}{
		{"matched route is logged by pattern", "/v1/things/42", "GET /v1/things/{id}", 200, "INFO"},
		{"unmatched path has empty route", "/nope", "", 404, "INFO"},
		{"server error logs at error level", "/v1/fail", "GET /v1/fail", 500, "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("GET /v1/things/{id}", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
			mux.HandleFunc("GET /v1/fail", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
			var logs bytes.Buffer
			logger := jsonLogger(t, &logs)
			h := httpx.RequestID(httpx.AccessLog(logger)(mux))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, tt.path, nil))
			var rec map[string]any
			if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
				t.Fatalf("log %q: %v", logs.String(), err)
			}
			if rec["route"] != tt.wantRoute || rec["status"] != tt.wantCode || rec["level"] != tt.wantLevel {
				t.Errorf("log = %v, want route %q status %v level %s", rec, tt.wantRoute, tt.wantCode, tt.wantLevel)
			}
			if id, _ := rec["request_id"].(string); id == "" {
				t.Errorf("log lacks request id: %v", rec)
			}
		})
	}
}

// TestEveryLogLineOfARequestNamesEachKeyOnce runs requests through the stack every service
// runs (request id, access log, panic recovery, a go-kit endpoint) with the production logger
// and parses every line: each key once, and the request id the one the response carries.
func TestEveryLogLineOfARequestNamesEachKeyOnce(t *testing.T) {
	tests := []struct {
		name  string
		ep    endpoint.Endpoint
		lines int // access log, and the error logger's or the recovery's line
	}{
		{"a success", func(context.Context, any) (any, error) { return createResponse{ID: "1"}, nil }, 1},
		{"a client error, logged at debug", func(context.Context, any) (any, error) { return nil, fault.ErrForbidden }, 2},
		{"a server error", func(context.Context, any) (any, error) { return nil, errors.New("disk on fire") }, 2},
		{"a panic", func(context.Context, any) (any, error) { panic("boom") }, 2},
	}
	for _, tt := range tests {
		for _, incoming := range []string{"", "gw-42"} {
			t.Run(tt.name+"/incoming id "+incoming, func(t *testing.T) {
				var logs bytes.Buffer
				logger := jsonLogger(t, &logs)
				h := httpx.RequestID(httpx.AccessLog(logger)(httpx.Recover(logger)(newServer(logger, tt.ep, http.StatusCreated))))
				r := httptest.NewRequest(http.MethodPost, "/v1/things", strings.NewReader(`{"name":"a"}`))
				if incoming != "" {
					r.Header.Set(httpx.RequestIDHeader, incoming)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				id := w.Header().Get(httpx.RequestIDHeader)
				lines := bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n"))
				if len(lines) != tt.lines {
					t.Fatalf("%d log lines, want %d:\n%s", len(lines), tt.lines, logs.String())
				}
				for _, line := range lines {
					dups, err := logx.DuplicateKeys(line)
					if err != nil {
						t.Fatal(err)
					}
					if len(dups) > 0 {
						t.Errorf("keys %v appear more than once in %s", dups, line)
					}
					var rec map[string]any
					if err := json.Unmarshal(line, &rec); err != nil {
						t.Fatal(err)
					}
					if rec["request_id"] != id {
						t.Errorf("request_id %v, want the response's %q: %s", rec["request_id"], id, line)
					}
				}
			})
		}
	}
}
