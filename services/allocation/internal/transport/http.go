// Package transport serves the allocation endpoints over HTTP: JSON under /v1, GeoJSON for
// plot plans, problem+json errors, Idempotency-Key on creates.
package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/go-kit/kit/endpoint"
	kithttp "github.com/go-kit/kit/transport/http"
	"github.com/zoneops/zoneops/libs/platform/auth"
	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/services/allocation/internal/endpoints"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// MaxBodyBytes bounds ordinary request bodies.
const MaxBodyBytes = 256 << 10

// MaxPlanBytes bounds a plot plan upload: 10,000 drawn plots are a few megabytes.
const MaxPlanBytes = 64 << 20

// GeoJSONContentType is the media type of plot plans (RFC 7946).
const GeoJSONContentType = "application/geo+json"

// Routes mounts every allocation route on mux. create wraps creating routes (idempotency).
func Routes(mux *http.ServeMux, set endpoints.Set, logger *slog.Logger, create func(http.Handler) http.Handler) {
	opts := append(httpx.ServerOptions(logger), kithttp.ServerBefore(auth.BearerToContext))
	h := func(e endpoint.Endpoint, dec kithttp.DecodeRequestFunc, enc kithttp.EncodeResponseFunc) http.Handler {
		return kithttp.NewServer(e, dec, enc, opts...)
	}
	ok, created := httpx.EncodeJSON(http.StatusOK), httpx.EncodeJSON(http.StatusCreated)

	mux.Handle("POST /v1/zones", create(h(set.RegisterZone, body(func(_ *http.Request, in zoning.ZoneInput) any {
		return endpoints.RegisterZoneRequest{Input: in}
	}), created)))
	mux.Handle("GET /v1/zones", h(set.ListZones, decodeListZones, ok))
	mux.Handle("GET /v1/zones/{id}", h(set.GetZone, decodeID, ok))
	mux.Handle("POST /v1/zones/{id}/notify", h(set.NotifyZone, decodeID, ok))
	mux.Handle("POST /v1/zones/{id}/denotify", h(set.DenotifyZone, decodeReason, ok))
	mux.Handle("GET /v1/zones/{id}/occupancy", h(set.Occupancy, decodeID, ok))

	mux.Handle("POST /v1/zones/{id}/plots", create(h(set.CreatePlot, body(func(r *http.Request, in zoning.PlotInput) any {
		return endpoints.CreatePlotRequest{ZoneID: r.PathValue("id"), Input: in}
	}), created)))
	// A plan is not wrapped in idempotency: it can be far larger than the bodies that layer
	// keeps, and a repeated import is refused anyway because its plot codes are taken.
	mux.Handle("POST /v1/zones/{id}/plots/import", h(set.ImportPlan, decodePlan, created))
	mux.Handle("POST /v1/zones/{id}/plots/merge", create(h(set.MergePlots, body(func(r *http.Request, in service.MergeInput) any {
		return endpoints.MergeRequest{ZoneID: r.PathValue("id"), Input: in}
	}), created)))
	mux.Handle("GET /v1/zones/{id}/plots", h(set.ListPlots, decodeListPlots, ok))
	mux.Handle("GET /v1/zones/{id}/plots.geojson", h(set.PlanGeoJSON, decodeID, encodeGeoJSON))
	mux.Handle("GET /v1/zones/{id}/units", h(set.ListUnits, decodeListUnits, ok))
	mux.Handle("GET /v1/plots/{id}", h(set.GetPlot, decodeID, ok))
	mux.Handle("POST /v1/plots/{id}/subdivide", h(set.SubdividePlot, body(func(r *http.Request, in struct {
		Parts []zoning.PlotInput `json:"parts"`
	}) any {
		return endpoints.SubdivideRequest{PlotID: r.PathValue("id"), Parts: in.Parts}
	}), created))
	mux.Handle("POST /v1/plots/{id}/withdraw", h(set.WithdrawPlot, decodeReason, ok))
	mux.Handle("POST /v1/plots/{id}/buildings", create(h(set.RegisterBuilding, body(func(r *http.Request, in zoning.BuildingInput) any {
		return endpoints.RegisterBuildingRequest{PlotID: r.PathValue("id"), Input: in}
	}), created)))
	mux.Handle("GET /v1/buildings/{id}", h(set.GetBuilding, decodeID, ok))
	mux.Handle("POST /v1/buildings/{id}/units", create(h(set.RegisterUnit, body(func(r *http.Request, in zoning.UnitInput) any {
		return endpoints.RegisterUnitRequest{BuildingID: r.PathValue("id"), Input: in}
	}), created)))
	mux.Handle("GET /v1/units/{id}", h(set.GetUnit, decodeID, ok))

	mux.Handle("POST /v1/requests", create(h(set.SubmitRequest, body(func(_ *http.Request, in leasing.RequestInput) any {
		return endpoints.SubmitRequestRequest{Input: in}
	}), created)))
	mux.Handle("GET /v1/requests", h(set.ListRequests, decodeListRequests, ok))
	mux.Handle("GET /v1/requests/{id}", h(set.GetRequest, decodeID, ok))
	mux.Handle("POST /v1/requests/{id}/offer", h(set.OfferSpace, body(func(r *http.Request, in service.OfferInput) any {
		return endpoints.OfferRequest{RequestID: r.PathValue("id"), Input: in}
	}), ok))
	mux.Handle("POST /v1/requests/{id}/accept", h(set.AcceptOffer, decodeID, created))
	mux.Handle("POST /v1/requests/{id}/decline", h(set.DeclineOffer, decodeReason, ok))
	mux.Handle("POST /v1/requests/{id}/withdraw", h(set.WithdrawRequest, decodeReason, ok))

	mux.Handle("GET /v1/leases", h(set.ListLeases, decodeListLeases, ok))
	mux.Handle("GET /v1/leases/{id}", h(set.GetLease, decodeID, ok))
	mux.Handle("POST /v1/leases/{id}/terminate", h(set.TerminateLease, body(func(r *http.Request, in service.TerminateInput) any {
		return endpoints.TerminateRequest{LeaseID: r.PathValue("id"), Input: in}
	}), ok))
	mux.Handle("POST /v1/leases/{id}/milestones", h(set.RecordMilestone, body(func(r *http.Request, in service.MilestoneInput) any {
		return endpoints.MilestoneRequest{LeaseID: r.PathValue("id"), Input: in}
	}), ok))
}

// body decodes a JSON body strictly into In and builds the endpoint's request from it.
func body[In any](build func(r *http.Request, in In) any) kithttp.DecodeRequestFunc {
	return func(_ context.Context, r *http.Request) (any, error) {
		var in In
		if err := httpx.DecodeJSON(r, &in, MaxBodyBytes); err != nil {
			return nil, err
		}
		return build(r, in), nil
	}
}

func decodeID(_ context.Context, r *http.Request) (any, error) {
	return endpoints.IDRequest{ID: r.PathValue("id")}, nil
}

func decodeReason(_ context.Context, r *http.Request) (any, error) {
	var in struct {
		Reason string `json:"reason"`
	}
	if httpx.HasBody(r) {
		if err := httpx.DecodeJSON(r, &in, MaxBodyBytes); err != nil {
			return nil, err
		}
	}
	return endpoints.ReasonRequest{ID: r.PathValue("id"), Reason: in.Reason}, nil
}

// decodePlan reads the raw FeatureCollection: the zoning rules parse it, so that every bad
// feature is reported with its index and code rather than the first JSON error.
func decodePlan(_ context.Context, r *http.Request) (any, error) {
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxPlanBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, fmt.Errorf("plan larger than %d bytes: %w", MaxPlanBytes, fault.ErrTooLarge)
		}
		return nil, fault.Invalid("body", "could not be read")
	}
	if len(data) == 0 {
		return nil, fault.Invalid("body", "required: a GeoJSON FeatureCollection")
	}
	// The zoning rules parse the plan with encoding/json, which would store bad text altered.
	if err := httpx.CheckText(data); err != nil {
		return nil, err
	}
	return endpoints.ImportPlanRequest{ZoneID: r.PathValue("id"), Plan: data}, nil
}

func decodeListZones(_ context.Context, r *http.Request) (any, error) {
	var f fault.Fields
	var q service.ZoneQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", zoning.ZoneStatuses(), "a zone status")
	if p := r.URL.Query().Get("province"); p != "" {
		pr, err := zoning.ParseProvince(p)
		f.Merge("province", err)
		q.Province = string(pr)
	}
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return endpoints.ListZonesRequest{Query: q}, f.Err()
}

func decodeListPlots(_ context.Context, r *http.Request) (any, error) {
	var f fault.Fields
	var q service.PlotQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", zoning.PlotStatuses(), "a plot status")
	if u := r.URL.Query().Get("land_use"); u != "" {
		lu, err := zoning.ParseLandUse(u)
		f.Merge("land_use", err)
		q.LandUse = string(lu)
	}
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return endpoints.ListPlotsRequest{ZoneID: r.PathValue("id"), Query: q}, f.Err()
}

func decodeListUnits(_ context.Context, r *http.Request) (any, error) {
	var f fault.Fields
	q := service.UnitQuery{BuildingID: r.URL.Query().Get("building_id")}
	if u := r.URL.Query().Get("use"); u != "" {
		uu, err := zoning.ParseUnitUse(u)
		f.Merge("use", err)
		q.Use = string(uu)
	}
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return endpoints.ListUnitsRequest{ZoneID: r.PathValue("id"), Query: q}, f.Err()
}

func decodeListRequests(_ context.Context, r *http.Request) (any, error) {
	var f fault.Fields
	var q service.RequestQuery
	q.Zone, q.ZoneField = zoneParam(r, &f)
	q.Statuses = httpx.QueryEnums(r, &f, "status", leasing.RequestStatuses(), "a request status")
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return endpoints.ListRequestsRequest{Query: q}, f.Err()
}

func decodeListLeases(_ context.Context, r *http.Request) (any, error) {
	var f fault.Fields
	q := service.LeaseQuery{TenantID: r.URL.Query().Get("tenant_id")}
	q.Zone, q.ZoneField = zoneParam(r, &f)
	q.Statuses = httpx.QueryEnums(r, &f, "status", leasing.LeaseStatuses(), "a lease status")
	q.Idle = httpx.QueryBool(r, &f, "idle")
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return endpoints.ListLeasesRequest{Query: q}, f.Err()
}

// zoneParam reads the zone a list is filtered by, by code or id, from ?zone= or its older
// name ?zone_id=, and the name of the parameter it came from (named in errors).
func zoneParam(r *http.Request, f *fault.Fields) (zone, param string) {
	q := r.URL.Query()
	zone, alias := q.Get("zone"), q.Get("zone_id")
	switch {
	case zone != "" && alias != "":
		f.Add("zone_id", "is the older name of zone: give one of them")
		return zone, "zone"
	case zone == "" && alias != "":
		return alias, "zone_id"
	}
	return zone, "zone"
}

// encodeGeoJSON writes a plan as GeoJSON, which GIS tools recognise by its media type.
func encodeGeoJSON(_ context.Context, w http.ResponseWriter, response any) error {
	raw, ok := response.(json.RawMessage)
	if !ok {
		return fmt.Errorf("plan of type %T", response)
	}
	w.Header().Set("Content-Type", GeoJSONContentType)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(raw)
	return err
}
