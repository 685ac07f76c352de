package zoning

import (
	"fmt"
	"slices"
)

// Principal is the caller as the authorisation rules see it; the HTTP layer builds it from the
// verified token. ZoneIDs scope a zone developer (the token's zone_ids claim); TenantID scopes a
// tenant, which here only reads.
type Principal struct {
	Subject  string
	Role     Role
	TenantID string
	ZoneIDs  []string
}

// Actor returns who the principal is, for history entries.
func (p Principal) Actor() Actor { return Actor{Subject: p.Subject, Role: p.Role} }

// ResourceType is the kind of record an action touches.
type ResourceType string

// Resource types.
const (
	ResourceZone     ResourceType = "zone"
	ResourcePlot     ResourceType = "plot"
	ResourceBuilding ResourceType = "building"
	ResourceUnit     ResourceType = "unit"
)

// Resource is what authorisation needs to know about a record: its type and its zone. For
// creation it describes the record to be created (its zone); for registering a zone ZoneID may
// be empty.
type Resource struct {
	Type   ResourceType
	ZoneID string
}

// ZoneResource describes a zone for Authorize.
func ZoneResource(z *Zone) Resource { return Resource{Type: ResourceZone, ZoneID: z.ID} }

// PlotResource describes a plot for Authorize.
func PlotResource(p *Plot) Resource { return Resource{Type: ResourcePlot, ZoneID: p.ZoneID} }

// BuildingResource describes a building for Authorize.
func BuildingResource(b *Building) Resource {
	return Resource{Type: ResourceBuilding, ZoneID: b.ZoneID}
}

// UnitResource describes a unit for Authorize.
func UnitResource(u *Unit) Resource { return Resource{Type: ResourceUnit, ZoneID: u.ZoneID} }

// scope says which records of a type a role may act on.
type scope int

const (
	anyRecord scope = iota + 1 // every record
	ownZones                   // records in one of the principal's zones
)

func (s scope) covers(p Principal, r Resource) bool {
	switch s {
	case anyRecord:
		return true
	case ownZones:
		return r.ZoneID != "" && slices.Contains(p.ZoneIDs, r.ZoneID)
	}
	return false
}

// Everyone reads zone plans: tenants choose where to lease from them, auditors and viewers
// oversee them, and a zone plan is public once notified.
var readers = map[Role]scope{
	RoleOperator: anyRecord, RoleZoneDeveloper: anyRecord, RoleTenant: anyRecord,
	RoleAuditor: anyRecord, RoleViewer: anyRecord,
}

var (
	authority = map[Role]scope{RoleOperator: anyRecord}
	// developers manage the plan of the zones they run; the authority may step in anywhere.
	developers = map[Role]scope{RoleOperator: anyRecord, RoleZoneDeveloper: ownZones}
)

// permissions is the whole policy: for each record type and action, the roles allowed and on
// which records. An action missing here is allowed to nobody.
var permissions = map[ResourceType]map[Action]map[Role]scope{
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
// the zones whose ids its token lists (Principal.ZoneIDs, the same scope libs/platform/auth
// validates). Zone.DeveloperTenantID records which licensed company runs a zone but grants
// nothing by itself: the authority grants access by issuing the token's zone ids, so revoking a
// zone from a developer is a token change, not a data migration. Operators may do everything;
// everyone reads. A record outside the developer's zones is refused with ErrNotYours (a
// forbidden, not a not-found: every role can see zone plans anyway); an action the role may
// never take is ErrRoleNotAllowed.
func Authorize(p Principal, act Action, r Resource) error {
	rules, ok := permissions[r.Type]
	if !ok {
		return fmt.Errorf("unknown record type %q: %w", r.Type, ErrRoleNotAllowed)
	}
	if _, canRead := rules[ActionRead][p.Role]; !canRead {
		return fmt.Errorf("role %q on %s: %w", p.Role, r.Type, ErrRoleNotAllowed)
	}
	s, ok := rules[act][p.Role]
	if !ok {
		return fmt.Errorf("role %q may not %s a %s: %w", p.Role, act, r.Type, ErrRoleNotAllowed)
	}
	if !s.covers(p, r) {
		return fmt.Errorf("%s in zone %s: %w", r.Type, r.ZoneID, ErrNotYours)
	}
	return nil
}

// Can reports whether Authorize allows act, for callers that only need a yes or no.
func Can(p Principal, act Action, r Resource) bool { return Authorize(p, act, r) == nil }
