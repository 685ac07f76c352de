package store

import (
	"context"
	"fmt"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Lists are keyset-paginated (db.Keyset): ordered by a key and the id, with an opaque cursor
// naming the last row of the page, so a page never skips or repeats a row when rows are added
// meanwhile.

// ZoneFilter selects zones, ordered by code.
type ZoneFilter struct {
	Statuses []zoning.ZoneStatus
	Province string
	Cursor   string
	Limit    int
}

// PlotFilter selects a zone's plots, ordered by code. No statuses means every status.
type PlotFilter struct {
	ZoneID   string
	Statuses []zoning.PlotStatus
	LandUse  string
	Cursor   string
	Limit    int
}

// UnitFilter selects a zone's units, in order of registration.
type UnitFilter struct {
	ZoneID     string
	BuildingID string
	Use        string
	Cursor     string
	Limit      int
}

// RequestFilter selects allocation requests, in order of submission. ZoneIDs (any of) and
// TenantID narrow it when set.
type RequestFilter struct {
	ZoneIDs  []string
	TenantID string
	Statuses []leasing.RequestStatus
	Cursor   string
	Limit    int
}

// LeaseFilter selects leases, in order of signature. Idle keeps only idle leases.
type LeaseFilter struct {
	ZoneIDs  []string
	TenantID string
	Statuses []leasing.LeaseStatus
	Idle     bool
	Cursor   string
	Limit    int
}

// list pages through table and decodes the docs.
func list[T any](ctx context.Context, s *Store, what, table, key string, w db.Where, after string, limit int) ([]*T, string, error) {
	docs, next, err := s.DB().Keyset(ctx, table, key, w, after, limit)
	if err != nil {
		return nil, "", fmt.Errorf("list %s: %w", what, err)
	}
	out, err := db.DecodeDocs[T](what, docs)
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// ListZones returns a page of zones and the cursor of the next page ("" at the end).
func (s *Store) ListZones(ctx context.Context, f ZoneFilter) ([]*zoning.Zone, string, error) {
	var w db.Where
	db.In(&w, "status", f.Statuses)
	w.Eq("province", f.Province)
	return list[zoning.Zone](ctx, s, "zones", "zones", "code", w, f.Cursor, f.Limit)
}

// ListPlots returns a page of a zone's plots.
func (s *Store) ListPlots(ctx context.Context, f PlotFilter) ([]*zoning.Plot, string, error) {
	var w db.Where
	w.Eq("zone_id", f.ZoneID)
	db.In(&w, "status", f.Statuses)
	w.Eq("land_use", f.LandUse)
	return list[zoning.Plot](ctx, s, "plots", "plots", "code", w, f.Cursor, f.Limit)
}

// ListUnits returns a page of a zone's units.
func (s *Store) ListUnits(ctx context.Context, f UnitFilter) ([]*zoning.Unit, string, error) {
	var w db.Where
	w.Eq("zone_id", f.ZoneID)
	w.Eq("building_id", f.BuildingID)
	w.Eq("unit_use", f.Use)
	return list[zoning.Unit](ctx, s, "units", "units", "created_at", w, f.Cursor, f.Limit)
}

// ListRequests returns a page of allocation requests.
func (s *Store) ListRequests(ctx context.Context, f RequestFilter) ([]*leasing.Request, string, error) {
	var w db.Where
	db.In(&w, "zone_id", f.ZoneIDs)
	w.Eq("tenant_id", f.TenantID)
	db.In(&w, "status", f.Statuses)
	return list[leasing.Request](ctx, s, "requests", "requests", "created_at", w, f.Cursor, f.Limit)
}

// ListLeases returns a page of leases.
func (s *Store) ListLeases(ctx context.Context, f LeaseFilter) ([]*leasing.Lease, string, error) {
	var w db.Where
	db.In(&w, "zone_id", f.ZoneIDs)
	w.Eq("tenant_id", f.TenantID)
	db.In(&w, "status", f.Statuses)
	if f.Idle {
		w.Add("idle = ?", true)
	}
	return list[leasing.Lease](ctx, s, "leases", "leases", "created_at", w, f.Cursor, f.Limit)
}
