package leasing

import "github.com/zoneops/zoneops/libs/platform/money"

// Money is an amount in minor units of an ISO 4217 currency (see package money), so rents and
// deposits are exact.
type Money = money.Money

// MoneyInput is money as a client sends it, before validation.
type MoneyInput = money.Input

// NewMoney validates both parts and reports both when both are bad, under the field names
// "amount_minor" and "currency". Amounts may be zero; callers that need more say so.
func NewMoney(amountMinor int64, currency string) (Money, error) {
	return money.New(amountMinor, currency)
}
