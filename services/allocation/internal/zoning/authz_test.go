package zoning

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/authz/authztest"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

func TestAuthorizeFollowsThePolicyTable(t *testing.T) {
	c := authztest.NewCallers[string]()
	op, auditor, viewer, stranger := c.Operator, c.Auditor, c.Viewer, c.Unknown
	var (
		tenant  = Principal{Subject: "t", Role: audit.RoleTenant, TenantID: "tenant-7"}
		devISB  = Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, TenantID: "tenant-dev-1", Zones: []string{"zone-isb", "zone-hrp"}}
		devLHR  = Principal{Subject: "dev2", Role: audit.RoleZoneDeveloper, TenantID: "tenant-dev-1", Zones: []string{"zone-lhr"}}
		devNone = Principal{Subject: "dev3", Role: audit.RoleZoneDeveloper}

		zone     = Resource{Type: ResourceZone, Zone: "zone-isb"}
		newZone  = Resource{Type: ResourceZone}
		plot     = Resource{Type: ResourcePlot, Zone: "zone-isb"}
		building = Resource{Type: ResourceBuilding, Zone: "zone-isb"}
		unit     = Resource{Type: ResourceUnit, Zone: "zone-isb"}
		noZone   = Resource{Type: ResourcePlot}
	)
	// Out of scope is zoning's own ErrNotYours, a 403: every role sees zone plans anyway.
	allow, forbidden, notYours := authztest.Allowed, authztest.Forbidden, []error{ErrNotYours, fault.ErrForbidden}
	row := authztest.Row[ResourceType, Action, string]
	authztest.Run(t, Authorize, Can,
		// Everyone reads.
		row("operator reads a zone", op, ActionRead, zone, allow),
		row("auditor reads a plot", auditor, ActionRead, plot, allow),
		row("viewer reads a unit", viewer, ActionRead, unit, allow),
		row("tenant reads a plot plan", tenant, ActionRead, plot, allow),
		row("zone developer reads another zone's plots", devLHR, ActionRead, plot, allow),
		row("unknown role reads nothing", stranger, ActionRead, zone, forbidden),
		row("unknown record type", op, ActionRead, Resource{Type: "lease"}, forbidden),

		// Zones are the authority's.
		row("operator registers a zone", op, ActionRegister, newZone, allow),
		row("operator notifies a zone", op, ActionNotify, zone, allow),
		row("operator denotifies a zone", op, ActionDenotify, zone, allow),
		row("zone developer cannot register a zone", devISB, ActionRegister, newZone, forbidden),
		row("zone developer cannot notify its own zone", devISB, ActionNotify, zone, forbidden),
		row("tenant cannot denotify", tenant, ActionDenotify, zone, forbidden),

		// Zone developers manage their own zones' plans.
		row("zone developer creates a plot in its zone", devISB, ActionCreate, plot, allow),
		row("zone developer imports a plan into its zone", devISB, ActionImport, plot, allow),
		row("zone developer subdivides in its zone", devISB, ActionSubdivide, plot, allow),
		row("zone developer merges in its zone", devISB, ActionMerge, plot, allow),
		row("zone developer withdraws in its zone", devISB, ActionWithdraw, plot, allow),
		row("zone developer adds a building in its zone", devISB, ActionCreate, building, allow),
		row("zone developer adds a unit in its zone", devISB, ActionCreate, unit, allow),
		row("zone developer cannot touch another zone", devLHR, ActionCreate, plot, notYours),
		row("same tenant, but the token lacks the zone", devLHR, ActionImport, plot, notYours),
		row("zone developer without zones manages nothing", devNone, ActionCreate, plot, notYours),
		row("a record without a zone matches no developer", devISB, ActionCreate, noZone, notYours),
		row("operator manages any zone's plan", op, ActionSubdivide, plot, allow),
		row("operator adds units anywhere", op, ActionCreate, unit, allow),

		// Readers only read.
		row("tenant cannot create a plot", tenant, ActionCreate, plot, forbidden),
		row("auditor cannot withdraw a plot", auditor, ActionWithdraw, plot, forbidden),
		row("viewer cannot add a building", viewer, ActionCreate, building, forbidden),
		row("nobody subdivides a building", op, ActionSubdivide, building, forbidden),
	)
}

func TestResourcesDescribeTheirZone(t *testing.T) {
	w := newWorld(t, spec(t, "A-1", 0, 0, 100, 100))
	b, err := NewBuilding("bld-1", w.zone, w.plots["A-1"], BuildingInput{Name: "A", Floors: 2}, day(5), developer)
	must(t, err)
	u, err := NewUnit("unit-1", w.zone, w.plots["A-1"], b, UnitInput{Floor: 1, AreaM2: "90", Use: "office"}, day(5), developer)
	must(t, err)
	for _, r := range []Resource{ZoneResource(w.zone), PlotResource(w.plots["A-1"]), BuildingResource(b), UnitResource(u)} {
		if r.Zone != "zone-isb" {
			t.Errorf("%s resource in zone %q", r.Type, r.Zone)
		}
	}
	dev := Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, Zones: []string{"zone-isb"}}
	if !Can(dev, ActionCreate, UnitResource(u)) || dev.Actor() != (Actor{Subject: "dev", Role: audit.RoleZoneDeveloper}) {
		t.Errorf("developer of the zone may not add units")
	}
}
