package zoning

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
	// RoleOperator is authority staff: registers and notifies zones, may do anything.
	RoleOperator Role = "operator"
	// RoleZoneDeveloper is a zone developer's staff, scoped to the zones in its token.
	RoleZoneDeveloper Role = "zone_developer"
	// RoleTenant is a zone enterprise; it reads plans to choose where to lease.
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

// Actions on zones, plots, buildings and units.
const (
	ActionRead      Action = "read"
	ActionRegister  Action = "register"
	ActionNotify    Action = "notify"
	ActionDenotify  Action = "denotify"
	ActionCreate    Action = "create"
	ActionImport    Action = "import_plan"
	ActionSubdivide Action = "subdivide"
	ActionMerge     Action = "merge"
	ActionWithdraw  Action = "withdraw"
)

// HistoryEntry records one transition. From and To are the statuses before and after; From is
// empty for the entry that creates the record. Related names the other plots of a subdivision
// or merger (the parts, or the parents).
type HistoryEntry struct {
	At      time.Time `json:"at"`
	Actor   Actor     `json:"actor"`
	Action  Action    `json:"action"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Reason  string    `json:"reason,omitempty"`
	Related []string  `json:"related,omitempty"`
}

// MaxReasonLength bounds a reason, in characters.
const MaxReasonLength = 4000

// checkCommon validates what every change takes: the instant and who acts. A zero instant or
// an anonymous actor is a caller bug that would corrupt the audit trail, so it is refused.
func checkCommon(f *fault.Fields, at time.Time, actor Actor) {
	if at.IsZero() {
		f.Add("at", "required")
	}
	if strings.TrimSpace(actor.Subject) == "" {
		f.Add("actor.subject", "required")
	}
}

// checkID refuses an empty id; ids come from the caller (UUIDv7 in the service) so that this
// package needs no randomness.
func checkID(f *fault.Fields, field, id string) {
	if strings.TrimSpace(id) == "" {
		f.Add(field, "required")
	}
}

// reason trims and checks a reason. Decisions that take land away (a denotification, a
// withdrawal) must say why: the people who planned around it are entitled to know.
func reason(f *fault.Fields, s string, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f.Add("reason", "required: say why")
	case utf8.RuneCountInString(s) > MaxReasonLength:
		f.Addf("reason", "must be at most %d characters", MaxReasonLength)
	case strings.IndexFunc(s, badInText) >= 0:
		f.Add("reason", "must not contain control characters other than line breaks and tabs")
	}
	return s
}

// badInText reports a control character other than a line break or a tab.
func badInText(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }

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

func ptr[T any](v T) *T { return &v }
