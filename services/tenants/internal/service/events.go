package service

import (
	"context"
	"time"

	"github.com/zoneops/zoneops/libs/events"
	ev "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/services/tenants/internal/licensing"
	"github.com/zoneops/zoneops/services/tenants/internal/store"
)

// The functions below translate domain values into the event contract. They live here, not in
// licensing, so the domain stays free of the wire format.

func evActor(a licensing.Actor) values.Actor {
	return values.Actor{Subject: a.Subject, Role: values.Role(a.Role)}
}

func evDate(d licensing.Date) values.Date { return values.MustParseDate(d.String()) }

func evDatePtr(d *licensing.Date) *values.Date {
	if d == nil {
		return nil
	}
	x := evDate(*d)
	return &x
}

func evMoney(m licensing.Money) values.Money {
	return values.Money{AmountMinor: m.AmountMinor, Currency: m.Currency}
}

func evCommitments(c licensing.Commitments) ev.Commitments {
	return ev.Commitments{Headcount: c.Headcount, Investment: evMoney(c.Investment), Exports: evMoney(c.Exports), RnDSpend: evMoney(c.RnDSpend)}
}

func evApplicant(a licensing.Applicant) ev.Applicant {
	return ev.Applicant{LegalName: a.LegalName, RegistrationNumber: a.RegistrationNumber, TaxNumber: a.TaxNumber,
		Country: a.Country, Contact: ev.Contact{Name: a.Contact.Name, Email: a.Contact.Email, Phone: a.Contact.Phone}}
}

// emit queues the event of payload (nil for none) for the aggregate at version in tx.
func emit(ctx context.Context, tx *store.Tx, payload events.Payload, version int64, at time.Time) error {
	if payload == nil {
		return nil
	}
	e, err := events.New(payload, version, at)
	if err != nil {
		return err
	}
	return tx.Emit(ctx, e)
}
