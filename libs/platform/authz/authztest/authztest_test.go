package authztest

import (
	"fmt"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/authz"
)

type (
	kind   string
	action string
)

var policy = authz.Policy[kind, action, string]{
	Read: "read",
	Table: authz.Table[kind, action]{
		"doc": {
			"read": {audit.RoleOperator: authz.AnyRecord, audit.RoleTenant: authz.OwnTenant},
			"sign": {audit.RoleTenant: authz.OwnTenant},
		},
	},
}

// The runner is itself checked on a small policy: each outcome it is told, it sees.
func TestRunChecksEachRowsOutcome(t *testing.T) {
	c := NewCallers[string]()
	var (
		op, owner, other = c.Operator, c.Owner, c.Stranger
		doc              = authz.Resource[kind, string]{Type: "doc", TenantID: OwnerTenant}
	)
	row := Row[kind, action, string]
	Run(t, policy.Authorize, policy.Can,
		row("the owner signs", owner, "sign", doc, Allowed),
		row("the operator reads", op, "read", doc, Allowed),
		row("the operator does not sign", op, "sign", doc, Forbidden),
		row("another tenant does not see it", other, "sign", doc, Hidden),
		row("a tenant token without a tenant sees nothing", c.NoTenant, "read", doc, Hidden),
		row("an unknown role may do nothing", c.Unknown, "read", doc, Forbidden),
		row("the auditor has no grant here", c.Auditor, "read", doc, Forbidden),
		row("nor the viewer", c.Viewer, "read", doc, Forbidden),
	)
}

// A runner that passed whatever it was told would prove nothing: a row with the wrong outcome
// must fail, and so must a can that disagrees with authorize.
func TestCheckFailsARowWhoseOutcomeDiffers(t *testing.T) {
	owner := authz.Principal[string]{Subject: "u1", Role: audit.RoleTenant, TenantID: "t1"}
	doc := authz.Resource[kind, string]{Type: "doc", TenantID: "t1"}
	tests := []struct {
		name      string
		want      []error
		authorize func(authz.Principal[string], action, authz.Resource[kind, string]) error
		can       func(authz.Principal[string], action, authz.Resource[kind, string]) bool
	}{
		{"allowed, but the row wants a refusal", []error{authz.ErrRoleNotAllowed}, policy.Authorize, policy.Can},
		{"refused, but the row wants it allowed", Allowed,
			func(authz.Principal[string], action, authz.Resource[kind, string]) error {
				return fmt.Errorf("no: %w", authz.ErrRoleNotAllowed)
			}, policy.Can},
		{"refused with another error", []error{authz.ErrNotYours},
			func(authz.Principal[string], action, authz.Resource[kind, string]) error {
				return fmt.Errorf("no: %w", authz.ErrRoleNotAllowed)
			}, func(authz.Principal[string], action, authz.Resource[kind, string]) bool { return false }},
		{"can disagrees", Allowed, policy.Authorize,
			func(authz.Principal[string], action, authz.Resource[kind, string]) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Row("row", owner, action("sign"), doc, tt.want)
			if err := Check(c, tt.authorize, tt.can); err == nil {
				t.Fatalf("Check passed a row it should have failed")
			}
		})
	}
}
