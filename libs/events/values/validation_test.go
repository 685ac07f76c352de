package values

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestCheckerRules(t *testing.T) {
	const id = "0190f3a2-6b1c-7d4e-8f00-1a2b3c4d5e6f"
	bad := Date{Year: 2025, Month: 2, Day: 30}
	tests := []struct {
		name  string
		check func(Checker)
		want  []FieldError
	}{
		{"nothing wrong gives no error", func(c Checker) {
			c.ID("id", id)
			c.Text("t", "x")
			c.Amount("m", Money{AmountMinor: 0, Currency: "PKR"})
		}, nil},
		{"paths nest with dots and index with brackets", func(c Checker) {
			c.At("a").At("b").Add("c", "r1")
			c.At("list").At(Index("", 2)).Add("", "r2")
		}, []FieldError{{"a.b.c", "r1"}, {"list[2]", "r2"}}},
		{"errors are sorted by field", func(c Checker) {
			c.Add("z", "r")
			c.Add("a", "r")
		}, []FieldError{{"a", "r"}, {"z", "r"}}},
		{"blank text is missing text", func(c Checker) {
			c.Text("t", " \t")
			c.OptionalText("o", " ")
			c.OptionalText("absent", "")
		}, []FieldError{{"o", "must not be blank"}, {"t", "required"}}},
		{"ids are canonical lower-case UUIDs, listed once", func(c Checker) {
			c.ID("upper", "0190F3A2-6B1C-7D4E-8F00-1A2B3C4D5E6F")
			c.OptionalID("absent", "")
			c.IDs("ids", []string{id, id}, 3)
		}, []FieldError{
			{"ids", "must list at least 3 ids"}, {"ids[1]", "listed twice"},
			{"upper", "must be a UUID in canonical lower-case form"},
		}},
		{"dates must be set and real", func(c Checker) {
			c.Date("unset", Date{})
			c.Date("bad", bad)
			c.OptionalDate("absent", nil)
		}, []FieldError{{"bad", "not a calendar date"}, {"unset", "required"}}},
		{"amounts are not negative and name a currency", func(c Checker) {
			c.Amount("m", Money{AmountMinor: -1, Currency: "rupees"})
		}, []FieldError{{"m.amount_minor", "must not be negative"}, {"m.currency", "must match " + Pattern("currency")}}},
		{"actors need a known role", func(c Checker) {
			c.Actor("a", Actor{Subject: "x", Role: "admin"})
			c.OptionalActor("absent", nil)
		}, []FieldError{{"a.role", "must be one of operator, zone_developer, tenant, applicant, auditor, viewer, system"}}},
		{"codes, e-mail addresses and instants", func(c Checker) {
			c.Code("zone", "isb")
			c.Email("email", "Farah <farah@example.pk>")
			c.Instant("at", time.Time{})
		}, []FieldError{
			{"at", "required"}, {"email", "must be a bare e-mail address"},
			{"zone", "must match " + Pattern("code")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.check)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var v *ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("Validate = %v, want *ValidationError", err)
			}
			if !slices.Equal(v.Fields, tt.want) {
				t.Errorf("fields = %v\nwant     %v", v.Fields, tt.want)
			}
		})
	}
}

func TestValidationErrorListsEveryField(t *testing.T) {
	err := &ValidationError{Fields: []FieldError{{"a", "required"}, {"b.c", "must not be blank"}}}
	if got, want := err.Error(), "a: required; b.c: must not be blank"; got != want {
		t.Errorf("Error = %q, want %q", got, want)
	}
}
