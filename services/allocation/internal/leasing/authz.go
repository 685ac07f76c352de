package leasing

import (
	"github.com/zoneops/zoneops/libs/platform/authz"

	"github.com/zoneops/zoneops/libs/platform/audit"
)

// Principal is the caller as the authorisation rules see it; the HTTP layer builds it from the
// verified token. TenantID scopes a tenant, Zones (zone ids) scope a zone developer.
type Principal = authz.Principal[string]

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
// which zone (its id). For ActionSubmit it describes the request to be created.
type Resource = authz.Resource[ResourceType, string]

// Roles are the audit roles a token carries. Here tenants are licensed companies scoped to their
// own tenant id, and zone developers act in their zones. audit.RoleSystem is the service itself
// acting on a clock or an event (offers lapsing, leases ending, licence revocations, missed
// milestones): it appears in history only, no token carries it, so Authorize allows it nothing.
var (
	// readers may see requests and leases: everyone with access, tenants their own, zone
	// developers those of their zones.
	readers = authz.Grants{
		audit.RoleOperator: authz.AnyRecord, audit.RoleAuditor: authz.AnyRecord, audit.RoleViewer: authz.AnyRecord,
		audit.RoleZoneDeveloper: authz.OwnZones, audit.RoleTenant: authz.OwnTenant,
	}
	// everyone reads every zone's occupancy.
	everyone = authz.Grants{
		audit.RoleOperator: authz.AnyRecord, audit.RoleAuditor: authz.AnyRecord, audit.RoleViewer: authz.AnyRecord,
		audit.RoleZoneDeveloper: authz.AnyRecord, audit.RoleTenant: authz.AnyRecord,
	}
	tenantOrOperator    = authz.Grants{audit.RoleTenant: authz.OwnTenant, audit.RoleOperator: authz.AnyRecord}
	developerOrOperator = authz.Grants{audit.RoleZoneDeveloper: authz.OwnZones, audit.RoleOperator: authz.AnyRecord}
	operatorOnly        = authz.Grants{audit.RoleOperator: authz.AnyRecord}
	// tenantOnly: a request for space is the tenant's own act; nobody asks in its name (the
	// request carries no tenant of its own, the token's is used).
	tenantOnly = authz.Grants{audit.RoleTenant: authz.OwnTenant}
)

// permissions is the whole policy: for each record type and action, the roles allowed and on
// which records. An action missing here is allowed to nobody. Operators may do everything;
// the clock- and event-driven actions (expire, end, terminate for licence, check milestones)
// are the service's own and are listed for operators so that they can run them by hand.
var permissions = authz.Table[ResourceType, Action]{
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

// policy: a record the principal may not even see is reported as ErrNotYours (a not-found), so a
// tenant cannot learn that another company's request or lease exists; a visible record the role
// may not change is ErrRoleNotAllowed (a forbidden). Submitting creates the request, so there is
// nothing to hide yet and a scope mismatch there is forbidden.
var policy = authz.Policy[ResourceType, Action, string]{
	Read:    ActionRead,
	Creates: []Action{ActionSubmit},
	Table:   permissions,
}

// Authorize decides whether p may do act on r, by the policy above.
func Authorize(p Principal, act Action, r Resource) error {
	return policy.Authorize(p, act, r)
}

// Can reports whether Authorize allows act, for callers that only need a yes or no.
func Can(p Principal, act Action, r Resource) bool { return Authorize(p, act, r) == nil }

// CanRead reports whether p may see r; list endpoints filter with it.
func CanRead(p Principal, r Resource) bool { return Can(p, ActionRead, r) }

// RequestResource describes a request for Authorize.
func RequestResource(r *Request) Resource {
	return Resource{Type: ResourceRequest, TenantID: r.TenantID, Zone: r.ZoneID}
}

// NewRequestResource describes a request about to be submitted by tenantID in zoneID.
func NewRequestResource(tenantID, zoneID string) Resource {
	return Resource{Type: ResourceRequest, TenantID: tenantID, Zone: zoneID}
}

// LeaseResource describes a lease for Authorize.
func LeaseResource(l *Lease) Resource {
	return Resource{Type: ResourceLease, TenantID: l.TenantID, Zone: l.ZoneID}
}

// ZoneResource describes a zone's occupancy for Authorize.
func ZoneResource(zoneID string) Resource { return Resource{Type: ResourceZone, Zone: zoneID} }
