// Package transport serves the tenants use cases over HTTP (JSON under /v1, problem+json
// errors): Routes is the one table of them, from which the go-kit endpoints, the mounted
// routes, the OpenAPI coverage check and the authorisation matrix all derive. Request ids,
// panic recovery, access logs and RED metrics are the process's; Idempotency-Key is the
// creating rows'.
package transport

import (
	"context"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
)

// MaxBodyBytes bounds every request body; an application is a few kilobytes.
const MaxBodyBytes = 64 << 10

// Routes is the tenants HTTP API, one row per use case: its pattern, how its request is read,
// the call into svc and how its answer is written. svc is only called while a request is
// served, so Routes(nil) lists the routes for tests.
func Routes(svc service.Service) []httpx.Route {
	type (
		C = context.Context
		P = licensing.Principal
	)
	as := auth.ByCode[licensing.ZoneCode]
	ok, created := httpx.EncodeOK, httpx.EncodeCreated
	id, reason := httpx.PathID, httpx.DecodeReason(MaxBodyBytes)
	application := httpx.Body[licensing.ApplicationInput](MaxBodyBytes)
	return []httpx.Route{
		auth.Route(as, "POST /v1/applications", application, created, func(ctx C, p P, r input[licensing.ApplicationInput]) (any, error) {
			return svc.CreateApplication(ctx, p, r.Body)
		}).WithIdempotencyKey(),
		auth.Route(as, "GET /v1/applications", decodeListApplications, ok, func(ctx C, p P, q service.ApplicationQuery) (any, error) {
			return svc.ListApplications(ctx, p, q)
		}),
		auth.Route(as, "GET /v1/applications/{id}", id, ok, func(ctx C, p P, id string) (any, error) { return svc.GetApplication(ctx, p, id) }),
		auth.Route(as, "GET /v1/applications/{id}/history", id, encodeHistory, func(ctx C, p P, id string) (any, error) {
			return svc.GetApplication(ctx, p, id)
		}),
		auth.Route(as, "PUT /v1/applications/{id}", application, ok, func(ctx C, p P, r input[licensing.ApplicationInput]) (any, error) {
			return svc.UpdateApplication(ctx, p, r.ID, r.Body)
		}),
		auth.Route(as, "POST /v1/applications/{id}/submit", id, ok, func(ctx C, p P, id string) (any, error) { return svc.SubmitApplication(ctx, p, id) }),
		auth.Route(as, "POST /v1/applications/{id}/deficiencies", decodeDatedReason, ok, func(ctx C, p P, r datedReason) (any, error) {
			return svc.NoteDeficiency(ctx, p, r.ID, r.Reason, r.ReplyDue)
		}),
		auth.Route(as, "POST /v1/applications/{id}/resubmit", id, ok, func(ctx C, p P, id string) (any, error) { return svc.ResubmitApplication(ctx, p, id) }),
		auth.Route(as, "POST /v1/applications/{id}/approve", id, created, func(ctx C, p P, id string) (any, error) { return svc.ApproveApplication(ctx, p, id) }),
		auth.Route(as, "POST /v1/applications/{id}/reject", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return svc.RejectApplication(ctx, p, r.ID, r.Reason)
		}),
		auth.Route(as, "POST /v1/applications/{id}/withdraw", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return svc.WithdrawApplication(ctx, p, r.ID, r.Reason)
		}),

		auth.Route(as, "GET /v1/licences", decodeListLicences, ok, func(ctx C, p P, q service.LicenceQuery) (any, error) { return svc.ListLicences(ctx, p, q) }),
		auth.Route(as, "GET /v1/licences/{id}", id, ok, func(ctx C, p P, id string) (any, error) { return svc.GetLicence(ctx, p, id) }),
		auth.Route(as, "GET /v1/licences/{id}/history", id, encodeHistory, func(ctx C, p P, id string) (any, error) { return svc.GetLicence(ctx, p, id) }),
		auth.Route(as, "POST /v1/licences/{id}/suspend", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return svc.SuspendLicence(ctx, p, r.ID, r.Reason)
		}),
		auth.Route(as, "POST /v1/licences/{id}/reinstate", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return svc.ReinstateLicence(ctx, p, r.ID, r.Reason)
		}),
		auth.Route(as, "POST /v1/licences/{id}/show-cause", decodeDatedReason, ok, func(ctx C, p P, r datedReason) (any, error) {
			if r.ReplyDue == nil {
				return nil, fault.Invalid("reply_due", "required")
			}
			return svc.IssueShowCause(ctx, p, r.ID, r.Reason, *r.ReplyDue)
		}),
		auth.Route(as, "POST /v1/licences/{id}/show-cause/reply", httpx.Body[reply](MaxBodyBytes), ok, func(ctx C, p P, r input[reply]) (any, error) {
			return svc.ReplyShowCause(ctx, p, r.ID, r.Body.Reply)
		}),
		auth.Route(as, "POST /v1/licences/{id}/revoke", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return svc.RevokeLicence(ctx, p, r.ID, r.Reason)
		}),
		auth.Route(as, "POST /v1/licences/{id}/surrender", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return svc.SurrenderLicence(ctx, p, r.ID, r.Reason)
		}),
	}
}

// input is a JSON body of the route's type with the path's {id}.
type input[In any] = httpx.Input[In]

// Patterns lists the patterns of the route table, for the tests that hold the OpenAPI document
// and the role table to it.
func Patterns() []string { return httpx.Patterns(Routes(nil)) }
