package leasing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Money is an amount in minor units (paisa, cents) of an ISO 4217 currency. Integers, never
// floats, so rents and deposits are exact.
type Money struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

// MoneyInput is money as a client sends it, before validation.
type MoneyInput struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

// currencies lists the codes leases may be written in and their minor-unit exponents: the
// currencies zone developers actually let space in. Adding one is a one-line change.
var currencies = map[string]int{
	"PKR": 2, "USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "AED": 2, "SAR": 2, "JPY": 0,
	"CHF": 2, "CAD": 2, "AUD": 2, "SGD": 2, "HKD": 2, "MYR": 2, "TRY": 2, "KRW": 0,
	"QAR": 2, "KWD": 3, "BHD": 3, "OMR": 3,
}

var currencyShape = regexp.MustCompile(`^[A-Z]{3}$`)

// Currencies returns the known currency codes, sorted.
func Currencies() []string {
	out := make([]string, 0, len(currencies))
	for c := range currencies {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// ParseCurrency checks an ISO 4217 code. Codes are taken as given (no upper-casing) because
// the contract says upper-case, and a lenient parser hides client bugs.
func ParseCurrency(s string) (string, error) {
	switch {
	case s == "":
		return "", invalidf("required")
	case !currencyShape.MatchString(s):
		return "", invalidf("must be an ISO 4217 code of three upper-case letters")
	}
	if _, ok := currencies[s]; !ok {
		return "", invalidf("unsupported currency %q (use one of %s)", s, strings.Join(Currencies(), ", "))
	}
	return s, nil
}

// NewMoney validates both parts and reports both when both are bad, under the field names
// "amount_minor" and "currency". Amounts may be zero; callers that need more say so.
func NewMoney(amountMinor int64, currency string) (Money, error) {
	var f fault.Fields
	if amountMinor < 0 {
		f.Add("amount_minor", "must not be negative")
	}
	cur, err := ParseCurrency(currency)
	f.Merge("currency", err)
	if err := f.Err(); err != nil {
		return Money{}, err
	}
	return Money{AmountMinor: amountMinor, Currency: cur}, nil
}

// String renders the amount in major units, e.g. "PKR 1250.00", for logs and messages.
func (m Money) String() string {
	exp, ok := currencies[m.Currency]
	if !ok || exp == 0 {
		return fmt.Sprintf("%s %d", m.Currency, m.AmountMinor)
	}
	sign, a := "", m.AmountMinor
	if a < 0 {
		sign, a = "-", -a
	}
	div := int64(1)
	for range exp {
		div *= 10
	}
	return fmt.Sprintf("%s %s%d.%0*d", m.Currency, sign, a/div, exp, a%div)
}
