package licensing

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Role is what a caller is to the authority; the HTTP layer maps token roles onto these.
type Role string

// Roles.
const (
	// RoleOperator is authority staff who decide applications and enforce licences.
	RoleOperator Role = "operator"
	// RoleZoneDeveloper is a zone developer's staff, scoped to their zones.
	RoleZoneDeveloper Role = "zone_developer"
	// RoleTenant is an applicant or licensee company, scoped to its own tenant id.
	RoleTenant Role = "tenant"
	// RoleAuditor reads everything to audit it.
	RoleAuditor Role = "auditor"
	// RoleViewer reads everything and changes nothing.
	RoleViewer Role = "viewer"
)

// Actor is who did something, as history records it.
type Actor struct {
	Subject string `json:"subject"`
	Role    Role   `json:"role"`
}

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
	ActionRevoke         Action = "revoke"
	ActionSurrender      Action = "surrender"
	ActionExpire         Action = "expire"
)

// HistoryEntry records one transition. From and To are equal for actions that do not change
// the status (an edit, a show-cause notice); From is empty for the entry that creates the
// entity.
type HistoryEntry struct {
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
	Action Action    `json:"action"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason,omitempty"`
}

// MaxReasonLength bounds a reason, in characters; reasons are letters to a company, not files.
const MaxReasonLength = 4000

// checkCommon validates what every transition takes: the instant and who acts. A zero instant
// or an anonymous actor is a caller bug that would corrupt the audit trail, so it is refused.
func checkCommon(f *fault.Fields, at time.Time, actor Actor) {
	if at.IsZero() {
		f.Add("at", "required")
	}
	if strings.TrimSpace(actor.Subject) == "" {
		f.Add("actor.subject", "required")
	}
}

// reason trims and checks a reason. Decisions that go against a company (a deficiency, a
// rejection, a suspension, a show-cause notice, a revocation) must say why: the company is
// entitled to know, and an appeal needs it on the record.
func reason(f *fault.Fields, s string, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f.Add("reason", "required: say why, the company is entitled to know")
	case utf8.RuneCountInString(s) > MaxReasonLength:
		f.Addf("reason", "must be at most %d characters", MaxReasonLength)
	case strings.IndexFunc(s, badInText) >= 0:
		// A letter has lines and tabs, never NULs or escape codes (PostgreSQL cannot even
		// store a NUL in text).
		f.Add("reason", "must not contain control characters other than line breaks and tabs")
	}
	return s
}

// move is one row of a state machine: the states an action may start from and the state it
// leads to ("" means the state does not change).
type move[S ~string] struct {
	from []S
	to   S
}

// next looks act up in table and returns the state it leads to from cur, or a *fault.StateError
// naming cur.
func next[S ~string](table map[Action]move[S], entity string, act Action, cur S) (S, error) {
	m, ok := table[act]
	if ok {
		for _, s := range m.from {
			if s == cur {
				if m.to == "" {
					return cur, nil
				}
				return m.to, nil
			}
		}
	}
	return "", &fault.StateError{Entity: entity, Action: string(act), Current: string(cur)}
}

// badInText reports a control character other than a line break or a tab.
func badInText(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
