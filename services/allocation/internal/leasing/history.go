package leasing

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Role is what a caller is to the zone; the HTTP layer maps token roles onto these.
type Role string

// Roles.
const (
	// RoleOperator is authority staff; they may do everything.
	RoleOperator Role = "operator"
	// RoleZoneDeveloper is a zone developer's staff, scoped to their zones.
	RoleZoneDeveloper Role = "zone_developer"
	// RoleTenant is a licensed company, scoped to its own tenant id.
	RoleTenant Role = "tenant"
	// RoleAuditor reads everything to audit it.
	RoleAuditor Role = "auditor"
	// RoleViewer reads everything and changes nothing.
	RoleViewer Role = "viewer"
	// RoleSystem is the service itself acting on a clock or an event (offers lapsing, leases
	// ending, licence revocations, missed milestones). It appears in history only: no token
	// carries it, so Authorize allows it nothing.
	RoleSystem Role = "system"
)

// Actor is who did something, as history records it.
type Actor struct {
	Subject string `json:"subject"`
	Role    Role   `json:"role"`
}

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

// reason trims and checks a reason.
func reason(f *fault.Fields, s string, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f.Add("reason", "required: say why, the company is entitled to know")
	case utf8.RuneCountInString(s) > MaxReasonLength:
		f.Addf("reason", "must be at most %d characters", MaxReasonLength)
	case strings.IndexFunc(s, badInText) >= 0:
		f.Add("reason", "must not contain control characters other than line breaks and tabs")
	}
	return s
}

// required records field as missing when s is blank, and returns s trimmed.
func required(f *fault.Fields, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		f.Add(field, "required")
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
	if m, ok := table[act]; ok {
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

func ptr[T any](v T) *T { return &v }
