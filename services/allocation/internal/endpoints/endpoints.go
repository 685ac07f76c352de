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
	ids, err := zones(ctx, p.ZoneCodes)
	if err != nil {
		return service.Principal{}, err
	}
	return auth.Caller(p, ids), nil
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

// shown returns what shows one record of a use case's result as its view.
func shown[T, V any](ctx context.Context, view func(context.Context, []T) ([]V, error)) func(T, error) (any, error) {
	return func(rec T, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		vs, err := view(ctx, []T{rec})
		if err != nil {
			return nil, err
		}
		return vs[0], nil
	}
}

// shownAll returns what shows a page of records as views.
func shownAll[T, V any](ctx context.Context, view func(context.Context, []T) ([]V, error)) func(service.Page[T], error) (any, error) {
	return func(page service.Page[T], err error) (any, error) {
		if err != nil {
			return nil, err
		}
		vs, err := view(ctx, page.Items)
		if err != nil {
			return nil, err
		}
		return service.Page[V]{Items: vs, NextCursor: page.NextCursor}, nil
	}
}

// shownItems is shownAll for use cases that return a bare list (an import, a subdivision).
func shownItems[T, V any](ctx context.Context, view func(context.Context, []T) ([]V, error)) func([]T, error) (any, error) {
	return func(items []T, err error) (any, error) {
		return shownAll(ctx, view)(service.Page[T]{Items: items}, err)
	}
}

// New builds the endpoints over svc; every endpoint verifies the caller's token with v first
// and resolves its zone scope with zones. Records are answered as views (vw), which add the
// codes and names of what they refer to.
func New(svc service.Service, v auth.Verifier, zones ZoneScope, vw *service.Views) Set {
	a := auth.Authenticate(v)
	type P = service.Principal
	type C = context.Context
	occupancy := func(ctx C, o leasing.Occupancy, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return vw.Occupancy(ctx, o)
	}
	return Set{
		RegisterZone: handle(a, zones, func(ctx C, p P, r RegisterZoneRequest) (any, error) { return svc.RegisterZone(ctx, p, r.Input) }),
		NotifyZone:   handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.NotifyZone(ctx, p, r.ID) }),
		DenotifyZone: handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) { return svc.DenotifyZone(ctx, p, r.ID, r.Reason) }),
		GetZone:      handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.GetZone(ctx, p, r.ID) }),
		ListZones:    handle(a, zones, func(ctx C, p P, r ListZonesRequest) (any, error) { return svc.ListZones(ctx, p, r.Query) }),
		Occupancy: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) {
			o, err := svc.Occupancy(ctx, p, r.ID)
			return occupancy(ctx, o, err)
		}),

		CreatePlot: handle(a, zones, func(ctx C, p P, r CreatePlotRequest) (any, error) {
			return shown(ctx, vw.Plots)(svc.CreatePlot(ctx, p, r.ZoneID, r.Input))
		}),
		ImportPlan: handle(a, zones, func(ctx C, p P, r ImportPlanRequest) (any, error) {
			return shownItems(ctx, vw.Plots)(svc.ImportPlan(ctx, p, r.ZoneID, r.Plan))
		}),
		SubdividePlot: handle(a, zones, func(ctx C, p P, r SubdivideRequest) (any, error) {
			return shownItems(ctx, vw.Plots)(svc.SubdividePlot(ctx, p, r.PlotID, r.Parts))
		}),
		MergePlots: handle(a, zones, func(ctx C, p P, r MergeRequest) (any, error) {
			return shown(ctx, vw.Plots)(svc.MergePlots(ctx, p, r.ZoneID, r.Input))
		}),
		WithdrawPlot: handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) {
			return shown(ctx, vw.Plots)(svc.WithdrawPlot(ctx, p, r.ID, r.Reason))
		}),
		GetPlot: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return shown(ctx, vw.Plots)(svc.GetPlot(ctx, p, r.ID)) }),
		ListPlots: handle(a, zones, func(ctx C, p P, r ListPlotsRequest) (any, error) {
			return shownAll(ctx, vw.Plots)(svc.ListPlots(ctx, p, r.ZoneID, r.Query))
		}),
		PlanGeoJSON: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return svc.PlanGeoJSON(ctx, p, r.ID) }),

		RegisterBuilding: handle(a, zones, func(ctx C, p P, r RegisterBuildingRequest) (any, error) {
			return shown(ctx, vw.Buildings)(svc.RegisterBuilding(ctx, p, r.PlotID, r.Input))
		}),
		GetBuilding: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) {
			return shown(ctx, vw.Buildings)(svc.GetBuilding(ctx, p, r.ID))
		}),
		RegisterUnit: handle(a, zones, func(ctx C, p P, r RegisterUnitRequest) (any, error) {
			return shown(ctx, vw.Units)(svc.RegisterUnit(ctx, p, r.BuildingID, r.Input))
		}),
		GetUnit: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return shown(ctx, vw.Units)(svc.GetUnit(ctx, p, r.ID)) }),
		ListUnits: handle(a, zones, func(ctx C, p P, r ListUnitsRequest) (any, error) {
			return shownAll(ctx, vw.Units)(svc.ListUnits(ctx, p, r.ZoneID, r.Query))
		}),

		SubmitRequest: handle(a, zones, func(ctx C, p P, r SubmitRequestRequest) (any, error) {
			return shown(ctx, vw.Requests)(svc.SubmitRequest(ctx, p, r.Input))
		}),
		OfferSpace: handle(a, zones, func(ctx C, p P, r OfferRequest) (any, error) {
			return shown(ctx, vw.Requests)(svc.OfferSpace(ctx, p, r.RequestID, r.Input))
		}),
		AcceptOffer: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) {
			return shown(ctx, vw.Leases)(svc.AcceptOffer(ctx, p, r.ID))
		}),
		DeclineOffer: handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) {
			return shown(ctx, vw.Requests)(svc.DeclineOffer(ctx, p, r.ID, r.Reason))
		}),
		WithdrawRequest: handle(a, zones, func(ctx C, p P, r ReasonRequest) (any, error) {
			return shown(ctx, vw.Requests)(svc.WithdrawRequest(ctx, p, r.ID, r.Reason))
		}),
		GetRequest: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) {
			return shown(ctx, vw.Requests)(svc.GetRequest(ctx, p, r.ID))
		}),
		ListRequests: handle(a, zones, func(ctx C, p P, r ListRequestsRequest) (any, error) {
			return shownAll(ctx, vw.Requests)(svc.ListRequests(ctx, p, r.Query))
		}),

		TerminateLease: handle(a, zones, func(ctx C, p P, r TerminateRequest) (any, error) {
			return shown(ctx, vw.Leases)(svc.TerminateLease(ctx, p, r.LeaseID, r.Input))
		}),
		RecordMilestone: handle(a, zones, func(ctx C, p P, r MilestoneRequest) (any, error) {
			return shown(ctx, vw.Leases)(svc.RecordMilestone(ctx, p, r.LeaseID, r.Input))
		}),
		GetLease: handle(a, zones, func(ctx C, p P, r IDRequest) (any, error) { return shown(ctx, vw.Leases)(svc.GetLease(ctx, p, r.ID)) }),
		ListLeases: handle(a, zones, func(ctx C, p P, r ListLeasesRequest) (any, error) {
			return shownAll(ctx, vw.Leases)(svc.ListLeases(ctx, p, r.Query))
		}),
	}
}
