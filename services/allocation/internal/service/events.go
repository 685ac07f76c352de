package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/zoneops/zoneops/libs/events"
	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/envelope"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/store"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// The functions below translate domain values into the event contract (libs/events/
// allocation). They live here, not in the domain packages, so the domain stays free of the
// wire format.

// versioned is one event to publish and the version of its aggregate after the change.
type versioned struct {
	payload events.Payload
	version int64
}

// emit builds the envelopes of evs at at and queues them in tx's outbox.
func emit(ctx context.Context, tx *store.Tx, at time.Time, evs ...versioned) error {
	envs := make([]envelope.Envelope, len(evs))
	for i, e := range evs {
		env, err := events.New(e.payload, e.version, at)
		if err != nil {
			return fmt.Errorf("event %s: %w", e.payload.EventType(), err)
		}
		envs[i] = env
	}
	return tx.Emit(ctx, envs...)
}

func zoningActor(a zoning.Actor) values.Actor {
	return values.Actor{Subject: a.Subject, Role: values.Role(a.Role)}
}

func leasingActor(a leasing.Actor) values.Actor {
	return values.Actor{Subject: a.Subject, Role: values.Role(a.Role)}
}

func leasingActorPtr(a leasing.Actor) *values.Actor {
	x := leasingActor(a)
	return &x
}

func evDate(d leasing.Date) values.Date { return values.Date(d) }

func evDatePtr(d *leasing.Date) *values.Date {
	if d == nil {
		return nil
	}
	x := evDate(*d)
	return &x
}

func evMoney(m leasing.Money) values.Money {
	return values.Money{AmountMinor: m.AmountMinor, Currency: m.Currency}
}

func evSpace(r leasing.SpaceRef) allocation.Space {
	return allocation.Space{Kind: allocation.SpaceKind(r.Kind), ID: r.ID}
}

func evTerms(t leasing.Terms) allocation.Terms {
	return allocation.Terms{StartDate: evDate(t.StartDate), TermMonths: t.TermMonths, RentPerM2Month: evMoney(t.RentPerM2Month),
		Deposit: evMoney(t.Deposit), NoticeMonths: t.NoticeMonths, OfferValidUntil: evDate(t.OfferValidUntil)}
}

// evPolygon carries a boundary as GeoJSON, the form both sides share.
func evPolygon(p *geo.Polygon) (*allocation.Polygon, error) {
	if p == nil || p.IsZero() {
		return nil, nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var out allocation.Polygon
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// lastReason is the reason of the latest history entry: the trimmed, checked text the rule
// recorded, not the raw input.
func lastReason[H any](history []H, reason func(H) string) string {
	if len(history) == 0 {
		return ""
	}
	return reason(history[len(history)-1])
}

func zoningReason(h zoning.HistoryEntry) string   { return h.Reason }
func leasingReason(h leasing.HistoryEntry) string { return h.Reason }

func plotCreated(p *zoning.Plot, actor zoning.Actor) (versioned, error) {
	boundary, err := evPolygon(p.Boundary)
	if err != nil {
		return versioned{}, err
	}
	return versioned{allocation.PlotCreated{PlotID: p.ID, ZoneID: p.ZoneID, Code: string(p.Code), AreaM2: p.AreaM2.M2(),
		LandUse: allocation.LandUse(p.LandUse), Boundary: boundary, Actor: zoningActor(actor)}, p.Version}, nil
}

func leaseSigned(l *leasing.Lease, actor leasing.Actor) versioned {
	return versioned{allocation.LeaseSigned{
		LeaseID: l.ID, RequestID: l.RequestID, TenantID: l.TenantID, LicenceID: l.LicenceID, ZoneID: l.ZoneID,
		Space: evSpace(l.Space), AreaM2: l.AreaM2, LandUse: allocation.LandUse(l.LandUse), LandLease: l.LandLease,
		StartDate: evDate(l.Start), EndDate: evDate(l.End), RentPerM2Month: evMoney(l.Rent), Deposit: evMoney(l.Deposit),
		NoticeMonths: l.NoticeMonths, ConstructionStartDue: evDatePtr(l.ConstructionStartDue),
		ConstructionCompleteDue: evDatePtr(l.ConstructionCompleteDue), Actor: leasingActor(actor),
	}, l.Version}
}

// leaseTerminating describes a lease just put under notice; the actor is absent when the
// service acted on a licence event by itself.
func leaseTerminating(l *leasing.Lease, actor *values.Actor) versioned {
	return versioned{allocation.LeaseTerminating{
		LeaseID: l.ID, TenantID: l.TenantID, Reason: lastReason(l.History, leasingReason),
		NoticeGivenOn: evDate(*l.NoticeGivenOn), EndsOn: evDate(*l.EndsOn),
		Cause: allocation.TerminationCause(l.Cause), Actor: actor,
	}, l.Version}
}

func leaseEnded(l *leasing.Lease) versioned {
	return versioned{allocation.LeaseEnded{LeaseID: l.ID, TenantID: l.TenantID, EndedOn: evDate(*l.EndedOn),
		Cause: allocation.EndCause(l.Cause), Actor: leasingActorPtr(systemActor)}, l.Version}
}
