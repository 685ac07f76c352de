package zoning

import (
	"strings"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Actor is who did something, as history records it.
type Actor = audit.Actor

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
	return audit.Reason(f, s, required, "required: say why")
}

func ptr[T any](v T) *T { return &v }
