package money

import "math"

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
