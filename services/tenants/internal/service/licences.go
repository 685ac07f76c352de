package service

import (
	"context"
	"fmt"
	"time"

	"github.com/zoneops/zoneops/libs/events"
	ev "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
)

// changeLicence authorises act on the licence and runs do on it (see writeLicence).
func (s *service) changeLicence(ctx context.Context, p licensing.Principal, id string, act licensing.Action,
	do func(l *licensing.Licence, at time.Time) (events.Payload, error)) (*licensing.Licence, error) {
	l, err := s.writeLicence(ctx, id, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
		if err := licensing.Authorize(p, act, licensing.LicenceResource(l)); err != nil {
			return nil, err
		}
		return do(l, at)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", act, err)
	}
	return l, nil
}

// writeLicence runs one change of a licence in one unit of work: lock it, apply do at the
// clock's time, save it and emit do's event.
func (s *service) writeLicence(ctx context.Context, id string, do func(l *licensing.Licence, at time.Time) (events.Payload, error)) (*licensing.Licence, error) {
	var out *licensing.Licence
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		l, err := tx.Licence(ctx, id)
		if err != nil {
			return err
		}
		at := s.now()
		payload, err := do(l, at)
		if err != nil {
			return err
		}
		if err := tx.SaveLicence(ctx, l); err != nil {
			return err
		}
		out = l
		return emit(ctx, tx, payload, l.Version, at)
	})
	return out, err
}

func lastReason(l *licensing.Licence) string { return l.History[len(l.History)-1].Reason }

func (s *service) SuspendLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error) {
	return s.changeLicence(ctx, p, id, licensing.ActionSuspend, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
		if err := l.Suspend(at, p.Actor(), reason); err != nil {
			return nil, err
		}
		return ev.LicenceSuspended{LicenceID: l.ID, Reason: lastReason(l), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) ReinstateLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error) {
	return s.changeLicence(ctx, p, id, licensing.ActionReinstate, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
		if err := l.Reinstate(at, p.Actor(), reason); err != nil {
			return nil, err
		}
		return ev.LicenceReinstated{LicenceID: l.ID, Reason: lastReason(l), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) IssueShowCause(ctx context.Context, p licensing.Principal, id, reason string, replyDue licensing.Date) (*licensing.Licence, error) {
	return s.changeLicence(ctx, p, id, licensing.ActionIssueShowCause, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
		if err := l.IssueShowCause(at, p.Actor(), reason, replyDue, s.policy); err != nil {
			return nil, err
		}
		return ev.LicenceShowCauseIssued{LicenceID: l.ID, Reason: lastReason(l), ReplyDue: evDate(replyDue), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) ReplyShowCause(ctx context.Context, p licensing.Principal, id, reply string) (*licensing.Licence, error) {
	return s.changeLicence(ctx, p, id, licensing.ActionReplyShowCause, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
		if err := l.ReplyShowCause(at, p.Actor(), reply); err != nil {
			return nil, err
		}
		return ev.LicenceShowCauseReplied{LicenceID: l.ID, Reply: l.ShowCause.Reply, ReplyDue: evDate(l.ShowCause.ReplyDue), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) RevokeLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error) {
	return s.changeLicence(ctx, p, id, licensing.ActionRevoke, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
		if err := l.Revoke(at, p.Actor(), reason, s.policy); err != nil {
			return nil, err
		}
		return ev.LicenceRevoked{LicenceID: l.ID, Reason: lastReason(l), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) SurrenderLicence(ctx context.Context, p licensing.Principal, id, reason string) (*licensing.Licence, error) {
	return s.changeLicence(ctx, p, id, licensing.ActionSurrender, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
		if err := l.Surrender(at, p.Actor(), reason); err != nil {
			return nil, err
		}
		return ev.LicenceSurrendered{LicenceID: l.ID, Reason: lastReason(l), Actor: evActor(p.Actor())}, nil
	})
}

func (s *service) GetLicence(ctx context.Context, p licensing.Principal, id string) (*licensing.Licence, error) {
	l, err := s.store.GetLicence(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get licence: %w", err)
	}
	if err := licensing.Authorize(p, licensing.ActionRead, licensing.LicenceResource(l)); err != nil {
		return nil, fmt.Errorf("get licence %s: %w", id, err)
	}
	return l, nil
}

func (s *service) ListLicences(ctx context.Context, p licensing.Principal, q LicenceQuery) (Page[*licensing.Licence], error) {
	f := store.LicenceFilter{Statuses: q.Statuses, Zone: q.Zone, Kind: q.Kind, Cursor: q.Cursor, Limit: q.Limit}
	if err := scopeList(p, licensing.ResourceLicence, &f.TenantID, &f.Zone); err != nil {
		return Page[*licensing.Licence]{}, fmt.Errorf("list licences: %w", err)
	}
	items, next, err := s.store.ListLicences(ctx, f)
	if err != nil {
		return Page[*licensing.Licence]{}, err
	}
	return db.PageOf(items, next), nil
}

func (s *service) ExpireDue(ctx context.Context) (int, error) {
	now := s.now()
	ids, err := s.store.ExpiringLicences(ctx, s.policy.Today(now).String(), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		_, err := s.writeLicence(ctx, id, func(l *licensing.Licence, at time.Time) (events.Payload, error) {
			if err := l.Expire(at, systemActor, s.policy); err != nil {
				return nil, err
			}
			sys := evActor(systemActor)
			return ev.LicenceExpired{LicenceID: l.ID, ValidUntil: evDate(l.ValidUntil), Actor: &sys}, nil
		})
		if err != nil {
			return n, fmt.Errorf("expire licence %s: %w", id, err)
		}
		n++
	}
	return n, nil
}
