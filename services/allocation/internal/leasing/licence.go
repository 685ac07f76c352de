package leasing

import (
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/platform/enum"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// LicenceStatus is where a tenant's licence stands, as the tenants service last told us, in
// the tenants contract's words (libs/events/tenants): the tenants service names the statuses
// once, and a test keeps this list equal to the contract's.
type LicenceStatus tenants.LicenceStatus

// Licence statuses, the contract's.
const (
	LicenceActive      = LicenceStatus(tenants.LicenceStatusActive)
	LicenceSuspended   = LicenceStatus(tenants.LicenceStatusSuspended)
	LicenceRevoked     = LicenceStatus(tenants.LicenceStatusRevoked)
	LicenceSurrendered = LicenceStatus(tenants.LicenceStatusSurrendered)
	LicenceExpired     = LicenceStatus(tenants.LicenceStatusExpired)
)

var licenceStatuses = enum.Of(LicenceActive, LicenceSuspended, LicenceRevoked, LicenceSurrendered, LicenceExpired)

// LicenceStatuses returns every licence status.
func LicenceStatuses() []LicenceStatus { return licenceStatuses.Values() }

// ParseLicenceStatus checks a licence status.
func ParseLicenceStatus(s string) (LicenceStatus, error) { return licenceStatuses.Parse(s) }

// TerminatesLeases reports whether a licence moving into s puts the tenant's active leases
// into termination: revocation and surrender do; suspension and expiry do not.
func (s LicenceStatus) TerminatesLeases() bool {
	return s == LicenceRevoked || s == LicenceSurrendered
}

// Licence is the allocation service's local projection of a tenant's licence, kept from the
// tenants service's events. It is all leasing needs to decide whether a tenant may have space.
type Licence struct {
	ID       string        `json:"id"`
	TenantID string        `json:"tenant_id"`
	Status   LicenceStatus `json:"status"`
	// Version is the licence aggregate's version in the last event applied; 0 means no event
	// yet.
	Version int64 `json:"version"`
}

// CanRequest reports whether the tenant may ask for space: only with an active licence.
func (l Licence) CanRequest() bool { return l.Status == LicenceActive }

// CanBeOffered reports whether the tenant may be offered (and accept) space: only with an
// active licence.
func (l Licence) CanBeOffered() bool { return l.Status == LicenceActive }

// Apply moves the projection to status as of the licence's aggregate version. Events may
// arrive out of order or twice, so an event whose version is not newer than the projection's
// is ignored and Apply returns false; a newer one is applied and Apply returns true. A
// consumer that sees true, a status that TerminatesLeases and a previous status that did not,
// terminates the tenant's active leases in the same transaction.
func (l *Licence) Apply(version int64, status LicenceStatus) (bool, error) {
	if version < 1 {
		return false, fmt.Errorf("licence %s: event version %d: %w", l.ID, version, fault.Reasonf("version must be at least 1"))
	}
	s, err := ParseLicenceStatus(string(status))
	if err != nil {
		return false, fmt.Errorf("licence %s: status: %w", l.ID, err)
	}
	if version <= l.Version {
		return false, nil
	}
	l.Status, l.Version = s, version
	return true, nil
}

// matches reports whether l is the licence tenantID holds under licenceID ("" matches any id).
func (l Licence) matches(tenantID, licenceID string) bool {
	return strings.TrimSpace(l.ID) != "" && l.TenantID == tenantID && (licenceID == "" || l.ID == licenceID)
}
