package licensing

import (
	"fmt"
	"slices"
)

// Principal is the caller as the authorisation rules see it; the HTTP layer builds it from the
// verified token. TenantID scopes a tenant, Zones scope a zone developer.
type Principal struct {
	Subject  string
	Role     Role
	TenantID string
	Zones    []ZoneCode
}

// Actor returns who the principal is, for history entries.
func (p Principal) Actor() Actor { return Actor{Subject: p.Subject, Role: p.Role} }

// ResourceType is the kind of record an action touches.
type ResourceType string

// Resource types.
const (
	ResourceApplication ResourceType = "application"
	ResourceLicence     ResourceType = "licence"
)

// Resource is what authorisation needs to know about a record: its type and whose it is.
// For ActionCreate it describes the record to be created.
type Resource struct {
	Type     ResourceType
	TenantID string
	Zone     ZoneCode
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
		return r.Zone != "" && slices.Contains(p.Zones, r.Zone)
	}
	return false
}

// readers may see records. Zone developers see the applications and licences in their zones,
// because they host and serve those companies.
var readers = map[Role]scope{
	RoleOperator: anyRecord, RoleAuditor: anyRecord, RoleViewer: anyRecord,
	RoleZoneDeveloper: ownZones, RoleTenant: ownTenant,
}

var (
	applicant = map[Role]scope{RoleTenant: ownTenant}
	authority = map[Role]scope{RoleOperator: anyRecord}
)

// permissions is the whole policy: for each record type and action, the roles allowed and on
// which records. An action missing here is allowed to nobody.
var permissions = map[ResourceType]map[Action]map[Role]scope{
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

// Authorize decides whether p may do act on r. A record the principal may not even see is
// reported as ErrNotYours (a not-found), so a tenant cannot learn that another company's
// application exists; a visible record the role may not change is ErrRoleNotAllowed (a
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
	if act != ActionCreate && !readScope.covers(p, r) {
		return fmt.Errorf("%s: %w", r.Type, ErrNotYours)
	}
	s, ok := rules[act][p.Role]
	if !ok || !s.covers(p, r) {
		return fmt.Errorf("role %q may not %s this %s: %w", p.Role, act, r.Type, ErrRoleNotAllowed)
	}
	return nil
}

// Can reports whether Authorize allows act, for callers that only need a yes or no (which
// buttons to show, which rows to list).
func Can(p Principal, act Action, r Resource) bool { return Authorize(p, act, r) == nil }

// CanRead reports whether p may see r.
func CanRead(p Principal, r Resource) bool { return Can(p, ActionRead, r) }

// ApplicationResource describes an application for Authorize.
func ApplicationResource(a *Application) Resource {
	return Resource{Type: ResourceApplication, TenantID: a.TenantID, Zone: a.Zone}
}

// LicenceResource describes a licence for Authorize.
func LicenceResource(l *Licence) Resource {
	return Resource{Type: ResourceLicence, TenantID: l.TenantID, Zone: l.Zone}
}
