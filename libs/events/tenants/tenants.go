// Package tenants holds the payloads of every event the tenants service publishes, one Go type
// per event type and version. The service fills them; every other service decodes them
// through the registry in the parent package.
//
// Each payload validates itself (required fields present, enums and formats valid) and names
// its type and aggregate, so that the envelope built around it cannot disagree with it. Money,
// Actor, Role, Date and the validation errors are the values package's, shared with every
// other service's events.
package tenants

// Source is the CloudEvents source of every tenants event.
const Source = "/zoneops/tenants"

// Event types. Aggregates are the application (aggregate id = application id) and the licence
// (aggregate id = licence id). A breaking change adds a new constant with the next version
// (for example TypeLicenceGrantedV2 and a LicenceGrantedV2 payload) beside the old one.
const (
	TypeApplicationSubmitted       = "zoneops.tenants.application.submitted.v1"
	TypeApplicationDeficiencyNoted = "zoneops.tenants.application.deficiency_noted.v1"
	TypeApplicationResubmitted     = "zoneops.tenants.application.resubmitted.v1"
	TypeApplicationRejected        = "zoneops.tenants.application.rejected.v1"
	TypeApplicationWithdrawn       = "zoneops.tenants.application.withdrawn.v1"
	TypeApplicationApproved        = "zoneops.tenants.application.approved.v1"
	TypeLicenceGranted             = "zoneops.tenants.licence.granted.v1"
	TypeLicenceSuspended           = "zoneops.tenants.licence.suspended.v1"
	TypeLicenceReinstated          = "zoneops.tenants.licence.reinstated.v1"
	TypeLicenceShowCauseIssued     = "zoneops.tenants.licence.show_cause_issued.v1"
	TypeLicenceShowCauseReplied    = "zoneops.tenants.licence.show_cause_replied.v1"
	TypeLicenceRevoked             = "zoneops.tenants.licence.revoked.v1"
	TypeLicenceSurrendered         = "zoneops.tenants.licence.surrendered.v1"
	TypeLicenceExpired             = "zoneops.tenants.licence.expired.v1"
)
