package leasing

import (
	"fmt"
	"slices"
)

// Principal is the caller as the authorisation rules see it; the HTTP layer builds it from the
// verified token. TenantID scopes a tenant, ZoneIDs scope a zone developer.
type Principal struct {
	Subject  string   `json:"subject"`
	Role     Role     `json:"role"`
	TenantID string   `json:"tenant_id,omitempty"`
	ZoneIDs  []string `json:"zone_ids,omitempty"`
}

// Actor returns who the principal is, for history entries.
func (p Principal) Actor() Actor { return Actor{Subject: p.Subject, Role: p.Role} }

// ResourceType is the kind of record an action touches.
type ResourceType string

// Resource types.
const (
	ResourceRequest ResourceType = "request"
	ResourceLease   ResourceType = "lease"
	// ResourceZone stands for a zone's occupancy figures.
	ResourceZone ResourceType = "zone"
)

// Resource is what authorisation needs to know about a record: its type, whose it is and in
// which zone. For ActionSubmit it describes the request to be created.
type Resource struct {
	Type     ResourceType
	TenantID string
	ZoneID   string
}

// scope says which records of a type a role may act on.
type scope int

const (
	anyRecord scope = iota + 1 // every record
	ownTenant                  // records whose TenantID is the principal's
	ownZones                   // records in one of the principal's zones
)

func (s scope) covers(p Principal, r Resource) bool {
	switch s {
	case anyRecord:
		return true
	case ownTenant:
		return p.TenantID != "" && p.TenantID == r.TenantID
	case ownZones:
		return r.ZoneID != "" && slices.Contains(p.ZoneIDs, r.ZoneID)
	}
	return false
}

var (
	// readers may see requests and leases: everyone with access, tenants their own, zone
	// developers those of their zones.
	readers = map[Role]scope{
		RoleOperator: anyRecord, RoleAuditor: anyRecord, RoleViewer: anyRecord,
		RoleZoneDeveloper: ownZones, RoleTenant: ownTenant,
	}
	// everyone reads every zone's occupancy.
	everyone = map[Role]scope{
		RoleOperator: anyRecord, RoleAuditor: anyRecord, RoleViewer: anyRecord,
		RoleZoneDeveloper: anyRecord, RoleTenant: anyRecord,
	}
	tenantOrOperator    = map[Role]scope{RoleTenant: ownTenant, RoleOperator: anyRecord}
	developerOrOperator = map[Role]scope{RoleZoneDeveloper: ownZones, RoleOperator: anyRecord}
	operatorOnly        = map[Role]scope{RoleOperator: anyRecord}
	// tenantOnly: a request for space is the tenant's own act; nobody asks in its name (the
	// request carries no tenant of its own, the token's is used).
	tenantOnly = map[Role]scope{RoleTenant: ownTenant}
)

// permissions is the whole policy: for each record type and action, the roles allowed and on
// which records. An action missing here is allowed to nobody. Operators may do everything;
// the clock- and event-driven actions (expire, end, terminate for licence, check milestones)
// are the service's own and are listed for operators so that they can run them by hand.
var permissions = map[ResourceType]map[Action]map[Role]scope{
	ResourceRequest: {
		ActionRead:     readers,
		ActionSubmit:   tenantOnly,
		ActionWithdraw: tenantOrOperator,
		ActionAccept:   tenantOrOperator,
		ActionDecline:  tenantOrOperator,
		ActionOffer:    developerOrOperator,
		ActionExpire:   operatorOnly,
	},
	ResourceLease: {
		ActionRead:                readers,
		ActionTerminate:           developerOrOperator,
		ActionRecordMilestone:     developerOrOperator,
		ActionEnd:                 operatorOnly,
		ActionTerminateForLicence: operatorOnly,
		ActionCheckMilestones:     operatorOnly,
	},
	ResourceZone: {
		ActionRead: everyone,
	},
}

// Authorize decides whether p may do act on r. A record the principal may not even see is
// reported as ErrNotYours (a not-found), so a tenant cannot learn that another company's
// request or lease exists; a visible record the role may not change is ErrRoleNotAllowed (a
// forbidden). Creation has no existing record to hide, so a scope mismatch there is forbidden.
func Authorize(p Principal, act Action, r Resource) error {
	rules, ok := permissions[r.Type]
	if !ok {
		return fmt.Errorf("unknown record type %q: %w", r.Type, ErrRoleNotAllowed)
	}
	readScope, canRead := rules[ActionRead][p.Role]
	if !canRead {
		return fmt.Errorf("role %q on %s: %w", p.Role, r.Type, ErrRoleNotAllowed)
	}
	if act != ActionSubmit && !readScope.covers(p, r) {
		return fmt.Errorf("%s: %w", r.Type, ErrNotYours)
	}
	s, ok := rules[act][p.Role]
	if !ok || !s.covers(p, r) {
		return fmt.Errorf("role %q may not %s this %s: %w", p.Role, act, r.Type, ErrRoleNotAllowed)
	}
	return nil
}

// Can reports whether Authorize allows act, for callers that only need a yes or no.
func Can(p Principal, act Action, r Resource) bool { return Authorize(p, act, r) == nil }

// CanRead reports whether p may see r; list endpoints filter with it.
func CanRead(p Principal, r Resource) bool { return Can(p, ActionRead, r) }

// RequestResource describes a request for Authorize.
func RequestResource(r *Request) Resource {
	return Resource{Type: ResourceRequest, TenantID: r.TenantID, ZoneID: r.ZoneID}
}

// NewRequestResource describes a request about to be submitted by tenantID in zoneID.
func NewRequestResource(tenantID, zoneID string) Resource {
	return Resource{Type: ResourceRequest, TenantID: tenantID, ZoneID: zoneID}
}

// LeaseResource describes a lease for Authorize.
func LeaseResource(l *Lease) Resource {
	return Resource{Type: ResourceLease, TenantID: l.TenantID, ZoneID: l.ZoneID}
}

// ZoneResource describes a zone's occupancy for Authorize.
func ZoneResource(zoneID string) Resource { return Resource{Type: ResourceZone, ZoneID: zoneID} }
