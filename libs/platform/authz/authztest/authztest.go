// Package authztest runs the table test every domain writes for its permission table: for each
// row, who does what on which record and what must come of it. It is an ordinary package, not
// a _test.go file, so every domain's tests share one runner.
package authztest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Case is one row: Principal does Act on Record, and Want says what comes of it. An empty Want
// means the action is allowed; otherwise Authorize must refuse with an error matching every
// error in Want (errors.Is), such as a domain's sentinel and the fault kind it maps to.
type Case[T, A, Z ~string] struct {
	Name      string
	Principal authz.Principal[Z]
	Act       A
	Record    authz.Resource[T, Z]
	Want      []error
}

// Wants of the rows, for domains that refuse with the engine's errors as they are.
var (
	// Allowed: the action is allowed.
	Allowed []error
	// Forbidden: the role may not take the action, or not on this record (a 403).
	Forbidden = []error{authz.ErrRoleNotAllowed, fault.ErrForbidden}
	// Hidden: the caller may not even see the record (a 404).
	Hidden = []error{authz.ErrNotYours, fault.ErrNotFound}
)

// Callers are the principals a permission-table test asks about, one of each kind the engine
// tells apart by role and tenant. Zone developers are left to the domain, which names its own
// zones.
type Callers[Z ~string] struct {
	Operator, Auditor, Viewer authz.Principal[Z]
	// Owner is the tenant OwnerTenant, Stranger another tenant, NoTenant a tenant token without
	// a tenant id.
	Owner, Stranger, NoTenant authz.Principal[Z]
	// Unknown carries a role no token may carry.
	Unknown authz.Principal[Z]
}

// OwnerTenant is the tenant id of Callers.Owner: the records of a test belong to it.
const OwnerTenant = "t1"

// NewCallers returns the callers, each with its own subject.
func NewCallers[Z ~string]() Callers[Z] {
	return Callers[Z]{
		Operator: authz.Principal[Z]{Subject: "op", Role: audit.RoleOperator},
		Auditor:  authz.Principal[Z]{Subject: "aud", Role: audit.RoleAuditor},
		Viewer:   authz.Principal[Z]{Subject: "view", Role: audit.RoleViewer},
		Owner:    authz.Principal[Z]{Subject: "u1", Role: audit.RoleTenant, TenantID: OwnerTenant},
		Stranger: authz.Principal[Z]{Subject: "u2", Role: audit.RoleTenant, TenantID: "t2"},
		NoTenant: authz.Principal[Z]{Subject: "u3", Role: audit.RoleTenant},
		Unknown:  authz.Principal[Z]{Subject: "x", Role: "admin"},
	}
}

// Row returns a case. Tables read best with it bound to the domain's types once, as in
// row := authztest.Row[ResourceType, Action, ZoneCode], and one row(...) line a case.
func Row[T, A, Z ~string](name string, p authz.Principal[Z], act A, r authz.Resource[T, Z], want []error) Case[T, A, Z] {
	return Case[T, A, Z]{Name: name, Principal: p, Act: act, Record: r, Want: want}
}

// Run checks every case against authorize, and that can (the yes-or-no form) agrees with it,
// one subtest a case named for it.
func Run[T, A, Z ~string](t *testing.T,
	authorize func(authz.Principal[Z], A, authz.Resource[T, Z]) error,
	can func(authz.Principal[Z], A, authz.Resource[T, Z]) bool, cases ...Case[T, A, Z]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if err := Check(c, authorize, can); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Check is one case of Run: nil when authorize and can give the case's outcome, else an error
// saying what they gave instead.
func Check[T, A, Z ~string](c Case[T, A, Z],
	authorize func(authz.Principal[Z], A, authz.Resource[T, Z]) error,
	can func(authz.Principal[Z], A, authz.Resource[T, Z]) bool) error {
	err := authorize(c.Principal, c.Act, c.Record)
	switch {
	case len(c.Want) == 0 && err != nil:
		return fmt.Errorf("refused, want allowed: %w", err)
	case len(c.Want) > 0 && err == nil:
		return fmt.Errorf("allowed, want refused with %v", c.Want)
	}
	for _, w := range c.Want {
		if !errors.Is(err, w) {
			return fmt.Errorf("refused with %q, which does not match %q", err, w)
		}
	}
	if can(c.Principal, c.Act, c.Record) != (len(c.Want) == 0) {
		return fmt.Errorf("can disagrees with authorize (%v)", err)
	}
	return nil
}
