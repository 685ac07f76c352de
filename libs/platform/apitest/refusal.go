package apitest

import "testing"

// Refusal is one request a service must refuse: with the problem of status and type (the last
// segment of the type URI, e.g. "validation"), naming exactly fields, the current state of a
// refused transition and the words of detail.
type Refusal struct {
	Name   string
	Req    Request
	Status int
	Type   string
	Fields []string
	State  string
	Detail []string
}

// ProblemTypes is the prefix of every problem type URI.
const ProblemTypes = "https://zoneops.dev/problems/"

// CheckRefusals runs each refusal as a subtest against c: the answer must be its problem, and
// state, a fingerprint of everything a request can write, must be the same after as before.
func CheckRefusals[S comparable](t *testing.T, c *Client, state func(*testing.T) S, refusals []Refusal) {
	t.Helper()
	for _, r := range refusals {
		t.Run(r.Name, func(t *testing.T) {
			was := state(t)
			resp := c.Do(t, r.Req)
			CheckProblem(t, resp.Answer(), WantProblem{Status: r.Status, Type: ProblemTypes + r.Type, Fields: r.Fields, State: r.State, Detail: r.Detail})
			if now := state(t); now != was {
				t.Errorf("the refused request changed the database:\nbefore %+v\nafter  %+v", was, now)
			}
		})
	}
}
