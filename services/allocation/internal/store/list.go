package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Lists are keyset-paginated: ordered by a key and the id, with an opaque cursor naming the
// last row of the page, so a page never skips or repeats a row when rows are added meanwhile.

// DefaultLimit and MaxLimit bound a page.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

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

// where builds a WHERE clause from conditions that each hold their own '?' placeholders.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN (…)" for a non-empty list. Values the database cannot hold (a NUL, invalid
// UTF-8: no record has them) are left out, and a list of nothing but those matches nothing.
func in[S ~string](w *where, col string, vs []S) {
	if len(vs) == 0 {
		return
	}
	args := make([]any, 0, len(vs))
	for _, v := range vs {
		if storable(string(v)) {
			args = append(args, string(v))
		}
	}
	if len(args) == 0 {
		w.add("1 = 0")
		return
	}
	w.add(col+" IN ("+db.Placeholders(len(args))+")", args...)
}

// eq adds "col = v" for a non-empty v (matching nothing when v cannot be stored).
func (w *where) eq(col, v string) {
	switch {
	case v == "":
	case !storable(v):
		w.add("1 = 0")
	default:
		w.add(col+" = ?", v)
	}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func limitOf(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// page runs a keyset-paginated query ordered by (key, id) and returns the docs and the cursor
// of the next page; table and key are constants of this package, never input.
func (s *Store) page(ctx context.Context, table, key string, w where, after string, limit int) ([][]byte, string, error) {
	c, err := decodeCursor(after)
	if err != nil {
		return nil, "", err
	}
	if c != nil {
		w.add("("+key+" > ? OR ("+key+" = ? AND id > ?))", c.key, c.key, c.id)
	}
	n := limitOf(limit)
	q := "SELECT id, " + key + " AS k, doc FROM " + table + w.sql() + " ORDER BY " + key + ", id LIMIT ?"
	type row struct {
		ID  string `db:"id"`
		K   string `db:"k"`
		Doc []byte `db:"doc"`
	}
	var got []row
	if err := s.db.Reader().SelectContext(ctx, &got, s.db.Rebind(q), append(w.args, n+1)...); err != nil {
		return nil, "", err
	}
	next := ""
	if len(got) > n {
		got = got[:n]
		last := got[n-1]
		next = cursor{key: last.K, id: last.ID}.encode()
	}
	docs := make([][]byte, len(got))
	for i, r := range got {
		docs[i] = r.Doc
	}
	return docs, next, nil
}

// list pages through table and decodes the docs.
func list[T any](ctx context.Context, s *Store, what, table, key string, w where, after string, limit int) ([]*T, string, error) {
	docs, next, err := s.page(ctx, table, key, w, after, limit)
	if err != nil {
		return nil, "", fmt.Errorf("list %s: %w", what, err)
	}
	out, err := decodeDocs[T](what, docs)
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// ListZones returns a page of zones and the cursor of the next page ("" at the end).
func (s *Store) ListZones(ctx context.Context, f ZoneFilter) ([]*zoning.Zone, string, error) {
	var w where
	in(&w, "status", f.Statuses)
	w.eq("province", f.Province)
	return list[zoning.Zone](ctx, s, "zones", "zones", "code", w, f.Cursor, f.Limit)
}

// ListPlots returns a page of a zone's plots.
func (s *Store) ListPlots(ctx context.Context, f PlotFilter) ([]*zoning.Plot, string, error) {
	var w where
	w.eq("zone_id", f.ZoneID)
	in(&w, "status", f.Statuses)
	w.eq("land_use", f.LandUse)
	return list[zoning.Plot](ctx, s, "plots", "plots", "code", w, f.Cursor, f.Limit)
}

// ListUnits returns a page of a zone's units.
func (s *Store) ListUnits(ctx context.Context, f UnitFilter) ([]*zoning.Unit, string, error) {
	var w where
	w.eq("zone_id", f.ZoneID)
	w.eq("building_id", f.BuildingID)
	w.eq("unit_use", f.Use)
	return list[zoning.Unit](ctx, s, "units", "units", "created_at", w, f.Cursor, f.Limit)
}

// ListRequests returns a page of allocation requests.
func (s *Store) ListRequests(ctx context.Context, f RequestFilter) ([]*leasing.Request, string, error) {
	var w where
	in(&w, "zone_id", f.ZoneIDs)
	w.eq("tenant_id", f.TenantID)
	in(&w, "status", f.Statuses)
	return list[leasing.Request](ctx, s, "requests", "requests", "created_at", w, f.Cursor, f.Limit)
}

// ListLeases returns a page of leases.
func (s *Store) ListLeases(ctx context.Context, f LeaseFilter) ([]*leasing.Lease, string, error) {
	var w where
	in(&w, "zone_id", f.ZoneIDs)
	w.eq("tenant_id", f.TenantID)
	in(&w, "status", f.Statuses)
	if f.Idle {
		w.add("idle = ?", true)
	}
	return list[leasing.Lease](ctx, s, "leases", "leases", "created_at", w, f.Cursor, f.Limit)
}
