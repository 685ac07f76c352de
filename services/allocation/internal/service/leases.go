package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Occupancy.

func (s *service) Occupancy(ctx context.Context, p Principal, zoneID string) (leasing.Occupancy, error) {
	zoneID, err := s.zoneID(ctx, zoneID)
	if err != nil {
		return leasing.Occupancy{}, fmt.Errorf("occupancy: %w", err)
	}
	if err := leasing.Authorize(p, leasing.ActionRead, leasing.ZoneResource(zoneID)); err != nil {
		return leasing.Occupancy{}, fmt.Errorf("occupancy: %w", err)
	}
	if _, err := s.st.GetZone(ctx, zoneID); err != nil {
		return leasing.Occupancy{}, fmt.Errorf("occupancy: %w", err)
	}
	return s.st.Occupancy(ctx, zoneID)
}

// Spaces as leasing sees them.

// space describes a plot or a unit for leasing, read in tx. The zone given is the (locked)
// zone of the request: a space of that zone is open for allocation while its plot is live and
// the zone is notified; a space of another zone is described as it is and refused by the
// request's match (another zone). An unknown space is bad input under field.
func space(ctx context.Context, tx *store.Tx, zone *zoning.Zone, ref leasing.SpaceRef, field string) (leasing.Space, error) {
	unknown := func() error {
		return fault.Invalid(field, fmt.Sprintf("no %s with id %s", ref.Kind, ref.ID))
	}
	var plotID, zoneID string
	var area zoning.Area
	switch ref.Kind {
	case leasing.KindPlot:
		plotID = ref.ID
	case leasing.KindUnit:
		u, err := tx.Unit(ctx, ref.ID)
		if errors.Is(err, fault.ErrNotFound) {
			return leasing.Space{}, unknown()
		} else if err != nil {
			return leasing.Space{}, err
		}
		plotID, zoneID, area = u.PlotID, u.ZoneID, u.AreaM2
	default:
		return leasing.Space{}, fault.Invalid(field, "unknown kind of space")
	}
	pl, err := tx.Plot(ctx, plotID)
	if errors.Is(err, fault.ErrNotFound) {
		return leasing.Space{}, unknown()
	} else if err != nil {
		return leasing.Space{}, err
	}
	if ref.Kind == leasing.KindPlot {
		zoneID, area = pl.ZoneID, pl.AreaM2
	}
	live := pl.Status == zoning.PlotLive && (zoneID != zone.ID || zone.Status == zoning.ZoneNotified)
	return leasing.Space{Ref: ref, ZoneID: zoneID, PlotID: pl.ID, AreaM2: area.M2(), LandUse: leasing.LandUse(pl.LandUse), Live: live}, nil
}

// licenceOf returns the projection of the licence a request was made under (the zero
// Licence when it is unknown, which no rule accepts).
func licenceOf(ctx context.Context, tx *store.Tx, r *leasing.Request) (leasing.Licence, error) {
	rec, _, err := tx.LicenceByID(ctx, r.LicenceID, true)
	return rec.Licence, err
}

// Requests.

func (s *service) SubmitRequest(ctx context.Context, p Principal, in leasing.RequestInput) (*leasing.Request, error) {
	tenantID := p.TenantID
	zoneID := strings.TrimSpace(in.ZoneID)
	// The zone may be named by its code; the request records its id.
	if id, ok, err := s.st.ZoneIDOf(ctx, zoneID); err != nil {
		return nil, fmt.Errorf("submit request: %w", err)
	} else if ok {
		zoneID, in.ZoneID = id, id
	}
	if err := leasing.Authorize(p, leasing.ActionSubmit, leasing.NewRequestResource(tenantID, zoneID)); err != nil {
		return nil, fmt.Errorf("submit request: %w", err)
	}
	// NewRequest checks every field before it looks at the licence, so a request with no
	// licence yet reports the input's problems, all at once, and nothing else.
	var v *fault.ValidationError
	if _, err := leasing.NewRequest("input", tenantID, in, leasing.Licence{}, s.now(), p.Actor()); errors.As(err, &v) {
		return nil, fmt.Errorf("submit request: %w", err)
	}
	var out *leasing.Request
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		z, err := tx.LockZone(ctx, zoneID)
		if errors.Is(err, fault.ErrNotFound) {
			return fault.Invalid("zone_id", fmt.Sprintf("no zone has the code or id %q", zoneID))
		} else if err != nil {
			return err
		}
		if z.Status != zoning.ZoneNotified {
			return &fault.StateError{Entity: "zone " + string(z.Code), Action: "request space in", Current: string(z.Status)}
		}
		if in.Space != nil {
			ref, _ := leasing.ParseSpaceRef(*in.Space)
			sp, err := space(ctx, tx, z, ref, "space.id")
			if err != nil {
				return err
			}
			if sp.ZoneID != z.ID {
				return fault.Invalid("space.id", fmt.Sprintf("%s is not in zone %s", ref, z.Code))
			}
		}
		licence, ok, err := tx.Licence(ctx, tenantID, string(z.Code))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("tenant %s holds no licence for zone %s: %w", tenantID, z.Code, leasing.ErrLicenceNotActive)
		}
		at := s.now()
		r, err := leasing.NewRequest(s.newID(), tenantID, in, licence, at, p.Actor())
		if err != nil {
			return err
		}
		if err := tx.InsertRequest(ctx, r); err != nil {
			return err
		}
		ev := allocation.RequestSubmitted{RequestID: r.ID, TenantID: r.TenantID, LicenceID: r.LicenceID, ZoneID: r.ZoneID,
			Actor: leasingActor(p.Actor())}
		if r.Space != nil {
			sp := evSpace(*r.Space)
			ev.Space = &sp
		}
		if q := r.Requirements; q != nil {
			ev.Requirements = &allocation.Requirements{LandUse: allocation.LandUse(q.LandUse), MinAreaM2: q.MinAreaM2, MaxAreaM2: q.MaxAreaM2}
		}
		out = r
		return emit(ctx, tx, at, versioned{ev, r.Version})
	})
	if err != nil {
		return nil, fmt.Errorf("submit request: %w", err)
	}
	return out, nil
}

// requestChange is what a change of a request needs: the locked request and its zone, the
// zone's leasing policy, the instant and the actor.
type requestChange struct {
	tx     *store.Tx
	zone   *zoning.Zone
	r      *leasing.Request
	policy leasing.Policy
	at     time.Time
	actor  leasing.Actor
}

// changeRequest authorises act on the request under its zone's lock, runs do and stores the
// request with the events do returns.
func (s *service) changeRequest(ctx context.Context, p Principal, requestID string, act leasing.Action,
	do func(c requestChange) ([]versioned, error)) (*leasing.Request, error) {
	var out *leasing.Request
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		z, r, err := tx.LockRequest(ctx, requestID)
		if err != nil {
			return err
		}
		if err := leasing.Authorize(p, act, leasing.RequestResource(r)); err != nil {
			return err
		}
		c := requestChange{tx: tx, zone: z, r: r, policy: s.policy.LeasingFor(z), at: s.now(), actor: p.Actor()}
		evs, err := do(c)
		if err != nil {
			return err
		}
		if err := tx.UpdateRequest(ctx, r); err != nil {
			return err
		}
		out = r
		return emit(ctx, tx, c.at, evs...)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", act, err)
	}
	return out, nil
}

func (s *service) OfferSpace(ctx context.Context, p Principal, requestID string, in OfferInput) (*leasing.Request, error) {
	var f fault.Fields
	ref, err := leasing.ParseSpaceRef(in.Space)
	f.Merge("space", err)
	terms, err := leasing.ParseTerms(in.Terms)
	f.Merge("terms", err)
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("offer: %w", err)
	}
	return s.changeRequest(ctx, p, requestID, leasing.ActionOffer, func(c requestChange) ([]versioned, error) {
		if !c.r.Status.Allows(leasing.ActionOffer) {
			return nil, &fault.StateError{Entity: "request", Action: string(leasing.ActionOffer), Current: string(c.r.Status)}
		}
		sp, err := space(ctx, c.tx, c.zone, ref, "space.id")
		if err != nil {
			return nil, err
		}
		licence, err := licenceOf(ctx, c.tx, c.r)
		if err != nil {
			return nil, err
		}
		if err := c.r.MakeOffer(sp, terms, licence, c.at, c.actor, c.policy); err != nil {
			return nil, err
		}
		// Whether the space is free over the lease's period: a space already let for any
		// of those days is refused, naming the lease.
		held, err := c.tx.LeasesOfPlot(ctx, sp.PlotID)
		if err != nil {
			return nil, err
		}
		if err := leasing.CheckAvailable(sp, terms.Period(), held); err != nil {
			return nil, err
		}
		return []versioned{{allocation.RequestOffered{RequestID: c.r.ID, TenantID: c.r.TenantID, Space: evSpace(sp.Ref),
			Terms: evTerms(terms), Actor: leasingActor(c.actor)}, c.r.Version}}, nil
	})
}

func (s *service) AcceptOffer(ctx context.Context, p Principal, requestID string) (*leasing.Lease, error) {
	var lease *leasing.Lease
	_, err := s.changeRequest(ctx, p, requestID, leasing.ActionAccept, func(c requestChange) ([]versioned, error) {
		licence, err := licenceOf(ctx, c.tx, c.r)
		if err != nil {
			return nil, err
		}
		l, err := c.r.Accept(s.newID(), licence, c.at, c.actor, c.policy)
		if err != nil {
			return nil, err
		}
		// The space as it is now: withdrawn land or a denotified zone is not let.
		offered := c.r.Offer.Space
		now, err := space(ctx, c.tx, c.zone, offered.Ref, "space.id")
		if err != nil {
			return nil, err
		}
		if !now.Live {
			return nil, fmt.Errorf("%s: %w", offered.Ref, leasing.ErrSpaceNotLive)
		}
		// Checked again under the zone's lock (another offer of the space may have been
		// accepted since this one was made); the database's exclusion rules are the backstop.
		held, err := c.tx.LeasesOfPlot(ctx, offered.PlotID)
		if err != nil {
			return nil, err
		}
		if err := leasing.CheckAvailable(offered, l.Period(), held); err != nil {
			return nil, err
		}
		if err := c.tx.InsertLease(ctx, l); err != nil {
			return nil, err
		}
		lease = l
		return []versioned{
			{allocation.RequestAccepted{RequestID: c.r.ID, TenantID: c.r.TenantID, LeaseID: l.ID, Actor: leasingActor(c.actor)}, c.r.Version},
			leaseSigned(l, c.actor),
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return lease, nil
}

func (s *service) DeclineOffer(ctx context.Context, p Principal, requestID, reason string) (*leasing.Request, error) {
	return s.changeRequest(ctx, p, requestID, leasing.ActionDecline, func(c requestChange) ([]versioned, error) {
		if err := c.r.Decline(reason, c.at, c.actor); err != nil {
			return nil, err
		}
		return []versioned{{allocation.RequestDeclined{RequestID: c.r.ID, Reason: lastReason(c.r.History, leasingReason),
			Actor: leasingActor(c.actor)}, c.r.Version}}, nil
	})
}

func (s *service) WithdrawRequest(ctx context.Context, p Principal, requestID, reason string) (*leasing.Request, error) {
	return s.changeRequest(ctx, p, requestID, leasing.ActionWithdraw, func(c requestChange) ([]versioned, error) {
		if err := c.r.Withdraw(reason, c.at, c.actor); err != nil {
			return nil, err
		}
		return []versioned{{allocation.RequestWithdrawn{RequestID: c.r.ID, Reason: lastReason(c.r.History, leasingReason),
			Actor: leasingActor(c.actor)}, c.r.Version}}, nil
	})
}

func (s *service) GetRequest(ctx context.Context, p Principal, requestID string) (*leasing.Request, error) {
	return readable(ctx, "request", requestID, s.st.GetRequest, func(r *leasing.Request) error {
		return leasing.Authorize(p, leasing.ActionRead, leasing.RequestResource(r))
	})
}

// listScope narrows a list of requests or leases to what p may read: a tenant its own, a zone
// developer those of its zones (the one asked for, or all of them), the other readers
// everything. none reports a filter that can match nothing (a tenant asking for another
// tenant's records).
func listScope(p Principal, rt leasing.ResourceType, zoneID, tenantID string) (zoneIDs []string, tenant string, none bool, err error) {
	if zoneID != "" {
		zoneIDs = []string{zoneID}
	}
	switch p.Role {
	case audit.RoleTenant:
		if p.TenantID == "" {
			return nil, "", false, fmt.Errorf("tenant token without tenant_id: %w", fault.ErrForbidden)
		}
		return zoneIDs, p.TenantID, tenantID != "" && tenantID != p.TenantID, nil
	case audit.RoleZoneDeveloper:
		switch {
		case len(p.Zones) == 0:
			return nil, "", false, fmt.Errorf("zone developer token without zones: %w", fault.ErrForbidden)
		case zoneID == "":
			zoneIDs = slices.Clone(p.Zones)
		case !slices.Contains(p.Zones, zoneID):
			return nil, "", false, fmt.Errorf("zone %s: %w", zoneID, leasing.ErrRoleNotAllowed)
		}
		return zoneIDs, tenantID, false, nil
	}
	if !leasing.CanRead(p, leasing.Resource{Type: rt}) {
		return nil, "", false, fmt.Errorf("role %q: %w", p.Role, leasing.ErrRoleNotAllowed)
	}
	return zoneIDs, tenantID, false, nil
}

func (s *service) ListRequests(ctx context.Context, p Principal, q RequestQuery) (Page[*leasing.Request], error) {
	if err := parseStatuses("statuses", q.Statuses, leasing.RequestStatuses()); err != nil {
		return Page[*leasing.Request]{}, fmt.Errorf("list requests: %w", err)
	}
	zoneID, err := s.zoneFilter(ctx, fieldOr(q.ZoneField, "zone"), q.Zone)
	if err != nil {
		return Page[*leasing.Request]{}, fmt.Errorf("list requests: %w", err)
	}
	zoneIDs, tenantID, none, err := listScope(p, leasing.ResourceRequest, zoneID, "")
	if err != nil || none {
		return Page[*leasing.Request]{Items: []*leasing.Request{}}, errWrap("list requests", err)
	}
	items, next, err := s.st.ListRequests(ctx, store.RequestFilter{ZoneIDs: zoneIDs, TenantID: tenantID, Statuses: q.Statuses, Cursor: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[*leasing.Request]{}, err
	}
	return Page[*leasing.Request]{Items: emptyIfNil(items), NextCursor: next}, nil
}

// errWrap prefixes err with what, keeping nil nil.
func errWrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Leases.

// leaseChange is what a change of a lease needs.
type leaseChange struct {
	l      *leasing.Lease
	policy leasing.Policy
	at     time.Time
	actor  leasing.Actor
}

// changeLease authorises act on the lease under its zone's lock, runs do and stores the lease
// with the event do returns.
func (s *service) changeLease(ctx context.Context, p Principal, leaseID string, act leasing.Action,
	do func(c leaseChange) (versioned, error)) (*leasing.Lease, error) {
	var out *leasing.Lease
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		z, l, err := tx.LockLease(ctx, leaseID)
		if err != nil {
			return err
		}
		if err := leasing.Authorize(p, act, leasing.LeaseResource(l)); err != nil {
			return err
		}
		c := leaseChange{l: l, policy: s.policy.LeasingFor(z), at: s.now(), actor: p.Actor()}
		ev, err := do(c)
		if err != nil {
			return err
		}
		if err := tx.UpdateLease(ctx, l); err != nil {
			return err
		}
		out = l
		return emit(ctx, tx, c.at, ev)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", act, err)
	}
	return out, nil
}

func (s *service) TerminateLease(ctx context.Context, p Principal, leaseID string, in TerminateInput) (*leasing.Lease, error) {
	var givenOn leasing.Date
	if strings.TrimSpace(in.NoticeGivenOn) != "" {
		d, err := leasing.ParseDate(in.NoticeGivenOn)
		if err != nil {
			var f fault.Fields
			f.Merge("notice_given_on", err)
			return nil, fmt.Errorf("terminate: %w", f.Err())
		}
		givenOn = d
	}
	return s.changeLease(ctx, p, leaseID, leasing.ActionTerminate, func(c leaseChange) (versioned, error) {
		on := givenOn
		if on.IsZero() {
			on = c.policy.Today(c.at)
		}
		if err := c.l.Terminate(on, in.Reason, c.at, c.actor, c.policy); err != nil {
			return versioned{}, renameField(err, "given_on", "notice_given_on")
		}
		return leaseTerminating(c.l, leasingActorPtr(c.actor)), nil
	})
}

func (s *service) RecordMilestone(ctx context.Context, p Principal, leaseID string, in MilestoneInput) (*leasing.Lease, error) {
	var f fault.Fields
	kind, err := leasing.ParseMilestoneKind(in.Milestone)
	f.Merge("milestone", err)
	on, err := leasing.ParseDate(in.On)
	f.Merge("on", err)
	if err := f.Err(); err != nil {
		return nil, fmt.Errorf("record milestone: %w", err)
	}
	return s.changeLease(ctx, p, leaseID, leasing.ActionRecordMilestone, func(c leaseChange) (versioned, error) {
		if err := c.l.RecordMilestone(kind, on, c.at, c.actor, c.policy); err != nil {
			return versioned{}, renameField(err, "kind", "milestone")
		}
		return versioned{allocation.LeaseMilestoneRecorded{LeaseID: c.l.ID, Milestone: allocation.Milestone(kind), On: evDate(on),
			Actor: leasingActor(c.actor)}, c.l.Version}, nil
	})
}

func (s *service) GetLease(ctx context.Context, p Principal, leaseID string) (*leasing.Lease, error) {
	return readable(ctx, "lease", leaseID, s.st.GetLease, func(l *leasing.Lease) error {
		return leasing.Authorize(p, leasing.ActionRead, leasing.LeaseResource(l))
	})
}

func (s *service) ListLeases(ctx context.Context, p Principal, q LeaseQuery) (Page[*leasing.Lease], error) {
	if err := parseStatuses("statuses", q.Statuses, leasing.LeaseStatuses()); err != nil {
		return Page[*leasing.Lease]{}, fmt.Errorf("list leases: %w", err)
	}
	zoneID, err := s.zoneFilter(ctx, fieldOr(q.ZoneField, "zone"), q.Zone)
	if err != nil {
		return Page[*leasing.Lease]{}, fmt.Errorf("list leases: %w", err)
	}
	zoneIDs, tenantID, none, err := listScope(p, leasing.ResourceLease, zoneID, q.TenantID)
	if err != nil || none {
		return Page[*leasing.Lease]{Items: []*leasing.Lease{}}, errWrap("list leases", err)
	}
	items, next, err := s.st.ListLeases(ctx, store.LeaseFilter{ZoneIDs: zoneIDs, TenantID: tenantID, Statuses: q.Statuses, Idle: q.Idle,
		Cursor: q.Cursor, Limit: q.Limit})
	if err != nil {
		return Page[*leasing.Lease]{}, err
	}
	return Page[*leasing.Lease]{Items: emptyIfNil(items), NextCursor: next}, nil
}
