package money

import (
	"errors"
	"fmt"
	"math"
)

// ErrOverflow is returned when a sum or difference of minor units does not fit in an int64: an
// exact ledger refuses rather than wraps.
var ErrOverflow = errors.New("amount overflows int64 minor units")

// ErrCurrencyMismatch is returned when two amounts of different currencies are combined.
var ErrCurrencyMismatch = errors.New("currencies differ")

// AddMinor returns a+b, or ErrOverflow when the sum does not fit in an int64.
func AddMinor(a, b int64) (int64, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, ErrOverflow
	}
	return a + b, nil
}

// SubMinor returns a-b, or ErrOverflow when the difference does not fit in an int64.
func SubMinor(a, b int64) (int64, error) {
	if (b < 0 && a > math.MaxInt64+b) || (b > 0 && a < math.MinInt64+b) {
		return 0, ErrOverflow
	}
	return a - b, nil
}

// Add returns m+o in m's currency; it refuses other currencies (ErrCurrencyMismatch) and
// overflow (ErrOverflow).
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("add %s to %s: %w", o.Currency, m.Currency, ErrCurrencyMismatch)
	}
	sum, err := AddMinor(m.AmountMinor, o.AmountMinor)
	if err != nil {
		return Money{}, fmt.Errorf("add %s to %s: %w", o, m, err)
	}
	return Money{AmountMinor: sum, Currency: m.Currency}, nil
}

// Sub returns m-o in m's currency; it refuses other currencies (ErrCurrencyMismatch) and
// overflow (ErrOverflow).
func (m Money) Sub(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("subtract %s from %s: %w", o.Currency, m.Currency, ErrCurrencyMismatch)
	}
	diff, err := SubMinor(m.AmountMinor, o.AmountMinor)
	if err != nil {
		return Money{}, fmt.Errorf("subtract %s from %s: %w", o, m, err)
	}
	return Money{AmountMinor: diff, Currency: m.Currency}, nil
}
