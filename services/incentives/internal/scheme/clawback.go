package scheme

import (
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/money"
)

// Claim is an accepted claim as clawback sees it: when the exempted transaction took place and
// the tax foregone. Reversed claims are left out by the caller.
type Claim struct {
	Date     civil.Date
	Exempted money.Money
}

// Clawback returns what is to be recovered when the licence ends on endedOn, the first day it
// no longer holds (the effective date of a revocation or surrender), from the claims accepted
// in window w, all in currency. Nothing is recovered when the licence ends on or after
// w.Until (the term ran its course). Otherwise:
//
//   - none: zero;
//   - full: the sum of the claims;
//   - pro_rata: the sum × unexpired days / window days, where unexpired days are
//     w.Until - endedOn (all of them when it ends before w.From): a 10-year window
//     2026-07-01..2036-07-01 (3,653 days) ended on 2032-07-01 has 1,461 days unexpired, so
//     PKR 10,000,000 utilised gives PKR 3,999,452.50, not a round 4,000,000, because the
//     leap days fall unevenly;
//   - depreciated over N years: for each claim, its exempted amount × the share of its own
//     straight-line schedule not yet run at endedOn. The schedule runs from the claim's date
//     for N years, [date, date+N years), in days; the part not yet run is
//     (schedule days - days from the claim's date to endedOn), at least 0 and at most all
//     of it. PKR 1,000,000 of duty on goods imported 2027-07-01, 5-year schedule (1,827 days)
//     and an end on 2029-07-01 (731 days run): 1,096/1,827 remain, PKR 599,890.53.
//
// Every share is rounded DOWN to the minor unit, claim by claim (the state never asks for more
// than the exact figure). Overflow and claims in another currency are errors.
func (r ClawbackRule) Clawback(w Window, endedOn civil.Date, currency string, claims []Claim) (money.Money, error) {
	zero := money.Money{Currency: currency}
	if r.Kind == ClawbackNone || !endedOn.Before(w.Until) {
		return zero, nil
	}
	utilised := make([]money.Money, len(claims))
	for i, c := range claims {
		utilised[i] = c.Exempted
	}
	total, err := money.Sum(currency, utilised...)
	if err != nil {
		return money.Money{}, fmt.Errorf("clawback: %w", err)
	}
	switch r.Kind {
	case ClawbackFull:
		return total, nil
	case ClawbackProRata:
		days := w.Days()
		if days == 0 {
			return zero, nil
		}
		unexpired := min(days, w.Until.Sub(endedOn))
		out, err := total.MulDiv(int64(unexpired), int64(days))
		if err != nil {
			return money.Money{}, fmt.Errorf("clawback pro rata: %w", err)
		}
		return out, nil
	case ClawbackDepreciated:
		out := zero
		for _, c := range claims {
			left, err := Undepreciated(c, r.Years, endedOn)
			if err != nil {
				return money.Money{}, fmt.Errorf("clawback depreciated: %w", err)
			}
			if out, err = out.Add(left); err != nil {
				return money.Money{}, fmt.Errorf("clawback depreciated: %w", err)
			}
		}
		return out, nil
	}
	return zero, nil
}

// Undepreciated returns the share of c's exempted amount that a straight-line schedule of years
// years from c.Date has not yet written off on day on, rounded down: all of it on or before
// c.Date, none from c.Date + years on.
func Undepreciated(c Claim, years int, on civil.Date) (money.Money, error) {
	days := c.Date.AddYears(years).Sub(c.Date)
	if days <= 0 {
		return money.Money{Currency: c.Exempted.Currency}, nil
	}
	run := min(max(on.Sub(c.Date), 0), days)
	return c.Exempted.MulDiv(int64(days-run), int64(days))
}
