package events

import (
	"github.com/zoneops/zoneops/libs/events/allocation"
	"github.com/zoneops/zoneops/libs/events/values"
)

// Fixed ids of the allocation samples, which continue the story of the tenants samples: the
// licensee (tenantID, licenceID) asks for space in the Islamabad zone and leases a plot.
const (
	zoneID            = "0190f3c1-0a1b-7c2d-8e3f-405162738495"
	developerTenantID = "0190f3c1-0a1b-7c2d-8e3f-5162738495a6"
	plotID            = "0190f3c2-1b2c-7d3e-9f40-5162738495a6"
	plotEastID        = "0190f3c2-1b2c-7d3e-9f40-62738495a6b7"
	plotWestID        = "0190f3c2-1b2c-7d3e-9f40-738495a6b7c8"
	mergedPlotID      = "0190f3c2-1b2c-7d3e-9f40-8495a6b7c8d9"
	buildingID        = "0190f3c3-2c3d-7e4f-a051-62738495a6b7"
	unitID            = "0190f3c4-3d4e-7f50-b162-738495a6b7c8"
	requestID         = "0190f3c5-4e5f-7061-8273-8495a6b7c8d9"
	leaseID           = "0190f3c6-5f60-7172-9384-95a6b7c8d9ea"
)

func zoneDeveloper() values.Actor {
	return values.Actor{Subject: "zone_developer:margalla-estates", Role: values.RoleZoneDeveloper}
}

func tenantActor() values.Actor {
	return values.Actor{Subject: "tenant:" + tenantID, Role: values.RoleTenant}
}

// rectangle returns a closed ring around the box from (west, south) to (east, north).
func rectangle(west, south, east, north float64) allocation.LinearRing {
	return allocation.LinearRing{{west, south}, {east, south}, {east, north}, {west, north}, {west, south}}
}

func ptrDate(s string) *values.Date {
	d := values.MustParseDate(s)
	return &d
}

func ptrArea(v float64) *float64 { return &v }

// allocationSamples returns a valid payload of every allocation type, with and without its
// optional fields.
func allocationSamples() []sample {
	system := values.Actor{Subject: "allocation-service", Role: values.RoleSystem}
	zoneBoundary := allocation.NewPolygon(
		rectangle(73.0412, 33.6701, 73.0798, 33.6985),
		rectangle(73.0600, 33.6800, 73.0650, 33.6850), // a hole: the nature reserve
	)
	plotBoundary := allocation.NewPolygon(rectangle(73.0551, 33.6844, 73.0589, 33.6871))
	east := allocation.NewPolygon(rectangle(73.0570, 33.6844, 73.0589, 33.6871))
	west := allocation.NewPolygon(rectangle(73.0551, 33.6844, 73.0570, 33.6871))
	plot := allocation.Space{Kind: allocation.SpaceKindPlot, ID: plotEastID}
	unit := allocation.Space{Kind: allocation.SpaceKindUnit, ID: unitID}
	return []sample{
		{"v1-full", allocation.ZoneRegistered{
			ZoneID: zoneID, Code: "ISB", Name: "Islamabad Technology Zone", Province: allocation.ProvinceIslamabadCapitalTerritory,
			TimeZone: "Asia/Karachi", Status: allocation.ZoneStatusPlanned, DeveloperTenantID: developerTenantID,
			Boundary: &zoneBoundary, Actor: operator(),
		}},
		{"v1-minimal", allocation.ZoneRegistered{
			ZoneID: zoneID, Code: "ISB", Name: "Islamabad Technology Zone", Province: allocation.ProvinceIslamabadCapitalTerritory,
			TimeZone: "Asia/Karachi", Status: allocation.ZoneStatusPlanned, Actor: operator(),
		}},
		{"v1-full", allocation.ZoneStatusChanged{
			ZoneID: zoneID, From: allocation.ZoneStatusPlanned, To: allocation.ZoneStatusNotified,
			Reason: "notified in the Gazette of Pakistan, Extraordinary, Part II", Actor: operator(),
		}},
		{"v1-minimal", allocation.ZoneStatusChanged{
			ZoneID: zoneID, From: allocation.ZoneStatusPlanned, To: allocation.ZoneStatusNotified, Actor: operator(),
		}},
		{"v1-full", allocation.PlotCreated{
			PlotID: plotID, ZoneID: zoneID, Code: "ISB-A-014", AreaM2: 4046.86, LandUse: allocation.LandUseITPark,
			Boundary: &plotBoundary, Actor: zoneDeveloper(),
		}},
		{"v1-minimal", allocation.PlotCreated{
			PlotID: plotID, ZoneID: zoneID, Code: "ISB-A-014", AreaM2: 4046.86, LandUse: allocation.LandUseITPark, Actor: zoneDeveloper(),
		}},
		{"v1-full", allocation.PlotSubdivided{
			ParentPlotID: plotID, ZoneID: zoneID,
			Parts: []allocation.PlotPart{
				{PlotID: plotEastID, Code: "ISB-A-014-E", AreaM2: 2023.43, LandUse: allocation.LandUseITPark, Boundary: &east},
				{PlotID: plotWestID, Code: "ISB-A-014-W", AreaM2: 2023.43, LandUse: allocation.LandUseCommercial, Boundary: &west},
			},
			Actor: zoneDeveloper(),
		}},
		{"v1-minimal", allocation.PlotSubdivided{
			ParentPlotID: plotID, ZoneID: zoneID,
			Parts: []allocation.PlotPart{
				{PlotID: plotEastID, Code: "ISB-A-014-E", AreaM2: 2023.43, LandUse: allocation.LandUseITPark},
				{PlotID: plotWestID, Code: "ISB-A-014-W", AreaM2: 2023.43, LandUse: allocation.LandUseCommercial},
			},
			Actor: zoneDeveloper(),
		}},
		{"v1-full", allocation.PlotMerged{
			ZoneID: zoneID, SourcePlotIDs: []string{plotEastID, plotWestID}, PlotID: mergedPlotID, Code: "ISB-A-014M",
			AreaM2: 4046.86, LandUse: allocation.LandUseITPark, Boundary: &plotBoundary, Actor: operator(),
		}},
		{"v1-minimal", allocation.PlotMerged{
			ZoneID: zoneID, SourcePlotIDs: []string{plotEastID, plotWestID}, PlotID: mergedPlotID, Code: "ISB-A-014M",
			AreaM2: 4046.86, LandUse: allocation.LandUseITPark, Actor: operator(),
		}},
		{"v1-full", allocation.PlotWithdrawn{
			PlotID: plotWestID, ZoneID: zoneID, Reason: "reserved for the zone's electricity grid station", Actor: operator(),
		}},
		{"v1-full", allocation.BuildingRegistered{
			BuildingID: buildingID, PlotID: plotID, ZoneID: zoneID, Name: "Software Technology Park Tower 2", Floors: 12, Actor: zoneDeveloper(),
		}},
		{"v1-full", allocation.UnitRegistered{
			UnitID: unitID, BuildingID: buildingID, PlotID: plotID, ZoneID: zoneID, Floor: 7, AreaM2: 850.5,
			Use: allocation.LandUseITPark, Actor: zoneDeveloper(),
		}},
		{"v1-full", allocation.RequestSubmitted{
			RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID,
			Requirements: &allocation.Requirements{LandUse: allocation.LandUseITPark, MinAreaM2: 1500, MaxAreaM2: ptrArea(2500.75)},
			Actor:        tenantActor(),
		}},
		{"v1-minimal", allocation.RequestSubmitted{
			RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Space: &unit, Actor: tenantActor(),
		}},
		{"v1-full", allocation.RequestOffered{
			RequestID: requestID, TenantID: tenantID, Space: plot,
			Terms: allocation.Terms{
				StartDate: values.MustParseDate("2025-06-01"), TermMonths: 360,
				RentPerM2Month: pkr(45_00), Deposit: pkr(5_463_261_00), NoticeMonths: 6,
				OfferValidUntil: values.MustParseDate("2025-05-15"),
			},
			Actor: operator(),
		}},
		{"v1-full", allocation.RequestAccepted{RequestID: requestID, TenantID: tenantID, LeaseID: leaseID, Actor: tenantActor()}},
		{"v1-full", allocation.RequestDeclined{RequestID: requestID, Reason: "the plot is too far from the main gate", Actor: tenantActor()}},
		{"v1-minimal", allocation.RequestDeclined{RequestID: requestID, Actor: tenantActor()}},
		{"v1-full", allocation.RequestExpired{RequestID: requestID, OfferValidUntil: values.MustParseDate("2025-05-15"), Actor: &system}},
		{"v1-minimal", allocation.RequestExpired{RequestID: requestID, OfferValidUntil: values.MustParseDate("2025-05-15")}},
		{"v1-full", allocation.RequestWithdrawn{RequestID: requestID, Reason: "the company found space in Lahore", Actor: tenantActor()}},
		{"v1-minimal", allocation.RequestWithdrawn{RequestID: requestID, Actor: tenantActor()}},
		{"v1-full", allocation.LeaseSigned{
			LeaseID: leaseID, RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID,
			Space: plot, AreaM2: 2023.43, LandUse: allocation.LandUseITPark, LandLease: true,
			StartDate: values.MustParseDate("2025-06-01"), EndDate: values.MustParseDate("2055-05-31"),
			RentPerM2Month: pkr(45_00), Deposit: pkr(5_463_261_00), NoticeMonths: 6,
			ConstructionStartDue:    ptrDate("2026-05-31"),
			ConstructionCompleteDue: ptrDate("2028-05-31"),
			Actor:                   operator(),
		}},
		{"v1-minimal", allocation.LeaseSigned{
			LeaseID: leaseID, RequestID: requestID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID,
			Space: unit, AreaM2: 850.5, LandUse: allocation.LandUseITPark,
			StartDate: values.MustParseDate("2025-06-01"), EndDate: values.MustParseDate("2030-05-31"),
			RentPerM2Month: pkr(1_200_00), Deposit: pkr(0), NoticeMonths: 3, Actor: operator(),
		}},
		{"v1-full", allocation.LeaseTerminating{
			LeaseID: leaseID, TenantID: tenantID, Reason: "the tenant is consolidating in Lahore",
			NoticeGivenOn: values.MustParseDate("2027-01-10"), EndsOn: values.MustParseDate("2027-07-10"),
			Cause: allocation.TerminationNotice, Actor: ptrActor(tenantActor()),
		}},
		{"v1-minimal", allocation.LeaseTerminating{
			LeaseID: leaseID, TenantID: tenantID, Reason: "licence STZA/ISB/ZE/2025/0042 revoked",
			NoticeGivenOn: values.MustParseDate("2027-03-01"), EndsOn: values.MustParseDate("2027-05-31"),
			Cause: allocation.TerminationLicenceRevoked,
		}},
		{"v1-full", allocation.LeaseEnded{
			LeaseID: leaseID, TenantID: tenantID, EndedOn: values.MustParseDate("2027-07-10"), Cause: allocation.EndNotice, Actor: &system,
		}},
		{"v1-minimal", allocation.LeaseEnded{
			LeaseID: leaseID, TenantID: tenantID, EndedOn: values.MustParseDate("2055-05-31"), Cause: allocation.EndTermEnd,
		}},
		{"v1-full", allocation.LeaseMilestoneRecorded{
			LeaseID: leaseID, Milestone: allocation.MilestoneConstructionStarted, On: values.MustParseDate("2026-03-02"), Actor: zoneDeveloper(),
		}},
		{"v1-full", allocation.LeaseSpaceIdle{
			LeaseID: leaseID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Space: plot,
			MissedMilestone: allocation.MissedConstructionCompletion, Due: values.MustParseDate("2028-05-31"), Actor: &system,
		}},
		{"v1-minimal", allocation.LeaseSpaceIdle{
			LeaseID: leaseID, TenantID: tenantID, LicenceID: licenceID, ZoneID: zoneID, Space: plot,
			MissedMilestone: allocation.MissedConstructionStart, Due: values.MustParseDate("2026-05-31"),
		}},
	}
}

func ptrActor(a values.Actor) *values.Actor { return &a }
