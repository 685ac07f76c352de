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
		e.Events(t, fixtureEvents)

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

		apitest.CheckRefusals(t, e.Client, e.state, []apitest.Refusal{
			// Bodies that are not an application.
			{Name: "malformed JSON", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"applicant": {`}, Status: 400, Type: "validation", Fields: []string{"body"}},
			{Name: "unknown field", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"colour": "red"}`}, Status: 400, Type: "validation", Fields: []string{"colour"}},
			{Name: "wrong type of a nested field", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"commitments": {"headcount": "ten"}}`}, Status: 400, Type: "validation", Fields: []string{"commitments.headcount"}},
			{Name: "an array instead of an object", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `[]`}, Status: 400, Type: "validation", Fields: []string{"body"}},
			{Name: "two JSON values", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{} {}`}, Status: 400, Type: "validation", Fields: []string{"body"}},
			{Name: "no body", Req: request{Method: "POST", Path: "/v1/applications", As: &owner}, Status: 400, Type: "validation", Fields: []string{"body"}},
			{Name: "every field of an application bad at once", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: allBad}, Status: 400, Type: "validation", Fields: []string{
				"applicant.contact.email", "applicant.contact.name", "applicant.contact.phone", "applicant.country",
				"applicant.legal_name", "applicant.registration_number", "applicant.tax_number",
				"commitments.exports.amount_minor", "commitments.exports.currency", "commitments.headcount",
				"commitments.investment.amount_minor", "commitments.investment.currency",
				"commitments.rnd_spend.amount_minor", "commitments.rnd_spend.currency",
				"kind", "sector", "zone"}},
			{Name: "an update with every field bad", Req: request{Method: "PUT", Path: "/v1/applications/" + draft.ID, As: &owner, Body: allBad}, Status: 400, Type: "validation", Fields: []string{
				"applicant.contact.email", "applicant.contact.name", "applicant.contact.phone", "applicant.country",
				"applicant.legal_name", "applicant.registration_number", "applicant.tax_number",
				"commitments.exports.amount_minor", "commitments.exports.currency", "commitments.headcount",
				"commitments.investment.amount_minor", "commitments.investment.currency",
				"commitments.rnd_spend.amount_minor", "commitments.rnd_spend.currency",
				"kind", "sector", "zone"}},
			{Name: "body over 64 KiB", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"kind": "` + strings.Repeat("a", 70<<10) + `"}`}, Status: 413, Type: "too-large"},
			{Name: "body over 64 KiB with an Idempotency-Key", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: `{"kind": "` + strings.Repeat("a", 70<<10) + `"}`,
				Header: http.Header{"Idempotency-Key": {"big-1"}}}, Status: 413, Type: "too-large"},
			{Name: "Idempotency-Key too long", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: applicationBody(tenantA, "ISB"),
				Header: http.Header{"Idempotency-Key": {strings.Repeat("k", 300)}}}, Status: 400, Type: "validation", Fields: []string{"Idempotency-Key"}},
			{Name: "action body malformed", Req: request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/reject", As: &operator, Body: `{"reason": 7}`}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "action body with an unknown field", Req: request{Method: "POST", Path: "/v1/applications/" + draft.ID + "/withdraw", As: &owner, Body: `{"why": "x"}`}, Status: 400, Type: "validation", Fields: []string{"why"}},

			// Callers who are not who they say.
			{Name: "no token", Req: request{Method: "POST", Path: "/v1/applications", Body: applicationBody(tenantA, "ISB")}, Status: 401, Type: "unauthenticated"},
			{Name: "no token on a list", Req: request{Method: "GET", Path: "/v1/licences"}, Status: 401, Type: "unauthenticated"},
			{Name: "garbled token", Req: request{Method: "GET", Path: "/v1/applications/" + draft.ID, Header: bearer("Bearer not.a.jwt")}, Status: 401, Type: "unauthenticated"},
			{Name: "expired token", Req: request{Method: "POST", Path: "/v1/applications/" + draft.ID + "/submit", Header: bearer("Bearer " + expired)}, Status: 401, Type: "unauthenticated"},
			{Name: "token signed with another secret", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/surrender", Header: bearer("Bearer " + forged)}, Status: 401, Type: "unauthenticated"},
			{Name: "basic credentials", Req: request{Method: "GET", Path: "/v1/applications", Header: bearer("Basic YWxpY2U6c2VjcmV0")}, Status: 401, Type: "unauthenticated"},
			{Name: "tenant token whose tenant_id is not a UUID", Req: request{Method: "POST", Path: "/v1/applications", As: &notUUID, Body: applicationBody(tenantA, "ISB")}, Status: 403, Type: "forbidden"},

			// Transitions the record's state does not allow.
			{Name: "approve a rejected application", Req: request{Method: "POST", Path: "/v1/applications/" + rejected.ID + "/approve", As: &operator}, Status: 409, Type: "invalid-transition", State: "rejected"},
			{Name: "edit a submitted application", Req: request{Method: "PUT", Path: "/v1/applications/" + submitted.ID, As: &owner, Body: applicationBody(tenantA, "ISB")}, Status: 409, Type: "invalid-transition", State: "submitted"},
			{Name: "submit twice", Req: request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/submit", As: &owner}, Status: 409, Type: "invalid-transition", State: "submitted"},
			{Name: "resubmit what was never deficient", Req: request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/resubmit", As: &owner}, Status: 409, Type: "invalid-transition", State: "submitted"},
			{Name: "reinstate a revoked licence", Req: request{Method: "POST", Path: "/v1/licences/" + revoked.ID + "/reinstate", As: &operator}, Status: 409, Type: "invalid-transition", State: "revoked"},
			{Name: "surrender a revoked licence", Req: request{Method: "POST", Path: "/v1/licences/" + revoked.ID + "/surrender", As: &owner}, Status: 409, Type: "invalid-transition", State: "revoked"},
			{Name: "a second show-cause notice while one is open", Req: request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause", As: &operator,
				Body: map[string]any{"reason": "again", "reply_due": date(30)}}, Status: 409, Type: "invalid-transition", State: "active"},
			{Name: "revoke before the reply date with no reply", Req: request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/revoke", As: &operator,
				Body: map[string]any{"reason": "no exports"}}, Status: 409, Type: "invalid-transition", State: "active"},
			{Name: "reply where no notice is pending", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/show-cause/reply", As: &owner,
				Body: map[string]any{"reply": "nothing to answer"}}, Status: 409, Type: "invalid-transition", State: "active"},
			{Name: "reply twice to one notice", Req: request{Method: "POST", Path: "/v1/licences/" + replied.ID + "/show-cause/reply", As: &owner,
				Body: map[string]any{"reply": "and another thing"}}, Status: 409, Type: "invalid-transition", State: "active"},
			{Name: "reply on a revoked licence", Req: request{Method: "POST", Path: "/v1/licences/" + revoked.ID + "/show-cause/reply", As: &owner,
				Body: map[string]any{"reply": "too late"}}, Status: 409, Type: "invalid-transition", State: "revoked"},
			{Name: "another tenant's registration number", Req: request{Method: "POST", Path: "/v1/applications", As: &owner, Body: takenNumber}, Status: 409, Type: "conflict"},

			// Well-formed requests against a business rule.
			{Name: "revoke without a show-cause notice", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/revoke", As: &operator, Body: map[string]any{"reason": "breach"}}, Status: 422, Type: "business-rule"},
			{Name: "reject a deficient application before its reply is due", Req: request{Method: "POST", Path: "/v1/applications/" + deficient.ID + "/reject", As: &operator, Body: map[string]any{"reason": "no reply"}}, Status: 422, Type: "business-rule"},

			// Actions with missing or bad fields.
			{Name: "deficiency with a reply date in the past", Req: request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator, Body: map[string]any{"reason": "missing accounts", "reply_due": date(-1)}}, Status: 400, Type: "validation", Fields: []string{"reply_due"}},
			{Name: "deficiency with a date that does not exist", Req: request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator, Body: map[string]any{"reason": "missing accounts", "reply_due": "2026-02-30"}}, Status: 400, Type: "validation", Fields: []string{"reply_due"}},
			{Name: "deficiency without a reason", Req: request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator, Body: map[string]any{"reply_due": date(10)}}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "deficiency without a body", Req: request{Method: "POST", Path: "/v1/applications/" + submitted.ID + "/deficiencies", As: &operator}, Status: 400, Type: "validation", Fields: []string{"body"}},
			{Name: "show-cause without a reply date", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/show-cause", As: &operator, Body: map[string]any{"reason": "no exports"}}, Status: 400, Type: "validation", Fields: []string{"reply_due"}},
			{Name: "suspend without a reason", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "suspend with a reason of 4001 characters", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator, Body: map[string]any{"reason": strings.Repeat("r", 4001)}}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "suspend with a reason that is not UTF-8", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator, Body: "{\"reason\": \"\xff\xfe\"}"}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "an application whose contact name is not UTF-8", Req: request{Method: "POST", Path: "/v1/applications", As: &stranger,
				Body: strings.Replace(mustJSON(t, applicationBody(tenantB, "ISB")), "Ayesha Khan", "Ayesha \xe9 Khan", 1)}, Status: 400, Type: "validation", Fields: []string{"applicant.contact.name"}},
			{Name: "reply without a reply", Req: request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause/reply", As: &owner, Body: map[string]any{"reply": "  "}}, Status: 400, Type: "validation", Fields: []string{"reply"}},
			{Name: "reply under another name", Req: request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause/reply", As: &owner, Body: map[string]any{"reason": "remedied"}}, Status: 400, Type: "validation", Fields: []string{"reason"}},
			{Name: "reply that is not UTF-8", Req: request{Method: "POST", Path: "/v1/licences/" + noticed.ID + "/show-cause/reply", As: &owner, Body: "{\"reply\": \"ok\xc3\"}"}, Status: 400, Type: "validation", Fields: []string{"reply"}},
			{Name: "suspend with a NUL in the reason", Req: request{Method: "POST", Path: "/v1/licences/" + active.ID + "/suspend", As: &operator, Body: `{"reason": "late\u0000"}`}, Status: 400, Type: "validation", Fields: []string{"reason"}},

			// Records that do not exist, however the id is spelt.
			{Name: "unknown application", Req: request{Method: "GET", Path: "/v1/applications/0195b3c0-0000-7000-8000-000000000999", As: &operator}, Status: 404, Type: "not-found"},
			{Name: "approve an unknown application", Req: request{Method: "POST", Path: "/v1/applications/nope/approve", As: &operator}, Status: 404, Type: "not-found"},
			{Name: "licence id that is not UTF-8", Req: request{Method: "GET", Path: "/v1/licences/%FF%FE", As: &operator}, Status: 404, Type: "not-found"},
			{Name: "application id with a NUL", Req: request{Method: "GET", Path: "/v1/applications/a%00b", As: &operator}, Status: 404, Type: "not-found"},
			{Name: "suspend a licence id with a NUL", Req: request{Method: "POST", Path: "/v1/licences/a%00b/suspend", As: &operator, Body: map[string]any{"reason": "x"}}, Status: 404, Type: "not-found"},

			// List filters, each named.
			{Name: "unknown application status", Req: request{Method: "GET", Path: "/v1/applications?status=submitted,bogus", As: &operator}, Status: 400, Type: "validation", Fields: []string{"status"}},
			{Name: "application status on the licence list", Req: request{Method: "GET", Path: "/v1/licences?status=draft", As: &operator}, Status: 400, Type: "validation", Fields: []string{"status"}},
			{Name: "limit of zero", Req: request{Method: "GET", Path: "/v1/applications?limit=0", As: &operator}, Status: 400, Type: "validation", Fields: []string{"limit"}},
			{Name: "limit over 500", Req: request{Method: "GET", Path: "/v1/licences?limit=501", As: &operator}, Status: 400, Type: "validation", Fields: []string{"limit"}},
			{Name: "limit that is not a number", Req: request{Method: "GET", Path: "/v1/applications?limit=ten", As: &operator}, Status: 400, Type: "validation", Fields: []string{"limit"}},
			{Name: "zone in lower case", Req: request{Method: "GET", Path: "/v1/licences?zone=isb", As: &operator}, Status: 400, Type: "validation", Fields: []string{"zone"}},
			{Name: "unknown kind", Req: request{Method: "GET", Path: "/v1/applications?kind=shop", As: &operator}, Status: 400, Type: "validation", Fields: []string{"kind"}},
			{Name: "overdue that is not a boolean", Req: request{Method: "GET", Path: "/v1/applications?overdue=maybe", As: &operator}, Status: 400, Type: "validation", Fields: []string{"overdue"}},
			{Name: "cursor this service never gave", Req: request{Method: "GET", Path: "/v1/applications?cursor=!!!", As: &operator}, Status: 400, Type: "validation", Fields: []string{"cursor"}},
			{Name: "cursor hiding bytes that are not text", Req: request{Method: "GET", Path: "/v1/licences?cursor=" + badUTF8Cursor, As: &operator}, Status: 400, Type: "validation", Fields: []string{"cursor"}},
			{Name: "every filter bad at once", Req: request{Method: "GET", Path: "/v1/applications?status=x&zone=1&kind=y&limit=-1&overdue=2", As: &operator}, Status: 400, Type: "validation", Fields: []string{"kind", "limit", "overdue", "status", "zone"}},
			{Name: "zone developer of several zones naming none", Req: request{Method: "GET", Path: "/v1/applications", As: &twoZones}, Status: 400, Type: "validation", Fields: []string{"zone"}},
			{Name: "zone developer asking for another zone", Req: request{Method: "GET", Path: "/v1/licences?zone=HRP", As: &developer}, Status: 403, Type: "forbidden"},
		})

		// Nothing refused reached the stream: the next event after the fixtures' is the one
		// of this submission, which the relay publishes after anything committed before it.
		e.Must(t, request{Method: "POST", Path: "/v1/applications/" + draft.ID + "/submit", As: &owner}, 200)
		evs := e.Events(t, fixtureEvents+1)
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
