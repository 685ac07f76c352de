package zoning

import (
	"errors"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

func TestAuthorizeFollowsThePolicyTable(t *testing.T) {
	var (
		op       = Principal{Subject: "op", Role: audit.RoleOperator}
		auditor  = Principal{Subject: "aud", Role: audit.RoleAuditor}
		viewer   = Principal{Subject: "view", Role: audit.RoleViewer}
		tenant   = Principal{Subject: "t", Role: audit.RoleTenant, TenantID: "tenant-7"}
		devISB   = Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, TenantID: "tenant-dev-1", Zones: []string{"zone-isb", "zone-hrp"}}
		devLHR   = Principal{Subject: "dev2", Role: audit.RoleZoneDeveloper, TenantID: "tenant-dev-1", Zones: []string{"zone-lhr"}}
		devNone  = Principal{Subject: "dev3", Role: audit.RoleZoneDeveloper}
		stranger = Principal{Subject: "x", Role: "admin"}

		zone     = Resource{Type: ResourceZone, Zone: "zone-isb"}
		newZone  = Resource{Type: ResourceZone}
		plot     = Resource{Type: ResourcePlot, Zone: "zone-isb"}
		building = Resource{Type: ResourceBuilding, Zone: "zone-isb"}
		unit     = Resource{Type: ResourceUnit, Zone: "zone-isb"}
		noZone   = Resource{Type: ResourcePlot}
	)
	const (
		allow     = "allow"
		forbidden = "role"
		notYours  = "not yours"
	)
	tests := []struct {
		name string
		p    Principal
		act  Action
		r    Resource
		want string
	}{
		// Everyone reads.
		{"operator reads a zone", op, ActionRead, zone, allow},
		{"auditor reads a plot", auditor, ActionRead, plot, allow},
		{"viewer reads a unit", viewer, ActionRead, unit, allow},
		{"tenant reads a plot plan", tenant, ActionRead, plot, allow},
		{"zone developer reads another zone's plots", devLHR, ActionRead, plot, allow},
		{"unknown role reads nothing", stranger, ActionRead, zone, forbidden},
		{"unknown record type", op, ActionRead, Resource{Type: "lease"}, forbidden},

		// Zones are the authority's.
		{"operator registers a zone", op, ActionRegister, newZone, allow},
		{"operator notifies a zone", op, ActionNotify, zone, allow},
		{"operator denotifies a zone", op, ActionDenotify, zone, allow},
		{"zone developer cannot register a zone", devISB, ActionRegister, newZone, forbidden},
		{"zone developer cannot notify its own zone", devISB, ActionNotify, zone, forbidden},
		{"tenant cannot denotify", tenant, ActionDenotify, zone, forbidden},

		// Zone developers manage their own zones' plans.
		{"zone developer creates a plot in its zone", devISB, ActionCreate, plot, allow},
		{"zone developer imports a plan into its zone", devISB, ActionImport, plot, allow},
		{"zone developer subdivides in its zone", devISB, ActionSubdivide, plot, allow},
		{"zone developer merges in its zone", devISB, ActionMerge, plot, allow},
		{"zone developer withdraws in its zone", devISB, ActionWithdraw, plot, allow},
		{"zone developer adds a building in its zone", devISB, ActionCreate, building, allow},
		{"zone developer adds a unit in its zone", devISB, ActionCreate, unit, allow},
		{"zone developer cannot touch another zone", devLHR, ActionCreate, plot, notYours},
		{"same tenant, but the token lacks the zone", devLHR, ActionImport, plot, notYours},
		{"zone developer without zones manages nothing", devNone, ActionCreate, plot, notYours},
		{"a record without a zone matches no developer", devISB, ActionCreate, noZone, notYours},
		{"operator manages any zone's plan", op, ActionSubdivide, plot, allow},
		{"operator adds units anywhere", op, ActionCreate, unit, allow},

		// Readers only read.
		{"tenant cannot create a plot", tenant, ActionCreate, plot, forbidden},
		{"auditor cannot withdraw a plot", auditor, ActionWithdraw, plot, forbidden},
		{"viewer cannot add a building", viewer, ActionCreate, building, forbidden},
		{"nobody subdivides a building", op, ActionSubdivide, building, forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Authorize(tt.p, tt.act, tt.r)
			switch tt.want {
			case allow:
				must(t, err)
				if !Can(tt.p, tt.act, tt.r) {
					t.Errorf("Can disagrees with Authorize")
				}
			case forbidden:
				if !errors.Is(err, ErrRoleNotAllowed) || !errors.Is(err, fault.ErrForbidden) {
					t.Fatalf("want role not allowed, got %v", err)
				}
			case notYours:
				if !errors.Is(err, ErrNotYours) || !errors.Is(err, fault.ErrForbidden) {
					t.Fatalf("want not yours, got %v", err)
				}
			}
		})
	}
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
