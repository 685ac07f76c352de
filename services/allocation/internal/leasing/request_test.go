package leasing

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zoneops/zoneops/libs/platform/audit"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/fault/faulttest"
	"github.com/zoneops/zoneops/libs/platform/fsm/fsmtest"
)

// doRequest performs act with arguments valid for that act, so only the state machine can
// refuse: acceptance within the offer's validity, expiry after it.
func doRequest(t *testing.T, r *Request, act Action) error {
	t.Helper()
	p := DefaultPolicy()
	switch act {
	case ActionOffer:
		return r.MakeOffer(plot1, terms(t, validTerms()), activeLicence, day(2), developer, p)
	case ActionAccept:
		_, err := r.Accept("lease-9", activeLicence, day(3), tenant, p)
		return err
	case ActionDecline:
		return r.Decline("", day(3), tenant)
	case ActionWithdraw:
		return r.Withdraw("", day(3), tenant)
	case ActionExpire:
		return r.Expire(day(30), system, p)
	}
	t.Fatalf("no executor for %q", act)
	return nil
}

func TestRequestTransitionsFollowTheStateMachine(t *testing.T) {
	const (
		submitted = RequestSubmitted
		offered   = RequestOffered
		accepted  = RequestAccepted
		declined  = RequestDeclined
		expired   = RequestExpired
		withdrawn = RequestWithdrawn
	)
	actions := []Action{ActionOffer, ActionAccept, ActionDecline, ActionWithdraw, ActionExpire}
	// allowed[from][action] = to; anything missing must be a conflict naming from.
	allowed := map[RequestStatus]map[Action]RequestStatus{
		submitted: {ActionOffer: offered, ActionWithdraw: withdrawn},
		offered:   {ActionAccept: accepted, ActionDecline: declined, ActionWithdraw: withdrawn, ActionExpire: expired},
		accepted:  {},
		declined:  {},
		expired:   {},
		withdrawn: {},
	}
	fsmtest.Walk[RequestStatus, Action, *Request]{
		Entity: "request", Statuses: RequestStatuses(), Actions: actions, Allowed: allowed,
		Allows: RequestStatus.Allows,
		In:     requestIn,
		Do:     doRequest,
		State:  func(r *Request) (RequestStatus, int64, []HistoryEntry) { return r.Status, r.Version, r.History },
	}.Run(t)
}

func TestWaitingRequestsAreSubmittedOrOffered(t *testing.T) {
	for _, s := range RequestStatuses() {
		if want := s == RequestSubmitted || s == RequestOffered; s.Waiting() != want {
			t.Errorf("%s.Waiting() = %v", s, s.Waiting())
		}
	}
}

func TestNewRequestReportsEveryBadFieldAtOnce(t *testing.T) {
	tests := []struct {
		name string
		id   string
		in   RequestInput
		at   time.Time
		who  Actor
		want []string
	}{
		{"nothing at all", "", RequestInput{}, time.Time{}, Actor{},
			[]string{"id", "tenant_id", "zone_id", "at", "actor.subject", "space"}},
		{"both a space and requirements", "req-1", RequestInput{ZoneID: zone, Space: &SpaceRefInput{Kind: "plot", ID: "p"},
			Requirements: &RequirementsInput{LandUse: "industrial", MinAreaM2: 1, MaxAreaM2: f64(2)}}, t0, tenant,
			[]string{"tenant_id", "requirements"}},
		{"bad space reference", "req-1", RequestInput{ZoneID: zone, Space: &SpaceRefInput{Kind: "building", ID: " "}}, t0, tenant,
			[]string{"tenant_id", "space.kind", "space.id"}},
		{"bad requirements", "req-1", RequestInput{ZoneID: " ", Requirements: &RequirementsInput{LandUse: "Heavy Industry", MinAreaM2: 10.125, MaxAreaM2: f64(1e9)}}, t0, tenant,
			[]string{"tenant_id", "zone_id", "requirements.land_use", "requirements.min_area_m2", "requirements.max_area_m2"}},
		{"missing requirements", "req-1", RequestInput{ZoneID: zone, Requirements: &RequirementsInput{}}, t0, tenant,
			[]string{"tenant_id", "requirements.land_use", "requirements.min_area_m2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRequest(tt.id, "", tt.in, activeLicence, tt.at, tt.who)
			faulttest.WantFields(t, err, tt.want...)
		})
	}
}

func TestRequirementsAreaRangeMustBeOrdered(t *testing.T) {
	tests := []struct {
		name string
		min  float64
		max  *float64
		bad  []string
	}{
		{"min below max", 100, f64(200), nil},
		{"min equal to max", 150, f64(150), nil},
		{"no upper bound", 150, nil, nil},
		{"two decimals", 150.25, f64(150.75), nil},
		{"min above max", 200, f64(100), []string{"max_area_m2"}},
		{"zero min", 0, f64(100), []string{"min_area_m2"}},
		{"zero max", 10, f64(0), []string{"max_area_m2"}},
		{"not a number", 100, f64(nan()), []string{"max_area_m2"}},
		{"three decimals", 100.001, nil, []string{"min_area_m2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseRequirements(RequirementsInput{LandUse: "it_park", MinAreaM2: tt.min, MaxAreaM2: tt.max})
			if tt.bad != nil {
				faulttest.WantFields(t, err, tt.bad...)
				return
			}
			must(t, err)
			if q.LandUse != LandUseITPark || q.MinAreaM2 != tt.min || !reflect.DeepEqual(q.MaxAreaM2, tt.max) {
				t.Fatalf("requirements %+v", q)
			}
			if tt.max != nil && q.MaxAreaM2 == tt.max {
				t.Fatalf("requirements share the caller's maximum")
			}
		})
	}
}

func TestNewRequestNeedsTheTenantsActiveLicence(t *testing.T) {
	other := activeLicence
	other.TenantID = "tenant-2"
	tests := []struct {
		name    string
		licence Licence
		want    error
	}{
		{"active", activeLicence, nil},
		{"suspended", licence(LicenceSuspended), ErrLicenceNotActive},
		{"revoked", licence(LicenceRevoked), ErrLicenceNotActive},
		{"surrendered", licence(LicenceSurrendered), ErrLicenceNotActive},
		{"expired", licence(LicenceExpired), ErrLicenceNotActive},
		{"another tenant's licence", other, ErrLicenceMismatch},
		{"no licence known", Licence{}, ErrLicenceMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRequest("req-1", "tenant-1", named(plot1), tt.licence, t0, tenant)
			if tt.want != nil {
				wantErr(t, err, tt.want, fault.ErrRule)
				return
			}
			must(t, err)
			want := &Request{
				ID: "req-1", TenantID: "tenant-1", LicenceID: "lic-1", ZoneID: zone, Space: &plot1.Ref,
				Status: RequestSubmitted, Version: 1, CreatedAt: t0.UTC(), UpdatedAt: t0.UTC(),
				History: []HistoryEntry{{At: t0.UTC(), Actor: tenant, Action: ActionSubmit, To: "submitted"}},
			}
			if !reflect.DeepEqual(r, want) {
				t.Fatalf("request\n%+v\nwant\n%+v", r, want)
			}
		})
	}
}

func TestMakeOfferChecksTheSpaceAgainstTheRequest(t *testing.T) {
	reqs := RequestInput{ZoneID: zone, Requirements: &RequirementsInput{LandUse: "industrial", MinAreaM2: 3000, MaxAreaM2: f64(5000)}}
	open := RequestInput{ZoneID: zone, Requirements: &RequirementsInput{LandUse: "industrial", MinAreaM2: 3000}}
	with := func(change func(*Space)) Space { s := plot1; change(&s); return s }
	tests := []struct {
		name  string
		in    RequestInput
		space Space
		want  error
	}{
		{"the named space", named(plot1), plot1, nil},
		{"another space than the named one", named(plot1), with(func(s *Space) { s.Ref.ID, s.PlotID = "plot-9", "plot-9" }), ErrSpaceMismatch},
		{"the named space in another zone", named(plot1), with(func(s *Space) { s.ZoneID = "zone-lhr" }), ErrSpaceMismatch},
		{"a space not live", named(plot1), with(func(s *Space) { s.Live = false }), ErrSpaceNotLive},
		{"meets the requirements", reqs, plot1, nil},
		{"area at the minimum", reqs, with(func(s *Space) { s.AreaM2 = 3000 }), nil},
		{"area at the maximum", reqs, with(func(s *Space) { s.AreaM2 = 5000 }), nil},
		{"area below the minimum", reqs, with(func(s *Space) { s.AreaM2 = 2999.5 }), ErrSpaceMismatch},
		{"area above the maximum", reqs, with(func(s *Space) { s.AreaM2 = 5000.5 }), ErrSpaceMismatch},
		{"another use", reqs, with(func(s *Space) { s.LandUse = LandUseCommercial }), ErrSpaceMismatch},
		{"a unit of the right use and area", reqs, with(func(s *Space) { s.Ref, s.PlotID = unit1.Ref, "plot-2" }), nil},
		{"no upper bound", open, with(func(s *Space) { s.AreaM2 = 90_000 }), nil},
		{"no upper bound, below the minimum", open, with(func(s *Space) { s.AreaM2 = 2_999 }), ErrSpaceMismatch},
		{"another zone", reqs, with(func(s *Space) { s.ZoneID = "zone-lhr" }), ErrSpaceMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, tt.in)
			err := r.MakeOffer(tt.space, terms(t, validTerms()), activeLicence, day(1), developer, DefaultPolicy())
			if tt.want != nil {
				wantErr(t, err, tt.want, fault.ErrRule)
				if r.Status != RequestSubmitted || r.Version != 1 || r.Offer != nil {
					t.Fatalf("refused offer changed the request")
				}
				return
			}
			must(t, err)
			want := &Offer{Space: tt.space, Terms: terms(t, validTerms()), OfferedAt: day(1).UTC(), OfferedBy: developer}
			if r.Status != RequestOffered || r.Version != 2 || !reflect.DeepEqual(r.Offer, want) {
				t.Fatalf("request %s v%d offer %+v", r.Status, r.Version, r.Offer)
			}
		})
	}
}

func TestMakeOfferNamesEveryMismatch(t *testing.T) {
	r := newRequest(t, RequestInput{ZoneID: zone, Requirements: &RequirementsInput{LandUse: "industrial", MinAreaM2: 3000, MaxAreaM2: f64(5000)}})
	err := r.MakeOffer(Space{Ref: unit1.Ref, ZoneID: "zone-lhr", PlotID: "plot-2", AreaM2: 10, LandUse: "it_park", Live: true},
		terms(t, validTerms()), activeLicence, day(1), developer, DefaultPolicy())
	wantErr(t, err, ErrSpaceMismatch, fault.ErrRule)
	for _, part := range []string{"zone-lhr", "it_park", "10 m²"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("%q does not mention %q", err, part)
		}
	}
}

func TestMakeOfferNeedsTheRequestsActiveLicence(t *testing.T) {
	other := activeLicence
	other.ID = "lic-2"
	for _, tt := range []struct {
		name    string
		licence Licence
		want    error
	}{
		{"suspended since the request", licence(LicenceSuspended), ErrLicenceNotActive},
		{"revoked since the request", licence(LicenceRevoked), ErrLicenceNotActive},
		{"another licence of the tenant", other, ErrLicenceMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, named(plot1))
			err := r.MakeOffer(plot1, terms(t, validTerms()), tt.licence, day(1), developer, DefaultPolicy())
			wantErr(t, err, tt.want, fault.ErrRule)
		})
	}
}

func TestMakeOfferReportsEveryBadArgumentAtOnce(t *testing.T) {
	r := newRequest(t, named(plot1))
	err := r.MakeOffer(Space{Ref: SpaceRef{Kind: KindUnit, ID: "u"}, AreaM2: 0, LandUse: "Office"}, Terms{}, activeLicence, time.Time{}, Actor{}, DefaultPolicy())
	faulttest.WantFields(t, err, "at", "actor.subject", "space.zone_id", "space.plot_id", "space.area_m2", "space.land_use",
		"terms.start_date", "terms.term_months", "terms.rent_per_m2_month.currency", "terms.deposit.currency",
		"terms.offer_valid_until")
}

func TestMakeOfferMustStillBeValidOnTheDayItIsMade(t *testing.T) {
	p := DefaultPolicy()
	for _, tt := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"made before the last valid day", pk("2026-03-19 12:00"), true},
		{"made on the last valid day", pk("2026-03-20 23:59"), true},
		{"made after the last valid day", pk("2026-03-21 00:00"), false},
		{"made after it in Karachi though not yet in UTC", utc("2026-03-20T19:30:00Z"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, named(plot1))
			err := r.MakeOffer(plot1, terms(t, validTerms()), activeLicence, tt.at, developer, p)
			if tt.ok {
				must(t, err)
				return
			}
			faulttest.WantFields(t, err, "terms.offer_valid_until")
		})
	}
}

func TestAcceptIsAllowedUntilTheOfferLapsesInZoneTime(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"the day of the offer", pk("2026-03-03 10:00"), true},
		{"the last valid day, late evening", pk("2026-03-20 23:59"), true},
		{"the last valid day in UTC is already the next day in Karachi", utc("2026-03-20T19:00:00Z"), false},
		{"the day after", pk("2026-03-21 00:00"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := requestIn(t, RequestOffered)
			l, err := r.Accept("lease-1", activeLicence, tt.at, tenant, DefaultPolicy())
			if tt.ok {
				must(t, err)
				if l == nil || r.Status != RequestAccepted || r.LeaseID != "lease-1" {
					t.Fatalf("accepted request %s lease %q", r.Status, r.LeaseID)
				}
				return
			}
			wantErr(t, err, ErrOfferLapsed, fault.ErrRule)
			if l != nil || r.Status != RequestOffered || r.Version != 2 {
				t.Fatalf("refused acceptance changed the request")
			}
		})
	}
}

func TestAcceptNeedsAnActiveLicenceAndALeaseID(t *testing.T) {
	r := requestIn(t, RequestOffered)
	_, err := r.Accept("lease-1", licence(LicenceSuspended), day(3), tenant, DefaultPolicy())
	wantErr(t, err, ErrLicenceNotActive, fault.ErrRule)
	_, err = r.Accept(" ", activeLicence, time.Time{}, Actor{}, DefaultPolicy())
	faulttest.WantFields(t, err, "lease_id", "at", "actor.subject")
	if r.Status != RequestOffered || r.Version != 2 {
		t.Fatalf("refused acceptance changed the request")
	}
}

func TestAcceptMakesTheLeaseOfTheOffer(t *testing.T) {
	p := DefaultPolicy()
	at := pk("2026-03-05 11:00")
	tests := []struct {
		name  string
		space Space
		want  func(l *Lease)
	}{
		{"a land lease has construction deadlines", plot1, func(l *Lease) {
			l.LandLease = true
			l.ConstructionStartDue = datePtr("2027-03-31")
			l.ConstructionCompleteDue = datePtr("2029-03-31")
		}},
		{"a unit lease has none", unit1, func(*Lease) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, named(tt.space))
			must(t, r.MakeOffer(tt.space, terms(t, validTerms()), activeLicence, day(1), developer, p))
			l, err := r.Accept("lease-1", activeLicence, at, tenant, p)
			must(t, err)
			want := &Lease{
				ID: "lease-1", RequestID: "req-1", TenantID: "tenant-1", LicenceID: "lic-1", ZoneID: zone,
				Space: tt.space.Ref, PlotID: tt.space.PlotID, AreaM2: tt.space.AreaM2, LandUse: tt.space.LandUse,
				Start: date("2026-04-01"), End: date("2031-03-31"),
				Rent: Money{AmountMinor: 150_00, Currency: "PKR"}, Deposit: Money{AmountMinor: 1_000_000_00, Currency: "PKR"},
				NoticeMonths: 3, Status: LeaseActive, Version: 1, CreatedAt: at.UTC(), UpdatedAt: at.UTC(),
				History: []HistoryEntry{{At: at.UTC(), Actor: tenant, Action: ActionStart, To: "active"}},
			}
			tt.want(want)
			if !reflect.DeepEqual(l, want) {
				t.Fatalf("lease\n%+v\nwant\n%+v", l, want)
			}
			if r.LeaseID != "lease-1" || r.Status != RequestAccepted || r.Version != 3 {
				t.Fatalf("request %s v%d lease %q", r.Status, r.Version, r.LeaseID)
			}
		})
	}
}

func TestExpireOnlyAfterTheOfferIsNoLongerValid(t *testing.T) {
	p := DefaultPolicy()
	r := requestIn(t, RequestOffered)
	last := pk("2026-03-20 23:59")
	if r.ExpiryDue(last, nil) {
		t.Fatalf("expiry due on the last valid day")
	}
	wantErr(t, r.Expire(last, system, p), ErrOfferStillValid, fault.ErrRule)
	after := pk("2026-03-21 00:00")
	if !r.ExpiryDue(after, nil) {
		t.Fatalf("expiry not due the day after")
	}
	must(t, r.Expire(after, system, p))
	if r.Status != RequestExpired || r.ExpiryDue(after, nil) {
		t.Fatalf("status %s", r.Status)
	}
	if requestIn(t, RequestSubmitted).ExpiryDue(after, nil) {
		t.Fatalf("a request without an offer cannot lapse")
	}
}

func TestRequestReasonsAreOptionalButBounded(t *testing.T) {
	r := requestIn(t, RequestOffered)
	faulttest.WantFields(t, r.Decline("bad\x00reason", day(3), tenant), "reason")
	faulttest.WantFields(t, r.Withdraw(strings.Repeat("x", audit.MaxReasonLength+1), day(3), tenant), "reason")
	must(t, r.Decline("  rent too high  ", day(3), tenant))
	if h := r.History[len(r.History)-1]; h.Reason != "rent too high" {
		t.Fatalf("reason %q", h.Reason)
	}
}

func TestRequestVersionAndHistoryRecordEveryStep(t *testing.T) {
	p := DefaultPolicy()
	r := newRequest(t, named(plot1))
	must(t, r.MakeOffer(plot1, terms(t, validTerms()), activeLicence, day(1), developer, p))
	_, err := r.Accept("lease-1", activeLicence, day(2), tenant, p)
	must(t, err)
	want := []HistoryEntry{
		{At: t0.UTC(), Actor: tenant, Action: ActionSubmit, From: "", To: "submitted"},
		{At: day(1).UTC(), Actor: developer, Action: ActionOffer, From: "submitted", To: "offered"},
		{At: day(2).UTC(), Actor: tenant, Action: ActionAccept, From: "offered", To: "accepted"},
	}
	if !reflect.DeepEqual(r.History, want) || r.Version != 3 || !r.UpdatedAt.Equal(day(2)) {
		t.Fatalf("v%d history %+v", r.Version, r.History)
	}
	if !errors.Is(r.Withdraw("", day(3), tenant), fault.ErrConflict) {
		t.Fatalf("an accepted request was withdrawn")
	}
}
