package zoning

import (
	"errors"
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/authz"
)

// Principal is the caller as the authorisation rules see it; the HTTP layer builds it from the
// verified token. Zones (zone ids) scope a zone developer (the token's zone_ids claim); TenantID scopes a
// tenant, which here only reads.
type Principal = authz.Principal[string]

// ResourceType is the kind of record an action touches.
type ResourceType string

// Resource types.
const (
	ResourceZone     ResourceType = "zone"
	ResourcePlot     ResourceType = "plot"
	ResourceBuilding ResourceType = "building"
	ResourceUnit     ResourceType = "unit"
)

// Resource is what authorisation needs to know about a record: its type and its zone (its id);
// zone plans belong to no tenant, so TenantID stays empty. For creation it describes the record
// to be created (its zone); for registering a zone Zone may be empty.
type Resource = authz.Resource[ResourceType, string]

// ZoneResource describes a zone for Authorize.
func ZoneResource(z *Zone) Resource { return Resource{Type: ResourceZone, Zone: z.ID} }

// PlotResource describes a plot for Authorize.
func PlotResource(p *Plot) Resource { return Resource{Type: ResourcePlot, Zone: p.ZoneID} }

// BuildingResource describes a building for Authorize.
func BuildingResource(b *Building) Resource {
	return Resource{Type: ResourceBuilding, Zone: b.ZoneID}
}

// UnitResource describes a unit for Authorize.
func UnitResource(u *Unit) Resource { return Resource{Type: ResourceUnit, Zone: u.ZoneID} }

// Roles are the audit roles a token carries. Here operators register and notify zones, zone
// developers manage the plans of the zones in their token, and tenants (zone enterprises) read
// plans to choose where to lease.
//
// Everyone reads zone plans: tenants choose where to lease from them, auditors and viewers
// oversee them, and a zone plan is public once notified.
var readers = authz.Grants{
	audit.RoleOperator: authz.AnyRecord, audit.RoleZoneDeveloper: authz.AnyRecord, audit.RoleTenant: authz.AnyRecord,
	audit.RoleAuditor: authz.AnyRecord, audit.RoleViewer: authz.AnyRecord,
}

var (
	authority = authz.Grants{audit.RoleOperator: authz.AnyRecord}
	// developers manage the plan of the zones they run; the authority may step in anywhere.
	developers = authz.Grants{audit.RoleOperator: authz.AnyRecord, audit.RoleZoneDeveloper: authz.OwnZones}
)

// permissions is the whole policy: for each record type and action, the roles allowed and on
// which records. An action missing here is allowed to nobody.
var permissions = authz.Table[ResourceType, Action]{
	ResourceZone: {
		ActionRead:     readers,
		ActionRegister: authority,
		ActionNotify:   authority,
		ActionDenotify: authority,
	},
	ResourcePlot: {
		ActionRead:      readers,
		ActionCreate:    developers,
		ActionImport:    developers,
		ActionSubdivide: developers,
		ActionMerge:     developers,
		ActionWithdraw:  developers,
	},
	ResourceBuilding: {
		ActionRead:   readers,
		ActionCreate: developers,
	},
	ResourceUnit: {
		ActionRead:   readers,
		ActionCreate: developers,
	},
}

// Authorize decides whether p may do act on r.
//
// The rule for zone developers: a zone developer manages plots, buildings and units only in
// the zones whose ids its token lists (Principal.Zones, the same scope libs/platform/auth
// validates). Zone.DeveloperTenantID records which licensed company runs a zone but grants
// nothing by itself: the authority grants access by issuing the token's zone ids, so revoking a
// zone from a developer is a token change, not a data migration. Operators may do everything;
// everyone reads. A record outside the developer's zones is refused with ErrNotYours (a
// forbidden, not a not-found: every role can see zone plans anyway); an action the role may
// never take is ErrRoleNotAllowed.
func Authorize(p Principal, act Action, r Resource) error {
	err := policy.Authorize(p, act, r)
	if errors.Is(err, authz.ErrOutOfScope) {
		return fmt.Errorf("%s in zone %s: %w", r.Type, r.Zone, ErrNotYours)
	}
	return err
}

// policy: every role reads every zone plan, so the engine hides nothing here and needs no
// creating actions.
var policy = authz.Policy[ResourceType, Action, string]{Read: ActionRead, Table: permissions}

// Can reports whether Authorize allows act, for callers that only need a yes or no.
func Can(p Principal, act Action, r Resource) bool { return Authorize(p, act, r) == nil }
