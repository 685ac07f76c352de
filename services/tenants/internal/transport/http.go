// Package transport serves the tenants endpoints over HTTP (JSON under /v1, problem+json
// errors), with request ids, panic recovery, access logs, RED metrics and Idempotency-Key
// support for creates.
package transport

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/go-kit/kit/endpoint"
	kithttp "github.com/go-kit/kit/transport/http"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/services/tenants/internal/endpoints"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
)

// MaxBodyBytes bounds every request body; an application is a few kilobytes.
const MaxBodyBytes = 64 << 10

// Routes mounts every tenants route on mux. create wraps the creating route (idempotency).
func Routes(mux *http.ServeMux, set endpoints.Set, logger *slog.Logger, create func(http.Handler) http.Handler) {
	opts := append(httpx.ServerOptions(logger), kithttp.ServerBefore(auth.BearerToContext))
	h := func(e endpoint.Endpoint, dec kithttp.DecodeRequestFunc, enc kithttp.EncodeResponseFunc) http.Handler {
		return kithttp.NewServer(e, dec, enc, opts...)
	}
	ok, created := httpx.EncodeJSON(http.StatusOK), httpx.EncodeJSON(http.StatusCreated)

	mux.Handle("POST /v1/applications", create(h(set.CreateApplication, decodeCreate, created)))
	mux.Handle("GET /v1/applications", h(set.ListApplications, decodeListApplications, ok))
	mux.Handle("GET /v1/applications/{id}", h(set.GetApplication, decodeID, ok))
	mux.Handle("GET /v1/applications/{id}/history", h(set.GetApplication, decodeID, encodeHistory))
	mux.Handle("PUT /v1/applications/{id}", h(set.UpdateApplication, decodeUpdate, ok))
	mux.Handle("POST /v1/applications/{id}/submit", h(set.SubmitApplication, decodeID, ok))
	mux.Handle("POST /v1/applications/{id}/deficiencies", h(set.NoteDeficiency, decodeDatedReason, ok))
	mux.Handle("POST /v1/applications/{id}/resubmit", h(set.ResubmitApplication, decodeID, ok))
	mux.Handle("POST /v1/applications/{id}/approve", h(set.ApproveApplication, decodeID, created))
	mux.Handle("POST /v1/applications/{id}/reject", h(set.RejectApplication, decodeReason, ok))
	mux.Handle("POST /v1/applications/{id}/withdraw", h(set.WithdrawApplication, decodeReason, ok))

	mux.Handle("GET /v1/licences", h(set.ListLicences, decodeListLicences, ok))
	mux.Handle("GET /v1/licences/{id}", h(set.GetLicence, decodeID, ok))
	mux.Handle("GET /v1/licences/{id}/history", h(set.GetLicence, decodeID, encodeHistory))
	mux.Handle("POST /v1/licences/{id}/suspend", h(set.SuspendLicence, decodeReason, ok))
	mux.Handle("POST /v1/licences/{id}/reinstate", h(set.ReinstateLicence, decodeReason, ok))
	mux.Handle("POST /v1/licences/{id}/show-cause", h(set.IssueShowCause, decodeDatedReason, ok))
	mux.Handle("POST /v1/licences/{id}/show-cause/reply", h(set.ReplyShowCause, decodeReply, ok))
	mux.Handle("POST /v1/licences/{id}/revoke", h(set.RevokeLicence, decodeReason, ok))
	mux.Handle("POST /v1/licences/{id}/surrender", h(set.SurrenderLicence, decodeReason, ok))
}

func decodeCreate(_ context.Context, r *http.Request) (any, error) {
	var in licensing.ApplicationInput
	if err := httpx.DecodeJSON(r, &in, MaxBodyBytes); err != nil {
		return nil, err
	}
	return endpoints.CreateApplicationRequest{Input: in}, nil
}

func decodeUpdate(_ context.Context, r *http.Request) (any, error) {
	var in licensing.ApplicationInput
	if err := httpx.DecodeJSON(r, &in, MaxBodyBytes); err != nil {
		return nil, err
	}
	return endpoints.UpdateApplicationRequest{ID: r.PathValue("id"), Input: in}, nil
}

func decodeID(_ context.Context, r *http.Request) (any, error) {
	return endpoints.IDRequest{ID: r.PathValue("id")}, nil
}

func decodeReason(_ context.Context, r *http.Request) (any, error) {
	var body struct {
		Reason string `json:"reason"`
	}
	if httpx.HasBody(r) {
		if err := httpx.DecodeJSON(r, &body, MaxBodyBytes); err != nil {
			return nil, err
		}
	}
	return endpoints.ReasonRequest{ID: r.PathValue("id"), Reason: body.Reason}, nil
}

func decodeReply(_ context.Context, r *http.Request) (any, error) {
	var body struct {
		Reply string `json:"reply"`
	}
	if err := httpx.DecodeJSON(r, &body, MaxBodyBytes); err != nil {
		return nil, err
	}
	return endpoints.ReplyRequest{ID: r.PathValue("id"), Reply: body.Reply}, nil
}

func decodeDatedReason(_ context.Context, r *http.Request) (any, error) {
	// reply_due is read as text and parsed here so that a bad date is reported under its own
	// field name; the JSON decoder would only say that the body is bad.
	var body struct {
		Reason   string  `json:"reason"`
		ReplyDue *string `json:"reply_due"`
	}
	if err := httpx.DecodeJSON(r, &body, MaxBodyBytes); err != nil {
		return nil, err
	}
	req := endpoints.DatedReasonRequest{ID: r.PathValue("id"), Reason: body.Reason}
	if body.ReplyDue != nil {
		d, err := licensing.ParseDate(*body.ReplyDue)
		if err != nil {
			return nil, fault.Invalid("reply_due", "must be a calendar date YYYY-MM-DD")
		}
		req.ReplyDue = &d
	}
	return req, nil
}

func zoneAndKind(r *http.Request, f *fault.Fields) (zone, kind string) {
	if z := r.URL.Query().Get("zone"); z != "" {
		code, err := licensing.ParseZoneCode(z)
		if err != nil {
			f.Merge("zone", err)
		}
		zone = string(code)
	}
	if k := r.URL.Query().Get("kind"); k != "" {
		kd, err := licensing.ParseKind(k)
		if err != nil {
			f.Merge("kind", err)
		}
		kind = string(kd)
	}
	return zone, kind
}

func decodeListApplications(_ context.Context, r *http.Request) (any, error) {
	var f fault.Fields
	var q service.ApplicationQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", licensing.ApplicationStatuses(), "an application status")
	q.Zone, q.Kind = zoneAndKind(r, &f)
	q.Overdue = httpx.QueryBool(r, &f, "overdue")
	q.Cursor, q.Limit = httpx.Page(r, &f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	return endpoints.ListApplicationsRequest{Query: q}, nil
}

func decodeListLicences(_ context.Context, r *http.Request) (any, error) {
	var f fault.Fields
	var q service.LicenceQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", licensing.LicenceStatuses(), "a licence status")
	q.Zone, q.Kind = zoneAndKind(r, &f)
	q.Cursor, q.Limit = httpx.Page(r, &f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	return endpoints.ListLicencesRequest{Query: q}, nil
}

// history is the response of the history routes.
type history struct {
	Items []licensing.HistoryEntry `json:"items"`
}

func encodeHistory(ctx context.Context, w http.ResponseWriter, response any) error {
	var h history
	switch v := response.(type) {
	case *licensing.Application:
		h.Items = v.History
	case *licensing.Licence:
		h.Items = v.History
	}
	return httpx.EncodeJSON(http.StatusOK)(ctx, w, h)
}
