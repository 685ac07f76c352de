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
		twoZones := auth.Principal{Subject: "dev-2", Role: auth.ZoneDeveloper, ZoneCodes: []string{"ISB", "LHR"}}
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
			{"malformed JSON", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"applicant": {`}, 400, "validation", []string{"body"}, ""},
			{"unknown field", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"colour": "red"}`}, 400, "validation", []string{"colour"}, ""},
			{"wrong type of a nested field", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"commitments": {"headcount": "ten"}}`}, 400, "validation", []string{"commitments.headcount"}, ""},
			{"an array instead of an object", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `[]`}, 400, "validation", []string{"body"}, ""},
			{"two JSON values", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{} {}`}, 400, "validation", []string{"body"}, ""},
			{"no body", request{Method: "POST", Path: "/v1/applications", As: &owner}, 400, "validation", []string{"body"}, ""},
			{"every field of an application bad at once", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: allBad}, 400, "validation", []string{
				"applicant.contact.email", "applicant.contact.name", "applicant.contact.phone", "applicant.country",
				"applicant.legal_name", "applicant.registration_number", "applicant.tax_number",
				"commitments.exports.amount_minor", "commitments.exports.currency", "commitments.headcount",
				"commitments.investment.amount_minor", "commitments.investment.currency",
				"commitments.rnd_spend.amount_minor", "commitments.rnd_spend.currency",
				"kind", "sector", "zone"}, ""},
			{"an update with every field bad", request{Method: "PUT", Path: "/v1/applications/" + draft.ID, As: &owner, Body: allBad}, 400, "validation", []string{
				"applicant.contact.email", "applicant.contact.name", "applicant.contact.phone", "applicant.country",
				"applicant.legal_name", "applicant.registration_number", "applicant.tax_number",
				"commitments.exports.amount_minor", "commitments.exports.currency", "commitments.headcount",
				"commitments.investment.amount_minor", "commitments.investment.currency",
				"commitments.rnd_spend.amount_minor", "commitments.rnd_spend.currency",
				"kind", "sector", "zone"}, ""},
			{"body over 64 KiB", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"kind": "` + strings.Repeat("a", 70<<10) + `"}`}, 413, "too-large", nil, ""},
			{"body over 64 KiB with an Idempotency-Key", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"kind": "` + strings.Repeat("a", 70<<10) + `"}`,
				Header: http.Header{"Idempotency-Key": {"big-1"}}}, 413, "too-large", nil, ""},
			{"Idempotency-Key too long", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: applicationBody(tenantA, "ISB"),
				Header: http.Header{"Idempotency-Key": {strings.Repeat("k", 300)}}}, 400, "validation", []string{"Idempotency-Key"}, ""},
			{"action body malformed", request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/reject", As: &operator, Body: `{"reason": 7}`}, 400, "validation", []string{"reason"}, ""},
			{"action body with an unknown field", request{Method: "POST", Path: "/v1/applications/" + draft.ID + "/withdraw", As: &owner, Body: `{"why": "x"}`}, 400, "validation", []string{"why"}, ""},

			// Callers who are not who they say.
			{"no token", request{Method: "POST", Path: "/v1/applications", Body: applicationBody(tenantA, "ISB")}, 401, "unauthenticated", nil, ""},
			{"no token on a list", request{Method: "GET", Path: "/v1/licences"}, 401, "unauthenticated", nil, ""},
			{"garbled token", request{Method: "GET", Path: "/v1/applications/" + draft.ID, Header: bearer("Bearer not.a.jwt")}, 401, "unauthenticated", nil, ""},
			{"expired token", request{Method: "POST", Path: "/v1/applications/" + draft.ID + "/submit", Header: bearer("Bearer " + expired)}, 401, "unauthenticated", nil, ""},
			{"token signed with another secret", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/surrender", Header: bearer("Bearer " + forged)}, 401, "unauthenticated", nil, ""},
			{"basic credentials", request{Method: "GET", Path: "/v1/applications", Header: bearer("Basic YWxpY2U6c2VjcmV0")}, 401, "unauthenticated", nil, ""},
			{"tenant token whose tenant_id is not a UUID", request{Method: "POST", Path: "/v1/applications", As: &notUUID, Body: applicationBody(tenantA, "ISB")}, 403, "forbidden", nil, ""},

			// Transitions the record's state does not allow.
			{"approve a rejected application", request{Method: "POST", Path: "/v1/applications/" + rejected.ID + "/approve", As: &operator}, 409, "invalid-transition", nil, "rejected"},
			{"edit a submitted application", request{Method: "PUT", Path: "/v1/applications/" + submitted.ID, As: &owner, Body: applicationBody(tenantA, "ISB")}, 409, "invalid-transition", nil, "submitted"},
			{"submit twice", request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/submit", As: &owner}, 409, "invalid-transition", nil, "submitted"},
			{"resubmit what was never deficient", request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/resubmit", As: &owner}, 409, "invalid-transition", nil, "submitted"},
			{"reinstate a revoked licence", request{Method: "POST", Path: "/v1/licences/" + revoked.ID + "/reinstate", As: &operator}, 409, "invalid-transition", nil, "revoked"},
			{"surrender a revoked licence", request{Method: "POST", Path: "/v1/licences/" + revoked.ID + "/surrender", As: &owner}, 409, "invalid-transition", nil, "revoked"},
			{"a second show-cause notice while one is open", request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause", As: &operator,
				Body: map[string]any{"reason": "again", "reply_due": date(30)}}, 409, "invalid-transition", nil, "active"},
			{"revoke before the reply date with no reply", request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/revoke", As: &operator,
				Body: map[string]any{"reason": "no exports"}}, 409, "invalid-transition", nil, "active"},
			{"reply where no notice is pending", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/show-cause/reply", As: &owner,
				Body: map[string]any{"reply": "nothing to answer"}}, 409, "invalid-transition", nil, "active"},
			{"reply twice to one notice", request{Method: "POST", Path: "/v1/licences/" + replied.ID + "/show-cause/reply", As: &owner,
				Body: map[string]any{"reply": "and another thing"}}, 409, "invalid-transition", nil, "active"},
			{"reply on a revoked licence", request{Method: "POST", Path: "/v1/licences/" + revoked.ID + "/show-cause/reply", As: &owner,
				Body: map[string]any{"reply": "too late"}}, 409, "invalid-transition", nil, "revoked"},
			{"another tenant's registration number", request{Method: "POST", Path: "/v1/applications", As: &owner, Body: takenNumber}, 409, "conflict", nil, ""},

			// Well-formed requests against a business rule.
			{"revoke without a show-cause notice", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/revoke", As: &operator, Body: map[string]any{"reason": "breach"}}, 422, "business-rule", nil, ""},
			{"reject a deficient application before its reply is due", request{Method: "POST", Path: "/v1/applications/" + deficient.ID + "/reject", As: &operator, Body: map[string]any{"reason": "no reply"}}, 422, "business-rule", nil, ""},

			// Actions with missing or bad fields.
			{"deficiency with a reply date in the past", request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator, Body: map[string]any{"reason": "missing accounts", "reply_due": date(-1)}}, 400, "validation", []string{"reply_due"}, ""},
			{"deficiency with a date that does not exist", request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator, Body: map[string]any{"reason": "missing accounts", "reply_due": "2026-02-30"}}, 400, "validation", []string{"reply_due"}, ""},
			{"deficiency without a reason", request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator, Body: map[string]any{"reply_due": date(10)}}, 400, "validation", []string{"reason"}, ""},
			{"deficiency without a body", request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator}, 400, "validation", []string{"body"}, ""},
			{"show-cause without a reply date", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/show-cause", As: &operator, Body: map[string]any{"reason": "no exports"}}, 400, "validation", []string{"reply_due"}, ""},
			{"suspend without a reason", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator}, 400, "validation", []string{"reason"}, ""},
			{"suspend with a reason of 4001 characters", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator, Body: map[string]any{"reason": strings.Repeat("r", 4001)}}, 400, "validation", []string{"reason"}, ""},
			{"suspend with a reason that is not UTF-8", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator, Body: "{\"reason\": \"\xff\xfe\"}"}, 400, "validation", []string{"reason"}, ""},
			{"an application whose contact name is not UTF-8", request{Method: "POST", Path: "/v1/applications", As: &stranger,
				Body: strings.Replace(mustJSON(t, applicationBody(tenantB, "ISB")), "Ayesha Khan", "Ayesha \xe9 Khan", 1)}, 400, "validation", []string{"applicant.contact.name"}, ""},
			{"reply without a reply", request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause/reply", As: &owner, Body: map[string]any{"reply": "  "}}, 400, "validation", []string{"reply"}, ""},
			{"reply under another name", request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause/reply", As: &owner, Body: map[string]any{"reason": "remedied"}}, 400, "validation", []string{"reason"}, ""},
			{"reply that is not UTF-8", request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause/reply", As: &owner, Body: "{\"reply\": \"ok\xc3\"}"}, 400, "validation", []string{"reply"}, ""},
			{"suspend with a NUL in the reason", request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator, Body: `{"reason": "late\u0000"}`}, 400, "validation", []string{"reason"}, ""},

			// Records that do not exist, however the id is spelt.
			{"unknown application", request{Method: "GET", Path: "/v1/applications/0195b3c0-0000-7000-8000-000000000999", As: &operator}, 404, "not-found", nil, ""},
			{"approve an unknown application", request{Method: "POST", Path: "/v1/applications/nope/approve", As: &operator}, 404, "not-found", nil, ""},
			{"licence id that is not UTF-8", request{Method: "GET", Path: "/v1/licences/%FF%FE", As: &operator}, 404, "not-found", nil, ""},
			{"application id with a NUL", request{Method: "GET", Path: "/v1/applications/a%00b", As: &operator}, 404, "not-found", nil, ""},
			{"suspend a licence id with a NUL", request{Method: "POST", Path: "/v1/licences/a%00b/suspend", As: &operator, Body: map[string]any{"reason": "x"}}, 404, "not-found", nil, ""},

			// List filters, each named.
			{"unknown application status", request{Method: "GET", Path: "/v1/applications?status=submitted,bogus", As: &operator}, 400, "validation", []string{"status"}, ""},
			{"application status on the licence list", request{Method: "GET", Path: "/v1/licences?status=draft", As: &operator}, 400, "validation", []string{"status"}, ""},
			{"limit of zero", request{Method: "GET", Path: "/v1/applications?limit=0", As: &operator}, 400, "validation", []string{"limit"}, ""},
			{"limit over 500", request{Method: "GET", Path: "/v1/licences?limit=501", As: &operator}, 400, "validation", []string{"limit"}, ""},
			{"limit that is not a number", request{Method: "GET", Path: "/v1/applications?limit=ten", As: &operator}, 400, "validation", []string{"limit"}, ""},
			{"zone in lower case", request{Method: "GET", Path: "/v1/licences?zone=isb", As: &operator}, 400, "validation", []string{"zone"}, ""},
			{"unknown kind", request{Method: "GET", Path: "/v1/applications?kind=shop", As: &operator}, 400, "validation", []string{"kind"}, ""},
			{"overdue that is not a boolean", request{Method: "GET", Path: "/v1/applications?overdue=maybe", As: &operator}, 400, "validation", []string{"overdue"}, ""},
			{"cursor this service never gave", request{Method: "GET", Path: "/v1/applications?cursor=!!!", As: &operator}, 400, "validation", []string{"cursor"}, ""},
			{"cursor hiding bytes that are not text", request{Method: "GET", Path: "/v1/licences?cursor=" + badUTF8Cursor, As: &operator}, 400, "validation", []string{"cursor"}, ""},
			{"every filter bad at once", request{Method: "GET", Path: "/v1/applications?status=x&zone=1&kind=y&limit=-1&overdue=2", As: &operator}, 400, "validation", []string{"kind", "limit", "overdue", "status", "zone"}, ""},
			{"zone developer of several zones naming none", request{Method: "GET", Path: "/v1/applications", As: &twoZones}, 400, "validation", []string{"zone"}, ""},
			{"zone developer asking for another zone", request{Method: "GET", Path: "/v1/licences?zone=HRP", As: &developer}, 403, "forbidden", nil, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				was := e.state(t)
				resp := e.Do(t, tt.req)
				apitest.CheckProblem(t, resp.Answer(),
					apitest.WantProblem{Status: tt.status, Type: problems + tt.typ, Fields: tt.fields, State: tt.state})
				if now := e.state(t); now != was {
					t.Errorf("the refused request changed the database:\nbefore %+v\nafter  %+v", was, now)
				}
			})
		}

		// Nothing refused reached the stream: the next event after the fixtures' is the one
		// of this submission, which the relay publishes after anything committed before it.
		e.Must(t, request{Method: "POST", Path: "/v1/applications/" + draft.ID + "/submit", As: &owner}, 200)
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
