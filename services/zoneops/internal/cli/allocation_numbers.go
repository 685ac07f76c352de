package cli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// isDigits reports whether s is one or more ASCII digits, and nothing else (no sign, no
// spaces, no separators).
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var currencyShape = regexp.MustCompile(`^[A-Z]{3}$`)

// minorUnits converts an amount written in major units ("1500.50") into integer minor units
// of currency (150050 paisa). The decimal is read as text, digit by digit, so no float ever
// holds money. It accepts a whole part and at most as many decimals as the currency has (two
// for PKR, none for JPY, three for KWD); it refuses signs (a rent or a deposit is never
// negative), exponents, thousands separators, a bare "." and amounts beyond int64.
func minorUnits(amount, currency string) (int64, error) {
	if !currencyShape.MatchString(currency) {
		return 0, fmt.Errorf("currency %q: must be an ISO 4217 code like PKR", currency)
	}
	digits := minorDigits(currency)
	whole, frac, hasDot := strings.Cut(strings.TrimSpace(amount), ".")
	if !isDigits(whole) || (hasDot && !isDigits(frac)) {
		return 0, fmt.Errorf("%q: must be an amount in %s like 1500.50, without sign or separators", amount, currency)
	}
	if len(frac) > digits {
		if digits == 0 {
			return 0, fmt.Errorf("%q: %s amounts are whole numbers", amount, currency)
		}
		return 0, fmt.Errorf("%q: %s amounts have at most %d decimals", amount, currency, digits)
	}
	n, err := strconv.ParseInt(whole+frac+strings.Repeat("0", digits-len(frac)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: too large an amount", amount)
	}
	return n, nil
}

// parseAreaFlag checks an area in square metres given as a flag and keeps its digits as the
// user wrote them: the service judges the decimals on the number it receives, so it is sent
// as that same JSON number rather than through a float.
func parseAreaFlag(flag, s string) (json.Number, error) {
	s = strings.TrimSpace(s)
	whole, frac, hasDot := strings.Cut(s, ".")
	if !isDigits(whole) || (hasDot && !isDigits(frac)) {
		return "", fmt.Errorf("--%s %q: must be a number of square metres like 1250.5", flag, s)
	}
	return json.Number(s), nil
}
