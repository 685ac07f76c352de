package fsmtest

import (
	"errors"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fsm"
)

type (
	status string
	action string
)

// door is a record with a state machine of its own: shut opens, open shuts, and knocking finds
// nothing to do either way.
type door struct {
	status  status
	version int64
	history []audit.Entry[action]
}

var moves = map[action]fsm.Move[status]{
	"open":  {From: []status{"shut"}, To: "open"},
	"close": {From: []status{"open"}, To: "shut"},
	"knock": {From: []status{"shut", "open"}},
}

var at = time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)

func (d *door) do(act action) error {
	to, err := fsm.Next(moves, "door", act, d.status)
	if err != nil || act == "knock" {
		return err
	}
	d.history = audit.Append(d.history, at, audit.Actor{Subject: "x", Role: audit.RoleOperator}, act, d.status, to, "")
	d.status, d.version = to, d.version+1
	return nil
}

var walk = Walk[status, action, *door]{
	Entity:   "door",
	Statuses: []status{"shut", "open"},
	Actions:  []action{"open", "close", "knock"},
	Allowed: map[status]map[action]status{
		"shut": {"open": "open", "knock": "shut"},
		"open": {"close": "shut", "knock": "open"},
	},
	Allows: func(s status, a action) bool { _, err := fsm.Next(moves, "door", a, s); return err == nil },
	In:     func(t *testing.T, s status) *door { return &door{status: s, version: 1} },
	Do:     func(t *testing.T, d *door, a action) error { return d.do(a) },
	State:  func(d *door) (status, int64, []audit.Entry[action]) { return d.status, d.version, d.history },
	Quiet:  func(a action) bool { return a == "knock" },
	At:     at,
}

func TestRunWalksEveryActionFromEveryStatus(t *testing.T) {
	walk.Run(t)
}

// Check must not pass a step that breaks the table, or the walk would prove nothing.
func TestCheckFailsAStepThatBreaksTheTable(t *testing.T) {
	who := audit.Actor{Subject: "x", Role: audit.RoleOperator}
	shut := Snapshot[status, action]{Status: "shut", Version: 1}
	opened := Snapshot[status, action]{Status: "open", Version: 2, History: []audit.Entry[action]{
		{At: at, Actor: who, Action: "open", From: "shut", To: "open"}}}
	refusal := &fault.StateError{Entity: "door", Action: "close", Current: "shut"}
	quiet := walk
	quiet.Quiet = nil
	late := walk
	late.At = at.Add(time.Hour)
	tests := []struct {
		name          string
		w             Walk[status, action, *door]
		from          status
		act           action
		before, after Snapshot[status, action]
		err           error
		ok            bool
	}{
		{"an allowed step", walk, "shut", "open", shut, opened, nil, true},
		{"a refused step", walk, "shut", "close", shut, shut, refusal, true},
		{"a quiet step", walk, "shut", "knock", shut, shut, nil, true},
		{"allowed but refused", walk, "shut", "open", shut, shut, refusal, false},
		{"refused without a state error", walk, "shut", "close", shut, shut, errors.New("no"), false},
		{"refused naming another state", walk, "shut", "close", shut, shut,
			&fault.StateError{Entity: "door", Action: "close", Current: "open"}, false},
		{"a refusal that changed the record", walk, "shut", "close", shut, opened, refusal, false},
		{"allowed but to another status", walk, "shut", "open", shut, Snapshot[status, action]{Status: "shut", Version: 2,
			History: opened.History}, nil, false},
		{"allowed without an entry", walk, "shut", "open", shut, Snapshot[status, action]{Status: "open", Version: 2}, nil, false},
		{"a quiet action not declared quiet", quiet, "shut", "knock", shut, shut, nil, false},
		{"the entry at another instant", late, "shut", "open", shut, opened, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Check(tt.from, tt.act, tt.before, tt.err, tt.after)
			if (err == nil) != tt.ok {
				t.Fatalf("Check = %v, want ok %v", err, tt.ok)
			}
		})
	}
	disagree := walk
	disagree.Allows = func(status, action) bool { return true }
	if disagree.Check("shut", "close", shut, refusal, shut) == nil {
		t.Fatalf("Check passed an Allows that disagrees with the table")
	}
}
