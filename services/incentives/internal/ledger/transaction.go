package ledger

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zoneops/zoneops/libs/platform/money"
)

// Kind is what a transaction records.
type Kind string

// The kinds of transaction, one per decision.
const (
	KindOpen     Kind = "open"
	KindClaim    Kind = "claim"
	KindReversal Kind = "reversal"
	KindClawback Kind = "clawback_assessed"
	KindRecovery Kind = "recovery"
)

var kinds = []Kind{KindOpen, KindClaim, KindReversal, KindClawback, KindRecovery}

// Posting is one leg of a transaction: an amount, always positive, on one side of one
// account. The side carries the direction so that a negative amount is never a leg.
type Posting struct {
	Account Account
	Side    Side
	Amount  money.Money
}

// Ref identifies a transaction being decided: the id and time come from the caller, so that
// this package holds no clock and no id generator.
type Ref struct {
	ID string
	At time.Time
}

// Transaction is one balanced set of postings. It is immutable: its fields are unexported,
// NewTransaction copies the postings in and Postings copies them out.
type Transaction struct {
	id          string
	at          time.Time
	kind        Kind
	entitlement string
	reverses    string
	postings    []Posting
}

// ErrInvalidTransaction is matched by every error Validate returns.
var ErrInvalidTransaction = errors.New("invalid transaction")

// NewTransaction builds and validates a transaction about an entitlement. reverses is the id
// of the claim a reversal mirrors, empty for other kinds.
func NewTransaction(ref Ref, kind Kind, entitlement, reverses string, postings ...Posting) (Transaction, error) {
	tx := Transaction{
		id: ref.ID, at: ref.At, kind: kind, entitlement: entitlement, reverses: reverses,
		postings: slices.Clone(postings),
	}
	if err := tx.Validate(); err != nil {
		return Transaction{}, err
	}
	return tx, nil
}

// ID is the transaction's id.
func (t Transaction) ID() string { return t.id }

// At is when the transaction was decided.
func (t Transaction) At() time.Time { return t.at }

// Kind is what the transaction records.
func (t Transaction) Kind() Kind { return t.kind }

// Entitlement is the id of the entitlement the transaction is about.
func (t Transaction) Entitlement() string { return t.entitlement }

// Reverses is the id of the claim a reversal mirrors; empty for other kinds.
func (t Transaction) Reverses() string { return t.reverses }

// Postings returns a copy of the legs.
func (t Transaction) Postings() []Posting { return slices.Clone(t.postings) }

// Validate checks the rules every transaction keeps: a known kind and an id; every leg on a
// known account, on a side, for a positive amount of a supported currency; one currency per
// account; and, per currency, debits equal to credits (summed without overflow). Only an
// Open may have no legs (an entitlement tracked without cap opens with nothing to post).
func (t Transaction) Validate() error {
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("transaction %q: %s: %w", t.id, fmt.Sprintf(format, args...), ErrInvalidTransaction)
	}
	switch {
	case t.id == "":
		return invalid("id required")
	case !slices.Contains(kinds, t.kind):
		return invalid("unknown kind %q", t.kind)
	case !validID(t.entitlement):
		return invalid("entitlement id %q must be non-empty, without ':' or spaces", t.entitlement)
	case (t.kind == KindReversal) != (t.reverses != ""):
		return invalid("a reversal, and only a reversal, names the claim it reverses")
	case len(t.postings) == 0 && t.kind != KindOpen:
		return invalid("no postings")
	}
	currencyOf := map[Account]string{}
	debits, credits := map[string]int64{}, map[string]int64{}
	for i, p := range t.postings {
		if err := p.Account.Validate(); err != nil {
			return invalid("leg %d: %v", i, err)
		}
		if _, err := money.ParseCurrency(p.Amount.Currency); err != nil {
			return invalid("leg %d on %s: currency %q: %v", i, p.Account, p.Amount.Currency, err)
		}
		if p.Amount.AmountMinor <= 0 {
			return invalid("leg %d on %s: amount %d must be positive (the side gives the direction)", i, p.Account, p.Amount.AmountMinor)
		}
		if c, ok := currencyOf[p.Account]; ok && c != p.Amount.Currency {
			return invalid("account %s in both %s and %s", p.Account, c, p.Amount.Currency)
		}
		currencyOf[p.Account] = p.Amount.Currency
		var sum map[string]int64
		switch p.Side {
		case Debit:
			sum = debits
		case Credit:
			sum = credits
		default:
			return invalid("leg %d on %s: no side", i, p.Account)
		}
		s, err := money.AddMinor(sum[p.Amount.Currency], p.Amount.AmountMinor)
		if err != nil {
			return invalid("leg %d on %s: %v", i, p.Account, err)
		}
		sum[p.Amount.Currency] = s
	}
	for _, c := range currencies(debits, credits) {
		if debits[c] != credits[c] {
			return invalid("%s debits %d, credits %d: not balanced", c, debits[c], credits[c])
		}
	}
	return nil
}

// currencies returns the keys of both maps, sorted, so that errors are deterministic.
func currencies(a, b map[string]int64) []string {
	out := make([]string, 0, len(a)+len(b))
	for c := range a {
		out = append(out, c)
	}
	for c := range b {
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
