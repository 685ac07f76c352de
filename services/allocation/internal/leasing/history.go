package leasing

import (
	"strings"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Role is what a caller is to the zone; the HTTP layer maps token roles onto these.
type Role = audit.Role

// Roles.
const (
	// RoleOperator is authority staff; they may do everything.
	RoleOperator = audit.RoleOperator
	// RoleZoneDeveloper is a zone developer's staff, scoped to their zones.
	RoleZoneDeveloper = audit.RoleZoneDeveloper
	// RoleTenant is a licensed company, scoped to its own tenant id.
	RoleTenant = audit.RoleTenant
	// RoleAuditor reads everything to audit it.
	RoleAuditor = audit.RoleAuditor
	// RoleViewer reads everything and changes nothing.
	RoleViewer = audit.RoleViewer
	// RoleSystem is the service itself acting on a clock or an event (offers lapsing, leases
	// ending, licence revocations, missed milestones). It appears in history only: no token
	// carries it, so Authorize allows it nothing.
	RoleSystem = audit.RoleSystem
)

// Actor is who did something, as history records it.
type Actor = audit.Actor

// Action names a use case. The same names appear in history entries and in the authorisation
// table, so an audit trail reads in the words the rules are written in.
type Action string

// Actions on requests and leases.
const (
	ActionRead Action = "read"
	// ActionSubmit creates a request.
	ActionSubmit   Action = "submit"
	ActionOffer    Action = "offer"
	ActionAccept   Action = "accept"
	ActionDecline  Action = "decline"
	ActionWithdraw Action = "withdraw"
	ActionExpire   Action = "expire"
	// ActionStart is the first history entry of a lease: it starts with the acceptance.
	ActionStart               Action = "start"
	ActionTerminate           Action = "terminate"
	ActionTerminateForLicence Action = "terminate_for_licence"
	ActionEnd                 Action = "end"
	ActionRecordMilestone     Action = "record_milestone"
	// ActionCheckMilestones marks a land lease idle when a construction deadline passed.
	ActionCheckMilestones Action = "check_milestones"
)

// HistoryEntry records one transition. From and To are equal for actions that do not change
// the status (a milestone, an idle mark); From is empty for the entry that creates the entity.
type HistoryEntry = audit.Entry[Action]

// MaxReasonLength bounds a reason, in characters; reasons are letters to a company, not files.
const MaxReasonLength = audit.MaxReasonLength

// reason trims and checks a reason.
func reason(f *fault.Fields, s string, required bool) string {
	return audit.Reason(f, s, required, "required: say why, the company is entitled to know")
}

// required records field as missing when s is blank, and returns s trimmed.
func required(f *fault.Fields, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		f.Add(field, "required")
	}
	return s
}

func ptr[T any](v T) *T { return &v }
