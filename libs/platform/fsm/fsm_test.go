package fsm

import (
	"errors"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

type (
	status string
	action string
)

var table = map[action]Move[status]{
	"submit": {From: []status{"draft"}, To: "submitted"},
	"update": {From: []status{"draft"}},
}

func TestNext(t *testing.T) {
	if to, err := Next(table, "application", "submit", status("draft")); err != nil || to != "submitted" {
		t.Fatalf("submit: %q, %v", to, err)
	}
	if to, err := Next(table, "application", "update", status("draft")); err != nil || to != "draft" {
		t.Fatalf("update keeps the state: %q, %v", to, err)
	}
	for _, tt := range []struct {
		act action
		cur status
	}{{"submit", "submitted"}, {"delete", "draft"}} {
		to, err := Next(table, "application", tt.act, tt.cur)
		var se *fault.StateError
		if to != "" || !errors.As(err, &se) {
			t.Fatalf("%s from %s: %q, %v", tt.act, tt.cur, to, err)
		}
		if se.Entity != "application" || se.Action != string(tt.act) || se.Current != string(tt.cur) {
			t.Fatalf("state error %+v", se)
		}
	}
}
