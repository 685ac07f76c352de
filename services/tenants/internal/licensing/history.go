package licensing

import (
	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Role is what a caller is to the authority; the HTTP layer maps token roles onto the audit
// roles. Here operators decide applications and enforce licences, tenants are applicants and
// licensees scoped to their own tenant id, zone developers see the companies in their zones,
// and auditors and viewers read.
type Role = audit.Role

// Actor is who did something, as history records it.
type Actor = audit.Actor

// Action names a use case. The same names appear in history entries and in the authorisation
// table, so an audit trail reads in the words the rules are written in.
type Action string

// Actions on applications and licences.
const (
	ActionRead           Action = "read"
	ActionCreate         Action = "create"
	ActionUpdate         Action = "update"
	ActionSubmit         Action = "submit"
	ActionNoteDeficiency Action = "note_deficiency"
	ActionResubmit       Action = "resubmit"
	ActionApprove        Action = "approve"
	ActionReject         Action = "reject"
	ActionWithdraw       Action = "withdraw"
	ActionGrant          Action = "grant"
	ActionSuspend        Action = "suspend"
	ActionReinstate      Action = "reinstate"
	ActionIssueShowCause Action = "issue_show_cause"
	ActionReplyShowCause Action = "reply_show_cause"
	ActionRevoke         Action = "revoke"
	ActionSurrender      Action = "surrender"
	ActionExpire         Action = "expire"
)

// HistoryEntry records one transition. From and To are equal for actions that do not change
// the status (an edit, a show-cause notice); From is empty for the entry that creates the
// entity.
type HistoryEntry = audit.Entry[Action]

// reason trims and checks a reason. Decisions that go against a company (a deficiency, a
// rejection, a suspension, a show-cause notice, a revocation) must say why: the company is
// entitled to know, and an appeal needs it on the record. A letter has lines and tabs, never
// NULs or escape codes.
func reason(f *fault.Fields, s string, required bool) string {
	return audit.Reason(f, s, required, "required: say why, the company is entitled to know")
}
