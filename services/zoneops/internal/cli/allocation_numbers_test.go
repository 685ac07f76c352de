package cli

import (
	"strings"
	"testing"
)

func TestMinorUnitsConvertsMajorUnitsExactly(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             int64
		err              string // "" means success
	}{
		{"1500.5", "PKR", 150050, ""},
		{"1500.50", "PKR", 150050, ""},
		{"0.01", "PKR", 1, ""},
		{"12", "PKR", 1200, ""},
		{"0", "PKR", 0, ""},
		{"007.10", "PKR", 710, ""},
		{"0.29", "PKR", 29, ""}, // 0.29*100 is 28.999999999999996 as a float
		{"1.234", "KWD", 1234, ""},
		{"12", "JPY", 12, ""},
		{"92233720368547758.07", "PKR", 9223372036854775807, ""},
		{"1.234", "PKR", 0, "PKR amounts have at most 2 decimals"},
		{"1.5", "JPY", 0, "JPY amounts are whole numbers"},
		{"-1", "PKR", 0, "without sign"},
		{"+1", "PKR", 0, "without sign"},
		{"abc", "PKR", 0, "like 1500.50"},
		{"", "PKR", 0, "like 1500.50"},
		{".5", "PKR", 0, "like 1500.50"},
		{"5.", "PKR", 0, "like 1500.50"},
		{"1,500", "PKR", 0, "separators"},
		{"1e3", "PKR", 0, "like 1500.50"},
		{"1.2.3", "PKR", 0, "like 1500.50"},
		{"92233720368547758.08", "PKR", 0, "too large"},
		{"12", "pkr", 0, "ISO 4217"},
		{"12", "", 0, "ISO 4217"},
	}
	for _, tt := range tests {
		got, err := minorUnits(tt.amount, tt.currency)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("minorUnits(%q, %s) = %d, %v; want %d", tt.amount, tt.currency, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("minorUnits(%q, %s) = %d, %v; want an error with %q", tt.amount, tt.currency, got, err, tt.err)
		}
	}
}

func TestParseAreaFlagKeepsTheDigits(t *testing.T) {
	for _, ok := range []string{"1250.50", "300", "0.5", "100000000"} {
		if got, err := parseAreaFlag("area", ok); err != nil || string(got) != ok {
			t.Errorf("parseAreaFlag(%q) = %q, %v", ok, got, err)
		}
	}
	for _, bad := range []string{"", "-5", "1e3", "abc", "1,000", ".5", "5.", "NaN"} {
		if _, err := parseAreaFlag("area", bad); err == nil || !strings.Contains(err.Error(), "--area") {
			t.Errorf("parseAreaFlag(%q) = %v, want an error naming --area", bad, err)
		}
	}
}
