package ledger

import (
	"fmt"
	"slices"

	"github.com/zoneops/zoneops/libs/platform/money"
)

// Source is who holds a suspension of an entitlement.
type Source string

// The sources of suspension. The entitlement is suspended while any of them holds it.
const (
	SourceLicence    Source = "licence"
	SourceOperator   Source = "operator"
	SourceCompliance Source = "compliance"
)

// Holds is the set of sources suspending an entitlement, sorted. It is a value: With and
// Without return a new set.
type Holds []Source

// With returns the set with s added (once).
func (h Holds) With(s Source) Holds {
	if slices.Contains(h, s) {
		return h
	}
	out := append(slices.Clone(h), s)
	slices.Sort(out)
	return out
}

// Without returns the set with s removed; the other holds stay.
func (h Holds) Without(s Source) Holds {
	return slices.DeleteFunc(slices.Clone(h), func(x Source) bool { return x == s })
}

// Suspended reports whether any source holds the entitlement.
func (h Holds) Suspended() bool { return len(h) > 0 }

// YearCap is the cap of one tax year, in minor units of the entitlement's currency.
type YearCap struct {
	Year TaxYear
	Cap  int64
}

// Entitlement is what the ledger needs to know of an entitlement to decide: its terms (fixed
// when it opens) and who suspends it now.
type Entitlement struct {
	ID       string
	Scheme   string
	Currency string
	// Uncapped marks an entitlement tracked without cap: it keeps Utilised only.
	Uncapped bool
	// Cap is the term cap in minor units, above zero unless Uncapped.
	Cap int64
	// TaxYearCaps are the caps of the tax years of the term, if the scheme caps each year.
	TaxYearCaps []YearCap
	Holds       Holds
}

// Validate checks that the terms are ones the ledger can keep.
func (e Entitlement) Validate() error {
	bad := func(format string, args ...any) error {
		return Violation{Rule: RuleInvalidTerms, Detail: fmt.Sprintf("entitlement %q: ", e.ID) + fmt.Sprintf(format, args...)}
	}
	if !validID(e.ID) || !validID(e.Scheme) {
		return bad("entitlement and scheme ids must be non-empty, without ':' or spaces (scheme %q)", e.Scheme)
	}
	if _, err := money.ParseCurrency(e.Currency); err != nil {
		return bad("currency %q: %v", e.Currency, err)
	}
	switch {
	case e.Uncapped && (e.Cap != 0 || len(e.TaxYearCaps) > 0):
		return bad("tracked without cap, yet has a cap")
	case !e.Uncapped && e.Cap <= 0:
		return bad("cap %d must be positive", e.Cap)
	}
	seen := map[TaxYear]bool{}
	for _, yc := range e.TaxYearCaps {
		switch {
		case yc.Year <= 0 || seen[yc.Year]:
			return bad("tax year %d missing or repeated", yc.Year)
		case yc.Cap <= 0:
			return bad("tax year %s cap %d must be positive", yc.Year, yc.Cap)
		}
		seen[yc.Year] = true
	}
	return nil
}

func (e Entitlement) yearCap(y TaxYear) (int64, bool) {
	i := slices.IndexFunc(e.TaxYearCaps, func(yc YearCap) bool { return yc.Year == y })
	if i < 0 {
		return 0, false
	}
	return e.TaxYearCaps[i].Cap, true
}

func (e Entitlement) m(amount int64) money.Money {
	return money.Money{AmountMinor: amount, Currency: e.Currency}
}

func leg(a Account, s Side, m money.Money) Posting { return Posting{Account: a, Side: s, Amount: m} }

// Open decides the transaction that opens an entitlement: the scheme authorises the term
// cap (debit caps_authorised, credit the entitlement's cap) and each tax-year cap (debit
// tax_year_caps_authorised, credit the year's cap). An entitlement tracked without cap opens
// with no postings.
func Open(ref Ref, e Entitlement) (Transaction, error) {
	if err := e.Validate(); err != nil {
		return Transaction{}, fmt.Errorf("open: %w", err)
	}
	var legs []Posting
	if !e.Uncapped {
		legs = append(legs,
			leg(SchemeAccount(e.Scheme, CapsAuthorised), Debit, e.m(e.Cap)),
			leg(EntitlementAccount(e.ID, Cap), Credit, e.m(e.Cap)))
	}
	for _, yc := range e.TaxYearCaps {
		legs = append(legs,
			leg(SchemeAccount(e.Scheme, TaxYearCapsAuthorised), Debit, e.m(yc.Cap)),
			leg(TaxYearAccount(e.ID, TaxYearCap, yc.Year), Credit, e.m(yc.Cap)))
	}
	tx, err := NewTransaction(ref, KindOpen, e.ID, "", legs...)
	if err != nil {
		return Transaction{}, fmt.Errorf("open: %w", err)
	}
	return tx, nil
}

// checkAmount applies the rules every amount keeps: positive, in the entitlement's currency.
func checkAmount(e Entitlement, amount money.Money) error {
	if amount.AmountMinor <= 0 {
		return Violation{Rule: RuleNotPositive, Detail: fmt.Sprintf("amount %s must be above zero", amount)}
	}
	if amount.Currency != e.Currency {
		return Violation{Rule: RuleCurrencyMismatch, Detail: fmt.Sprintf("amount in %s, entitlement in %s", amount.Currency, e.Currency)}
	}
	return nil
}

// Claim decides a claim of amount in tax year year against the current balances. It refuses,
// naming the rule, an amount not above zero, in another currency, while suspended, beyond
// what remains of the term cap or of the year's cap, or that would overflow utilised. An
// accepted claim debits revenue_foregone and credits utilised (the grant); a capped one also
// debits the cap and credits caps_authorised (the headroom it used); a capped-per-year one
// also moves the amount from the year's cap to the year's utilised.
func Claim(ref Ref, e Entitlement, b *Balances, amount money.Money, year TaxYear) (Transaction, error) {
	if err := e.Validate(); err != nil {
		return Transaction{}, fmt.Errorf("claim: %w", err)
	}
	if err := checkAmount(e, amount); err != nil {
		return Transaction{}, fmt.Errorf("claim: %w", err)
	}
	if e.Holds.Suspended() {
		return Transaction{}, fmt.Errorf("claim: %w", Violation{Rule: RuleSuspended, Detail: fmt.Sprintf("entitlement %q is suspended by %v", e.ID, e.Holds)})
	}
	if !e.Uncapped {
		if left := b.amount(EntitlementAccount(e.ID, Cap)); amount.AmountMinor > left {
			return Transaction{}, fmt.Errorf("claim: %w", Violation{Rule: RuleCapExceeded, Detail: fmt.Sprintf("%s claimed, %s left of the cap", amount, e.m(left))})
		}
	}
	if len(e.TaxYearCaps) > 0 {
		if _, ok := e.yearCap(year); !ok {
			return Transaction{}, fmt.Errorf("claim: %w", Violation{Rule: RuleTaxYearOutsideTerm, Detail: fmt.Sprintf("tax year %s has no cap in the term", year)})
		}
		if left := b.amount(TaxYearAccount(e.ID, TaxYearCap, year)); amount.AmountMinor > left {
			return Transaction{}, fmt.Errorf("claim: %w", Violation{Rule: RuleTaxYearCapExceeded, Detail: fmt.Sprintf("%s claimed, %s left of the cap of tax year %s", amount, e.m(left), year)})
		}
	}
	if _, err := money.AddMinor(b.amount(EntitlementAccount(e.ID, Utilised)), amount.AmountMinor); err != nil {
		return Transaction{}, fmt.Errorf("claim: %w", Violation{Rule: RuleOverflow, Detail: "utilised would overflow"})
	}
	if _, err := money.AddMinor(b.amount(SchemeAccount(e.Scheme, RevenueForegone)), amount.AmountMinor); err != nil {
		return Transaction{}, fmt.Errorf("claim: %w", Violation{Rule: RuleOverflow, Detail: "revenue foregone would overflow"})
	}
	legs := make([]Posting, 0, 6)
	legs = append(legs,
		leg(SchemeAccount(e.Scheme, RevenueForegone), Debit, amount),
		leg(EntitlementAccount(e.ID, Utilised), Credit, amount))
	if !e.Uncapped {
		legs = append(legs,
			leg(EntitlementAccount(e.ID, Cap), Debit, amount),
			leg(SchemeAccount(e.Scheme, CapsAuthorised), Credit, amount))
	}
	if len(e.TaxYearCaps) > 0 {
		legs = append(legs,
			leg(TaxYearAccount(e.ID, TaxYearCap, year), Debit, amount),
			leg(TaxYearAccount(e.ID, TaxYearUtilised, year), Credit, amount))
	}
	tx, err := NewTransaction(ref, KindClaim, e.ID, "", legs...)
	if err != nil {
		return Transaction{}, fmt.Errorf("claim: %w", err)
	}
	return tx, nil
}

// Reverse decides the reversal of an accepted claim: the same legs on the other side, so
// that it restores exactly what the claim took; the claim itself is never edited. That a
// claim is reversed once is the store's to enforce (the reversal's id is derived from it).
func Reverse(ref Ref, claim Transaction) (Transaction, error) {
	if claim.kind != KindClaim {
		return Transaction{}, fmt.Errorf("reverse %q: %w", claim.id, Violation{Rule: RuleNotAClaim, Detail: fmt.Sprintf("a %s cannot be reversed", claim.kind)})
	}
	legs := claim.Postings()
	for i := range legs {
		if legs[i].Side == Debit {
			legs[i].Side = Credit
		} else {
			legs[i].Side = Debit
		}
	}
	tx, err := NewTransaction(ref, KindReversal, claim.entitlement, claim.id, legs...)
	if err != nil {
		return Transaction{}, fmt.Errorf("reverse %q: %w", claim.id, err)
	}
	return tx, nil
}

// AssessClawback decides the assessment of a clawback of amount from the entitlement: a
// receivable against the scheme's clawed_back (debit receivable, credit clawed_back). It
// refuses more than was utilised and not yet assessed.
func AssessClawback(ref Ref, e Entitlement, b *Balances, amount money.Money) (Transaction, error) {
	if err := e.Validate(); err != nil {
		return Transaction{}, fmt.Errorf("assess clawback: %w", err)
	}
	if err := checkAmount(e, amount); err != nil {
		return Transaction{}, fmt.Errorf("assess clawback: %w", err)
	}
	assessed, err := money.AddMinor(b.amount(ClawbackAccount(e.ID, Receivable)), b.amount(ClawbackAccount(e.ID, Recovered)))
	if err != nil {
		return Transaction{}, fmt.Errorf("assess clawback: %w", Violation{Rule: RuleOverflow, Detail: "assessed would overflow"})
	}
	if open := b.amount(EntitlementAccount(e.ID, Utilised)) - assessed; amount.AmountMinor > open {
		return Transaction{}, fmt.Errorf("assess clawback: %w", Violation{Rule: RuleClawbackExceedsUtilised,
			Detail: fmt.Sprintf("%s assessed, %s utilised and not yet assessed", amount, e.m(max(open, 0)))})
	}
	tx, err := NewTransaction(ref, KindClawback, e.ID, "",
		leg(ClawbackAccount(e.ID, Receivable), Debit, amount),
		leg(SchemeAccount(e.Scheme, ClawedBack), Credit, amount))
	if err != nil {
		return Transaction{}, fmt.Errorf("assess clawback: %w", err)
	}
	return tx, nil
}

// Recover decides a recovery of amount against the entitlement's clawback (debit recovered,
// credit receivable). It never takes the receivable below zero.
func Recover(ref Ref, e Entitlement, b *Balances, amount money.Money) (Transaction, error) {
	if err := e.Validate(); err != nil {
		return Transaction{}, fmt.Errorf("recover: %w", err)
	}
	if err := checkAmount(e, amount); err != nil {
		return Transaction{}, fmt.Errorf("recover: %w", err)
	}
	if left := b.amount(ClawbackAccount(e.ID, Receivable)); amount.AmountMinor > left {
		return Transaction{}, fmt.Errorf("recover: %w", Violation{Rule: RuleRecoveryExceedsReceivable,
			Detail: fmt.Sprintf("%s recovered, %s receivable", amount, e.m(left))})
	}
	tx, err := NewTransaction(ref, KindRecovery, e.ID, "",
		leg(ClawbackAccount(e.ID, Recovered), Debit, amount),
		leg(ClawbackAccount(e.ID, Receivable), Credit, amount))
	if err != nil {
		return Transaction{}, fmt.Errorf("recover: %w", err)
	}
	return tx, nil
}
