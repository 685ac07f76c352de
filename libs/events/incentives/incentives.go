// Package incentives holds the payloads of every event the incentives service publishes, one Go
// type per event type and version: entitlements (what a licence may be exempted from, for how
// long and up to what cap), claims against them (accepted, rejected, reversed) and clawbacks
// (benefits recovered when a licence ends before its term). The service fills them; every other
// service decodes them through the registry in the parent package.
//
// Each payload validates itself (required fields present, enums, formats and the rules between
// fields valid) and names its type and aggregate, so that the envelope built around it cannot
// disagree with it. The payloads carry what consumers need without calling the incentives
// service: compliance's risk score reads accepted claims, finance dashboards add up exempted
// amounts by scheme, zone and tax year.
//
// Money, Actor, Role, Date and the validation errors are the values package's, as in the
// tenants and allocation events; this package imports neither of their contracts.
package incentives

// Source is the CloudEvents source of every incentives event.
const Source = "/zoneops/incentives"

// Event types. Aggregates and their ids: the entitlement (entitlement id), the claim (claim id;
// a rejected claim gets an id too, so that its rejection can be looked up) and the clawback
// (clawback id). A breaking change adds a new constant with the next version beside the old one.
const (
	TypeEntitlementOpened     = "zoneops.incentives.entitlement.opened.v1"
	TypeEntitlementSuspended  = "zoneops.incentives.entitlement.suspended.v1"
	TypeEntitlementReinstated = "zoneops.incentives.entitlement.reinstated.v1"
	TypeEntitlementClosed     = "zoneops.incentives.entitlement.closed.v1"
	TypeEntitlementExhausted  = "zoneops.incentives.entitlement.exhausted.v1"
	TypeClaimAccepted         = "zoneops.incentives.claim.accepted.v1"
	TypeClaimRejected         = "zoneops.incentives.claim.rejected.v1"
	TypeClaimReversed         = "zoneops.incentives.claim.reversed.v1"
	TypeClawbackAssessed      = "zoneops.incentives.clawback.assessed.v1"
	TypeClawbackSettled       = "zoneops.incentives.clawback.settled.v1"
)
