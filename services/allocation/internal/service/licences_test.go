package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
)

// TestRevocationPutsTheLicencesLeasesUnderNotice: revoking a licence terminates every active
// lease made under it with its notice period (never past its end), ends at once a lease whose
// term had already run out, leaves a lease already under notice alone, and publishes
// lease.terminating and lease.ended; a second revocation-like event changes nothing.
func TestRevocationPutsTheLicencesLeasesUnderNotice(t *testing.T) {
	sqliteOnly(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		s := f.site(t, "ISB")
		licence := f.grant(t, tenantA, "ISB")
		short := f.lease(t, s.dev, s.zone.ID, unitRef(s.unit.ID), offerTerms("2026-04-01", 1))    // ends 30 April
		land := f.lease(t, s.dev, s.zone.ID, plotRef(s.bare.ID), offerTerms("2026-04-01", 12))    // notice 3 months
		later := f.lease(t, s.dev, s.zone.ID, unitRef(s.unit.ID), offerTerms("2026-06-01", 12))   // after the short one
		noticed := f.lease(t, s.dev, s.zone.ID, plotRef(s.plot.ID), offerTerms("2027-06-01", 12)) // the plot once the unit is free
		f.clock.Set(time.Date(2026, 5, 10, 5, 0, 0, 0, time.UTC))
		must[*leasing.Lease](t)(f.svc.TerminateLease(ctx, s.dev, noticed.ID, service.TerminateInput{Reason: "plans changed"}))

		since := f.outboxLen(t)
		out := f.applyLicence(t, service.LicenceChange{LicenceID: licence, Version: 2, Status: leasing.LicenceRevoked, At: f.clock.Now()})
		if !out.Applied || len(out.Terminating) != 2 || len(out.Ended) != 1 || out.Ended[0].ID != short.ID {
			t.Fatalf("outcome %+v", out)
		}
		for _, id := range []string{land.ID, later.ID} {
			l := must[*leasing.Lease](t)(f.svc.GetLease(ctx, operator, id))
			if l.Status != leasing.LeaseTerminating || l.Cause != leasing.CauseLicenceRevoked || l.NoticeGivenOn.String() != "2026-05-10" {
				t.Errorf("lease %s: %s, cause %s, notice %v", id, l.Status, l.Cause, l.NoticeGivenOn)
			}
		}
		if l := must[*leasing.Lease](t)(f.svc.GetLease(ctx, operator, land.ID)); l.EndsOn.String() != "2026-08-10" {
			t.Errorf("land lease ends on %v, want 2026-08-10", l.EndsOn)
		}
		if l := must[*leasing.Lease](t)(f.svc.GetLease(ctx, operator, later.ID)); l.EndsOn.String() != "2026-08-10" {
			t.Errorf("a lease that had not started ends on %v, want 2026-08-10", l.EndsOn)
		}
		if l := must[*leasing.Lease](t)(f.svc.GetLease(ctx, operator, short.ID)); l.Status != leasing.LeaseEnded || l.Cause != leasing.CauseTermEnd {
			t.Errorf("the lease past its term: %s, cause %s", l.Status, l.Cause)
		}
		if l := must[*leasing.Lease](t)(f.svc.GetLease(ctx, operator, noticed.ID)); l.Cause != leasing.CauseNotice {
			t.Errorf("a lease already under notice was moved: cause %s", l.Cause)
		}
		evs := f.events(t, since)
		if !slices.Equal(types(evs), []string{"lease.ended", "lease.terminating", "lease.terminating"}) {
			t.Fatalf("events %v", types(evs))
		}
		for _, e := range evs[1:] {
			term := e.Payload.(allocation.LeaseTerminating)
			if term.Cause != "licence_revoked" || term.TenantID != tenantA || term.Actor == nil || term.Actor.Role != values.RoleSystem {
				t.Errorf("lease.terminating %+v", term)
			}
		}
		if rec := must[store.LicenceRecord](t)(f.st.GetLicence(ctx, licence)); rec.Status != leasing.LicenceRevoked || rec.Version != 2 || rec.ZoneCode != "ISB" {
			t.Errorf("projection %+v", rec)
		}

		since = f.outboxLen(t)
		out = f.applyLicence(t, service.LicenceChange{LicenceID: licence, Version: 3, Status: leasing.LicenceSurrendered, At: f.clock.Now()})
		if !out.Applied || len(out.Terminating)+len(out.Ended) != 0 || f.outboxLen(t) != since {
			t.Errorf("surrender after revocation: %+v", out)
		}
		_, err := f.svc.SubmitRequest(ctx, alice, leasing.RequestInput{ZoneID: s.zone.ID, Space: plotRef(s.bare.ID)})
		wantKind(t, "a tenant whose licence is gone", err, leasing.ErrLicenceNotActive)
	})
}

// TestLicenceEventsInAnyOrder: a status event that overtakes licence.granted creates the
// projection without identity; the late grant fills it in and changes no status; an older
// event changes nothing; a version below 1 is invalid.
func TestLicenceEventsInAnyOrder(t *testing.T) {
	sqliteOnly(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		id := service.NewID()
		out := f.applyLicence(t, service.LicenceChange{LicenceID: id, Version: 2, Status: leasing.LicenceSuspended, At: t0})
		if !out.Applied {
			t.Errorf("the first event seen was not applied")
		}
		if rec := must[store.LicenceRecord](t)(f.st.GetLicence(ctx, id)); rec.Known() || rec.Status != leasing.LicenceSuspended {
			t.Errorf("before the grant: %+v", rec)
		}
		out = f.applyLicence(t, service.LicenceChange{LicenceID: id, Version: 1, Status: leasing.LicenceActive, TenantID: tenantA, ZoneCode: "ISB", At: t0})
		if out.Applied {
			t.Errorf("the late grant was applied as a status change")
		}
		rec := must[store.LicenceRecord](t)(f.st.GetLicence(ctx, id))
		if rec.TenantID != tenantA || rec.ZoneCode != "ISB" || rec.Status != leasing.LicenceSuspended || rec.Version != 2 {
			t.Errorf("after the late grant: %+v", rec)
		}
		f.applyLicence(t, service.LicenceChange{LicenceID: id, Version: 2, Status: leasing.LicenceActive, At: t0})
		if rec := must[store.LicenceRecord](t)(f.st.GetLicence(ctx, id)); rec.Status != leasing.LicenceSuspended {
			t.Errorf("a replayed version changed the status to %s", rec.Status)
		}
		err := f.st.Write(ctx, func(tx *store.Tx) error {
			_, err := service.ApplyLicence(ctx, tx, service.LicenceChange{LicenceID: id, Version: 0, Status: leasing.LicenceActive}, service.DefaultPolicy(), t0)
			return err
		})
		wantKind(t, "version 0", err, fault.ErrInvalid)
	})
}
