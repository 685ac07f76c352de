package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
)

// Header names.
const (
	// KeyHeader carries the client's key (draft-ietf-httpapi-idempotency-key-header).
	KeyHeader = "Idempotency-Key"
	// ReplayedHeader marks a response that is a stored answer rather than a fresh one.
	ReplayedHeader = "Idempotent-Replayed"
)

// maxKeyLen bounds keys: clients use UUIDs, and the key is part of a primary key.
const maxKeyLen = 255

// Config configures the middleware.
type Config struct {
	// Principal names the verified caller of a request (auth.PrincipalKeyFunc). Keys are scoped
	// by caller so that one client can never be handed another's answer, which needs a name for
	// everything that decides what the caller may do (role, tenant, zones, subject), not merely
	// its subject. Requests without a caller pass through untouched: the endpoint will refuse
	// them anyway. Required.
	Principal func(r *http.Request) (string, bool)
	// MaxBodyBytes bounds the request body read for hashing (default 1 MiB). Use the same
	// limit as the endpoint's DecodeJSON.
	MaxBodyBytes int64
	// Headers lists the response headers stored and replayed besides the status and body
	// (default Content-Type, Location, ETag).
	Headers []string
	// Logger receives failures to store an answer; the client has its answer by then, so
	// nobody else would hear of them. Default: discard.
	Logger *slog.Logger
}

// Middleware wraps the handler of a creating route. A request with an Idempotency-Key runs once
// per key, caller (the whole principal), method and path: a retry gets the stored status, headers and body (marked
// Idempotent-Replayed: true); the same key with a different request is a 422; a duplicate that
// arrives while the first still runs is a 409 with Retry-After. Only 2xx answers are stored;
// after any other answer (or a panic) the key is released so that a retry runs again.
//
// The scope uses the request path rather than the route pattern, so that one key sent to
// /v1/applications/1/approve and /v1/applications/2/approve means two requests, not a replay.
func Middleware(s *Store, cfg Config) func(http.Handler) http.Handler {
	if cfg.Principal == nil {
		panic("idempotency: Config.Principal is required")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Headers == nil {
		cfg.Headers = []string{"Content-Type", "Location", "ETag"}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw, present := r.Header[KeyHeader]
			if !present {
				next.ServeHTTP(w, r)
				return
			}
			key, err := parseKey(raw)
			if err != nil {
				httpx.WriteError(w, r, err)
				return
			}
			principal, ok := cfg.Principal(r)
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			body, err := readBody(r, cfg.MaxBodyBytes)
			if err != nil {
				httpx.WriteError(w, r, err)
				return
			}
			scope := scopeOf(principal, r)
			res, err := s.Reserve(r.Context(), scope, key, requestHash(r, body))
			if err != nil {
				cfg.Logger.ErrorContext(r.Context(), "reserving idempotency key failed", "error", err)
				httpx.WriteError(w, r, fmt.Errorf("%w: %w", fault.ErrUnavailable, err))
				return
			}
			switch res.Outcome {
			case Mismatch:
				httpx.WriteError(w, r, fmt.Errorf("%w: this Idempotency-Key was already used for a different request", fault.ErrRule))
				return
			case InProgress:
				w.Header().Set("Retry-After", "1")
				httpx.WriteError(w, r, fmt.Errorf("%w: a request with this Idempotency-Key is in progress", fault.ErrConflict))
				return
			case Replay:
				replay(w, res.Response)
				return
			}
			run(w, r, next, s, cfg, scope, key, res.Token)
		})
	}
}

// scopeOf is what a key belongs to: caller, method and path, encoded so that no caller name
// (which the middleware does not control) can run into the method or path.
func scopeOf(principal string, r *http.Request) string {
	b, err := json.Marshal([]string{principal, r.Method, r.URL.EscapedPath()})
	if err != nil {
		panic(err) // strings always marshal
	}
	return string(b)
}

// run serves a reserved request and stores or releases its answer.
func run(w http.ResponseWriter, r *http.Request, next http.Handler, s *Store, cfg Config, scope, key, token string) {
	capture := &captureWriter{ResponseWriter: w}
	// The answer is stored even if the client has gone: the work is done, and its retry must
	// get this answer rather than run the work again.
	finish := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	}
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		ctx, cancel := finish()
		defer cancel()
		if err := s.Release(ctx, scope, key, token); err != nil {
			cfg.Logger.ErrorContext(ctx, "releasing idempotency key after panic failed", "error", err)
		}
		panic(v)
	}()
	next.ServeHTTP(capture, r)

	ctx, cancel := finish()
	defer cancel()
	status := capture.status()
	if storable(status) {
		resp := Response{Status: status, Header: http.Header{}, Body: capture.body.Bytes()}
		for _, h := range cfg.Headers {
			if vs := w.Header().Values(h); len(vs) > 0 {
				resp.Header[http.CanonicalHeaderKey(h)] = append([]string(nil), vs...)
			}
		}
		if err := s.Complete(ctx, scope, key, token, resp); err != nil {
			// The key stays reserved until the lock times out; a retry then runs again, which
			// is the best that can be done without the answer.
			cfg.Logger.ErrorContext(ctx, "storing idempotent answer failed", "error", err, "status", status)
		}
		return
	}
	if err := s.Release(ctx, scope, key, token); err != nil && !errors.Is(err, ErrLockLost) {
		cfg.Logger.ErrorContext(ctx, "releasing idempotency key failed", "error", err, "status", status)
	}
}

// storable reports whether an answer is one to replay: a 2xx, the one answer that did the work
// the key guards. A refusal (4xx) changed nothing, so its retry is judged afresh (the caller may
// have been given the role, or the record moved into the state, that it lacked) and the refusal
// leaves no row behind; after a 5xx the client cannot tell whether the work was done, and a
// retry must be allowed to find out by running.
func storable(status int) bool {
	return status >= 200 && status < 300
}

func replay(w http.ResponseWriter, resp Response) {
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.Header().Set(ReplayedHeader, "true")
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// parseKey accepts the key as a structured-field string ("abc", as the IETF draft specifies)
// or bare (abc, as most clients send it).
func parseKey(raw []string) (string, error) {
	if len(raw) != 1 {
		return "", fault.Invalid(KeyHeader, "must be given once")
	}
	key := strings.TrimSpace(raw[0])
	if len(key) >= 2 && key[0] == '"' && key[len(key)-1] == '"' {
		key = key[1 : len(key)-1]
	}
	if key == "" || len(key) > maxKeyLen {
		return "", fault.Invalid(KeyHeader, fmt.Sprintf("must be 1 to %d characters", maxKeyLen))
	}
	for _, c := range []byte(key) {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return "", fault.Invalid(KeyHeader, "must be printable ASCII without quotes or backslashes")
		}
	}
	return key, nil
}

// readBody reads the whole body for hashing and puts it back for the handler.
func readBody(r *http.Request, maxBytes int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBytes+1))
	_ = r.Body.Close()
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr) || int64(len(body)) > maxBytes:
		return nil, fmt.Errorf("request body exceeds %d bytes: %w", maxBytes, fault.ErrTooLarge)
	case err != nil:
		return nil, fault.Invalid("body", "could not be read")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// requestHash identifies what the request asks for. The query string is included because it
// can change what a POST does; the method and path are in the scope already.
func requestHash(r *http.Request, body []byte) string {
	h := sha256.New()
	_, _ = io.WriteString(h, r.URL.RawQuery)
	_, _ = h.Write([]byte{0})
	_, _ = h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// captureWriter passes a response through while keeping a copy to store.
type captureWriter struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	if c.code == 0 && code >= http.StatusOK {
		c.code = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.code == 0 {
		c.code = http.StatusOK
	}
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

func (c *captureWriter) status() int {
	if c.code == 0 {
		return http.StatusOK
	}
	return c.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *captureWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
