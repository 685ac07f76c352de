package main

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/services/tenants"
)

// TestTenantsRunsAlone shows that the service runs on its own binary with the same embedded
// defaults as the all-in-one process, answers /readyz, and stops when its context ends.
func TestTenantsRunsAlone(t *testing.T) {
	apitest.CheckRunsAlone(t, "tenants", tenants.Definition().Program(version).Run)
}

// TestPprofIsServedOnItsOwnAddressWhenAskedFor: with ZONEOPS_PPROF_ADDR set, the process
// serves /debug/pprof/ there and not on the API's address.
func TestPprofIsServedOnItsOwnAddressWhenAskedFor(t *testing.T) {
	apitest.CheckPprofApart(t, "tenants", tenants.Definition().Program(version).Run)
}
