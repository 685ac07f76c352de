package leasing

import (
	"reflect"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
)

func TestConstructionDeadlinesAreTheLastDayOfTheirPeriod(t *testing.T) {
	tests := []struct {
		name                string
		start               string
		months              int
		policy              Policy
		startDue, completed string
	}{
		{"defaults: 12 and 36 months", "2026-04-01", 60, DefaultPolicy(), "2027-03-31", "2029-03-31"},
		{"zero policy means the defaults", "2026-04-01", 60, Policy{}, "2027-03-31", "2029-03-31"},
		{"configured periods", "2026-04-01", 60, Policy{ConstructionStartMonths: 6, ConstructionCompleteMonths: 24}, "2026-09-30", "2028-03-31"},
		{"from the end of a month", "2026-05-31", 60, DefaultPolicy(), "2027-05-30", "2029-05-30"},
		{"from a leap day", "2028-02-29", 60, DefaultPolicy(), "2029-02-27", "2031-02-27"},
		{"completion never after the lease's end", "2026-04-01", 24, DefaultPolicy(), "2027-03-31", "2028-03-31"},
		{"neither after the lease's end", "2026-04-01", 6, DefaultPolicy(), "2026-09-30", "2026-09-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validTerms()
			in.StartDate, in.TermMonths, in.OfferValidUntil = tt.start, tt.months, "2026-03-20"
			l := leaseOf(t, plot1, in, tt.policy)
			if l.ConstructionStartDue.String() != tt.startDue || l.ConstructionCompleteDue.String() != tt.completed {
				t.Fatalf("due %s and %s, want %s and %s", l.ConstructionStartDue, l.ConstructionCompleteDue, tt.startDue, tt.completed)
			}
		})
	}
}

func TestRecordMilestoneRules(t *testing.T) {
	p := DefaultPolicy()
	at := pk("2026-08-01 10:00")
	started := func(l *Lease) {
		must(t, l.RecordMilestone(MilestoneConstructionStarted, date("2026-06-01"), at, developer, p))
	}
	none := func(*Lease) {}
	tests := []struct {
		name    string
		space   Space
		before  func(*Lease)
		kind    MilestoneKind
		on      string
		at      time.Time
		want    error
		fields  []string
		started string
		done    string
	}{
		{"start", plot1, none, MilestoneConstructionStarted, "2026-06-01", at, nil, nil, "2026-06-01", ""},
		{"start on the lease's first day", plot1, none, MilestoneConstructionStarted, "2026-04-01", at, nil, nil, "2026-04-01", ""},
		{"start today", plot1, none, MilestoneConstructionStarted, "2026-08-01", at, nil, nil, "2026-08-01", ""},
		{"complete after start", plot1, started, MilestoneConstructionCompleted, "2026-07-31", at, nil, nil, "2026-06-01", "2026-07-31"},
		{"complete on the day it started", plot1, started, MilestoneConstructionCompleted, "2026-06-01", at, nil, nil, "2026-06-01", "2026-06-01"},
		{"complete without a start", plot1, none, MilestoneConstructionCompleted, "2026-06-01", at, ErrMilestoneOrder, nil, "", ""},
		{"complete before it started", plot1, started, MilestoneConstructionCompleted, "2026-05-31", at, ErrMilestoneOrder, nil, "2026-06-01", ""},
		{"start twice", plot1, started, MilestoneConstructionStarted, "2026-07-01", at, ErrMilestoneRecorded, nil, "2026-06-01", ""},
		{"a unit lease has no milestones", unit1, none, MilestoneConstructionStarted, "2026-06-01", at, ErrNotLandLease, nil, "", ""},
		{"in the future", plot1, none, MilestoneConstructionStarted, "2026-08-02", at, nil, []string{"on"}, "", ""},
		{"tomorrow in Karachi is today in UTC", plot1, none, MilestoneConstructionStarted, "2026-08-02", utc("2026-08-01T18:00:00Z"), nil, []string{"on"}, "", ""},
		{"before the lease starts", plot1, none, MilestoneConstructionStarted, "2026-03-31", at, nil, []string{"on"}, "", ""},
		{"unknown kind and no date", plot1, none, "foundation_laid", "", at, nil, []string{"kind", "on"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := leaseOf(t, tt.space, validTerms(), p)
			tt.before(l)
			version := l.Version
			var on Date
			if tt.on != "" {
				on = date(tt.on)
			}
			err := l.RecordMilestone(tt.kind, on, tt.at, developer, p)
			switch {
			case tt.fields != nil:
				faulttest.WantFields(t, err, tt.fields...)
			case tt.want != nil:
				if !errorsIs(err, tt.want) {
					t.Fatalf("err %v, want %v", err, tt.want)
				}
			default:
				must(t, err)
				if l.Version != version+1 {
					t.Fatalf("version %d", l.Version)
				}
			}
			if ds(l.ConstructionStarted) != tt.started || ds(l.ConstructionCompleted) != tt.done {
				t.Fatalf("started %v completed %v", l.ConstructionStarted, l.ConstructionCompleted)
			}
		})
	}
}

func TestMilestoneErrorsHaveTheirKind(t *testing.T) {
	wantErr(t, ErrMilestoneOrder, ErrMilestoneOrder, fault.ErrRule)
	wantErr(t, ErrNotLandLease, ErrNotLandLease, fault.ErrRule)
	wantErr(t, ErrMilestoneRecorded, ErrMilestoneRecorded, fault.ErrConflict)
}

func TestMissedMilestoneMarksTheLeaseIdleAndIsReportedOnce(t *testing.T) {
	p := DefaultPolicy()
	l := leaseIn(t, LeaseActive) // construction start due 2027-03-31, completion 2029-03-31
	check := func(at time.Time) *Milestone {
		t.Helper()
		m, err := l.CheckMilestones(at, system, p)
		must(t, err)
		return m
	}

	if m := check(pk("2027-03-31 23:59")); m != nil || l.Idle || l.Version != 1 {
		t.Fatalf("on the due date: missed %v idle %v v%d", m, l.Idle, l.Version)
	}
	m := check(pk("2027-04-01 00:00"))
	if m == nil || *m != (Milestone{Kind: MilestoneConstructionStarted, Due: date("2027-03-31")}) {
		t.Fatalf("missed %v", m)
	}
	if !l.Idle || l.IdleReason == "" || l.Version != 2 || l.Status != LeaseActive {
		t.Fatalf("idle %v (%q) v%d %s", l.Idle, l.IdleReason, l.Version, l.Status)
	}
	if h := l.History[len(l.History)-1]; h.Action != ActionCheckMilestones || h.Actor != system || h.Reason != l.IdleReason {
		t.Fatalf("history %+v", h)
	}
	if m.MissedName() != "construction_start" {
		t.Fatalf("missed name %s", m.MissedName())
	}
	if m := check(pk("2027-04-02 00:00")); m != nil || l.Version != 2 {
		t.Fatalf("reported twice: %v v%d", m, l.Version)
	}

	// Construction starts late: the plot is in use again.
	must(t, l.RecordMilestone(MilestoneConstructionStarted, date("2027-05-01"), pk("2027-05-02 10:00"), developer, p))
	if l.Idle || l.IdleReason != "" {
		t.Fatalf("still idle after construction started: %q", l.IdleReason)
	}
	if m := check(pk("2028-01-01 00:00")); m != nil || l.Idle {
		t.Fatalf("a recorded miss came back: %v", m)
	}

	// Completion is missed in its turn, and reported once.
	m = check(pk("2029-04-01 00:00"))
	if m == nil || *m != (Milestone{Kind: MilestoneConstructionCompleted, Due: date("2029-03-31")}) || !l.Idle {
		t.Fatalf("missed %v idle %v", m, l.Idle)
	}
	if m.MissedName() != "construction_completion" {
		t.Fatalf("missed name %s", m.MissedName())
	}
	if m := check(pk("2029-06-01 00:00")); m != nil {
		t.Fatalf("reported twice: %v", m)
	}
	if !reflect.DeepEqual(l.Missed, []Milestone{{MilestoneConstructionStarted, date("2027-03-31")}, {MilestoneConstructionCompleted, date("2029-03-31")}}) {
		t.Fatalf("missed list %v", l.Missed)
	}
	must(t, l.RecordMilestone(MilestoneConstructionCompleted, date("2029-07-01"), pk("2029-07-01 10:00"), developer, p))
	if l.Idle {
		t.Fatalf("still idle after completion")
	}
}

func TestBothMilestonesMissedAtOnceAreReportedOneVersionEach(t *testing.T) {
	l := leaseIn(t, LeaseActive)
	want := []Milestone{{MilestoneConstructionStarted, date("2027-03-31")}, {MilestoneConstructionCompleted, date("2029-03-31")}}
	var got []Milestone
	for i := 0; i < 3; i++ {
		m, err := l.CheckMilestones(pk("2030-01-01 00:00"), system, DefaultPolicy())
		must(t, err)
		if m == nil {
			break
		}
		got = append(got, *m)
		if l.Version != int64(2+i) {
			t.Fatalf("report %d at version %d, want %d", i+1, l.Version, 2+i)
		}
	}
	if !reflect.DeepEqual(got, want) || !l.Idle {
		t.Fatalf("missed %v idle %v", got, l.Idle)
	}
	// Starting late still leaves the completion missed.
	must(t, l.RecordMilestone(MilestoneConstructionStarted, date("2030-01-01"), pk("2030-01-01 10:00"), developer, DefaultPolicy()))
	if !l.Idle {
		t.Fatalf("completion still missing, but not idle")
	}
}

func TestMilestonesOnTimeOrOfUnitLeasesNeverMarkIdle(t *testing.T) {
	p := DefaultPolicy()
	l := leaseIn(t, LeaseActive)
	must(t, l.RecordMilestone(MilestoneConstructionStarted, date("2027-03-31"), pk("2027-03-31 10:00"), developer, p))
	must(t, l.RecordMilestone(MilestoneConstructionCompleted, date("2029-03-31"), pk("2029-03-31 10:00"), developer, p))
	if m, err := l.CheckMilestones(pk("2035-01-01 00:00"), system, p); err != nil || m != nil || l.Idle {
		t.Fatalf("on-time milestones: %v %v idle %v", m, err, l.Idle)
	}
	u := leaseOf(t, unit1, validTerms(), p)
	if m, err := u.CheckMilestones(pk("2035-01-01 00:00"), system, p); err != nil || m != nil || u.Idle || u.Version != 1 {
		t.Fatalf("unit lease: %v %v idle %v", m, err, u.Idle)
	}
}

func TestEndingAnIdleLeaseClearsTheIdleMark(t *testing.T) {
	p := DefaultPolicy()
	l := leaseIn(t, LeaseActive)
	_, err := l.CheckMilestones(pk("2027-04-01 00:00"), system, p)
	must(t, err)
	must(t, l.Terminate(date("2027-04-01"), "construction not started", pk("2027-04-01 10:00"), developer, p))
	ended, err := l.EndIfDue(pk("2027-07-02 00:00"), system, p)
	must(t, err)
	if !ended || l.Idle {
		t.Fatalf("ended %v idle %v", ended, l.Idle)
	}
}
