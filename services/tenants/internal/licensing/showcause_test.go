package licensing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

// noticed returns an active licence with a show-cause notice issued on day(20) (2026-03-22 in
// Karachi) and a reply due on 2026-04-05.
func noticed(t *testing.T) *Licence {
	t.Helper()
	l := licenceIn(t, LicenceActive)
	must(t, l.IssueShowCause(day(20), operator, "no operations for a year", date("2026-04-05"), DefaultPolicy()))
	return l
}

// wantConflictNaming asserts err is a 409 state error wrapping sentinel whose text names each
// of words, and that the licence did not change.
func wantConflictNaming(t *testing.T, err error, l *Licence, version int64, entries int, action string, sentinel error, words ...string) {
	t.Helper()
	wantState(t, err, "licence", action, string(l.Status))
	if !errors.Is(err, sentinel) {
		t.Errorf("err %v, want %v", err, sentinel)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("err %q does not name %q", err, w)
		}
	}
	if l.Version != version || len(l.History) != entries {
		t.Fatalf("refused %s changed the licence: v%d with %d entries, want v%d with %d", action, l.Version, len(l.History), version, entries)
	}
}

func TestOneShowCauseNoticeIsOpenAtATime(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name    string
		before  func(t *testing.T, l *Licence) // what happened to the first notice
		at      time.Time                      // when the second notice is issued
		allowed bool
	}{
		{"a second notice while the first awaits its reply", func(*testing.T, *Licence) {}, day(21), false},
		{"on the reply date the first is still open", func(*testing.T, *Licence) {}, pk("2026-04-05 23:59"), false},
		{"19:00 UTC on the reply date is the next day in Karachi: the first has lapsed",
			func(*testing.T, *Licence) {}, utc("2026-04-05T19:00:00Z"), true},
		{"once the licensee replied, a further notice may follow", func(t *testing.T, l *Licence) {
			must(t, l.ReplyShowCause(day(22), tenant, "we resumed operations"))
		}, day(23), true},
		{"reinstatement discharged the first", func(t *testing.T, l *Licence) {
			must(t, l.Suspend(day(21), operator, "no operations"))
			must(t, l.Reinstate(day(22), operator, "operations resumed"))
		}, day(23), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := noticed(t)
			tt.before(t, l)
			version, entries, first := l.Version, len(l.History), l.ShowCause
			reply := DateOf(tt.at, nil).AddDays(14)
			err := l.IssueShowCause(tt.at, operator, "exports below commitment", reply, p)
			if !tt.allowed {
				wantConflictNaming(t, err, l, version, entries, string(ActionIssueShowCause), ErrShowCauseOpen, "2026-03-22", "2026-04-05")
				if l.ShowCause != first {
					t.Fatalf("refused notice replaced the open one: %+v", l.ShowCause)
				}
				return
			}
			must(t, err)
			if l.ShowCause.ReplyDue != reply || l.ShowCause.RepliedAt != nil || l.ShowCause.Reason != "exports below commitment" {
				t.Fatalf("new notice %+v", l.ShowCause)
			}
		})
	}
}

func TestRepeatedShowCauseNoticesAreRefusedWhileOneIsOpen(t *testing.T) {
	l := licenceIn(t, LicenceActive)
	accepted := 0
	for i := range 28 {
		if err := l.IssueShowCause(day(20).Add(time.Duration(i)*time.Minute), operator, "breach", date("2026-04-05"), DefaultPolicy()); err == nil {
			accepted++
		} else if !errors.Is(err, ErrShowCauseOpen) {
			t.Fatalf("notice %d: err %v, want ErrShowCauseOpen", i+1, err)
		}
	}
	if accepted != 1 {
		t.Fatalf("%d of 28 notices accepted, want 1", accepted)
	}
	notices := 0
	for _, h := range l.History {
		if h.Action == ActionIssueShowCause {
			notices++
		}
	}
	if notices != 1 {
		t.Fatalf("%d notices in history, want 1", notices)
	}
}

func TestRevocationWaitsForTheReplyOrTheReplyDate(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name    string
		replied bool // the licensee replied on day(22)
		at      time.Time
		allowed bool
	}{
		{"the day after the notice, unanswered", false, day(21), false},
		{"on the reply date, unanswered", false, pk("2026-04-05 23:59"), false},
		{"18:59 UTC on the reply date is still the reply date in Karachi", false, utc("2026-04-05T18:59:00Z"), false},
		{"the day after the reply date, unanswered", false, utc("2026-04-05T19:00:00Z"), true},
		{"the day after the licensee replied, before the reply date", true, day(23), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := noticed(t)
			if tt.replied {
				must(t, l.ReplyShowCause(day(22), tenant, "the breach is remedied"))
			}
			version, entries := l.Version, len(l.History)
			err := l.Revoke(tt.at, operator, "no operations", p)
			if !tt.allowed {
				wantConflictNaming(t, err, l, version, entries, string(ActionRevoke), ErrShowCauseReplyPending, "2026-04-05")
				if l.Status != LicenceActive {
					t.Fatalf("status %s", l.Status)
				}
				return
			}
			must(t, err)
			if l.Status != LicenceRevoked {
				t.Fatalf("status %s, want revoked", l.Status)
			}
		})
	}
}

func TestLicenseeRepliesToTheShowCauseNotice(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(t *testing.T) *Licence
		at       time.Time
		reply    string
		fields   []string // a 400 naming these fields
		conflict error    // or a 409 wrapping this
	}{
		{"the reply is recorded", noticed, day(22), "  we resumed operations in March \n", nil, nil},
		{"a late reply is still recorded", noticed, day(40), "our auditor was late", nil, nil},
		{"a reply is required", noticed, day(22), " \n ", []string{"reply"}, nil},
		{"a reply is a letter, not binary", noticed, day(22), "ok\x1b[2J", []string{"reply"}, nil},
		{"a reply is bounded", noticed, day(22), strings.Repeat("x", audit.MaxReasonLength+1), []string{"reply"}, nil},
		{"there is no notice to answer", func(t *testing.T) *Licence { return licenceIn(t, LicenceActive) }, day(22), "nothing to say", nil, ErrNoShowCause},
		{"a notice takes one reply", func(t *testing.T) *Licence {
			l := noticed(t)
			must(t, l.ReplyShowCause(day(21), tenant, "first answer"))
			return l
		}, day(22), "second answer", nil, ErrShowCauseAnswered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.prepare(t)
			version, entries := l.Version, len(l.History)
			before := l.ShowCause
			err := l.ReplyShowCause(tt.at, tenant, tt.reply)
			switch {
			case tt.fields != nil:
				faulttest.WantFields(t, err, tt.fields...)
				if l.Version != version || l.ShowCause != before {
					t.Fatalf("refused reply changed the licence")
				}
				return
			case tt.conflict != nil:
				wantConflictNaming(t, err, l, version, entries, string(ActionReplyShowCause), tt.conflict)
				return
			}
			must(t, err)
			want := strings.TrimSpace(tt.reply)
			at := tt.at.UTC()
			sc := l.ShowCause
			if sc.Reply != want || sc.RepliedAt == nil || !sc.RepliedAt.Equal(at) || sc.ReplyDue != date("2026-04-05") {
				t.Fatalf("notice %+v", sc)
			}
			if before.Reply != "" || before.RepliedAt != nil {
				t.Fatalf("the reply changed the notice as it was before: %+v", before)
			}
			if l.Status != LicenceActive || l.Version != version+1 || len(l.History) != entries+1 {
				t.Fatalf("status %s v%d with %d entries", l.Status, l.Version, len(l.History))
			}
			if h := l.History[entries]; h != (HistoryEntry{At: at, Actor: tenant, Action: ActionReplyShowCause, From: "active", To: "active", Reason: want}) {
				t.Fatalf("history %+v", h)
			}
			if sc.Open(tt.at, nil) {
				t.Fatalf("an answered notice is still open")
			}
		})
	}
}
