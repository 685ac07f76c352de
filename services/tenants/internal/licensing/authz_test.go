package licensing

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/authz/authztest"
)

func TestAuthorizeFollowsThePolicyTable(t *testing.T) {
	c := authztest.NewCallers[ZoneCode]()
	op, auditor, viewer, unknown := c.Operator, c.Auditor, c.Viewer, c.Unknown
	owner, stranger, noTenant := c.Owner, c.Stranger, c.NoTenant
	var (
		devISB = Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, Zones: []ZoneCode{"ISB", "HRP"}}
		devLHR = Principal{Subject: "dev2", Role: audit.RoleZoneDeveloper, Zones: []ZoneCode{"LHR"}}

		app = Resource{Type: ResourceApplication, TenantID: authztest.OwnerTenant, Zone: "ISB"}
		lic = Resource{Type: ResourceLicence, TenantID: authztest.OwnerTenant, Zone: "ISB"}
	)
	// The domain refuses with the engine's errors: ErrRoleNotAllowed and ErrNotYours are authz's.
	allow, forbidden, notFound := authztest.Allowed, authztest.Forbidden, authztest.Hidden
	row := authztest.Row[ResourceType, Action, ZoneCode]
	authztest.Run(t, Authorize, Can,
		// Reading.
		row("operator reads any application", op, ActionRead, app, allow),
		row("auditor reads any application", auditor, ActionRead, app, allow),
		row("viewer reads any licence", viewer, ActionRead, lic, allow),
		row("tenant reads its own application", owner, ActionRead, app, allow),
		row("tenant reads its own licence", owner, ActionRead, lic, allow),
		row("tenant cannot see another's application", stranger, ActionRead, app, notFound),
		row("tenant cannot see another's licence", stranger, ActionRead, lic, notFound),
		row("tenant without a tenant id sees nothing", noTenant, ActionRead, Resource{Type: ResourceApplication}, notFound),
		row("zone developer reads its zone's licences", devISB, ActionRead, lic, allow),
		row("zone developer cannot see other zones", devLHR, ActionRead, lic, notFound),
		row("unknown role may do nothing", unknown, ActionRead, app, forbidden),
		row("unknown resource type", op, ActionRead, Resource{Type: "lease"}, forbidden),

		// The applicant's own actions.
		row("tenant creates its own application", owner, ActionCreate, app, allow),
		row("tenant cannot create for another tenant", stranger, ActionCreate, app, forbidden),
		row("tenant without a tenant id cannot create", noTenant, ActionCreate, Resource{Type: ResourceApplication}, forbidden),
		row("operator does not apply", op, ActionCreate, app, forbidden),
		row("tenant edits its own draft", owner, ActionUpdate, app, allow),
		row("tenant submits its own", owner, ActionSubmit, app, allow),
		row("tenant resubmits its own", owner, ActionResubmit, app, allow),
		row("tenant withdraws its own", owner, ActionWithdraw, app, allow),
		row("tenant cannot withdraw another's", stranger, ActionWithdraw, app, notFound),
		row("operator cannot withdraw for the applicant", op, ActionWithdraw, app, forbidden),
		row("tenant surrenders its own licence", owner, ActionSurrender, lic, allow),
		row("tenant cannot surrender another's licence", stranger, ActionSurrender, lic, notFound),
		row("operator cannot surrender for the holder", op, ActionSurrender, lic, forbidden),
		row("tenant replies to a show-cause notice on its own licence", owner, ActionReplyShowCause, lic, allow),
		row("tenant cannot reply on another's licence", stranger, ActionReplyShowCause, lic, notFound),
		row("operator cannot reply for the licensee", op, ActionReplyShowCause, lic, forbidden),
		row("zone developer cannot reply for the licensee", devISB, ActionReplyShowCause, lic, forbidden),
		row("auditor cannot reply", auditor, ActionReplyShowCause, lic, forbidden),

		// The authority's actions.
		row("operator notes a deficiency", op, ActionNoteDeficiency, app, allow),
		row("operator approves", op, ActionApprove, app, allow),
		row("operator rejects", op, ActionReject, app, allow),
		row("tenant cannot approve its own", owner, ActionApprove, app, forbidden),
		row("auditor cannot reject", auditor, ActionReject, app, forbidden),
		row("viewer cannot note a deficiency", viewer, ActionNoteDeficiency, app, forbidden),
		row("zone developer cannot approve", devISB, ActionApprove, app, forbidden),
		row("operator suspends", op, ActionSuspend, lic, allow),
		row("operator reinstates", op, ActionReinstate, lic, allow),
		row("operator issues a show-cause notice", op, ActionIssueShowCause, lic, allow),
		row("operator revokes", op, ActionRevoke, lic, allow),
		row("operator expires", op, ActionExpire, lic, allow),
		row("tenant cannot reinstate its own", owner, ActionReinstate, lic, forbidden),
		row("auditor cannot revoke", auditor, ActionRevoke, lic, forbidden),
		row("zone developer cannot suspend", devISB, ActionSuspend, lic, forbidden),

		// Actions that do not belong to the resource type.
		row("nobody approves a licence", op, ActionApprove, lic, forbidden),
		row("nobody suspends an application", op, ActionSuspend, app, forbidden),
	)
}

func TestResourcesDescribeTheirRecords(t *testing.T) {
	a := appIn(t, ApplicationSubmitted)
	owner := Principal{Subject: "u1", Role: audit.RoleTenant, TenantID: "tenant-1"}
	if r := ApplicationResource(a); r != (Resource{Type: ResourceApplication, TenantID: "tenant-1", Zone: "ISB"}) || !CanRead(owner, r) {
		t.Fatalf("application resource %+v", r)
	}
	l, err := Grant(a, "lic-1", "STZ-ISB-2026-0001", day(3), operator, DefaultPolicy())
	must(t, err)
	if r := LicenceResource(l); r != (Resource{Type: ResourceLicence, TenantID: "tenant-1", Zone: "ISB"}) || !CanRead(owner, r) {
		t.Fatalf("licence resource %+v", r)
	}
	if owner.Actor() != (Actor{Subject: "u1", Role: audit.RoleTenant}) {
		t.Fatalf("actor %+v", owner.Actor())
	}
}
