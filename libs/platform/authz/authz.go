// Package authz is the authorisation engine the services share: a caller (Principal), the record
// it acts on (Resource), and a Policy table saying, per record type and action, which roles may
// act and on which records (Scope). Each service keeps only its table; the decision rules live
// here once, so a fix to them reaches every service.
package authz

import (
	"errors"
	"fmt"
	"slices"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Errors Authorize returns. Each wraps the fault kind a transport maps to a status.
var (
	// ErrNotYours: the record exists (or may) but the caller may not see it; reported as not
	// found so that callers cannot probe for other parties' records.
	ErrNotYours = fmt.Errorf("no such record for this caller: %w", fault.ErrNotFound)
	// ErrRoleNotAllowed: the caller's role or scope does not permit the action.
	ErrRoleNotAllowed = fmt.Errorf("role not allowed to do this: %w", fault.ErrForbidden)
	// ErrOutOfScope marks an ErrRoleNotAllowed where the role may take the action, but not on
	// this record, for a policy whose records everyone sees and that wants to say so plainly.
	ErrOutOfScope = errors.New("the record is outside the caller's scope")
)

// scopeError is a refusal for scope. It keeps the refusal's text, so what a caller reads does
// not depend on which rule refused, and answers errors.Is for ErrOutOfScope too.
type scopeError struct{ error }

func (e scopeError) Unwrap() error        { return e.error }
func (e scopeError) Is(target error) bool { return target == ErrOutOfScope }

// Principal is the caller as the rules see it; the HTTP layer builds it from the verified token.
// TenantID scopes a tenant, Zones scope a zone developer. Z is the type the service names zones
// with.
type Principal[Z ~string] struct {
	Subject  string
	Role     audit.Role
	TenantID string
	Zones    []Z
}

// Actor returns who the principal is, for history entries.
func (p Principal[Z]) Actor() audit.Actor { return audit.Actor{Subject: p.Subject, Role: p.Role} }

// Resource is what authorisation needs to know about a record: its type, whose it is and in
// which zone. For a creating action it describes the record to be created.
type Resource[T, Z ~string] struct {
	Type     T
	TenantID string
	Zone     Z
}

// Scope says which records of a type a role may act on.
type Scope int

// Scopes.
const (
	AnyRecord Scope = iota + 1 // every record
	OwnTenant                  // records whose TenantID is the principal's
	OwnZones                   // records in one of the principal's zones
)

// Covers reports whether s lets p act on r. An empty id matches nothing, so a principal
// without a tenant or zones is not taken for the owner of a record without one.
func Covers[T, Z ~string](s Scope, p Principal[Z], r Resource[T, Z]) bool {
	switch s {
	case AnyRecord:
		return true
	case OwnTenant:
		return p.TenantID != "" && p.TenantID == r.TenantID
	case OwnZones:
		return r.Zone != "" && slices.Contains(p.Zones, r.Zone)
	}
	return false
}

// Grants are the roles allowed an action and on which records.
type Grants map[audit.Role]Scope

// Table is a whole policy: for each record type and action, the grants. An action missing
// from it is allowed to nobody.
type Table[T, A ~string] map[T]map[A]Grants

// Policy is a Table with the two actions the rules treat apart.
type Policy[T, A ~string, Z ~string] struct {
	// Read is the action of seeing a record. A role without a Read grant on a type may do
	// nothing with it, and a record outside the Read scope is hidden (ErrNotYours).
	Read A
	// Creates are the actions that make a new record: there is nothing to hide yet, so a
	// scope mismatch there is a refusal, not a not-found.
	Creates []A
	// Table is the policy itself.
	Table Table[T, A]
}

// Authorize decides whether p may do act on r. A record the principal may not even see is
// reported as ErrNotYours (a not-found), so a caller cannot learn that another party's record
// exists; a visible record the role may not change is ErrRoleNotAllowed (a forbidden), and
// ErrOutOfScope when the role may take the action elsewhere.
func (pol Policy[T, A, Z]) Authorize(p Principal[Z], act A, r Resource[T, Z]) error {
	rules, ok := pol.Table[r.Type]
	if !ok {
		return fmt.Errorf("unknown record type %q: %w", r.Type, ErrRoleNotAllowed)
	}
	readScope, canRead := rules[pol.Read][p.Role]
	if !canRead {
		return fmt.Errorf("role %q on %s: %w", p.Role, r.Type, ErrRoleNotAllowed)
	}
	if !slices.Contains(pol.Creates, act) && !Covers(readScope, p, r) {
		return fmt.Errorf("%s: %w", r.Type, ErrNotYours)
	}
	s, ok := rules[act][p.Role]
	if !ok {
		return fmt.Errorf("role %q may not %s this %s: %w", p.Role, act, r.Type, ErrRoleNotAllowed)
	}
	if !Covers(s, p, r) {
		return scopeError{fmt.Errorf("role %q may not %s this %s: %w", p.Role, act, r.Type, ErrRoleNotAllowed)}
	}
	return nil
}

// Can reports whether Authorize allows act, for callers that only need a yes or no (which
// buttons to show, which rows to list).
func (pol Policy[T, A, Z]) Can(p Principal[Z], act A, r Resource[T, Z]) bool {
	return pol.Authorize(p, act, r) == nil
}

// CanRead reports whether p may see r; list endpoints filter with it.
func (pol Policy[T, A, Z]) CanRead(p Principal[Z], r Resource[T, Z]) bool {
	return pol.Can(p, pol.Read, r)
}
