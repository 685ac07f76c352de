package apitest

import "github.com/zoneops/zoneops/libs/platform/auth"

// Cast is the seven callers a role table asks: an operator, a zone developer of the records'
// zone and one of another zone, the records' tenant and another tenant, an auditor and a
// viewer.
type Cast struct {
	Operator, Developer, Outsider, Owner, Stranger, Auditor, Viewer auth.Principal
}

// Caller is one caller of a role table, named for subtests, and its column in a Statuses row.
type Caller struct {
	Name   string
	P      auth.Principal
	column int
}

// Statuses is one row of a role table: the status each caller of a Cast must get, in the order
// of the Cast's fields.
type Statuses [7]int

// For is the status c must get.
func (s Statuses) For(c Caller) int { return s[c.column] }

// Callers lists the cast in the order of a Statuses row.
func (c Cast) Callers() []Caller {
	zone := func(p auth.Principal) string {
		if len(p.ZoneCodes) == 0 {
			return "no zone"
		}
		return p.ZoneCodes[0]
	}
	out := []Caller{
		{Name: "operator", P: c.Operator},
		{Name: "zone developer of " + zone(c.Developer), P: c.Developer},
		{Name: "zone developer of " + zone(c.Outsider), P: c.Outsider},
		{Name: "tenant owner", P: c.Owner},
		{Name: "other tenant", P: c.Stranger},
		{Name: "auditor", P: c.Auditor},
		{Name: "viewer", P: c.Viewer},
	}
	for i := range out {
		out[i].column = i
	}
	return out
}
