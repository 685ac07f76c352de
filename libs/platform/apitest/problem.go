package apitest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Problem is an application/problem+json answer as every service writes it.
type Problem struct {
	Type         string `json:"type"`
	Status       int    `json:"status"`
	Detail       string `json:"detail"`
	Instance     string `json:"instance"`
	CurrentState string `json:"current_state"`
	Errors       []struct {
		Field  string `json:"field"`
		Reason string `json:"reason"`
	} `json:"errors"`
}

// Fields lists the fields the problem names, sorted and without repeats.
func (p Problem) Fields() []string {
	out := make([]string, len(p.Errors))
	for i, f := range p.Errors {
		out[i] = f.Field
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// WantProblem is the problem a refused request must be answered with.
type WantProblem struct {
	Status int
	Type   string   // the full problem type URI
	Fields []string // the bad fields the problem must list, exactly
	State  string   // current_state of a refused transition
	Detail []string // what the detail must name
}

// CheckProblem fails t unless a is the problem w describes: its status, an
// application/problem+json Content-Type, the type, status, fields, current state and the words
// of its detail, and for a 401 a Bearer challenge. A wrong status or a body that is not a
// problem stops the test, since nothing else can then be checked.
func CheckProblem(t testing.TB, a Answer, w WantProblem) {
	t.Helper()
	if a.Status != w.Status {
		t.Fatalf("status %d, want %d: %s", a.Status, w.Status, a.Body)
	}
	if ct := a.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(a.Body, &p); err != nil {
		t.Fatalf("decoding problem %s: %v", a.Body, err)
	}
	if p.Type != w.Type || p.Status != w.Status {
		t.Errorf("problem type %q status %d, want %s and %d", p.Type, p.Status, w.Type, w.Status)
	}
	if got := p.Fields(); !slices.Equal(got, w.Fields) && (len(got) > 0 || len(w.Fields) > 0) {
		t.Errorf("bad fields %v, want %v (%s)", got, w.Fields, a.Body)
	}
	if p.CurrentState != w.State {
		t.Errorf("current_state %q, want %q", p.CurrentState, w.State)
	}
	for _, name := range w.Detail {
		if !strings.Contains(p.Detail, name) {
			t.Errorf("detail %q does not name %s", p.Detail, name)
		}
	}
	if w.Status == http.StatusUnauthorized && a.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("WWW-Authenticate %q, want Bearer", a.Header.Get("WWW-Authenticate"))
	}
}

// Page is one page of a cursor-paged list.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// HistoryEntry is one entry of a record's history: what was done, between which states, why
// and by whom.
type HistoryEntry struct {
	Action string `json:"action"`
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
	Actor  struct {
		Subject string `json:"subject"`
		Role    string `json:"role"`
	} `json:"actor"`
}

// Actions lists the actions of a history in order.
func Actions(h []HistoryEntry) []string {
	out := make([]string, len(h))
	for i, x := range h {
		out[i] = x.Action
	}
	return out
}
