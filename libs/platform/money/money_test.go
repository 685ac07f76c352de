package money

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// fields returns the field errors of err, which must be a *fault.ValidationError.
func fields(t *testing.T, err error) []fault.FieldError {
	t.Helper()
	var v *fault.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("error %v is not a *fault.ValidationError", err)
	}
	if !errors.Is(err, fault.ErrInvalid) {
		t.Fatalf("error %v does not match fault.ErrInvalid", err)
	}
	return v.Fields
}

func TestNewReportsBothFieldsAtOnce(t *testing.T) {
	tests := []struct {
		name   string
		amount int64
		cur    string
		want   []fault.FieldError
	}{
		{"both bad", -1, "", []fault.FieldError{{Field: "amount_minor", Reason: "must not be negative"}, {Field: "currency", Reason: "required"}}},
		{"lower case", 5, "pkr", []fault.FieldError{{Field: "currency", Reason: "must be an ISO 4217 code of three upper-case letters"}}},
		{"not a code", 5, "RUPEES", []fault.FieldError{{Field: "currency", Reason: "must be an ISO 4217 code of three upper-case letters"}}},
		{"negative", -5, "USD", []fault.FieldError{{Field: "amount_minor", Reason: "must not be negative"}}},
		{"lower-case code", 1, "usd", []fault.FieldError{{Field: "currency", Reason: "must be an ISO 4217 code of three upper-case letters"}}},
		{"both bad, a word", -5, "rupees", []fault.FieldError{{Field: "amount_minor", Reason: "must not be negative"}, {Field: "currency", Reason: "must be an ISO 4217 code of three upper-case letters"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.amount, tt.cur)
			if got := fields(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("fields %+v, want %+v", got, tt.want)
			}
		})
	}
	for _, code := range []string{"XXX", "XYZ"} {
		_, err := New(1, code)
		got := fields(t, err)
		if len(got) != 1 || got[0].Field != "currency" || !strings.HasPrefix(got[0].Reason, `unsupported currency "`+code+`" (use one of AED, `) {
			t.Errorf("fields %+v", got)
		}
	}
}

func TestNewAcceptsZeroAndSupportedCurrencies(t *testing.T) {
	for _, c := range Currencies() {
		m, err := New(0, c)
		if err != nil || m != (Money{AmountMinor: 0, Currency: c}) {
			t.Errorf("New(0, %s) = %v, %v", c, m, err)
		}
	}
	m, err := Parse(Input{AmountMinor: 1250_50, Currency: "PKR"})
	if err != nil || m != (Money{AmountMinor: 1250_50, Currency: "PKR"}) || m.Input() != (Input{AmountMinor: 1250_50, Currency: "PKR"}) {
		t.Errorf("Parse = %v, %v", m, err)
	}
}

func TestFieldsNestUnderTheCallersPrefix(t *testing.T) {
	var f fault.Fields
	_, err := Parse(Input{AmountMinor: -1, Currency: "pkr"})
	f.Merge("deposit", err)
	_, err = ParseCurrency("")
	f.Merge("rent.currency", err)
	got := fields(t, f.Err())
	want := []fault.FieldError{
		{Field: "deposit.amount_minor", Reason: "must not be negative"},
		{Field: "deposit.currency", Reason: "must be an ISO 4217 code of three upper-case letters"},
		{Field: "rent.currency", Reason: "required"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("fields %+v, want %+v", got, want)
	}
}

func TestMoneyPrintsInMajorUnits(t *testing.T) {
	for _, tt := range []struct {
		m    Money
		want string
	}{
		{Money{AmountMinor: 1250_50, Currency: "PKR"}, "PKR 1250.50"},
		{Money{AmountMinor: 0, Currency: "PKR"}, "PKR 0.00"},
		{Money{AmountMinor: 5, Currency: "USD"}, "USD 0.05"},
		{Money{AmountMinor: -5, Currency: "USD"}, "USD -0.05"},
		{Money{AmountMinor: -250, Currency: "EUR"}, "EUR -2.50"},
		{Money{AmountMinor: 1500, Currency: "JPY"}, "JPY 1500"},
		{Money{AmountMinor: 1234, Currency: "KWD"}, "KWD 1.234"},
		{Money{AmountMinor: 7, Currency: "ZZZ"}, "ZZZ 7"},
	} {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v prints %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestCurrenciesAreSortedAndKnown(t *testing.T) {
	got := Currencies()
	if len(got) != len(currencies) || got[0] != "AED" || !slices.IsSorted(got) {
		t.Errorf("currencies %v", got)
	}
	for _, tt := range []struct {
		code string
		exp  int
		ok   bool
	}{{"PKR", 2, true}, {"JPY", 0, true}, {"KWD", 3, true}, {"XXX", 0, false}} {
		if exp, ok := Exponent(tt.code); exp != tt.exp || ok != tt.ok {
			t.Errorf("Exponent(%s) = %d, %v", tt.code, exp, ok)
		}
	}
}

func TestMoneyTravelsAsMinorUnitsAndCode(t *testing.T) {
	b, err := json.Marshal(Money{AmountMinor: 150_00, Currency: "PKR"})
	if err != nil || string(b) != `{"amount_minor":15000,"currency":"PKR"}` {
		t.Fatalf("json %s, %v", b, err)
	}
	var in Input
	if err := json.Unmarshal(b, &in); err != nil || in != (Input{AmountMinor: 150_00, Currency: "PKR"}) {
		t.Fatalf("input %+v, %v", in, err)
	}
}
