// Package auth authenticates bearer JWTs and authorises the caller by role and scope. Tokens are
// HS256 with a shared secret in development (zonectl mints them with Mint) and RS256/ES256
// signed by an OIDC issuer whose keys come from its JWKS endpoint in production. Every failure
// to authenticate is a fault.ErrUnauthenticated and every refusal a fault.ErrForbidden, so the
// transport maps them to 401 and 403 without knowing this package.
//
// Claims are read strictly: exp is required, and exp, iat and nbf must be JSON numbers. A token
// valid for longer than the maximum lifetime (WithMaxLifetime, default a day) is refused, from
// an issuer's JWKS as from the HS256 secret: OIDC access tokens live minutes to hours, so the
// bound refuses only tokens that a leak would make dangerous for long.
package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/authz"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Role is what a caller is to the authority. It is carried in the token's "role" claim; the
// list is audit's, so that tokens and history speak of the same roles.
type Role = audit.Role

// The roles a token may carry. A token with any other role is refused outright (Role.Valid).
const (
	// Operator is authority staff: acts on any zone or tenant.
	Operator = audit.RoleOperator
	// ZoneDeveloper builds and runs zones; scoped to the token's zone_ids.
	ZoneDeveloper = audit.RoleZoneDeveloper
	// Tenant is a zone enterprise; scoped to the token's tenant_id.
	Tenant = audit.RoleTenant
	// Auditor reads everything and records audit findings.
	Auditor = audit.RoleAuditor
	// Viewer reads everything and changes nothing.
	Viewer = audit.RoleViewer
)

// Principal is the authenticated caller.
type Principal struct {
	Subject   string
	Role      Role
	TenantID  string   // set for Tenant
	ZoneCodes []string // set for ZoneDeveloper: the codes of its zones ("ISB"), claim zone_ids
}

// errBadPrincipal is wrapped with ErrUnauthenticated: a token whose claims do not make a usable
// principal is as good as no token.
var errBadPrincipal = errors.New("token does not describe a valid principal")

// Validate checks that p can be acted on: a subject, a known role, and the scope that a scoped
// role needs. A tenant without a tenant id or a zone developer without zones would otherwise
// either match nothing or, worse, match an empty id.
func (p Principal) Validate() error {
	switch {
	case p.Subject == "":
		return fmt.Errorf("%w: %w: missing subject", fault.ErrUnauthenticated, errBadPrincipal)
	case p.Role == "":
		return fmt.Errorf("%w: %w: missing role", fault.ErrUnauthenticated, errBadPrincipal)
	case !p.Role.Valid():
		return fmt.Errorf("%w: %w: unknown role %q", fault.ErrUnauthenticated, errBadPrincipal, p.Role)
	case p.Role == Tenant && p.TenantID == "":
		return fmt.Errorf("%w: %w: tenant role without tenant_id", fault.ErrUnauthenticated, errBadPrincipal)
	case p.Role == ZoneDeveloper && len(p.ZoneCodes) == 0:
		return fmt.Errorf("%w: %w: zone_developer role without zone_ids", fault.ErrUnauthenticated, errBadPrincipal)
	case p.Role == ZoneDeveloper && slices.Contains(p.ZoneCodes, ""):
		return fmt.Errorf("%w: %w: empty zone id", fault.ErrUnauthenticated, errBadPrincipal)
	}
	return nil
}

// Key names p by everything that authorisation reads from it (role, tenant, zones, subject),
// unambiguously (JSON, so no subject can imitate a separator) and independent of the order in
// which the token lists its zones. Two principals have the same key exactly when every rule
// treats them alike, which is what state kept per caller (stored idempotent answers) needs.
func (p Principal) Key() string {
	zones := slices.Clone(p.ZoneCodes)
	slices.Sort(zones)
	zones = slices.Compact(zones)
	b, err := json.Marshal([]any{string(p.Role), p.TenantID, zones, p.Subject})
	if err != nil {
		panic(err) // strings and a slice of strings always marshal
	}
	return string(b)
}

// Is reports whether p has one of roles.
func (p Principal) Is(roles ...Role) bool {
	return slices.Contains(roles, p.Role)
}

// CanActForTenant reports whether p may act on behalf of tenant id: an operator for any tenant,
// a tenant only for itself. Read-only roles (auditor, viewer) act for nobody.
func (p Principal) CanActForTenant(id string) bool {
	if id == "" {
		return false
	}
	switch p.Role {
	case Operator:
		return true
	case Tenant:
		return p.TenantID == id
	}
	return false
}

// HasZone reports whether the token lists zone id among its zone_ids. It says nothing about
// roles that are not zone-scoped; use CanActForZone for the authorisation decision.
func (p Principal) HasZone(id string) bool {
	return id != "" && slices.Contains(p.ZoneCodes, id)
}

// CanActForZone reports whether p may change things in zone id: an operator anywhere, a zone
// developer in its own zones.
func (p Principal) CanActForZone(id string) bool {
	switch p.Role {
	case Operator:
		return id != ""
	case ZoneDeveloper:
		return p.HasZone(id)
	}
	return false
}

// Caller is p as the authorisation engine sees it, with zones in the service's own terms: what
// it resolved p's zone codes to. Every service converts a token this one way.
func Caller[Z ~string](p Principal, zones []Z) authz.Principal[Z] {
	return authz.Principal[Z]{Subject: p.Subject, Role: p.Role, TenantID: p.TenantID, Zones: zones}
}

// CallerByCode is Caller for a service that names zones by their codes, as the token does.
func CallerByCode[Z ~string](p Principal) authz.Principal[Z] {
	zones := make([]Z, len(p.ZoneCodes))
	for i, c := range p.ZoneCodes {
		zones[i] = Z(c)
	}
	return Caller(p, zones)
}
