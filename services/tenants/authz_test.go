package tenants_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
)

// TestEveryRouteAnswersEveryRoleAsThePolicySays calls every route as every role on a record of
// tenant-a in zone ISB (fresh for each call, in the state the route needs) and checks the
// status: the role's answer when it may act, 403 when it may see the record but not do this,
// and 404 when it may not even know the record exists (another tenant, a zone developer of
// another zone). Three more columns call every route with no token, an expired token and a
// token of another key: 401 problem+json, nothing changed. The table must list exactly the
// document's /v1 operations, and TestSpecDocumentsEveryRoute ties those to what is mounted, so
// a route mounted without authentication cannot hide from the table.
func TestEveryRouteAnswersEveryRoleAsThePolicySays(t *testing.T) {
	// A row of roles is the status of operator, developer, outsider, owner, stranger, auditor
	// and viewer, in that order.
	type roles = apitest.Statuses
	callers := cast.Callers()
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
	var listed []string
	for _, rt := range routes {
		listed = append(listed, rt.route)
	}
	spec.CheckCovers(t, listed)
	forEachDialect(t, func(t *testing.T, e *env) {
		for _, rt := range routes {
			for _, bad := range apitest.BadTokens(t, secret, operator, e.clock.Now()) {
				t.Run(fmt.Sprintf("%s with %s", rt.route, bad.Name), func(t *testing.T) {
					method, pattern, _ := strings.Cut(rt.route, " ")
					r := request{Method: method, Path: strings.Replace(pattern, "{id}", rt.fixture(t, e), 1), Header: bad.Header}
					if rt.body != nil {
						r.Body = rt.body(operator)
					}
					before := e.state(t)
					resp := e.Do(t, r)
					apitest.CheckUnauthorized(t, resp.Status, resp.Header, resp.Body)
					if after := e.state(t); after != before {
						t.Errorf("an unauthenticated call changed the database:\nbefore %+v\nafter  %+v", before, after)
					}
				})
			}
			for _, c := range callers {
				want := rt.want.For(c)
				t.Run(fmt.Sprintf("%s by %s", rt.route, c.Name), func(t *testing.T) {
					method, pattern, _ := strings.Cut(rt.route, " ")
					r := request{Method: method, Path: strings.Replace(pattern, "{id}", rt.fixture(t, e), 1), As: &c.P}
					if rt.body != nil {
						r.Body = rt.body(c.P)
					}
					before := e.state(t)
					resp := e.Do(t, r)
					if resp.Status != want {
						t.Fatalf("status %d, want %d: %s", resp.Status, want, resp.Body)
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
		lhr := decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &stranger, Body: applicationBody(tenantB, "LHR")}, 201))
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
					for _, l := range decode[page[licence]](t, e.Must(t, request{Method: "GET", Path: tt.path, As: &tt.as}, 200)).Items {
						got = append(got, l.ID)
					}
				} else {
					for _, a := range decode[page[application]](t, e.Must(t, request{Method: "GET", Path: tt.path, As: &tt.as}, 200)).Items {
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

// TestViewersDoNotSeeApplicantsContacts reads one application through every read path as
// every role that may read it: the contact person's name, e-mail and phone reach the
// operator, the auditor, the zone developer and the applicant, and never a viewer, who still
// sees the company.
func TestViewersDoNotSeeApplicantsContacts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		a := e.submitted(t, owner)
		// applicationBody's contact person, as the service stores it (the phone normalised).
		contact := []string{"Ayesha Khan", "ayesha@margalla.example.pk", "+92511234567"}
		paths := []string{"/v1/applications/" + a.ID, "/v1/applications", "/v1/applications?zone=ISB&status=submitted", "/v1/applications/" + a.ID + "/history"}
		tests := []struct {
			name string
			as   auth.Principal
			sees bool
		}{
			{"operator", operator, true},
			{"auditor", auditor, true},
			{"zone developer of ISB", developer, true},
			{"the applicant", owner, true},
			{"viewer", viewer, false},
		}
		for _, tt := range tests {
			for _, path := range paths {
				t.Run(tt.name+" reads "+path, func(t *testing.T) {
					body := string(e.Must(t, request{Method: "GET", Path: path, As: &tt.as}, 200).Body)
					if strings.HasSuffix(path, "/history") {
						// History lists what happened, never the contact, for anyone.
						for _, v := range contact {
							if strings.Contains(body, v) {
								t.Errorf("history carries %q: %s", v, body)
							}
						}
						return
					}
					if !strings.Contains(body, "Margalla Robotics") {
						t.Errorf("the company is missing: %s", body)
					}
					for _, v := range contact {
						if got := strings.Contains(body, v); got != tt.sees {
							t.Errorf("contact %q shown = %v, want %v: %s", v, got, tt.sees, body)
						}
					}
					if got := strings.Contains(body, `"contact"`); got != tt.sees {
						t.Errorf(`"contact" present = %v, want %v`, got, tt.sees)
					}
				})
			}
		}
	})
}

// TestIdempotentRepliesBelongToTheWholeCaller sends one Idempotency-Key as callers whose tokens
// share a subject (as zonectl's tokens once did) but not their tenant or role: each gets its
// own answer, never another's stored one; a genuine retry by the same caller is replayed.
func TestIdempotentRepliesBelongToTheWholeCaller(t *testing.T) {
	const sharedSubject = "zonectl-tenant"
	a := auth.Principal{Subject: sharedSubject, Role: auth.Tenant, TenantID: tenantA}
	b := auth.Principal{Subject: sharedSubject, Role: auth.Tenant, TenantID: tenantB}
	c := auth.Principal{Subject: sharedSubject, Role: auth.Tenant, TenantID: "0195b3c0-0000-7000-8000-00000000000c"}
	v := auth.Principal{Subject: sharedSubject, Role: auth.Viewer}
	key := http.Header{"Idempotency-Key": {"same-key-for-everyone"}}
	forEachDialect(t, func(t *testing.T, e *env) {
		first := e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &a, Body: applicationBody(tenantA, "ISB"), Header: key}, 201)
		mine := decode[application](t, first)
		tests := []struct {
			name     string
			as       auth.Principal
			body     map[string]any
			status   int
			replayed bool
		}{
			{"another tenant, its own body", b, applicationBody(tenantB, "ISB"), 201, false},
			// The very bytes tenant-a sent: tenant-c's own answer is that the registration
			// number is tenant-a's, not tenant-a's application.
			{"another tenant, the same body", c, applicationBody(tenantA, "ISB"), 409, false},
			{"a viewer, the same body", v, applicationBody(tenantA, "ISB"), 403, false},
			{"the same caller retrying", a, applicationBody(tenantA, "ISB"), 201, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp := e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &tt.as, Body: tt.body, Header: key}, tt.status)
				if got := resp.Header.Get("Idempotent-Replayed") == "true"; got != tt.replayed {
					t.Errorf("Idempotent-Replayed = %v, want %v", got, tt.replayed)
				}
				if tt.replayed {
					if got := decode[application](t, resp); got.ID != mine.ID {
						t.Errorf("retry answered %s, want %s", got.ID, mine.ID)
					}
					return
				}
				if strings.Contains(string(resp.Body), mine.ID) {
					t.Errorf("answered with tenant-a's application: %s", resp.Body)
				}
				if tt.status == 201 {
					if got := decode[application](t, resp); got.TenantID != tt.as.TenantID {
						t.Errorf("application of tenant %s, want the caller's %s", got.TenantID, tt.as.TenantID)
					}
				}
			})
		}
		if s := e.state(t); s.Applications != 2 {
			t.Errorf("%d applications, want tenant-a's and tenant-b's", s.Applications)
		}
	})
}
