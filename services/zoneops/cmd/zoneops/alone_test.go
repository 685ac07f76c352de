package main

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/tenants"
)

// The checks of the single-service binaries live beside the table of programs, since each
// cmd/<name> runs exactly its service's program (app.Main(<name>.Definition().Program(version))):
// one copy of the checks, every service of the table.

// program is the named service's program from the table.
func program(t *testing.T, name string) app.Program {
	t.Helper()
	for _, p := range programs() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no program %q in the table", name)
	return app.Program{}
}

// TestTenantsRunsAlone shows that the service runs on its own binary with the same embedded
// defaults as the all-in-one process, answers /readyz, and stops when its context ends.
func TestTenantsRunsAlone(t *testing.T) {
	apitest.CheckRunsAlone(t, tenants.Name, program(t, tenants.Name).Run)
}

// TestAllocationRunsAlone shows that the service runs on its own binary with the same embedded
// defaults as the all-in-one process, answers /readyz, and stops when its context ends.
func TestAllocationRunsAlone(t *testing.T) {
	apitest.CheckRunsAlone(t, allocation.Name, program(t, allocation.Name).Run)
}

// TestPprofIsServedOnItsOwnAddressWhenAskedFor: with ZONEOPS_PPROF_ADDR set, each service's
// own binary serves /debug/pprof/ there and not on the API's address.
func TestPprofIsServedOnItsOwnAddressWhenAskedFor(t *testing.T) {
	for _, p := range programs() {
		t.Run(p.Name, func(t *testing.T) { apitest.CheckPprofApart(t, p.Name, p.Run) })
	}
}
