package httpx

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/go-kit/kit/endpoint"
	kithttp "github.com/go-kit/kit/transport/http"

	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

// ServerOptions are the go-kit server options every zoneops HTTP endpoint uses: problem
// details for every error, 5xx errors logged with the request id (4xx are the client's
// business and only go to debug), and the request id copied into the endpoint's context.
func ServerOptions(logger *slog.Logger) []kithttp.ServerOption {
	return []kithttp.ServerOption{
		kithttp.ServerBefore(RequestIDToContext),
		kithttp.ServerErrorEncoder(ErrorEncoder),
		kithttp.ServerErrorHandler(errorLogger{logger: logger}),
	}
}

// RequestIDToContext is a go-kit before-func that makes sure the endpoint's context carries the
// request id even when the RequestID middleware did not run (an endpoint mounted on its own in
// a test, say). The id is taken from the middleware's context value, else from a sane
// X-Request-Id header.
func RequestIDToContext(ctx context.Context, r *http.Request) context.Context {
	if reqctx.RequestIDFrom(ctx) != "" {
		return ctx
	}
	if id := r.Header.Get(RequestIDHeader); saneRequestID(id) {
		return reqctx.WithRequestID(ctx, id)
	}
	return ctx
}

type errorLogger struct {
	logger *slog.Logger
}

// Handle implements go-kit's transport.ErrorHandler.
func (h errorLogger) Handle(ctx context.Context, err error) {
	p := ProblemFor(err)
	if p.Status >= http.StatusInternalServerError {
		// The request id comes from ctx through the logger's handler (reqctx.LogHandler).
		h.logger.ErrorContext(ctx, "request failed", "status", p.Status, "error", err)
		return
	}
	h.logger.DebugContext(ctx, "request rejected", "status", p.Status, "error", err)
}

// EncodeJSON returns a go-kit response encoder that writes the response as JSON with status
// (201 for creates, 200 otherwise; 204 writes no body). A response that implements
// kithttp.Headerer adds its headers (Location, ETag).
//
// A response that implements endpoint.Failer and reports an error is not written: the error is
// returned, so go-kit hands it to the server's error handler and error encoder, and a business
// error carried in a response is logged and encoded exactly like one returned by the endpoint.
// This relies on the server having ServerOptions.
func EncodeJSON(status int) kithttp.EncodeResponseFunc {
	return func(_ context.Context, w http.ResponseWriter, response any) error {
		if f, ok := response.(endpoint.Failer); ok {
			if err := f.Failed(); err != nil {
				return err
			}
		}
		if h, ok := response.(kithttp.Headerer); ok {
			for k, vs := range h.Headers() {
				for _, v := range vs {
					w.Header().Add(k, v)
				}
			}
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return nil
		}
		// Encoding into memory first means a value that cannot be encoded becomes a clean 500
		// problem instead of a 2xx status followed by half a body.
		body, err := json.Marshal(response)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(append(body, '\n'))
		return nil
	}
}
