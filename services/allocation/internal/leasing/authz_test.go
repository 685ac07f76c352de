package leasing

import (
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/authz/authztest"
)

func TestAuthorizeFollowsThePolicyTable(t *testing.T) {
	c := authztest.NewCallers[string]()
	op, auditor, viewer, unknown := c.Operator, c.Auditor, c.Viewer, c.Unknown
	owner, stranger, noTenant := c.Owner, c.Stranger, c.NoTenant
	var (
		devISB = Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, Zones: []string{"isb", "hrp"}}
		devLHR = Principal{Subject: "dev2", Role: audit.RoleZoneDeveloper, Zones: []string{"lhr"}}
		sys    = Principal{Subject: "allocation", Role: audit.RoleSystem}

		req   = Resource{Type: ResourceRequest, TenantID: authztest.OwnerTenant, Zone: "isb"}
		lease = Resource{Type: ResourceLease, TenantID: authztest.OwnerTenant, Zone: "isb"}
		isb   = ZoneResource("isb")
	)
	// The domain refuses with the engine's errors: ErrRoleNotAllowed and ErrNotYours are authz's.
	allow, forbidden, notFound := authztest.Allowed, authztest.Forbidden, authztest.Hidden
	row := authztest.Row[ResourceType, Action, string]
	authztest.Run(t, Authorize, Can,
		// Reading.
		row("operator reads any request", op, ActionRead, req, allow),
		row("auditor reads any lease", auditor, ActionRead, lease, allow),
		row("viewer reads any request", viewer, ActionRead, req, allow),
		row("tenant reads its own request", owner, ActionRead, req, allow),
		row("tenant reads its own lease", owner, ActionRead, lease, allow),
		row("tenant cannot see another's request", stranger, ActionRead, req, notFound),
		row("tenant cannot see another's lease", stranger, ActionRead, lease, notFound),
		row("tenant without a tenant id sees nothing", noTenant, ActionRead, Resource{Type: ResourceLease}, notFound),
		row("zone developer reads its zone's requests", devISB, ActionRead, req, allow),
		row("zone developer reads its zone's leases", devISB, ActionRead, lease, allow),
		row("zone developer cannot see other zones", devLHR, ActionRead, lease, notFound),
		row("unknown role may do nothing", unknown, ActionRead, req, forbidden),
		row("the system role carries no rights", sys, ActionRead, lease, forbidden),
		row("unknown resource type", op, ActionRead, Resource{Type: "licence"}, forbidden),

		// Occupancy: anyone with access, any zone.
		row("tenant sees any zone's occupancy", stranger, ActionRead, isb, allow),
		row("zone developer sees another zone's occupancy", devLHR, ActionRead, isb, allow),
		row("viewer sees occupancy", viewer, ActionRead, isb, allow),
		row("auditor sees occupancy", auditor, ActionRead, isb, allow),
		row("operator sees occupancy", op, ActionRead, isb, allow),
		row("unknown role sees no occupancy", unknown, ActionRead, isb, forbidden),
		row("nobody changes occupancy", op, ActionOffer, isb, forbidden),

		// The tenant's own actions on its requests.
		row("tenant submits its own request", owner, ActionSubmit, req, allow),
		row("tenant cannot submit for another tenant", stranger, ActionSubmit, req, forbidden),
		row("tenant without a tenant id cannot submit", noTenant, ActionSubmit, Resource{Type: ResourceRequest, Zone: "isb"}, forbidden),
		row("tenant withdraws its own", owner, ActionWithdraw, req, allow),
		row("tenant accepts its own offer", owner, ActionAccept, req, allow),
		row("tenant declines its own offer", owner, ActionDecline, req, allow),
		row("tenant cannot accept another's offer", stranger, ActionAccept, req, notFound),
		row("tenant cannot withdraw another's", stranger, ActionWithdraw, req, notFound),
		row("zone developer cannot submit for a tenant", devISB, ActionSubmit, req, forbidden),
		row("zone developer cannot accept for the tenant", devISB, ActionAccept, req, forbidden),
		row("auditor cannot decline", auditor, ActionDecline, req, forbidden),
		row("tenant cannot offer itself space", owner, ActionOffer, req, forbidden),

		// The zone developer's actions in its zones.
		row("zone developer offers in its zone", devISB, ActionOffer, req, allow),
		row("zone developer cannot offer in another zone", devLHR, ActionOffer, req, notFound),
		row("zone developer terminates a lease in its zone", devISB, ActionTerminate, lease, allow),
		row("zone developer records a milestone in its zone", devISB, ActionRecordMilestone, lease, allow),
		row("zone developer cannot terminate in another zone", devLHR, ActionTerminate, lease, notFound),
		row("tenant cannot terminate its own lease", owner, ActionTerminate, lease, forbidden),
		row("tenant cannot record milestones", owner, ActionRecordMilestone, lease, forbidden),
		row("viewer cannot offer", viewer, ActionOffer, req, forbidden),
		row("auditor cannot terminate", auditor, ActionTerminate, lease, forbidden),
		row("zone developer cannot run the end sweep", devISB, ActionEnd, lease, forbidden),
		row("zone developer cannot expire offers", devISB, ActionExpire, req, forbidden),

		// Operators do everything.
		row("operator does not submit in a tenant's name", op, ActionSubmit, req, forbidden),
		row("operator withdraws", op, ActionWithdraw, req, allow),
		row("operator accepts", op, ActionAccept, req, allow),
		row("operator declines", op, ActionDecline, req, allow),
		row("operator offers", op, ActionOffer, req, allow),
		row("operator expires an offer", op, ActionExpire, req, allow),
		row("operator terminates", op, ActionTerminate, lease, allow),
		row("operator terminates for a licence", op, ActionTerminateForLicence, lease, allow),
		row("operator ends a lease", op, ActionEnd, lease, allow),
		row("operator records a milestone", op, ActionRecordMilestone, lease, allow),
		row("operator checks milestones", op, ActionCheckMilestones, lease, allow),

		// Actions that do not belong to the resource type.
		row("nobody offers a lease", op, ActionOffer, lease, forbidden),
		row("nobody terminates a request", op, ActionTerminate, req, forbidden),
	)
}

func TestResourcesDescribeTheirRecords(t *testing.T) {
	r := requestIn(t, RequestSubmitted)
	owner := Principal{Subject: "u1", Role: audit.RoleTenant, TenantID: "tenant-1"}
	if res := RequestResource(r); res != (Resource{Type: ResourceRequest, TenantID: "tenant-1", Zone: zone}) || !CanRead(owner, res) {
		t.Fatalf("request resource %+v", res)
	}
	if res := NewRequestResource("tenant-1", zone); !Can(owner, ActionSubmit, res) {
		t.Fatalf("owner cannot submit %+v", res)
	}
	l := leaseIn(t, LeaseActive)
	if res := LeaseResource(l); res != (Resource{Type: ResourceLease, TenantID: "tenant-1", Zone: zone}) || !CanRead(owner, res) {
		t.Fatalf("lease resource %+v", res)
	}
	if owner.Actor() != (Actor{Subject: "u1", Role: audit.RoleTenant}) {
		t.Fatalf("actor %+v", owner.Actor())
	}
}
