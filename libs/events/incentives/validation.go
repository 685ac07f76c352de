package incentives

import (
	"regexp"

	"github.com/zoneops/zoneops/libs/events/values"
)

// Patterns shared by Validate and documented in the JSON Schemas.
var (
	// currencyPattern is values.Pattern("currency"), for a bare currency field.
	currencyPattern = regexp.MustCompile(values.Pattern("currency"))
	// schemeCodePattern: the code of a scheme in the policy file, such as "S21-CUSTOMS".
	schemeCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9-]{1,31}$`)
	// hsCodePattern: a Harmonized System code of four to ten digits, dots optional between
	// the pairs after the heading, as Pakistan's customs tariff writes them ("8471",
	// "8471.30", "8471.3010", "8471.30.10").
	hsCodePattern = regexp.MustCompile(`^[0-9]{4}(\.?[0-9]{2}){0,3}$`)
)

// Pattern returns the regular expression a field with the given JSON name must match
// ("scheme_code", "hs_code" or "zone"), or "" when the field has none; "currency" is
// values.Pattern's. The schema generator uses it so that schemas and Validate cannot drift
// apart.
func Pattern(field string) string {
	switch field {
	case "scheme_code":
		return schemeCodePattern.String()
	case "hs_code":
		return hsCodePattern.String()
	case "zone":
		return values.Pattern("code")
	}
	return ""
}

// MinTaxYear and MaxTaxYear bound a tax year: the years a date in YYYY-MM-DD form can fall in
// (a date in July 9999 would be in tax year 10000, which no one will claim in).
const (
	MinTaxYear = 1
	MaxTaxYear = 9999
)

// TaxYearOf returns the Pakistani tax year d falls in. The tax year runs from 1 July to 30 June
// and is named, as the Federal Board of Revenue names it, by the calendar year in which it
// ends: 1 July 2026 to 30 June 2027 is tax year 2027.
func TaxYearOf(d values.Date) int {
	if d.Month >= 7 {
		return d.Year + 1
	}
	return d.Year
}

// TaxYearBounds returns the first and last day of tax year y: 1 July of y-1 and 30 June of y.
func TaxYearBounds(y int) (first, last values.Date) {
	return values.Date{Year: y - 1, Month: 7, Day: 1}, values.Date{Year: y, Month: 6, Day: 30}
}

func taxYear(c values.Checker, field string, y int) {
	if y < MinTaxYear || y > MaxTaxYear {
		c.Add(field, "must be a tax year between 1 and 9999 (named by the year in which it ends)")
	}
}

// positive requires money greater than zero with a well-formed currency: an exempted amount,
// a cap, a receivable.
func positive(c values.Checker, field string, m values.Money) {
	m.Check(c.At(field))
	if m.AmountMinor <= 0 {
		c.At(field).Add("amount_minor", "must be greater than 0")
	}
}

// optionalPositive accepts absent money.
func optionalPositive(c values.Checker, field string, m *values.Money) {
	if m != nil {
		positive(c, field, *m)
	}
}

// sameCurrency requires m to be in currency (when both are well-formed enough to compare):
// every amount of one entitlement is in its currency.
func sameCurrency(c values.Checker, field string, m values.Money, currency string) {
	if m.Currency != "" && currency != "" && m.Currency != currency {
		c.At(field).Add("currency", "must be "+currency+", the currency of the entitlement")
	}
}
