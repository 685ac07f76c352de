package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// sweepBatch is how many candidates the sweep reads at a time.
const sweepBatch = 100

// aheadOfEveryZone is the time zone furthest ahead (UTC+14): no zone's today is later than
// today there, so "due before that date" finds every candidate of every zone, and each is
// then judged in its own zone's time.
var aheadOfEveryZone = time.FixedZone("UTC+14", 14*60*60)

// Sweep does what the calendar triggers, as the system, in bounded batches: offers whose last
// valid day has passed lapse (request.expired), leases whose last day has passed end
// (lease.ended), and land leases whose construction deadline passed unrecorded are marked idle
// (lease.space_idle, once per missed milestone). Each record is re-read and judged under its
// zone's lock, so a sweep may run early, twice, or beside another replica's.
func (s *service) Sweep(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	var err error
	if rep.OffersExpired, err = s.sweep(ctx, s.st.OffersDue, s.expireOffer); err != nil {
		return rep, fmt.Errorf("sweep offers: %w", err)
	}
	if rep.LeasesEnded, err = s.sweep(ctx, s.st.LeaseEndsDue, s.endLease); err != nil {
		return rep, fmt.Errorf("sweep lease ends: %w", err)
	}
	if rep.SpacesIdled, err = s.sweep(ctx, s.st.MilestonesDue, s.checkMilestones); err != nil {
		return rep, fmt.Errorf("sweep milestones: %w", err)
	}
	return rep, nil
}

// sweepStep acts on one candidate under its zone's lock and reports how many things it
// changed (0 when the candidate turned out not to be due).
type sweepStep func(ctx context.Context, tx *store.Tx, z *zoning.Zone, id string, now time.Time) (int, error)

// sweep pages through the candidates that due finds and runs step on each, one write
// transaction per zone and batch.
func (s *service) sweep(ctx context.Context, due func(context.Context, leasing.Date, string, int) ([]store.Due, error), step sweepStep) (int, error) {
	now := s.now()
	before := leasing.DateOf(now, aheadOfEveryZone)
	total, after := 0, ""
	for {
		batch, err := due(ctx, before, after, sweepBatch)
		if err != nil || len(batch) == 0 {
			return total, err
		}
		after = batch[len(batch)-1].ID
		var zones []string
		byZone := map[string][]string{}
		for _, d := range batch {
			if _, seen := byZone[d.ZoneID]; !seen {
				zones = append(zones, d.ZoneID)
			}
			byZone[d.ZoneID] = append(byZone[d.ZoneID], d.ID)
		}
		for _, zoneID := range zones {
			n := 0
			err := s.st.Write(ctx, func(tx *store.Tx) error {
				n = 0 // the transaction may run again
				z, err := tx.LockZone(ctx, zoneID)
				if err != nil {
					return err
				}
				for _, id := range byZone[zoneID] {
					k, err := step(ctx, tx, z, id, now)
					if err != nil {
						return err
					}
					n += k
				}
				return nil
			})
			if err != nil {
				return total, err
			}
			total += n
		}
		if len(batch) < sweepBatch {
			return total, nil
		}
	}
}

// settled reports errors that mean another actor got there first (the record moved on since
// it was found): the sweep leaves it alone.
func settled(err error) bool {
	return errors.Is(err, fault.ErrConflict) || errors.Is(err, leasing.ErrOfferStillValid)
}

func (s *service) expireOffer(ctx context.Context, tx *store.Tx, z *zoning.Zone, id string, now time.Time) (int, error) {
	r, err := tx.Request(ctx, id)
	if err != nil {
		return 0, err
	}
	policy := s.policy.LeasingFor(z)
	if err := r.Expire(now, systemActor, policy); err != nil {
		if settled(err) {
			return 0, nil
		}
		return 0, fmt.Errorf("request %s: %w", id, err)
	}
	if err := tx.UpdateRequest(ctx, r); err != nil {
		return 0, err
	}
	return 1, emit(ctx, tx, now, versioned{allocation.RequestExpired{RequestID: r.ID,
		OfferValidUntil: evDate(r.Offer.Terms.OfferValidUntil), Actor: leasingActorPtr(systemActor)}, r.Version})
}

func (s *service) endLease(ctx context.Context, tx *store.Tx, z *zoning.Zone, id string, now time.Time) (int, error) {
	l, err := tx.Lease(ctx, id)
	if err != nil {
		return 0, err
	}
	ended, err := l.EndIfDue(now, systemActor, s.policy.LeasingFor(z))
	if err != nil {
		if settled(err) {
			return 0, nil
		}
		return 0, fmt.Errorf("lease %s: %w", id, err)
	}
	if !ended {
		return 0, nil
	}
	if err := tx.UpdateLease(ctx, l); err != nil {
		return 0, err
	}
	return 1, emit(ctx, tx, now, leaseEnded(l))
}

func (s *service) checkMilestones(ctx context.Context, tx *store.Tx, z *zoning.Zone, id string, now time.Time) (int, error) {
	l, err := tx.Lease(ctx, id)
	if err != nil {
		return 0, err
	}
	// One event per missed milestone, each at the version its report made: two deadlines
	// clamped to a short lease's end are missed on the same day.
	var evs []versioned
	for {
		m, err := l.CheckMilestones(now, systemActor, s.policy.LeasingFor(z))
		if err != nil {
			if settled(err) && len(evs) == 0 {
				return 0, nil
			}
			return 0, fmt.Errorf("lease %s: %w", id, err)
		}
		if m == nil {
			break
		}
		evs = append(evs, versioned{allocation.LeaseSpaceIdle{LeaseID: l.ID, TenantID: l.TenantID, LicenceID: l.LicenceID, ZoneID: l.ZoneID,
			Space: evSpace(l.Space), MissedMilestone: allocation.MissedMilestone(m.MissedName()), Due: evDate(m.Due),
			Actor: leasingActorPtr(systemActor)}, l.Version})
	}
	if len(evs) == 0 {
		return 0, nil
	}
	if err := tx.UpdateLease(ctx, l); err != nil {
		return 0, err
	}
	return 1, emit(ctx, tx, now, evs...)
}
