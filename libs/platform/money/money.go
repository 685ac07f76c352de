// Package money is an amount of an ISO 4217 currency held as an integer number of minor units
// (paisa, cents, fils), never a float, so that sums are exact.
//
// On the wire money is {"amount_minor": 125050, "currency": "PKR"}. Validation errors are
// fault.ValidationErrors with the field names "amount_minor" and "currency", so that a caller
// that parses a nested amount files them under its own prefix with fault.Fields.Merge
// ("deposit.currency").
//
// Arithmetic on amounts is checked (arith.go): Add, Sub, Sum and MulDiv refuse an overflow or a
// mix of currencies with an error instead of a wrong figure, and shares are taken in exact
// integer arithmetic, rounded toward zero.
package money

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Money is an amount in minor units of an ISO 4217 currency.
type Money struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

// Input is money as a client sends it, before validation.
type Input struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}

// currencies lists the supported codes and their minor-unit exponents: the currencies that
// investors and tenants of the zones actually use. Adding one is a one-line change.
var currencies = map[string]int{
	"PKR": 2, "USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "AED": 2, "SAR": 2, "JPY": 0,
	"CHF": 2, "CAD": 2, "AUD": 2, "SGD": 2, "HKD": 2, "MYR": 2, "TRY": 2, "KRW": 0,
	"QAR": 2, "KWD": 3, "BHD": 3, "OMR": 3,
}

var currencyShape = regexp.MustCompile(`^[A-Z]{3}$`)

// Currencies returns the supported currency codes, sorted.
func Currencies() []string {
	out := make([]string, 0, len(currencies))
	for c := range currencies {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Exponent returns the number of minor-unit digits of a supported currency (2 for PKR, 0 for
// JPY, 3 for KWD), and false for a code that is not supported.
func Exponent(currency string) (int, bool) {
	exp, ok := currencies[currency]
	return exp, ok
}

// ParseCurrency checks an ISO 4217 code. Codes are taken as given (no upper-casing) because
// the contract says upper-case, and a lenient parser hides client bugs. The error's text is
// only the reason ("required", "must be an ISO 4217 code of three upper-case letters",
// "unsupported currency ..."), so fault.Fields.Merge files it under the caller's field name;
// it matches fault.ErrInvalid.
func ParseCurrency(s string) (string, error) {
	switch {
	case s == "":
		return "", fault.Reasonf("required")
	case !currencyShape.MatchString(s):
		return "", fault.Reasonf("must be an ISO 4217 code of three upper-case letters")
	}
	if _, ok := currencies[s]; !ok {
		return "", fault.Reasonf("unsupported currency %q (use one of %s)", s, strings.Join(Currencies(), ", "))
	}
	return s, nil
}

// New validates both parts and reports both when both are bad, as a *fault.ValidationError
// with the field names "amount_minor" ("must not be negative") and "currency". Amounts may be
// zero; callers that need more say so.
func New(amountMinor int64, currency string) (Money, error) {
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

// Parse validates money as a client sent it; it is New(in.AmountMinor, in.Currency).
func Parse(in Input) (Money, error) { return New(in.AmountMinor, in.Currency) }

// Input returns m as a client would send it.
func (m Money) Input() Input { return Input(m) }

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
