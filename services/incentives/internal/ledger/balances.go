package ledger

import (
	"fmt"
	"maps"
	"slices"

	"github.com/zoneops/zoneops/libs/platform/money"
)

// balance is an account's balance held debit-positive, with the account's one currency.
type balance struct {
	currency string
	signed   int64
}

// Balances are the current balance of every account that has had a posting. The zero value is
// empty and ready to use. Balances are not safe for concurrent use: the store decides and
// applies under its own lock or database transaction.
type Balances struct {
	m map[Account]balance
}

// Balance returns the account's balance on its normal side (so that a cap, a utilised amount
// or a receivable reads as a positive amount) and false when the account has no posting yet.
func (b *Balances) Balance(a Account) (money.Money, bool) {
	bal, ok := b.m[a]
	if !ok {
		return money.Money{}, false
	}
	return money.Money{AmountMinor: onNormalSide(a, bal.signed), Currency: bal.currency}, true
}

// amount returns the account's balance on its normal side in minor units, 0 when it has none.
func (b *Balances) amount(a Account) int64 {
	m, _ := b.Balance(a)
	return m.AmountMinor
}

func onNormalSide(a Account, signed int64) int64 {
	if a.Normal() == Credit {
		return -signed
	}
	return signed
}

// Set loads an account's balance, given on its normal side, as a store read it; Verify then
// checks it against the entries.
func (b *Balances) Set(a Account, m money.Money) error {
	if err := a.Validate(); err != nil {
		return fmt.Errorf("set balance: %w", err)
	}
	if _, err := money.ParseCurrency(m.Currency); err != nil {
		return fmt.Errorf("set balance of %s: currency: %w", a, err)
	}
	if b.m == nil {
		b.m = map[Account]balance{}
	}
	signed := m.AmountMinor
	if a.Normal() == Credit {
		var err error
		if signed, err = money.SubMinor(0, signed); err != nil {
			return fmt.Errorf("set balance of %s: %w", a, err)
		}
	}
	b.m[a] = balance{currency: m.Currency, signed: signed}
	return nil
}

// Accounts returns the accounts that have a balance, sorted by their text.
func (b *Balances) Accounts() []Account {
	out := slices.Collect(maps.Keys(b.m))
	slices.SortFunc(out, func(x, y Account) int { return compareAccounts(x, y) })
	return out
}

func compareAccounts(x, y Account) int {
	switch {
	case x.String() < y.String():
		return -1
	case x.String() > y.String():
		return 1
	}
	return 0
}

// Clone returns an independent copy.
func (b *Balances) Clone() *Balances { return &Balances{m: maps.Clone(b.m)} }

// TrialBalance returns, per currency, debits minus credits over every account: zero for
// every currency in a sound ledger. The sum is overflow-checked.
func (b *Balances) TrialBalance() (map[string]int64, error) {
	out := map[string]int64{}
	for a, bal := range b.m {
		s, err := money.AddMinor(out[bal.currency], bal.signed)
		if err != nil {
			return nil, fmt.Errorf("trial balance at %s: %w", a, err)
		}
		out[bal.currency] = s
	}
	return out, nil
}

// Apply posts a valid transaction. It is all or nothing: on an invalid transaction, an
// account already kept in another currency, or an overflowing balance, it returns an error
// and changes nothing.
func (b *Balances) Apply(tx Transaction) error {
	if err := tx.Validate(); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	next := make(map[Account]balance, len(tx.postings))
	for _, p := range tx.postings {
		bal, ok := next[p.Account]
		if !ok {
			if bal, ok = b.m[p.Account]; !ok {
				bal = balance{currency: p.Amount.Currency}
			}
		}
		if bal.currency != p.Amount.Currency {
			return fmt.Errorf("apply %q: account %s is kept in %s, not %s: %w",
				tx.id, p.Account, bal.currency, p.Amount.Currency, Violation{Rule: RuleCurrencyMismatch})
		}
		var err error
		if p.Side == Debit {
			bal.signed, err = money.AddMinor(bal.signed, p.Amount.AmountMinor)
		} else {
			bal.signed, err = money.SubMinor(bal.signed, p.Amount.AmountMinor)
		}
		if err != nil {
			return fmt.Errorf("apply %q to %s: %w", tx.id, p.Account, Violation{Rule: RuleOverflow})
		}
		next[p.Account] = bal
	}
	if b.m == nil {
		b.m = make(map[Account]balance, len(next))
	}
	maps.Copy(b.m, next)
	return nil
}
