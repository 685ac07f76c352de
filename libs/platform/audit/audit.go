// Package audit holds the vocabulary of an audit trail that every domain shares: who acted
// (Actor, Role), one recorded transition (Entry), and the checks every recorded change takes
// (Check, Reason). Domains keep their own actions and statuses; this package only knows that
// they are strings.
package audit

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Role is what a caller is to the authority; the HTTP layer maps token roles onto these.
type Role string

// Roles. The first five are the roles a token may carry; RoleSystem appears in history only.
const (
	RoleOperator      Role = "operator"
	RoleZoneDeveloper Role = "zone_developer"
	RoleTenant        Role = "tenant"
	RoleAuditor       Role = "auditor"
	RoleViewer        Role = "viewer"
	// RoleSystem is a service acting on a clock or an event. No token carries it.
	RoleSystem Role = "system"
)

// Valid reports whether r is a role a token may carry: any other is refused outright rather
// than treated as the weakest role, so that a typo in an issuer's mapping is noticed. The
// system role is not one: no token carries it.
func (r Role) Valid() bool {
	switch r {
	case RoleOperator, RoleZoneDeveloper, RoleTenant, RoleAuditor, RoleViewer:
		return true
	}
	return false
}

// Actor is who did something, as history records it.
type Actor struct {
	Subject string `json:"subject"`
	Role    Role   `json:"role"`
}

// Entry records one transition of a record: when, who, which action, the status before and
// after, and why. A is the domain's action type.
type Entry[A ~string] struct {
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
	Action A         `json:"action"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason,omitempty"`
}

// Append returns history with the entry of one transition appended: at, by actor, act moved the
// record from the status from to the status to, for the reason why. S is the domain's status
// type; the entry keeps statuses as strings so that one trail type serves every record.
func Append[A, S ~string](history []Entry[A], at time.Time, actor Actor, act A, from, to S, why string) []Entry[A] {
	return append(history, Entry[A]{At: at, Actor: actor, Action: act, From: string(from), To: string(to), Reason: why})
}

// MaxReasonLength bounds a reason, in characters.
const MaxReasonLength = 4000

// Check validates what every recorded change takes: the instant and who acts. A zero instant
// or an anonymous actor is a caller bug that would corrupt the audit trail, so it is refused.
func Check(f *fault.Fields, at time.Time, actor Actor) {
	if at.IsZero() {
		f.Add("at", "required")
	}
	if strings.TrimSpace(actor.Subject) == "" {
		f.Add("actor.subject", "required")
	}
}

// Reason trims and checks a reason, and returns it trimmed. When required and blank, the
// field is refused with missing as the reason, so each domain can say why it asks. A reason is
// at most MaxReasonLength characters and has no control characters other than line breaks
// and tabs (PostgreSQL cannot even store a NUL in text).
func Reason(f *fault.Fields, s string, required bool, missing string) string {
	return Text(f, "reason", s, required, missing)
}

// Text is Reason for a letter filed under another field name (a licensee's reply, say).
func Text(f *fault.Fields, field, s string, required bool, missing string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f.Add(field, missing)
	case utf8.RuneCountInString(s) > MaxReasonLength:
		f.Addf(field, "must be at most %d characters", MaxReasonLength)
	case strings.IndexFunc(s, BadInText) >= 0:
		f.Add(field, "must not contain control characters other than line breaks and tabs")
	}
	return s
}

// BadInText reports a control character other than a line break or a tab.
func BadInText(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
