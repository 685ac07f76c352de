package tenants_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/services/tenants/internal/transport"
)

// TestEveryRouteAnswersEveryRoleAsThePolicySays calls every route of the route table as every
// role on a record of tenant-a in zone ISB (in the state the route needs) and checks the
// status: the role's answer when it may act, 403 when it may see the record but not do this,
// and 404 when it may not even know the record exists (another tenant, a zone developer of
// another zone). Three more columns call every route with no token, an expired token and a
// token of another key: 401 problem+json. A refused call changes nothing: no table, event,
// outbox or idempotency row (apitest.Matrix). The rows must be exactly the route table's
// routes and the document's /v1 operations, so a route cannot hide from the table.
func TestEveryRouteAnswersEveryRoleAsThePolicySays(t *testing.T) {
	var (
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
	// A row of roles is the status of operator, developer, outsider, owner, stranger, auditor
	// and viewer, in that order.
	type roles = apitest.Statuses
	readAll, readOne := apitest.Everyone(200), apitest.Insiders(200)
	byOwner := func(ok int) roles { return roles{403, 403, 404, ok, 404, 403, 403} }
	byOperator := func(ok int) roles { return roles{ok, 403, 404, 403, 404, 403, 403} }
	forEachDialect(t, func(t *testing.T, e *env) {
		type target = apitest.Target
		var (
			draftApp      = func(t *testing.T) target { return target{ID: e.draft(t, owner).ID} }
			submittedApp  = func(t *testing.T) target { return target{ID: e.submitted(t, owner).ID} }
			deficientApp  = func(t *testing.T) target { return target{ID: e.deficient(t, owner).ID} }
			activeLic     = func(t *testing.T) target { return target{ID: e.active(t, owner).ID} }
			suspendedLic  = func(t *testing.T) target { return target{ID: e.suspended(t, owner).ID} }
			showCausedLic = func(t *testing.T) target { return target{ID: e.showCaused(t, owner).ID} }
			repliedLic    = func(t *testing.T) target { return target{ID: e.replied(t, owner).ID} }
		)
		apitest.Matrix[state]{
			Routes: transport.Routes(nil), Client: e.Client, Cast: cast, Secret: secret, State: e.state,
			Rows: []apitest.Row{
				{Route: "POST /v1/applications", Body: application, Want: roles{403, 403, 403, 201, 201, 403, 403}},
				{Route: "GET /v1/applications", Want: readAll},
				{Route: "GET /v1/applications/{id}", Fixture: draftApp, Want: readOne},
				{Route: "GET /v1/applications/{id}/history", Fixture: draftApp, Want: readOne},
				{Route: "PUT /v1/applications/{id}", Fixture: draftApp, Body: application, Want: byOwner(200)},
				{Route: "POST /v1/applications/{id}/submit", Fixture: draftApp, Want: byOwner(200)},
				{Route: "POST /v1/applications/{id}/deficiencies", Fixture: submittedApp, Body: dated, Want: byOperator(200)},
				{Route: "POST /v1/applications/{id}/resubmit", Fixture: deficientApp, Want: byOwner(200)},
				{Route: "POST /v1/applications/{id}/approve", Fixture: submittedApp, Want: byOperator(201)},
				{Route: "POST /v1/applications/{id}/reject", Fixture: submittedApp, Body: reason, Want: byOperator(200)},
				{Route: "POST /v1/applications/{id}/withdraw", Fixture: submittedApp, Body: reason, Want: byOwner(200)},
				{Route: "GET /v1/licences", Want: readAll},
				{Route: "GET /v1/licences/{id}", Fixture: activeLic, Want: readOne},
				{Route: "GET /v1/licences/{id}/history", Fixture: activeLic, Want: readOne},
				{Route: "POST /v1/licences/{id}/suspend", Fixture: activeLic, Body: reason, Want: byOperator(200)},
				{Route: "POST /v1/licences/{id}/reinstate", Fixture: suspendedLic, Body: reason, Want: byOperator(200)},
				{Route: "POST /v1/licences/{id}/show-cause", Fixture: activeLic, Body: dated, Want: byOperator(200)},
				{Route: "POST /v1/licences/{id}/show-cause/reply", Fixture: showCausedLic, Body: answer, Want: byOwner(200)},
				{Route: "POST /v1/licences/{id}/revoke", Fixture: repliedLic, Body: reason, Want: byOperator(200)},
				{Route: "POST /v1/licences/{id}/surrender", Fixture: activeLic, Body: reason, Want: byOwner(200)},
			},
		}.Run(t)
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
