// Package endpoints turns each tenants use case into a go-kit endpoint: one request type per
// use case, the caller's verified principal taken from the context, authentication as
// middleware in front of every endpoint.
package endpoints

import (
	"context"

	"github.com/go-kit/kit/endpoint"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/service"
)

// Requests. Path parameters and bodies are decoded by the transport into these.
type (
	// CreateApplicationRequest creates a draft application for the caller's tenant.
	CreateApplicationRequest struct{ Input licensing.ApplicationInput }
	// UpdateApplicationRequest replaces a draft's content.
	UpdateApplicationRequest struct {
		ID    string
		Input licensing.ApplicationInput
	}
	// IDRequest names one application or licence.
	IDRequest struct{ ID string }
	// ReasonRequest names a record and why it changes.
	ReasonRequest struct {
		ID     string
		Reason string `json:"reason"`
	}
	// DatedReasonRequest is a reason with a reply date (deficiency, show-cause notice).
	DatedReasonRequest struct {
		ID       string
		Reason   string
		ReplyDue *licensing.Date
	}
	// ReplyRequest is the licensee's answer to a show-cause notice.
	ReplyRequest struct {
		ID    string
		Reply string
	}
	// ListApplicationsRequest filters the application queue.
	ListApplicationsRequest struct{ Query service.ApplicationQuery }
	// ListLicencesRequest filters the licence list.
	ListLicencesRequest struct{ Query service.LicenceQuery }
)

// Set holds every tenants endpoint.
type Set struct {
	CreateApplication, UpdateApplication, SubmitApplication, NoteDeficiency, ResubmitApplication,
	ApproveApplication, RejectApplication, WithdrawApplication, GetApplication, ListApplications endpoint.Endpoint

	SuspendLicence, ReinstateLicence, IssueShowCause, ReplyShowCause, RevokeLicence, SurrenderLicence,
	GetLicence, ListLicences endpoint.Endpoint
}

// New builds the endpoints over svc; every endpoint verifies the caller's token with v first.
func New(svc service.Service, v auth.Verifier) Set {
	authn := auth.Authenticate(v)
	return Set{
		CreateApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r CreateApplicationRequest) (any, error) {
			return svc.CreateApplication(ctx, Principal(ap), r.Input)
		})),
		UpdateApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r UpdateApplicationRequest) (any, error) {
			return svc.UpdateApplication(ctx, Principal(ap), r.ID, r.Input)
		})),
		SubmitApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r IDRequest) (any, error) {
			return svc.SubmitApplication(ctx, Principal(ap), r.ID)
		})),
		NoteDeficiency: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r DatedReasonRequest) (any, error) {
			return svc.NoteDeficiency(ctx, Principal(ap), r.ID, r.Reason, r.ReplyDue)
		})),
		ResubmitApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r IDRequest) (any, error) {
			return svc.ResubmitApplication(ctx, Principal(ap), r.ID)
		})),
		ApproveApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r IDRequest) (any, error) {
			return svc.ApproveApplication(ctx, Principal(ap), r.ID)
		})),
		RejectApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ReasonRequest) (any, error) {
			return svc.RejectApplication(ctx, Principal(ap), r.ID, r.Reason)
		})),
		WithdrawApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ReasonRequest) (any, error) {
			return svc.WithdrawApplication(ctx, Principal(ap), r.ID, r.Reason)
		})),
		GetApplication: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r IDRequest) (any, error) {
			return svc.GetApplication(ctx, Principal(ap), r.ID)
		})),
		ListApplications: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ListApplicationsRequest) (any, error) {
			return svc.ListApplications(ctx, Principal(ap), r.Query)
		})),
		SuspendLicence: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ReasonRequest) (any, error) {
			return svc.SuspendLicence(ctx, Principal(ap), r.ID, r.Reason)
		})),
		ReinstateLicence: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ReasonRequest) (any, error) {
			return svc.ReinstateLicence(ctx, Principal(ap), r.ID, r.Reason)
		})),
		IssueShowCause: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r DatedReasonRequest) (any, error) {
			if r.ReplyDue == nil {
				return nil, fault.Invalid("reply_due", "required")
			}
			return svc.IssueShowCause(ctx, Principal(ap), r.ID, r.Reason, *r.ReplyDue)
		})),
		ReplyShowCause: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ReplyRequest) (any, error) {
			return svc.ReplyShowCause(ctx, Principal(ap), r.ID, r.Reply)
		})),
		RevokeLicence: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ReasonRequest) (any, error) {
			return svc.RevokeLicence(ctx, Principal(ap), r.ID, r.Reason)
		})),
		SurrenderLicence: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ReasonRequest) (any, error) {
			return svc.SurrenderLicence(ctx, Principal(ap), r.ID, r.Reason)
		})),
		GetLicence: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r IDRequest) (any, error) {
			return svc.GetLicence(ctx, Principal(ap), r.ID)
		})),
		ListLicences: authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r ListLicencesRequest) (any, error) {
			return svc.ListLicences(ctx, Principal(ap), r.Query)
		})),
	}
}

// Principal converts the token's principal into the licensing rules' view of it; licensing
// names zones by code, as the token does.
func Principal(p auth.Principal) licensing.Principal { return auth.CallerByCode[licensing.ZoneCode](p) }
