package money

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Errors of the checked arithmetic. Sums of exempted amounts, caps and recoveries are figures of
// record: an overflow or a mix of currencies is refused, never wrapped round or converted.
var (
	// ErrOverflow: the exact result does not fit an int64 of minor units.
	ErrOverflow = errors.New("money: amount overflows int64 minor units")
	// ErrCurrencyMismatch: the operands are in different currencies.
	ErrCurrencyMismatch = errors.New("money: currencies differ")
	// ErrBadRatio: the ratio of MulDiv is negative or has a zero denominator.
	ErrBadRatio = errors.New("money: ratio must have num >= 0 and den > 0")
)

// Add returns m + o, refusing different currencies and overflow.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("add %s to %s: %w", o.Currency, m.Currency, ErrCurrencyMismatch)
	}
	s, err := AddMinor(m.AmountMinor, o.AmountMinor)
	if err != nil {
		return Money{}, fmt.Errorf("add %d to %d: %w", o.AmountMinor, m.AmountMinor, err)
	}
	return Money{AmountMinor: s, Currency: m.Currency}, nil
}

// Sub returns m - o, refusing different currencies and overflow.
func (m Money) Sub(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("subtract %s from %s: %w", o.Currency, m.Currency, ErrCurrencyMismatch)
	}
	d, err := SubMinor(m.AmountMinor, o.AmountMinor)
	if err != nil {
		return Money{}, fmt.Errorf("subtract %d from %d: %w", o.AmountMinor, m.AmountMinor, err)
	}
	return Money{AmountMinor: d, Currency: m.Currency}, nil
}

// Sum adds amounts, all in currency; the sum of none is zero in currency.
func Sum(currency string, amounts ...Money) (Money, error) {
	total := Money{Currency: currency}
	for _, a := range amounts {
		var err error
		if total, err = total.Add(a); err != nil {
			return Money{}, fmt.Errorf("sum: %w", err)
		}
	}
	return total, nil
}

// MulDiv returns m × num / den rounded toward zero (down for the non-negative amounts shares
// are taken of), computed exactly in 128 bits so that the product never overflows on the way;
// only a quotient that does not fit an int64 is refused. A share of an amount (a quarter, 1,461
// of 3,653 days) is MulDiv(share numerator, share denominator).
func (m Money) MulDiv(num, den int64) (Money, error) {
	if num < 0 || den <= 0 {
		return Money{}, fmt.Errorf("%d × %d/%d: %w", m.AmountMinor, num, den, ErrBadRatio)
	}
	neg := m.AmountMinor < 0
	a := uint64(m.AmountMinor)
	if neg {
		a = -a // two's complement: also right for MinInt64
	}
	hi, lo := bits.Mul64(a, uint64(num))
	if hi >= uint64(den) { // the quotient would need more than 64 bits
		return Money{}, fmt.Errorf("%d × %d/%d: %w", m.AmountMinor, num, den, ErrOverflow)
	}
	q, _ := bits.Div64(hi, lo, uint64(den))
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if q > limit {
		return Money{}, fmt.Errorf("%d × %d/%d: %w", m.AmountMinor, num, den, ErrOverflow)
	}
	r := int64(q)
	if neg {
		r = -r
	}
	return Money{AmountMinor: r, Currency: m.Currency}, nil
}
