package leasing

import (
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Bounds of Terms.
const (
	MinTermMonths   = 1
	MaxTermMonths   = 1200 // 100 years: the longest land lease a zone grants
	MaxNoticeMonths = 24
)

// Terms are what a zone developer offers a space on.
type Terms struct {
	// StartDate is the lease's first day (zone time).
	StartDate Date `json:"start_date"`
	// TermMonths is the lease's length in calendar months.
	TermMonths int `json:"term_months"`
	// RentPerM2Month is the rent per square metre per month, in minor units.
	RentPerM2Month Money `json:"rent_per_m2_month"`
	// Deposit is the security deposit, in the rent's currency.
	Deposit Money `json:"deposit"`
	// NoticeMonths is the notice period for terminating the lease.
	NoticeMonths int `json:"notice_months"`
	// OfferValidUntil is the last day (zone time) on which the offer may be accepted.
	OfferValidUntil Date `json:"offer_valid_until"`
}

// TermsInput is terms as a client sends them.
type TermsInput struct {
	StartDate       string     `json:"start_date"`
	TermMonths      int        `json:"term_months"`
	RentPerM2Month  MoneyInput `json:"rent_per_m2_month"`
	Deposit         MoneyInput `json:"deposit"`
	NoticeMonths    int        `json:"notice_months"`
	OfferValidUntil string     `json:"offer_valid_until"`
}

// ParseTerms validates every field and reports every bad one at once. The notice period may
// not exceed the term; the rent must be more than zero; the deposit may be zero but must be in the rent's currency; the offer must lapse
// no later than the lease starts. Whether the dates lie ahead is checked against the day the
// offer is made, by Request.MakeOffer.
func ParseTerms(in TermsInput) (Terms, error) {
	var f fault.Fields
	start, err := ParseDate(in.StartDate)
	f.Merge("start_date", err)
	if in.TermMonths < MinTermMonths || in.TermMonths > MaxTermMonths {
		f.Addf("term_months", "must be between %d and %d", MinTermMonths, MaxTermMonths)
	}
	rent, err := NewMoney(in.RentPerM2Month.AmountMinor, in.RentPerM2Month.Currency)
	f.Merge("rent_per_m2_month", err)
	if err == nil && rent.AmountMinor == 0 {
		f.Add("rent_per_m2_month.amount_minor", "must be more than zero")
	}
	deposit, err := NewMoney(in.Deposit.AmountMinor, in.Deposit.Currency)
	f.Merge("deposit", err)
	if err == nil && rent.Currency != "" && deposit.Currency != rent.Currency {
		f.Addf("deposit.currency", "must be the rent's currency, %s", rent.Currency)
	}
	switch {
	case in.NoticeMonths < 0 || in.NoticeMonths > MaxNoticeMonths:
		f.Addf("notice_months", "must be between 0 and %d", MaxNoticeMonths)
	case in.TermMonths >= MinTermMonths && in.NoticeMonths > in.TermMonths:
		f.Add("notice_months", "must not exceed the term")
	}
	valid, err := ParseDate(in.OfferValidUntil)
	f.Merge("offer_valid_until", err)
	if !start.IsZero() && !valid.IsZero() && valid.After(start) {
		f.Addf("offer_valid_until", "must not be after the start date, %s", start)
	}
	if err := f.Err(); err != nil {
		return Terms{}, err
	}
	return Terms{
		StartDate: start, TermMonths: in.TermMonths, RentPerM2Month: rent, Deposit: deposit,
		NoticeMonths: in.NoticeMonths, OfferValidUntil: valid,
	}, nil
}

// End returns the last day of a lease on these terms: StartDate + TermMonths − 1 day.
func (t Terms) End() Date { return t.StartDate.AddMonths(t.TermMonths).AddDays(-1) }

// Period returns the days a lease on these terms would hold its space.
func (t Terms) Period() Period { return Period{From: t.StartDate, To: t.End()} }

// validate re-checks terms that did not come through ParseTerms (built in code or read back),
// so MakeOffer never stores terms ParseTerms would have refused.
func (t Terms) validate() error {
	_, err := ParseTerms(TermsInput{
		StartDate: t.StartDate.String(), TermMonths: t.TermMonths,
		RentPerM2Month:  MoneyInput(t.RentPerM2Month),
		Deposit:         MoneyInput(t.Deposit),
		NoticeMonths:    t.NoticeMonths,
		OfferValidUntil: t.OfferValidUntil.String(),
	})
	return err
}
