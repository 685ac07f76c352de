package enum

import (
	"errors"
	"slices"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

type colour string

var (
	plain    = Of[colour]("red", "green", "blue")
	labelled = Labelled([]Entry[colour]{{Value: "red", Label: "Red"}, {Value: "green", Label: "Green"}})
)

func TestParseAcceptsOnlyListedValuesAndSaysWhichExist(t *testing.T) {
	tests := []struct {
		name   string
		list   List[colour]
		in     string
		want   colour
		reason string
	}{
		{"a listed value", plain, "green", "green", ""},
		{"a labelled value", labelled, "red", "red", ""},
		{"blank is required", plain, "", "", "required"},
		{"an unknown value names every value in order", plain, "pink", "", "must be one of red, green, blue"},
		{"no case folding", plain, "Red", "", "must be one of red, green, blue"},
		{"no trimming", labelled, " red", "", "must be one of red, green"},
		{"the empty list refuses everything", List[colour]{}, "red", "", "must be one of "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.list.Parse(tt.in)
			if tt.reason == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if got != "" || !errors.Is(err, fault.ErrInvalid) || err.Error() != tt.reason {
				t.Fatalf("Parse(%q) = %q, %v; want the reason %q", tt.in, got, err, tt.reason)
			}
		})
	}
}

func TestValuesKeepTheirOrderAndAreTheCallersCopy(t *testing.T) {
	vs := plain.Values()
	if !slices.Equal(vs, []colour{"red", "green", "blue"}) {
		t.Fatalf("values %v", vs)
	}
	vs[0] = "black"
	if plain.Values()[0] != "red" || !plain.Has("red") || plain.Has("black") {
		t.Fatalf("changing the returned slice changed the list: %v", plain.Values())
	}
	in := []colour{"a", "b"}
	l := Of(in...)
	in[0] = "z"
	if !l.Has("a") || l.Has("z") {
		t.Fatalf("Of keeps the caller's slice: %v", l.Values())
	}
}

func TestLabelIsEmptyForUnknownValuesAndUnlabelledLists(t *testing.T) {
	tests := []struct {
		name string
		list List[colour]
		v    colour
		want string
	}{
		{"a labelled value", labelled, "green", "Green"},
		{"a value not in the list", labelled, "blue", ""},
		{"a list without labels", plain, "red", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.list.Label(tt.v); got != tt.want {
				t.Fatalf("Label(%q) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
	if labelled.String() != "red, green" {
		t.Fatalf("String() = %q", labelled.String())
	}
}
