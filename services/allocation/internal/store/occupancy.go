package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zoneops/zoneops/services/allocation/internal/leasing"
	"github.com/zoneops/zoneops/services/allocation/internal/zoning"
)

// occupancySQL sums a zone's occupancy in the database by the rules leasing.Occupancy states
// (a plot leased as land counts whole, a built plot counts the share of its units' floor area
// that is leased), so the report reads a few index entries per plot instead of loading every
// plot and unit into Go. It walks the zone's live plots, their units by plot and, per space,
// an index probe for a holding lease: no join of two aggregates, whose plan PostgreSQL gets
// badly wrong (nested loops over both) before a freshly imported plan is analysed. The statuses are written in rather than bound so that PostgreSQL
// matches the partial indexes of migration 002 (a bound value cannot prove their predicate).
// Areas are hundredths of a square metre; sums of counts are cast so both drivers scan them
// as integers.
var occupancySQL = strings.NewReplacer(
	"{holding}", "'"+string(leasing.LeaseActive)+"', '"+string(leasing.LeaseTerminating)+"'",
	"{live}", "'"+string(zoning.PlotLive)+"'",
	"{waiting}", "'"+string(leasing.RequestSubmitted)+"', '"+string(leasing.RequestOffered)+"'",
).Replace(`
WITH per_plot AS (
	SELECT p.area,
		CASE WHEN EXISTS (SELECT 1 FROM leases l WHERE l.zone_id = p.zone_id AND l.status IN ({holding})
			AND l.space_kind = 'plot' AND l.space_id = p.id) THEN 1 ELSE 0 END AS land,
		COALESCE(SUM(u.area), 0) AS floor,
		COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM leases l WHERE l.zone_id = p.zone_id AND l.status IN ({holding})
			AND l.space_kind = 'unit' AND l.space_id = u.id) THEN u.area ELSE 0 END), 0) AS leased_floor,
		COUNT(u.id) AS units,
		COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM leases l WHERE l.zone_id = p.zone_id AND l.status IN ({holding})
			AND l.space_kind = 'unit' AND l.space_id = u.id) THEN 1 ELSE 0 END), 0) AS units_held
	FROM plots p
	LEFT JOIN units u ON u.plot_id = p.id AND u.zone_id = p.zone_id
	WHERE p.zone_id = ? AND p.status = {live}
	GROUP BY p.id, p.zone_id, p.area
)
SELECT
	CAST(COALESCE(SUM(area), 0) AS BIGINT) AS total,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN CAST(area AS DOUBLE PRECISION)
		WHEN floor > 0 THEN CAST(area AS DOUBLE PRECISION) * leased_floor / floor
		ELSE 0 END), 0) AS DOUBLE PRECISION) AS leased,
	CAST(COALESCE(SUM(floor), 0) AS BIGINT) AS floor,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN floor ELSE leased_floor END), 0) AS BIGINT) AS leased_floor,
	CAST(COALESCE(SUM(units), 0) AS BIGINT) AS units,
	CAST(COALESCE(SUM(CASE WHEN land = 1 THEN units ELSE units_held END), 0) AS BIGINT) AS units_leased,
	(SELECT COUNT(*) FROM (SELECT DISTINCT space_kind, space_id FROM leases
		WHERE zone_id = ? AND status IN ({holding}) AND idle) AS idle_spaces) AS idle,
	(SELECT COUNT(*) FROM requests WHERE zone_id = ? AND status IN ({waiting})) AS waiting
FROM per_plot`)

// Occupancy works out the zone's occupancy in the database (see occupancySQL), on the read
// pool. It gives the figures leasing.ComputeOccupancy gives over OccupancyInputs; the store
// tests hold the two to each other.
func (s *Store) Occupancy(ctx context.Context, zoneID string) (leasing.Occupancy, error) {
	var r struct {
		Total       int64   `db:"total"`
		Leased      float64 `db:"leased"`
		Floor       int64   `db:"floor"`
		LeasedFloor int64   `db:"leased_floor"`
		Units       int64   `db:"units"`
		UnitsLeased int64   `db:"units_leased"`
		Idle        int64   `db:"idle"`
		Waiting     int64   `db:"waiting"`
	}
	rd := s.db.Reader()
	if err := rd.GetContext(ctx, &r, rd.Rebind(occupancySQL), zoneID, zoneID, zoneID); err != nil {
		return leasing.Occupancy{}, fmt.Errorf("occupancy of zone %s: %w", zoneID, err)
	}
	return leasing.Occupancy{
		ZoneID:            zoneID,
		TotalAreaM2:       zoning.Area(r.Total).M2(),
		LeasedAreaM2:      r.Leased / 100,
		FloorAreaM2:       zoning.Area(r.Floor).M2(),
		LeasedFloorAreaM2: zoning.Area(r.LeasedFloor).M2(),
		UnitsLeased:       int(r.UnitsLeased),
		UnitsFree:         int(r.Units - r.UnitsLeased),
		RequestsWaiting:   int(r.Waiting),
		IdleSpaces:        int(r.Idle),
	}.Derive(), nil
}
