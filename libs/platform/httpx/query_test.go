package httpx

import (
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

type colour string

func TestQueryParametersReportEveryBadValue(t *testing.T) {
	tests := []struct {
		query      string
		wantEnums  []colour
		wantBool   bool
		wantCursor string
		wantLimit  int
		badFields  []string
	}{
		{"", nil, false, "", 0, nil},
		{"c=red,blue&c=green&on=true&cursor=abc&limit=10", []colour{"red", "blue", "green"}, true, "abc", 10, nil},
		{"c=red,,%20&limit=500", []colour{"red"}, false, "", 500, nil},
		{"c=purple&on=maybe&limit=0", []colour{"purple"}, false, "", 0, []string{"c", "limit", "on"}},
		{"limit=501", nil, false, "", 501, []string{"limit"}},
		{"limit=ten", nil, false, "", 0, []string{"limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/x?"+tt.query, nil)
			var f fault.Fields
			enums := QueryEnums(r, &f, "c", []colour{"red", "green", "blue"}, "a colour")
			on := QueryBool(r, &f, "on")
			cursor, limit := Page(r, &f)
			if !reflect.DeepEqual(enums, tt.wantEnums) || on != tt.wantBool || cursor != tt.wantCursor || (tt.badFields == nil && limit != tt.wantLimit) {
				t.Errorf("got %v %v %q %d", enums, on, cursor, limit)
			}
			var got []string
			var v *fault.ValidationError
			if err := f.Err(); errors.As(err, &v) {
				for _, fe := range v.Fields {
					got = append(got, fe.Field)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.badFields, ",") {
				t.Errorf("bad fields %v, want %v", got, tt.badFields)
			}
		})
	}
}

func TestQueryParsedReadsAnOptionalValueAndReportsABadOne(t *testing.T) {
	parse := func(s string) (colour, error) {
		if s != "red" {
			return "", errors.New("must be red")
		}
		return colour(s), nil
	}
	tests := []struct {
		query string
		want  colour
		bad   string
	}{
		{"", "", ""},
		{"c=", "", ""},
		{"c=red", "red", ""},
		{"c=blue", "", "c: must be red"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var f fault.Fields
			got := QueryParsed(httptest.NewRequest("GET", "/x?"+tt.query, nil), &f, "c", parse)
			var bad string
			var v *fault.ValidationError
			if errors.As(f.Err(), &v) {
				bad = v.Fields[0].Field + ": " + v.Fields[0].Reason
			}
			if got != tt.want || bad != tt.bad {
				t.Errorf("got %q with %q, want %q with %q", got, bad, tt.want, tt.bad)
			}
		})
	}
}

func TestHasBodyTellsAnEmptyRequestFromOneWithContent(t *testing.T) {
	if HasBody(httptest.NewRequest("POST", "/x", nil)) {
		t.Error("a request without a body has none")
	}
	if !HasBody(httptest.NewRequest("POST", "/x", strings.NewReader(`{}`))) {
		t.Error("a request with {} has a body")
	}
}
