package money

import (
	"errors"
	"math"
	"testing"
)

func pkr(n int64) Money { return Money{AmountMinor: n, Currency: "PKR"} }

func TestCheckedAddAndSubRefuseOverflowAndMixedCurrencies(t *testing.T) {
	usd := Money{AmountMinor: 1, Currency: "USD"}
	tests := []struct {
		name    string
		op      func() (Money, error)
		want    Money
		wantErr error
	}{
		{"two plus three is five", func() (Money, error) { return pkr(2).Add(pkr(3)) }, pkr(5), nil},
		{"max plus one overflows", func() (Money, error) { return pkr(math.MaxInt64).Add(pkr(1)) }, Money{}, ErrOverflow},
		{"min plus minus one overflows", func() (Money, error) { return pkr(math.MinInt64).Add(pkr(-1)) }, Money{}, ErrOverflow},
		{"max plus min is minus one", func() (Money, error) { return pkr(math.MaxInt64).Add(pkr(math.MinInt64)) }, pkr(-1), nil},
		{"PKR plus USD is refused", func() (Money, error) { return pkr(1).Add(usd) }, Money{}, ErrCurrencyMismatch},
		{"five minus seven is minus two", func() (Money, error) { return pkr(5).Sub(pkr(7)) }, pkr(-2), nil},
		{"zero minus min overflows", func() (Money, error) { return pkr(0).Sub(pkr(math.MinInt64)) }, Money{}, ErrOverflow},
		{"min minus one overflows", func() (Money, error) { return pkr(math.MinInt64).Sub(pkr(1)) }, Money{}, ErrOverflow},
		{"PKR minus USD is refused", func() (Money, error) { return pkr(1).Sub(usd) }, Money{}, ErrCurrencyMismatch},
		{"sum of none is zero", func() (Money, error) { return Sum("PKR") }, pkr(0), nil},
		{"sum of three", func() (Money, error) { return Sum("PKR", pkr(1), pkr(2), pkr(3)) }, pkr(6), nil},
		{"sum overflowing", func() (Money, error) { return Sum("PKR", pkr(math.MaxInt64), pkr(1)) }, Money{}, ErrOverflow},
		{"sum of another currency", func() (Money, error) { return Sum("PKR", usd) }, Money{}, ErrCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.op()
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("got %v, %v; want %v, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestMulDivRoundsTowardZeroAndNeverOverflowsSilently(t *testing.T) {
	tests := []struct {
		name     string
		m        Money
		num, den int64
		want     Money
		wantErr  error
	}{
		{"a quarter of ten million is two and a half million", pkr(10_000_000), 1, 4, pkr(2_500_000), nil},
		{"a third of ten rounds down to three", pkr(10), 1, 3, pkr(3), nil},
		{"minus a third of ten rounds toward zero to minus three", pkr(-10), 1, 3, pkr(-3), nil},
		{"1461 of 3653 days of ten million is 3999452", pkr(10_000_000), 1461, 3653, pkr(3_999_452), nil},
		{"max times max over max is max: the product is held in 128 bits", pkr(math.MaxInt64), math.MaxInt64, math.MaxInt64, pkr(math.MaxInt64), nil},
		{"min times one is min", pkr(math.MinInt64), 1, 1, pkr(math.MinInt64), nil},
		{"max times two overflows", pkr(math.MaxInt64), 2, 1, Money{}, ErrOverflow},
		{"min times two overflows", pkr(math.MinInt64), 2, 1, Money{}, ErrOverflow},
		{"half of max plus a bit overflows the quotient", pkr(math.MaxInt64), 3, 2, Money{}, ErrOverflow},
		{"zero denominator is refused", pkr(1), 1, 0, Money{}, ErrBadRatio},
		{"negative numerator is refused", pkr(1), -1, 2, Money{}, ErrBadRatio},
		{"zero numerator is zero", pkr(123), 0, 7, pkr(0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.MulDiv(tt.num, tt.den)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("MulDiv(%v, %d, %d) = %v, %v; want %v, %v", tt.m, tt.num, tt.den, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
