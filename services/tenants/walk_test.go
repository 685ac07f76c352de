package tenants_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	ev "github.com/zoneops/zoneops/libs/events/tenants"
	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/tenants"
)

// TestLicenceLifecycleThroughTheWholeService walks one licence from application to revocation
// and another to surrender, through HTTP, and checks the answers, the events on the TENANTS
// stream and the metrics an operator watches.
func TestLicenceLifecycleThroughTheWholeService(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		// Day 0: the tenant writes a draft, corrects it and submits it; the authority has 30
		// days.
		a := decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &owner, Body: applicationBody(tenantA, "ISB")}, 201))
		if a.Status != "draft" || a.Version != 1 || a.TenantID != tenantA || a.Zone != "ISB" {
			t.Fatalf("created %+v, want a version 1 draft of tenant-a in ISB", a)
		}
		body := applicationBody(tenantA, "ISB")
		body["commitments"].(map[string]any)["headcount"] = 150
		a = decode[application](t, e.Must(t, request{Method: "PUT", Path: "/v1/applications/" + a.ID, As: &owner, Body: body}, 200))
		if a.Version != 2 || a.Commitments["headcount"] != float64(150) {
			t.Fatalf("updated %+v, want version 2 with headcount 150", a)
		}
		a = decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/submit", As: &owner}, 200))
		if a.Status != "submitted" || a.DecisionDue != date(30) {
			t.Fatalf("submitted %+v, want status submitted and decision_due %s", a, date(30))
		}

		// Day 5: the operator finds a deficiency; day 8 the tenant answers, and the three
		// days the clock was paused move the decision date.
		e.clock.Advance(5 * day)
		a = decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/deficiencies", As: &operator,
			Body: map[string]any{"reason": "audited accounts are missing", "reply_due": date(20)}}, 200))
		if a.Status != "deficient" || a.ReplyDue != date(20) {
			t.Fatalf("deficient %+v, want reply_due %s", a, date(20))
		}
		e.clock.Advance(3 * day)
		a = decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/resubmit", As: &owner}, 200))
		if a.Status != "resubmitted" || a.DecisionDue != date(33) || a.PausedDays != 3 {
			t.Fatalf("resubmitted %+v, want decision_due %s after 3 paused days", a, date(33))
		}

		// Day 10: approval grants the zone's first licence of the year, valid ten years.
		e.clock.Advance(2 * day)
		l := decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/approve", As: &operator}, 201))
		if l.Number != "STZ-ISB-2026-0001" || l.Status != "active" || l.ApplicationID != a.ID || l.TenantID != tenantA {
			t.Fatalf("granted %+v, want active STZ-ISB-2026-0001 of tenant-a", l)
		}
		if l.ValidFrom != "2026-03-12" || l.ValidUntil != "2036-03-11" {
			t.Errorf("valid %s to %s, want 2026-03-12 to 2036-03-11", l.ValidFrom, l.ValidUntil)
		}
		m := e.Scrape(t)
		for series, want := range map[string]string{
			`zoneops_tenants_applications{status="approved"}`:                     "1",
			`zoneops_tenants_applications{status="draft"}`:                        "0",
			`zoneops_tenants_licences{status="active"}`:                           "1",
			`zoneops_tenants_licences{status="revoked"}`:                          "0",
			`zoneops_tenants_decision_duration_seconds_count{outcome="approved"}`: "1",
		} {
			if got := apitest.Sample(t, m, series); got != want {
				t.Errorf("after the approval %s = %s, want %s", series, got, want)
			}
		}

		got := decode[application](t, e.Must(t, request{Method: "GET", Path: "/v1/applications/" + a.ID, As: &owner}, 200))
		if got.Status != "approved" || got.LicenceID != l.ID {
			t.Errorf("application after approval %+v, want approved with licence %s", got, l.ID)
		}
		h := decode[page[entry]](t, e.Must(t, request{Method: "GET", Path: "/v1/applications/" + a.ID + "/history", As: &developer}, 200))
		if want := []string{"create", "update", "submit", "note_deficiency", "resubmit", "approve"}; !slices.Equal(actions(h.Items), want) {
			t.Errorf("application history %v, want %v", actions(h.Items), want)
		}
		queue := decode[page[application]](t, e.Must(t, request{Method: "GET", Path: "/v1/applications?status=approved,rejected&zone=ISB", As: &auditor}, 200))
		if len(queue.Items) != 1 || queue.Items[0].ID != a.ID {
			t.Errorf("approved applications in ISB = %+v, want only %s", queue.Items, a.ID)
		}

		// Day 40 to 80: enforcement. Suspension, reinstatement, a show-cause notice and
		// finally revocation.
		e.clock.Advance(30 * day)
		l = e.licenceAction(t, l, "suspend", map[string]any{"reason": "quarterly report overdue"})
		if l.Status != "suspended" {
			t.Fatalf("suspended licence is %s", l.Status)
		}
		e.clock.Advance(10 * day)
		l = e.licenceAction(t, l, "reinstate", map[string]any{"reason": "report filed"})
		if l.Status != "active" {
			t.Fatalf("reinstated licence is %s", l.Status)
		}
		e.clock.Advance(10 * day)
		l = e.licenceAction(t, l, "show-cause", map[string]any{"reason": "no exports in the first year", "reply_due": date(74)})
		if l.Status != "active" || l.ShowCause == nil || l.ShowCause.ReplyDue != date(74) {
			t.Fatalf("after show-cause %+v, want active with a notice due %s", l, date(74))
		}
		// While the notice is open the licensee is being heard: no second notice, no
		// revocation; each refusal is a 409 naming the reply date, and nothing changes.
		e.clock.Advance(2 * day)
		before := e.state(t)
		for _, try := range []struct{ action, body string }{
			{"show-cause", `{"reason":"a second notice","reply_due":"` + date(90) + `"}`},
			{"revoke", `{"reason":"no exports"}`},
		} {
			r := e.Must(t, request{Method: "POST", Path: "/v1/licences/" + l.ID + "/" + try.action, As: &operator, Body: try.body}, 409)
			p := decode[problem](t, r)
			if p.CurrentState != "active" || !strings.Contains(p.Detail, date(74)) {
				t.Errorf("%s while the notice is open: %+v, want current_state active and a detail naming %s", try.action, p, date(74))
			}
		}
		if after := e.state(t); after != before {
			t.Errorf("refused actions changed the database: %+v, want %+v", after, before)
		}
		// Day 54: the licensee answers; the authority may now decide.
		e.clock.Advance(2 * day)
		l = decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/licences/" + l.ID + "/show-cause/reply", As: &owner,
			Body: map[string]any{"reply": "the first shipment leaves in April"}}, 200))
		if l.Status != "active" || l.ShowCause == nil || l.ShowCause.Reply != "the first shipment leaves in April" || l.ShowCause.RepliedAt == "" {
			t.Fatalf("after the reply %+v, want active with the reply on the notice", l)
		}
		e.clock.Advance(16 * day)
		l = e.licenceAction(t, l, "revoke", map[string]any{"reason": "no answer to the show-cause notice"})
		if l.Status != "revoked" || l.Version != 6 {
			t.Fatalf("revoked %+v, want status revoked at version 6", l)
		}
		got2 := decode[licence](t, e.Must(t, request{Method: "GET", Path: "/v1/licences/" + l.ID, As: &owner}, 200))
		if got2.Status != "revoked" {
			t.Errorf("GET licence: status %s, want revoked", got2.Status)
		}
		lh := decode[page[entry]](t, e.Must(t, request{Method: "GET", Path: "/v1/licences/" + l.ID + "/history", As: &viewer}, 200))
		if want := []string{"grant", "suspend", "reinstate", "issue_show_cause", "reply_show_cause", "revoke"}; !slices.Equal(actions(lh.Items), want) {
			t.Errorf("licence history %v, want %v", actions(lh.Items), want)
		}
		if h := lh.Items[4]; h.Actor.Subject != owner.Subject || h.Actor.Role != "tenant" || h.Reason != "the first shipment leaves in April" {
			t.Errorf("reply in history %+v, want the licensee's words", h)
		}

		// A second tenant's licence is surrendered by its holder.
		b := decode[application](t, e.Must(t, request{Method: "POST", Path: "/v1/applications", As: &stranger, Body: applicationBody(tenantB, "ISB")}, 201))
		e.Must(t, request{Method: "POST", Path: "/v1/applications/" + b.ID + "/submit", As: &stranger}, 200)
		lb := decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + b.ID + "/approve", As: &operator}, 201))
		if lb.Number != "STZ-ISB-2026-0002" {
			t.Errorf("second licence in ISB is %s, want STZ-ISB-2026-0002", lb.Number)
		}
		lb = decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/licences/" + lb.ID + "/surrender", As: &stranger,
			Body: map[string]any{"reason": "moving to another zone"}}, 200))
		if lb.Status != "surrendered" {
			t.Errorf("surrendered licence is %s", lb.Status)
		}
		mine := decode[page[licence]](t, e.Must(t, request{Method: "GET", Path: "/v1/licences", As: &stranger}, 200))
		if len(mine.Items) != 1 || mine.Items[0].ID != lb.ID {
			t.Errorf("tenant-b's licences = %+v, want only %s", mine.Items, lb.ID)
		}

		// The stream holds every event once, in order per aggregate.
		agg := apitest.ByAggregate(t, e.Events(t, 14))
		for id, want := range map[string][]string{
			a.ID:  {"application.submitted.v1", "application.deficiency_noted.v1", "application.resubmitted.v1", "application.approved.v1"},
			l.ID:  {"licence.granted.v1", "licence.suspended.v1", "licence.reinstated.v1", "licence.show_cause_issued.v1", "licence.show_cause_replied.v1", "licence.revoked.v1"},
			b.ID:  {"application.submitted.v1", "application.approved.v1"},
			lb.ID: {"licence.granted.v1", "licence.surrendered.v1"},
		} {
			if got := types(agg[id]); !slices.Equal(got, want) {
				t.Errorf("events of %s: %v, want %v", id, got, want)
			}
		}
		if g, ok := agg[l.ID][0].Payload.(ev.LicenceGranted); !ok || g.LicenceNumber != l.Number || g.ApplicationID != a.ID || g.TenantID != tenantA {
			t.Errorf("licence.granted payload %+v, want number %s for application %s", agg[l.ID][0].Payload, l.Number, a.ID)
		}
		if r, ok := agg[l.ID][4].Payload.(ev.LicenceShowCauseReplied); !ok || r.Reply != "the first shipment leaves in April" ||
			r.ReplyDue.String() != date(74) || r.Actor.Subject != owner.Subject || r.Actor.Role != values.RoleTenant {
			t.Errorf("licence.show_cause_replied payload %+v", agg[l.ID][4].Payload)
		}
		if r, ok := agg[l.ID][5].Payload.(ev.LicenceRevoked); !ok || r.Reason != "no answer to the show-cause notice" || r.Actor.Subject != operator.Subject {
			t.Errorf("licence.revoked payload %+v", agg[l.ID][5].Payload)
		}

		// The dashboard's figures, the RED metrics of a route, and a lint-clean exposition.
		m = e.Scrape(t)
		apitest.CheckScrape(t, m, "after the walk", map[string]string{
			`zoneops_tenants_applications{status="approved"}`:                                             "2",
			`zoneops_tenants_licences{status="active"}`:                                                   "0",
			`zoneops_tenants_licences{status="revoked"}`:                                                  "1",
			`zoneops_tenants_licences{status="surrendered"}`:                                              "1",
			`zoneops_tenants_applications_overdue`:                                                        "0",
			`zoneops_http_requests_total{code="201",method="POST",route="/v1/applications"}`:              "2",
			`zoneops_http_requests_total{code="201",method="POST",route="/v1/applications/{id}/approve"}`: "2",
			`zoneops_http_request_duration_seconds_count{method="POST",route="/v1/applications"}`:         "2",
		})

		// The probes answer without a token.
		e.CheckProbes(t)
	})
}

// TestZeroConfigMeansTheDocumentedDefaults runs the service on tenants.Config{}: it must
// neither panic nor count legal dates in UTC. Submitted at 01:00 on 2 March in Islamabad
// (still 1 March in UTC), the decision is due 30 days after 2 March.
func TestZeroConfigMeansTheDocumentedDefaults(t *testing.T) {
	e := startServiceWith(t, db.SQLite, tenants.Config{}, time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC))
	a := e.submitted(t, owner)
	if a.DecisionDue != "2026-04-01" {
		t.Errorf("decision_due %s, want 2026-04-01 (30 days after 2 March, Islamabad time)", a.DecisionDue)
	}
	l := decode[licence](t, e.Must(t, request{Method: "POST", Path: "/v1/applications/" + a.ID + "/approve", As: &operator}, 201))
	if l.ValidFrom != "2026-03-02" || l.ValidUntil != "2036-03-01" {
		t.Errorf("valid %s to %s, want a ten-year term from 2026-03-02", l.ValidFrom, l.ValidUntil)
	}
}
