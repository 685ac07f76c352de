package apitest_test

import (
	"fmt"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
)

func TestNewCastHasTheSevenCallersOfTheRoleTables(t *testing.T) {
	c := apitest.NewCast("ISB", "LHR", "t-a", "t-b")
	want := []auth.Principal{
		{Subject: "olivia", Role: auth.Operator},
		{Subject: "dev-isb", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB"}},
		{Subject: "dev-lhr", Role: auth.ZoneDeveloper, ZoneCodes: []string{"LHR"}},
		{Subject: "alice", Role: auth.Tenant, TenantID: "t-a"},
		{Subject: "bob", Role: auth.Tenant, TenantID: "t-b"},
		{Subject: "audrey", Role: auth.Auditor},
		{Subject: "vic", Role: auth.Viewer},
	}
	for i, caller := range c.Callers() {
		if fmt.Sprint(caller.P) != fmt.Sprint(want[i]) {
			t.Errorf("caller %d (%s) = %+v, want %+v", i, caller.Name, caller.P, want[i])
		}
	}
}
