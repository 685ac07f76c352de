package licensing

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
		devISB   = Principal{Subject: "dev", Role: audit.RoleZoneDeveloper, Zones: []ZoneCode{"ISB", "HRP"}}
		devLHR   = Principal{Subject: "dev2", Role: audit.RoleZoneDeveloper, Zones: []ZoneCode{"LHR"}}
		unknown  = Principal{Subject: "x", Role: "admin"}

		app = Resource{Type: ResourceApplication, TenantID: "t1", Zone: "ISB"}
		lic = Resource{Type: ResourceLicence, TenantID: "t1", Zone: "ISB"}
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
		{"operator reads any application", op, ActionRead, app, allow},
		{"auditor reads any application", auditor, ActionRead, app, allow},
		{"viewer reads any licence", viewer, ActionRead, lic, allow},
		{"tenant reads its own application", owner, ActionRead, app, allow},
		{"tenant reads its own licence", owner, ActionRead, lic, allow},
		{"tenant cannot see another's application", stranger, ActionRead, app, notFound},
		{"tenant cannot see another's licence", stranger, ActionRead, lic, notFound},
		{"tenant without a tenant id sees nothing", noTenant, ActionRead, Resource{Type: ResourceApplication}, notFound},
		{"zone developer reads its zone's licences", devISB, ActionRead, lic, allow},
		{"zone developer cannot see other zones", devLHR, ActionRead, lic, notFound},
		{"unknown role may do nothing", unknown, ActionRead, app, forbidden},
		{"unknown resource type", op, ActionRead, Resource{Type: "lease"}, forbidden},

		// The applicant's own actions.
		{"tenant creates its own application", owner, ActionCreate, app, allow},
		{"tenant cannot create for another tenant", stranger, ActionCreate, app, forbidden},
		{"tenant without a tenant id cannot create", noTenant, ActionCreate, Resource{Type: ResourceApplication}, forbidden},
		{"operator does not apply", op, ActionCreate, app, forbidden},
		{"tenant edits its own draft", owner, ActionUpdate, app, allow},
		{"tenant submits its own", owner, ActionSubmit, app, allow},
		{"tenant resubmits its own", owner, ActionResubmit, app, allow},
		{"tenant withdraws its own", owner, ActionWithdraw, app, allow},
		{"tenant cannot withdraw another's", stranger, ActionWithdraw, app, notFound},
		{"operator cannot withdraw for the applicant", op, ActionWithdraw, app, forbidden},
		{"tenant surrenders its own licence", owner, ActionSurrender, lic, allow},
		{"tenant cannot surrender another's licence", stranger, ActionSurrender, lic, notFound},
		{"operator cannot surrender for the holder", op, ActionSurrender, lic, forbidden},
		{"tenant replies to a show-cause notice on its own licence", owner, ActionReplyShowCause, lic, allow},
		{"tenant cannot reply on another's licence", stranger, ActionReplyShowCause, lic, notFound},
		{"operator cannot reply for the licensee", op, ActionReplyShowCause, lic, forbidden},
		{"zone developer cannot reply for the licensee", devISB, ActionReplyShowCause, lic, forbidden},
		{"auditor cannot reply", auditor, ActionReplyShowCause, lic, forbidden},

		// The authority's actions.
		{"operator notes a deficiency", op, ActionNoteDeficiency, app, allow},
		{"operator approves", op, ActionApprove, app, allow},
		{"operator rejects", op, ActionReject, app, allow},
		{"tenant cannot approve its own", owner, ActionApprove, app, forbidden},
		{"auditor cannot reject", auditor, ActionReject, app, forbidden},
		{"viewer cannot note a deficiency", viewer, ActionNoteDeficiency, app, forbidden},
		{"zone developer cannot approve", devISB, ActionApprove, app, forbidden},
		{"operator suspends", op, ActionSuspend, lic, allow},
		{"operator reinstates", op, ActionReinstate, lic, allow},
		{"operator issues a show-cause notice", op, ActionIssueShowCause, lic, allow},
		{"operator revokes", op, ActionRevoke, lic, allow},
		{"operator expires", op, ActionExpire, lic, allow},
		{"tenant cannot reinstate its own", owner, ActionReinstate, lic, forbidden},
		{"auditor cannot revoke", auditor, ActionRevoke, lic, forbidden},
		{"zone developer cannot suspend", devISB, ActionSuspend, lic, forbidden},

		// Actions that do not belong to the resource type.
		{"nobody approves a licence", op, ActionApprove, lic, forbidden},
		{"nobody suspends an application", op, ActionSuspend, app, forbidden},
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
