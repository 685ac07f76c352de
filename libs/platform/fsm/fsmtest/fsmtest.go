// Package fsmtest walks a record's state machine in a test: from every status, every action,
// through the record's real methods, against a table of what each action may do. It is an
// ordinary package, not a _test.go file, so every domain's tests share one walk.
package fsmtest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
)

// Walk describes the walk of one record type, of status S and action A, built as an R.
type Walk[S, A ~string, R any] struct {
	// Entity is the record's name in the state errors its methods return ("licence").
	Entity string
	// Statuses are every status, Actions every action the walk tries from each.
	Statuses []S
	Actions  []A
	// Allowed is the table: Allowed[from][act] is the status act leads to; an action missing
	// from a status must be refused with a *fault.StateError naming it and the status.
	Allowed map[S]map[A]S
	// Allows is the status's own answer (a UI offers the buttons it allows); it must agree.
	Allows func(S, A) bool
	// In builds a record in a status through real transitions; Do runs act on it.
	In func(t *testing.T, s S) R
	Do func(t *testing.T, r R, act A) error
	// State reads what a transition changes: the status, the version and the history.
	State func(r R) (S, int64, []audit.Entry[A])
	// Quiet, when set, names the actions that may find nothing to do: allowed, they keep the
	// status and add neither a version nor an entry.
	Quiet func(A) bool
	// At, when set, is the instant Do acts at, which the new entry must carry.
	At time.Time
}

// Snapshot is what State read of a record.
type Snapshot[S, A ~string] struct {
	Status  S
	Version int64
	History []audit.Entry[A]
}

// Run tries every action from every status, one subtest each, named "from/action". A refused
// action must leave the record as it was; an allowed one must move it to the table's status,
// add one version and one entry recording the action, the status before and the status after.
func (w Walk[S, A, R]) Run(t *testing.T) {
	t.Helper()
	for _, from := range w.Statuses {
		for _, act := range w.Actions {
			t.Run(string(from)+"/"+string(act), func(t *testing.T) {
				r := w.In(t, from)
				before := w.snapshot(r)
				err := w.Do(t, r, act)
				if problem := w.Check(from, act, before, err, w.snapshot(r)); problem != nil {
					t.Fatal(problem)
				}
			})
		}
	}
}

func (w Walk[S, A, R]) snapshot(r R) Snapshot[S, A] {
	s, v, h := w.State(r)
	return Snapshot[S, A]{Status: s, Version: v, History: h}
}

// Check is one step of Run: nil when doing act from the status from, which returned err and
// turned the record from before into after, is what the table says; else what went wrong.
func (w Walk[S, A, R]) Check(from S, act A, before Snapshot[S, A], err error, after Snapshot[S, A]) error {
	to, ok := w.Allowed[from][act]
	if w.Allows(from, act) != ok {
		return fmt.Errorf("the status allows it: %v, want %v", !ok, ok)
	}
	if !ok {
		var s *fault.StateError
		if !errors.As(err, &s) || !errors.Is(err, fault.ErrConflict) {
			return fmt.Errorf("want a state error (a conflict), got %v", err)
		}
		if s.Entity != w.Entity || s.Action != string(act) || s.Current != string(from) {
			return fmt.Errorf("state error %+v, want %s/%s/%s", s, w.Entity, act, from)
		}
		if after.Status != from || after.Version != before.Version || len(after.History) != len(before.History) {
			return fmt.Errorf("refused transition changed the %s", w.Entity)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("unexpected error: %w", err)
	}
	bump := 1
	if w.Quiet != nil && w.Quiet(act) {
		bump = 0
	}
	if after.Status != to || after.Version != before.Version+int64(bump) || len(after.History) != len(before.History)+bump {
		return fmt.Errorf("status %q v%d with %d entries, want %q v%d with %d", after.Status, after.Version,
			len(after.History), to, before.Version+int64(bump), len(before.History)+bump)
	}
	if bump == 0 {
		return nil
	}
	e := after.History[len(before.History)]
	if e.Action != act || e.From != string(from) || e.To != string(to) || (!w.At.IsZero() && !e.At.Equal(w.At)) {
		return fmt.Errorf("history entry %+v", e)
	}
	return nil
}
