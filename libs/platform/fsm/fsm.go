// Package fsm looks up transitions in a state machine written as a table: for each action, the
// states it may start from and the state it leads to.
package fsm

import "github.com/zoneops/zoneops/libs/platform/fault"

// Move is one row of a state machine: the states an action may start from and the state it
// leads to ("" means the state does not change).
type Move[S ~string] struct {
	From []S
	To   S
}

// Next looks act up in table and returns the state it leads to from cur, or a
// *fault.StateError naming entity, act and cur.
func Next[S ~string, A ~string](table map[A]Move[S], entity string, act A, cur S) (S, error) {
	if m, ok := table[act]; ok {
		for _, s := range m.From {
			if s == cur {
				if m.To == "" {
					return cur, nil
				}
				return m.To, nil
			}
		}
	}
	return "", &fault.StateError{Entity: entity, Action: string(act), Current: string(cur)}
}
