// Package reqctx carries the correlation ids of one unit of work (an HTTP request, a consumed
// event) through a context, so that every log line written while handling it can name it. It
// lives apart from httpx because event consumers need the same ids without any HTTP.
package reqctx

import (
	"context"
	"log/slog"
)

// Unexported key types keep other packages from reading or overwriting the values except
// through the functions below.
type (
	requestIDKey struct{}
	eventIDKey   struct{}
)

// WithRequestID returns a context that carries the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request id carried by ctx, or "" when there is none.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WithEventID returns a context that carries the id of the event being handled.
func WithEventID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, eventIDKey{}, id)
}

// EventIDFrom returns the event id carried by ctx, or "" when there is none.
func EventIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(eventIDKey{}).(string)
	return id
}

// LogHandler wraps h so that every record logged with a context carrying a request id or an
// event id gets "request_id" and "event_id" attributes. Callers then need only log with the
// *Context methods instead of threading the ids through every call.
//
// The attributes are added to the record, so under a logger made with WithGroup they land
// inside that group.
func LogHandler(h slog.Handler) slog.Handler {
	return logHandler{next: h}
}

type logHandler struct {
	next slog.Handler
}

func (h logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h logHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestIDFrom(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	if id := EventIDFrom(ctx); id != "" {
		r.AddAttrs(slog.String("event_id", id))
	}
	return h.next.Handle(ctx, r)
}

func (h logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return logHandler{next: h.next.WithAttrs(attrs)}
}

func (h logHandler) WithGroup(name string) slog.Handler {
	return logHandler{next: h.next.WithGroup(name)}
}
