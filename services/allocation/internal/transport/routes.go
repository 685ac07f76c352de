// Package transport serves the allocation use cases over HTTP: JSON under /v1, GeoJSON for
// plot plans, problem+json errors, Idempotency-Key on creates. Routes is the one table of
// them, from which the go-kit endpoints, the mounted routes, the OpenAPI coverage check and
// the authorisation matrix all derive.
package transport

import (
	"context"

	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// MaxBodyBytes bounds ordinary request bodies.
const MaxBodyBytes = 256 << 10

// ZoneScope turns the zones a token names (by code, as every service's tokens do) into the
// zone ids records carry.
type ZoneScope func(ctx context.Context, codesOrIDs []string) ([]string, error)

// Routes is the allocation HTTP API, one row per use case: its pattern, how its request is
// read, the call into svc and how its answer is written. The caller's zone scope is resolved
// with zones; records are answered as views (vw), which add the codes and names of what they
// refer to. Nothing is called before a request is served, so Routes(nil, nil, nil) lists the
// routes for tests.
func Routes(svc service.Service, zones ZoneScope, vw *service.Views) []httpx.Route {
	type (
		C = context.Context
		P = service.Principal
	)
	as := auth.Resolved[string](zones)
	ok, created := httpx.EncodeOK, httpx.EncodeCreated
	id, reason := httpx.PathID, httpx.DecodeReason(MaxBodyBytes)
	return []httpx.Route{
		auth.Route(as, "POST /v1/zones", body[zoning.ZoneInput](), created, func(ctx C, p P, r input[zoning.ZoneInput]) (any, error) {
			return svc.RegisterZone(ctx, p, r.Body)
		}).WithIdempotencyKey(),
		auth.Route(as, "GET /v1/zones", decodeListZones, ok, func(ctx C, p P, q service.ZoneQuery) (any, error) { return svc.ListZones(ctx, p, q) }),
		auth.Route(as, "GET /v1/zones/{id}", id, ok, func(ctx C, p P, id string) (any, error) { return svc.GetZone(ctx, p, id) }),
		auth.Route(as, "POST /v1/zones/{id}/notify", id, ok, func(ctx C, p P, id string) (any, error) { return svc.NotifyZone(ctx, p, id) }),
		auth.Route(as, "POST /v1/zones/{id}/denotify", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return svc.DenotifyZone(ctx, p, r.ID, r.Reason)
		}),
		auth.Route(as, "GET /v1/zones/{id}/occupancy", id, ok, func(ctx C, p P, id string) (any, error) {
			o, err := svc.Occupancy(ctx, p, id)
			if err != nil {
				return nil, err
			}
			return vw.Occupancy(ctx, o)
		}),

		auth.Route(as, "POST /v1/zones/{id}/plots", body[zoning.PlotInput](), created, func(ctx C, p P, r input[zoning.PlotInput]) (any, error) {
			return shown(ctx, vw.Plots)(svc.CreatePlot(ctx, p, r.ID, r.Body))
		}).WithIdempotencyKey(),
		// A plan is not wrapped in idempotency: it can be far larger than the bodies that layer
		// keeps, and a repeated import is refused anyway because its plot codes are taken.
		auth.Route(as, "POST /v1/zones/{id}/plots/import", decodePlan, created, func(ctx C, p P, r plan) (any, error) {
			return shownItems(ctx, vw.Plots)(svc.ImportPlan(ctx, p, r.ZoneID, r.Plan))
		}),
		auth.Route(as, "POST /v1/zones/{id}/plots/merge", body[service.MergeInput](), created, func(ctx C, p P, r input[service.MergeInput]) (any, error) {
			return shown(ctx, vw.Plots)(svc.MergePlots(ctx, p, r.ID, r.Body))
		}).WithIdempotencyKey(),
		auth.Route(as, "GET /v1/zones/{id}/plots", decodeListPlots, ok, func(ctx C, p P, r input[service.PlotQuery]) (any, error) {
			return shownAll(ctx, vw.Plots)(svc.ListPlots(ctx, p, r.ID, r.Body))
		}),
		auth.Route(as, "GET /v1/zones/{id}/plots.geojson", id, encodeGeoJSON, func(ctx C, p P, id string) (any, error) { return svc.PlanGeoJSON(ctx, p, id) }),
		auth.Route(as, "GET /v1/zones/{id}/units", decodeListUnits, ok, func(ctx C, p P, r input[service.UnitQuery]) (any, error) {
			return shownAll(ctx, vw.Units)(svc.ListUnits(ctx, p, r.ID, r.Body))
		}),
		auth.Route(as, "GET /v1/plots/{id}", id, ok, func(ctx C, p P, id string) (any, error) { return shown(ctx, vw.Plots)(svc.GetPlot(ctx, p, id)) }),
		auth.Route(as, "POST /v1/plots/{id}/subdivide", body[parts](), created, func(ctx C, p P, r input[parts]) (any, error) {
			return shownItems(ctx, vw.Plots)(svc.SubdividePlot(ctx, p, r.ID, r.Body.Parts))
		}),
		auth.Route(as, "POST /v1/plots/{id}/withdraw", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return shown(ctx, vw.Plots)(svc.WithdrawPlot(ctx, p, r.ID, r.Reason))
		}),
		auth.Route(as, "POST /v1/plots/{id}/buildings", body[zoning.BuildingInput](), created, func(ctx C, p P, r input[zoning.BuildingInput]) (any, error) {
			return shown(ctx, vw.Buildings)(svc.RegisterBuilding(ctx, p, r.ID, r.Body))
		}).WithIdempotencyKey(),
		auth.Route(as, "GET /v1/buildings/{id}", id, ok, func(ctx C, p P, id string) (any, error) {
			return shown(ctx, vw.Buildings)(svc.GetBuilding(ctx, p, id))
		}),
		auth.Route(as, "POST /v1/buildings/{id}/units", body[zoning.UnitInput](), created, func(ctx C, p P, r input[zoning.UnitInput]) (any, error) {
			return shown(ctx, vw.Units)(svc.RegisterUnit(ctx, p, r.ID, r.Body))
		}).WithIdempotencyKey(),
		auth.Route(as, "GET /v1/units/{id}", id, ok, func(ctx C, p P, id string) (any, error) { return shown(ctx, vw.Units)(svc.GetUnit(ctx, p, id)) }),

		auth.Route(as, "POST /v1/requests", body[leasing.RequestInput](), created, func(ctx C, p P, r input[leasing.RequestInput]) (any, error) {
			return shown(ctx, vw.Requests)(svc.SubmitRequest(ctx, p, r.Body))
		}).WithIdempotencyKey(),
		auth.Route(as, "GET /v1/requests", decodeListRequests, ok, func(ctx C, p P, q service.RequestQuery) (any, error) {
			return shownAll(ctx, vw.Requests)(svc.ListRequests(ctx, p, q))
		}),
		auth.Route(as, "GET /v1/requests/{id}", id, ok, func(ctx C, p P, id string) (any, error) {
			return shown(ctx, vw.Requests)(svc.GetRequest(ctx, p, id))
		}),
		auth.Route(as, "POST /v1/requests/{id}/offer", body[service.OfferInput](), ok, func(ctx C, p P, r input[service.OfferInput]) (any, error) {
			return shown(ctx, vw.Requests)(svc.OfferSpace(ctx, p, r.ID, r.Body))
		}),
		auth.Route(as, "POST /v1/requests/{id}/accept", id, created, func(ctx C, p P, id string) (any, error) {
			return shown(ctx, vw.Leases)(svc.AcceptOffer(ctx, p, id))
		}),
		auth.Route(as, "POST /v1/requests/{id}/decline", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return shown(ctx, vw.Requests)(svc.DeclineOffer(ctx, p, r.ID, r.Reason))
		}),
		auth.Route(as, "POST /v1/requests/{id}/withdraw", reason, ok, func(ctx C, p P, r httpx.Reasoned) (any, error) {
			return shown(ctx, vw.Requests)(svc.WithdrawRequest(ctx, p, r.ID, r.Reason))
		}),

		auth.Route(as, "GET /v1/leases", decodeListLeases, ok, func(ctx C, p P, q service.LeaseQuery) (any, error) {
			return shownAll(ctx, vw.Leases)(svc.ListLeases(ctx, p, q))
		}),
		auth.Route(as, "GET /v1/leases/{id}", id, ok, func(ctx C, p P, id string) (any, error) { return shown(ctx, vw.Leases)(svc.GetLease(ctx, p, id)) }),
		auth.Route(as, "POST /v1/leases/{id}/terminate", body[service.TerminateInput](), ok, func(ctx C, p P, r input[service.TerminateInput]) (any, error) {
			return shown(ctx, vw.Leases)(svc.TerminateLease(ctx, p, r.ID, r.Body))
		}),
		auth.Route(as, "POST /v1/leases/{id}/milestones", body[service.MilestoneInput](), ok, func(ctx C, p P, r input[service.MilestoneInput]) (any, error) {
			return shown(ctx, vw.Leases)(svc.RecordMilestone(ctx, p, r.ID, r.Body))
		}),
	}
}

// input is a JSON body of the route's type with the path's {id}.
type input[In any] = httpx.Input[In]

// body decodes a JSON body strictly into In, bounded by MaxBodyBytes.
func body[In any]() httpx.Decoder[input[In]] { return httpx.Body[In](MaxBodyBytes) }

// parts is the body of a subdivision.
type parts struct {
	Parts []zoning.PlotInput `json:"parts"`
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

// Patterns lists the patterns of the route table, for the tests that hold the OpenAPI document
// and the role table to it.
func Patterns() []string { return httpx.Patterns(Routes(nil, nil, nil)) }
