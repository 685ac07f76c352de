package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("not JSON: %v: %s", err, a)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

func TestCreateSendsBodyTokenAndIdempotencyKey(t *testing.T) {
	file := writeFile(t, exampleApplication)
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantKey string // "" means any UUID
		wantTok string
	}{
		{"fresh key, token flag", []string{"--token", "tok-flag"}, nil, "", "tok-flag"},
		{"given key, token from env", []string{"--idempotency-key", "retry-1"}, map[string]string{EnvToken: "tok-env"}, "retry-1", "tok-env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			api.reply("POST /v1/applications", http.StatusCreated, "application/json", applicationJSON)
			args := append([]string{"--tenants-url", api.srv.URL, "applications", "create", "-f", file}, tt.args...)
			res := runCLI(t, tt.env, "", args...)
			if res.code != 0 {
				t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
			}
			req := api.only()
			if !jsonEqual(t, req.body, exampleApplication) {
				t.Errorf("body = %s, want the file", req.body)
			}
			if got := req.header.Get("Authorization"); got != "Bearer "+tt.wantTok {
				t.Errorf("Authorization = %q", got)
			}
			if got := req.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q", got)
			}
			key := req.header.Get("Idempotency-Key")
			if tt.wantKey != "" && key != tt.wantKey {
				t.Errorf("Idempotency-Key = %q, want %q", key, tt.wantKey)
			}
			if tt.wantKey == "" {
				if u, err := uuid.Parse(key); err != nil || u.Version() != 7 {
					t.Errorf("Idempotency-Key = %q, want a UUIDv7", key)
				}
			}
			for _, want := range []string{"0195a0b0-0000-7000-8000-000000000001", "draft", "Indus Robotics (Pvt) Ltd", "PKR 2500000000.00", "PKR 90.00", "KWD 0.005"} {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, res.stdout)
				}
			}
		})
	}
}

func TestCreateReadsStdinAndEachCreateGetsItsOwnKey(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("POST /v1/applications", http.StatusCreated, "application/json", applicationJSON)
	for range 2 {
		res := runCLI(t, nil, exampleApplication, "--tenants-url", api.srv.URL, "--token", "t", "-o", "json", "applications", "create", "-f", "-")
		if res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		if !jsonEqual(t, res.stdout, applicationJSON) {
			t.Errorf("-o json printed %s, want the server's body", res.stdout)
		}
	}
	reqs := api.requests()
	if k1, k2 := reqs[0].header.Get("Idempotency-Key"), reqs[1].header.Get("Idempotency-Key"); k1 == k2 {
		t.Errorf("two creates shared the key %q", k1)
	}
}

func TestExampleIsValidJSONAndNeedsNoServer(t *testing.T) {
	res := runCLI(t, nil, "", "applications", "create", "--example")
	if res.code != 0 || !json.Valid([]byte(res.stdout)) {
		t.Fatalf("exit %d, output %q, stderr %s", res.code, res.stdout, res.stderr)
	}
}

func TestProblemPrintsEveryFieldErrorAndFails(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("POST /v1/applications", http.StatusBadRequest, "application/problem+json", `{
		"type":"https://zoneops.dev/problems/validation","title":"Invalid input","status":400,
		"detail":"3 fields are invalid",
		"errors":[{"field":"applicant.legal_name","reason":"required"},
		          {"field":"zone","reason":"must be 2 to 6 upper-case letters, e.g. ISB"},
		          {"field":"commitments.headcount","reason":"must be between 1 and 1000000"}]}`)
	api.reply("POST /v1/applications/{id}/approve", http.StatusConflict, "application/problem+json", `{
		"type":"https://zoneops.dev/problems/invalid-transition","title":"Illegal transition","status":409,
		"detail":"application cannot approve when draft","current_state":"draft"}`)
	api.reply("GET /v1/licences/{id}", http.StatusBadGateway, "text/html", "<h1>bad gateway</h1>")

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"validation", []string{"applications", "create", "-f", writeFile(t, `{}`)}, []string{
			"Invalid input", "HTTP 400", "3 fields are invalid",
			"applicant.legal_name: required",
			"zone: must be 2 to 6 upper-case letters, e.g. ISB",
			"commitments.headcount: must be between 1 and 1000000",
		}},
		{"transition names the state", []string{"applications", "approve", "a1"}, []string{
			"Illegal transition", "HTTP 409", "current state: draft",
		}},
		{"non-problem error", []string{"licences", "get", "l1"}, []string{"Bad Gateway", "HTTP 502", "bad gateway"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runCLI(t, nil, "", append([]string{"--tenants-url", api.srv.URL, "--token", "t"}, tt.args...)...).mustFail(t, tt.want...)
		})
	}
}

func TestListAllFollowsNextCursor(t *testing.T) {
	api := newFakeAPI(t)
	pages := map[string]string{"": "c1", "c1": "c2", "c2": ""}
	api.mux.HandleFunc("GET /v1/applications", func(w http.ResponseWriter, r *http.Request) {
		cur := r.URL.Query().Get("cursor")
		next, ok := pages[cur]
		if !ok {
			http.Error(w, "unknown cursor", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[{"id":"app-%s-a","status":"submitted","zone":"ISB"},{"id":"app-%s-b","status":"submitted","zone":"ISB"}],"next_cursor":%q}`,
			cur, cur, next)
	})
	base := []string{"--tenants-url", api.srv.URL, "--token", "t", "applications", "list",
		"--status", "submitted,resubmitted", "--zone", "ISB", "--overdue", "--limit", "2"}

	res := runCLI(t, nil, "", append(base, "--all")...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, cur := range []string{"", "c1", "c2"} {
		for _, s := range []string{"a", "b"} {
			if id := "app-" + cur + "-" + s; !strings.Contains(res.stdout, id) {
				t.Errorf("output lacks %s:\n%s", id, res.stdout)
			}
		}
	}
	reqs := api.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, want := range []string{"", "c1", "c2"} {
		q := reqs[i].query
		for _, part := range []string{"status=submitted%2Cresubmitted", "zone=ISB", "overdue=true", "limit=2"} {
			if !strings.Contains(q, part) {
				t.Errorf("request %d query %q lacks %q", i, q, part)
			}
		}
		if got := queryValue(t, q, "cursor"); got != want {
			t.Errorf("request %d cursor = %q, want %q", i, got, want)
		}
	}

	res = runCLI(t, nil, "", append(base, "--all", "-o", "json")...)
	var all page
	if err := json.Unmarshal([]byte(res.stdout), &all); err != nil || len(all.Items) != 6 || all.NextCursor != "" {
		t.Fatalf("-o json --all = %s (err %v), want 6 items and no cursor", res.stdout, err)
	}

	res = runCLI(t, nil, "", base...)
	if res.code != 0 || strings.Contains(res.stdout, "app-c1-a") || !strings.Contains(res.stderr, "--cursor c1") {
		t.Fatalf("one page: exit %d\nstdout %s\nstderr %s", res.code, res.stdout, res.stderr)
	}
}

func queryValue(t *testing.T, rawQuery, key string) string {
	t.Helper()
	for _, kv := range strings.Split(rawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k == key {
			return v
		}
	}
	return ""
}

func TestListAllStopsOnARepeatedCursor(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("GET /v1/licences", http.StatusOK, "application/json", `{"items":[],"next_cursor":"same"}`)
	res := runCLI(t, nil, "", "--tenants-url", api.srv.URL, "--token", "t", "licences", "list", "--all")
	if res.code != 1 || !strings.Contains(res.stderr, "keeps returning cursors") {
		t.Fatalf("exit %d, stderr %s", res.code, res.stderr)
	}
}

func TestActionsPostTheRightPathAndBody(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantPath string
		wantBody string // "" means no body
	}{
		{"submit", []string{"applications", "submit", "a1"}, "/v1/applications/a1/submit", ""},
		{"resubmit", []string{"applications", "resubmit", "a1"}, "/v1/applications/a1/resubmit", ""},
		{"deficiency", []string{"applications", "deficiency", "a1", "--reason", "no NTN", "--reply-due", "2026-04-01"},
			"/v1/applications/a1/deficiencies", `{"reason":"no NTN","reply_due":"2026-04-01"}`},
		{"deficiency without date", []string{"applications", "deficiency", "a1", "--reason", "no NTN"},
			"/v1/applications/a1/deficiencies", `{"reason":"no NTN"}`},
		{"reject", []string{"applications", "reject", "a1", "--reason", "out of scope"}, "/v1/applications/a1/reject", `{"reason":"out of scope"}`},
		{"withdraw without reason", []string{"applications", "withdraw", "a1"}, "/v1/applications/a1/withdraw", ""},
		{"withdraw with reason", []string{"applications", "withdraw", "a1", "--reason", "moved"}, "/v1/applications/a1/withdraw", `{"reason":"moved"}`},
		{"suspend", []string{"licences", "suspend", "l1", "--reason", "unpaid lease"}, "/v1/licences/l1/suspend", `{"reason":"unpaid lease"}`},
		{"reinstate", []string{"licences", "reinstate", "l1"}, "/v1/licences/l1/reinstate", ""},
		{"show-cause", []string{"licences", "show-cause", "l1", "--reason", "no report", "--reply-due", "2026-04-15"},
			"/v1/licences/l1/show-cause", `{"reason":"no report","reply_due":"2026-04-15"}`},
		{"reply-show-cause", []string{"licences", "reply-show-cause", "l1", "--reply", "exports resumed in May"},
			"/v1/licences/l1/show-cause/reply", `{"reply":"exports resumed in May"}`},
		{"revoke", []string{"licences", "revoke", "l1", "--reason", "fraud"}, "/v1/licences/l1/revoke", `{"reason":"fraud"}`},
		{"surrender", []string{"licences", "surrender", "l1", "--reason", "closing"}, "/v1/licences/l1/surrender", `{"reason":"closing"}`},
		{"id is escaped", []string{"licences", "revoke", "a/b", "--reason", "x"}, "/v1/licences/a%2Fb/revoke", `{"reason":"x"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			api.reply("POST /v1/applications/{id}/{action}", http.StatusOK, "application/json", applicationJSON)
			api.reply("POST /v1/licences/{id}/{action}", http.StatusOK, "application/json", licenceJSON)
			api.reply("POST /v1/licences/{id}/show-cause/reply", http.StatusOK, "application/json", licenceJSON)
			res := runCLI(t, nil, "", append([]string{"--tenants-url", api.srv.URL, "--token", "t"}, tt.args...)...)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			req := api.only()
			if req.method != http.MethodPost {
				t.Errorf("method %s", req.method)
			}
			if req.path != tt.wantPath {
				t.Errorf("path %s, want %s", req.path, tt.wantPath)
			}
			switch {
			case tt.wantBody == "" && req.body != "":
				t.Errorf("body %q, want none", req.body)
			case tt.wantBody != "" && !jsonEqual(t, req.body, tt.wantBody):
				t.Errorf("body %s, want %s", req.body, tt.wantBody)
			}
			if res.stdout == "" {
				t.Error("printed nothing")
			}
		})
	}
}

func TestActionFlagsAreCheckedBeforeAnyRequest(t *testing.T) {
	api := newFakeAPI(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"reason required", []string{"licences", "suspend", "l1"}, `"reason" not set`},
		{"reply date required", []string{"licences", "show-cause", "l1", "--reason", "x"}, `"reply-due" not set`},
		{"reply required", []string{"licences", "reply-show-cause", "l1"}, `"reply" not set`},
		{"reply date shape", []string{"applications", "deficiency", "a1", "--reason", "x", "--reply-due", "1/4/2026"}, "must be a date"},
		{"missing id", []string{"applications", "approve"}, "accepts 1 arg"},
		{"bad output", []string{"-o", "yaml", "licences", "get", "l1"}, "--output must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, "", append([]string{"--tenants-url", api.srv.URL, "--token", "t"}, tt.args...)...)
			if res.code != 1 || !strings.Contains(res.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q, want %q", res.code, res.stderr, tt.want)
			}
		})
	}
	if n := len(api.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestGetAndHistoryPrintTables(t *testing.T) {
	api := newFakeAPI(t)
	api.reply("GET /v1/licences/{id}", http.StatusOK, "application/json", licenceJSON)
	api.reply("GET /v1/applications/{id}/history", http.StatusOK, "application/json", `{"items":[
		{"at":"2026-03-01T09:00:00Z","actor":{"subject":"ayesha","role":"tenant"},"action":"create","from":"","to":"draft"},
		{"at":"2026-03-02T09:00:00Z","actor":{"subject":"op","role":"operator"},"action":"reject","from":"submitted","to":"rejected","reason":"out\tof scope"}]}`)
	res := runCLI(t, nil, "", "--tenants-url", api.srv.URL, "--token", "t", "licences", "get", "lic-1")
	for _, want := range []string{"STZ-ISB-2026-0001", "suspended", "2036-02-29", "PKR 1.00"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("licence output lacks %q:\n%s", want, res.stdout)
		}
	}
	res = runCLI(t, nil, "", "--tenants-url", api.srv.URL, "--token", "t", "applications", "history", "a1")
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "out of scope") || !strings.HasPrefix(lines[0], "AT") {
		t.Fatalf("history table:\n%s", res.stdout)
	}
}

func TestLicenceShowsItsShowCauseNoticeAndTheReply(t *testing.T) {
	notice := `"show_cause":{"reason":"no exports","issued_at":"2026-03-05T09:00:00Z","reply_due":"2026-03-19"`
	tests := []struct {
		name      string
		showCause string
		want      []string
		wantNot   []string
	}{
		{"unanswered", notice + `}`, []string{"no exports", "2026-03-19"}, []string{"Replied"}},
		{"answered", notice + `,"reply":"exports resumed in May","replied_at":"2026-03-10T06:00:00Z"}`,
			[]string{"no exports", "2026-03-19", "exports resumed in May", "Replied"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			api.reply("GET /v1/licences/{id}", http.StatusOK, "application/json", strings.Replace(licenceJSON, `"version":2`, tt.showCause+`,"version":2`, 1))
			res := runCLI(t, nil, "", "--tenants-url", api.srv.URL, "--token", "t", "licences", "get", "lic-1")
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, res.stdout)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(res.stdout, w) {
					t.Errorf("output has %q:\n%s", w, res.stdout)
				}
			}
		})
	}
}

func TestMissingURLOrTokenSaysWhatToDo(t *testing.T) {
	res := runCLI(t, nil, "", "--token", "t", "applications", "get", "a1")
	if res.code != 1 || !strings.Contains(res.stderr, "make run") || !strings.Contains(res.stderr, "--tenants-url") {
		t.Fatalf("no URL: exit %d, stderr %s", res.code, res.stderr)
	}
	res = runCLI(t, nil, "", "--tenants-url", "http://127.0.0.1:1", "applications", "get", "a1")
	if res.code != 1 || !strings.Contains(res.stderr, EnvToken) {
		t.Fatalf("no token: exit %d, stderr %s", res.code, res.stderr)
	}
}
