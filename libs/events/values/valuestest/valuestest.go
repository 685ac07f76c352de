// Package valuestest checks the validation errors of event payloads in the contract's tests:
// one assertion for the tenants, allocation and incentives payload tables.
package valuestest

import (
	"errors"
	"slices"
	"testing"

	"github.com/zoneops/zoneops/libs/events/values"
)

// WantFields fails t unless err names exactly the bad fields want, in order, each with a
// reason. A nil want means the payload must be valid (err nil).
func WantFields(t testing.TB, err error, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Validate = %v, want nil", err)
		}
		return
	}
	var v *values.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("Validate = %v, want *ValidationError", err)
	}
	var got []string
	for _, f := range v.Fields {
		got = append(got, f.Field)
		if f.Reason == "" {
			t.Errorf("%s has no reason", f.Field)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("bad fields = %v\nwant        %v", got, want)
	}
}
