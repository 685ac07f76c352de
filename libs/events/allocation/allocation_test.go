package allocation

import (
	"encoding/json"
	"errors"
	"flag"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/events/values"
	"github.com/zoneops/zoneops/libs/events/values/valuestest"
)

// update is accepted so that "go test ./... -run TestSchemas -update" works across the whole
// module; this package has no generated files.
var _ = flag.Bool("update", false, "no effect in this package")

const (
	zoneID     = "0190f3c1-0a1b-7c2d-8e3f-405162738495"
	plotID     = "0190f3c2-1b2c-7d3e-9f40-5162738495a6"
	partAID    = "0190f3c2-1b2c-7d3e-9f40-62738495a6b7"
	partBID    = "0190f3c2-1b2c-7d3e-9f40-738495a6b7c8"
	newPlotID  = "0190f3c2-1b2c-7d3e-9f40-8495a6b7c8d9"
	buildingID = "0190f3c3-2c3d-7e4f-a051-62738495a6b7"
	unitID     = "0190f3c4-3d4e-7f50-b162-738495a6b7c8"
	requestID  = "0190f3c5-4e5f-7061-8273-8495a6b7c8d9"
	leaseID    = "0190f3c6-5f60-7172-9384-95a6b7c8d9ea"
	tenantID   = "0190f3b8-2c4d-7e5f-9a10-3c4d5e6f7081"
	licenceID  = "0190f3b8-2c4d-7e5f-9a10-2b3c4d5e6f70"
)

func actor() values.Actor {
	return values.Actor{Subject: "operator:farah.khan", Role: values.RoleOperator}
}

func pkr(n int64) values.Money { return values.Money{AmountMinor: n, Currency: "PKR"} }

func square() Polygon {
	return NewPolygon(LinearRing{{73.05, 33.68}, {73.06, 33.68}, {73.06, 33.69}, {73.05, 33.69}, {73.05, 33.68}})
}

func plotSpace() Space { return Space{Kind: SpaceKindPlot, ID: partAID} }

func zoneRegistered() ZoneRegistered {
	b := square()
	return ZoneRegistered{
		ZoneID: zoneID, Code: "ISB", Name: "Islamabad Technology Zone", Province: ProvinceIslamabadCapitalTerritory,
		TimeZone: "Asia/Karachi", Status: ZoneStatusPlanned, DeveloperTenantID: tenantID, Boundary: &b, Actor: actor(),
	}
}

func subdivided() PlotSubdivided {
	return PlotSubdivided{
		ParentPlotID: plotID, ZoneID: zoneID,
		Parts: []PlotPart{
			{PlotID: partAID, Code: "ISB-A-1", AreaM2: 100, LandUse: LandUseITPark},
			{PlotID: partBID, Code: "ISB-A-2", AreaM2: 50.25, LandUse: LandUseGreen},
		},
		Actor: actor(),
	}
}

func merged() PlotMerged {
	return PlotMerged{
		ZoneID: zoneID, SourcePlotIDs: []string{partAID, partBID}, PlotID: newPlotID, Code: "ISB-A-1M",
		AreaM2: 150.25, LandUse: LandUseITPark, Actor: actor(),
	}
}

func terms() Terms {
	return Terms{
		StartDate: values.MustParseDate("2025-06-01"), TermMonths: 60, RentPerM2Month: pkr(4500), Deposit: pkr(0),
		NoticeMonths: 6, OfferValidUntil: values.MustParseDate("2025-05-15"),
	}
}

func due(s string) *values.Date { d := values.MustParseDate(s); return &d }

func signed() LeaseSigned {
	return LeaseSigned{
		LeaseID: leaseID, RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID,
		Space: plotSpace(), AreaM2: 2023.43, LandUse: LandUseIndustrial, LandLease: true,
		StartDate: values.MustParseDate("2025-06-01"), EndDate: values.MustParseDate("2055-05-31"),
		RentPerM2Month: pkr(4500), Deposit: pkr(100), NoticeMonths: 6,
		ConstructionStartDue: due("2026-05-31"), ConstructionCompleteDue: due("2028-05-31"), Actor: actor(),
	}
}

// payload is what every payload in this package implements.
type payload interface {
	EventType() string
	AggregateID() string
	Validate() error
}

func TestEveryPayloadNamesItsTypeAndAggregate(t *testing.T) {
	tests := []struct {
		p         payload
		typ       string
		aggregate string
	}{
		{ZoneRegistered{ZoneID: zoneID}, TypeZoneRegistered, zoneID},
		{ZoneStatusChanged{ZoneID: zoneID}, TypeZoneStatusChanged, zoneID},
		{PlotCreated{PlotID: plotID, ZoneID: zoneID}, TypePlotCreated, plotID},
		{subdivided(), TypePlotSubdivided, plotID}, // the parent
		{merged(), TypePlotMerged, newPlotID},      // the new plot
		{PlotWithdrawn{PlotID: plotID, ZoneID: zoneID}, TypePlotWithdrawn, plotID},
		{BuildingRegistered{BuildingID: buildingID, PlotID: plotID}, TypeBuildingRegistered, buildingID},
		{UnitRegistered{UnitID: unitID, BuildingID: buildingID}, TypeUnitRegistered, unitID},
		{RequestSubmitted{RequestID: requestID, TenantID: tenantID}, TypeRequestSubmitted, requestID},
		{RequestOffered{RequestID: requestID}, TypeRequestOffered, requestID},
		{RequestAccepted{RequestID: requestID, LeaseID: leaseID}, TypeRequestAccepted, requestID},
		{RequestDeclined{RequestID: requestID}, TypeRequestDeclined, requestID},
		{RequestExpired{RequestID: requestID}, TypeRequestExpired, requestID},
		{RequestWithdrawn{RequestID: requestID}, TypeRequestWithdrawn, requestID},
		{signed(), TypeLeaseSigned, leaseID},
		{LeaseTerminating{LeaseID: leaseID}, TypeLeaseTerminating, leaseID},
		{LeaseEnded{LeaseID: leaseID}, TypeLeaseEnded, leaseID},
		{LeaseMilestoneRecorded{LeaseID: leaseID}, TypeLeaseMilestoneRecorded, leaseID},
		{LeaseSpaceIdle{LeaseID: leaseID}, TypeLeaseSpaceIdle, leaseID},
	}
	for _, tt := range tests {
		if tt.p.EventType() != tt.typ || tt.p.AggregateID() != tt.aggregate {
			t.Errorf("%T: type %q aggregate %q, want %q %q", tt.p, tt.p.EventType(), tt.p.AggregateID(), tt.typ, tt.aggregate)
		}
		if !strings.HasPrefix(tt.typ, "zoneops.allocation.") || !strings.HasSuffix(tt.typ, ".v1") {
			t.Errorf("type %q is not zoneops.allocation.<aggregate>.<event>.v1", tt.typ)
		}
	}
}

// TestValidateReportsEveryBadField checks each payload rule, and that all the bad fields of
// one payload come back together, sorted.
func TestValidateReportsEveryBadField(t *testing.T) {
	system := values.Actor{Subject: "allocation-service", Role: values.RoleSystem}
	tests := []struct {
		name string
		p    payload
		want []string // bad fields; none means valid
	}{
		{"zone registered: valid", zoneRegistered(), nil},
		{"zone registered: minimal", func() payload { p := zoneRegistered(); p.Boundary, p.DeveloperTenantID = nil, ""; return p }(), nil},
		{"zone registered: empty", ZoneRegistered{}, []string{"actor.role", "actor.subject", "code", "name", "province", "status", "time_zone", "zone_id"}},
		{"zone registered: bad formats", func() payload {
			p := zoneRegistered()
			p.Code = "isb"
			p.Province = "Punjab"
			p.TimeZone = "Karachi time"
			p.Status = "active"
			p.DeveloperTenantID = "margalla-estates"
			p.Name = "\t"
			return p
		}(), []string{"code", "developer_tenant_id", "name", "province", "status", "time_zone"}},
		{"zone registered: time zones", func() payload { p := zoneRegistered(); p.TimeZone = "America/Argentina/Buenos_Aires"; return p }(), nil},
		{"zone registered: Etc zone", func() payload { p := zoneRegistered(); p.TimeZone = "Etc/GMT-5"; return p }(), nil},
		{"zone status: valid", ZoneStatusChanged{ZoneID: zoneID, From: ZoneStatusPlanned, To: ZoneStatusNotified, Actor: actor()}, nil},
		{"zone status: no change", ZoneStatusChanged{ZoneID: zoneID, From: ZoneStatusNotified, To: ZoneStatusNotified, Actor: actor()}, []string{"to"}},
		{"zone status: unknown statuses", ZoneStatusChanged{ZoneID: zoneID, From: "draft", Actor: actor(), Reason: " "}, []string{"from", "reason", "to"}},
		{"plot created: valid", PlotCreated{PlotID: plotID, ZoneID: zoneID, Code: "ISB-A-014", AreaM2: 4046.86, LandUse: LandUseITPark, Actor: actor()}, nil},
		{"plot created: empty", PlotCreated{}, []string{"actor.role", "actor.subject", "area_m2", "code", "land_use", "plot_id", "zone_id"}},
		{"subdivided: valid", subdivided(), nil},
		{"subdivided: one part", func() payload { p := subdivided(); p.Parts = p.Parts[:1]; return p }(), []string{"parts"}},
		{"subdivided: no parts", func() payload { p := subdivided(); p.Parts = nil; return p }(), []string{"parts"}},
		{"subdivided: a part reuses the parent's id, another repeats a code", func() payload {
			p := subdivided()
			p.Parts[0].PlotID = plotID
			p.Parts[1].Code = "ISB-A-1"
			return p
		}(), []string{"parts[0].plot_id", "parts[1].code"}},
		{"subdivided: repeats", func() payload {
			p := subdivided()
			p.Parts[1].PlotID = partAID
			p.Parts[1].Code = "ISB-A-1"
			return p
		}(), []string{"parts[1].code", "parts[1].plot_id"}},
		{"subdivided: bad part", func() payload {
			p := subdivided()
			p.Parts[1] = PlotPart{AreaM2: 1.005, Boundary: &Polygon{}}
			return p
		}(), []string{"parts[1].area_m2", "parts[1].boundary.coordinates", "parts[1].boundary.type", "parts[1].code", "parts[1].land_use", "parts[1].plot_id"}},
		{"merged: valid", merged(), nil},
		{"merged: one source", func() payload { p := merged(); p.SourcePlotIDs = p.SourcePlotIDs[:1]; return p }(), []string{"source_plot_ids"}},
		{"merged: a source twice", func() payload { p := merged(); p.SourcePlotIDs = []string{partAID, partAID}; return p }(), []string{"source_plot_ids[1]"}},
		{"merged: a bad source", func() payload { p := merged(); p.SourcePlotIDs = []string{partAID, "B"}; return p }(), []string{"source_plot_ids[1]"}},
		{"merged: new plot is a source", func() payload { p := merged(); p.PlotID = partBID; return p }(), []string{"plot_id"}},
		{"withdrawn: reason required", PlotWithdrawn{PlotID: plotID, ZoneID: zoneID, Actor: actor()}, []string{"reason"}},
		{"building: valid", BuildingRegistered{BuildingID: buildingID, PlotID: plotID, ZoneID: zoneID, Name: "Tower 2", Floors: 1, Actor: actor()}, nil},
		{"building: no floors", BuildingRegistered{BuildingID: buildingID, PlotID: plotID, ZoneID: zoneID, Name: "Tower 2", Actor: actor()}, []string{"floors"}},
		{"unit: basement", UnitRegistered{UnitID: unitID, BuildingID: buildingID, PlotID: plotID, ZoneID: zoneID, Floor: -1, AreaM2: 80, Use: LandUseCommercial, Actor: actor()}, nil},
		{"unit: empty", UnitRegistered{}, []string{"actor.role", "actor.subject", "area_m2", "building_id", "plot_id", "unit_id", "use", "zone_id"}},
		{"submitted: space", RequestSubmitted{RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Space: &Space{Kind: SpaceKindUnit, ID: unitID}, Actor: actor()}, nil},
		{"submitted: requirements", RequestSubmitted{RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Requirements: &Requirements{LandUse: LandUseITPark, MinAreaM2: 10}, Actor: actor()}, nil},
		{"submitted: neither", RequestSubmitted{RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Actor: actor()}, []string{"space"}},
		{"submitted: both", RequestSubmitted{
			RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Actor: actor(),
			Space: &Space{Kind: SpaceKindUnit, ID: unitID}, Requirements: &Requirements{LandUse: LandUseITPark, MinAreaM2: 10},
		}, []string{"requirements"}},
		{"submitted: bad space and range", RequestSubmitted{
			RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Actor: actor(),
			Requirements: &Requirements{LandUse: "farm", MinAreaM2: 100, MaxAreaM2: new(99.5)},
		}, []string{"requirements.land_use", "requirements.max_area_m2"}},
		{"submitted: bad space", RequestSubmitted{
			RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Actor: actor(),
			Space: &Space{Kind: "building"},
		}, []string{"space.id", "space.kind"}},
		{"offered: valid", RequestOffered{RequestID: requestID, TenantID: tenantID, Space: plotSpace(), Terms: terms(), Actor: actor()}, nil},
		{"offered: bad terms", RequestOffered{RequestID: requestID, TenantID: tenantID, Space: plotSpace(), Actor: actor(), Terms: Terms{
			NoticeMonths: -1, RentPerM2Month: values.Money{AmountMinor: -1, Currency: "PKR"}, Deposit: values.Money{Currency: "rupees"},
		}}, []string{
			"terms.deposit.currency", "terms.notice_months", "terms.offer_valid_until", "terms.rent_per_m2_month.amount_minor",
			"terms.start_date", "terms.term_months",
		}},
		{"offered: notice longer than the term", RequestOffered{RequestID: requestID, TenantID: tenantID, Space: plotSpace(), Actor: actor(),
			Terms: func() Terms { tt := terms(); tt.TermMonths = 3; return tt }()}, []string{"terms.notice_months"}},
		{"accepted: lease required", RequestAccepted{RequestID: requestID, TenantID: tenantID, Actor: actor()}, []string{"lease_id"}},
		{"declined: reason optional", RequestDeclined{RequestID: requestID, Actor: actor()}, nil},
		{"expired: actor optional", RequestExpired{RequestID: requestID, OfferValidUntil: values.MustParseDate("2025-05-15")}, nil},
		{"expired: system actor", RequestExpired{RequestID: requestID, OfferValidUntil: values.MustParseDate("2025-05-15"), Actor: &system}, nil},
		{"expired: actor checked when present", RequestExpired{RequestID: requestID, OfferValidUntil: values.MustParseDate("2025-05-15"), Actor: &values.Actor{Subject: "svc"}}, []string{"actor.role"}},
		{"withdrawn: reason not blank", RequestWithdrawn{RequestID: requestID, Reason: " ", Actor: actor()}, []string{"reason"}},
		{"signed: valid", signed(), nil},
		{"signed: unit lease", func() payload {
			p := signed()
			p.Space, p.LandLease, p.ConstructionStartDue, p.ConstructionCompleteDue = Space{Kind: SpaceKindUnit, ID: unitID}, false, nil, nil
			return p
		}(), nil},
		{"signed: one-day lease", func() payload {
			p := signed()
			p.EndDate, p.ConstructionStartDue, p.ConstructionCompleteDue = p.StartDate, nil, nil
			return p
		}(), nil},
		{"signed: ends before it starts", func() payload {
			p := signed()
			p.EndDate, p.ConstructionStartDue, p.ConstructionCompleteDue = p.StartDate.AddDate(0, 0, -1), nil, nil
			return p
		}(), []string{"end_date"}},
		{"signed: land lease of a unit", func() payload { p := signed(); p.Space = Space{Kind: SpaceKindUnit, ID: unitID}; return p }(), []string{"land_lease"}},
		{"signed: deadlines without a land lease", func() payload { p := signed(); p.LandLease = false; return p }(), []string{"construction_complete_due", "construction_start_due"}},
		{"signed: deadlines outside the lease", func() payload {
			p := signed()
			p.ConstructionStartDue, p.ConstructionCompleteDue = due("2025-05-31"), due("2055-06-01")
			return p
		}(), []string{"construction_complete_due", "construction_start_due"}},
		{"signed: completion before start", func() payload {
			p := signed()
			p.ConstructionStartDue, p.ConstructionCompleteDue = due("2027-01-01"), due("2026-01-01")
			return p
		}(), []string{"construction_complete_due"}},
		{"signed: impossible deadline", func() payload {
			p := signed()
			p.ConstructionStartDue = &values.Date{Year: 2026, Month: 2, Day: 30}
			return p
		}(), []string{"construction_start_due"}},
		{"signed: bad money and area", func() payload {
			p := signed()
			p.Deposit.AmountMinor = -1
			p.RentPerM2Month.Currency = ""
			p.AreaM2 = 0.001
			p.NoticeMonths = -2
			p.LandUse = ""
			return p
		}(), []string{"area_m2", "deposit.amount_minor", "land_use", "notice_months", "rent_per_m2_month.currency"}},
		{"terminating: valid", LeaseTerminating{LeaseID: leaseID, TenantID: tenantID, Reason: "licence revoked", NoticeGivenOn: values.MustParseDate("2027-03-01"), EndsOn: values.MustParseDate("2027-03-01"), Cause: TerminationLicenceRevoked}, nil},
		{"terminating: ends before notice", LeaseTerminating{LeaseID: leaseID, TenantID: tenantID, Reason: "x", NoticeGivenOn: values.MustParseDate("2027-03-01"), EndsOn: values.MustParseDate("2027-02-28"), Cause: TerminationNotice, Actor: &values.Actor{}}, []string{"actor.role", "actor.subject", "ends_on"}},
		{"terminating: term end is not a termination", LeaseTerminating{LeaseID: leaseID, TenantID: tenantID, Reason: "x", NoticeGivenOn: values.MustParseDate("2027-03-01"), EndsOn: values.MustParseDate("2027-03-01"), Cause: "term_end"}, []string{"cause"}},
		{"ended: valid", LeaseEnded{LeaseID: leaseID, TenantID: tenantID, EndedOn: values.MustParseDate("2055-05-31"), Cause: EndTermEnd}, nil},
		{"ended: empty", LeaseEnded{}, []string{"cause", "ended_on", "lease_id", "tenant_id"}},
		{"milestone: valid", LeaseMilestoneRecorded{LeaseID: leaseID, Milestone: MilestoneConstructionCompleted, On: values.MustParseDate("2027-11-30"), Actor: actor()}, nil},
		{"milestone: a missed milestone is not a milestone", LeaseMilestoneRecorded{LeaseID: leaseID, Milestone: "construction_start", On: values.MustParseDate("2027-11-30"), Actor: actor()}, []string{"milestone"}},
		{"idle: valid", LeaseSpaceIdle{LeaseID: leaseID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Space: plotSpace(), MissedMilestone: MissedConstructionStart, Due: values.MustParseDate("2026-05-31")}, nil},
		{"idle: empty", LeaseSpaceIdle{}, []string{"due", "lease_id", "licence_id", "missed_milestone", "space.id", "space.kind", "tenant_id", "zone_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valuestest.WantFields(t, tt.p.Validate(), tt.want)
		})
	}
}

func TestAreasArePositiveWithAtMostTwoDecimals(t *testing.T) {
	tests := []struct {
		v  float64
		ok bool
	}{
		{0.01, true},
		{0.07, true}, // 0.07 is not exact in binary; the rule is about the decimal that travels
		{4046.86, true},
		{1e9, true},
		{123456789.99, true},
		{0, false},
		{-1, false},
		{0.001, false},
		{4046.856, false},
		{math.Inf(1), false},
		{math.NaN(), false},
	}
	for _, tt := range tests {
		err := Requirements{LandUse: LandUseGreen, MinAreaM2: tt.v}.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("area %v: Validate = %v, want ok=%v", tt.v, err, tt.ok)
		}
	}
}

func TestPolygonIsCheckedForStructureOnly(t *testing.T) {
	ring := func(ps ...Position) LinearRing { return ps }
	tests := []struct {
		name string
		p    Polygon
		want []string
	}{
		{"valid", square(), nil},
		{"with a hole", NewPolygon(square().Coordinates[0], ring(Position{73.051, 33.681}, Position{73.052, 33.681}, Position{73.052, 33.682}, Position{73.051, 33.681})), nil},
		{"self-intersecting is the service's business", NewPolygon(ring(Position{0, 0}, Position{1, 1}, Position{1, 0}, Position{0, 1}, Position{0, 0})), nil},
		{"the poles and the antimeridian", NewPolygon(ring(Position{-180, -90}, Position{180, -90}, Position{180, 90}, Position{-180, -90})), nil},
		{"no type", Polygon{Coordinates: square().Coordinates}, []string{"type"}},
		{"another geometry", Polygon{Type: "MultiPolygon", Coordinates: square().Coordinates}, []string{"type"}},
		{"no rings", NewPolygon(), []string{"coordinates"}},
		{"too few positions", NewPolygon(ring(Position{0, 0}, Position{1, 0}, Position{0, 0})), []string{"coordinates[0]"}},
		{"not closed", NewPolygon(ring(Position{0, 0}, Position{1, 0}, Position{1, 1}, Position{0, 1})), []string{"coordinates[0]"}},
		{"altitude", NewPolygon(ring(Position{0, 0, 5}, Position{1, 0}, Position{1, 1}, Position{0, 0, 5})), []string{"coordinates[0][0]", "coordinates[0][3]"}},
		{"out of range", NewPolygon(square().Coordinates[0], ring(Position{181, 0}, Position{1, -90.5}, Position{1, 1}, Position{181, 0})), []string{
			"coordinates[1][0][0]", "coordinates[1][1][1]", "coordinates[1][3][0]",
		}},
		{"NaN", NewPolygon(ring(Position{math.NaN(), 0}, Position{1, 0}, Position{1, 1}, Position{0, 0})), []string{"coordinates[0][0][0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			var got []string
			var v *values.ValidationError
			if errors.As(err, &v) {
				for _, f := range v.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("bad fields = %v (%v), want %v", got, err, tt.want)
			}
		})
	}
}

func TestPolygonTravelsAsGeoJSON(t *testing.T) {
	b, err := json.Marshal(NewPolygon(LinearRing{{73.05, 33.68}, {73.06, 33.68}, {73.06, 33.69}, {73.05, 33.68}}))
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"type":"Polygon","coordinates":[[[73.05,33.68],[73.06,33.68],[73.06,33.69],[73.05,33.68]]]}`
	if string(b) != want {
		t.Errorf("Marshal = %s\nwant      %s", b, want)
	}
}

func TestEnumsKnowTheirValues(t *testing.T) {
	checks := []struct {
		name      string
		good, bad bool
	}{
		{"Province", ProvinceGilgitBaltistan.Valid(), Province("federal").Valid()},
		{"ZoneStatus", ZoneStatusDenotified.Valid(), ZoneStatus("active").Valid()},
		{"LandUse", LandUseUtilities.Valid(), LandUse("farm").Valid()},
		{"SpaceKind", SpaceKindUnit.Valid(), SpaceKind("building").Valid()},
		{"TerminationCause", TerminationLicenceSurrendered.Valid(), TerminationCause("term_end").Valid()},
		{"EndCause", EndTermEnd.Valid(), EndCause("").Valid()},
		{"Milestone", MilestoneConstructionStarted.Valid(), Milestone("construction_start").Valid()},
		{"MissedMilestone", MissedConstructionCompletion.Valid(), MissedMilestone("construction_completed").Valid()},
	}
	for _, c := range checks {
		if !c.good || c.bad {
			t.Errorf("%s.Valid", c.name)
		}
	}
	if len(Provinces()) != 7 {
		t.Errorf("%d provinces", len(Provinces()))
	}
	l := LandUses()
	l[0] = "changed"
	if LandUses()[0] != LandUseITPark {
		t.Error("LandUses shares its slice with callers")
	}
	for _, c := range TerminationCauses() {
		if !c.EndCause().Valid() {
			t.Errorf("termination cause %q has no end cause", c)
		}
	}
}

func TestPatternsAreTheOnesValidateUses(t *testing.T) {
	// Licences name zones by the code zones are registered under: one grammar, the shared one.
	if Pattern("code") != values.Pattern("code") {
		t.Error("zone codes in allocation events follow a different grammar from licences")
	}
	if Pattern("time_zone") == "" || Pattern("name") != "" {
		t.Error("Pattern")
	}
}
