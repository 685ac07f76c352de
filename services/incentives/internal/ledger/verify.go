package ledger

import (
	"fmt"
	"slices"
)

// Check names what a Difference found wrong.
type Check string

// The checks Verify makes.
const (
	// CheckEntry: an entry is not a valid transaction or cannot be applied in order.
	CheckEntry Check = "entry"
	// CheckBalance: a stored balance is not the sum of its entries.
	CheckBalance Check = "balance"
	// CheckTrialBalance: stored debits and credits differ in a currency.
	CheckTrialBalance Check = "trial_balance"
)

// Difference is one thing Verify found wrong. Amounts are in minor units, balances on the
// account's normal side; a currency is empty where an account has no balance on that side.
type Difference struct {
	Check       Check
	Transaction string // for CheckEntry
	Account     string // for CheckBalance, Account.String()
	Currency    string
	Recomputed  int64  // for CheckBalance: the sum of the entries
	Stored      int64  // for CheckBalance: the stored balance; for CheckTrialBalance: debits minus credits
	Reason      string // what is wrong, in words
}

// Verify recomputes every balance from the entries, in order, and compares it with the stored
// balances, then checks the stored trial balance per currency. It returns every difference,
// sorted (entries first, in order, then accounts, then currencies); none for a sound ledger.
func Verify(entries []Transaction, stored *Balances) []Difference {
	if stored == nil {
		stored = &Balances{} // nothing stored: every recomputed balance is a difference
	}
	var out []Difference
	var recomputed Balances
	for _, tx := range entries {
		if err := recomputed.Apply(tx); err != nil {
			out = append(out, Difference{Check: CheckEntry, Transaction: tx.id, Reason: err.Error()})
		}
	}
	accounts := slices.Concat(recomputed.Accounts(), stored.Accounts())
	slices.SortFunc(accounts, compareAccounts)
	for _, a := range slices.Compact(accounts) {
		want, wok := recomputed.Balance(a)
		got, gok := stored.Balance(a)
		if want == got && wok == gok {
			continue
		}
		d := Difference{Check: CheckBalance, Account: a.String(), Currency: want.Currency,
			Recomputed: want.AmountMinor, Stored: got.AmountMinor}
		switch {
		case !gok:
			d.Reason = "no stored balance"
		case !wok:
			d.Currency, d.Reason = got.Currency, "stored balance without entries"
		case want.Currency != got.Currency:
			d.Reason = fmt.Sprintf("stored in %s, entries in %s", got.Currency, want.Currency)
		default:
			d.Reason = fmt.Sprintf("stored %d, entries sum to %d", got.AmountMinor, want.AmountMinor)
		}
		out = append(out, d)
	}
	trial, err := stored.TrialBalance()
	if err != nil {
		return append(out, Difference{Check: CheckTrialBalance, Reason: err.Error()})
	}
	cs := currencies(trial, nil)
	for _, c := range cs {
		if trial[c] != 0 {
			out = append(out, Difference{Check: CheckTrialBalance, Currency: c, Stored: trial[c],
				Reason: fmt.Sprintf("%s debits exceed credits by %d", c, trial[c])})
		}
	}
	return out
}
