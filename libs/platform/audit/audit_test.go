package audit

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

type action string

func fields(t *testing.T, f *fault.Fields) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := f.Err()
	if err == nil {
		return got
	}
	var ve *fault.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *fault.ValidationError", err)
	}
	for _, fe := range ve.Fields {
		got[fe.Field] = fe.Reason
	}
	return got
}

func TestEntryJSON(t *testing.T) {
	e := Entry[action]{
		At:     time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Actor:  Actor{Subject: "u1", Role: RoleOperator},
		Action: "approve",
		From:   "submitted",
		To:     "approved",
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"at":"2026-01-02T03:04:05Z","actor":{"subject":"u1","role":"operator"},"action":"approve","from":"submitted","to":"approved"}`
	if string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	e.Reason = "why"
	b, _ = json.Marshal(e)
	if !strings.HasSuffix(string(b), `,"reason":"why"}`) {
		t.Fatalf("reason not last: %s", b)
	}
}

func TestCheck(t *testing.T) {
	var f fault.Fields
	Check(&f, time.Time{}, Actor{Subject: "  "})
	got := fields(t, &f)
	if got["at"] != "required" || got["actor.subject"] != "required" || len(got) != 2 {
		t.Fatalf("got %v", got)
	}
	f = fault.Fields{}
	Check(&f, time.Now(), Actor{Subject: "u1", Role: RoleSystem})
	if err := f.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestReason(t *testing.T) {
	tests := []struct {
		name, in string
		required bool
		want     string // the field's reason, "" for none
		out      string
	}{
		{"trimmed", "  fine \n", true, "", "fine"},
		{"optional blank", "  ", false, "", ""},
		{"required blank", " ", true, "say why", ""},
		{"lines and tabs", "a\n\tb\r\n", true, "", "a\n\tb"},
		{"nul", "a\x00b", false, "must not contain control characters other than line breaks and tabs", "a\x00b"},
		{"escape", "a\x1bb", true, "must not contain control characters other than line breaks and tabs", "a\x1bb"},
		{"at most", strings.Repeat("é", MaxReasonLength), true, "", strings.Repeat("é", MaxReasonLength)},
		{"too long", strings.Repeat("x", MaxReasonLength+1), true, "must be at most 4000 characters", strings.Repeat("x", MaxReasonLength+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f fault.Fields
			out := Reason(&f, tt.in, tt.required, "say why")
			if out != tt.out {
				t.Fatalf("returned %q, want %q", out, tt.out)
			}
			if got := fields(t, &f)["reason"]; got != tt.want {
				t.Fatalf("reason %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextFilesItsRulesUnderTheGivenField(t *testing.T) {
	var f fault.Fields
	if out := Text(&f, "reply", "  ", true, "required: answer the notice"); out != "" {
		t.Fatalf("returned %q", out)
	}
	Text(&f, "note", "a\x00b", false, "")
	got := fields(t, &f)
	if got["reply"] != "required: answer the notice" || got["note"] == "" || got["reason"] != "" {
		t.Fatalf("fields %v", got)
	}
}

func TestAppendRecordsOneTransitionAfterTheEarlierOnes(t *testing.T) {
	type status string
	at := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	who := Actor{Subject: "op-1", Role: RoleOperator}
	tests := []struct {
		name     string
		history  []Entry[action]
		from, to status
		why      string
		want     []Entry[action]
	}{
		{"the first entry has no status before", nil, "", "draft", "",
			[]Entry[action]{{At: at, Actor: who, Action: "act", To: "draft"}}},
		{"a later entry keeps the earlier ones first", []Entry[action]{{Action: "create", To: "draft"}}, "draft", "closed", "done",
			[]Entry[action]{{Action: "create", To: "draft"}, {At: at, Actor: who, Action: "act", From: "draft", To: "closed", Reason: "done"}}},
		{"an action that keeps the status", nil, "open", "open", "a note",
			[]Entry[action]{{At: at, Actor: who, Action: "act", From: "open", To: "open", Reason: "a note"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Append(tt.history, at, who, action("act"), tt.from, tt.to, tt.why)
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("entry %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
