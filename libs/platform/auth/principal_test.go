package auth_test

import (
	"reflect"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/authz"
)

type zoneCode string

func TestCallerCarriesTheTokenIntoTheRulesWithTheServicesZones(t *testing.T) {
	dev := auth.Principal{Subject: "d", Role: auth.ZoneDeveloper, TenantID: "t1", ZoneCodes: []string{"ISB", "LHR"}}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"resolved zones replace the codes", auth.Caller(dev, []string{"id-isb"}),
			authz.Principal[string]{Subject: "d", Role: auth.ZoneDeveloper, TenantID: "t1", Zones: []string{"id-isb"}}},
		{"by code keeps the codes, in the service's type", auth.CallerByCode[zoneCode](dev),
			authz.Principal[zoneCode]{Subject: "d", Role: auth.ZoneDeveloper, TenantID: "t1", Zones: []zoneCode{"ISB", "LHR"}}},
		{"a caller without zones has none", auth.CallerByCode[zoneCode](auth.Principal{Subject: "o", Role: auth.Operator}),
			authz.Principal[zoneCode]{Subject: "o", Role: auth.Operator, Zones: []zoneCode{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
}
