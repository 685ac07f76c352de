package licensing

import (
	"github.com/zoneops/zoneops/libs/platform/authz"

	"github.com/zoneops/zoneops/libs/platform/audit"
)

// Principal is the caller as the authorisation rules see it; the HTTP layer builds it from the
// verified token. TenantID scopes a tenant, Zones scope a zone developer.
type Principal = authz.Principal[ZoneCode]

// ResourceType is the kind of record an action touches.
type ResourceType string

// Resource types.
const (
	ResourceApplication ResourceType = "application"
	ResourceLicence     ResourceType = "licence"
)

// Resource is what authorisation needs to know about a record: its type and whose it is.
// For ActionCreate it describes the record to be created.
type Resource = authz.Resource[ResourceType, ZoneCode]

// readers may see records. Zone developers see the applications and licences in their zones,
// because they host and serve those companies.
var readers = authz.Grants{
	audit.RoleOperator: authz.AnyRecord, audit.RoleAuditor: authz.AnyRecord, audit.RoleViewer: authz.AnyRecord,
	audit.RoleZoneDeveloper: authz.OwnZones, audit.RoleTenant: authz.OwnTenant,
}

var (
	applicant = authz.Grants{audit.RoleTenant: authz.OwnTenant}
	authority = authz.Grants{audit.RoleOperator: authz.AnyRecord}
)

// permissions is the whole policy: for each record type and action, the roles allowed and on
// which records. An action missing here is allowed to nobody.
var permissions = authz.Table[ResourceType, Action]{
	ResourceApplication: {
		ActionRead:           readers,
		ActionCreate:         applicant,
		ActionUpdate:         applicant,
		ActionSubmit:         applicant,
		ActionResubmit:       applicant,
		ActionWithdraw:       applicant,
		ActionNoteDeficiency: authority,
		ActionApprove:        authority,
		ActionReject:         authority,
	},
	ResourceLicence: {
		ActionRead:           readers,
		ActionSurrender:      applicant,
		ActionReplyShowCause: applicant,
		ActionSuspend:        authority,
		ActionReinstate:      authority,
		ActionIssueShowCause: authority,
		ActionRevoke:         authority,
		ActionExpire:         authority,
	},
}

// policy: a record the principal may not even see is reported as ErrNotYours (a not-found), so a
// tenant cannot learn that another company's application exists; a visible record the role may
// not change is ErrRoleNotAllowed (a forbidden). Creation has no existing record to hide, so a
// scope mismatch there is forbidden.
var policy = authz.Policy[ResourceType, Action, ZoneCode]{
	Read:    ActionRead,
	Creates: []Action{ActionCreate},
	Table:   permissions,
}

// Authorize decides whether p may do act on r, by the policy above.
func Authorize(p Principal, act Action, r Resource) error { return policy.Authorize(p, act, r) }

// Can reports whether Authorize allows act, for callers that only need a yes or no (which
// buttons to show, which rows to list).
func Can(p Principal, act Action, r Resource) bool { return policy.Can(p, act, r) }

// CanRead reports whether p may see r.
func CanRead(p Principal, r Resource) bool { return policy.CanRead(p, r) }

// ApplicationResource describes an application for Authorize.
func ApplicationResource(a *Application) Resource {
	return Resource{Type: ResourceApplication, TenantID: a.TenantID, Zone: a.Zone}
}

// LicenceResource describes a licence for Authorize.
func LicenceResource(l *Licence) Resource {
	return Resource{Type: ResourceLicence, TenantID: l.TenantID, Zone: l.Zone}
}
