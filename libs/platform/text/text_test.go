package text

import (
	"errors"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

func TestNameIsNormalisedAndBoundedInCharacters(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		reason string
	}{
		{"inner and outer spaces collapse", "  Acme \t Ltd ", "Acme Ltd", ""},
		{"Urdu counts characters, not bytes", "انڈس", "انڈس", ""},
		{"exactly the minimum", "AB", "AB", ""},
		{"exactly the maximum", strings.Repeat("界", 10), strings.Repeat("界", 10), ""},
		{"blank is required", " \n ", "", "required"},
		{"too short", "A", "", "must be 2 to 10 characters"},
		{"too long in characters", strings.Repeat("界", 11), "", "must be 2 to 10 characters"},
		{"no control characters", "Acme\x00Ltd", "", "must not contain control characters"},
		{"line breaks are white space, not control characters", "Acme\nLtd", "Acme Ltd", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Name(tt.in, 2, 10)
			if tt.reason == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Name(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if got != "" || !errors.Is(err, fault.ErrInvalid) || err.Error() != tt.reason {
				t.Fatalf("Name(%q) = %q, %v; want the reason %q", tt.in, got, err, tt.reason)
			}
		})
	}
}
