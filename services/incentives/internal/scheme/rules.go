package scheme

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/money"
)

// Window is the days an entitlement may be claimed in: From inclusive, Until EXCLUSIVE. A
// half-open window makes a term of N years exactly N anniversaries long (2026-07-01 + 10 years
// is Until 2036-07-01, last day 2036-06-30), lets Days be Until - From, and lets the unexpired
// part of a term be counted from the end date with no ±1.
type Window struct {
	From  civil.Date `json:"from"`
	Until civil.Date `json:"until"` // exclusive
}

// Days returns the number of days in the window (0 for an empty one).
func (w Window) Days() int { return max(0, w.Until.Sub(w.From)) }

// Contains reports whether d is a day of the window.
func (w Window) Contains(d civil.Date) bool { return !d.Before(w.From) && d.Before(w.Until) }

// Last returns the last day of the window, inclusive (the zero Date for an empty window).
func (w Window) Last() civil.Date {
	if w.Days() == 0 {
		return civil.Date{}
	}
	return w.Until.AddDays(-1)
}

// TaxYears returns the tax years the window has days in, in order (none for an empty window).
// The first and last may be partial: a cap per tax year applies whole to each of them (a policy
// choice; the Act sets no caps per year).
func (w Window) TaxYears() []TaxYear {
	if w.Days() == 0 {
		return nil
	}
	var out []TaxYear
	for y := TaxYearOf(w.From); y <= TaxYearOf(w.Last()); y++ {
		out = append(out, y)
	}
	return out
}

// Window returns the days a licence may claim under v: Term.Years years from the licence's
// valid_from (or, for FromDevelopmentAgreement, the agreement date when known), clipped to the
// licence's validity (valid_until is inclusive, so the window ends at the latest the day after
// it). A window clipped to nothing is empty (From == Until).
func (v Version) Window(l Licence) Window {
	start := l.ValidFrom
	if v.Term.From == FromDevelopmentAgreement && !l.AgreementDate.IsZero() {
		start = l.AgreementDate
	}
	w := Window{From: civil.Max(start, l.ValidFrom), Until: start.AddYears(v.Term.Years)}
	if !l.ValidUntil.IsZero() {
		w.Until = civil.Min(w.Until, l.ValidUntil.AddDays(1))
	}
	if w.Until.Before(w.From) {
		w.Until = w.From
	}
	return w
}

// Limit is a computed cap: Capped is false for CapNone (the amount is then zero, in the
// currency claims are counted in).
type Limit struct {
	Capped bool        `json:"capped"`
	Amount money.Money `json:"amount"`
}

// ErrNoCapForTier: a fixed-per-tier cap has no amount for the licence's tier (Load refuses a
// policy like that, so only a hand-built Version meets it).
var ErrNoCapForTier = errors.New("no cap for the size tier")

// Limit computes the cap for a licence: none (tracked, in the committed investment's
// currency); the fixed amount of its tier (in the policy's currency); or share × committed
// investment, rounded DOWN to the minor unit (a cap never exceeds the exact share), in the
// investment's currency. An overflow is an error, never a wrapped figure.
func (r CapRule) Limit(l Licence) (Limit, error) {
	switch r.Kind {
	case CapFixedPerTier:
		amt, ok := r.PerTier[l.Tier]
		if !ok {
			return Limit{}, fmt.Errorf("cap for tier %q: %w", l.Tier, ErrNoCapForTier)
		}
		return Limit{Capped: true, Amount: amt}, nil
	case CapShareOfInvestment:
		amt, err := l.Investment.MulDiv(r.Share.Num, r.Share.Den)
		if err != nil {
			return Limit{}, fmt.Errorf("cap %s of %s: %w", r.Share, l.Investment, err)
		}
		return Limit{Capped: true, Amount: amt}, nil
	default:
		return Limit{Amount: money.Money{Currency: l.Investment.Currency}}, nil
	}
}

// ErrCapExceeded: a claim does not fit in what remains of a cap.
var ErrCapExceeded = errors.New("cap exceeded")

// Remaining returns what is left of the limit after used: Amount - used for a cap, and for no
// cap the zero amount with capped false (there is nothing to run out of).
func (lim Limit) Remaining(used money.Money) (rest money.Money, capped bool, err error) {
	if !lim.Capped {
		return money.Money{Currency: used.Currency}, false, nil
	}
	rest, err = lim.Amount.Sub(used)
	if err != nil {
		return money.Money{}, true, fmt.Errorf("remaining: %w", err)
	}
	return rest, true, nil
}

// Allows checks that claim fits: used + claim <= the cap. It returns ErrCapExceeded (with
// the figures) when it does not, and the arithmetic's error for other currencies or overflow;
// no cap allows any amount of its currency.
func (lim Limit) Allows(used, claim money.Money) error {
	total, err := used.Add(claim)
	if err != nil {
		return fmt.Errorf("cap check: %w", err)
	}
	if total.Currency != lim.Amount.Currency {
		return fmt.Errorf("cap check: %s against %s: %w", total.Currency, lim.Amount.Currency, money.ErrCurrencyMismatch)
	}
	if lim.Capped && total.AmountMinor > lim.Amount.AmountMinor {
		return fmt.Errorf("%s used + %s claimed is over the cap of %s: %w", used, claim, lim.Amount, ErrCapExceeded)
	}
	return nil
}

// TaxYear is Pakistan's tax year, 1 July to 30 June, named as the Federal Board of Revenue
// names it: by the calendar year in which it ENDS. TaxYear(2027) runs 2026-07-01..2027-06-30
// (what is sometimes written "2026-27").
type TaxYear int

// TaxYearOf returns the tax year d falls in: d's year when d is in January..June, the next
// year when it is in July..December.
func TaxYearOf(d civil.Date) TaxYear {
	if d.Month >= time.July {
		return TaxYear(d.Year + 1)
	}
	return TaxYear(d.Year)
}

// Start returns 1 July of the previous calendar year, the first day of y.
func (y TaxYear) Start() civil.Date { return civil.Date{Year: int(y) - 1, Month: time.July, Day: 1} }

// End returns 30 June, the last day of y (inclusive).
func (y TaxYear) End() civil.Date { return civil.Date{Year: int(y), Month: time.June, Day: 30} }

// String returns the FBR name, "2027".
func (y TaxYear) String() string { return strconv.Itoa(int(y)) }

// Span returns the "2026-27" spelling of y.
func (y TaxYear) Span() string { return fmt.Sprintf("%d-%02d", int(y)-1, int(y)%100) }

// Terms is what an entitlement opens with for one licence under one version: the version it
// keeps for life, its window, its cap and its optional cap per tax year, all in Currency.
type Terms struct {
	Code       string `json:"code"`
	Version    int    `json:"version"`
	Window     Window `json:"window"`
	Cap        Limit  `json:"cap"`
	TaxYearCap *Limit `json:"tax_year_cap,omitempty"`
	// Currency is the currency claims are made in: the cap's.
	Currency string `json:"currency"`
}

// ErrMixedCurrencies: a version's cap and tax-year cap come out in different currencies for a
// licence (a fixed cap in PKR, a share of an investment committed in USD).
var ErrMixedCurrencies = errors.New("the cap and the tax-year cap are in different currencies")

// Terms computes the window and caps a licence gets under v.
func (v Version) Terms(l Licence) (Terms, error) {
	lim, err := v.Cap.Limit(l)
	if err != nil {
		return Terms{}, fmt.Errorf("terms of %s v%d: %w", v.Code, v.Version, err)
	}
	t := Terms{Code: v.Code, Version: v.Version, Window: v.Window(l), Cap: lim, Currency: lim.Amount.Currency}
	if v.TaxYearCap != nil {
		year, err := v.TaxYearCap.Limit(l)
		if err != nil {
			return Terms{}, fmt.Errorf("terms of %s v%d: tax year: %w", v.Code, v.Version, err)
		}
		if year.Amount.Currency != t.Currency {
			return Terms{}, fmt.Errorf("terms of %s v%d: %s and %s: %w", v.Code, v.Version, t.Currency, year.Amount.Currency, ErrMixedCurrencies)
		}
		t.TaxYearCap = &year
	}
	return t, nil
}
