// Package allocation holds the payloads of every event the allocation service publishes, one
// Go type per event type and version: zones, plots, buildings, units, allocation requests and
// leases. The service fills them; every other service decodes them through the registry in the
// parent package.
//
// Each payload validates itself (required fields present, enums, formats and the rules between
// fields valid) and names its type and aggregate, so that the envelope built around it cannot
// disagree with it. The payloads carry what consumers such as compliance and incentives need
// to act (tenant, licence, zone, space, area, dates, money) without calling the allocation
// service.
//
// Money, Actor, Role, Date and the validation errors are the values package's, as in the
// tenants events: one definition and one wire format for every service's events, and no
// service's contract imports another's.
package allocation

// Source is the CloudEvents source of every allocation event.
const Source = "/zoneops/allocation"

// Event types. Aggregates and their ids: the zone (zone id), the plot (plot id; for
// plot.subdivided the parent plot, for plot.merged the new plot), the building (building id),
// the unit (unit id), the allocation request (request id) and the lease (lease id). A breaking
// change adds a new constant with the next version beside the old one.
const (
	TypeZoneRegistered    = "zoneops.allocation.zone.registered.v1"
	TypeZoneStatusChanged = "zoneops.allocation.zone.status_changed.v1"

	TypePlotCreated    = "zoneops.allocation.plot.created.v1"
	TypePlotSubdivided = "zoneops.allocation.plot.subdivided.v1"
	TypePlotMerged     = "zoneops.allocation.plot.merged.v1"
	TypePlotWithdrawn  = "zoneops.allocation.plot.withdrawn.v1"

	TypeBuildingRegistered = "zoneops.allocation.building.registered.v1"
	TypeUnitRegistered     = "zoneops.allocation.unit.registered.v1"

	TypeRequestSubmitted = "zoneops.allocation.request.submitted.v1"
	TypeRequestOffered   = "zoneops.allocation.request.offered.v1"
	TypeRequestAccepted  = "zoneops.allocation.request.accepted.v1"
	TypeRequestDeclined  = "zoneops.allocation.request.declined.v1"
	TypeRequestExpired   = "zoneops.allocation.request.expired.v1"
	TypeRequestWithdrawn = "zoneops.allocation.request.withdrawn.v1"

	TypeLeaseSigned            = "zoneops.allocation.lease.signed.v1"
	TypeLeaseTerminating       = "zoneops.allocation.lease.terminating.v1"
	TypeLeaseEnded             = "zoneops.allocation.lease.ended.v1"
	TypeLeaseMilestoneRecorded = "zoneops.allocation.lease.milestone_recorded.v1"
	TypeLeaseSpaceIdle         = "zoneops.allocation.lease.space_idle.v1"
)
