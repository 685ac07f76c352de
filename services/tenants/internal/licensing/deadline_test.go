package licensing

import (
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/civil"
	"github.com/zoneops/zoneops/libs/platform/civil/civiltest"
)

// pk returns the instant of a wall-clock time in Karachi.
func pk(s string) time.Time { return civiltest.In(civil.PakistanStandardTime(), s) }

var utc = civiltest.UTC

func TestDecisionIsDueThirtyCalendarDaysAfterSubmissionInZoneTime(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		at     time.Time
		want   string
	}{
		{"default policy", DefaultPolicy(), pk("2026-03-02 09:00"), "2026-04-01"},
		{"zero policy means the defaults", Policy{}, pk("2026-03-02 09:00"), "2026-04-01"},
		{"23:30 UTC is already the next day in Karachi", DefaultPolicy(), utc("2026-01-31T23:30:00Z"), "2026-03-03"},
		{"18:59 UTC is still the same day in Karachi", DefaultPolicy(), utc("2026-01-31T18:59:00Z"), "2026-03-02"},
		{"the same instant counted in UTC", Policy{Location: time.UTC}, utc("2026-01-31T23:30:00Z"), "2026-03-02"},
		{"configured days", Policy{DecisionDays: 60}, pk("2026-03-02 09:00"), "2026-05-01"},
		{"across a leap day", DefaultPolicy(), pk("2028-02-15 12:00"), "2028-03-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appIn(t, ApplicationDraft)
			must(t, a.Submit(tt.at, tenant, tt.policy))
			if a.DecisionDue == nil || a.DecisionDue.String() != tt.want {
				t.Fatalf("decision due %v, want %s", a.DecisionDue, tt.want)
			}
		})
	}
}

// round is one deficiency: noted at one instant, answered at another.
type round struct{ noted, resubmitted time.Time }

func TestDecisionClockPausesWhileApplicantOwesAReply(t *testing.T) {
	tests := []struct {
		name       string
		submitted  time.Time
		rounds     []round
		wantDue    string
		wantPaused int
	}{
		{
			name:      "no deficiency",
			submitted: pk("2026-03-02 09:00"), wantDue: "2026-04-01",
		},
		{
			name:      "one round of five days",
			submitted: pk("2026-03-02 09:00"),
			rounds:    []round{{pk("2026-03-10 11:00"), pk("2026-03-15 16:00")}},
			wantDue:   "2026-04-06", wantPaused: 5,
		},
		{
			name:      "answered the same day costs nothing",
			submitted: pk("2026-03-02 09:00"),
			rounds:    []round{{pk("2026-03-10 09:00"), pk("2026-03-10 17:30")}},
			wantDue:   "2026-04-01", wantPaused: 0,
		},
		{
			name:      "several rounds add up",
			submitted: pk("2026-03-02 09:00"),
			rounds: []round{
				{pk("2026-03-10 11:00"), pk("2026-03-15 16:00")}, // 5
				{pk("2026-03-20 10:00"), pk("2026-03-20 15:00")}, // 0
				{pk("2026-03-25 10:00"), pk("2026-04-05 08:00")}, // 11
			},
			wantDue: "2026-04-17", wantPaused: 16,
		},
		{
			name:      "a minute across Karachi midnight is a whole day",
			submitted: utc("2026-01-31T23:30:00Z"), // 2026-02-01 04:30 PKT, due 2026-03-03
			rounds:    []round{{utc("2026-02-10T18:59:00Z"), utc("2026-02-10T19:00:00Z")}},
			wantDue:   "2026-03-04", wantPaused: 1,
		},
		{
			name:      "22 hours within one Karachi day is none",
			submitted: utc("2026-01-31T23:30:00Z"),
			rounds:    []round{{utc("2026-02-10T19:30:00Z"), utc("2026-02-11T18:00:00Z")}},
			wantDue:   "2026-03-03", wantPaused: 0,
		},
		{
			name:      "a pause that outlasts the deadline still moves it",
			submitted: pk("2026-03-02 09:00"),
			rounds:    []round{{pk("2026-03-31 09:00"), pk("2026-05-10 09:00")}},
			wantDue:   "2026-05-11", wantPaused: 40,
		},
		{
			name:      "a clock that went backwards does not pull the deadline earlier",
			submitted: pk("2026-03-02 09:00"),
			rounds:    []round{{pk("2026-03-10 09:00"), pk("2026-03-08 09:00")}},
			wantDue:   "2026-04-01", wantPaused: 0,
		},
	}
	p := DefaultPolicy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appIn(t, ApplicationDraft)
			must(t, a.Submit(tt.submitted, tenant, p))
			for _, r := range tt.rounds {
				must(t, a.NoteDeficiency(r.noted, operator, "documents missing", nil, p))
				if a.PausedAt == nil || !a.PausedAt.Equal(r.noted) {
					t.Fatalf("paused at %v, want %v", a.PausedAt, r.noted)
				}
				must(t, a.Resubmit(r.resubmitted, tenant, p))
				if a.PausedAt != nil {
					t.Fatalf("still paused after resubmission")
				}
			}
			if a.DecisionDue.String() != tt.wantDue || a.PausedDays != tt.wantPaused {
				t.Fatalf("due %s after %d paused days, want %s after %d", a.DecisionDue, a.PausedDays, tt.wantDue, tt.wantPaused)
			}
			if !a.SubmittedAt.Equal(tt.submitted) {
				t.Errorf("resubmission changed the submission time to %v", a.SubmittedAt)
			}
		})
	}
}

func TestOverdueOnlyWhileTheAuthorityHoldsTheApplication(t *testing.T) {
	// Every fixture is submitted on 2026-03-02 (PKT), so the decision is due 2026-04-01 unless
	// a deficiency moved it.
	tests := []struct {
		name   string
		status ApplicationStatus
		now    time.Time
		want   bool
	}{
		{"submitted, on the due date", ApplicationSubmitted, pk("2026-04-01 23:59"), false},
		{"submitted, first minute after the due date", ApplicationSubmitted, pk("2026-04-02 00:00"), true},
		{"submitted, 18:59 UTC on the due date", ApplicationSubmitted, utc("2026-04-01T18:59:00Z"), false},
		{"submitted, 19:00 UTC on the due date is the next day in Karachi", ApplicationSubmitted, utc("2026-04-01T19:00:00Z"), true},
		// The resubmitted fixture was deficient from day 1 to day 2: due 2026-04-02.
		{"resubmitted, on the moved due date", ApplicationResubmitted, pk("2026-04-02 12:00"), false},
		{"resubmitted, after the moved due date", ApplicationResubmitted, pk("2026-04-03 00:00"), true},
		{"deficient: the clock is paused", ApplicationDeficient, pk("2026-06-01 12:00"), false},
		{"draft", ApplicationDraft, pk("2026-06-01 12:00"), false},
		{"approved", ApplicationApproved, pk("2026-06-01 12:00"), false},
		{"rejected", ApplicationRejected, pk("2026-06-01 12:00"), false},
		{"withdrawn", ApplicationWithdrawn, pk("2026-06-01 12:00"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appIn(t, tt.status)
			if got := a.Overdue(tt.now, civil.PakistanStandardTime()); got != tt.want {
				t.Fatalf("Overdue = %v, want %v (due %v)", got, tt.want, a.DecisionDue)
			}
		})
	}
}

func TestDaysToDecisionCountsDownAndFreezesWhileDeficient(t *testing.T) {
	p := DefaultPolicy()
	loc := p.Location
	a := appIn(t, ApplicationDraft)
	if _, ok := a.DaysToDecision(pk("2026-03-02 09:00"), loc); ok {
		t.Fatalf("a draft has no decision pending")
	}
	must(t, a.Submit(pk("2026-03-02 09:00"), tenant, p)) // due 2026-04-01
	steps := []struct {
		name string
		do   func()
		now  time.Time
		want int
	}{
		{"on submission", nil, pk("2026-03-02 10:00"), 30},
		{"ten days later", nil, pk("2026-03-12 10:00"), 20},
		{"paused on day 12", func() { must(t, a.NoteDeficiency(pk("2026-03-14 10:00"), operator, "missing NOC", nil, p)) }, pk("2026-03-14 10:00"), 18},
		{"frozen while deficient", nil, pk("2026-03-25 10:00"), 18},
		{"resumed with the same days left", func() { must(t, a.Resubmit(pk("2026-03-25 11:00"), tenant, p)) }, pk("2026-03-25 12:00"), 18},
		{"on the due date", nil, pk("2026-04-12 12:00"), 0},
		{"overdue by two days", nil, pk("2026-04-14 12:00"), -2},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		got, ok := a.DaysToDecision(s.now, loc)
		if !ok || got != s.want {
			t.Fatalf("%s: DaysToDecision = %d, %v; want %d", s.name, got, ok, s.want)
		}
	}
	_, err := Grant(a, "lic-1", "STZ-ISB-2026-0001", pk("2026-04-14 12:00"), operator, p)
	must(t, err)
	if _, ok := a.DaysToDecision(pk("2026-04-15 12:00"), loc); ok {
		t.Fatalf("a decided application has no decision pending")
	}
}
