package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/zoneops/zoneops/libs/platform/fault"
	"github.com/zoneops/zoneops/libs/platform/httpx"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/service"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// MaxPlanBytes bounds a plot plan upload: 10,000 drawn plots are a few megabytes.
const MaxPlanBytes = 64 << 20

// GeoJSONContentType is the media type of plot plans (RFC 7946).
const GeoJSONContentType = "application/geo+json"

// plan is a GeoJSON FeatureCollection for the zone {id}.
type plan struct {
	ZoneID string
	Plan   []byte
}

// decodePlan reads the raw FeatureCollection: the zoning rules parse it, so that every bad
// feature is reported with its index and code rather than the first JSON error.
func decodePlan(_ context.Context, r *http.Request) (plan, error) {
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxPlanBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return plan{}, fmt.Errorf("plan larger than %d bytes: %w", MaxPlanBytes, fault.ErrTooLarge)
		}
		return plan{}, fault.Invalid("body", "could not be read")
	}
	if len(data) == 0 {
		return plan{}, fault.Invalid("body", "required: a GeoJSON FeatureCollection")
	}
	// The zoning rules parse the plan with encoding/json, which would store bad text altered.
	if err := httpx.CheckText(data); err != nil {
		return plan{}, err
	}
	return plan{ZoneID: r.PathValue("id"), Plan: data}, nil
}

func decodeListZones(_ context.Context, r *http.Request) (service.ZoneQuery, error) {
	var f fault.Fields
	var q service.ZoneQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", zoning.ZoneStatuses(), "a zone status")
	q.Province = string(httpx.QueryParsed(r, &f, "province", zoning.ParseProvince))
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return q, f.Err()
}

func decodeListPlots(_ context.Context, r *http.Request) (input[service.PlotQuery], error) {
	var f fault.Fields
	var q service.PlotQuery
	q.Statuses = httpx.QueryEnums(r, &f, "status", zoning.PlotStatuses(), "a plot status")
	q.LandUse = string(httpx.QueryParsed(r, &f, "land_use", zoning.ParseLandUse))
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return input[service.PlotQuery]{ID: r.PathValue("id"), Body: q}, f.Err()
}

func decodeListUnits(_ context.Context, r *http.Request) (input[service.UnitQuery], error) {
	var f fault.Fields
	q := service.UnitQuery{BuildingID: r.URL.Query().Get("building_id")}
	q.Use = string(httpx.QueryParsed(r, &f, "use", zoning.ParseUnitUse))
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return input[service.UnitQuery]{ID: r.PathValue("id"), Body: q}, f.Err()
}

func decodeListRequests(_ context.Context, r *http.Request) (service.RequestQuery, error) {
	var f fault.Fields
	var q service.RequestQuery
	q.Zone, q.ZoneField = zoneParam(r, &f)
	q.Statuses = httpx.QueryEnums(r, &f, "status", leasing.RequestStatuses(), "a request status")
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return q, f.Err()
}

func decodeListLeases(_ context.Context, r *http.Request) (service.LeaseQuery, error) {
	var f fault.Fields
	q := service.LeaseQuery{TenantID: r.URL.Query().Get("tenant_id")}
	q.Zone, q.ZoneField = zoneParam(r, &f)
	q.Statuses = httpx.QueryEnums(r, &f, "status", leasing.LeaseStatuses(), "a lease status")
	q.Idle = httpx.QueryBool(r, &f, "idle")
	q.Cursor, q.Limit = httpx.Page(r, &f)
	return q, f.Err()
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
