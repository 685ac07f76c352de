package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/libs/platform/db"
	"github.com/zoneops/zoneops/libs/platform/work"
	"github.com/zoneops/zoneops/services/allocation/internal/geo"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// Zones.

// InsertZone stores a new zone. A code already registered is ErrZoneCodeTaken.
func (t *Tx) InsertZone(ctx context.Context, z *zoning.Zone) error {
	doc, err := docOf(z)
	if err != nil {
		return fmt.Errorf("insert zone: %w", err)
	}
	_, err = t.Exec(ctx, `INSERT INTO zones (id, code, status, province, version, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		z.ID, string(z.Code), string(z.Status), string(z.Province), z.Version, db.TimeKey(z.CreatedAt), doc)
	if errors.Is(err, db.ErrUnique) {
		return fmt.Errorf("zone code %s is already registered: %w", z.Code, ErrZoneCodeTaken)
	}
	return err
}

// UpdateZone writes a changed zone whose Version has moved on.
func (t *Tx) UpdateZone(ctx context.Context, z *zoning.Zone) error {
	doc, err := docOf(z)
	if err != nil {
		return fmt.Errorf("update zone: %w", err)
	}
	return t.ExecOne(ctx, "zone "+z.ID, `UPDATE zones SET status = ?, province = ?, version = ?, doc = ? WHERE id = ? AND version < ?`,
		string(z.Status), string(z.Province), z.Version, doc, z.ID, z.Version)
}

// LockZone reads the zone and locks it until the transaction ends: every other writer in the
// zone waits (see the package comment). An unknown zone is fault.ErrNotFound.
func (t *Tx) LockZone(ctx context.Context, zoneID string) (*zoning.Zone, error) {
	return work.GetDoc[zoning.Zone](ctx, t.Tx, "zones", "zone", zoneID, true)
}

// LockZoneByCode locks the zone registered under code, if there is one (false when not).
func (t *Tx) LockZoneByCode(ctx context.Context, code string) (*zoning.Zone, bool, error) {
	if !db.Storable(code) || code == "" {
		return nil, false, nil
	}
	var id string
	err := t.Get(ctx, &id, `SELECT id FROM zones WHERE code = ?`, code)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("zone %s: %w", code, err)
	}
	z, err := t.LockZone(ctx, id)
	return z, err == nil, err
}

// zoneOf returns the zone id of a record of table.
func (t *Tx) zoneOf(ctx context.Context, table, what, id string) (string, error) {
	if !db.Storable(id) || id == "" {
		return "", db.NotFound(what, fmt.Sprintf("%q", id))
	}
	var zoneID string
	err := t.Get(ctx, &zoneID, `SELECT zone_id FROM `+table+` WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", db.NotFound(what, id)
	}
	return zoneID, err
}

// lockVia locks the zone of a record of table and then reads the record, so that what is read
// is what no other writer can change until the transaction ends. (A record's zone never
// changes, so finding it before the lock is safe.)
func lockVia[T any](ctx context.Context, t *Tx, table, what, id string) (*zoning.Zone, *T, error) {
	zoneID, err := t.zoneOf(ctx, table, what, id)
	if err != nil {
		return nil, nil, err
	}
	z, err := t.LockZone(ctx, zoneID)
	if err != nil {
		return nil, nil, err
	}
	v, err := work.GetDoc[T](ctx, t.Tx, table, what, id, false)
	if err != nil {
		return nil, nil, err
	}
	return z, v, nil
}

// Plots.

// LockPlot locks the plot's zone and reads the plot.
func (t *Tx) LockPlot(ctx context.Context, plotID string) (*zoning.Zone, *zoning.Plot, error) {
	return lockVia[zoning.Plot](ctx, t, "plots", "plot", plotID)
}

// Plot reads a plot.
func (t *Tx) Plot(ctx context.Context, plotID string) (*zoning.Plot, error) {
	return work.GetDoc[zoning.Plot](ctx, t.Tx, "plots", "plot", plotID, false)
}

// plotColumns are the columns of a plot row, in insert order.
const plotColumns = "id, zone_id, code, status, land_use, area, min_lon, min_lat, max_lon, max_lat, version, created_at, doc"

// plotRow returns a plot's column values in plotColumns order.
func plotRow(p *zoning.Plot) ([]any, error) {
	doc, err := docOf(p)
	if err != nil {
		return nil, err
	}
	var minLon, minLat, maxLon, maxLat any
	if p.Boundary != nil {
		b := p.Boundary.Bounds()
		minLon, minLat, maxLon, maxLat = b.MinLon, b.MinLat, b.MaxLon, b.MaxLat
	}
	return []any{p.ID, p.ZoneID, string(p.Code), string(p.Status), string(p.LandUse), int64(p.AreaM2),
		minLon, minLat, maxLon, maxLat, p.Version, db.TimeKey(p.CreatedAt), doc}, nil
}

// plotsPerInsert keeps one INSERT under 2,000 parameters.
const plotsPerInsert = 150

// InsertPlots stores new plots, many rows to a statement. A code already used in the zone is
// zoning.ErrCodeTaken (the service checks codes first, so this is the database's backstop).
func (t *Tx) InsertPlots(ctx context.Context, plots ...*zoning.Plot) error {
	for start := 0; start < len(plots); start += plotsPerInsert {
		chunk := plots[start:min(start+plotsPerInsert, len(plots))]
		var args []any
		rows := make([]string, len(chunk))
		for i, p := range chunk {
			row, err := plotRow(p)
			if err != nil {
				return fmt.Errorf("insert plot %s: %w", p.Code, err)
			}
			args = append(args, row...)
			rows[i] = "(" + db.Placeholders(len(row)) + ")"
		}
		_, err := t.Exec(ctx, "INSERT INTO plots ("+plotColumns+") VALUES "+strings.Join(rows, ", "), args...)
		if errors.Is(err, db.ErrUnique) {
			return fmt.Errorf("a plot code is already used in zone %s: %w", chunk[0].ZoneID, zoning.ErrCodeTaken)
		}
		if err != nil {
			return fmt.Errorf("insert plots: %w", err)
		}
	}
	return nil
}

// UpdatePlot writes a changed plot whose Version has moved on.
func (t *Tx) UpdatePlot(ctx context.Context, p *zoning.Plot) error {
	doc, err := docOf(p)
	if err != nil {
		return fmt.Errorf("update plot: %w", err)
	}
	return t.ExecOne(ctx, "plot "+p.ID, `UPDATE plots SET status = ?, land_use = ?, version = ?, doc = ? WHERE id = ? AND version < ?`,
		string(p.Status), string(p.LandUse), p.Version, doc, p.ID, p.Version)
}

// boundaryExpr extracts the boundary from a plot's doc as JSON text.
func boundaryExpr(d db.Dialect) string {
	if d == db.Postgres {
		return "doc->'boundary'"
	}
	return "json_extract(doc, '$.boundary')"
}

// LivePlotIndex returns a spatial index of the boundaries of a zone's live drawn plots, and
// their codes (so that an overlap names the other plot by code). With near, only the plots
// whose bounding boxes meet near are read: the only ones a boundary inside near could overlap
// (a single new plot). Without it every live drawn plot is (a plan import).
func (t *Tx) LivePlotIndex(ctx context.Context, zoneID string, near *geo.Bounds) (*geo.Index, map[zoning.PlotCode]string, error) {
	q := `SELECT id, code, ` + boundaryExpr(t.Dialect()) + ` AS boundary FROM plots
		WHERE zone_id = ? AND status = 'live' AND min_lon IS NOT NULL`
	args := []any{zoneID}
	if near != nil {
		q += ` AND max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?`
		args = append(args, near.MinLon, near.MaxLon, near.MinLat, near.MaxLat)
	}
	var rows []struct {
		ID       string `db:"id"`
		Code     string `db:"code"`
		Boundary []byte `db:"boundary"`
	}
	if err := t.Select(ctx, &rows, q+` ORDER BY id`, args...); err != nil {
		return nil, nil, fmt.Errorf("zone %s plots: %w", zoneID, err)
	}
	entries := make([]geo.Entry, 0, len(rows))
	codes := make(map[zoning.PlotCode]string, len(rows))
	for _, r := range rows {
		poly, err := geo.ParsePolygon(r.Boundary)
		if err != nil {
			return nil, nil, fmt.Errorf("plot %s: stored boundary: %w", r.ID, err)
		}
		entries = append(entries, geo.Entry{ID: r.ID, Polygon: poly})
		codes[zoning.PlotCode(r.Code)] = r.ID
	}
	return geo.NewIndex(entries...), codes, nil
}

// PlotCodes returns the plot ids that use any of codes in the zone, whatever their status
// (plot codes are never reused).
func (t *Tx) PlotCodes(ctx context.Context, zoneID string, codes ...zoning.PlotCode) (map[zoning.PlotCode]string, error) {
	taken := make(map[zoning.PlotCode]string)
	const perQuery = 500
	for start := 0; start < len(codes); start += perQuery {
		chunk := codes[start:min(start+perQuery, len(codes))]
		args := []any{zoneID}
		for _, c := range chunk {
			args = append(args, string(c))
		}
		var found []struct {
			ID   string `db:"id"`
			Code string `db:"code"`
		}
		if err := t.Select(ctx, &found, `SELECT id, code FROM plots WHERE zone_id = ? AND code IN (`+db.Placeholders(len(chunk))+`)`, args...); err != nil {
			return nil, fmt.Errorf("zone %s plot codes: %w", zoneID, err)
		}
		for _, f := range found {
			taken[zoning.PlotCode(f.Code)] = f.ID
		}
	}
	return taken, nil
}

// LeasedPlots reports which of the plots are held by a lease (active or terminating), of the
// land or of a unit on it: land under a lease, or under leased built space, is not withdrawn,
// cut or merged.
func (t *Tx) LeasedPlots(ctx context.Context, plotIDs ...string) (zoning.LeaseCheck, error) {
	leased := map[string]bool{}
	if len(plotIDs) > 0 {
		args := make([]any, len(plotIDs))
		for i, id := range plotIDs {
			args[i] = id
		}
		var ids []string
		if err := t.Select(ctx, &ids, `SELECT DISTINCT plot_id FROM leases
			WHERE status <> 'ended' AND plot_id IN (`+db.Placeholders(len(args))+`)`, args...); err != nil {
			return nil, fmt.Errorf("leased plots: %w", err)
		}
		for _, id := range ids {
			leased[id] = true
		}
	}
	return func(id string) bool { return leased[id] }, nil
}

// Buildings and units.

// LockBuilding locks the building's zone and reads the building.
func (t *Tx) LockBuilding(ctx context.Context, buildingID string) (*zoning.Zone, *zoning.Building, error) {
	return lockVia[zoning.Building](ctx, t, "buildings", "building", buildingID)
}

// InsertBuilding stores a new building.
func (t *Tx) InsertBuilding(ctx context.Context, b *zoning.Building) error {
	doc, err := docOf(b)
	if err != nil {
		return fmt.Errorf("insert building: %w", err)
	}
	_, err = t.Exec(ctx, `INSERT INTO buildings (id, zone_id, plot_id, version, created_at, doc) VALUES (?, ?, ?, ?, ?, ?)`,
		b.ID, b.ZoneID, b.PlotID, b.Version, db.TimeKey(b.CreatedAt), doc)
	return err
}

// Unit reads a unit.
func (t *Tx) Unit(ctx context.Context, unitID string) (*zoning.Unit, error) {
	return work.GetDoc[zoning.Unit](ctx, t.Tx, "units", "unit", unitID, false)
}

// InsertUnit stores a new unit.
func (t *Tx) InsertUnit(ctx context.Context, u *zoning.Unit) error {
	doc, err := docOf(u)
	if err != nil {
		return fmt.Errorf("insert unit: %w", err)
	}
	_, err = t.Exec(ctx, `INSERT INTO units (id, zone_id, plot_id, building_id, unit_use, area, version, created_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.ZoneID, u.PlotID, u.BuildingID, string(u.Use), int64(u.AreaM2), u.Version, db.TimeKey(u.CreatedAt), doc)
	return err
}

// Reads outside a write transaction.

// GetZone returns one zone or fault.ErrNotFound.
func (s *Store) GetZone(ctx context.Context, id string) (*zoning.Zone, error) {
	return db.GetDoc[zoning.Zone](ctx, s.DB().Reader(), s.DB().Dialect, "zones", "zone", id, false)
}

// GetPlot returns one plot or fault.ErrNotFound.
func (s *Store) GetPlot(ctx context.Context, id string) (*zoning.Plot, error) {
	return db.GetDoc[zoning.Plot](ctx, s.DB().Reader(), s.DB().Dialect, "plots", "plot", id, false)
}

// GetBuilding returns one building or fault.ErrNotFound.
func (s *Store) GetBuilding(ctx context.Context, id string) (*zoning.Building, error) {
	return db.GetDoc[zoning.Building](ctx, s.DB().Reader(), s.DB().Dialect, "buildings", "building", id, false)
}

// GetUnit returns one unit or fault.ErrNotFound.
func (s *Store) GetUnit(ctx context.Context, id string) (*zoning.Unit, error) {
	return db.GetDoc[zoning.Unit](ctx, s.DB().Reader(), s.DB().Dialect, "units", "unit", id, false)
}

// LivePlots returns every live plot of a zone, ordered by code: the plan a GIS tool opens.
func (s *Store) LivePlots(ctx context.Context, zoneID string) ([]*zoning.Plot, error) {
	var docs [][]byte
	if err := s.DB().Reader().SelectContext(ctx, &docs, s.DB().Rebind(`SELECT doc FROM plots WHERE zone_id = ? AND status = 'live' ORDER BY code, id`), zoneID); err != nil {
		return nil, fmt.Errorf("live plots of zone %s: %w", zoneID, err)
	}
	return db.DecodeDocs[zoning.Plot]("live plots", docs)
}

// ZoneIDsOf resolves a token's zone scope: tokens name zones by code ("ISB"), the same across
// services, while records carry zone ids. Each entry that is a zone's code becomes its id;
// anything else is kept as it is (an id, or a zone not registered here, which matches nothing).
func (s *Store) ZoneIDsOf(ctx context.Context, codesOrIDs []string) ([]string, error) {
	if len(codesOrIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(codesOrIDs))
	for i, c := range codesOrIDs {
		args[i] = c
	}
	var rows []struct {
		ID   string `db:"id"`
		Code string `db:"code"`
	}
	if err := s.DB().Reader().SelectContext(ctx, &rows, s.DB().Rebind(`SELECT id, code FROM zones WHERE code IN (`+db.Placeholders(len(args))+`)`), args...); err != nil {
		return nil, fmt.Errorf("zone scope: %w", err)
	}
	byCode := make(map[string]string, len(rows))
	for _, r := range rows {
		byCode[r.Code] = r.ID
	}
	out := make([]string, len(codesOrIDs))
	for i, c := range codesOrIDs {
		if id, ok := byCode[c]; ok {
			out[i] = id
		} else {
			out[i] = c
		}
	}
	return out, nil
}
