package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/google/uuid"

	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds a client-supplied id: it ends up in every log line of the request.
const maxRequestIDLen = 128

// RequestID gives every request an id: the incoming X-Request-Id when it is sane (so that a
// gateway's id follows the request through), else a new UUIDv7. The id is set on the response
// and stored in the request context (reqctx.RequestIDFrom).
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(reqctx.WithRequestID(r.Context(), id)))
	})
}

// saneRequestID accepts ids made of characters that cannot forge log lines or break a URN:
// letters, digits and - _ . :
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	// A time-ordered id sorts log searches by arrival; v4 is the fallback only because NewV7
	// can fail if the random source does.
	if id, err := uuid.NewV7(); err == nil {
		return id.String()
	}
	return uuid.NewString()
}

// Recover turns a panic in next into a logged error with its stack and, when nothing has been
// written yet, a 500 problem, so that one bad request does not take down the connection
// without a word. http.ErrAbortHandler is re-raised: it is the documented way to abort.
func Recover(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := newRecorder(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic while handling request",
					"panic", fmt.Sprint(v),
					"stack", string(debug.Stack()),
					"method", r.Method,
					"path", r.URL.Path,
				)
				if !rec.wroteHeader {
					WriteError(rec, r, fmt.Errorf("panic: %v", v))
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// AccessLog logs one line per request at info level (5xx at error level) with the status,
// size, duration and route. Put it inside RequestID so that the line carries the request id:
// the logger adds it from the context (reqctx.LogHandler, which logx.New installs), so no
// line here names it itself, or it would appear twice.
func AccessLog(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := newRecorder(w)
			next.ServeHTTP(rec, r)
			level := slog.LevelInfo
			if rec.Status() >= http.StatusInternalServerError {
				level = slog.LevelError
			}
			logger.LogAttrs(r.Context(), level, "http request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				// Pattern is filled in by a ServeMux further in, when it received this same *Request.
				slog.String("route", r.Pattern),
				slog.Int("status", rec.Status()),
				slog.Int64("bytes", rec.written),
				slog.Duration("duration", time.Since(start)),
			)
		})
	}
}

// recorder remembers the status and size of a response while passing everything through.
type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	written     int64
}

func newRecorder(w http.ResponseWriter) *recorder {
	return &recorder{ResponseWriter: w}
}

func (r *recorder) WriteHeader(code int) {
	// 1xx informational headers may precede the real status.
	if !r.wroteHeader && code >= http.StatusOK {
		r.status = code
		r.wroteHeader = true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wroteHeader {
		r.status = http.StatusOK
		r.wroteHeader = true
	}
	n, err := r.ResponseWriter.Write(b)
	r.written += int64(n)
	return n, err
}

// Status is the status written, 200 when the handler wrote nothing at all (net/http's default).
func (r *recorder) Status() int {
	if !r.wroteHeader {
		return http.StatusOK
	}
	return r.status
}

// Unwrap lets http.ResponseController reach Flush, deadlines and hijacking underneath.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
