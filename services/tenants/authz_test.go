package tenants_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/auth"
)

// TestEveryRouteAnswersEveryRoleAsThePolicySays calls every route as every role on a record of
// tenant-a in zone ISB (fresh for each call, in the state the route needs) and checks the
// status: the role's answer when it may act, 403 when it may see the record but not do this,
// and 404 when it may not even know the record exists (another tenant, a zone developer of
// another zone).
func TestEveryRouteAnswersEveryRoleAsThePolicySays(t *testing.T) {
	type roles struct{ operator, developer, outsider, owner, stranger, auditor, viewer int }
	callers := []struct {
		name string
		p    auth.Principal
		want func(roles) int
	}{
		{"operator", operator, func(r roles) int { return r.operator }},
		{"zone developer of ISB", developer, func(r roles) int { return r.developer }},
		{"zone developer of LHR", outsider, func(r roles) int { return r.outsider }},
		{"tenant owner", owner, func(r roles) int { return r.owner }},
		{"other tenant", stranger, func(r roles) int { return r.stranger }},
		{"auditor", auditor, func(r roles) int { return r.auditor }},
		{"viewer", viewer, func(r roles) int { return r.viewer }},
	}
	var (
		none          = func(*testing.T, *env) string { return "" }
		draftApp      = func(t *testing.T, e *env) string { return e.draft(t, owner).ID }
		submittedApp  = func(t *testing.T, e *env) string { return e.submitted(t, owner).ID }
		deficientApp  = func(t *testing.T, e *env) string { return e.deficient(t, owner).ID }
		activeLic     = func(t *testing.T, e *env) string { return e.active(t, owner).ID }
		suspendedLic  = func(t *testing.T, e *env) string { return e.suspended(t, owner).ID }
		showCausedLic = func(t *testing.T, e *env) string { return e.showCaused(t, owner).ID }
		repliedLic    = func(t *testing.T, e *env) string { return e.replied(t, owner).ID }
		// The caller's own application, for creates; the content of tenant-a's otherwise.
		application = func(p auth.Principal) any {
			if p.Role == auth.Tenant {
				return applicationBody(p.TenantID, "ISB")
			}
			return applicationBody(tenantA, "ISB")
		}
		reason = func(auth.Principal) any { return map[string]any{"reason": "as the policy allows"} }
		answer = func(auth.Principal) any { return map[string]any{"reply": "as the policy allows"} }
		dated  = func(auth.Principal) any {
			return map[string]any{"reason": "as the policy allows", "reply_due": date(14)}
		}
	)
	readAll := roles{200, 200, 200, 200, 200, 200, 200}
	readOne := roles{200, 200, 404, 200, 404, 200, 200}
	byOwner := func(ok int) roles { return roles{403, 403, 404, ok, 404, 403, 403} }
	byOperator := func(ok int) roles { return roles{ok, 403, 404, 403, 404, 403, 403} }
	routes := []struct {
		route   string // method and pattern; {id} is replaced by the fixture's id
		fixture func(*testing.T, *env) string
		body    func(auth.Principal) any
		want    roles
	}{
		{"POST /v1/applications", none, application, roles{403, 403, 403, 201, 201, 403, 403}},
		{"GET /v1/applications", none, nil, readAll},
		{"GET /v1/applications/{id}", draftApp, nil, readOne},
		{"GET /v1/applications/{id}/history", draftApp, nil, readOne},
		{"PUT /v1/applications/{id}", draftApp, application, byOwner(200)},
		{"POST /v1/applications/{id}/submit", draftApp, nil, byOwner(200)},
		{"POST /v1/applications/{id}/deficiencies", submittedApp, dated, byOperator(200)},
		{"POST /v1/applications/{id}/resubmit", deficientApp, nil, byOwner(200)},
		{"POST /v1/applications/{id}/approve", submittedApp, nil, byOperator(201)},
		{"POST /v1/applications/{id}/reject", submittedApp, reason, byOperator(200)},
		{"POST /v1/applications/{id}/withdraw", submittedApp, reason, byOwner(200)},
		{"GET /v1/licences", none, nil, readAll},
		{"GET /v1/licences/{id}", activeLic, nil, readOne},
		{"GET /v1/licences/{id}/history", activeLic, nil, readOne},
		{"POST /v1/licences/{id}/suspend", activeLic, reason, byOperator(200)},
		{"POST /v1/licences/{id}/reinstate", suspendedLic, reason, byOperator(200)},
		{"POST /v1/licences/{id}/show-cause", activeLic, dated, byOperator(200)},
		{"POST /v1/licences/{id}/show-cause/reply", showCausedLic, answer, byOwner(200)},
		{"POST /v1/licences/{id}/revoke", repliedLic, reason, byOperator(200)},
		{"POST /v1/licences/{id}/surrender", activeLic, reason, byOwner(200)},
	}
	forEachDialect(t, func(t *testing.T, e *env) {
		for _, rt := range routes {
			for _, c := range callers {
				want := c.want(rt.want)
				t.Run(fmt.Sprintf("%s by %s", rt.route, c.name), func(t *testing.T) {
					method, pattern, _ := strings.Cut(rt.route, " ")
					r := request{method: method, path: strings.Replace(pattern, "{id}", rt.fixture(t, e), 1), as: &c.p}
					if rt.body != nil {
						r.body = rt.body(c.p)
					}
					before := e.state(t)
					resp := e.do(t, r)
					if resp.status != want {
						t.Fatalf("status %d, want %d: %s", resp.status, want, resp.body)
					}
					if want >= 400 {
						if after := e.state(t); after != before {
							t.Errorf("a refused call changed the database:\nbefore %+v\nafter  %+v", before, after)
						}
					}
				})
			}
		}
	})
}

// TestListsShowOnlyWhatTheCallerMayRead checks that lists are scoped, not merely filtered: a
// tenant sees its own records, a zone developer those of its zones, the authority all.
func TestListsShowOnlyWhatTheCallerMayRead(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		mine := e.active(t, owner)
		theirs := e.draft(t, stranger)
		lhr := decode[application](t, e.must(t, request{method: "POST", path: "/v1/applications", as: &stranger, body: applicationBody(tenantB, "LHR")}, 201))
		tests := []struct {
			name string
			as   auth.Principal
			path string
			want []string
		}{
			{"tenant sees its own applications", owner, "/v1/applications", []string{mine.ApplicationID}},
			{"other tenant sees its own applications", stranger, "/v1/applications", []string{theirs.ID, lhr.ID}},
			{"zone developer sees its zone's applications", developer, "/v1/applications", []string{mine.ApplicationID, theirs.ID}},
			{"zone developer of LHR sees LHR's", outsider, "/v1/applications", []string{lhr.ID}},
			{"operator sees every application", operator, "/v1/applications", []string{mine.ApplicationID, theirs.ID, lhr.ID}},
			{"a tenant's zone filter narrows its own", stranger, "/v1/applications?zone=LHR", []string{lhr.ID}},
			{"tenant sees its own licences", owner, "/v1/licences", []string{mine.ID}},
			{"other tenant has no licence", stranger, "/v1/licences", []string{}},
			{"viewer sees every licence", viewer, "/v1/licences", []string{mine.ID}},
			{"zone developer of LHR sees no ISB licence", outsider, "/v1/licences", []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got []string
				if strings.HasPrefix(tt.path, "/v1/licences") {
					for _, l := range decode[page[licence]](t, e.must(t, request{method: "GET", path: tt.path, as: &tt.as}, 200)).Items {
						got = append(got, l.ID)
					}
				} else {
					for _, a := range decode[page[application]](t, e.must(t, request{method: "GET", path: tt.path, as: &tt.as}, 200)).Items {
						got = append(got, a.ID)
					}
				}
				if strings.Join(got, ",") != strings.Join(tt.want, ",") {
					t.Errorf("listed %v, want %v", got, tt.want)
				}
			})
		}
	})
}
