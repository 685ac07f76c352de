package tenants_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/apitest"
	"github.com/zoneops/zoneops/libs/platform/auth"
)

const problems = "https://zoneops.dev/problems/"

// TestBadInputIsRefusedWithAProblemAndWritesNothing sends malformed, invalid, unauthenticated
// and ill-timed requests. Each is answered with the documented problem (never a 500), and none
// changes the database or puts an event on the stream.
func TestBadInputIsRefusedWithAProblemAndWritesNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		draft := e.draft(t, owner)
		submitted := e.submitted(t, owner)
		deficient := e.deficient(t, owner)
		rejected := e.rejected(t, owner)
		active := e.active(t, owner)
		revoked := e.revoked(t, owner)
		noticed := e.showCaused(t, owner)
		replied := e.replied(t, owner)
		e.draft(t, stranger) // tenant-b's registration number is taken from here on
		// submitted 1, deficient 2, rejected 2, active 3, revoked 6, noticed 4, replied 5.
		const fixtureEvents = 23
		e.events(t, fixtureEvents)

		allBad := map[string]any{
			"applicant": map[string]any{
				"legal_name": "X", "registration_number": "??", "tax_number": "1", "country": "XX",
				"contact": map[string]any{"name": " ", "email": "not-an-email", "phone": "12345"},
			},
			"kind": "shop", "zone": "isb", "sector": "mining",
			"commitments": map[string]any{
				"headcount":  0,
				"investment": money(-1, "usd"),
				"exports":    money(-5, "XYZ"),
				"rnd_spend":  money(-1, ""),
			},
		}
		takenNumber := applicationBody(tenantA, "ISB")
		takenNumber["applicant"].(map[string]any)["registration_number"] = registered[tenantB]
		bearer := func(tok string) http.Header { return http.Header{"Authorization": {tok}} }
		expired, err := auth.Mint(secret, owner, time.Hour, e.clock.Now().Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		forged, err := auth.Mint([]byte("someone-else's-secret-0123456789abcdef"), owner, time.Hour, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		twoZones := auth.Principal{Subject: "dev-2", Role: auth.ZoneDeveloper, ZoneIDs: []string{"ISB", "LHR"}}
		notUUID := auth.Principal{Subject: "carol", Role: auth.Tenant, TenantID: "tenant-c"}
		badUTF8Cursor := base64.RawURLEncoding.EncodeToString([]byte("\xff\xfe|\x00"))

		tests := []struct {
			name   string
			req    request
			status int
			typ    string   // problem type, after problems
			fields []string // the bad fields the problem must list, exactly
			state  string   // current_state of a refused transition
		}{
			// Bodies that are not an application.
			{"malformed JSON", request{method: "POST", path: "/v1/applications", as: &owner, body: `{"applicant": {`}, 400, "validation", []string{"body"}, ""},
			{"unknown field", request{method: "POST", path: "/v1/applications", as: &owner, body: `{"colour": "red"}`}, 400, "validation", []string{"colour"}, ""},
			{"wrong type of a nested field", request{method: "POST", path: "/v1/applications", as: &owner, body: `{"commitments": {"headcount": "ten"}}`}, 400, "validation", []string{"commitments.headcount"}, ""},
			{"an array instead of an object", request{method: "POST", path: "/v1/applications", as: &owner, body: `[]`}, 400, "validation", []string{"body"}, ""},
			{"two JSON values", request{method: "POST", path: "/v1/applications", as: &owner, body: `{} {}`}, 400, "validation", []string{"body"}, ""},
			{"no body", request{method: "POST", path: "/v1/applications", as: &owner}, 400, "validation", []string{"body"}, ""},
			{"every field of an application bad at once", request{method: "POST", path: "/v1/applications", as: &owner, body: allBad}, 400, "validation", []string{
				"applicant.contact.email", "applicant.contact.name", "applicant.contact.phone", "applicant.country",
				"applicant.legal_name", "applicant.registration_number", "applicant.tax_number",
				"commitments.exports.amount_minor", "commitments.exports.currency", "commitments.headcount",
				"commitments.investment.amount_minor", "commitments.investment.currency",
				"commitments.rnd_spend.amount_minor", "commitments.rnd_spend.currency",
				"kind", "sector", "zone"}, ""},
			{"an update with every field bad", request{method: "PUT", path: "/v1/applications/" + draft.ID, as: &owner, body: allBad}, 400, "validation", []string{
				"applicant.contact.email", "applicant.contact.name", "applicant.contact.phone", "applicant.country",
				"applicant.legal_name", "applicant.registration_number", "applicant.tax_number",
				"commitments.exports.amount_minor", "commitments.exports.currency", "commitments.headcount",
				"commitments.investment.amount_minor", "commitments.investment.currency",
				"commitments.rnd_spend.amount_minor", "commitments.rnd_spend.currency",
				"kind", "sector", "zone"}, ""},
			{"body over 64 KiB", request{method: "POST", path: "/v1/applications", as: &owner, body: `{"kind": "` + strings.Repeat("a", 70<<10) + `"}`}, 413, "too-large", nil, ""},
			{"body over 64 KiB with an Idempotency-Key", request{method: "POST", path: "/v1/applications", as: &owner, body: `{"kind": "` + strings.Repeat("a", 70<<10) + `"}`,
				header: http.Header{"Idempotency-Key": {"big-1"}}}, 413, "too-large", nil, ""},
			{"Idempotency-Key too long", request{method: "POST", path: "/v1/applications", as: &owner, body: applicationBody(tenantA, "ISB"),
				header: http.Header{"Idempotency-Key": {strings.Repeat("k", 300)}}}, 400, "validation", []string{"Idempotency-Key"}, ""},
			{"action body malformed", request{method: "POST", path: "/v1/applications/" + submitted.ID + "/reject", as: &operator, body: `{"reason": 7}`}, 400, "validation", []string{"reason"}, ""},
			{"action body with an unknown field", request{method: "POST", path: "/v1/applications/" + draft.ID + "/withdraw", as: &owner, body: `{"why": "x"}`}, 400, "validation", []string{"why"}, ""},

			// Callers who are not who they say.
			{"no token", request{method: "POST", path: "/v1/applications", body: applicationBody(tenantA, "ISB")}, 401, "unauthenticated", nil, ""},
			{"no token on a list", request{method: "GET", path: "/v1/licences"}, 401, "unauthenticated", nil, ""},
			{"garbled token", request{method: "GET", path: "/v1/applications/" + draft.ID, header: bearer("Bearer not.a.jwt")}, 401, "unauthenticated", nil, ""},
			{"expired token", request{method: "POST", path: "/v1/applications/" + draft.ID + "/submit", header: bearer("Bearer " + expired)}, 401, "unauthenticated", nil, ""},
			{"token signed with another secret", request{method: "POST", path: "/v1/licences/" + active.ID + "/surrender", header: bearer("Bearer " + forged)}, 401, "unauthenticated", nil, ""},
			{"basic credentials", request{method: "GET", path: "/v1/applications", header: bearer("Basic YWxpY2U6c2VjcmV0")}, 401, "unauthenticated", nil, ""},
			{"tenant token whose tenant_id is not a UUID", request{method: "POST", path: "/v1/applications", as: &notUUID, body: applicationBody(tenantA, "ISB")}, 403, "forbidden", nil, ""},

			// Transitions the record's state does not allow.
			{"approve a rejected application", request{method: "POST", path: "/v1/applications/" + rejected.ID + "/approve", as: &operator}, 409, "invalid-transition", nil, "rejected"},
			{"edit a submitted application", request{method: "PUT", path: "/v1/applications/" + submitted.ID, as: &owner, body: applicationBody(tenantA, "ISB")}, 409, "invalid-transition", nil, "submitted"},
			{"submit twice", request{method: "POST", path: "/v1/applications/" + submitted.ID + "/submit", as: &owner}, 409, "invalid-transition", nil, "submitted"},
			{"resubmit what was never deficient", request{method: "POST", path: "/v1/applications/" + submitted.ID + "/resubmit", as: &owner}, 409, "invalid-transition", nil, "submitted"},
			{"reinstate a revoked licence", request{method: "POST", path: "/v1/licences/" + revoked.ID + "/reinstate", as: &operator}, 409, "invalid-transition", nil, "revoked"},
			{"surrender a revoked licence", request{method: "POST", path: "/v1/licences/" + revoked.ID + "/surrender", as: &owner}, 409, "invalid-transition", nil, "revoked"},
			{"a second show-cause notice while one is open", request{method: "POST", path: "/v1/licences/" + noticed.ID + "/show-cause", as: &operator,
				body: map[string]any{"reason": "again", "reply_due": date(30)}}, 409, "invalid-transition", nil, "active"},
			{"revoke before the reply date with no reply", request{method: "POST", path: "/v1/licences/" + noticed.ID + "/revoke", as: &operator,
				body: map[string]any{"reason": "no exports"}}, 409, "invalid-transition", nil, "active"},
			{"reply where no notice is pending", request{method: "POST", path: "/v1/licences/" + active.ID + "/show-cause/reply", as: &owner,
				body: map[string]any{"reply": "nothing to answer"}}, 409, "invalid-transition", nil, "active"},
			{"reply twice to one notice", request{method: "POST", path: "/v1/licences/" + replied.ID + "/show-cause/reply", as: &owner,
				body: map[string]any{"reply": "and another thing"}}, 409, "invalid-transition", nil, "active"},
			{"reply on a revoked licence", request{method: "POST", path: "/v1/licences/" + revoked.ID + "/show-cause/reply", as: &owner,
				body: map[string]any{"reply": "too late"}}, 409, "invalid-transition", nil, "revoked"},
			{"another tenant's registration number", request{method: "POST", path: "/v1/applications", as: &owner, body: takenNumber}, 409, "conflict", nil, ""},

			// Well-formed requests against a business rule.
			{"revoke without a show-cause notice", request{method: "POST", path: "/v1/licences/" + active.ID + "/revoke", as: &operator, body: map[string]any{"reason": "breach"}}, 422, "business-rule", nil, ""},
			{"reject a deficient application before its reply is due", request{method: "POST", path: "/v1/applications/" + deficient.ID + "/reject", as: &operator, body: map[string]any{"reason": "no reply"}}, 422, "business-rule", nil, ""},

			// Actions with missing or bad fields.
			{"deficiency with a reply date in the past", request{method: "POST", path: "/v1/applications/" + submitted.ID + "/deficiencies", as: &operator, body: map[string]any{"reason": "missing accounts", "reply_due": date(-1)}}, 400, "validation", []string{"reply_due"}, ""},
			{"deficiency with a date that does not exist", request{method: "POST", path: "/v1/applications/" + submitted.ID + "/deficiencies", as: &operator, body: map[string]any{"reason": "missing accounts", "reply_due": "2026-02-30"}}, 400, "validation", []string{"reply_due"}, ""},
			{"deficiency without a reason", request{method: "POST", path: "/v1/applications/" + submitted.ID + "/deficiencies", as: &operator, body: map[string]any{"reply_due": date(10)}}, 400, "validation", []string{"reason"}, ""},
			{"deficiency without a body", request{method: "POST", path: "/v1/applications/" + submitted.ID + "/deficiencies", as: &operator}, 400, "validation", []string{"body"}, ""},
			{"show-cause without a reply date", request{method: "POST", path: "/v1/licences/" + active.ID + "/show-cause", as: &operator, body: map[string]any{"reason": "no exports"}}, 400, "validation", []string{"reply_due"}, ""},
			{"suspend without a reason", request{method: "POST", path: "/v1/licences/" + active.ID + "/suspend", as: &operator}, 400, "validation", []string{"reason"}, ""},
			{"suspend with a reason of 4001 characters", request{method: "POST", path: "/v1/licences/" + active.ID + "/suspend", as: &operator, body: map[string]any{"reason": strings.Repeat("r", 4001)}}, 400, "validation", []string{"reason"}, ""},
			{"suspend with a reason that is not UTF-8", request{method: "POST", path: "/v1/licences/" + active.ID + "/suspend", as: &operator, body: "{\"reason\": \"\xff\xfe\"}"}, 400, "validation", []string{"reason"}, ""},
			{"an application whose contact name is not UTF-8", request{method: "POST", path: "/v1/applications", as: &stranger,
				body: strings.Replace(mustJSON(t, applicationBody(tenantB, "ISB")), "Ayesha Khan", "Ayesha \xe9 Khan", 1)}, 400, "validation", []string{"applicant.contact.name"}, ""},
			{"reply without a reply", request{method: "POST", path: "/v1/licences/" + noticed.ID + "/show-cause/reply", as: &owner, body: map[string]any{"reply": "  "}}, 400, "validation", []string{"reply"}, ""},
			{"reply under another name", request{method: "POST", path: "/v1/licences/" + noticed.ID + "/show-cause/reply", as: &owner, body: map[string]any{"reason": "remedied"}}, 400, "validation", []string{"reason"}, ""},
			{"reply that is not UTF-8", request{method: "POST", path: "/v1/licences/" + noticed.ID + "/show-cause/reply", as: &owner, body: "{\"reply\": \"ok\xc3\"}"}, 400, "validation", []string{"reply"}, ""},
			{"suspend with a NUL in the reason", request{method: "POST", path: "/v1/licences/" + active.ID + "/suspend", as: &operator, body: `{"reason": "late\u0000"}`}, 400, "validation", []string{"reason"}, ""},

			// Records that do not exist, however the id is spelt.
			{"unknown application", request{method: "GET", path: "/v1/applications/0195b3c0-0000-7000-8000-000000000999", as: &operator}, 404, "not-found", nil, ""},
			{"approve an unknown application", request{method: "POST", path: "/v1/applications/nope/approve", as: &operator}, 404, "not-found", nil, ""},
			{"licence id that is not UTF-8", request{method: "GET", path: "/v1/licences/%FF%FE", as: &operator}, 404, "not-found", nil, ""},
			{"application id with a NUL", request{method: "GET", path: "/v1/applications/a%00b", as: &operator}, 404, "not-found", nil, ""},
			{"suspend a licence id with a NUL", request{method: "POST", path: "/v1/licences/a%00b/suspend", as: &operator, body: map[string]any{"reason": "x"}}, 404, "not-found", nil, ""},

			// List filters, each named.
			{"unknown application status", request{method: "GET", path: "/v1/applications?status=submitted,bogus", as: &operator}, 400, "validation", []string{"status"}, ""},
			{"application status on the licence list", request{method: "GET", path: "/v1/licences?status=draft", as: &operator}, 400, "validation", []string{"status"}, ""},
			{"limit of zero", request{method: "GET", path: "/v1/applications?limit=0", as: &operator}, 400, "validation", []string{"limit"}, ""},
			{"limit over 500", request{method: "GET", path: "/v1/licences?limit=501", as: &operator}, 400, "validation", []string{"limit"}, ""},
			{"limit that is not a number", request{method: "GET", path: "/v1/applications?limit=ten", as: &operator}, 400, "validation", []string{"limit"}, ""},
			{"zone in lower case", request{method: "GET", path: "/v1/licences?zone=isb", as: &operator}, 400, "validation", []string{"zone"}, ""},
			{"unknown kind", request{method: "GET", path: "/v1/applications?kind=shop", as: &operator}, 400, "validation", []string{"kind"}, ""},
			{"overdue that is not a boolean", request{method: "GET", path: "/v1/applications?overdue=maybe", as: &operator}, 400, "validation", []string{"overdue"}, ""},
			{"cursor this service never gave", request{method: "GET", path: "/v1/applications?cursor=!!!", as: &operator}, 400, "validation", []string{"cursor"}, ""},
			{"cursor hiding bytes that are not text", request{method: "GET", path: "/v1/licences?cursor=" + badUTF8Cursor, as: &operator}, 400, "validation", []string{"cursor"}, ""},
			{"every filter bad at once", request{method: "GET", path: "/v1/applications?status=x&zone=1&kind=y&limit=-1&overdue=2", as: &operator}, 400, "validation", []string{"kind", "limit", "overdue", "status", "zone"}, ""},
			{"zone developer of several zones naming none", request{method: "GET", path: "/v1/applications", as: &twoZones}, 400, "validation", []string{"zone"}, ""},
			{"zone developer asking for another zone", request{method: "GET", path: "/v1/licences?zone=HRP", as: &developer}, 403, "forbidden", nil, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				was := e.state(t)
				resp := e.do(t, tt.req)
				apitest.CheckProblem(t, apitest.Answer{Status: resp.status, Header: resp.header, Body: resp.body},
					apitest.WantProblem{Status: tt.status, Type: problems + tt.typ, Fields: tt.fields, State: tt.state})
				if now := e.state(t); now != was {
					t.Errorf("the refused request changed the database:\nbefore %+v\nafter  %+v", was, now)
				}
			})
		}

		// Nothing refused reached the stream: the next event after the fixtures' is the one
		// of this submission, which the relay publishes after anything committed before it.
		e.must(t, request{method: "POST", path: "/v1/applications/" + draft.ID + "/submit", as: &owner}, 200)
		evs := e.events(t, fixtureEvents+1)
		if last := evs[fixtureEvents]; last.Env.AggregateID != draft.ID || !strings.HasSuffix(last.Env.Type, "application.submitted.v1") {
			t.Errorf("the event after the fixtures is %s of %s, want the submission of %s", last.Env.Type, last.Env.AggregateID, draft.ID)
		}
	})
}

// mustJSON is v as JSON text, for bodies a test then alters byte by byte.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
