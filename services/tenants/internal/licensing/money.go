package licensing

import "github.com/zoneops/zoneops/libs/platform/money"

// Money is an amount in minor units of an ISO 4217 currency (see package money), so sums of
// commitments and incentives are exact.
type Money = money.Money

// ParseCurrency checks an ISO 4217 code; the error's text is only the reason.
func ParseCurrency(s string) (string, error) { return money.ParseCurrency(s) }

// NewMoney validates both parts and reports both when both are bad, under the field names
// "amount_minor" and "currency".
func NewMoney(amountMinor int64, currency string) (Money, error) {
	return money.New(amountMinor, currency)
}
