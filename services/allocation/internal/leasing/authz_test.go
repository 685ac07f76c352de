package leasing

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
		owner    = Principal{Subject: "u1", Role: audit.RoleTenant, TenantID: "t1"}
		stranger = Principal{Subject: "u2", Role: audit.RoleTenant, TenantID: "t2"}
		noTenant = Principal{Subject: "u3", Role: audit.RoleTenant}
		devISB   = Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, Zones: []string{"isb", "hrp"}}
		devLHR   = Principal{Subject: "dev2", Role: audit.RoleZoneDeveloper, Zones: []string{"lhr"}}
		sys      = Principal{Subject: "allocation", Role: audit.RoleSystem}
		unknown  = Principal{Subject: "x", Role: "admin"}

		req   = Resource{Type: ResourceRequest, TenantID: "t1", Zone: "isb"}
		lease = Resource{Type: ResourceLease, TenantID: "t1", Zone: "isb"}
		isb   = ZoneResource("isb")
	)
	const (
		allow     = "allow"
		forbidden = "forbidden"
		notFound  = "not found"
	)
	tests := []struct {
		name string
		p    Principal
		act  Action
		r    Resource
		want string
	}{
		// Reading.
		{"operator reads any request", op, ActionRead, req, allow},
		{"auditor reads any lease", auditor, ActionRead, lease, allow},
		{"viewer reads any request", viewer, ActionRead, req, allow},
		{"tenant reads its own request", owner, ActionRead, req, allow},
		{"tenant reads its own lease", owner, ActionRead, lease, allow},
		{"tenant cannot see another's request", stranger, ActionRead, req, notFound},
		{"tenant cannot see another's lease", stranger, ActionRead, lease, notFound},
		{"tenant without a tenant id sees nothing", noTenant, ActionRead, Resource{Type: ResourceLease}, notFound},
		{"zone developer reads its zone's requests", devISB, ActionRead, req, allow},
		{"zone developer reads its zone's leases", devISB, ActionRead, lease, allow},
		{"zone developer cannot see other zones", devLHR, ActionRead, lease, notFound},
		{"unknown role may do nothing", unknown, ActionRead, req, forbidden},
		{"the system role carries no rights", sys, ActionRead, lease, forbidden},
		{"unknown resource type", op, ActionRead, Resource{Type: "licence"}, forbidden},

		// Occupancy: anyone with access, any zone.
		{"tenant sees any zone's occupancy", stranger, ActionRead, isb, allow},
		{"zone developer sees another zone's occupancy", devLHR, ActionRead, isb, allow},
		{"viewer sees occupancy", viewer, ActionRead, isb, allow},
		{"auditor sees occupancy", auditor, ActionRead, isb, allow},
		{"operator sees occupancy", op, ActionRead, isb, allow},
		{"unknown role sees no occupancy", unknown, ActionRead, isb, forbidden},
		{"nobody changes occupancy", op, ActionOffer, isb, forbidden},

		// The tenant's own actions on its requests.
		{"tenant submits its own request", owner, ActionSubmit, req, allow},
		{"tenant cannot submit for another tenant", stranger, ActionSubmit, req, forbidden},
		{"tenant without a tenant id cannot submit", noTenant, ActionSubmit, Resource{Type: ResourceRequest, Zone: "isb"}, forbidden},
		{"tenant withdraws its own", owner, ActionWithdraw, req, allow},
		{"tenant accepts its own offer", owner, ActionAccept, req, allow},
		{"tenant declines its own offer", owner, ActionDecline, req, allow},
		{"tenant cannot accept another's offer", stranger, ActionAccept, req, notFound},
		{"tenant cannot withdraw another's", stranger, ActionWithdraw, req, notFound},
		{"zone developer cannot submit for a tenant", devISB, ActionSubmit, req, forbidden},
		{"zone developer cannot accept for the tenant", devISB, ActionAccept, req, forbidden},
		{"auditor cannot decline", auditor, ActionDecline, req, forbidden},
		{"tenant cannot offer itself space", owner, ActionOffer, req, forbidden},

		// The zone developer's actions in its zones.
		{"zone developer offers in its zone", devISB, ActionOffer, req, allow},
		{"zone developer cannot offer in another zone", devLHR, ActionOffer, req, notFound},
		{"zone developer terminates a lease in its zone", devISB, ActionTerminate, lease, allow},
		{"zone developer records a milestone in its zone", devISB, ActionRecordMilestone, lease, allow},
		{"zone developer cannot terminate in another zone", devLHR, ActionTerminate, lease, notFound},
		{"tenant cannot terminate its own lease", owner, ActionTerminate, lease, forbidden},
		{"tenant cannot record milestones", owner, ActionRecordMilestone, lease, forbidden},
		{"viewer cannot offer", viewer, ActionOffer, req, forbidden},
		{"auditor cannot terminate", auditor, ActionTerminate, lease, forbidden},
		{"zone developer cannot run the end sweep", devISB, ActionEnd, lease, forbidden},
		{"zone developer cannot expire offers", devISB, ActionExpire, req, forbidden},

		// Operators do everything.
		{"operator does not submit in a tenant's name", op, ActionSubmit, req, forbidden},
		{"operator withdraws", op, ActionWithdraw, req, allow},
		{"operator accepts", op, ActionAccept, req, allow},
		{"operator declines", op, ActionDecline, req, allow},
		{"operator offers", op, ActionOffer, req, allow},
		{"operator expires an offer", op, ActionExpire, req, allow},
		{"operator terminates", op, ActionTerminate, lease, allow},
		{"operator terminates for a licence", op, ActionTerminateForLicence, lease, allow},
		{"operator ends a lease", op, ActionEnd, lease, allow},
		{"operator records a milestone", op, ActionRecordMilestone, lease, allow},
		{"operator checks milestones", op, ActionCheckMilestones, lease, allow},

		// Actions that do not belong to the resource type.
		{"nobody offers a lease", op, ActionOffer, lease, forbidden},
		{"nobody terminates a request", op, ActionTerminate, req, forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Authorize(tt.p, tt.act, tt.r)
			got := allow
			switch {
			case err == nil:
			case errors.Is(err, ErrRoleNotAllowed) && errors.Is(err, fault.ErrForbidden):
				got = forbidden
			case errors.Is(err, ErrNotYours) && errors.Is(err, fault.ErrNotFound):
				got = notFound
			default:
				t.Fatalf("unexpected error %v", err)
			}
			if got != tt.want {
				t.Fatalf("%s, want %s (%v)", got, tt.want, err)
			}
			if Can(tt.p, tt.act, tt.r) != (tt.want == allow) {
				t.Fatalf("Can disagrees with Authorize")
			}
		})
	}
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
