package leasing

import (
	"strings"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
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
