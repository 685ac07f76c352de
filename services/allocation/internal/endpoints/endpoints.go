// Package endpoints turns each allocation use case into a go-kit endpoint: one request type per
// use case, the caller's verified principal from the context, authentication in front of all.
package endpoints

import (
	"context"

	"github.com/go-kit/kit/endpoint"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Requests, decoded by the transport from paths, queries and bodies.
type (
	// IDRequest names one record.
	IDRequest struct{ ID string }
	// ReasonRequest names a record and why it changes.
	ReasonRequest struct {
		ID     string
		Reason string
	}
	// RegisterZoneRequest registers a zone.
	RegisterZoneRequest struct{ Input zoning.ZoneInput }
	// ListZonesRequest filters zones.
	ListZonesRequest struct{ Query service.ZoneQuery }
	// CreatePlotRequest creates a plot in a zone.
	CreatePlotRequest struct {
		ZoneID string
		Input  zoning.PlotInput
	}
	// ImportPlanRequest is a GeoJSON FeatureCollection for a zone.
	ImportPlanRequest struct {
		ZoneID string
		Plan   []byte
	}
	// SubdivideRequest cuts a plot into parts.
	SubdivideRequest struct {
		PlotID string
		Parts  []zoning.PlotInput
	}
	// MergeRequest joins plots of a zone.
	MergeRequest struct {
		ZoneID string
		Input  service.MergeInput
	}
	// ListPlotsRequest filters a zone's plots.
	ListPlotsRequest struct {
		ZoneID string
		Query  service.PlotQuery
	}
	// RegisterBuildingRequest registers a building on a plot.
	RegisterBuildingRequest struct {
		PlotID string
		Input  zoning.BuildingInput
	}
	// RegisterUnitRequest registers a unit in a building.
	RegisterUnitRequest struct {
		BuildingID string
		Input      zoning.UnitInput
	}
	// ListUnitsRequest filters a zone's units.
	ListUnitsRequest struct {
		ZoneID string
		Query  service.UnitQuery
	}
	// SubmitRequestRequest asks for space.
	SubmitRequestRequest struct{ Input leasing.RequestInput }
	// OfferRequest offers a space on terms.
	OfferRequest struct {
		RequestID string
		Input     service.OfferInput
	}
	// ListRequestsRequest filters allocation requests.
	ListRequestsRequest struct{ Query service.RequestQuery }
	// TerminateRequest gives notice on a lease.
	TerminateRequest struct {
		LeaseID string
		Input   service.TerminateInput
	}
	// MilestoneRequest records a construction milestone.
	MilestoneRequest struct {
		LeaseID string
		Input   service.MilestoneInput
	}
	// ListLeasesRequest filters leases.
	ListLeasesRequest struct{ Query service.LeaseQuery }
)

// Set holds every allocation endpoint.
type Set struct {
	RegisterZone, NotifyZone, DenotifyZone, GetZone, ListZones, Occupancy endpoint.Endpoint

	CreatePlot, ImportPlan, SubdividePlot, MergePlots, WithdrawPlot, GetPlot, ListPlots, PlanGeoJSON endpoint.Endpoint

	RegisterBuilding, GetBuilding, RegisterUnit, GetUnit, ListUnits endpoint.Endpoint

	SubmitRequest, OfferSpace, AcceptOffer, DeclineOffer, WithdrawRequest, GetRequest, ListRequests endpoint.Endpoint

	TerminateLease, RecordMilestone, GetLease, ListLeases endpoint.Endpoint
}

// ZoneScope turns the zones a token names (by code, as every service's tokens do) into the
// zone ids records carry.
type ZoneScope func(ctx context.Context, codesOrIDs []string) ([]string, error)

// principal converts the token's principal into the rules' view of it.
func principal(ctx context.Context, p auth.Principal, zones ZoneScope) (service.Principal, error) {
	ids, err := zones(ctx, p.ZoneIDs)
	if err != nil {
		return service.Principal{}, err
	}
	return service.Principal{Subject: p.Subject, Role: string(p.Role), TenantID: p.TenantID, ZoneIDs: ids}, nil
}

// handle adapts one use case: authentication first, then the typed request with the caller.
func handle[Req any](authn endpoint.Middleware, zones ZoneScope, f func(ctx context.Context, p service.Principal, r Req) (any, error)) endpoint.Endpoint {
	return authn(auth.Handle(func(ctx context.Context, ap auth.Principal, r Req) (any, error) {
		p, err := principal(ctx, ap, zones)
		if err != nil {
			return nil, err
		}
		return f(ctx, p, r)
	}))
}

// New builds the endpoints over svc; every endpoint verifies the caller's token with v first
// and resolves its zone scope with zones.
func New(svc service.Service, v auth.Verifier, zones ZoneScope) Set {
	a := auth.Authenticate(v)
	type P = service.Principal
	type C = context.Context
	return Set{
		RegisterZone: handle(a, zones, func(ctx C, p P, r RegisterZoneRequest) (any, error) { return svc.RegisterZone(ctx, p, r.Input) }),
		NotifyZone:   handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.NotifyZone(ctx, p, r.ID) }),
		DenotifyZone: handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) { return svc.DenotifyZone(ctx, p, r.ID, r.Reason) }),
		GetZone:      handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.GetZone(ctx, p, r.ID) }),
		ListZones:    handle(a, zones, func(ctx C, p P, r ListZonesRequest) (any, error) { return svc.ListZones(ctx, p, r.Query) }),
		Occupancy:    handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.Occupancy(ctx, p, r.ID) }),

		CreatePlot: handle(a, zones, func(ctx C, p P, r CreatePlotRequest) (any, error) { return svc.CreatePlot(ctx, p, r.ZoneID, r.Input) }),
		ImportPlan: handle(a, zones, func(ctx C, p P, r ImportPlanRequest) (any, error) {
			plots, err := svc.ImportPlan(ctx, p, r.ZoneID, r.Plan)
			if err != nil {
				return nil, err
			}
			return service.Page[*zoning.Plot]{Items: plots}, nil
		}),
		SubdividePlot: handle(a, zones, func(ctx C, p P, r SubdivideRequest) (any, error) {
			parts, err := svc.SubdividePlot(ctx, p, r.PlotID, r.Parts)
			if err != nil {
				return nil, err
			}
			return service.Page[*zoning.Plot]{Items: parts}, nil
		}),
		MergePlots:   handle(a, zones, func(ctx C, p P, r MergeRequest) (any, error) { return svc.MergePlots(ctx, p, r.ZoneID, r.Input) }),
		WithdrawPlot: handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) { return svc.WithdrawPlot(ctx, p, r.ID, r.Reason) }),
		GetPlot:      handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.GetPlot(ctx, p, r.ID) }),
		ListPlots:    handle(a, zones, func(ctx C, p P, r ListPlotsRequest) (any, error) { return svc.ListPlots(ctx, p, r.ZoneID, r.Query) }),
		PlanGeoJSON:  handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.PlanGeoJSON(ctx, p, r.ID) }),

		RegisterBuilding: handle(a, zones, func(ctx C, p P, r RegisterBuildingRequest) (any, error) {
			return svc.RegisterBuilding(ctx, p, r.PlotID, r.Input)
		}),
		GetBuilding: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.GetBuilding(ctx, p, r.ID) }),
		RegisterUnit: handle(a, zones, func(ctx C, p P, r RegisterUnitRequest) (any, error) {
			return svc.RegisterUnit(ctx, p, r.BuildingID, r.Input)
		}),
		GetUnit:   handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.GetUnit(ctx, p, r.ID) }),
		ListUnits: handle(a, zones, func(ctx C, p P, r ListUnitsRequest) (any, error) { return svc.ListUnits(ctx, p, r.ZoneID, r.Query) }),

		SubmitRequest:   handle(a, zones, func(ctx C, p P, r SubmitRequestRequest) (any, error) { return svc.SubmitRequest(ctx, p, r.Input) }),
		OfferSpace:      handle(a, zones, func(ctx C, p P, r OfferRequest) (any, error) { return svc.OfferSpace(ctx, p, r.RequestID, r.Input) }),
		AcceptOffer:     handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.AcceptOffer(ctx, p, r.ID) }),
		DeclineOffer:    handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) { return svc.DeclineOffer(ctx, p, r.ID, r.Reason) }),
		WithdrawRequest: handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) { return svc.WithdrawRequest(ctx, p, r.ID, r.Reason) }),
		GetRequest:      handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.GetRequest(ctx, p, r.ID) }),
		ListRequests:    handle(a, zones, func(ctx C, p P, r ListRequestsRequest) (any, error) { return svc.ListRequests(ctx, p, r.Query) }),

		TerminateLease: handle(a, zones, func(ctx C, p P, r TerminateRequest) (any, error) {
			return svc.TerminateLease(ctx, p, r.LeaseID, r.Input)
		}),
		RecordMilestone: handle(a, zones, func(ctx C, p P, r MilestoneRequest) (any, error) {
			return svc.RecordMilestone(ctx, p, r.LeaseID, r.Input)
		}),
		GetLease:   handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.GetLease(ctx, p, r.ID) }),
		ListLeases: handle(a, zones, func(ctx C, p P, r ListLeasesRequest) (any, error) { return svc.ListLeases(ctx, p, r.Query) }),
	}
}
