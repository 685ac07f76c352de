package money

import (
	"errors"
	"math"
	"testing"
)

func TestAddAndSubRefuseOverflowInsteadOfWrapping(t *testing.T) {
	tests := []struct {
		name    string
		a, b    int64
		sum     int64
		sumErr  bool
		diff    int64
		diffErr bool
	}{
		{"small amounts: 2,500.00 and 750.00", 2500_00, 750_00, 3250_00, false, 1750_00, false},
		{"max plus one overflows", math.MaxInt64, 1, 0, true, math.MaxInt64 - 1, false},
		{"min minus one overflows", math.MinInt64, -1, 0, true, math.MinInt64 + 1, false},
		{"min minus max overflows", math.MinInt64, math.MaxInt64, -1, false, 0, true},
		{"max minus min overflows", math.MaxInt64, math.MinInt64, -1, false, 0, true},
		{"zero minus min overflows", 0, math.MinInt64, math.MinInt64, false, 0, true},
		{"max plus min is minus one", math.MaxInt64, math.MinInt64, -1, false, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, err := AddMinor(tt.a, tt.b)
			if tt.sumErr != errors.Is(err, ErrOverflow) || (!tt.sumErr && sum != tt.sum) {
				t.Errorf("AddMinor(%d, %d) = %d, %v", tt.a, tt.b, sum, err)
			}
			diff, err := SubMinor(tt.a, tt.b)
			if tt.diffErr != errors.Is(err, ErrOverflow) || (!tt.diffErr && diff != tt.diff) {
				t.Errorf("SubMinor(%d, %d) = %d, %v", tt.a, tt.b, diff, err)
			}
		})
	}
}

func TestMoneyAddAndSubKeepOneCurrency(t *testing.T) {
	pkr := func(a int64) Money { return Money{AmountMinor: a, Currency: "PKR"} }
	if got, err := pkr(10_000_000_00).Sub(pkr(2_500_000_00)); err != nil || got != pkr(7_500_000_00) {
		t.Errorf("10,000,000 - 2,500,000 = %v, %v", got, err)
	}
	if got, err := pkr(1).Add(pkr(2)); err != nil || got != pkr(3) {
		t.Errorf("1 + 2 = %v, %v", got, err)
	}
	usd := Money{AmountMinor: 1, Currency: "USD"}
	if _, err := pkr(1).Add(usd); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("PKR + USD: %v", err)
	}
	if _, err := pkr(1).Sub(usd); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("PKR - USD: %v", err)
	}
	if _, err := pkr(math.MaxInt64).Add(pkr(1)); !errors.Is(err, ErrOverflow) {
		t.Errorf("max + 1: %v", err)
	}
	if _, err := pkr(math.MinInt64).Sub(pkr(1)); !errors.Is(err, ErrOverflow) {
		t.Errorf("min - 1: %v", err)
	}
}
