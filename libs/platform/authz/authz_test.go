package authz

import (
	"errors"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

type (
	kind   string
	action string
	zone   string
)

const (
	doc  kind = "doc"
	note kind = "note"

	read    action = "read"
	create  action = "create"
	edit    action = "edit"
	approve action = "approve"
	publish action = "publish"
)

var policy = Policy[kind, action, zone]{
	Read:    read,
	Creates: []action{create},
	Table: Table[kind, action]{
		doc: {
			read: {audit.RoleOperator: AnyRecord, audit.RoleViewer: AnyRecord,
				audit.RoleTenant: OwnTenant, audit.RoleZoneDeveloper: OwnZones},
			create:  {audit.RoleTenant: OwnTenant},
			edit:    {audit.RoleTenant: OwnTenant, audit.RoleZoneDeveloper: OwnZones},
			approve: {audit.RoleOperator: AnyRecord},
		},
		// Everyone sees every note; only a developer of its zone publishes it.
		note: {
			read:    {audit.RoleOperator: AnyRecord, audit.RoleZoneDeveloper: AnyRecord},
			publish: {audit.RoleZoneDeveloper: OwnZones},
		},
	},
}

func TestAuthorizeFollowsTheTable(t *testing.T) {
	var (
		op       = Principal[zone]{Subject: "op", Role: audit.RoleOperator}
		viewer   = Principal[zone]{Subject: "v", Role: audit.RoleViewer}
		owner    = Principal[zone]{Subject: "u1", Role: audit.RoleTenant, TenantID: "t1"}
		other    = Principal[zone]{Subject: "u2", Role: audit.RoleTenant, TenantID: "t2"}
		noTenant = Principal[zone]{Subject: "u3", Role: audit.RoleTenant}
		devA     = Principal[zone]{Subject: "d1", Role: audit.RoleZoneDeveloper, Zones: []zone{"A", "B"}}
		devC     = Principal[zone]{Subject: "d2", Role: audit.RoleZoneDeveloper, Zones: []zone{"C"}}
		unknown  = Principal[zone]{Subject: "x", Role: "admin"}

		d        = Resource[kind, zone]{Type: doc, TenantID: "t1", Zone: "A"}
		noOwner  = Resource[kind, zone]{Type: doc, Zone: "A"}
		n        = Resource[kind, zone]{Type: note, Zone: "A"}
		noZone   = Resource[kind, zone]{Type: note}
		unTyped  = Resource[kind, zone]{Type: "other", TenantID: "t1"}
		nobody   error
		hidden   = ErrNotYours
		refused  = ErrRoleNotAllowed
		outScope = ErrOutOfScope
	)
	tests := []struct {
		name string
		p    Principal[zone]
		act  action
		r    Resource[kind, zone]
		want error
	}{
		{"any-record scope reads every record", viewer, read, d, nobody},
		{"own-tenant scope reads its own record", owner, read, d, nobody},
		{"own-zones scope reads a record in its zones", devA, read, d, nobody},
		{"another tenant's record is hidden", other, read, d, hidden},
		{"a record outside the zones is hidden", devC, read, d, hidden},
		{"a principal without a tenant owns nothing", noTenant, read, noOwner, hidden},
		{"an action on a hidden record is hidden too", other, edit, d, hidden},
		{"a role without a read grant may do nothing", unknown, read, d, refused},
		{"an unknown record type is refused", op, read, unTyped, refused},
		{"an action missing from the table is allowed to nobody", op, publish, d, refused},
		{"a visible record the role may not change is refused", viewer, edit, d, refused},
		{"the granted role acts in its scope", owner, edit, d, nobody},
		{"creating has nothing to hide, so a scope mismatch is refused", other, create, d, outScope},
		{"creating in one's own scope is allowed", owner, create, d, nobody},
		{"a visible record outside the action's scope is out of scope", devC, publish, n, outScope},
		{"a record without a zone matches no zone", devA, publish, noZone, outScope},
		{"own-zones scope acts in its zones", devA, publish, n, nobody},
		{"any-record scope acts anywhere", op, approve, d, nobody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := policy.Authorize(tt.p, tt.act, tt.r)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
			} else if !errors.Is(err, tt.want) {
				t.Fatalf("want %v, got %v", tt.want, err)
			}
			if errors.Is(err, ErrOutOfScope) && !errors.Is(err, ErrRoleNotAllowed) {
				t.Errorf("an out-of-scope refusal is not a role refusal: %v", err)
			}
			if got := policy.Can(tt.p, tt.act, tt.r); got != (err == nil) {
				t.Errorf("Can = %v, Authorize = %v", got, err)
			}
		})
	}
}

func TestErrorsCarryTheFaultKindTheTransportMaps(t *testing.T) {
	tests := []struct {
		err  error
		kind error
	}{
		{ErrNotYours, fault.ErrNotFound},
		{ErrRoleNotAllowed, fault.ErrForbidden},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.kind) {
			t.Errorf("%v does not wrap %v", tt.err, tt.kind)
		}
	}
}

func TestAnOutOfScopeRefusalReadsLikeAnyRefusal(t *testing.T) {
	dev := Principal[zone]{Subject: "d2", Role: audit.RoleZoneDeveloper, Zones: []zone{"C"}}
	err := policy.Authorize(dev, publish, Resource[kind, zone]{Type: note, Zone: "A"})
	const want = `role "zone_developer" may not publish this note: role not allowed to do this: forbidden`
	if !errors.Is(err, ErrOutOfScope) || !errors.Is(err, fault.ErrForbidden) || err.Error() != want {
		t.Errorf("got %q, want %q marked out of scope", err, want)
	}
}

func TestCanReadIsCanWithTheReadAction(t *testing.T) {
	d := Resource[kind, zone]{Type: doc, TenantID: "t1"}
	owner := Principal[zone]{Subject: "u1", Role: audit.RoleTenant, TenantID: "t1"}
	other := Principal[zone]{Subject: "u2", Role: audit.RoleTenant, TenantID: "t2"}
	if !policy.CanRead(owner, d) || policy.CanRead(other, d) {
		t.Errorf("CanRead: owner %v, other %v", policy.CanRead(owner, d), policy.CanRead(other, d))
	}
	if got := owner.Actor(); got != (audit.Actor{Subject: "u1", Role: audit.RoleTenant}) {
		t.Errorf("Actor = %+v", got)
	}
}
