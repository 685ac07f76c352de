package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// LicenceChange is what a tenants-service licence event says about a licence, in leasing's
// words. The licence consumer builds it from licence.granted, suspended, reinstated, expired,
// revoked and surrendered.
type LicenceChange struct {
	LicenceID string
	// Version is the licence aggregate's version after the change.
	Version int64
	// Status is the licence's status after the change.
	Status leasing.LicenceStatus
	// TenantID and ZoneCode name the licensee and the zone the licence is for; only
	// licence.granted carries them.
	TenantID string
	ZoneCode string
	// At is when the change happened (the event's time).
	At time.Time
}

// LicenceOutcome says what applying a LicenceChange did.
type LicenceOutcome struct {
	// Applied is false for a change older than what the projection holds (it changed
	// nothing, except that a late licence.granted still records whose licence it is).
	Applied bool
	// Terminating are the leases put under notice because the licence was revoked or
	// surrendered; Ended are those whose term had already run out by then, which simply ended.
	Terminating []*leasing.Lease
	Ended       []*leasing.Lease
}

// ApplyLicence applies a licence change to the projection in tx, the consumer runner's
// transaction, at now (the service's clock).
//
// Events of one licence may arrive out of order: a change whose version is not newer than the
// projection's changes no status (leasing.Licence.Apply). licence.granted alone names the
// tenant and the zone, so when it arrives after a later status event it still fills them in
// (a status event that overtakes it creates the projection with its status and no identity).
//
// When a revocation or surrender is applied to a licence that was not already revoked or
// surrendered, every active lease made under that licence is put under notice
// (leasing.Lease.TerminateForLicence, from the day of the event in zone time, at most today):
// each ends when its notice period runs out, never after its own end. A lease whose end date
// had already passed by that day is not put under notice (ErrLeaseOver): it simply ends now
// (EndIfDue), as the sweep would have ended it. Leases already under notice keep their end.
// lease.terminating and lease.ended go into the outbox in tx.
//
// Lock order is the service's: the licence's zone first (by its code), then the licence row,
// so a revocation and an acceptance in that zone serialise: either the acceptance sees the
// revoked licence, or the revocation sees the new lease and terminates it.
func ApplyLicence(ctx context.Context, tx *store.Tx, ch LicenceChange, policy Policy, now time.Time) (LicenceOutcome, error) {
	var out LicenceOutcome
	zoneCode := ch.ZoneCode
	if zoneCode == "" {
		known, _, err := tx.LicenceByID(ctx, ch.LicenceID, false)
		if err != nil {
			return out, err
		}
		zoneCode = known.ZoneCode
	}
	var zone *zoning.Zone
	if zoneCode != "" {
		z, ok, err := tx.LockZoneByCode(ctx, zoneCode)
		if err != nil {
			return out, err
		}
		if ok {
			zone = z
		}
	}
	rec, found, err := tx.LicenceByID(ctx, ch.LicenceID, true)
	if err != nil {
		return out, err
	}
	if !found {
		rec = store.LicenceRecord{Licence: leasing.Licence{ID: ch.LicenceID}}
	}
	identified := false
	if ch.TenantID != "" && !rec.Known() {
		rec.TenantID, rec.ZoneCode, identified = ch.TenantID, ch.ZoneCode, true
	}
	previous := rec.Status
	out.Applied, err = rec.Apply(ch.Version, ch.Status)
	if err != nil {
		return out, err // invalid: a retry cannot help
	}
	if !out.Applied && !identified {
		return out, nil
	}
	if err := tx.UpsertLicence(ctx, rec); err != nil {
		return out, err
	}
	if !out.Applied || !ch.Status.TerminatesLeases() || previous.TerminatesLeases() {
		return out, nil
	}

	leases, err := tx.ActiveLeasesOfLicence(ctx, rec.ID)
	if err != nil {
		return out, err
	}
	zones := map[string]*zoning.Zone{}
	if zone != nil {
		zones[zone.ID] = zone
	}
	for _, l := range leases {
		z, ok := zones[l.ZoneID]
		if !ok {
			// Leases under a licence lie in its zone; a lease elsewhere is locked in its turn.
			if z, err = tx.LockZone(ctx, l.ZoneID); err != nil {
				return out, err
			}
			zones[l.ZoneID] = z
		}
		p := policy.LeasingFor(z)
		on := leasing.DateOf(ch.At, p.Location)
		if today := p.Today(now); ch.At.IsZero() || on.After(today) {
			on = today
		}
		err := l.TerminateForLicence(ch.Status, on, now, systemActor, p)
		var ev versioned
		switch {
		case errors.Is(err, leasing.ErrLeaseOver):
			ended, err := l.EndIfDue(now, systemActor, p)
			if err != nil {
				return out, fmt.Errorf("lease %s: %w", l.ID, err)
			}
			if !ended {
				continue
			}
			ev = leaseEnded(l)
			out.Ended = append(out.Ended, l)
		case err != nil:
			return out, fmt.Errorf("lease %s: %w", l.ID, err)
		default:
			ev = leaseTerminating(l, leasingActorPtr(systemActor))
			out.Terminating = append(out.Terminating, l)
		}
		if err := tx.UpdateLease(ctx, l); err != nil {
			return out, err
		}
		if err := emit(ctx, tx, now, ev); err != nil {
			return out, err
		}
	}
	return out, nil
}
