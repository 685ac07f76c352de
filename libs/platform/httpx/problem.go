package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/reqctx"
)

// ProblemContentType is the media type of RFC 9457 problem details.
const ProblemContentType = "application/problem+json"

// Problem type URIs. They are part of the API contract: clients branch on them, so they never
// change once published. They need not resolve to a page.
const (
	TypeValidation        = "https://zoneops.dev/problems/validation"
	TypeNotFound          = "https://zoneops.dev/problems/not-found"
	TypeConflict          = "https://zoneops.dev/problems/conflict"
	TypeInvalidTransition = "https://zoneops.dev/problems/invalid-transition"
	TypeUnauthenticated   = "https://zoneops.dev/problems/unauthenticated"
	TypeForbidden         = "https://zoneops.dev/problems/forbidden"
	TypeTooLarge          = "https://zoneops.dev/problems/too-large"
	TypeBusinessRule      = "https://zoneops.dev/problems/business-rule"
	TypeUnavailable       = "https://zoneops.dev/problems/unavailable"
	TypeInternal          = "https://zoneops.dev/problems/internal"
)

// internalDetail is all a client learns of an unexpected error: the text of such errors can
// name tables, hosts or queries, and the request id in Instance lets operators find the rest
// in the logs.
const internalDetail = "an unexpected error occurred; quote the instance when reporting it"

// Problem is an RFC 9457 problem details object, extended with the field errors of a
// validation failure and the current state of an entity that refused a transition.
type Problem struct {
	Type         string             `json:"type"`
	Title        string             `json:"title"`
	Status       int                `json:"status"`
	Detail       string             `json:"detail,omitempty"`
	Instance     string             `json:"instance,omitempty"`
	Errors       []fault.FieldError `json:"errors,omitempty"`
	CurrentState string             `json:"current_state,omitempty"`
}

// ProblemFor maps an error to the problem a client sees. It is the one place where failure
// kinds become HTTP statuses; errors.Is/As are used throughout so that domains may wrap the
// fault kinds as deeply as they like. For 4xx problems the error's text is the detail, so
// domains word those errors for the client; 5xx problems never carry the error's text.
func ProblemFor(err error) Problem {
	var (
		verr   *fault.ValidationError
		serr   *fault.StateError
		maxErr *http.MaxBytesError
	)
	switch {
	case err == nil:
		// A nil error reaching an error encoder is a programming mistake, not the client's.
		return internal()
	case errors.As(err, &verr):
		return Problem{
			Type:   TypeValidation,
			Title:  "The request is invalid",
			Status: http.StatusBadRequest,
			Detail: "one or more fields are invalid",
			Errors: append([]fault.FieldError(nil), verr.Fields...),
		}
	case errors.As(err, &serr):
		return Problem{
			Type:         TypeInvalidTransition,
			Title:        "The transition is not allowed in the current state",
			Status:       http.StatusConflict,
			Detail:       serr.Error(),
			CurrentState: serr.Current,
		}
	case errors.Is(err, fault.ErrTooLarge), errors.As(err, &maxErr):
		return Problem{Type: TypeTooLarge, Title: "The request is too large", Status: http.StatusRequestEntityTooLarge, Detail: err.Error()}
	case errors.Is(err, fault.ErrUnauthenticated):
		return Problem{Type: TypeUnauthenticated, Title: "Authentication is required", Status: http.StatusUnauthorized, Detail: err.Error()}
	case errors.Is(err, fault.ErrForbidden):
		return Problem{Type: TypeForbidden, Title: "The caller may not do this", Status: http.StatusForbidden, Detail: err.Error()}
	case errors.Is(err, fault.ErrNotFound):
		return Problem{Type: TypeNotFound, Title: "The resource was not found", Status: http.StatusNotFound, Detail: err.Error()}
	case errors.Is(err, fault.ErrConflict):
		return Problem{Type: TypeConflict, Title: "The request conflicts with the current state", Status: http.StatusConflict, Detail: err.Error()}
	case errors.Is(err, fault.ErrRule):
		return Problem{Type: TypeBusinessRule, Title: "The request breaks a business rule", Status: http.StatusUnprocessableEntity, Detail: err.Error()}
	case errors.Is(err, fault.ErrInvalid):
		// An ErrInvalid without field detail still is the client's fault: never a 500 for bad input.
		return Problem{Type: TypeValidation, Title: "The request is invalid", Status: http.StatusBadRequest, Detail: err.Error()}
	case errors.Is(err, fault.ErrUnavailable):
		// The wrapped text may name the dependency's address, so it stays in the logs.
		return Problem{Type: TypeUnavailable, Title: "A dependency is unavailable", Status: http.StatusServiceUnavailable, Detail: "the service is temporarily unavailable; retry later"}
	case errors.Is(err, context.DeadlineExceeded):
		// A timeout is transient: telling the client to retry is more useful than a 500.
		return Problem{Type: TypeUnavailable, Title: "A dependency is unavailable", Status: http.StatusServiceUnavailable, Detail: "the request timed out; retry later"}
	default:
		return internal()
	}
}

func internal() Problem {
	return Problem{Type: TypeInternal, Title: "Internal error", Status: http.StatusInternalServerError, Detail: internalDetail}
}

// WriteProblem writes p as application/problem+json with p.Status. A 401 also gets
// WWW-Authenticate as RFC 9110 requires, and a 503 a Retry-After hint.
func WriteProblem(w http.ResponseWriter, p Problem) {
	h := w.Header()
	h.Set("Content-Type", ProblemContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	switch p.Status {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", "Bearer")
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", "1")
	}
	w.WriteHeader(p.Status)
	// Problem has only strings, ints and a slice of string pairs: Encode cannot fail on it, and
	// a write error means the client has gone, which nobody can be told about.
	_ = json.NewEncoder(w).Encode(p)
}

// ErrorEncoder is a go-kit ErrorEncoder that writes ProblemFor(err), naming the request in the
// problem's instance so that a client's report can be matched to the server's logs.
func ErrorEncoder(ctx context.Context, err error, w http.ResponseWriter) {
	p := ProblemFor(err)
	p.Instance = instanceFor(ctx)
	WriteProblem(w, p)
}

// WriteError writes the problem for err outside go-kit (plain handlers and middleware).
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ErrorEncoder(r.Context(), err, w)
}

func instanceFor(ctx context.Context) string {
	if id := reqctx.RequestIDFrom(ctx); id != "" {
		return "urn:zoneops:request:" + id
	}
	return ""
}
