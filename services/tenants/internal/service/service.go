// Package service holds the tenants use cases: it authorises the caller, loads the aggregate,
// applies the domain rule and stores the result with its events in one transaction.
package service

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/zoneops/zoneops/libs/events"
	ev "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
)

// Service is every tenants use case.
type Service interface {
	CreateApplication(ctx context.Context, p licensing.Principal, in licensing.ApplicationInput) (*licensing.Application, error)
	UpdateApplication(ctx context.Context, p licensing.Principal, id string, in licensing.ApplicationInput) (*licensing.Application, error)
	SubmitApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Application, error)
	NoteDeficiency(ctx context.Context, p licensing.Principal, id, reason string, replyDue *licensing.Date) (*licensing.Application, error)
	ResubmitApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Application, error)
	ApproveApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Licence, error)
	RejectApplication(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Application, error)
	WithdrawApplication(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Application, error)
	GetApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Application, error)
	ListApplications(ctx context.Context, p licensing.Principal, q ApplicationQuery) (Page[*licensing.Application], error)

	SuspendLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error)
	ReinstateLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error)
	IssueShowCause(ctx context.Context, p licensing.Principal, id, reason string, replyDue licensing.Date) (*licensing.Licence, error)
	ReplyShowCause(ctx context.Context, p licensing.Principal, id, reply string) (*licensing.Licence, error)
	RevokeLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error)
	SurrenderLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error)
	GetLicence(ctx context.Context, p licensing.Principal, id string) (*licensing.Licence, error)
	ListLicences(ctx context.Context, p licensing.Principal, q LicenceQuery) (Page[*licensing.Licence], error)

	// ExpireDue expires every licence whose validity has ended, as the system.
	ExpireDue(ctx context.Context) (int, error)
}

// Page is one page of a list and the cursor of the next ("" at the end).
type Page[T any] = db.Page[T]

// ApplicationQuery filters the application list.
type ApplicationQuery struct {
	Statuses []licensing.ApplicationStatus
	Zone     string
	Kind     string
	Overdue  bool
	Cursor   string
	Limit    int
}

// LicenceQuery filters the licence list.
type LicenceQuery struct {
	Statuses []licensing.LicenceStatus
	Zone     string
	Kind     string
	Cursor   string
	Limit    int
}

// Decision outcomes, as an Observer hears them.
const (
	OutcomeApproved = "approved"
	OutcomeRejected = "rejected"
)

// Outcomes are every decision outcome, so that metrics can have a series for each from the start.
func Outcomes() []string { return []string{OutcomeApproved, OutcomeRejected} }

// Observer hears about decisions, for the decision-time histogram.
type Observer interface {
	Decided(outcome string, submittedAt, decidedAt time.Time, late bool)
}

type noObserver struct{}

func (noObserver) Decided(string, time.Time, time.Time, bool) {}

// systemActor is who expires licences: the service on its own clock.
var systemActor = licensing.Actor{Subject: "zoneops-tenants", Role: licensing.Role(values.RoleSystem)}

type service struct {
	store  *store.Store
	policy licensing.Policy
	now    func() time.Time
	obs    Observer
}

// New returns the use cases over st with the authority's policy and a clock.
func New(st *store.Store, policy licensing.Policy, now func() time.Time, obs Observer) Service {
	if obs == nil {
		obs = noObserver{}
	}
	return &service{store: st, policy: policy, now: now, obs: obs}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func (s *service) CreateApplication(ctx context.Context, p licensing.Principal, in licensing.ApplicationInput) (*licensing.Application, error) {
	d, err := licensing.ParseApplication(in)
	if err != nil {
		return nil, fmt.Errorf("create application: %w", err)
	}
	if err := licensing.Authorize(p, licensing.ActionCreate, licensing.Resource{Type: licensing.ResourceApplication, TenantID: p.TenantID, Zone: d.Zone}); err != nil {
		return nil, fmt.Errorf("create application: %w", err)
	}
	// The licence.granted event names the tenant by UUID: an application of a tenant id that
	// is not one could be submitted but never approved.
	if u, err := uuid.Parse(p.TenantID); err != nil || u.String() != p.TenantID {
		return nil, fmt.Errorf("create application: the token's tenant_id %q is not a UUID: %w", p.TenantID, fault.ErrForbidden)
	}
	a, err := licensing.NewApplication(newID(), p.TenantID, d, s.now(), p.Actor())
	if err != nil {
		return nil, fmt.Errorf("create application: %w", err)
	}
	// A draft is the applicant's own business: no event until it is submitted.
	if err := s.store.CreateApplication(ctx, a); err != nil {
		return nil, err
	}
	return a.ReadBy(p), nil
}

// changeApplication runs one use case on an application in one unit of work: lock it,
// authorise act, apply do at the clock's time, save it and emit the event do returns (nil for
// none).
func (s *service) changeApplication(ctx context.Context, p licensing.Principal, id string, act licensing.Action,
	do func(a *licensing.Application, at time.Time) (events.Payload, error)) (*licensing.Application, error) {
	var out *licensing.Application
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		if err := licensing.Authorize(p, act, licensing.ApplicationResource(a)); err != nil {
			return err
		}
		registration := a.Applicant.RegistrationNumber
		at := s.now()
		payload, err := do(a, at)
		if err != nil {
			return err
		}
		// An edited draft may name another company: it must be this tenant's to name.
		if a.Applicant.RegistrationNumber != registration {
			if err := tx.ClaimRegistration(ctx, a); err != nil {
				return err
			}
		}
		if err := tx.SaveApplication(ctx, a); err != nil {
			return err
		}
		out = a
		return emit(ctx, tx, payload, a.Version, at)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", act, err)
	}
	return out.ReadBy(p), nil
}

func (s *service) UpdateApplication(ctx context.Context, p licensing.Principal, id string, in licensing.ApplicationInput) (*licensing.Application, error) {
	d, err := licensing.ParseApplication(in)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	return s.changeApplication(ctx, p, id, licensing.ActionUpdate, func(a *licensing.Application, at time.Time) (events.Payload, error) {
		return nil, a.Update(at, p.Actor(), d)
	})
}

func (s *service) SubmitApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Application, error) {
	return s.changeApplication(ctx, p, id, licensing.ActionSubmit, func(a *licensing.Application, at time.Time) (events.Payload, error) {
		if err := a.Submit(at, p.Actor(), s.policy); err != nil {
			return nil, err
		}
		return ev.ApplicationSubmitted{ApplicationID: a.ID, Applicant: evApplicant(a.Applicant), Kind: ev.Kind(a.Kind),
			Zone: string(a.Zone), Sector: string(a.Sector), Commitments: evCommitments(a.Commitments),
			SubmittedAt: *a.SubmittedAt, DecisionDue: evDate(*a.DecisionDue), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) NoteDeficiency(ctx context.Context, p licensing.Principal, id, reason string, replyDue *licensing.Date) (*licensing.Application, error) {
	return s.changeApplication(ctx, p, id, licensing.ActionNoteDeficiency, func(a *licensing.Application, at time.Time) (events.Payload, error) {
		if err := a.NoteDeficiency(at, p.Actor(), reason, replyDue, s.policy); err != nil {
			return nil, err
		}
		return ev.ApplicationDeficiencyNoted{ApplicationID: a.ID, Reason: a.History[len(a.History)-1].Reason,
			ReplyDue: evDatePtr(a.ReplyDue), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) ResubmitApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Application, error) {
	return s.changeApplication(ctx, p, id, licensing.ActionResubmit, func(a *licensing.Application, at time.Time) (events.Payload, error) {
		if err := a.Resubmit(at, p.Actor(), s.policy); err != nil {
			return nil, err
		}
		return ev.ApplicationResubmitted{ApplicationID: a.ID, DecisionDue: evDate(*a.DecisionDue), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) RejectApplication(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Application, error) {
	var late bool
	a, err := s.changeApplication(ctx, p, id, licensing.ActionReject, func(a *licensing.Application, at time.Time) (events.Payload, error) {
		late = a.Overdue(at, s.policy.Location)
		if err := a.Reject(at, p.Actor(), reason, s.policy); err != nil {
			return nil, err
		}
		return ev.ApplicationRejected{ApplicationID: a.ID, Reason: a.History[len(a.History)-1].Reason, Actor: evActor(p.Actor())}, nil
	})
	if err == nil && a.SubmittedAt != nil && a.DecidedAt != nil {
		s.obs.Decided(OutcomeRejected, *a.SubmittedAt, *a.DecidedAt, late)
	}
	return a, err
}

func (s *service) WithdrawApplication(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Application, error) {
	return s.changeApplication(ctx, p, id, licensing.ActionWithdraw, func(a *licensing.Application, at time.Time) (events.Payload, error) {
		wasDraft := a.Status == licensing.ApplicationDraft
		if err := a.Withdraw(at, p.Actor(), reason); err != nil {
			return nil, err
		}
		if wasDraft {
			return nil, nil // nobody outside heard of the draft
		}
		return ev.ApplicationWithdrawn{ApplicationID: a.ID, Reason: a.History[len(a.History)-1].Reason, Actor: evActor(p.Actor())}, nil
	})
}

// ApproveApplication grants the licence in one unit of work: lock the application, authorise,
// check its status, take the zone's next licence number for the year, grant, save both and
// emit application.approved and licence.granted.
func (s *service) ApproveApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Licence, error) {
	var l *licensing.Licence
	var late bool
	var submittedAt *time.Time
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		if err := licensing.Authorize(p, licensing.ActionApprove, licensing.ApplicationResource(a)); err != nil {
			return err
		}
		if !a.Status.Allows(licensing.ActionApprove) {
			return &fault.StateError{Entity: "application", Action: string(licensing.ActionApprove), Current: string(a.Status)}
		}
		at := s.now()
		late, submittedAt = a.Overdue(at, s.policy.Location), a.SubmittedAt
		year := s.policy.Today(at).Year
		seq, err := tx.NextLicenceNumber(ctx, a.Zone, year)
		if err != nil {
			return err
		}
		number, err := licensing.FormatLicenceNumber(a.Zone, year, seq)
		if err != nil {
			return err
		}
		if l, err = licensing.Grant(a, newID(), number, at, p.Actor(), s.policy); err != nil {
			return err
		}
		if err := tx.SaveApplication(ctx, a); err != nil {
			return err
		}
		if err := tx.InsertLicence(ctx, l); err != nil {
			return err
		}
		approved, err := events.New(ev.ApplicationApproved{ApplicationID: a.ID, LicenceID: l.ID, Actor: evActor(p.Actor())}, a.Version, at)
		if err != nil {
			return err
		}
		granted, err := events.New(ev.LicenceGranted{LicenceID: l.ID, LicenceNumber: string(l.Number), ApplicationID: a.ID,
			TenantID: l.TenantID, Kind: ev.Kind(l.Kind), Zone: string(l.Zone), Sector: string(l.Sector),
			SizeTier: ev.SizeTier(l.SizeTier), Commitments: evCommitments(l.Commitments),
			ValidFrom: evDate(l.ValidFrom), ValidUntil: evDate(l.ValidUntil), Actor: evActor(p.Actor())}, l.Version, at)
		if err != nil {
			return err
		}
		return tx.Emit(ctx, approved, granted)
	})
	if err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	if submittedAt != nil {
		s.obs.Decided(OutcomeApproved, *submittedAt, l.GrantedAt, late)
	}
	return l, nil
}

func (s *service) GetApplication(ctx context.Context, p licensing.Principal, id string) (*licensing.Application, error) {
	a, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get application: %w", err)
	}
	if err := licensing.Authorize(p, licensing.ActionRead, licensing.ApplicationResource(a)); err != nil {
		return nil, fmt.Errorf("get application %s: %w", id, err)
	}
	return a.ReadBy(p), nil
}

func (s *service) ListApplications(ctx context.Context, p licensing.Principal, q ApplicationQuery) (Page[*licensing.Application], error) {
	f := store.ApplicationFilter{Statuses: q.Statuses, Zone: q.Zone, Kind: q.Kind, Cursor: q.Cursor, Limit: q.Limit}
	if q.Overdue {
		f.OverdueOn = s.policy.Today(s.now()).String()
	}
	if err := scopeList(p, licensing.ResourceApplication, &f.TenantID, &f.Zone); err != nil {
		return Page[*licensing.Application]{}, fmt.Errorf("list applications: %w", err)
	}
	items, next, err := s.store.ListApplications(ctx, f)
	if err != nil {
		return Page[*licensing.Application]{}, err
	}
	for i, a := range items {
		items[i] = a.ReadBy(p)
	}
	return db.PageOf(items, next), nil
}

// scopeList narrows a list to what p may read: a tenant sees its own records, a zone developer
// the records of one of its zones (the one asked for, or its only one).
func scopeList(p licensing.Principal, rt licensing.ResourceType, tenantID, zone *string) error {
	switch p.Role {
	case audit.RoleTenant:
		if p.TenantID == "" {
			return fmt.Errorf("tenant token without tenant_id: %w", fault.ErrForbidden)
		}
		*tenantID = p.TenantID
		return nil
	case audit.RoleZoneDeveloper:
		if *zone == "" {
			switch len(p.Zones) {
			case 0:
				return fmt.Errorf("zone developer token without zones: %w", fault.ErrForbidden)
			case 1:
				*zone = string(p.Zones[0])
			default:
				// Paging across several zones would need a merged cursor; one zone at a time.
				return fault.Invalid("zone", "required for a zone developer with several zones")
			}
		}
		if !licensing.CanRead(p, licensing.Resource{Type: rt, Zone: licensing.ZoneCode(*zone)}) {
			return fmt.Errorf("zone %s: %w", *zone, fault.ErrForbidden)
		}
		return nil
	default:
		if !licensing.CanRead(p, licensing.Resource{Type: rt}) {
			return fmt.Errorf("role %q: %w", p.Role, fault.ErrForbidden)
		}
		return nil
	}
}
